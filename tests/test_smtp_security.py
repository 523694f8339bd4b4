"""SMTP logins only over TLS: STARTTLS or implicit TLS, verified certificates, a loud refusal."""

from __future__ import annotations

import datetime as dt
import email
import ipaddress
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from inspectorate.adapters.notify import SmtpMailer
from inspectorate.adapters.settings import Settings
from inspectorate.domain.errors import ConfigError, DeliveryError
from tests.test_notify import MESSAGE, _free_port

USER, PASSWORD = "mailer", "s3cret-pw"


@dataclass
class Recorder:
    """An aiosmtpd handler and authenticator that keeps the mail and every login attempt."""

    received: list[bytes] = field(default_factory=list)
    logins: list[tuple[str, bool]] = field(default_factory=list)  # (mechanism, over TLS)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.received.append(envelope.content)
        return "250 OK"

    def __call__(
        self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any
    ) -> AuthResult:
        self.logins.append((mechanism, server.transport.get_extra_info("ssl_object") is not None))
        ok = isinstance(data, LoginPassword) and (data.login, data.password) == (
            USER.encode(),
            PASSWORD.encode(),
        )
        return AuthResult(success=ok)


@dataclass
class Certificates:
    """A private CA and a server certificate it signed for 127.0.0.1 (PEM files)."""

    ca: Path
    cert: Path
    key: Path

    def server_context(self) -> ssl.SSLContext:
        """The server side's TLS context."""
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.cert, self.key)
        return context


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])


@pytest.fixture(scope="module")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> Certificates:
    folder = tmp_path_factory.mktemp("tls")
    now = dt.datetime.now(dt.UTC)
    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca_ski = x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key())
    ca = (
        x509.CertificateBuilder()
        .subject_name(_name("inspectorate test CA"))
        .issuer_name(_name("inspectorate test CA"))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False),
            critical=True,
        )
        .add_extension(ca_ski, critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name("127.0.0.1"))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_ski), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    paths = Certificates(folder / "ca.pem", folder / "server.pem", folder / "server.key")
    paths.ca.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths.cert.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    paths.key.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return paths


@contextmanager
def serving(recorder: Recorder, **options: Any) -> Iterator[int]:
    """Run an aiosmtpd server on a free loopback port while the block runs."""
    port = _free_port()
    controller = Controller(
        recorder, hostname="127.0.0.1", port=port, authenticator=recorder, **options
    )
    controller.start()
    try:
        yield port
    finally:
        controller.stop()


def mailer(port: int, **settings: Any) -> SmtpMailer:
    """An SMTP mailer with the test login for the server on `port`."""
    return SmtpMailer(
        Settings(
            smtp_host="127.0.0.1",
            smtp_port=port,
            smtp_username=USER,
            smtp_password=PASSWORD,
            smtp_timeout_seconds=5,
            **settings,
        )
    )


def test_a_login_without_tls_is_refused_before_auth() -> None:
    recorder = Recorder()
    # This server would take a login in clear; the mailer must not offer one.
    with serving(recorder, auth_require_tls=False) as port, pytest.raises(DeliveryError) as refused:
        mailer(port).send(MESSAGE)
    message = str(refused.value)
    assert "offers no STARTTLS" in message and "plain text" in message
    assert "INSPECTORATE_SMTP_SSL" in message
    assert "INSPECTORATE_SMTP_ALLOW_PLAINTEXT_AUTH" in message
    assert PASSWORD not in message
    assert recorder.logins == [] and recorder.received == []


def test_plaintext_login_when_explicitly_allowed_for_a_local_relay() -> None:
    recorder = Recorder()
    with serving(recorder, auth_require_tls=False) as port:
        mailer(port, smtp_allow_plaintext_auth=True).send(MESSAGE)
    assert [over_tls for _, over_tls in recorder.logins] == [False]
    (content,) = recorder.received
    assert email.message_from_bytes(content)["Subject"] == "Reminder: scoring"


def test_mail_without_login_still_goes_to_a_plain_relay() -> None:
    recorder = Recorder()
    with serving(recorder) as port:
        SmtpMailer(Settings(smtp_host="127.0.0.1", smtp_port=port)).send(MESSAGE)
    assert recorder.logins == [] and len(recorder.received) == 1


def test_a_login_upgrades_with_starttls_when_the_server_offers_it(
    certificates: Certificates,
) -> None:
    recorder = Recorder()
    with serving(recorder, tls_context=certificates.server_context()) as port:
        mailer(port, smtp_ca_file=certificates.ca).send(MESSAGE)
    assert [over_tls for _, over_tls in recorder.logins] == [True]
    assert len(recorder.received) == 1


def test_implicit_tls_with_a_private_ca(certificates: Certificates) -> None:
    recorder = Recorder()
    # aiosmtpd counts only STARTTLS as TLS for AUTH; the whole connection is TLS here.
    with serving(
        recorder, ssl_context=certificates.server_context(), auth_require_tls=False
    ) as port:
        mailer(port, smtp_ssl=True, smtp_ca_file=certificates.ca).send(MESSAGE)
    assert [over_tls for _, over_tls in recorder.logins] == [True]
    assert len(recorder.received) == 1


def test_an_untrusted_certificate_is_refused_and_names_the_ca_setting(
    certificates: Certificates,
) -> None:
    recorder = Recorder()
    server = serving(recorder, tls_context=certificates.server_context())
    with server as port, pytest.raises(DeliveryError, match="INSPECTORATE_SMTP_CA_FILE") as refused:
        mailer(port).send(MESSAGE)  # system CAs only: the private CA is not among them
    assert "not trusted" in str(refused.value)
    assert recorder.logins == [] and recorder.received == []


def test_starttls_asked_for_but_not_offered_is_refused() -> None:
    recorder = Recorder()
    with serving(recorder) as port:
        settings = Settings(smtp_host="127.0.0.1", smtp_port=port, smtp_starttls=True)
        with pytest.raises(DeliveryError, match="does not offer STARTTLS"):
            SmtpMailer(settings).send(MESSAGE)
    assert recorder.received == []


def test_ssl_and_starttls_together_are_a_config_error() -> None:
    with pytest.raises(ConfigError, match="exclude each other"):
        SmtpMailer(Settings(smtp_host="h", smtp_ssl=True, smtp_starttls=True))


def test_a_missing_ca_file_is_a_config_error(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.pem"
    with pytest.raises(ConfigError, match="INSPECTORATE_SMTP_CA_FILE"):
        mailer(_free_port(), smtp_ca_file=missing).send(MESSAGE)
