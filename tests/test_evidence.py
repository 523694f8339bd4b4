"""An inspection's evidence in the record: its sample, judgements and scores."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from sqlmodel import Session, select

from inspectorate.adapters.models import AuditEvent, Judgement, SampledCase, Score
from inspectorate.domain import synthetic
from inspectorate.domain.errors import InvalidTransition
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
    status_of,
)

FIELDWORK = dt.date(2014, 2, 10)


def sampled(seed: int = 3) -> int:
    inspection_id = schedule()
    context.run(
        stages.apply_stage,
        inspection_id=inspection_id,
        stage=Stage.ANNOUNCE,
        actor="sweep",
        now=morning("2013-12-02"),
    )
    record_synthetic_sample(
        inspection_id, body="Durham Tees Valley", size=1500, fieldwork="2014-02-10", seed=seed
    )
    return inspection_id


def fieldwork_done(seed: int = 3) -> tuple[int, pd.DataFrame]:
    inspection_id = sampled(seed)
    cases = finish_fieldwork(inspection_id, "2014-02-14")
    judgements = synthetic.judgements(cases, framework_of(inspection_id), 0.7, 1)
    return inspection_id, judgements


def count(model: type) -> int:
    with Session(context.engine()) as session:
        return len(session.exec(select(model)).all())


def test_recording_the_sample_stores_it_and_takes_the_step(database: str) -> None:
    inspection_id = sampled()
    assert status_of(inspection_id) == "sample_selected"
    assert count(SampledCase) == 60
    with Session(context.engine()) as session:
        audit = session.exec(select(AuditEvent).where(AuditEvent.entity == "sample")).one()
    assert audit.why.startswith("60 of ") and "to local assessors" in audit.why


def test_scoring_stores_judgements_and_scores_and_takes_the_step(database: str) -> None:
    inspection_id, judgements = fieldwork_done()
    with context.unit_of_work() as session:
        scores = evidence.score_inspection(
            session, inspection_id=inspection_id, judgements=judgements
        )
        outcome = evidence.record_scores(
            session,
            inspection_id=inspection_id,
            judgements=judgements,
            scores=scores,
            actor="team",
            now=morning("2014-02-28"),
        )
    assert outcome.moved and status_of(inspection_id) == "scored"
    assert count(Judgement) == len(judgements)
    stored = context.run(evidence.stored_scores, inspection_id=inspection_id)
    assert stored["headline"] == scores.as_json()["headline"]
    assert "gender" in stored["breakdowns"]  # case attributes come from the stored sample


def test_importing_the_same_judgements_again_changes_nothing(database: str) -> None:
    inspection_id, judgements = fieldwork_done()
    scores = context.run(
        evidence.score_inspection, inspection_id=inspection_id, judgements=judgements
    )
    for _ in range(2):
        context.run(
            evidence.record_scores,
            inspection_id=inspection_id,
            judgements=judgements,
            scores=scores,
            actor="team",
            now=morning("2014-02-28"),
        )
    with Session(context.engine()) as session:
        imports = session.exec(select(AuditEvent).where(AuditEvent.entity == "judgements")).all()
    assert len(imports) == 1
    assert count(Judgement) == len(judgements)


def test_a_corrected_file_rescores_before_the_draft_goes(database: str) -> None:
    inspection_id, judgements = fieldwork_done()
    score_and_record(inspection_id, judgements, now=morning("2014-02-28"))
    corrected = judgements.assign(judgement="sufficient")
    score_and_record(inspection_id, corrected, now=morning("2014-03-03"))
    stored = context.run(evidence.stored_scores, inspection_id=inspection_id)
    assert set(stored["headline"].values()) == {100.0}
    with Session(context.engine()) as session:
        headlines = session.exec(select(Score).where(Score.level == "headline")).all()
    assert {s.score for s in headlines} == {100.0}


def test_scores_are_fixed_once_the_draft_has_gone(database: str) -> None:
    inspection_id, judgements = fieldwork_done()
    scores = context.run(
        evidence.score_inspection, inspection_id=inspection_id, judgements=judgements
    )
    context.run(
        evidence.record_scores,
        inspection_id=inspection_id,
        judgements=judgements,
        scores=scores,
        actor="team",
        now=morning("2014-02-28"),
    )
    signed_off(inspection_id, on="2014-03-03")
    context.run(
        stages.apply_stage,
        inspection_id=inspection_id,
        stage=Stage.SEND_DRAFT,
        actor="sweep",
        now=morning("2014-03-07"),
    )
    with pytest.raises(InvalidTransition, match="fixed once the draft has gone"):
        context.run(
            evidence.record_scores,
            inspection_id=inspection_id,
            judgements=judgements,
            scores=scores,
            actor="team",
            now=morning("2014-03-10"),
        )


def test_scoring_before_fieldwork_is_refused_and_writes_nothing(database: str) -> None:
    inspection_id = sampled()
    with Session(context.engine()) as session:
        cases = pd.DataFrame([c.model_dump() for c in session.exec(select(SampledCase))])
    judgements = synthetic.judgements(cases, framework_of(inspection_id), 0.7, 1)
    scores = context.run(
        evidence.score_inspection, inspection_id=inspection_id, judgements=judgements
    )
    with pytest.raises(InvalidTransition, match="sample_selected"):
        context.run(
            evidence.record_scores,
            inspection_id=inspection_id,
            judgements=judgements,
            scores=scores,
            actor="team",
        )
    assert count(Judgement) == 0 and count(Score) == 0


def test_sampling_twice_keeps_the_first_sample(database: str) -> None:
    inspection_id = sampled(seed=3)
    caseload = synthetic.caseload("Durham Tees Valley", 1500, FIELDWORK, 1)
    with context.unit_of_work() as session:
        other = evidence.draw_sample(
            session, inspection_id=inspection_id, caseload=caseload, seed=99
        )
        outcome = evidence.record_sample(
            session, inspection_id=inspection_id, sample=other, actor="team"
        )
    assert not outcome.moved
    assert count(SampledCase) == 60
