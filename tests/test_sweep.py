"""The deadline sweep: advancing what is due and sending each reminder exactly once."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlmodel import Session, select

from inspectorate.adapters.models import AuditEvent, Milestone, Reminder
from inspectorate.adapters.notify import Message
from inspectorate.domain.errors import ConfigError, DeliveryError
from inspectorate.domain.lifecycle import Stage
from inspectorate.services import context, delivery, stages
from inspectorate.services import sweep as sweeping
from inspectorate.services.reminder_claims import insert_unless_present
from tests.factories import morning, schedule, status_of


class RecordingMailer:
    """Remembers every message; can be told to fail after a number of sends."""

    def __init__(self, fail_after: int | None = None) -> None:
        self.sent: list[Message] = []
        self.fail_after = fail_after

    def send(self, message: Message) -> str:
        if self.fail_after is not None and len(self.sent) >= self.fail_after:
            raise DeliveryError("the mail server went away")
        self.sent.append(message)
        return "memory"


def sweep(day: str, mailer: RecordingMailer) -> tuple[list[str], int, int]:
    now = morning(day)
    report = sweeping.advance(as_of=now.date(), now=now)
    claimed = sweeping.claim(as_of=now.date(), now=now)
    delivered = delivery.deliver(now=now, mailer=mailer)
    return report.advanced, claimed, delivered


def test_sweep_announces_on_the_due_day_and_not_before(database: str) -> None:
    inspection_id = schedule()
    mailer = RecordingMailer()
    assert sweep("2013-11-29", mailer)[0] == []
    assert status_of(inspection_id) == "planned"
    advanced, _, delivered = sweep("2013-12-02", mailer)
    assert advanced == [f"inspection {inspection_id} announcement"]
    assert status_of(inspection_id) == "announced"
    assert delivered == 1
    assert mailer.sent[0].subject.startswith("Announcement of inspection")
    assert "chief-officer@durham-tees-valley" in mailer.sent[0].to[0]


def test_sweeping_the_same_day_twice_sends_nothing_twice(database: str) -> None:
    schedule()
    mailer = RecordingMailer()
    first = sweep("2014-01-06", mailer)
    second = sweep("2014-01-06", mailer)
    assert first[1] == 1  # the sample-selection reminder (the notice is queued by the step)
    assert first[2] == 2  # the announcement notice and the sample-selection reminder
    assert second == ([], 0, 0)
    assert len({m.key for m in mailer.sent}) == len(mailer.sent)


def test_a_crash_after_half_the_reminders_is_finished_by_the_next_sweep(database: str) -> None:
    for body in ("Durham Tees Valley", "London", "Cumbria", "Wales"):
        schedule(body=body)
    crashing = RecordingMailer(fail_after=2)
    with pytest.raises(DeliveryError):
        sweep("2014-01-06", crashing)
    assert len(crashing.sent) == 2
    recovering = RecordingMailer()
    sweep("2014-01-06", recovering)
    sweep("2014-01-06", recovering)
    keys = [m.key for m in crashing.sent + recovering.sent]
    assert len(keys) == 8  # four announcement notices, four sample-selection reminders
    assert Counter(keys).most_common(1)[0][1] == 1
    with Session(context.engine()) as session:
        unsent = session.exec(select(Reminder).where(Reminder.sent_at == None)).all()  # noqa: E711
    assert unsent == []


def test_a_late_sweep_catches_up_in_order_and_sends_only_the_latest_reminder(
    database: str,
) -> None:
    inspection_id = schedule()
    mailer = RecordingMailer()
    advanced, _, _ = sweep("2014-01-17", mailer)  # six weeks of missed sweeps
    assert advanced == [f"inspection {inspection_id} announcement"]
    kinds = sorted((m.key.split("-")[-3], m.key.split("-")[-2]) for m in mailer.sent)
    assert ("sample_selection", "lead_1") in kinds
    assert ("sample_selection", "lead_10") not in kinds


def test_overdue_team_step_blocks_the_draft_and_escalates(database: str) -> None:
    inspection_id = schedule()
    for stage in (Stage.ANNOUNCE, Stage.SELECT_SAMPLE, Stage.RECORD_FIELDWORK):
        context.run(
            stages.apply_stage,
            inspection_id=inspection_id,
            stage=stage,
            actor="team",
            now=morning("2014-02-14", 17),
        )
    mailer = RecordingMailer()
    report = sweeping.advance(as_of=morning("2014-03-07").date(), now=morning("2014-03-07"))
    assert report.blocked == [
        f"inspection {inspection_id} draft_to_body (inspection is fieldwork_complete)"
    ]
    sweep("2014-03-10", mailer)
    escalations = [m for m in mailer.sent if m.subject.startswith("OVERDUE")]
    assert {m.subject.split(":")[1].split(" was")[0].strip() for m in escalations} == {
        "Scoring of the case assessments",
        "Draft report to the trust",
    }
    assert all("programme-manager@" in ", ".join(m.to) for m in escalations)
    context.run(
        stages.apply_stage,
        inspection_id=inspection_id,
        stage=Stage.SCORE,
        actor="team",
        now=morning("2014-03-10", 14),
    )
    advanced, _, _ = sweep("2014-03-11", mailer)
    assert advanced == [f"inspection {inspection_id} draft_to_body"]
    assert status_of(inspection_id) == "draft_sent"


def test_every_sent_reminder_is_in_the_audit_trail(database: str) -> None:
    schedule()
    mailer = RecordingMailer()
    sweep("2014-01-06", mailer)
    with Session(context.engine()) as session:
        sent = session.exec(select(AuditEvent).where(AuditEvent.entity == "reminder")).all()
    assert len(sent) == len(mailer.sent)
    assert all(event.to_state == "sent" for event in sent)


def test_cancelled_inspections_get_no_reminders(database: str) -> None:
    inspection_id = schedule()
    context.run(
        stages.apply_stage,
        inspection_id=inspection_id,
        stage=Stage.CANCEL,
        actor="pm",
        now=morning("2013-11-26"),
    )
    mailer = RecordingMailer()
    assert sweep("2014-01-06", mailer) == ([], 0, 0)


def test_next_wakeup_is_the_next_eventful_day(database: str) -> None:
    schedule()
    assert (
        sweeping.next_day_with_work(after=morning("2013-11-25").date())
        == morning("2013-12-02").date()
    )


@pytest.mark.parametrize("portable", [False, True], ids=["one-statement", "savepoint"])
def test_a_reminder_key_can_be_claimed_only_once(database: str, portable: bool) -> None:
    schedule()
    with Session(context.engine()) as session:
        milestone = session.exec(select(Milestone).where(Milestone.kind == "scoring")).one()
        values = {
            "milestone_id": milestone.id,
            "kind": "lead_5",
            "remind_on": milestone.due_on,
            "milestone_due_on": milestone.due_on,
            "recipients": "team@x.invalid",
            "created_at": morning("2014-02-21"),
        }
        assert insert_unless_present(session, values, portable=portable) is True
        assert insert_unless_present(session, values, portable=portable) is False
        session.commit()
        assert len(session.exec(select(Reminder)).all()) == 1


def test_sweeps_racing_on_the_same_day_send_each_message_once(database: str) -> None:
    from concurrent.futures import ThreadPoolExecutor

    for body in ("Durham Tees Valley", "London", "Cumbria", "Wales", "Kent", "Lancashire"):
        schedule(body=body)
    mailer = RecordingMailer()  # list.append is atomic under the GIL
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: sweep("2014-01-06", mailer), range(4)))
    keys = [m.key for m in mailer.sent]
    assert len(keys) == 12  # six announcement notices, six sample-selection reminders
    assert len(set(keys)) == len(keys)
    assert sum(len(advanced) for advanced, _, _ in results) == 6
    assert sum(claimed for _, claimed, _ in results) == 6


def test_a_milestone_missing_from_config_is_a_clear_error(
    database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    schedule()
    definitions = context.programmes()
    shrunk = definitions["iaow"].model_copy(
        update={
            "milestones": tuple(m for m in definitions["iaow"].milestones if m.kind != "scoring")
        }
    )
    monkeypatch.setattr(context, "programmes", lambda settings=None: {"iaow": shrunk})
    with pytest.raises(ConfigError, match="does not define it"):
        sweeping.claim(as_of=morning("2014-02-20").date(), now=morning("2014-02-20"))
