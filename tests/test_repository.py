"""The record: scheduling, legal steps in the database, the audit trail."""

from __future__ import annotations

import pendulum
import pytest
from sqlmodel import Session, select

from inspectorate.adapters.models import AuditEvent, Inspection, Milestone
from inspectorate.adapters.repository import record_audit, transition_inspection
from inspectorate.domain.errors import (
    InvalidTransition,
    NoticeTooShort,
    UnknownBody,
    UnknownInspection,
)
from inspectorate.domain.lifecycle import TRANSITIONS, Stage, Status, status_after
from inspectorate.domain.sign_off import SIGN_OFFS
from inspectorate.services import context, stages
from tests.factories import morning, schedule, signed_off, status_of


def _forcestatus_of(inspection_id: int, status: Status) -> None:
    with Session(context.engine()) as session:
        inspection = session.get(Inspection, inspection_id)
        assert inspection is not None
        inspection.status = status.value
        session.add(inspection)
        session.commit()


def test_schedule_plans_every_milestone_and_audits(database: str) -> None:
    inspection_id = schedule()
    with Session(context.engine()) as session:
        kinds = {m.kind: m.due_on for m in session.exec(select(Milestone)).all()}
        audit = session.exec(select(AuditEvent).where(AuditEvent.entity == "inspection")).all()
    assert kinds["announcement"] == pendulum.date(2013, 12, 2)
    assert len(kinds) == 10
    assert [(a.action, a.to_state) for a in audit] == [("schedule", "planned")]
    assert status_of(inspection_id) == "planned"


def test_scheduling_twice_returns_the_same_inspection(database: str) -> None:
    assert schedule() == schedule()
    with Session(context.engine()) as session:
        assert len(session.exec(select(Inspection)).all()) == 1


def test_schedule_refuses_to_shorten_notice(database: str) -> None:
    with pytest.raises(NoticeTooShort, match="earliest Monday with full notice is 2014-02-10"):
        schedule(fieldwork_start="2014-02-03", on="2013-11-27")
    with Session(context.engine()) as session:
        assert session.exec(select(Inspection)).all() == []


def test_schedule_suggests_close_body_names(database: str) -> None:
    with pytest.raises(UnknownBody, match="did you mean 'Durham Tees Valley'"):
        schedule(body="Durham Tees")


def test_bodies_are_matched_by_programme_kind(database: str) -> None:
    with pytest.raises(UnknownBody, match="no area called 'Durham Tees Valley'"):
        schedule(programme="esi")
    # Areas existed until March 2010 (config/bodies): ESI fieldwork in its own years.
    assert schedule("county durham", "esi", fieldwork_start="2004-02-09", on="2003-11-24") > 0


@pytest.mark.parametrize(
    ("pair", "expected"),
    sorted(TRANSITIONS.items()),
    ids=[f"{s}-{t}" for (s, t) in sorted(TRANSITIONS)],
)
def test_every_legal_step_is_stored_and_audited(
    sqlite_database: str, pair: tuple[Status, Stage], expected: Status
) -> None:
    inspection_id = schedule()
    status, stage = pair
    _forcestatus_of(inspection_id, status)
    if stage in SIGN_OFFS:  # the draft and the publication wait for a named person
        signed_off(inspection_id, SIGN_OFFS[stage].name, on="2014-06-30")
    outcome = context.run(
        stages.apply_stage,
        inspection_id=inspection_id,
        stage=stage,
        actor="tester",
        why="because",
        now=morning("2014-07-01"),
    )
    assert outcome.moved and outcome.to_status == expected.value
    assert status_of(inspection_id) == expected.value
    with Session(context.engine()) as session:
        last = session.exec(
            select(AuditEvent)
            .where(AuditEvent.entity == "inspection", AuditEvent.action == stage.value)
            .order_by(AuditEvent.id.desc())
        ).first()  # type: ignore[union-attr]
    assert last is not None
    assert (last.actor, last.from_state, last.to_state, last.why) == (
        "tester",
        status.value,
        expected.value,
        "because",
    )


# Illegal pairs, less the replays of a step just taken (those are harmless no-ops).
ILLEGAL = [
    (s, t)
    for s in Status
    for t in Stage
    if (s, t) not in TRANSITIONS and not (t is not Stage.CANCEL and s is status_after(t))
]


@pytest.mark.parametrize("pair", ILLEGAL, ids=[f"{s}-{t}" for s, t in ILLEGAL])
def test_every_illegal_step_is_refused_and_changes_nothing(
    sqlite_database: str, pair: tuple[Status, Stage]
) -> None:
    inspection_id = schedule()
    status, stage = pair
    _forcestatus_of(inspection_id, status)
    with Session(context.engine()) as session:
        before = len(session.exec(select(AuditEvent)).all())
    with pytest.raises(InvalidTransition):
        context.run(stages.apply_stage, inspection_id=inspection_id, stage=stage, actor="tester")
    assert status_of(inspection_id) == status.value
    with Session(context.engine()) as session:
        assert len(session.exec(select(AuditEvent)).all()) == before


def test_replaying_the_last_step_is_a_harmless_no_op(database: str) -> None:
    inspection_id = schedule()
    first = context.run(
        stages.apply_stage,
        inspection_id=inspection_id,
        stage=Stage.ANNOUNCE,
        actor="a",
        now=morning("2013-12-02"),
    )
    again = context.run(
        stages.apply_stage,
        inspection_id=inspection_id,
        stage=Stage.ANNOUNCE,
        actor="a",
        now=morning("2013-12-02"),
    )
    assert first.moved and not again.moved
    with Session(context.engine()) as session:
        transitions = session.exec(select(AuditEvent).where(AuditEvent.action == "announce")).all()
    assert len(transitions) == 1


def test_a_stale_status_cannot_be_applied_twice(database: str) -> None:
    inspection_id = schedule()
    with Session(context.engine()) as first, Session(context.engine()) as second:
        # Both sessions read "planned"; the first commits the step; the second's conditional
        # UPDATE then matches no row and is refused.
        stale = second.get(Inspection, inspection_id)
        transition_inspection(
            first,
            inspection_id=inspection_id,
            stage=Stage.ANNOUNCE,
            now=morning("2013-12-02"),
            actor="one",
        )
        first.commit()
        assert stale is not None and stale.status == "planned"
        with pytest.raises(InvalidTransition, match="changed status"):
            transition_inspection(
                second,
                inspection_id=inspection_id,
                stage=Stage.ANNOUNCE,
                now=morning("2013-12-02"),
                actor="two",
            )
        second.rollback()


def test_stage_completes_its_milestone(database: str) -> None:
    inspection_id = schedule()
    context.run(
        stages.apply_stage,
        inspection_id=inspection_id,
        stage=Stage.ANNOUNCE,
        actor="a",
        now=morning("2013-12-02"),
    )
    with Session(context.engine()) as session:
        announcement = session.exec(select(Milestone).where(Milestone.kind == "announcement")).one()
    assert announcement.done_at is not None


def test_unknown_inspection_is_reported(database: str) -> None:
    with pytest.raises(UnknownInspection, match="no inspection with id 99"):
        context.run(stages.apply_stage, inspection_id=99, stage=Stage.ANNOUNCE, actor="a")


def test_fieldwork_cannot_be_recorded_before_it_begins(database: str) -> None:
    inspection_id = schedule()
    for stage, day in ((Stage.ANNOUNCE, "2013-12-02"), (Stage.SELECT_SAMPLE, "2014-01-20")):
        context.run(
            stages.apply_stage,
            inspection_id=inspection_id,
            stage=stage,
            actor="team",
            now=morning(day),
        )
    with pytest.raises(InvalidTransition, match="before fieldwork start on 2014-02-10"):
        context.run(
            stages.apply_stage,
            inspection_id=inspection_id,
            stage=Stage.RECORD_FIELDWORK,
            actor="team",
            now=morning("2014-02-07"),
        )
    assert status_of(inspection_id) == "sample_selected"
    context.run(
        stages.apply_stage,
        inspection_id=inspection_id,
        stage=Stage.RECORD_FIELDWORK,
        actor="team",
        now=morning("2014-02-14", 17),
    )
    assert status_of(inspection_id) == "fieldwork_complete"


def test_an_audit_reason_longer_than_its_column_is_cut_not_refused(database: str) -> None:
    with context.unit_of_work() as session:
        record_audit(
            session,
            at=morning("2014-01-06"),
            actor="t",
            entity="reminder",
            entity_id=1,
            action="sent",
            why="to: " + "a-long-refusal " * 200,
        )
    with context.reading() as session:
        (event,) = session.exec(select(AuditEvent).where(AuditEvent.action == "sent")).all()
    assert len(event.why) == 2000 and event.why.startswith("to: a-long-refusal")
