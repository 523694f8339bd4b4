"""What the CLI shows of scores: headline, criterion and breakdown tables."""

from __future__ import annotations

from typing import Any

from rich.table import Table
from sqlmodel import Session, col, select

from inspectorate.adapters.models import Body, Inspection, Score
from inspectorate.domain.frameworks import Framework


def headline_scores_table(session: Session, framework: Framework) -> Table:
    """Return every scored inspection's headline scores (with rating bands), one row each."""
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
    table = Table(title=f"{framework.name}: headline scores (% of work done well enough)")
    table.add_column("inspection")
    for headline in framework.headlines:
        table.add_column(headline.name.split(" by ")[0], justify="right", max_width=14)
    ours = {h.id for h in framework.headlines}
    for (inspection_id, body), scores in by_inspection.items():
        if not ours & set(scores):
            continue
        cells = [f"{scores[h.id]:.0f}%" if h.id in scores else "—" for h in framework.headlines]
        table.add_row(f"{inspection_id} {body}", *cells)
    return table


def score_tables(data: dict[str, Any], framework: Framework) -> list[Table]:
    """Return headline, criterion and breakdown tables for `Scores.as_json` data."""
    headlines = Table(title=f"{framework.name}: headline scores")
    for heading in ("headline", "score", "band"):
        headlines.add_column(heading)
    names = {h.id: h.name for h in framework.headlines}
    for key, value in data["headline"].items():
        headlines.add_row(names[key], f"{value:.1f}%", data.get("bands", {}).get(key) or "")
    for criterion, rating in data.get("ratings", {}).items():
        headlines.add_row(f"{criterion} (rated)", rating, "")
    criteria = Table(title="Criteria and questions")
    for heading in ("criterion / question", "sufficient / applicable", "score"):
        criteria.add_column(heading)
    for key, value in data["criteria"].items():
        criteria.add_row(key, "", f"{value:.1f}%")
    for key, q in data["questions"].items():
        criteria.add_row(f"  {key}", f"{q['sufficient']} / {q['applicable']}", f"{q['score']:.1f}%")
    tables = [headlines, criteria]
    for dimension, groups in data.get("breakdowns", {}).items():
        table = Table(title=f"By {dimension.replace('_', ' ')}")
        table.add_column("group")
        table.add_column("cases")
        for key in data["headline"]:
            table.add_column(key)
        for group, entry in groups.items():
            scores = entry.get("headline", {})
            table.add_row(
                group,
                str(entry["cases"]) + (" (suppressed)" if entry["suppressed"] else ""),
                *[f"{scores[k]:.1f}%" if k in scores else "—" for k in data["headline"]],
            )
        tables.append(table)
    return tables
