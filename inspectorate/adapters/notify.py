"""Sending mail: an outbox folder by default, SMTP when a host is configured."""

from __future__ import annotations

import os
import smtplib
import ssl
import tempfile
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Protocol

import pendulum

from inspectorate.adapters.settings import Settings
from inspectorate.domain.errors import DeliveryError

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

    def as_email(self) -> EmailMessage:
        """Return the message as a standard library EmailMessage."""
        email = EmailMessage()
        email["From"] = self.sender
        email["To"] = ", ".join(self.to)
        email["Subject"] = self.subject
        email["Date"] = format_datetime(self.date)
        # A stable Message-ID lets mail servers discard a copy re-sent after a crash.
        email["Message-ID"] = f"<{self.key}@inspectorate.invalid>"
        email.set_content(self.body, cte="8bit")
        for attachment in self.attachments:  # the outbox's .eml keeps them as MIME parts too
            maintype, _, subtype = attachment.content_type.partition("/")
            email.add_attachment(
                attachment.data, maintype=maintype, subtype=subtype, filename=attachment.filename
            )
        return email


class Mailer(Protocol):
    """Anything that can deliver a Message; returns where it went."""

    def send(self, message: Message) -> str:
        """Deliver `message` or raise DeliveryError."""
        ...


class OutboxMailer:
    """Writes each message as an .eml file; re-sending the same key overwrites, never doubles."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def send(self, message: Message) -> str:
        """Write the message atomically to `<folder>/<key>.eml`."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            target = self.folder / f"{message.key}.eml"
            fd, temporary = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
            with os.fdopen(fd, "wb") as handle:
                handle.write(bytes(message.as_email()))
            os.replace(temporary, target)
        except OSError as exc:
            raise DeliveryError(
                f"cannot write {message.key} to outbox {self.folder}: {exc}"
            ) from exc
        return str(target)


class SmtpMailer:
    """Delivers through an SMTP server (plain, STARTTLS or implicit TLS; optional login)."""

    def __init__(self, settings: Settings) -> None:
        if settings.smtp_host is None:
            raise ValueError("SmtpMailer needs INSPECTORATE_SMTP_HOST")
        self.host: str = settings.smtp_host
        self.settings = settings

    def send(self, message: Message) -> str:
        """Hand the message to the SMTP server."""
        s = self.settings
        try:
            if s.smtp_ssl:
                client: smtplib.SMTP = smtplib.SMTP_SSL(
                    self.host,
                    s.smtp_port,
                    timeout=s.smtp_timeout_seconds,
                    context=ssl.create_default_context(),
                )
            else:
                client = smtplib.SMTP(self.host, s.smtp_port, timeout=s.smtp_timeout_seconds)
            with client:
                if s.smtp_starttls:
                    client.starttls(context=ssl.create_default_context())
                if s.smtp_username:
                    client.login(s.smtp_username, s.smtp_password or "")
                client.send_message(message.as_email())
        except (OSError, smtplib.SMTPException) as exc:
            raise DeliveryError(
                f"SMTP {self.host}:{s.smtp_port} refused {message.key}: {exc}"
            ) from exc
        return f"smtp://{self.host}:{s.smtp_port}"


def mailer_from_settings(settings: Settings) -> Mailer:
    """Return SMTP when a host is configured, else the outbox folder."""
    if settings.smtp_host:
        return SmtpMailer(settings)
    return OutboxMailer(settings.outbox_dir)
