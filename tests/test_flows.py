"""The lifecycle as Prefect flows, under one session-scoped Prefect test server."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlmodel import Session, select

from flows.casework import score_fieldwork, select_sample
from flows.deadline_sweep import deadline_sweep
from flows.lifecycle import STAGE_FLOWS, announce, cancel_inspection, record_fieldwork
from flows.simulate import simulate
from inspectorate.adapters.models import AuditEvent, Inspection, Reminder
from inspectorate.domain import synthetic
from inspectorate.domain.errors import InvalidTransition
from inspectorate.domain.lifecycle import Stage
from inspectorate.services import context, documents, publication
from inspectorate.services.demo import DEMO_CHECKPOINTS, DEMO_START, prepare_demo
from tests.factories import framework_of, morning, schedule, signed_off, status_of

pytestmark = pytest.mark.usefixtures("prefect_server")


def test_each_stage_flow_moves_one_legal_step(sqlite_database: str, tmp_path: Path) -> None:
    inspection_id = schedule()
    caseload = tmp_path / "caseload.csv"
    synthetic.caseload("Durham Tees Valley", 1500, date(2014, 2, 10), 1).to_csv(
        caseload, index=False
    )
    announce(inspection_id=inspection_id, now=morning("2013-12-02", 10))
    outcome, sample = select_sample(
        inspection_id=inspection_id,
        caseload_path=str(caseload),
        seed=3,
        now=morning("2014-01-20", 10),
    )
    assert outcome.moved and len(sample.cases) == 60
    record_fieldwork(inspection_id=inspection_id, now=morning("2014-02-14", 17))
    judgements = tmp_path / "judgements.csv"
    synthetic.judgements(sample.cases, framework_of(inspection_id), 0.7, 1).to_csv(
        judgements, index=False
    )
    assert score_fieldwork(
        inspection_id=inspection_id, judgements_path=str(judgements), now=morning("2014-02-28", 10)
    ).moved
    for stage, day in [
        (Stage.SEND_DRAFT, "2014-03-07"),
        (Stage.CLOSE_COMMENTS, "2014-03-21"),
        (Stage.PUBLISH, "2014-05-02"),
        (Stage.RECEIVE_ACTION_PLAN, "2014-07-25"),
    ]:
        if stage is Stage.SEND_DRAFT:
            signed_off(inspection_id, "draft", on="2014-03-03")
        if stage is Stage.PUBLISH:
            signed_off(inspection_id, "publication", on="2014-04-28")
        assert STAGE_FLOWS[stage](inspection_id=inspection_id, now=morning(day, 10)).moved
    assert status_of(inspection_id) == "action_plan_received"
    with Session(context.engine()) as session:
        steps = session.exec(
            select(AuditEvent.action)
            .where(AuditEvent.entity == "inspection")
            .order_by(AuditEvent.id)  # type: ignore[arg-type]
        ).all()
    assert steps == [
        "schedule",
        "announce",
        "select_sample",
        "record_fieldwork",
        "score",
        "inspector_assigned",  # the lead inspector joins the team,
        "report_text_stored",  # writes the team's text
        "signed_off",  # and signs off the draft
        "send_draft",
        "close_comments",
        "signed_off",  # the programme manager signs off the publication
        "publish",
        "report_distributed",
        "receive_action_plan",
    ]
    with context.reading() as session:
        versions = documents.versions_of(session, inspection_id=inspection_id)
        distribution = publication.distribution_of(session, inspection_id=inspection_id)
    written = [(v.kind, v.lang, v.public) for v in versions]
    assert written == [
        ("announcement", "en", False),
        ("draft", "en", False),
        ("published", "en", True),
    ]
    assert len(distribution) == 8


def test_score_fieldwork_emits_inspection_scored_with_the_headline(
    sqlite_database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    emitted: list[dict[str, object]] = []
    monkeypatch.setattr("tasks.events.emit_event", lambda **kw: emitted.append(kw))
    inspection_id = schedule()
    caseload = tmp_path / "caseload.csv"
    synthetic.caseload("Durham Tees Valley", 1500, date(2014, 2, 10), 1).to_csv(
        caseload, index=False
    )
    announce(inspection_id=inspection_id, now=morning("2013-12-02", 10))
    _, sample = select_sample(inspection_id=inspection_id, caseload_path=str(caseload))
    record_fieldwork(inspection_id=inspection_id, now=morning("2014-02-14", 17))
    judgements = tmp_path / "judgements.csv"
    synthetic.judgements(sample.cases, framework_of(inspection_id), 0.3, 1).to_csv(
        judgements, index=False
    )
    score_fieldwork(inspection_id=inspection_id, judgements_path=str(judgements))
    (event,) = emitted
    assert event["event"] == "inspection.scored"
    assert event["resource"]["prefect.resource.id"] == f"inspectorate.inspection.{inspection_id}"
    headline = event["payload"]["headline"]
    assert set(headline) == {h.id for h in framework_of(inspection_id).headlines}
    assert all(value < 50 for value in headline.values())


def test_a_stage_flow_refuses_an_illegal_step(sqlite_database: str) -> None:
    inspection_id = schedule()
    with pytest.raises(InvalidTransition, match="cannot publish an inspection that is planned"):
        STAGE_FLOWS[Stage.PUBLISH](inspection_id=inspection_id)
    assert status_of(inspection_id) == "planned"


def test_cancel_flow_records_why(sqlite_database: str) -> None:
    inspection_id = schedule()
    cancel_inspection(inspection_id=inspection_id, why="trust abolished", now=morning("2013-11-26"))
    with Session(context.engine()) as session:
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "cancel")).one()
    assert (event.to_state, event.why) == ("cancelled", "trust abolished")


def test_deadline_sweep_flow_twice_on_one_day_does_everything_once(sqlite_database: str) -> None:
    schedule()
    first = deadline_sweep(as_of=morning("2013-12-02").date(), now=morning("2013-12-02"))
    second = deadline_sweep(as_of=morning("2013-12-02").date(), now=morning("2013-12-02"))
    assert (len(first.advanced), first.delivered) == (1, 1)  # the notice (to trust and team)
    assert (second.advanced, second.claimed, second.delivered) == ([], 0, 0)


def test_demo_simulation_takes_six_inspections_through_and_plans_a_reinspection(
    tmp_path: Path,
) -> None:
    setup = prepare_demo(tmp_path / "demo")
    report = simulate(start=DEMO_START, until=DEMO_CHECKPOINTS[-1], seed=1)
    with Session(context.engine()) as session:
        statuses = session.exec(
            select(Inspection.status).where(Inspection.kind == "inspection")
        ).all()
        (reinspection,) = session.exec(
            select(Inspection).where(Inspection.kind == "reinspection")
        ).all()
        unsent = session.exec(select(Reminder).where(Reminder.sent_at == None)).all()  # noqa: E711
        published = session.exec(select(AuditEvent).where(AuditEvent.action == "publish")).all()
    assert statuses == ["action_plan_received"] * 6
    assert len(published) == 6
    assert reinspection.parent_id == setup.inspection_ids[-1]  # North Lincolnshire's CCI
    assert reinspection.status == "planned"
    assert unsent == []
    # a reminder to the body and the team is two files (r7.body.eml, r7.staff.eml)
    mailed = {path.name.split(".")[0] for path in setup.outbox.glob("*.eml")}
    assert report.reminders_sent == len(mailed) > 50
    assert report.steps_by_sweep >= 5 * 5  # announce, fieldwork start, questionnaire, draft, ...
    assert any(p.name.endswith(".eml") and "escalation" in p.name for p in setup.outbox.iterdir())
