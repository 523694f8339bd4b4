"""The programme timeline as SVG: a bar per inspection by week, milestones as marks, the day."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from html import escape

from inspectorate.services.as_of import TimelineRow

WEEK = 7
LEFT, TOP, LINE, RIGHT = 260, 40, 13, 110
# The weeks are drawn at most this wide, and all of them in at most PLOT_WIDTH pixels: the
# chart fits the page's column (960 pixels) however long the page's inspections run. A page
# whose inspections span years (the first page of a programme planned over three, seen
# today) drew a chart of some 12,000 pixels, with the day off screen.
MAX_PX_PER_WEEK, PLOT_WIDTH = 16.0, 590
MONTH_LABEL = 60  # pixels a month's label ("Sep 2014") needs before the next
LABEL_WIDTH = LEFT - 16  # names wrap within this many pixels
FONT_SIZE = 11
RED, DARK, PALE = "#b00020", "#1d4f73", "#c9d6e0"


@dataclass(frozen=True)
class Scale:
    """Where the chart's weeks start and how wide each is drawn."""

    start: dt.date
    px_per_week: float

    def x(self, day: dt.date) -> float:
        """The horizontal position of `day`."""
        return LEFT + (day - self.start).days / WEEK * self.px_per_week


def scale_for(first: dt.date, end: dt.date) -> Scale:
    """From the Monday of `first` to `end`, in PLOT_WIDTH pixels at most."""
    start = first - dt.timedelta(days=first.weekday())
    weeks = max((end - start).days / WEEK, 1)
    return Scale(start, min(MAX_PX_PER_WEEK, PLOT_WIDTH / weeks))


def text_width(text: str, size: float = FONT_SIZE) -> float:
    """A generous estimate of the width of `text` in DejaVu Sans (never narrower than drawn)."""
    wide, narrow = "MWmw@—%", " ilj.,'|!:;"
    return size * sum(
        1.0 if c in wide else 0.36 if c in narrow else 0.8 if c.isupper() else 0.66 for c in text
    )


def wrap(text: str, width: float = LABEL_WIDTH) -> list[str]:
    """`text` in lines no wider than `width` pixels, broken between words (a long word alone)."""
    lines: list[str] = []
    for word in text.split():
        if lines and text_width(f"{lines[-1]} {word}") <= width:
            lines[-1] = f"{lines[-1]} {word}"
            continue
        while text_width(word) > width and len(word) > 1:
            cut = max((n for n in range(1, len(word)) if text_width(word[:n]) <= width), default=1)
            lines.append(word[:cut])
            word = word[cut:]
        lines.append(word)
    return lines or [""]


def _vertical(x: float, height: int, colour: str, width: float = 1) -> str:
    return (
        f'<line x1="{x:.1f}" y1="{TOP - 8}" x2="{x:.1f}" y2="{height}" stroke="{colour}" '
        f'stroke-width="{width}"/>'
    )


def _axis(scale: Scale, end: dt.date, height: int) -> list[str]:
    """A line and label a month, or every second, third, sixth or twelfth when weeks are narrow."""
    month_px = scale.px_per_week * 52 / 12
    step = next((k for k in (1, 2, 3, 6) if k * month_px >= MONTH_LABEL), 12)
    parts = []
    tick = dt.date(scale.start.year, scale.start.month, 1)
    while tick <= end:
        if tick >= scale.start and (tick.month - 1) % step == 0:
            x = scale.x(tick)
            parts.append(_vertical(x, height, "#e3e7ea"))
            parts.append(f'<text x="{x + 2:.1f}" y="{TOP - 12}">{tick:%b %Y}</text>')
        tick = dt.date(tick.year + tick.month // 12, tick.month % 12 + 1, 1)
    return parts


def _row(row: TimelineRow, y: int, height: int, scale: Scale) -> list[str]:
    m = row.milestones
    names = wrap(row.label)
    spans = "".join(
        f'<tspan x="0" y="{y + LINE * (n + 1)}">{escape(line)}</tspan>'
        for n, line in enumerate(names)
    )
    state = escape(row.status.replace("_", " "))
    if row.overdue:
        state += f' — <tspan fill="{RED}" font-weight="bold">{len(row.overdue)} overdue</tspan>'
    parts = [
        f'<a href="/inspections/{row.id}"><text>{spans}</text></a>',
        f'<text x="0" y="{y + LINE * (len(names) + 1)}" fill="#555" font-size="10">{state}</text>',
    ]
    mid = y + height // 2
    first = m.get("announcement", m.get("fieldwork_start"))
    last = m.get("publication", m.get("fieldwork_end"))
    if first and last:
        x0, x1 = scale.x(first), scale.x(last)
        parts.append(
            f'<rect x="{x0:.1f}" y="{mid - 6}" width="{max(x1 - x0, 2):.1f}" height="12" '
            f'fill="{PALE}"><title>{escape(row.label)}: {state}</title></rect>'
        )
    if "fieldwork_start" in m and "fieldwork_end" in m:
        x0 = scale.x(m["fieldwork_start"])
        x1 = scale.x(m["fieldwork_end"] + dt.timedelta(days=1))
        parts.append(
            f'<rect x="{x0:.1f}" y="{mid - 8}" width="{max(x1 - x0, 10):.1f}" height="16" '
            f'fill="{DARK}"><title>fieldwork {m["fieldwork_start"].isoformat()} to '
            f"{m['fieldwork_end'].isoformat()}</title></rect>"
        )
    for kind, due in sorted(m.items(), key=lambda item: item[1]):
        x, what = scale.x(due), kind.replace("_", " ")
        if kind in row.overdue:
            fill, stroke, r, note = RED, RED, 4, " — overdue"
        else:
            fill, stroke, r = (DARK if kind in row.done else "#ffffff"), DARK, 3
            note = " — done" if kind in row.done else ""
        parts.append(
            f'<circle cx="{x:.1f}" cy="{mid}" r="{r}" fill="{fill}" stroke="{stroke}" '
            f'stroke-width="1.2"><title>{escape(what)} {due.isoformat()}{note}</title></circle>'
        )
    return parts


def timeline_svg(rows: list[TimelineRow], today: dt.date, marker: str = "today") -> str:
    """Bars from announcement to publication, fieldwork dark, milestones marked, the day red."""
    days = [d for r in rows for d in r.milestones.values()]
    if not days:
        return "<p>No inspections to show.</p>"
    end = max(days) + dt.timedelta(days=WEEK)
    scale = scale_for(min(days), end)
    heights = [LINE * (len(wrap(r.label)) + 1) + 8 for r in rows]
    width = int(scale.x(end)) + RIGHT
    height = TOP + sum(heights) + 18
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="group" aria-label="Programme timeline" '
        'font-family="DejaVu Sans, sans-serif" '
        f'font-size="{FONT_SIZE}">',
        "<title>Programme timeline</title>",
    ]
    y = TOP
    for n, h in enumerate(heights):
        if n % 2:
            parts.append(f'<rect x="0" y="{y}" width="{width}" height="{h}" fill="#f4f6f8"/>')
        y += h
    parts += _axis(scale, end, height)
    y = TOP
    for row, h in zip(rows, heights, strict=True):
        parts += _row(row, y, h, scale)
        y += h
    if scale.start <= today <= end:
        x = scale.x(today)
        parts.append(_vertical(x, height, RED, 1.5))
        parts.append(f'<text x="{x + 3:.1f}" y="{height - 4}" fill="{RED}">{escape(marker)}</text>')
    else:  # the page's inspections are all before the day, or all after it
        after = today > end
        label = f"{marker} {today.day} {today:%b %Y}" if marker == "today" else marker
        label = f"{label} →" if after else f"← {label}"
        x = width - 4 if after else LEFT + 2
        anchor = "end" if after else "start"
        parts.append(
            f'<text x="{x:.1f}" y="{height - 4}" fill="{RED}" text-anchor="{anchor}">'
            f"{escape(label)}</text>"
        )
    return "\n".join(parts + ["</svg>"])
