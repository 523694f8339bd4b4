"""Sending mail: an outbox folder by default, SMTP when a host is configured."""

from __future__ import annotations

import os
import smtplib
import ssl
import threading
from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import Protocol

from inspectorate.adapters.mail import Message
from inspectorate.adapters.settings import Settings
from inspectorate.domain.errors import ConfigError, DeliveryError

MAILS_A_CONNECTION = 100  # under the limits servers set (Exim's default is 1,000)
NOOP_SECONDS = 5.0  # how long a kept connection may take to answer before it is replaced


class Handed(str):
    """Where a mail went, and the recipients the server refused as it took it for the rest."""

    refused: tuple[str, ...]

    def __new__(cls, where: str, refused: Mapping[str, tuple[int, bytes]]) -> Handed:
        """`where`, carrying each refused address with the server's code and reason."""
        handed = super().__new__(cls, where)
        handed.refused = tuple(
            f"{address} ({code} {reason.decode(errors='replace')})"
            for address, (code, reason) in refused.items()
        )
        return handed


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
        content = message.as_bytes()
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
        self._keeping = False
        self._kept: smtplib.SMTP | None = None
        self._mails_on_kept = 0

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
        """Hand the message to the SMTP server (over the kept connection, in `connection_kept`)."""
        s = self.settings
        mail = message.as_email()  # before a connection is taken: one that cannot be built
        try:
            reused = self._still_open()
            client = reused or self._connect()
            try:
                refused = client.send_message(mail)
            except (smtplib.SMTPSenderRefused, smtplib.SMTPRecipientsRefused) as exc:
                _close(client, polite=False)
                if reused is None or not _refused_for_now(exc):
                    raise
                # Refused before DATA on a reused connection (a server's limit of mails a
                # connection, or its idle timeout): nothing went, so once more on a new one.
                client = self._connect()
                try:
                    refused = client.send_message(mail)
                except BaseException:
                    _close(client, polite=False)
                    raise
            except BaseException:
                _close(client, polite=False)
                raise
            self._done_with(client, reused=client is reused)
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
        return Handed(f"smtp://{self.host}:{s.smtp_port}", refused)

    @contextmanager
    def connection_kept(self) -> Iterator[None]:
        """Within the block, send mails over one connection (a new one every hundred mails).

        A delivery's mails then pay for one connection, TLS handshake and login, not one
        each. Before each reuse a NOOP checks the server still answers; a mail refused
        before DATA on a reused connection goes once more on a new one. One delivery at a
        time: a mailer with a kept connection is not shared between threads.
        """
        self._keeping = True
        try:
            yield
        finally:
            self._keeping = False
            kept, self._kept = self._kept, None
            if kept is not None:
                _close(kept)

    def _done_with(self, client: smtplib.SMTP, *, reused: bool) -> None:
        """Keep the connection for the next mail (within `connection_kept`), or close it."""
        self._mails_on_kept = self._mails_on_kept + 1 if reused else 1
        if self._keeping and self._mails_on_kept < MAILS_A_CONNECTION:
            self._kept = client
        else:
            _close(client)

    def _still_open(self) -> smtplib.SMTP | None:
        """The kept connection if the server still answers on it (else it is closed)."""
        kept, self._kept = self._kept, None
        if kept is None or kept.sock is None:
            return None
        try:
            # A connection dropped silently (a firewall) should not cost the full timeout.
            kept.sock.settimeout(min(NOOP_SECONDS, self.settings.smtp_timeout_seconds))
            alive = kept.noop()[0] == 250
            if alive and kept.sock is not None:
                kept.sock.settimeout(self.settings.smtp_timeout_seconds)
                return kept
        except (OSError, smtplib.SMTPException):
            pass
        except BaseException:
            _close(kept, polite=False)
            raise
        _close(kept, polite=False)
        return None

    def _connect(self) -> smtplib.SMTP:
        """A new connection, secured and logged in as configured."""
        s = self.settings
        context = self.tls_context()
        if s.smtp_ssl:
            client: smtplib.SMTP = smtplib.SMTP_SSL(
                self.host, s.smtp_port, timeout=s.smtp_timeout_seconds, context=context
            )
        else:
            client = smtplib.SMTP(self.host, s.smtp_port, timeout=s.smtp_timeout_seconds)
        try:
            if not s.smtp_ssl:
                self._secure(client, context)
            if s.smtp_username:
                client.login(s.smtp_username, s.smtp_password or "")
        except BaseException:
            _close(client, polite=False)
            raise
        return client

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


def _close(client: smtplib.SMTP, *, polite: bool = True) -> None:
    """Say QUIT (when `polite`) and close; a server already gone is closed all the same."""
    try:
        if polite:
            client.quit()
    except (OSError, smtplib.SMTPException):
        pass
    finally:
        client.close()


def _refused_for_now(refusal: smtplib.SMTPSenderRefused | smtplib.SMTPRecipientsRefused) -> bool:
    """Whether the server refused the sender, or every recipient, with a temporary (4xx) code."""
    if isinstance(refusal, smtplib.SMTPSenderRefused):
        return 400 <= refusal.smtp_code < 500
    return all(400 <= code < 500 for code, _ in refusal.recipients.values())


def connection_kept(mailer: Mailer) -> AbstractContextManager[None]:
    """A block in which the mailer keeps one connection for its mails (if it has any)."""
    keep = getattr(mailer, "connection_kept", None)
    return keep() if keep is not None else nullcontext()


def mailer_from_settings(settings: Settings) -> Mailer:
    """Return SMTP when a host is configured, else the outbox folder."""
    if settings.smtp_host:
        return SmtpMailer(settings)
    return OutboxMailer(settings.outbox_dir)
