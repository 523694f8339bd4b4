"""Programme analytics as the annual reports give them: per headline score, the aggregate,
lowest and highest, overall and by region or family (seed 004 §3.4)."""

from __future__ import annotations

from html import escape

import pandas as pd
from sqlmodel import Session, col, select

from inspectorate.adapters.models import Body, Inspection, Programme, Score
from inspectorate.domain.font_metrics import wrap
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
    """Per headline, a bar for all inspections and one per group, each with its range.

    Names wrap rather than being cut; the value sits after its bar, so no bar hides it.
    """
    width, left, bar, size = 760, 260, 20, 12
    scale = (width - left - 60) / 100
    parts: list[str] = []
    y = 36
    for headline in table.loc[table["group"] == "all", "headline"]:
        for line in wrap(names.get(str(headline), str(headline)), width - 20, size + 1):
            parts.append(f'<text x="10" y="{y + 14}" font-weight="bold">{escape(line)}</text>')
            y += 18
        for row in table[table["headline"] == headline].itertuples():
            overall = row.group == "all"
            labels = wrap("All inspections" if overall else str(row.group), left - 30, size)
            height = max(bar + 6, 15 * len(labels) + 6)
            parts += [
                f'<text x="20" y="{y + 15 + 15 * n}">{escape(text)}</text>'
                for n, text in enumerate(labels)
            ]
            end = left + row.aggregate * scale
            parts += [
                f'<rect x="{left}" y="{y + 3}" width="{row.aggregate * scale:.1f}" '
                f'height="{bar}" fill="{"#1d70b8" if overall else "#5694ca"}">'
                f"<title>{row.aggregate:.0f}%</title></rect>",
                f'<line x1="{left + row.lowest * scale:.1f}" '
                f'x2="{left + row.highest * scale:.1f}" y1="{y + 3 + bar / 2}" '
                f'y2="{y + 3 + bar / 2}" stroke="#0b0c0c" stroke-width="2"/>',
                f'<text x="{end + 6:.1f}" y="{y + 18}">{row.aggregate:.0f}%</text>',
            ]
            y += height
        y += 12
    head = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{y + 8}" '
        f'viewBox="0 0 {width} {y + 8}" font-family="DejaVu Sans, sans-serif" '
        f'font-size="{size}" role="img">',
        f"<title>{escape(title)}</title>",
        f'<text x="10" y="20" font-size="14" font-weight="bold">{escape(title)}</text>',
    ]
    return "\n".join([*head, *parts, "</svg>"]) + "\n"


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
