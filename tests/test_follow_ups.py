"""Reinspections and follow-ups planned from published scores, linked to the original."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from sqlmodel import Session, select

from inspectorate.adapters.models import AuditEvent, Body, Inspection, Milestone
from inspectorate.domain import synthetic
from inspectorate.domain.comparison import CriterionCount, compare, summary
from inspectorate.domain.lifecycle import Stage
from inspectorate.services import context, evidence, stages
from tests.factories import (
    finish_fieldwork,
    framework_of,
    morning,
    record_synthetic_sample,
    schedule,
    score_and_record,
    signed_off,
)

NORTH_LINCS = "North Lincolnshire"


def published(
    quality: float,
    body: str = NORTH_LINCS,
    programme: str = "cci",
    start: str = "2014-02-10",
    weeks_earlier: int = 0,
) -> int:
    """Take an inspection to publication with synthetic evidence of the given quality.

    `weeks_earlier` moves every date back by as many weeks (ESI's areas existed to 2010).
    """

    def day(text: str) -> str:
        return (dt.date.fromisoformat(text) - dt.timedelta(weeks=weeks_earlier)).isoformat()

    start = day(start)
    inspection_id = schedule(
        body=body, programme=programme, fieldwork_start=start, on=day("2013-11-25")
    )
    context.run(
        stages.apply_stage,
        inspection_id=inspection_id,
        stage=Stage.ANNOUNCE,
        actor="t",
        now=morning(day("2013-12-02")),
    )
    record_synthetic_sample(
        inspection_id,
        body=body,
        size=6000 if programme == "esi" else 800,
        fieldwork=start,
        on=day("2014-01-20"),
    )
    cases = finish_fieldwork(inspection_id, day("2014-03-28"))
    judgements = synthetic.judgements(cases, framework_of(inspection_id), quality, 1)
    score_and_record(inspection_id, judgements, now=morning(day("2014-03-31")))
    signed_off(inspection_id, "draft", on=day("2014-04-01"))
    for stage, when in [
        (Stage.SEND_DRAFT, "2014-04-07"),
        (Stage.CLOSE_COMMENTS, "2014-04-22"),
        (Stage.PUBLISH, "2014-06-02"),
    ]:
        if stage is Stage.PUBLISH:
            signed_off(inspection_id, "publication", on=day("2014-05-30"))
        context.run(
            stages.apply_stage,
            inspection_id=inspection_id,
            stage=stage,
            actor="t",
            now=morning(day(when)),
        )
    return inspection_id


# ESI ran 2003-2006 on the probation areas, which existed until March 2010 (config/bodies):
# its inspections here are ten years (522 weeks) before the others, from 9 February 2004.
ESI_WEEKS = 522


def children(inspection_id: int) -> list[Inspection]:
    with Session(context.engine()) as session:
        return list(
            session.exec(select(Inspection).where(Inspection.parent_id == inspection_id)).all()
        )


def test_low_scores_plan_a_reinspection_a_year_after_publication(database: str) -> None:
    original = published(quality=0.3)
    (child,) = children(original)
    assert (child.kind, child.status, child.trigger_rule) == (
        "reinspection",
        "planned",
        "findings of concern",
    )
    assert child.fieldwork_start.isoformat() == "2015-06-08"  # first Monday from 2 June 2015
    with Session(context.engine()) as session:
        planned = session.exec(
            select(AuditEvent).where(AuditEvent.action == "follow_up_planned")
        ).one()
    assert planned.inspection_id == original and "below 45" in planned.why


def test_a_reinspection_due_in_a_bank_holiday_week_starts_the_week_after(database: str) -> None:
    original = published(quality=0.3, weeks_earlier=2)  # published Monday 19 May 2014
    (child,) = children(original)
    # due 19 May 2015; the Monday after is the Spring bank holiday, so the week after that
    assert child.fieldwork_start.isoformat() == "2015-06-01"


def test_a_reinspection_of_a_body_that_has_ceased_is_left_to_the_manager_once(
    database: str,
) -> None:
    with context.unit_of_work() as session:
        body = session.exec(select(Body).where(Body.name == NORTH_LINCS)).one()
        body.valid_until = dt.date(2014, 12, 31)  # merged with a neighbour, say
        session.add(body)
    original = published(quality=0.3)
    context.run(evidence.plan_reinspection, inspection_id=original)
    assert children(original) == []
    with Session(context.engine()) as session:
        (left,) = session.exec(
            select(AuditEvent).where(AuditEvent.action == "follow_up_not_planned")
        ).all()
    assert left.inspection_id == original
    assert "North Lincolnshire" in left.why and "the programme manager decides" in left.why


def test_good_scores_plan_nothing_and_say_why_once(database: str) -> None:
    original = published(quality=0.85)
    assert children(original) == []
    context.run(evidence.plan_reinspection, inspection_id=original)
    context.run(evidence.plan_reinspection, inspection_id=original)
    with Session(context.engine()) as session:
        decisions = session.exec(
            select(AuditEvent).where(AuditEvent.action == "no_follow_up")
        ).all()
    assert len(decisions) == 1 and "not all below 45" in decisions[0].why


def test_evaluating_again_creates_one_reinspection_not_two(database: str) -> None:
    original = published(quality=0.3)
    decision, follow_up = context.run(evidence.plan_reinspection, inspection_id=original)
    assert decision is None and follow_up == children(original)[0].id
    assert len(children(original)) == 1


def test_the_link_runs_both_ways(database: str) -> None:
    from inspectorate.services.views import inspection_json

    original = published(quality=0.3)
    child_id = children(original)[0].id
    assert child_id is not None
    with Session(context.engine()) as session:
        parent_view = inspection_json(session, session.get(Inspection, original))  # type: ignore[arg-type]
        child_view = inspection_json(session, session.get(Inspection, child_id))  # type: ignore[arg-type]
    assert parent_view["children"][0]["id"] == child_id
    assert child_view["parent_id"] == original and child_view["kind"] == "reinspection"


def test_an_esi_follow_up_rescores_only_the_criteria_it_covers(database: str) -> None:
    original = published(0.45, body="Staffordshire", programme="esi", weeks_earlier=ESI_WEEKS)
    (child,) = children(original)
    assert child.kind == "follow_up" and child.covers == "B1,B2,B3,B4,C1,C2,C5"
    assert child.id is not None
    framework = framework_of(child.id)
    assert {c.id for c in framework.criteria} == {"B1", "B2", "B3", "B4", "C1", "C2", "C5"}
    assert {h.id for h in framework.headlines} == {"B", "C"}
    assert "D1a" not in {q.id for q in framework.questions}


def test_programmes_without_rules_never_plan_follow_ups(database: str) -> None:
    original = published(quality=0.1, body="Durham Tees Valley", programme="iaow")
    assert children(original) == []


def test_fishers_exact_test_marks_significant_change() -> None:
    changes = compare(
        {"B1": CriterionCount(11, 24), "C1": CriterionCount(17, 25)},
        {"B1": CriterionCount(22, 24), "C1": CriterionCount(20, 25)},
    )
    by = {c.criterion: c for c in changes}
    assert by["B1"].significant and round(by["B1"].change, 1) == 45.8
    assert not by["C1"].significant
    assert summary(changes) == "improvement against 2 of 2 measures (1 statistically significant)"


@pytest.mark.usefixtures("prefect_server")
def test_follow_up_and_compare_commands(capsys, monkeypatch, sqlite_database) -> None:  # type: ignore[no-untyped-def]
    from tests.test_cli import run

    original = published(quality=0.3)
    code, out, _ = run(["inspection", "follow-up", str(original)], capsys, monkeypatch)
    child = children(original)[0].id
    assert code == 0 and f"follow-up is inspection {child}" in out
    code, _, err = run(["inspection", "compare", str(original)], capsys, monkeypatch)
    assert code == 2 and "is not a follow-up or reinspection" in err
    code, _, err = run(["inspection", "compare", str(child)], capsys, monkeypatch)
    assert code == 2 and "must be scored before they can be compared" in err


def test_a_scored_follow_up_is_compared_with_the_original_on_its_criteria(database: str) -> None:
    original = published(0.45, body="Staffordshire", programme="esi", weeks_earlier=ESI_WEEKS)
    (child,) = children(original)
    assert child.id is not None
    start = pd.Timestamp(child.fieldwork_start)
    day = lambda offset: morning((start + pd.Timedelta(days=offset)).date().isoformat())  # noqa: E731
    with Session(context.engine()) as session:
        due = session.exec(
            select(Milestone.due_on).where(
                Milestone.inspection_id == child.id, Milestone.kind == "announcement"
            )
        ).one()  # ten weeks before, or earlier when that day is a bank holiday
    context.run(
        stages.apply_stage,
        inspection_id=child.id,
        stage=Stage.ANNOUNCE,
        actor="t",
        now=morning(due.isoformat()),
    )
    caseload = synthetic.caseload("Staffordshire", 6000, start.date(), 2)
    with context.unit_of_work() as session:
        sample = evidence.draw_sample(session, inspection_id=child.id, caseload=caseload, seed=2)
        evidence.record_sample(
            session, inspection_id=child.id, sample=sample, actor="t", now=day(-21)
        )
    context.run(
        stages.apply_stage,
        inspection_id=child.id,
        stage=Stage.RECORD_FIELDWORK,
        actor="t",
        now=day(40),
    )
    judgements = synthetic.judgements(sample.cases, framework_of(child.id), 0.9, 2)
    with context.unit_of_work() as session:
        scores = evidence.score_inspection(session, inspection_id=child.id, judgements=judgements)
        evidence.record_scores(
            session,
            inspection_id=child.id,
            judgements=judgements,
            scores=scores,
            actor="t",
            now=day(41),
        )
    with context.reading() as session:
        parent, changes = evidence.compare_with_original(session, inspection_id=child.id)
    assert parent == original
    assert {c.criterion for c in changes} == {"B1", "B2", "B3", "B4", "C1", "C2", "C5"}
    assert all(c.change > 0 for c in changes)
    assert summary(changes).startswith("improvement against 7 of 7 measures")
