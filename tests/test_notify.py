"""Mail delivery: the outbox folder and a real SMTP server on loopback."""

from __future__ import annotations

import email
import socket
from collections.abc import Iterator
from email import policy
from pathlib import Path
from typing import Any

import pendulum
import pytest
from aiosmtpd.controller import Controller

from inspectorate.adapters.notify import Message, OutboxMailer, SmtpMailer, mailer_from_settings
from inspectorate.adapters.settings import Settings, get_settings
from inspectorate.domain.errors import DeliveryError
from inspectorate.services import delivery, sweep
from tests.factories import morning, schedule

MESSAGE = Message(
    key="2014-01-06-i1-scoring-lead_5-r3",
    sender="HMI Probation <a@b.invalid>",
    to=("team@x.invalid", "pm@x.invalid"),
    subject="Reminder: scoring",
    body="Scoring is due on Friday.\n",
    date=pendulum.datetime(2014, 1, 6, 6),
)


class Inbox:
    """An aiosmtpd handler that keeps what it receives."""

    def __init__(self) -> None:
        self.received: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    inbox, port = Inbox(), _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def test_outbox_writes_one_eml_file_per_message(tmp_path: Path) -> None:
    where = OutboxMailer(tmp_path / "outbox").send(MESSAGE)
    parsed = email.message_from_bytes(Path(where).read_bytes())
    assert parsed["Subject"] == "Reminder: scoring"
    assert parsed["Message-ID"] == f"<{MESSAGE.key}@inspectorate.invalid>"
    assert "Scoring is due on Friday." in parsed.get_payload()


def test_outbox_resending_the_same_key_overwrites(tmp_path: Path) -> None:
    mailer = OutboxMailer(tmp_path)
    mailer.send(MESSAGE)
    mailer.send(MESSAGE)
    assert [p.name for p in tmp_path.iterdir()] == [f"{MESSAGE.key}.eml"]


def test_outbox_that_cannot_be_written_raises_delivery_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(DeliveryError, match="cannot write"):
        OutboxMailer(blocker / "outbox").send(MESSAGE)


def test_smtp_delivers_to_a_real_server(smtp_server: tuple[Inbox, int]) -> None:
    inbox, port = smtp_server
    SmtpMailer(Settings(smtp_host="127.0.0.1", smtp_port=port)).send(MESSAGE)
    ((sender, recipients, content),) = inbox.received
    assert sender == "a@b.invalid"
    assert recipients == ["team@x.invalid", "pm@x.invalid"]
    assert email.message_from_bytes(content)["Subject"] == "Reminder: scoring"


def test_smtp_refusal_becomes_delivery_error() -> None:
    mailer = SmtpMailer(
        Settings(smtp_host="127.0.0.1", smtp_port=_free_port(), smtp_timeout_seconds=2)
    )
    with pytest.raises(DeliveryError, match="refused"):
        mailer.send(MESSAGE)


def test_settings_choose_smtp_when_a_host_is_set(
    smtp_server: tuple[Inbox, int], monkeypatch: pytest.MonkeyPatch, sqlite_database: str
) -> None:
    inbox, port = smtp_server
    monkeypatch.setenv("INSPECTORATE_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("INSPECTORATE_SMTP_PORT", str(port))
    get_settings.cache_clear()
    assert isinstance(mailer_from_settings(get_settings()), SmtpMailer)
    schedule()
    now = morning("2013-12-02")
    sweep.advance(as_of=now.date(), now=now)
    assert delivery.deliver(now=now) == 1
    assert len(inbox.received) == 1
    subject = email.message_from_bytes(inbox.received[0][2], policy=policy.default)["Subject"]
    assert (
        subject
        == "Announcement of inspection: Inspection of Adult Offending Work of Durham Tees Valley"
    )


def test_outbox_is_the_default(sqlite_database: str, isolated_settings: Path) -> None:
    schedule()
    now = morning("2013-12-02")
    sweep.advance(as_of=now.date(), now=now)
    assert delivery.deliver(now=now) == 1
    assert len(list((isolated_settings / "outbox").glob("*.eml"))) == 1
