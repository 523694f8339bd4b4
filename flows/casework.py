"""The stages that carry evidence: drawing the sample and scoring the fieldwork."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from prefect import flow

from inspectorate.domain.sampling import Sample
from inspectorate.services.stages import StageOutcome
from tasks.events import emit_reinspection_required, emit_scored
from tasks.evidence import (
    draw_sample,
    read_caseload,
    read_judgements,
    read_ratings,
    record_sample,
    record_scores,
    score_judgements,
)
from tasks.follow_up import decide_reinspection


@flow(name="select-sample")
def select_sample(
    inspection_id: int,
    caseload_path: str,
    seed: int = 1,
    actor: str = "inspection-team",
    now: dt.datetime | None = None,
) -> tuple[StageOutcome, Sample]:
    """Read the body's caseload extract, draw the sample, and record it."""
    caseload = read_caseload(Path(caseload_path))
    sample = draw_sample(inspection_id, caseload, seed)
    return record_sample(inspection_id, sample, actor, now), sample


@flow(name="score-fieldwork")
def score_fieldwork(
    inspection_id: int,
    judgements_path: str,
    ratings_path: str | None = None,
    actor: str = "inspection-team",
    now: dt.datetime | None = None,
) -> StageOutcome:
    """Import the judgements, check them, score them, store them, and announce the scores.

    When the scores call for a reinspection it says so with its own event, on which the
    server's automation runs plan-reinspection.
    """
    judgements = read_judgements(inspection_id, Path(judgements_path))
    ratings = read_ratings(inspection_id, Path(ratings_path)) if ratings_path else None
    scores = score_judgements(inspection_id, judgements, ratings)
    outcome = record_scores(inspection_id, judgements, scores, actor, now)
    emit_scored(inspection_id, scores.headline())
    decision = decide_reinspection(inspection_id)
    if decision is not None and decision.due:
        emit_reinspection_required(inspection_id, decision)
    return outcome
