"""The lifecycle as Prefect flows, under one session-scoped Prefect test server."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import Session, select

from flows.deadline_sweep import deadline_sweep
from flows.lifecycle import STAGE_FLOWS, cancel_inspection, score_fieldwork
from flows.simulate import simulate
from inspectorate import operations
from inspectorate.demo import DEMO_CHECKPOINTS, DEMO_START, prepare_demo
from inspectorate.errors import InvalidTransition
from inspectorate.lifecycle import Stage
from inspectorate.models import AuditEvent, Inspection, Reminder
from tests.factories import morning, schedule, status_of

pytestmark = pytest.mark.usefixtures("prefect_server")


def test_each_stage_flow_moves_one_legal_step(sqlite_database: str) -> None:
    inspection_id = schedule()
    days = [
        "2013-12-02",
        "2014-01-20",
        "2014-02-14",
        "2014-02-28",
        "2014-03-07",
        "2014-03-21",
        "2014-05-02",
        "2014-07-25",
    ]
    for stage, day in zip([s for s in Stage if s is not Stage.CANCEL], days, strict=True):
        outcome = STAGE_FLOWS[stage](inspection_id=inspection_id, now=morning(day, 10))
        assert outcome.moved, stage
        assert status_of(inspection_id) == outcome.to_status
    assert status_of(inspection_id) == "action_plan_received"
    with Session(operations.engine()) as session:
        steps = session.exec(
            select(AuditEvent.action)
            .where(AuditEvent.entity == "inspection")
            .order_by(AuditEvent.id)
        ).all()  # type: ignore[arg-type]
    assert steps == [
        "schedule",
        "announce",
        "select_sample",
        "record_fieldwork",
        "score",
        "send_draft",
        "close_comments",
        "publish",
        "receive_action_plan",
    ]


def test_a_stage_flow_refuses_an_illegal_step(sqlite_database: str) -> None:
    inspection_id = schedule()
    with pytest.raises(InvalidTransition, match="cannot score an inspection that is planned"):
        score_fieldwork(inspection_id=inspection_id)
    assert status_of(inspection_id) == "planned"


def test_cancel_flow_records_why(sqlite_database: str) -> None:
    inspection_id = schedule()
    cancel_inspection(inspection_id=inspection_id, why="trust abolished", now=morning("2013-11-26"))
    with Session(operations.engine()) as session:
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "cancel")).one()
    assert (event.to_state, event.why) == ("cancelled", "trust abolished")


def test_deadline_sweep_flow_twice_on_one_day_does_everything_once(sqlite_database: str) -> None:
    schedule()
    first = deadline_sweep(as_of=morning("2014-01-06").date(), now=morning("2014-01-06"))
    second = deadline_sweep(as_of=morning("2014-01-06").date(), now=morning("2014-01-06"))
    assert (len(first.advanced), first.delivered) == (1, 2)
    assert (second.advanced, second.claimed, second.delivered) == ([], 0, 0)


def test_demo_simulation_takes_five_trusts_through_to_their_action_plans(tmp_path: Path) -> None:
    setup = prepare_demo(tmp_path / "demo")
    report = simulate(start=DEMO_START, until=DEMO_CHECKPOINTS[-1], seed=1)
    with Session(operations.engine()) as session:
        statuses = session.exec(select(Inspection.status)).all()
        unsent = session.exec(select(Reminder).where(Reminder.sent_at == None)).all()  # noqa: E711
        published = session.exec(select(AuditEvent).where(AuditEvent.action == "publish")).all()
    assert statuses == ["action_plan_received"] * 5
    assert len(published) == 5
    assert unsent == []
    assert report.reminders_sent == len(list(setup.outbox.glob("*.eml"))) > 50
    assert report.steps_by_sweep >= 5 * 5  # announce, fieldwork start, questionnaire, draft, ...
    assert any(p.name.endswith(".eml") and "escalation" in p.name for p in setup.outbox.iterdir())
