"""Programme analytics as the annual reports give them: per headline score, the aggregate,
lowest and highest, overall and by region or family (seed 004 §3.4)."""

from __future__ import annotations

from html import escape

import pandas as pd
from sqlmodel import Session, col, select

from inspectorate.adapters.models import Body, Inspection, Programme, Score
from inspectorate.domain.frameworks import Framework
from inspectorate.domain.lifecycle import PUBLISHED_STATUSES
from inspectorate.domain.programmes import ProgrammeDefinition

COLUMNS = [
    "group",
    "headline",
    "inspections",
    "aggregate",
    "lowest",
    "lowest_body",
    "highest",
    "highest_body",
]


def summarise(scores: pd.DataFrame, by: str | None) -> pd.DataFrame:
    """Summarise headline scores (columns body, region, family, headline, score).

    The aggregate is the mean of the inspections' headline scores; group 'all' covers every
    inspection, then one row per region or family when `by` is given.
    """
    if scores.empty:
        return pd.DataFrame(columns=COLUMNS)
    frames = [scores.assign(group="all")]
    if by:
        frames.append(scores.assign(group=scores[by].fillna("(none)")))
    every = pd.concat(frames, ignore_index=True)
    grouped = every.groupby(["group", "headline"], sort=False)["score"]
    table = grouped.agg(
        inspections="count", aggregate="mean", lowest="min", highest="max"
    ).reset_index()
    low = every.loc[grouped.idxmin(), ["group", "headline", "body"]].rename(
        columns={"body": "lowest_body"}
    )
    high = every.loc[grouped.idxmax(), ["group", "headline", "body"]].rename(
        columns={"body": "highest_body"}
    )
    table = table.merge(low, on=["group", "headline"]).merge(high, on=["group", "headline"])
    order = {"all": ""}
    table["order"] = table["group"].map(lambda g: order.get(g, str(g)))
    return (
        table.sort_values(["order", "headline"])
        .drop(columns="order")[COLUMNS]
        .reset_index(drop=True)
    )


def chart_svg(table: pd.DataFrame, title: str, names: dict[str, str]) -> str:
    """A bar per headline (the aggregate of all inspections) with its lowest-highest range."""
    rows = table[table["group"] == "all"]
    width, bar_height, left = 720, 34, 300
    height = 60 + bar_height * len(rows)
    scale = (width - left - 40) / 100
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'font-family="DejaVu Sans, sans-serif" font-size="12" role="img">',
        f"<title>{escape(title)}</title>",
        f'<text x="10" y="20" font-size="14" font-weight="bold">{escape(title)}</text>',
    ]
    for n, row in enumerate(rows.itertuples()):
        y = 40 + n * bar_height
        label = names.get(str(row.headline), str(row.headline))
        parts += [
            f'<text x="10" y="{y + 16}">{escape(label[:44])}</text>',
            f'<rect x="{left}" y="{y + 4}" width="{row.aggregate * scale:.1f}" height="18" '
            f'fill="#3d6a8f"><title>{row.aggregate:.0f}%</title></rect>',
            f'<line x1="{left + row.lowest * scale:.1f}" x2="{left + row.highest * scale:.1f}" '
            f'y1="{y + 13}" y2="{y + 13}" stroke="#222" stroke-width="2"/>',
            f'<text x="{left + row.aggregate * scale + 4:.1f}" y="{y + 17}" fill="#fff" '
            f'dx="-40">{row.aggregate:.0f}%</text>',
        ]
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def headline_frame(session: Session, code: str, *, published_only: bool = False) -> pd.DataFrame:
    """Every stored headline score of the programme's first inspections, with body details."""
    query = (
        select(Score, Body)
        .join(Inspection, col(Inspection.id) == Score.inspection_id)
        .join(Body, col(Body.id) == Inspection.body_id)
        .join(Programme, col(Programme.id) == Inspection.programme_id)
        .where(Programme.code == code, Score.level == "headline", Inspection.kind == "inspection")
    )
    if published_only:
        query = query.where(col(Inspection.status).in_(PUBLISHED_STATUSES))
    return pd.DataFrame(
        [(b.name, b.region, b.family, s.key, s.score) for s, b in session.exec(query).all()],
        columns=["body", "region", "family", "headline", "score"],
    )


def headline_names(
    programme: ProgrammeDefinition, frameworks: dict[str, Framework]
) -> dict[str, str]:
    """Headline ids to names for a programme (empty when it scores nothing)."""
    if programme.sampling is None:
        return {}
    return {h.id: h.name for h in frameworks[programme.sampling.framework].headlines}
