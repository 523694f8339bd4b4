"""The record of an inspection's casework: its sample, judgements and scores."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import sqlalchemy
from sqlalchemy import delete, insert
from sqlmodel import Session, col

from inspectorate.adapters.models import Judgement, SampledCase, Score
from inspectorate.adapters.repository import record_audit
from inspectorate.adapters.rows import plain_rows
from inspectorate.domain.sampling_rules import CASELOAD_COLUMNS

if TYPE_CHECKING:
    import pandas as pd

    from inspectorate.domain.sampling import Sample
    from inspectorate.domain.scoring import Scores

JUDGEMENT_COLUMNS = ("case_id", "question_id", "judgement", "assessor")


def sample_of(session: Session, *, inspection_id: int) -> pd.DataFrame:
    """Return the stored sample (caseload columns plus allocated_to), ordered by case id."""
    import pandas as pd  # only here: reading the record's status needs no pandas

    # Plain rows, not objects: a report or a scoring reads every sampled case.
    rows = plain_rows(session, _SAMPLE_OF, {"inspection_id": inspection_id})
    return pd.DataFrame([tuple(r) for r in rows], columns=_SAMPLE_COLUMNS)


_SAMPLE_COLUMNS = [*CASELOAD_COLUMNS, "allocated_to"]
# Built once: every scoring and report reads it.
_SAMPLE_OF = (
    sqlalchemy.select(*(getattr(SampledCase, c) for c in _SAMPLE_COLUMNS))
    .where(col(SampledCase.inspection_id) == sqlalchemy.bindparam("inspection_id"))
    .order_by(col(SampledCase.case_id))
)


def store_sample(
    session: Session, *, inspection_id: int, sample: Sample, now: dt.datetime, actor: str
) -> None:
    """Store the sample's cases and audit how it was drawn."""
    rows = sample.cases[[*CASELOAD_COLUMNS, "allocated_to"]].to_dict("records")
    session.execute(insert(SampledCase), [{**r, "inspection_id": inspection_id} for r in rows])
    local = int((sample.cases["allocated_to"] == "local_assessor").sum())
    notes = "; ".join(sample.warnings)
    record_audit(
        session,
        at=now,
        actor=actor,
        entity="sample",
        entity_id=inspection_id,
        inspection_id=inspection_id,
        action="selected",
        to_state=f"{len(rows)} cases",
        why=(
            f"{len(rows)} of {sample.eligible} eligible cases ({sample.caseload_size} in the "
            f"caseload), {local} to local assessors" + (f"; {notes}" if notes else "")
        ),
    )


def judgements_of(session: Session, *, inspection_id: int) -> pd.DataFrame:
    """Return the stored judgements with each case's attributes, for scoring."""
    import pandas as pd  # only here: reading the record's status needs no pandas

    rows = session.execute(
        sqlalchemy.select(
            col(Judgement.case_id),
            col(Judgement.question_id),
            col(Judgement.judgement),
            col(Judgement.assessor),
            col(SampledCase.gender),
            col(SampledCase.ethnicity),
            col(SampledCase.age_band),
            col(SampledCase.rosh),
        )
        .join(
            SampledCase,
            (col(SampledCase.inspection_id) == Judgement.inspection_id)
            & (col(SampledCase.case_id) == Judgement.case_id),
        )
        .where(col(Judgement.inspection_id) == inspection_id)
    ).all()
    return pd.DataFrame(
        [tuple(r) for r in rows],
        columns=[*JUDGEMENT_COLUMNS, "gender", "ethnicity", "age_band", "rosh"],
    )


def _judgement_rows(frame: pd.DataFrame) -> list[tuple[str, ...]]:
    """The judgement columns as text, a tuple a row (column lists: no per-cell boxing)."""
    return list(zip(*(frame[c].astype(str).tolist() for c in JUDGEMENT_COLUMNS), strict=True))


def _as_set(frame: pd.DataFrame) -> set[tuple[str, ...]]:
    return set(_judgement_rows(frame))


def store_judgements(
    session: Session,
    *,
    inspection_id: int,
    judgements: pd.DataFrame,
    now: dt.datetime,
    actor: str,
) -> bool:
    """Replace the stored judgements with these; return False when they are the same already."""
    incoming = judgements.assign(assessor=judgements.get("assessor", ""))
    stored = judgements_of(session, inspection_id=inspection_id)
    same = incoming.empty if stored.empty else _as_set(incoming) == _as_set(stored)
    if same:
        return False
    replaced = session.execute(
        delete(Judgement).where(col(Judgement.inspection_id) == inspection_id)
    ).rowcount  # type: ignore[attr-defined]
    rows = [
        {"inspection_id": inspection_id, **dict(zip(JUDGEMENT_COLUMNS, row, strict=True))}
        for row in _judgement_rows(incoming)
    ]
    # Through the session's connection, in its transaction: an ORM bulk insert costs twice
    # as much for the thousand-odd rows of an inspection.
    session.connection().execute(insert(Judgement), rows)
    record_audit(
        session,
        at=now,
        actor=actor,
        entity="judgements",
        entity_id=inspection_id,
        inspection_id=inspection_id,
        action="imported",
        to_state=f"{len(rows)} judgements",
        why=f"{len(rows)} judgements" + (f", replacing {replaced}" if replaced else ""),
    )
    return True


def store_scores(
    session: Session, *, inspection_id: int, scores: Scores, now: dt.datetime, actor: str
) -> None:
    """Replace the stored question, criterion and headline scores and ratings."""
    session.execute(delete(Score).where(col(Score.inspection_id) == inspection_id))
    rows = (
        [
            {
                "level": "question",
                "key": q,
                "sufficient": int(s),
                "applicable": int(a),
                "score": float(p),
            }
            for q, s, a, p in scores.questions.itertuples(index=False)
        ]
        + [
            {
                "level": "criterion",
                "key": c,
                "sufficient": int(s),
                "applicable": int(a),
                "score": float(p),
            }
            for c, s, a, p in scores.criteria.itertuples(index=False)
        ]
        + [{"level": "headline", "key": h, "score": float(p)} for h, p in scores.headline().items()]
        + [{"level": "rating", "key": c, "rating": r} for c, r in scores.ratings.items()]
    )
    session.execute(
        insert(Score),
        [
            {
                "sufficient": None,
                "applicable": None,
                "score": None,
                "rating": None,
                **r,
                "inspection_id": inspection_id,
            }
            for r in rows
        ],
    )
    headline = ", ".join(f"{h} {p:.1f}%" for h, p in scores.headline().items())
    record_audit(
        session,
        at=now,
        actor=actor,
        entity="scores",
        entity_id=inspection_id,
        inspection_id=inspection_id,
        action="scored",
        why=headline,
    )


def headline_scores(session: Session, *, inspection_id: int) -> dict[str, float]:
    """Return the stored headline scores of an inspection."""
    rows = _scores_at_level(session, inspection_id, "headline")
    return {key: float(score) for key, _s, _a, score, _r in rows if score is not None}


def criterion_counts(session: Session, *, inspection_id: int) -> dict[str, tuple[int, int]]:
    """Return each criterion's stored (sufficient, applicable) counts."""
    rows = _scores_at_level(session, inspection_id, "criterion")
    return {key: (sufficient or 0, applicable or 0) for key, sufficient, applicable, *_ in rows}


def stored_ratings(session: Session, *, inspection_id: int) -> dict[str, str]:
    """Return each criterion's stored rating ('' where none was given)."""
    rows = _scores_at_level(session, inspection_id, "rating")
    return {key: rating or "" for key, *_, rating in rows}


def stored_score_rows(session: Session, *, inspection_id: int) -> Sequence[tuple[Any, ...]]:
    """Every stored score of an inspection: (level, key, sufficient, applicable, score, rating)."""
    return plain_rows(session, _SCORES, {"inspection_id": inspection_id})


def _scores_at_level(session: Session, inspection_id: int, level: str) -> Sequence[tuple[Any, ...]]:
    """(key, sufficient, applicable, score, rating) of each stored score at `level`."""
    return plain_rows(session, _SCORES_AT_LEVEL, {"inspection_id": inspection_id, "level": level})


def stored_score_summary(session: Session, *, inspection_id: int) -> dict[str, Any] | None:
    """Question, criterion and headline scores as stored (no re-scoring; no breakdowns).

    Shaped like `inspectorate score --json` (rounded alike) as far as a report needs;
    None if not scored.
    """
    rows = plain_rows(session, _SCORES, {"inspection_id": inspection_id})
    if not rows:
        return None
    summary: dict[str, Any] = {"questions": {}, "criteria": {}, "headline": {}, "ratings": {}}
    for level, key, sufficient, applicable, score, rating in rows:
        if level == "question":
            summary["questions"][key] = {
                "sufficient": sufficient,
                "applicable": applicable,
                "score": round(score or 0.0, 1),
            }
        elif level == "criterion" and score is not None:
            summary["criteria"][key] = round(score, 1)
        elif level == "headline" and score is not None:
            summary["headline"][key] = round(score, 1)
        elif level == "rating":
            summary["ratings"][key] = rating
    return summary


# Built once, read as plain rows: a report, a sign-off and a comparison each read them.
_SCORE_COLUMNS = (col(Score.key), col(Score.sufficient), col(Score.applicable), col(Score.score))
_SCORES = (
    sqlalchemy.select(col(Score.level), *_SCORE_COLUMNS, col(Score.rating))
    .where(col(Score.inspection_id) == sqlalchemy.bindparam("inspection_id"))
    .order_by(col(Score.id))
)
_SCORES_AT_LEVEL = (
    sqlalchemy.select(*_SCORE_COLUMNS, col(Score.rating))
    .where(
        col(Score.inspection_id) == sqlalchemy.bindparam("inspection_id"),
        col(Score.level) == sqlalchemy.bindparam("level"),
    )
    .order_by(col(Score.id))
)
