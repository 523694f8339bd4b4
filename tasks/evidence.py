"""Tasks for an inspection's evidence: caseload, sample, judgements, scores."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
from prefect import task
from prefect.cache_policies import NO_CACHE

from inspectorate.adapters import caseloads, fieldwork
from inspectorate.domain.sampling import Sample
from inspectorate.domain.scoring import Scores
from inspectorate.services import context, evidence
from inspectorate.services.stages import StageOutcome
from tasks.retry import RETRIES, RETRY_DELAYS, transient_only


@task(name="read-caseload", cache_policy=NO_CACHE)
def read_caseload(path: Path) -> pd.DataFrame:
    """Read and check the body's caseload extract."""
    return caseloads.read_caseload(path)


@task(name="draw-sample", cache_policy=NO_CACHE)
def draw_sample(inspection_id: int, caseload: pd.DataFrame, seed: int) -> Sample:
    """Select the sample from the caseload (seeded, reproducible)."""
    with context.reading() as session:
        return evidence.draw_sample(
            session, inspection_id=inspection_id, caseload=caseload, seed=seed
        )


@task(
    name="record-sample",
    cache_policy=NO_CACHE,
    retries=RETRIES,
    retry_delay_seconds=RETRY_DELAYS,
    retry_condition_fn=transient_only,
)
def record_sample(
    inspection_id: int, sample: Sample, actor: str, now: dt.datetime | None = None
) -> StageOutcome:
    """Store the sample and take the select_sample step."""
    return context.run(
        evidence.record_sample, inspection_id=inspection_id, sample=sample, actor=actor, now=now
    )


@task(name="read-judgements", cache_policy=NO_CACHE)
def read_judgements(inspection_id: int, path: Path) -> pd.DataFrame:
    """Read and check the fieldwork judgements against the framework and the sample."""
    with context.reading() as session:
        return evidence.read_inspection_judgements(session, inspection_id=inspection_id, path=path)


@task(name="read-ratings", cache_policy=NO_CACHE)
def read_ratings(inspection_id: int, path: Path) -> dict[str, str]:
    """Read and check the descriptive ratings."""
    with context.reading() as session:
        framework = evidence.framework_of(session, inspection_id=inspection_id)
    return fieldwork.read_ratings(path, framework)


@task(name="score-judgements", cache_policy=NO_CACHE)
def score_judgements(
    inspection_id: int, judgements: pd.DataFrame, ratings: dict[str, str] | None
) -> Scores:
    """Score the judgements (questions, criteria, headlines, breakdowns)."""
    with context.reading() as session:
        return evidence.score_inspection(
            session, inspection_id=inspection_id, judgements=judgements, ratings=ratings
        )


@task(
    name="record-scores",
    cache_policy=NO_CACHE,
    retries=RETRIES,
    retry_delay_seconds=RETRY_DELAYS,
    retry_condition_fn=transient_only,
)
def record_scores(
    inspection_id: int,
    judgements: pd.DataFrame,
    scores: Scores,
    actor: str,
    now: dt.datetime | None = None,
) -> StageOutcome:
    """Store judgements and scores and take the score step."""
    return context.run(
        evidence.record_scores,
        inspection_id=inspection_id,
        judgements=judgements,
        scores=scores,
        actor=actor,
        now=now,
    )
