"""Charts as SVG text: no plotting library, the same bytes every time for the same data.

Every label is measured with the font's own widths (font_metrics) and the chart is laid out
around the widest: long names wrap onto more lines and the drawing widens rather than cut a
label. The SVG's title carries the data as text, the alternative a screen reader reads.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from html import escape

from inspectorate.domain.font_metrics import text_width, wrap
from inspectorate.domain.report_context import Finding, HeadlineComparison

Gettext = Callable[[str], str]
DARK, LIGHT, GREY = "#1d4f73", "#c9d6e0", "#6b6b6b"
WIDTH = 640  # the usual width of a chart, in its own units (11 units a font size)
FONT, LINE, GAP, KEY = 11, 13, 8, 10
NAME_COLUMN = 240  # headline names wrap to this width (a longer word widens the column)
MIN_BAR = 240  # bars are never squeezed shorter than this to make room for labels


def _as_is(message: str) -> str:
    return message


def width_of(text: str) -> float:
    """The width of a chart label, in the chart's units."""
    return text_width(text, FONT)


def _open(width: float, height: float, alternative: str) -> list[str]:
    return [
        # two units to spare: positions are written to a tenth of a unit
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {math.ceil(width) + 2} '
        f'{math.ceil(height)}" width="100%" role="img" '
        f'font-family="DejaVu Sans, sans-serif" font-size="{FONT}">',
        f"<title>{escape(alternative)}</title>",
    ]


def _text(x: float, y: float, text: str, fill: str = "#111") -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}" fill="{fill}">{escape(text)}</text>'


def legend(x: float, y: float, width: float, entries: list[tuple[str, str]]) -> list[str]:
    """Colour keys side by side from `x`, onto a new line where the next would not fit."""
    parts, left = [], x
    for colour, label in entries:
        needed = KEY + 4 + width_of(label)
        if x > left and x + needed > width:
            x, y = left, y + LINE + 4
        parts += [
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{KEY}" height="{KEY}" fill="{colour}"/>',
            _text(x + KEY + 4, y + 9, label),
        ]
        x += needed + 16
    return parts


def legend_height(x: float, width: float, labels: list[str]) -> float:
    """How tall `legend` draws these labels (one line, or more where they wrap)."""
    lines, left = 1, x
    for label in labels:
        needed = KEY + 4 + width_of(label)
        if x > left and x + needed > width:
            x, lines = left, lines + 1
        x += needed + 16
    return lines * (LINE + 4)


def findings_chart(findings: Sequence[Finding], title: str, _: Gettext = _as_is) -> str:
    """One bar per question, numbered as in the text: sufficient dark, insufficient light."""
    labels = [str(f.number or n) for n, f in enumerate(findings, start=1)]
    values = [f"{f.score:.0f}% ({f.sufficient}/{f.applicable})" for f in findings]
    left = max(width_of(label) for label in labels) + GAP
    right = GAP + max(width_of(value) for value in values)
    bar = max(MIN_BAR, WIDTH - left - right)
    width = left + bar + right
    keys = [_("sufficient"), _("insufficient (not applicable left out)")]
    row = 22
    height = 10 + row * len(findings) + 6 + legend_height(left, width, keys)
    alternative = f"{title}: " + "; ".join(f"{n} {v}" for n, v in zip(labels, values, strict=True))
    parts = _open(width, height, alternative)
    for n, (label, f, value) in enumerate(zip(labels, findings, values, strict=True)):
        y, done = 10 + n * row, f.score * bar / 100
        parts += [
            _text(0, y + 12, label),
            f'<rect x="{left:.1f}" y="{y}" width="{done:.1f}" height="16" fill="{DARK}"/>',
            f'<rect x="{left + done:.1f}" y="{y}" width="{bar - done:.1f}" height="16" '
            f'fill="{LIGHT}"/>',
            _text(left + bar + GAP, y + 12, value),
        ]
    parts += legend(left, 16 + row * len(findings), width, [(DARK, keys[0]), (LIGHT, keys[1])])
    return "\n".join(parts + ["</svg>"])


def headline_chart(rows: Sequence[HeadlineComparison], title: str, _: Gettext = _as_is) -> str:
    """Per headline: this body's score (dark) beside the programme's aggregate (grey)."""
    names = [wrap(r.name, NAME_COLUMN, FONT) for r in rows]
    left = max(NAME_COLUMN, *(width_of(line) for lines in names for line in lines)) + GAP
    right = GAP + 4 + width_of("100%")
    bar = max(MIN_BAR, WIDTH - left - right)
    width = left + bar + right
    keys = [_("this inspection"), _("programme aggregate (published inspections)")]
    heights = [max(len(lines) * LINE, 32) + 10 for lines in names]
    height = 10 + sum(heights) + legend_height(left, width, keys)
    alternative = f"{title}: " + "; ".join(
        f"{r.name} {r.score:.0f}%" + ("" if r.aggregate is None else f" ({r.aggregate:.0f}%)")
        for r in rows
    )
    parts, y = _open(width, height, alternative), 10.0
    for r, lines, row in zip(rows, names, heights, strict=True):
        parts += [_text(0, y + 11 + i * LINE, line) for i, line in enumerate(lines)]
        for offset, value, colour in ((0, r.score, DARK), (16, r.aggregate, GREY)):
            if value is None:
                continue
            length = value * bar / 100
            parts += [
                f'<rect x="{left:.1f}" y="{y + offset:.1f}" width="{length:.1f}" height="14" '
                f'fill="{colour}"/>',
                _text(left + length + 4, y + offset + 11, f"{value:.0f}%"),
            ]
        y += row
    parts += legend(left, y, width, [(DARK, keys[0]), (GREY, keys[1])])
    return "\n".join(parts + ["</svg>"])
