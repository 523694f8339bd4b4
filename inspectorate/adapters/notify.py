"""Sending mail: an outbox folder by default, SMTP when a host is configured."""

from __future__ import annotations

import email.message
import os
import smtplib
import ssl
import threading
from dataclasses import dataclass
from email import encoders
from email.charset import Charset
from email.header import Header
from email.message import EmailMessage
from email.mime.base import MIMEBase
from email.utils import format_datetime, formataddr, getaddresses
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import pendulum

from inspectorate.adapters.settings import Settings
from inspectorate.domain.errors import ConfigError, DeliveryError

_CONTENT_TYPES = {".pdf": "application/pdf", ".html": "text/html", ".htm": "text/html"}


@dataclass(frozen=True)
class Attachment:
    """A file carried by an e-mail: the name the reader sees, its MIME type and its bytes."""

    filename: str
    content_type: str
    data: bytes

    @classmethod
    def from_file(cls, path: Path, filename: str | None = None) -> Attachment:
        """Read `path` into an attachment named `filename` (default: the file's own name)."""
        content_type = _CONTENT_TYPES.get(path.suffix.lower(), "application/octet-stream")
        return cls(filename or path.name, content_type, path.read_bytes())


@dataclass(frozen=True)
class Message:
    """One e-mail; `key` names it uniquely and stably (file name, Message-ID)."""

    key: str
    sender: str
    to: tuple[str, ...]
    subject: str
    body: str
    date: pendulum.DateTime
    attachments: tuple[Attachment, ...] = ()

    def as_email(self) -> email.message.Message:
        """Return the message as a standard library MIME message (text, then attachments)."""
        if not self.key.isascii():
            raise ValueError(f"a message key must be ASCII (it is the Message-ID): {self.key!r}")
        if _unusual(self):
            return self._as_email_message()
        text: email.message.Message[str, str | Header] = email.message.Message()
        text.set_payload(self.body, _UTF8)  # adds MIME-Version and Content-Type
        mail = text
        if self.attachments:  # the outbox's .eml keeps them as MIME parts too
            mail = email.message.Message()
            mail["MIME-Version"] = "1.0"
            mail["Content-Type"] = "multipart/mixed"
            del text["MIME-Version"]
            mail.attach(text)
            for attachment in self.attachments:
                mail.attach(_attachment_part(attachment))
        mail["From"] = _address_header(self.sender)
        mail["To"] = _address_header(", ".join(self.to))
        mail["Subject"] = _text_header(self.subject)
        mail["Date"] = format_datetime(self.date)
        # A stable Message-ID lets mail servers discard a copy re-sent after a crash.
        mail["Message-ID"] = f"<{self.key}@inspectorate.invalid>"
        return mail

    def _as_email_message(self) -> EmailMessage:
        """The message through EmailMessage, which encodes and folds whatever it is given."""
        mail = EmailMessage()
        mail["From"] = self.sender
        mail["To"] = ", ".join(self.to)
        mail["Subject"] = self.subject
        mail["Date"] = format_datetime(self.date)
        mail["Message-ID"] = f"<{self.key}@inspectorate.invalid>"
        mail.set_content(self.body, cte="8bit")
        for attachment in self.attachments:
            maintype, _, subtype = attachment.content_type.partition("/")
            mail.add_attachment(
                attachment.data, maintype=maintype, subtype=subtype, filename=attachment.filename
            )
        return mail


def _unusual(message: Message) -> bool:
    """An internationalised address (SMTPUTF8) or a header compat32 would not encode or fold."""
    if _unusual_addresses((message.sender, *message.to)):
        return True
    # compat32 writes a non-ASCII file name as one unfolded RFC 2231 parameter.
    names = [a.filename for a in message.attachments]
    return any(not name.isascii() or len(name) > _FOLDED_BY_COMPAT32 for name in names) or (
        len(message.subject) > _FOLDED_BY_COMPAT32
    )


@lru_cache(maxsize=1024)
def _unusual_addresses(addresses: tuple[str, ...]) -> bool:
    """A non-ASCII address, or a display name too long for compat32 (kept: readers repeat)."""
    for name, address in getaddresses(list(addresses)):
        if not address.isascii() or len(name) > _FOLDED_BY_COMPAT32:
            return True
        # formataddr writes a non-ASCII display name as one encoded word (at most 75 characters).
        if not name.isascii() and len(name.encode()) > _ONE_ENCODED_WORD:
            return True
    return False


# The stdlib's legacy (compat32) MIME classes, not EmailMessage: its header parsing was most
# of a busy morning's delivery. They check nothing, so the header values are checked here,
# and a mail they would not encode or fold well (see `_unusual`) goes through EmailMessage.
_FOLDED_BY_COMPAT32 = 150  # characters of a subject, display name or file name
_ONE_ENCODED_WORD = 30  # UTF-8 bytes of a display name: 52 characters base64-encoded
_UTF8 = Charset("utf-8")
_UTF8.body_encoding = None  # type: ignore[assignment]  # 8-bit text bodies, not base64


def _text_header(value: str) -> str | Header:
    """An unstructured header value: refused with a line break, RFC 2047 when not ASCII."""
    if len(value.splitlines()) > 1:
        raise ValueError("Header values may not contain linefeed or carriage return characters")
    return value if value.isascii() else Header(value, "utf-8")


@lru_cache(maxsize=1024)
def _address_header(value: str) -> str:
    """An address list with any non-ASCII display name encoded (kept: readers repeat)."""
    if len(value.splitlines()) > 1:
        raise ValueError("Header values may not contain linefeed or carriage return characters")
    if value.isascii():
        return value
    return ", ".join(formataddr(pair, charset="utf-8") for pair in getaddresses([value]))


def _attachment_part(attachment: Attachment) -> MIMEBase:
    maintype, _, subtype = attachment.content_type.partition("/")
    part = MIMEBase(maintype, subtype)
    part.set_payload(attachment.data)
    encoders.encode_base64(part)
    # An ASCII name here (`_unusual` sends others through EmailMessage), with no line break.
    part.add_header(
        "Content-Disposition", "attachment", filename=str(_text_header(attachment.filename))
    )
    return part


class Mailer(Protocol):
    """Anything that can deliver a Message; returns where it went."""

    def send(self, message: Message) -> str:
        """Deliver `message` or raise DeliveryError."""
        ...


class OutboxMailer:
    """Writes each message as an .eml file; re-sending the same key overwrites, never doubles."""

    overwrites = True  # so delivery may send a run of mails before recording them

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def send(self, message: Message) -> str:
        """Write the message atomically to `<folder>/<key>.eml`."""
        target = self.folder / f"{message.key}.eml"
        content = bytes(message.as_email())
        try:
            try:
                self._write(target, content)
            except FileNotFoundError:  # the first mail, or the folder was removed since
                self.folder.mkdir(parents=True, exist_ok=True)
                self._write(target, content)
        except OSError as exc:
            raise DeliveryError(
                f"cannot write {message.key} to outbox {self.folder}: {exc}"
            ) from exc
        return str(target)

    def _write(self, target: Path, content: bytes) -> None:
        """Write beside the target under a name of this process's own, then rename over it."""
        # A name no other process or thread writes: mkstemp's random names cost as much as
        # the rest of the write. One a crash left is truncated and written afresh.
        temporary = target.with_name(f".{target.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        with temporary.open("wb") as handle:
            handle.write(content)
        os.replace(temporary, target)


class SmtpMailer:
    """Delivers through an SMTP server (plain, STARTTLS or implicit TLS; optional login).

    A login is only ever sent over TLS: implicit TLS (INSPECTORATE_SMTP_SSL), or STARTTLS,
    used whenever the server offers it and credentials are set. A server without either gets
    no password unless INSPECTORATE_SMTP_ALLOW_PLAINTEXT_AUTH allows it (a relay on loopback).
    Certificates are verified against the system's CAs or INSPECTORATE_SMTP_CA_FILE.
    """

    def __init__(self, settings: Settings) -> None:
        if settings.smtp_host is None:
            raise ValueError("SmtpMailer needs INSPECTORATE_SMTP_HOST")
        if settings.smtp_ssl and settings.smtp_starttls:
            raise ConfigError(
                "INSPECTORATE_SMTP_SSL and INSPECTORATE_SMTP_STARTTLS are both set: implicit "
                "TLS (port 465) and STARTTLS (port 587) exclude each other; set one"
            )
        self.host: str = settings.smtp_host
        self.settings = settings

    def tls_context(self) -> ssl.SSLContext:
        """A client context that verifies the server (system CAs, or the configured CA file)."""
        ca_file = self.settings.smtp_ca_file
        try:
            return ssl.create_default_context(cafile=str(ca_file) if ca_file else None)
        except (OSError, ssl.SSLError) as exc:
            raise ConfigError(
                f"INSPECTORATE_SMTP_CA_FILE={ca_file}: cannot load it ({exc})"
            ) from exc

    def send(self, message: Message) -> str:
        """Hand the message to the SMTP server."""
        s = self.settings
        context = self.tls_context()
        try:
            if s.smtp_ssl:
                client: smtplib.SMTP = smtplib.SMTP_SSL(
                    self.host, s.smtp_port, timeout=s.smtp_timeout_seconds, context=context
                )
            else:
                client = smtplib.SMTP(self.host, s.smtp_port, timeout=s.smtp_timeout_seconds)
            with client:
                if not s.smtp_ssl:
                    self._secure(client, context)
                if s.smtp_username:
                    client.login(s.smtp_username, s.smtp_password or "")
                client.send_message(message.as_email())
        except DeliveryError:
            raise
        except ssl.SSLCertVerificationError as exc:
            raise DeliveryError(
                f"SMTP {self.host}:{s.smtp_port} refused {message.key}: its TLS certificate "
                f"is not trusted ({exc.verify_message}); if it is signed by a private CA, "
                "set INSPECTORATE_SMTP_CA_FILE to that CA's PEM file"
            ) from exc
        except (OSError, smtplib.SMTPException) as exc:
            raise DeliveryError(
                f"SMTP {self.host}:{s.smtp_port} refused {message.key}: {exc}"
            ) from exc
        return f"smtp://{self.host}:{s.smtp_port}"

    def _secure(self, client: smtplib.SMTP, context: ssl.SSLContext) -> None:
        """Upgrade with STARTTLS when asked or when a login follows; never log in in clear."""
        s = self.settings
        client.ehlo()
        offered = client.has_extn("starttls")
        if s.smtp_starttls or (s.smtp_username and offered):
            if not offered:
                raise DeliveryError(
                    f"SMTP {self.host}:{s.smtp_port} does not offer STARTTLS, which "
                    "INSPECTORATE_SMTP_STARTTLS asks for"
                )
            client.starttls(context=context)
            client.ehlo()
        elif s.smtp_username and not s.smtp_allow_plaintext_auth:
            raise DeliveryError(
                f"SMTP {self.host}:{s.smtp_port} offers no STARTTLS: refusing to send the "
                "password of INSPECTORATE_SMTP_USERNAME in plain text. Use implicit TLS "
                "(INSPECTORATE_SMTP_SSL=true, port 465) or a server that offers STARTTLS; "
                "for a relay on loopback only, set INSPECTORATE_SMTP_ALLOW_PLAINTEXT_AUTH=true"
            )


def mailer_from_settings(settings: Settings) -> Mailer:
    """Return SMTP when a host is configured, else the outbox folder."""
    if settings.smtp_host:
        return SmtpMailer(settings)
    return OutboxMailer(settings.outbox_dir)
