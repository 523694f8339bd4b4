"""Use cases on an inspection's evidence: drawing its sample, importing and scoring judgements.

Each takes the session it works in and never commits (see `context`). A ratings file is
checked against the framework alone: `fieldwork.read_ratings(path, framework_of(...))`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
from sqlmodel import Session

from inspectorate.adapters.casework import (
    criterion_counts,
    judgements_of,
    sample_of,
    store_judgements,
    store_sample,
    store_scores,
    stored_ratings,
)
from inspectorate.adapters.fieldwork import read_judgements
from inspectorate.adapters.repository import get_inspection
from inspectorate.adapters.settings import get_settings
from inspectorate.domain.comparison import Change, CriterionCount, compare
from inspectorate.domain.errors import InvalidInput, InvalidTransition
from inspectorate.domain.lifecycle import Stage, Status
from inspectorate.domain.sampling import Sample, select_sample
from inspectorate.domain.scoring import DIMENSIONS, Scores, score
from inspectorate.domain.triggers import Decision
from inspectorate.services import context
from inspectorate.services.follow_ups import follow_up_decision, plan_follow_up
from inspectorate.services.frameworks_in_use import framework_of, programme_of, sampling_rule
from inspectorate.services.stages import StageOutcome, perform_stage


def draw_sample(
    session: Session, *, inspection_id: int, caseload: pd.DataFrame, seed: int
) -> Sample:
    """Select the inspection's sample from a caseload extract (nothing is stored yet)."""
    inspection = get_inspection(session, inspection_id=inspection_id)
    rule = sampling_rule(programme_of(session, inspection))
    return select_sample(caseload, rule, inspection.fieldwork_start, seed)


def record_sample(
    session: Session,
    *,
    inspection_id: int,
    sample: Sample,
    actor: str,
    why: str = "",
    now: dt.datetime | None = None,
) -> StageOutcome:
    """Store the sample and take the select_sample step."""
    at = context.moment(now)
    inspection = get_inspection(session, inspection_id=inspection_id)
    outcome = perform_stage(
        session,
        programme=programme_of(session, inspection),
        inspection_id=inspection_id,
        stage=Stage.SELECT_SAMPLE,
        now=at,
        actor=actor,
        settings=get_settings(),
        why=why or f"{len(sample.cases)} cases sampled",
    )
    if outcome.moved:
        store_sample(session, inspection_id=inspection_id, sample=sample, now=at, actor=actor)
    return outcome


def read_inspection_judgements(session: Session, *, inspection_id: int, path: Path) -> pd.DataFrame:
    """Read a judgements file, checked against the framework and the inspection's sample."""
    get_inspection(session, inspection_id=inspection_id)  # an unknown id says so
    cases = sample_of(session, inspection_id=inspection_id)
    if cases.empty:
        raise InvalidTransition(f"inspection {inspection_id} has no sample yet; select one first")
    framework = framework_of(session, inspection_id=inspection_id)
    return read_judgements(path, framework, sample=set(cases["case_id"]))


def score_inspection(
    session: Session,
    *,
    inspection_id: int,
    judgements: pd.DataFrame,
    ratings: dict[str, str] | None = None,
) -> Scores:
    """Score judgements, taking each case's attributes from the stored sample."""
    cases = sample_of(session, inspection_id=inspection_id)
    own = judgements.drop(columns=[d for d in DIMENSIONS if d in judgements.columns])
    own = own.astype({"case_id": str})
    attributed = own.merge(cases[["case_id", *DIMENSIONS]], on="case_id", how="left")
    return score(attributed, framework_of(session, inspection_id=inspection_id), ratings)


def record_scores(
    session: Session,
    *,
    inspection_id: int,
    judgements: pd.DataFrame,
    scores: Scores,
    actor: str,
    now: dt.datetime | None = None,
) -> StageOutcome:
    """Store judgements and scores and take the score step.

    While the inspection is still `scored` (the draft has not gone), a corrected file
    re-scores it; the same file again changes nothing.
    """
    at = context.moment(now)
    inspection = get_inspection(session, inspection_id=inspection_id)
    status = Status(inspection.status)
    if status not in (Status.FIELDWORK_COMPLETE, Status.SCORED):
        raise InvalidTransition(
            f"cannot score an inspection that is {status.value}; scores are taken after "
            "fieldwork and fixed once the draft has gone to the body"
        )
    changed = store_judgements(
        session, inspection_id=inspection_id, judgements=judgements, now=at, actor=actor
    )
    if changed or status is Status.FIELDWORK_COMPLETE:
        store_scores(session, inspection_id=inspection_id, scores=scores, now=at, actor=actor)
    return perform_stage(
        session,
        programme=programme_of(session, inspection),
        inspection_id=inspection_id,
        stage=Stage.SCORE,
        now=at,
        actor=actor,
        settings=get_settings(),
        why="headline " + ", ".join(f"{h} {p:.1f}%" for h, p in scores.headline().items()),
    )


def stored_scores(
    session: Session, *, inspection_id: int, publication: bool = False
) -> dict[str, object]:
    """Return an inspection's scores as `inspectorate score --json` prints them."""
    get_inspection(session, inspection_id=inspection_id)  # an unknown id says so
    judgements = judgements_of(session, inspection_id=inspection_id)
    if judgements.empty:
        raise InvalidTransition(
            f"inspection {inspection_id} has not been scored yet; score its fieldwork first"
        )
    ratings = stored_ratings(session, inspection_id=inspection_id)
    framework = framework_of(session, inspection_id=inspection_id)
    return score(judgements, framework, ratings).as_json(publication=publication)


def plan_reinspection(
    session: Session,
    *,
    inspection_id: int,
    actor: str = "trigger-rules",
    now: dt.datetime | None = None,
) -> tuple[Decision | None, int | None]:
    """Evaluate the trigger rules for a published inspection; plan the follow-up if due.

    Returns the decision (None when there was nothing to decide: no rules, no scores, or a
    follow-up already planned) and the follow-up's id, if there is one.
    """
    inspection = get_inspection(session, inspection_id=inspection_id)
    programme = programme_of(session, inspection)
    decision, follow_up = plan_follow_up(
        session,
        inspection_id=inspection_id,
        programmes=context.programmes(),
        rules=context.follow_up_rules()[programme.code],
        now=context.moment(now),
        actor=actor,
    )
    return decision, follow_up.id if follow_up else None


def reinspection_decision(session: Session, *, inspection_id: int) -> Decision | None:
    """Whether the stored scores call for a follow-up (nothing is planned or recorded)."""
    inspection = get_inspection(session, inspection_id=inspection_id)
    programme = programme_of(session, inspection)
    return follow_up_decision(
        session,
        inspection_id=inspection_id,
        rules=context.follow_up_rules()[programme.code],
    )


def _criterion_counts(session: Session, inspection_id: int) -> dict[str, CriterionCount]:
    counts = criterion_counts(session, inspection_id=inspection_id)
    return {key: CriterionCount(*pair) for key, pair in counts.items()}


def compare_with_original(session: Session, *, inspection_id: int) -> tuple[int, list[Change]]:
    """Compare a follow-up's criterion scores with its original's; return (original id, rows)."""
    follow_up = get_inspection(session, inspection_id=inspection_id)
    if follow_up.parent_id is None:
        raise InvalidInput(f"inspection {inspection_id} is not a follow-up or reinspection")
    after = _criterion_counts(session, inspection_id)
    before = _criterion_counts(session, follow_up.parent_id)
    if not after or not before:
        raise InvalidTransition(
            f"both inspection {follow_up.parent_id} and its follow-up "
            f"{inspection_id} must be scored before they can be compared"
        )
    return follow_up.parent_id, compare(before, after)
