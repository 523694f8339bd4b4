"""The programme timeline as SVG: a bar per inspection by week, milestones as marks, today."""

from __future__ import annotations

import datetime as dt
from html import escape

from inspectorate.services.board import TimelineRow

WEEK = 7
LEFT, ROW, TOP, PX_PER_WEEK = 210, 18, 28, 7


def _x(day: dt.date, start: dt.date) -> float:
    return LEFT + (day - start).days / WEEK * PX_PER_WEEK


def _vertical(x: float, height: int, colour: str) -> str:
    return f'<line x1="{x:.1f}" y1="{TOP - 6}" x2="{x:.1f}" y2="{height}" stroke="{colour}"/>'


def timeline_svg(rows: list[TimelineRow], today: dt.date) -> str:
    """Bars from announcement to publication, fieldwork dark, marks for milestones, today red."""
    days = [d for r in rows for d in r.milestones.values()]
    if not days:
        return "<p>No inspections to show.</p>"
    start = min(days) - dt.timedelta(days=min(days).weekday())
    end = max(days) + dt.timedelta(days=WEEK)
    width = int(_x(end, start)) + 20
    height = TOP + ROW * len(rows) + 10
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" font-family="DejaVu Sans, sans-serif" font-size="11">',
        "<title>Programme timeline</title>",
    ]
    year = start.year
    while dt.date(year, 1, 1) <= end:
        for month in (1, 4, 7, 10):
            tick = dt.date(year, month, 1)
            if start <= tick <= end:
                x = _x(tick, start)
                parts.append(_vertical(x, height, "#e3e7ea"))
                parts.append(f'<text x="{x + 2:.1f}" y="{TOP - 10}">{tick:%b %Y}</text>')
        year += 1
    for n, row in enumerate(rows):
        y = TOP + n * ROW
        m = row.milestones
        name = row.body if len(row.body) <= 30 else row.body[:29] + "…"
        parts.append(
            f'<a href="/inspections/{row.id}"><text x="0" y="{y + 11}">{escape(name)}</text></a>'
        )
        first = m.get("announcement", m.get("fieldwork_start"))
        last = m.get("publication", m.get("fieldwork_end"))
        if first and last:
            x0, x1 = _x(first, start), _x(last, start)
            parts.append(
                f'<rect x="{x0:.1f}" y="{y + 2}" width="{max(x1 - x0, 2):.1f}" height="10" '
                f'fill="#c9d6e0"><title>{escape(row.body)}: {escape(row.status)}</title></rect>'
            )
        if "fieldwork_start" in m and "fieldwork_end" in m:
            x0 = _x(m["fieldwork_start"], start)
            x1 = _x(m["fieldwork_end"] + dt.timedelta(days=1), start)
            parts.append(
                f'<rect x="{x0:.1f}" y="{y + 2}" width="{max(x1 - x0, 2):.1f}" height="10" '
                'fill="#1d4f73"/>'
            )
        for kind, due in sorted(m.items(), key=lambda item: item[1]):
            x = _x(due, start)
            fill = "#1d4f73" if kind in row.done else "#ffffff"
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y + 7}" r="2.6" fill="{fill}" stroke="#1d4f73">'
                f"<title>{escape(kind.replace('_', ' '))} {due.isoformat()}</title></circle>"
            )
    if start <= today <= end:
        x = _x(today, start)
        parts.append(_vertical(x, height, "#b00020"))
        parts.append(f'<text x="{x + 3:.1f}" y="{height - 2}" fill="#b00020">today</text>')
    return "\n".join(parts + ["</svg>"])
