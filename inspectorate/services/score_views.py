"""What the CLI shows of scores across inspections, as plain rows."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from inspectorate.adapters.models import Body, Inspection, Score
from inspectorate.domain.frameworks import Framework


@dataclass(frozen=True)
class HeadlineScores:
    """One scored inspection's headline scores, keyed by headline id."""

    inspection_id: int
    body: str
    scores: dict[str, float]


def headline_scores(session: Session, framework: Framework) -> list[HeadlineScores]:
    """Return every inspection scored on any of the framework's headlines, in id order."""
    rows = session.exec(
        select(Score, Inspection, Body.name)
        .join(Inspection, col(Inspection.id) == Score.inspection_id)
        .join(Body, col(Body.id) == Inspection.body_id)
        .where(Score.level == "headline")
        .order_by(col(Inspection.id))
    ).all()
    by_inspection: dict[tuple[int, str], dict[str, float]] = {}
    for score, inspection, body in rows:
        assert inspection.id is not None and score.score is not None
        by_inspection.setdefault((inspection.id, body), {})[score.key] = score.score
    ours = {h.id for h in framework.headlines}
    return [
        HeadlineScores(inspection_id, body, scores)
        for (inspection_id, body), scores in by_inspection.items()
        if ours & set(scores)
    ]
