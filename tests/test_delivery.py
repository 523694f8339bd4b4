"""Delivery: notices wait for their documents, each reader's mail goes once, past days withheld."""

from __future__ import annotations

import datetime as dt
import email
from email import policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from sqlalchemy import delete, update
from sqlmodel import Session, col, select

from inspectorate.adapters.mail import Message
from inspectorate.adapters.models import AuditEvent, Inspection, Reminder
from inspectorate.adapters.notify import Handed
from inspectorate.adapters.settings import get_settings
from inspectorate.domain.documents import DocumentKind
from inspectorate.domain.errors import DeliveryError
from inspectorate.domain.lifecycle import Stage
from inspectorate.domain.programmes import Role
from inspectorate.services import context, delivery, documents, stages
from tests.factories import morning, schedule
from tests.test_messages import remind, store

BOTH = (Role.BODY, Role.TEAM)


class RecordingMailer:
    """Remembers every message; can be told to fail on given sends (counted from 1).

    `overwrites` says it stands for the outbox (a mail sent again overwrites its copy), whose
    reminders delivery sends in runs recorded together; otherwise one at a time, as SMTP.
    """

    def __init__(self, fail_on: tuple[int, ...] = (), *, overwrites: bool = False) -> None:
        self.sent: list[Message] = []
        self.calls = 0
        self.fail_on = fail_on
        self.overwrites = overwrites

    def send(self, message: Message) -> str:
        self.calls += 1
        if self.calls in self.fail_on:
            raise DeliveryError("the mail server went away")
        self.sent.append(message)
        return f"memory/{message.key}"


def outbox(folder: Path) -> dict[str, EmailMessage]:
    """Every .eml in the outbox, parsed, by file name."""
    found = {}
    for path in sorted(folder.glob("*.eml")):
        parsed = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        found[path.name] = parsed
    return found


def reminder_row(reminder_id: int) -> Reminder:
    with Session(context.engine()) as session:
        row = session.get(Reminder, reminder_id)
        assert row is not None
        return row


def test_the_announcement_waits_for_its_letter_then_carries_the_pdf(
    sqlite_database: str, isolated_settings: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INSPECTORATE_REPORT_FORMATS", "html,pdf")
    get_settings.cache_clear()
    inspection_id = schedule()
    now = morning("2013-12-02")
    context.run(
        stages.apply_stage, inspection_id=inspection_id, stage=Stage.ANNOUNCE, actor="t", now=now
    )
    report = delivery.deliver_all(now=now)
    assert (report.delivered, report.waiting) == (0, 1)  # the letter is not written yet
    assert outbox(isolated_settings / "outbox") == {}
    context.run(
        documents.write_stage_documents,
        inspection_id=inspection_id,
        stage=Stage.ANNOUNCE,
        now=now,
        actor="t",
    )
    assert delivery.deliver(now=morning("2013-12-03")) == 1
    mails = outbox(isolated_settings / "outbox")
    assert len(mails) == 2  # the chief officer's and the team's, each in its own words
    body = next(m for m in mails.values() if "chief-officer@" in m["To"])
    team = next(m for m in mails.values() if m["To"] == "inspection-team@inspectorate.invalid")
    for mail in (body, team):
        (letter,) = list(mail.iter_attachments())
        assert letter.get_filename() == "announcement-letter-durham-tees-valley-en.pdf"
        assert letter.get_content_type() == "application/pdf"
        assert letter.get_content().startswith(b"%PDF")
    text = body.get_body(preferencelist=("plain",))
    assert text is not None and "10 February 2014 to 14 February 2014" in text.get_content()
    assert delivery.deliver(now=morning("2013-12-04")) == 0  # sent once


def test_the_draft_notice_in_the_outbox_carries_the_draft_and_the_deadline(
    sqlite_database: str, isolated_settings: Path
) -> None:
    inspection_id = schedule()
    reminder = remind(inspection_id, "draft_to_body", "notice", BOTH, "2014-03-07")
    assert delivery.deliver_all(now=morning("2014-03-07")).waiting == 1
    assert reminder_row(reminder).sent_at is None and reminder_row(reminder).lease_until is None
    draft = store(inspection_id, DocumentKind.DRAFT)
    assert delivery.deliver(now=morning("2014-03-10")) == 1
    mails = outbox(isolated_settings / "outbox")
    body = next(m for m in mails.values() if "chief-officer@" in m["To"])
    assert "comments due by 21 March 2014" in body["Subject"]
    (attachment,) = list(body.iter_attachments())
    assert attachment.get_content() == draft
    assert attachment.get_filename() == "draft-report-durham-tees-valley-en.pdf"
    location = reminder_row(reminder).message_path or ""
    assert location.startswith("body=") and "; staff=" in location


def test_a_failure_between_two_readers_mails_never_sends_the_first_again(
    database: str,
) -> None:
    inspection_id = schedule()
    remind(inspection_id, "fieldwork_start", "lead_5", BOTH, "2014-02-03")
    failing = RecordingMailer(fail_on=(2,))
    with pytest.raises(DeliveryError):
        delivery.deliver(now=morning("2014-02-03"), mailer=failing)
    assert [m.to for m in failing.sent] == [
        ("chief-officer@durham-tees-valley.trust.bodies.invalid",)
    ]
    retrying = RecordingMailer()
    assert delivery.deliver(now=morning("2014-02-03"), mailer=retrying) == 1
    assert [m.to for m in retrying.sent] == [("inspection-team@inspectorate.invalid",)]
    assert delivery.deliver(now=morning("2014-02-04"), mailer=retrying) == 0
    with Session(context.engine()) as session:
        (sent,) = session.exec(select(AuditEvent).where(AuditEvent.action == "sent")).all()
    assert "body: chief-officer@" in sent.why and "staff: inspection-team@" in sent.why


def test_a_failure_between_two_readers_outbox_mails_writes_both_again_as_one_copy_each(
    database: str,
) -> None:
    inspection_id = schedule()
    reminder = remind(inspection_id, "fieldwork_start", "lead_5", BOTH, "2014-02-03")
    failing = RecordingMailer(fail_on=(2,), overwrites=True)
    with pytest.raises(DeliveryError):
        delivery.deliver(now=morning("2014-02-03"), mailer=failing)
    assert reminder_row(reminder).message_path is None  # no progress kept: it overwrites
    retrying = RecordingMailer(overwrites=True)
    assert delivery.deliver(now=morning("2014-02-03"), mailer=retrying) == 1
    assert [m.key for m in retrying.sent][:1] == [m.key for m in failing.sent]  # same file
    assert len(retrying.sent) == 2 and sent_audits() == [reminder]


def test_recipients_the_mail_server_refused_are_named_in_the_audit_trail(database: str) -> None:
    class PartlyRefusing(RecordingMailer):
        def send(self, message: Message) -> str:
            super().send(message)
            if message.to[0].startswith("inspection-team@"):
                return Handed("smtp://relay:25", {message.to[0]: (550, b"5.1.1 no such user")})
            return Handed("smtp://relay:25", {})

    inspection_id = schedule()
    remind(inspection_id, "fieldwork_start", "lead_5", BOTH, "2014-02-03")
    assert delivery.deliver(now=morning("2014-02-03"), mailer=PartlyRefusing()) == 1
    with Session(context.engine()) as session:
        (sent,) = session.exec(select(AuditEvent).where(AuditEvent.action == "sent")).all()
    assert sent.why.endswith(
        "; refused by the mail server: "
        "inspection-team@inspectorate.invalid (550 5.1.1 no such user)"
    )


def test_reminders_for_past_days_are_withheld_and_never_sent(database: str) -> None:
    inspection_id = schedule()
    past = remind(inspection_id, "sample_selection", "lead_10", (Role.TEAM,), "2014-01-06")
    today = remind(inspection_id, "sample_selection", "lead_5", (Role.TEAM,), "2014-01-13")
    mailer = RecordingMailer()
    now = morning("2014-01-13")
    report = delivery.deliver_all(now=now, mailer=mailer, withhold_before=now.date())
    assert (report.delivered, report.withheld) == (1, 1)
    assert [m.key.split("-")[-2] for m in mailer.sent] == ["lead_5"]
    assert reminder_row(past).withheld_at is not None and reminder_row(past).sent_at is None
    assert reminder_row(today).sent_at is not None
    assert delivery.deliver(now=morning("2014-01-14"), mailer=mailer) == 0  # never later
    assert len(mailer.sent) == 1
    with Session(context.engine()) as session:
        (withheld,) = session.exec(select(AuditEvent).where(AuditEvent.action == "withheld")).all()
    assert (withheld.entity_id, withheld.to_state) == (past, "withheld")
    assert "2014-01-06, a day already past" in withheld.why


def test_without_a_withholding_day_past_reminders_are_sent(sqlite_database: str) -> None:
    inspection_id = schedule()
    remind(inspection_id, "sample_selection", "lead_10", (Role.TEAM,), "2014-01-06")
    report = delivery.deliver_all(now=morning("2014-01-13"), mailer=RecordingMailer())
    assert (report.delivered, report.withheld) == (1, 0)


def test_a_late_announcement_is_never_withheld(sqlite_database: str) -> None:
    inspection_id = schedule()  # announcement due 2 December 2013
    remind(inspection_id, "announcement", "late_announcement", (Role.MANAGER,), "2013-12-02")
    mailer = RecordingMailer()
    now = morning("2013-12-09")
    report = delivery.deliver_all(now=now, mailer=mailer, withhold_before=now.date())
    assert (report.delivered, report.withheld) == (1, 0)
    assert mailer.sent[0].subject.startswith("Announcement held")


@pytest.mark.parametrize("overwrites", [False, True], ids=["one-at-a-time", "in-runs"])
def test_a_failed_send_frees_every_reminder_of_its_batch_for_the_next_delivery(
    database: str, overwrites: bool
) -> None:
    inspection_id = schedule()
    kinds = ("lead_10", "lead_5", "lead_1")
    ids = [remind(inspection_id, "fieldwork_start", k, (Role.TEAM,), "2014-02-03") for k in kinds]
    with pytest.raises(DeliveryError):
        delivery.deliver(
            now=morning("2014-02-03"), mailer=RecordingMailer(fail_on=(2,), overwrites=overwrites)
        )
    assert [reminder_row(i).lease_until is None for i in ids] == [True, True, True]
    assert reminder_row(ids[0]).sent_at is not None
    retrying = RecordingMailer(overwrites=overwrites)
    assert delivery.deliver(now=morning("2014-02-03"), mailer=retrying) == 2  # not in 10 minutes
    assert [m.key.split("-")[-2] for m in retrying.sent] == ["lead_5", "lead_1"]


@pytest.mark.parametrize("overwrites", [False, True], ids=["one-at-a-time", "in-runs"])
def test_a_reminder_another_delivery_holds_is_left_to_it(
    database: str, monkeypatch: pytest.MonkeyPatch, overwrites: bool
) -> None:
    inspection_id = schedule()
    kinds = ("lead_10", "lead_5", "lead_1")
    ids = [remind(inspection_id, "fieldwork_start", k, (Role.TEAM,), "2014-02-03") for k in kinds]
    held = delivery._take_leases(context.engine(), after=ids[0], limit=1)  # another sweep's
    assert held is not None and held[0] == [ids[1]]
    monkeypatch.setattr(delivery, "LEASE_BATCH", 1)  # a batch each: the held one is passed over
    mailer = RecordingMailer(overwrites=overwrites)
    assert delivery.deliver(now=morning("2014-02-03"), mailer=mailer) == 2
    assert [m.key.split("-")[-2] for m in mailer.sent] == ["lead_10", "lead_1"]
    assert reminder_row(ids[1]).sent_at is None and reminder_row(ids[1]).lease_until is not None


@pytest.mark.parametrize("overwrites", [False, True], ids=["one-at-a-time", "in-runs"])
def test_a_reminder_withdrawn_between_its_lease_and_its_sending_is_skipped(
    database: str, monkeypatch: pytest.MonkeyPatch, overwrites: bool
) -> None:
    inspection_id = schedule()
    kinds = ("lead_10", "lead_5")
    ids = [remind(inspection_id, "fieldwork_start", k, (Role.TEAM,), "2014-02-03") for k in kinds]
    read_rows = delivery.load_mail_rows

    def rescheduled_meanwhile(session: Session, reminder_ids: list[int]) -> object:
        with context.unit_of_work() as writing:  # as rescheduling withdraws unsent reminders
            writing.execute(delete(Reminder).where(col(Reminder.id) == ids[0]))
        return read_rows(session, reminder_ids)

    monkeypatch.setattr(delivery, "load_mail_rows", rescheduled_meanwhile)
    mailer = RecordingMailer(overwrites=overwrites)
    assert delivery.deliver(now=morning("2014-02-03"), mailer=mailer) == 1
    assert [m.key.split("-")[-2] for m in mailer.sent] == ["lead_5"]


class SlowClock:
    """The wall clock and the monotonic clock, moved on by hand."""

    def __init__(self) -> None:
        self.wall = dt.datetime.now(dt.UTC)
        self.seconds = 0.0

    def wait(self, minutes: float) -> None:
        self.wall += dt.timedelta(minutes=minutes)
        self.seconds += minutes * 60

    def monotonic(self) -> float:
        return self.seconds


@pytest.mark.parametrize("overwrites", [False, True], ids=["one-at-a-time", "in-runs"])
def test_a_sweep_whose_mail_server_stalls_past_its_lease_sends_nothing_twice(
    database: str, monkeypatch: pytest.MonkeyPatch, overwrites: bool
) -> None:
    inspection_id = schedule()
    kinds = ("lead_10", "lead_5", "lead_1")
    for kind in kinds:
        remind(inspection_id, "fieldwork_start", kind, (Role.TEAM,), "2014-02-03")
    clock = SlowClock()
    monkeypatch.setattr(delivery, "_wall_clock", lambda: clock.wall)
    monkeypatch.setattr(delivery, "time", clock)
    second = RecordingMailer(overwrites=overwrites)

    class StallingMailer(RecordingMailer):
        def send(self, message: Message) -> str:
            if not self.sent:  # eleven minutes on the first mail; meanwhile the next sweep
                clock.wait(11)
                delivery.deliver(now=morning("2014-02-03"), mailer=second)
            return super().send(message)

    first = StallingMailer(overwrites=overwrites)
    delivery.deliver(now=morning("2014-02-03"), mailer=first)
    sent = [m.key.split("-")[-2] for m in first.sent + second.sent]
    # Only the mail in hand when the lease ran out can go twice (documented); the rest of the
    # first sweep's batch is the second sweep's alone.
    assert sorted(sent) == ["lead_1", "lead_10", "lead_10", "lead_5"]


def test_a_batch_older_than_its_time_goes_back_to_be_read_afresh(
    database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    inspection_id = schedule()
    ids = [
        remind(inspection_id, "fieldwork_start", kind, (Role.TEAM,), "2014-02-03")
        for kind in ("lead_10", "lead_5", "lead_1")
    ]
    clock = SlowClock()
    monkeypatch.setattr(delivery, "time", clock)

    class SlowMailer(RecordingMailer):
        def send(self, message: Message) -> str:
            clock.wait(2)  # two minutes a mail: each batch is used for one, then read again
            return super().send(message)

    reads: list[list[int]] = []
    read_rows = delivery.load_mail_rows

    def counted(session: Session, reminder_ids: list[int]) -> object:
        reads.append(list(reminder_ids))
        return read_rows(session, reminder_ids)

    monkeypatch.setattr(delivery, "load_mail_rows", counted)
    mailer = SlowMailer()
    assert delivery.deliver(now=morning("2014-02-03"), mailer=mailer) == 3
    assert reads == [ids, ids[1:], ids[2:]]
    assert all(reminder_row(i).lease_until is None for i in ids)


@pytest.mark.parametrize("overwrites", [False, True], ids=["one-at-a-time", "in-runs"])
def test_a_batch_another_sweep_took_entirely_does_not_end_delivery(
    database: str, monkeypatch: pytest.MonkeyPatch, overwrites: bool
) -> None:
    inspection_id = schedule()
    kinds = ("lead_10", "lead_5", "lead_1")
    ids = [remind(inspection_id, "fieldwork_start", k, (Role.TEAM,), "2014-02-03") for k in kinds]
    held = delivery._take_leases(context.engine(), after=0, limit=2)  # another sweep's
    assert held is not None and held[0] == ids[:2]
    monkeypatch.setattr(delivery, "LEASE_BATCH", 2)  # the first batch looked at is all held
    mailer = RecordingMailer(overwrites=overwrites)
    assert delivery.deliver(now=morning("2014-02-03"), mailer=mailer) == 1
    assert [m.key.split("-")[-2] for m in mailer.sent] == ["lead_1"]


def test_a_lease_is_released_only_by_its_holder(database: str) -> None:
    inspection_id = schedule()
    reminder = remind(inspection_id, "fieldwork_start", "lead_5", (Role.TEAM,), "2014-02-03")
    taken = delivery._take_leases(context.engine(), after=0, limit=1)
    assert taken is not None
    ids, mine, _last = taken
    theirs = mine + dt.timedelta(minutes=20)  # it expired, and another sweep leased it since
    with context.unit_of_work() as session:
        session.execute(
            update(Reminder).where(col(Reminder.id) == reminder).values(lease_until=theirs)
        )
    delivery._release_leases(context.engine(), ids, mine)
    assert reminder_row(reminder).lease_until is not None  # still theirs


def touch_inspection(inspection_id: int) -> None:
    """Change the inspection, as a reschedule would (its updated_at moves on)."""
    with context.unit_of_work() as writing:
        inspection = writing.get(Inspection, inspection_id)
        assert inspection is not None
        inspection.updated_at = inspection.updated_at + dt.timedelta(seconds=1)
        writing.add(inspection)


@pytest.mark.parametrize(
    ("overwrites", "expected_reads"),
    # The batch, then each again just before its sending: alone, or the run together.
    [(False, [[0, 1], [0], [1]]), (True, [[0, 1], [0, 1]])],
    ids=["one-at-a-time", "in-runs"],
)
def test_a_reminder_whose_inspection_changed_after_its_batch_was_read_is_read_again(
    database: str,
    monkeypatch: pytest.MonkeyPatch,
    overwrites: bool,
    expected_reads: list[list[int]],
) -> None:
    inspection_id = schedule()
    ids = [
        remind(inspection_id, "fieldwork_start", kind, (Role.TEAM,), "2014-02-03")
        for kind in ("lead_10", "lead_5")
    ]
    reads: list[list[int]] = []
    read_rows = delivery.load_mail_rows

    def rescheduled_after_reading(session: Session, reminder_ids: list[int]) -> object:
        rows = read_rows(session, reminder_ids)
        if not reads:  # the inspection changes once the batch is read
            touch_inspection(inspection_id)
        reads.append(list(reminder_ids))
        return rows

    monkeypatch.setattr(delivery, "load_mail_rows", rescheduled_after_reading)
    mailer = RecordingMailer(overwrites=overwrites)
    assert delivery.deliver(now=morning("2014-02-03"), mailer=mailer) == 2
    assert reads == [[ids[i] for i in read] for read in expected_reads]


def test_the_outbox_is_sent_in_runs_whose_record_is_one_transaction(
    sqlite_database: str, isolated_settings: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inspection_id = schedule()
    kinds = ("lead_10", "lead_5", "lead_1")
    ids = [remind(inspection_id, "fieldwork_start", k, (Role.TEAM,), "2014-02-03") for k in kinds]
    recorded: list[list[int]] = []
    record = delivery.Sending._record_sent

    def counted(sending: delivery.Sending, sent: list[delivery.Sent], lease: dt.datetime) -> int:
        recorded.append([s.reminder_id for s in sent])
        return record(sending, sent, lease)

    monkeypatch.setattr(delivery.Sending, "_record_sent", counted)
    assert delivery.deliver(now=morning("2014-02-03")) == 3  # the configured outbox
    assert recorded == [ids]
    assert len(outbox(isolated_settings / "outbox")) == 3
    assert all(reminder_row(i).sent_at is not None for i in ids)
    with Session(context.engine()) as session:
        audited = session.exec(select(AuditEvent).where(AuditEvent.action == "sent")).all()
    assert sorted(event.entity_id for event in audited) == ids
    assert sorted(event.why for event in audited) == [
        f"{kind} for fieldwork_start to staff: inspection-team@inspectorate.invalid"
        for kind in ("lead_1", "lead_10", "lead_5")
    ]


def test_a_crash_before_an_outbox_run_is_recorded_writes_its_files_again_never_twice(
    sqlite_database: str, isolated_settings: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inspection_id = schedule()
    kinds = ("lead_10", "lead_5", "lead_1")
    ids = [remind(inspection_id, "fieldwork_start", k, (Role.TEAM,), "2014-02-03") for k in kinds]
    record = delivery.Sending._record_sent

    def crashing(sending: delivery.Sending, sent: list[delivery.Sent], lease: dt.datetime) -> int:
        raise OSError("disk I/O error")  # the record is not written: the files are

    monkeypatch.setattr(delivery.Sending, "_record_sent", crashing)
    with pytest.raises(OSError):
        delivery.deliver(now=morning("2014-02-03"))
    written = outbox(isolated_settings / "outbox")
    assert len(written) == 3 and all(reminder_row(i).sent_at is None for i in ids)
    monkeypatch.setattr(delivery.Sending, "_record_sent", record)
    assert delivery.deliver(now=morning("2014-02-03")) == 3  # the leases went back
    assert outbox(isolated_settings / "outbox").keys() == written.keys()  # overwritten
    with Session(context.engine()) as session:
        audited = session.exec(select(AuditEvent).where(AuditEvent.action == "sent")).all()
    assert sorted(event.entity_id for event in audited) == ids  # each once


def test_an_outbox_run_that_fails_part_way_records_the_mails_written_before(
    database: str,
) -> None:
    inspection_id = schedule()
    kinds = ("lead_10", "lead_5", "lead_1")
    ids = [remind(inspection_id, "fieldwork_start", k, (Role.TEAM,), "2014-02-03") for k in kinds]
    failing = RecordingMailer(fail_on=(3,), overwrites=True)
    with pytest.raises(DeliveryError):
        delivery.deliver(now=morning("2014-02-03"), mailer=failing)
    assert [reminder_row(i).sent_at is not None for i in ids] == [True, True, False]
    assert all(reminder_row(i).lease_until is None for i in ids)
    retrying = RecordingMailer(overwrites=True)
    assert delivery.deliver(now=morning("2014-02-03"), mailer=retrying) == 1
    assert [m.key.split("-")[-2] for m in retrying.sent] == ["lead_1"]


def sent_audits() -> list[int]:
    """The reminders the audit trail says were sent, one entry an event."""
    with Session(context.engine()) as session:
        events = session.exec(select(AuditEvent).where(AuditEvent.action == "sent")).all()
    return sorted(event.entity_id for event in events)


@pytest.mark.parametrize("overwrites", [False, True], ids=["one-at-a-time", "in-runs"])
def test_a_reminder_withdrawn_while_others_go_is_not_sent(database: str, overwrites: bool) -> None:
    inspection_id = schedule()
    kinds = ("lead_10", "lead_5", "lead_1")
    ids = [remind(inspection_id, "fieldwork_start", k, (Role.TEAM,), "2014-02-03") for k in kinds]

    class ReschedulingMailer(RecordingMailer):
        def send(self, message: Message) -> str:
            if not self.sent:  # a reschedule withdraws the second while the first goes
                with context.unit_of_work() as writing:
                    writing.execute(delete(Reminder).where(col(Reminder.id) == ids[1]))
            return super().send(message)

    mailer = ReschedulingMailer(overwrites=overwrites)
    assert delivery.deliver(now=morning("2014-02-03"), mailer=mailer) == 2
    assert [m.key.split("-")[-2] for m in mailer.sent] == ["lead_10", "lead_1"]
    assert sent_audits() == [ids[0], ids[2]]


@pytest.mark.parametrize("overwrites", [False, True], ids=["one-at-a-time", "in-runs"])
def test_mails_another_sweep_sent_after_a_stalled_runs_lease_ran_out_are_audited_as_sent(
    database: str, monkeypatch: pytest.MonkeyPatch, overwrites: bool
) -> None:
    inspection_id = schedule()
    kinds = ("lead_10", "lead_5", "lead_1")
    ids = [remind(inspection_id, "fieldwork_start", k, (Role.TEAM,), "2014-02-03") for k in kinds]
    clock = SlowClock()
    monkeypatch.setattr(delivery, "_wall_clock", lambda: clock.wall)
    monkeypatch.setattr(delivery, "time", clock)
    second = RecordingMailer(overwrites=overwrites)

    class StallingMailer(RecordingMailer):
        def send(self, message: Message) -> str:
            if len(self.sent) == 1:  # the second mail stalls past the lease; the next sweep runs
                clock.wait(11)
                delivery.deliver(now=morning("2014-02-03"), mailer=second)
            return super().send(message)

    delivery.deliver(now=morning("2014-02-03"), mailer=StallingMailer(overwrites=overwrites))
    assert all(reminder_row(i).sent_at is not None for i in ids)
    if overwrites:  # the outbox wrote lead_10 and lead_5 again: one copy each, audited once
        assert sent_audits() == ids
    else:  # through SMTP the mail in hand went twice (documented): the trail says so
        assert sent_audits() == [ids[0], ids[1], ids[1], ids[2]]
        with Session(context.engine()) as session:
            whys = session.exec(select(AuditEvent.why).where(AuditEvent.entity_id == ids[1])).all()
        assert sum(why.endswith("(sent again: its lease ran out as it went)") for why in whys) == 1


def test_a_mail_whose_reminder_was_withdrawn_as_it_went_is_audited_as_sent(
    database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    inspection_id = schedule()
    ids = [remind(inspection_id, "fieldwork_start", "lead_5", (Role.TEAM,), "2014-02-03")]

    class WithdrawnAsItGoes(RecordingMailer):
        def send(self, message: Message) -> str:
            with context.unit_of_work() as writing:  # after its last check, before its record
                writing.execute(delete(Reminder).where(col(Reminder.id) == ids[0]))
            return super().send(message)

    mailer = WithdrawnAsItGoes(overwrites=True)
    assert delivery.deliver(now=morning("2014-02-03"), mailer=mailer) == 0  # nothing to mark
    assert len(mailer.sent) == 1 and sent_audits() == ids  # but the trail says it went
    with Session(context.engine()) as session:
        (event,) = session.exec(select(AuditEvent).where(AuditEvent.action == "sent")).all()
    assert event.why.endswith("(withdrawn as it went)")


def test_a_reminder_whose_inspection_changed_while_its_run_went_is_read_again(
    database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    inspection_id = schedule()
    ids = [
        remind(inspection_id, "fieldwork_start", kind, (Role.TEAM,), "2014-02-03")
        for kind in ("lead_10", "lead_5")
    ]
    reads: list[list[int]] = []
    read_rows = delivery.load_mail_rows

    def counted(session: Session, reminder_ids: list[int]) -> object:
        reads.append(list(reminder_ids))
        return read_rows(session, reminder_ids)

    class ChangingMailer(RecordingMailer):
        def send(self, message: Message) -> str:
            if not self.sent:  # the inspection changes while the run's first mail goes
                touch_inspection(inspection_id)
            return super().send(message)

    monkeypatch.setattr(delivery, "load_mail_rows", counted)
    assert delivery.deliver(now=morning("2014-02-03"), mailer=ChangingMailer(overwrites=True)) == 2
    assert reads == [ids, [ids[1]]]  # the second read again just before it went
