"""The inspected body hears of a milestone only once it has been told of what it presupposes."""

from __future__ import annotations

from datetime import date

from sqlmodel import select

from inspectorate.adapters.models import AuditEvent, Milestone
from inspectorate.domain import synthetic
from inspectorate.domain.body_mail import body_may_hear, told_from
from inspectorate.domain.lifecycle import Stage, Status
from inspectorate.services import context, stages
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
from tests.test_sweep import RecordingMailer, sweep

BODY_ADDRESS = "chief-officer@durham-tees-valley"


def to_body(mailer: RecordingMailer) -> list[str]:
    """The keys (day-inspection-milestone-kind) of the mails the body was sent."""
    return [m.key for m in mailer.sent if any(BODY_ADDRESS in to for to in m.to)]


def due_dates(inspection_id: int) -> dict[str, date]:
    with context.reading() as session:
        rows = session.exec(select(Milestone).where(Milestone.inspection_id == inspection_id))
        return {m.kind: m.due_on for m in rows}


def announce(inspection_id: int, on: str, why: str = "") -> None:
    context.run(
        stages.apply_stage,
        inspection_id=inspection_id,
        stage=Stage.ANNOUNCE,
        actor="programme-manager",
        now=morning(on, 17),
        why=why,
    )


def test_what_each_milestone_presupposes_follows_the_steps_it_is_planned_after() -> None:
    iaow = context.programmes()["iaow"]
    assert told_from(iaow, "fieldwork_start") is Status.ANNOUNCED
    assert told_from(iaow, "evaluation_questionnaire") is Status.FIELDWORK_COMPLETE
    assert told_from(iaow, "comments_due") is Status.DRAFT_SENT
    assert told_from(iaow, "action_plan_due") is Status.PUBLISHED
    assert not body_may_hear(iaow, "fieldwork_start", "planned")
    assert body_may_hear(iaow, "fieldwork_start", "sample_selected")
    assert not body_may_hear(iaow, "comments_due", "scored")
    assert body_may_hear(iaow, "comments_due", "draft_sent")
    assert not body_may_hear(iaow, "fieldwork_start", "cancelled")


def test_a_body_whose_announcement_is_held_is_not_told_the_inspectors_are_coming(
    database: str,
) -> None:
    inspection_id = schedule()  # fieldwork from Monday 10 February 2014, announced 2 December
    mailer = RecordingMailer()
    sweep("2014-02-03", mailer)  # the first sweep: a week's notice left, so the step is held
    assert status_of(inspection_id) == "planned"
    fieldwork = [m for m in mailer.sent if "-fieldwork_start-" in m.key]
    assert fieldwork and to_body(mailer) == []  # the team is reminded, the body hears nothing
    announce(inspection_id, "2014-02-04", why="the trust agreed to the short notice")
    sweep("2014-02-07", mailer)
    assert any("-fieldwork_start-lead_1-" in key for key in to_body(mailer))


def test_a_body_is_not_asked_for_comments_on_a_draft_it_has_not_been_sent(database: str) -> None:
    inspection_id = schedule()
    announce(inspection_id, "2013-12-02")
    record_synthetic_sample(
        inspection_id, body="Durham Tees Valley", size=1500, fieldwork="2014-02-10", on="2014-01-20"
    )
    mailer = RecordingMailer()
    cases = finish_fieldwork(inspection_id, "2014-02-14")
    judgements = synthetic.judgements(cases, framework_of(inspection_id), 0.7, 1)
    score_and_record(inspection_id, judgements, now=morning("2014-02-27", 14))
    for day in ("2014-03-07", "2014-03-14", "2014-03-20"):  # comments due 21 March: leads
        sweep(day, mailer)
    assert status_of(inspection_id) == "scored"  # the draft is held: nobody signed it off
    assert [key for key in to_body(mailer) if "comments_due" in key] == []
    signed_off(inspection_id, "draft", on="2014-03-20")
    sweep("2014-03-21", mailer)
    assert status_of(inspection_id) == "draft_sent"
    assert any("-draft_to_body-notice-" in key for key in to_body(mailer))
    # Sent two weeks after its day: the body still has its two weeks to comment, and the
    # publication and action plan follow the draft.
    due = due_dates(inspection_id)
    assert (due["comments_due"], due["publication"]) == (date(2014, 4, 4), date(2014, 5, 16))
    assert due["action_plan_due"] == date(2014, 8, 8)
    with context.reading() as session:
        moved = session.exec(
            select(AuditEvent).where(AuditEvent.action == "milestones_moved")
        ).one()
    assert moved.why.startswith("Draft report to the trust done on 21 March 2014, 14 days after")
    assert "trust's comments on the draft from 21 March 2014 to 4 April 2014" in moved.why
    sweep("2014-03-24", mailer)
    assert status_of(inspection_id) == "draft_sent"  # the window is open


def test_the_evaluation_questionnaire_waits_until_fieldwork_has_been_recorded(
    database: str,
) -> None:
    inspection_id = schedule()
    announce(inspection_id, "2013-12-02")
    record_synthetic_sample(
        inspection_id, body="Durham Tees Valley", size=1500, fieldwork="2014-02-10", on="2014-01-20"
    )
    mailer = RecordingMailer()
    sweep("2014-02-21", mailer)  # the questionnaire's day; the team has not recorded fieldwork
    assert [key for key in to_body(mailer) if "evaluation_questionnaire" in key] == []
    finish_fieldwork(inspection_id, "2014-02-24")
    sweep("2014-02-25", mailer)
    assert any("-evaluation_questionnaire-notice-" in key for key in to_body(mailer))
