"""An e-mail as the inspectorate writes it: text, attachments, and its exact bytes."""

from __future__ import annotations

import base64
import datetime as dt
import email.message
import random
import re
import sys
from dataclasses import dataclass
from email import encoders
from email.charset import Charset
from email.header import Header
from email.message import EmailMessage
from email.mime.base import MIMEBase
from email.policy import compat32
from email.utils import format_datetime, formataddr, getaddresses, quote
from functools import lru_cache
from pathlib import Path

import pendulum

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
        if not (self.key.isascii() and self.key.isprintable()):
            raise ValueError(
                f"a message key must be printable ASCII (it is the Message-ID): {self.key!r}"
            )
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

    def as_bytes(self) -> bytes:
        """The message as `bytes(self.as_email())` writes it, composed directly when it can be.

        The stdlib's generator folds every header through its Header class, most of what a
        busy morning's outbox spent per mail; the usual mail's headers need no folding.
        """
        composed = _compose_bytes(self, _new_boundary())
        return bytes(self.as_email()) if composed is None else composed

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


def _compose_bytes(message: Message, boundary: str) -> bytes | None:
    """The bytes compat32's generator writes for `as_email()` (`boundary` between parts, if
    there are several), or None for a mail it alone can write (see `_unusual`)."""
    if not (message.key.isascii() and message.key.isprintable()) or _unusual(message):
        return None  # as_email() refuses the key, or only the stdlib writes the mail
    if any(not a.filename or "/" not in a.content_type for a in message.attachments):
        return None  # the stdlib writes these its own way (a bare parameter, 'type/')
    try:
        text = _NEWLINES.sub("\n", message.body).encode("utf-8")
    except UnicodeEncodeError:
        return None  # as_email() says what is wrong with it
    encoding = f"Content-Transfer-Encoding: {'7bit' if text.isascii() else '8bit'}\n"
    plain = 'Content-Type: text/plain; charset="utf-8"\n' + encoding
    headers = [
        _header_line("From", _address_header(message.sender)),
        _header_line("To", _address_header(", ".join(message.to))),
        _header_line("Subject", _text_header(message.subject)),
        _header_line("Date", _date_header(message.date, message.date.utcoffset())),
        _header_line("Message-ID", f"<{message.key}@inspectorate.invalid>"),
    ]
    if not message.attachments:
        return b"".join([b"MIME-Version: 1.0\n", plain.encode(), *headers, b"\n", text])
    parts = [plain.encode() + b"\n" + text]
    for attachment in message.attachments:
        disposition = f'attachment; filename="{quote(str(_text_header(attachment.filename)))}"'
        parts.append(
            b"".join(
                [
                    _header_line("Content-Type", attachment.content_type),
                    b"MIME-Version: 1.0\nContent-Transfer-Encoding: base64\n",
                    _header_line("Content-Disposition", disposition),
                    b"\n",
                    base64.encodebytes(attachment.data),
                ]
            )
        )
    boundary = _unused_boundary(boundary, b"\n".join(parts))
    mixed = _header_line("Content-Type", f'multipart/mixed; boundary="{boundary}"')
    between = f"\n--{boundary}\n".encode()
    return b"".join(
        [
            b"MIME-Version: 1.0\n",
            mixed,
            *headers,
            f"\n--{boundary}\n".encode(),
            between.join(parts),
            f"\n--{boundary}--\n".encode(),
        ]
    )


def _header_line(name: str, value: str | Header) -> bytes:
    """One header as compat32 writes it: as given when short and plain, else its own fold."""
    if (
        isinstance(value, str)
        and len(name) + len(value) <= _LINE - 2
        and value.isascii()
        and value.isprintable()
    ):
        return f"{name}: {value}\n".encode()
    if isinstance(value, str):
        return _folded(name, value)
    return compat32.fold_binary(name, value)  # type: ignore[arg-type]  # a Header folds too


# A morning's mails share their date, and an inspection's its subjects and recipients: the
# stdlib's fold costs a tenth of a millisecond a header.
@lru_cache(maxsize=4096)
def _folded(name: str, value: str) -> bytes:
    return compat32.fold_binary(name, value)


@lru_cache(maxsize=64)
def _date_header(moment: dt.datetime, offset: dt.timedelta | None) -> str:
    # The offset is part of the key: the same instant in another zone is written apart.
    return format_datetime(moment)


def _new_boundary() -> str:
    """A boundary as the stdlib's generator makes one."""
    return "=" * 15 + f"{random.randrange(sys.maxsize):0{len(repr(sys.maxsize - 1))}d}" + "=="


def _unused_boundary(boundary: str, text: bytes) -> str:
    """`boundary`, or it with a counter if a line of `text` is it (as the stdlib does)."""
    candidate, counter = boundary, 0
    while f"--{candidate}".encode() in text and re.search(
        b"^--" + re.escape(candidate.encode()) + b"(--)?$", text, re.MULTILINE
    ):
        candidate, counter = f"{boundary}.{counter}", counter + 1
    return candidate


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
_LINE = 78  # compat32 folds a header line longer than this
_NEWLINES = re.compile(r"\r\n|\r|\n")  # the generator writes each line ending as one newline
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
