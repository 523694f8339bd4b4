"""The deadline sweep: advancing what is due and sending each reminder exactly once."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlmodel import Session, select

from inspectorate.adapters.mail import Message
from inspectorate.adapters.models import AuditEvent, Milestone, Reminder
from inspectorate.domain import synthetic
from inspectorate.domain.errors import ConfigError, DeliveryError
from inspectorate.domain.lifecycle import Stage
from inspectorate.services import context, delivery, rehearsal, stages
from inspectorate.services import sweep as sweeping
from inspectorate.services.reminder_claims import insert_unless_present
from tests.factories import (
    finish_fieldwork,
    framework_of,
    morning,
    record_synthetic_sample,
    schedule,
    score_and_record,
    signed_off,
    status_of,
)


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
    """One morning as the sweep flow runs it: advance, write owed documents, claim, deliver."""
    now = morning(day)
    report = sweeping.advance(as_of=now.date(), now=now)
    rehearsal.write_owed_documents(now)
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
    sweep("2013-12-02", mailer)
    first = sweep("2014-01-06", mailer)
    second = sweep("2014-01-06", mailer)
    assert first == ([], 1, 1)  # the sample-selection reminder
    assert second == ([], 0, 0)
    assert len({m.key for m in mailer.sent}) == len(mailer.sent)


# One IAOW team (team_capacity 1), so six trusts take six consecutive weeks of fieldwork.
TRUSTS_WEEKLY = (
    ("Durham Tees Valley", "2014-02-10"),
    ("London", "2014-02-17"),
    ("Cumbria", "2014-02-24"),
    ("Wales", "2014-03-03"),
    ("Kent", "2014-03-10"),
    ("Lancashire", "2014-03-17"),
)


def schedule_weekly(count: int) -> list[int]:
    """Schedule `count` trusts in consecutive fieldwork weeks; return their ids."""
    return [schedule(body=body, fieldwork_start=start) for body, start in TRUSTS_WEEKLY[:count]]


def test_a_crash_after_half_the_reminders_is_finished_by_the_next_sweep(database: str) -> None:
    schedule_weekly(4)
    for day in ("2013-12-02", "2013-12-09", "2013-12-16", "2013-12-23"):
        sweep(day, RecordingMailer())
    crashing = RecordingMailer(fail_after=2)
    with pytest.raises(DeliveryError):
        sweep("2014-01-27", crashing)
    assert len(crashing.sent) == 2
    recovering = RecordingMailer()
    sweep("2014-01-27", recovering)
    sweep("2014-01-27", recovering)
    keys = [m.key for m in crashing.sent + recovering.sent]
    # an escalation, three lead reminders, one of them to the trust and the team: each once
    assert len(keys) == 5
    assert Counter(keys).most_common(1)[0][1] == 1
    with Session(context.engine()) as session:
        unsent = session.exec(select(Reminder).where(Reminder.sent_at == None)).all()  # noqa: E711
    assert unsent == []


def test_a_late_sweep_holds_the_announcement_and_sends_only_the_latest_reminder(
    database: str,
) -> None:
    inspection_id = schedule()
    mailer = RecordingMailer()
    advanced, _, _ = sweep("2014-01-17", mailer)  # six weeks of missed sweeps
    assert advanced == []  # announcing now would shorten the notice: held for the manager
    assert status_of(inspection_id) == "planned"
    held = [m for m in mailer.sent if m.key.split("-")[-2] == "late_announcement"]
    assert len(held) == 1 and "programme-manager@" in ", ".join(held[0].to)
    kinds = sorted((m.key.split("-")[-3], m.key.split("-")[-2]) for m in mailer.sent)
    assert ("sample_selection", "lead_1") in kinds
    assert ("sample_selection", "lead_10") not in kinds
    assert sweep("2014-01-20", mailer)[2] == 0  # the manager is told once, not every day


def test_overdue_team_step_blocks_the_draft_and_escalates(database: str) -> None:
    inspection_id = schedule()
    context.run(
        stages.apply_stage,
        inspection_id=inspection_id,
        stage=Stage.ANNOUNCE,
        actor="team",
        now=morning("2013-12-02", 17),
    )
    record_synthetic_sample(
        inspection_id, body="Durham Tees Valley", size=1500, fieldwork="2014-02-10", on="2014-01-20"
    )
    cases = finish_fieldwork(inspection_id, "2014-02-14")
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
    judgements = synthetic.judgements(cases, framework_of(inspection_id), 0.7, 1)
    score_and_record(inspection_id, judgements, now=morning("2014-03-10", 14))
    assert sweep("2014-03-11", mailer)[0] == []  # scored, but nobody has signed the draft off
    assert status_of(inspection_id) == "scored"
    signed_off(inspection_id, "draft", on="2014-03-11")
    advanced, _, _ = sweep("2014-03-12", mailer)
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

    schedule_weekly(6)
    mailer = RecordingMailer()  # list.append is atomic under the GIL
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: sweep("2014-01-06", mailer), range(4)))
    keys = [m.key for m in mailer.sent]
    assert len(set(keys)) == len(keys)
    # Lancashire is announced on its due day; the five whose day has passed are held and
    # the programme manager is told of each once.
    assert sum(len(advanced) for advanced, _, _ in results) == 1
    kinds = Counter(k.split("-")[-2] for k in keys)
    assert kinds["notice"] == 2  # to the trust and to the team
    assert kinds["late_announcement"] == 5
    assert kinds["escalation"] == 5


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
