"""Mail delivery: the outbox folder and a real SMTP server on loopback."""

from __future__ import annotations

import email
import shutil
import socket
from collections.abc import Iterator
from email import policy
from pathlib import Path
from typing import Any

import pendulum
import pytest
from aiosmtpd.controller import Controller

from inspectorate.adapters import notify
from inspectorate.adapters.mail import Attachment, Message
from inspectorate.adapters.notify import (
    OutboxMailer,
    SmtpMailer,
    connection_kept,
    mailer_from_settings,
)
from inspectorate.adapters.settings import Settings, get_settings
from inspectorate.domain.errors import DeliveryError
from inspectorate.domain.lifecycle import Stage
from inspectorate.services import context, delivery, documents, sweep
from tests.factories import morning, schedule

MESSAGE = Message(
    key="2014-01-06-i1-scoring-lead_5-r3",
    sender="HMI Probation <a@b.invalid>",
    to=("team@x.invalid", "pm@x.invalid"),
    subject="Reminder: scoring",
    body="Scoring is due on Friday.\n",
    date=pendulum.datetime(2014, 1, 6, 6),
)
LETTER = Attachment("announcement-letter-london-en.pdf", "application/pdf", b"%PDF-1.4 letter")


def announce_with_letter(on: str) -> pendulum.DateTime:
    """Schedule and announce an inspection on the sweep's morning, its letter written."""
    inspection_id = schedule()
    now = morning(on)
    sweep.advance(as_of=now.date(), now=now)
    context.run(
        documents.write_stage_documents,
        inspection_id=inspection_id,
        stage=Stage.ANNOUNCE,
        now=now,
        actor="t",
    )
    return now


class Inbox:
    """An aiosmtpd handler that keeps what it receives."""

    def __init__(self) -> None:
        self.received: list[tuple[str, list[str], bytes]] = []
        self.peers: list[tuple[str, int]] = []  # the client's address of each mail's connection

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        self.peers.append(session.peer)
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


def test_outbox_keeps_attachments_as_mime_parts(tmp_path: Path) -> None:
    with_letter = Message(**{**MESSAGE.__dict__, "attachments": (LETTER,)})
    where = OutboxMailer(tmp_path).send(with_letter)
    parsed = email.message_from_bytes(Path(where).read_bytes(), policy=policy.default)
    assert isinstance(parsed, email.message.EmailMessage)
    (part,) = list(parsed.iter_attachments())
    assert (part.get_filename(), part.get_content_type()) == (LETTER.filename, "application/pdf")
    assert part.get_content() == LETTER.data
    text = parsed.get_body(preferencelist=("plain",))
    assert text is not None and "Scoring is due on Friday." in text.get_content()


def test_an_attachment_is_read_from_its_file(tmp_path: Path) -> None:
    path = tmp_path / "inspection-1-draft-en-0123456789ab.html"
    path.write_bytes(b"<html>draft</html>")
    assert Attachment.from_file(path, "draft-report-london-en.html") == Attachment(
        "draft-report-london-en.html", "text/html", b"<html>draft</html>"
    )
    assert Attachment.from_file(path).filename == path.name


def test_a_recipient_with_a_line_break_is_refused_not_sent_as_a_header() -> None:
    injected = Message(**{**MESSAGE.__dict__, "to": ("team@x.invalid\nBcc: spy@evil.invalid",)})
    with pytest.raises(ValueError, match="linefeed"):
        injected.as_email()
    letter = Attachment("letter.pdf\nContent-Type: text/html", "application/pdf", b"%PDF")
    with pytest.raises(ValueError, match="linefeed"):
        Message(**{**MESSAGE.__dict__, "attachments": (letter,)}).as_email()


def test_a_message_for_the_same_readers_twice_keeps_both_addresses() -> None:
    first = email.message_from_bytes(bytes(MESSAGE.as_email()), policy=policy.default)
    second = email.message_from_bytes(bytes(MESSAGE.as_email()), policy=policy.default)
    assert first["To"] == second["To"] == "team@x.invalid, pm@x.invalid"
    assert first["From"] == "HMI Probation <a@b.invalid>"


def test_welsh_words_in_headers_body_and_file_names_arrive_intact(tmp_path: Path) -> None:
    subject = "Adroddiad drafft: Tîm Troseddau Ieuenctid Caerdydd — sylwadau erbyn 21 Mawrth 2014"
    welsh = Message(
        **{
            **MESSAGE.__dict__,
            "sender": "Arolygiaeth Prawf EF <a@b.invalid>",
            "to": ("Prif Ŵyr <chief@x.invalid>", "pm@x.invalid"),
            "subject": subject,
            "body": "Annwyl Brif Weithredwr,\nMae’r adroddiad drafft ynghlwm.\n",
            "attachments": (Attachment("adroddiad-drafft-cy.pdf", "application/pdf", b"%PDF"),),
        }
    )
    raw = Path(OutboxMailer(tmp_path).send(welsh)).read_bytes()
    assert raw.isascii() is False and b"\nSubject: =?utf-8?" in raw  # encoded, 8-bit body
    assert max(len(word) for word in raw.split() if word.startswith(b"=?")) <= 75
    parsed = email.message_from_bytes(raw, policy=policy.default)
    assert parsed["Subject"] == subject
    assert parsed["To"] == "Prif Ŵyr <chief@x.invalid>, pm@x.invalid"
    text = parsed.get_body(preferencelist=("plain",))
    assert text is not None and "Mae’r adroddiad drafft ynghlwm." in text.get_content()
    (part,) = list(parsed.iter_attachments())
    assert (part.get_filename(), part.get_content()) == ("adroddiad-drafft-cy.pdf", b"%PDF")


@pytest.mark.parametrize(
    ("to", "subject"),
    [
        (("siân@ŵyr.cymru",), "Adroddiad"),  # an internationalised address: SMTPUTF8
        (("Prif Weithredwr Tîm Troseddau Ieuenctid <chief@x.invalid>",), "Adroddiad"),
        (("chief@x.invalid",), "Adroddiad-" * 40),  # no space to fold at
        (("chief@x.invalid",), "’" * 150),  # a long file name (below) and subject
    ],
)
def test_mail_the_fast_classes_cannot_encode_goes_whole_and_within_line_limits(
    to: tuple[str, ...], subject: str
) -> None:
    letter = Attachment(subject[:150] + ".pdf", "application/pdf", b"%PDF")
    mail = Message(**{**MESSAGE.__dict__, "to": to, "subject": subject, "attachments": (letter,)})
    raw = bytes(mail.as_email())
    assert max(len(line) for line in raw.splitlines()) <= 998
    parsed = email.message_from_bytes(raw, policy=policy.default)
    assert (parsed["To"], parsed["Subject"]) == (", ".join(to), subject)
    (part,) = list(parsed.iter_attachments())
    assert part.get_filename() == letter.filename


@pytest.mark.parametrize("key", ["2014-01-06-i1-ŵ", "2014-01-06-i1\nBcc: x@y.invalid"])
def test_a_message_key_that_is_not_printable_ascii_is_refused(key: str) -> None:
    message = Message(**{**MESSAGE.__dict__, "key": key})
    for compose in (message.as_email, message.as_bytes):
        with pytest.raises(ValueError, match="must be printable ASCII"):
            compose()


def test_outbox_resending_the_same_key_overwrites(tmp_path: Path) -> None:
    mailer = OutboxMailer(tmp_path)
    mailer.send(MESSAGE)
    mailer.send(MESSAGE)
    assert [p.name for p in tmp_path.iterdir()] == [f"{MESSAGE.key}.eml"]


def test_outbox_removed_between_mails_is_made_again_and_keeps_no_temporary_file(
    tmp_path: Path,
) -> None:
    outbox = tmp_path / "outbox"
    mailer = OutboxMailer(outbox)
    mailer.send(MESSAGE)
    shutil.rmtree(outbox)
    second = Message(**{**MESSAGE.__dict__, "key": "2014-01-07-i1-second"})
    mailer.send(second)
    assert [p.name for p in outbox.iterdir()] == [f"{second.key}.eml"]


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


def test_smtp_carries_attachments(smtp_server: tuple[Inbox, int]) -> None:
    inbox, port = smtp_server
    with_letter = Message(**{**MESSAGE.__dict__, "attachments": (LETTER,)})
    SmtpMailer(Settings(smtp_host="127.0.0.1", smtp_port=port)).send(with_letter)
    ((_, _, content),) = inbox.received
    parsed = email.message_from_bytes(content, policy=policy.default)
    assert isinstance(parsed, email.message.EmailMessage)
    assert [p.get_content() for p in parsed.iter_attachments()] == [LETTER.data]


def send_numbered(mailer: SmtpMailer, count: int) -> None:
    """Send `count` copies of MESSAGE, each under a key of its own."""
    for n in range(count):
        mailer.send(Message(**{**MESSAGE.__dict__, "key": f"{MESSAGE.key}-{n}"}))


def test_smtp_sends_a_kept_connections_mails_over_one_connection(
    smtp_server: tuple[Inbox, int],
) -> None:
    inbox, port = smtp_server
    mailer = SmtpMailer(Settings(smtp_host="127.0.0.1", smtp_port=port))
    with connection_kept(mailer):
        send_numbered(mailer, 3)
    mailer.send(MESSAGE)  # after the block: a connection of its own again
    assert len(inbox.received) == 4
    assert len(set(inbox.peers[:3])) == 1
    assert inbox.peers[3] != inbox.peers[0]


def test_smtp_replaces_a_kept_connection_the_server_closed() -> None:
    inbox, port = Inbox(), _free_port()
    first = Controller(inbox, hostname="127.0.0.1", port=port)
    first.start()
    mailer = SmtpMailer(Settings(smtp_host="127.0.0.1", smtp_port=port))
    with connection_kept(mailer):
        try:
            mailer.send(MESSAGE)
        finally:
            first.stop()  # the kept connection is gone under the client, as after a restart
        again = Controller(inbox, hostname="127.0.0.1", port=port)
        again.start()
        try:
            mailer.send(Message(**{**MESSAGE.__dict__, "key": f"{MESSAGE.key}-again"}))
        finally:
            again.stop()
    assert len(inbox.received) == 2
    assert inbox.peers[0] != inbox.peers[1]


def test_smtp_replaces_a_kept_connection_the_server_no_longer_takes_mail_on(
    smtp_server: tuple[Inbox, int],
) -> None:
    inbox, port = smtp_server
    mailer = SmtpMailer(Settings(smtp_host="127.0.0.1", smtp_port=port))
    refusing = ["421 too many mails on this connection"]

    async def handle_NOOP(server: Any, session: Any, envelope: Any, arg: str) -> str:  # noqa: N802
        return refusing.pop() if refusing else "250 OK"

    inbox.handle_NOOP = handle_NOOP  # type: ignore[attr-defined]
    with connection_kept(mailer):
        send_numbered(mailer, 3)
    assert len(inbox.received) == 3
    assert inbox.peers[0] != inbox.peers[1]  # the refused NOOP: a new connection
    assert inbox.peers[1] == inbox.peers[2]


class Limited(Inbox):
    """A server that takes `limit` mails a connection, then refuses MAIL FROM with `refusal`."""

    def __init__(self, limit: int, refusal: str) -> None:
        super().__init__()
        self.limit, self.refusal = limit, refusal
        self.senders: list[tuple[str, int]] = []  # the peer of every MAIL FROM, refused or not

    async def handle_MAIL(  # noqa: N802
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        self.senders.append(session.peer)
        if self.peers.count(session.peer) >= self.limit:
            return self.refusal
        envelope.mail_from = address
        return "250 OK"


def limited_server(limit: int, refusal: str) -> tuple[Limited, Controller, SmtpMailer]:
    """A started server with a limit of mails a connection, and a mailer for it."""
    inbox, port = Limited(limit, refusal), _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    return inbox, controller, SmtpMailer(Settings(smtp_host="127.0.0.1", smtp_port=port))


def test_smtp_sends_again_on_a_new_connection_what_a_kept_one_refused_for_now() -> None:
    inbox, controller, mailer = limited_server(3, "421 4.7.0 too many mails on this connection")
    try:
        with connection_kept(mailer):
            send_numbered(mailer, 10)
    finally:
        controller.stop()
    assert len(inbox.received) == 10
    assert [inbox.peers.count(peer) for peer in dict.fromkeys(inbox.peers)] == [3, 3, 3, 1]


def test_smtp_does_not_send_again_what_a_kept_connection_refused_for_good() -> None:
    inbox, controller, mailer = limited_server(1, "550 5.7.1 sender not allowed")
    try:
        with connection_kept(mailer), pytest.raises(DeliveryError, match="550"):
            send_numbered(mailer, 2)
    finally:
        controller.stop()
    assert len(inbox.received) == 1
    assert len(inbox.senders) == 2  # the refused MAIL FROM was not tried again


def test_smtp_opens_a_new_connection_after_its_share_of_mails(
    smtp_server: tuple[Inbox, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    inbox, port = smtp_server
    monkeypatch.setattr(notify, "MAILS_A_CONNECTION", 2)
    mailer = SmtpMailer(Settings(smtp_host="127.0.0.1", smtp_port=port))
    with connection_kept(mailer):
        send_numbered(mailer, 5)
    assert [inbox.peers.count(peer) for peer in dict.fromkeys(inbox.peers)] == [2, 2, 1]


def test_smtp_counts_a_mail_sent_when_the_server_answers_quit_oddly(
    smtp_server: tuple[Inbox, int],
) -> None:
    inbox, port = smtp_server

    async def handle_QUIT(server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        return "421 shutting down"

    inbox.handle_QUIT = handle_QUIT  # type: ignore[attr-defined]
    # The server took the mail: sending it again (as a failure here would) sends it twice.
    assert SmtpMailer(Settings(smtp_host="127.0.0.1", smtp_port=port)).send(MESSAGE)
    assert len(inbox.received) == 1


def test_smtp_names_the_recipients_it_refused_while_taking_the_mail_for_others(
    smtp_server: tuple[Inbox, int],
) -> None:
    inbox, port = smtp_server

    async def handle_RCPT(  # noqa: N802
        server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        if address.startswith("pm@"):
            return "550 5.1.1 no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    inbox.handle_RCPT = handle_RCPT  # type: ignore[attr-defined]
    where = SmtpMailer(Settings(smtp_host="127.0.0.1", smtp_port=port)).send(MESSAGE)
    assert where == f"smtp://127.0.0.1:{port}"
    assert getattr(where, "refused", None) == ("pm@x.invalid (550 5.1.1 no such user)",)
    ((_, recipients, _),) = inbox.received
    assert recipients == ["team@x.invalid"]


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
    now = announce_with_letter("2013-12-02")
    assert delivery.deliver(now=now) == 1
    assert len(inbox.received) == 2  # the chief officer's mail and the team's
    assert len(set(inbox.peers)) == 1  # a delivery's mails share one connection
    to_body = [mail for mail in inbox.received if mail[1][0].startswith("chief-officer@")]
    parsed = email.message_from_bytes(to_body[0][2], policy=policy.default)
    assert (
        parsed["Subject"]
        == "Announcement of inspection: Inspection of Adult Offending Work of Durham Tees Valley"
    )
    assert isinstance(parsed, email.message.EmailMessage)
    assert [p.get_filename() for p in parsed.iter_attachments()] == [
        "announcement-letter-durham-tees-valley-en.html"
    ]


def test_outbox_is_the_default(sqlite_database: str, isolated_settings: Path) -> None:
    now = announce_with_letter("2013-12-02")
    assert delivery.deliver(now=now) == 1
    assert len(list((isolated_settings / "outbox").glob("*.eml"))) == 2  # body and team
