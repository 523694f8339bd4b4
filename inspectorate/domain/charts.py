"""Charts as SVG text: no plotting library, the same bytes every time for the same data."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from inspectorate.domain.report_context import Finding, HeadlineComparison

Gettext = Callable[[str], str]
DARK, LIGHT, GREY = "#1d4f73", "#c9d6e0", "#8a8a8a"


def _as_is(message: str) -> str:
    return message


def _open(width: int, height: int, title: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" font-family="DejaVu Sans, sans-serif" font-size="11">',
        f"<title>{escape(title)}</title>",
    ]


def _legend(x: int, y: int, entries: list[tuple[str, str]]) -> list[str]:
    parts = []
    for colour, label in entries:
        parts += [
            f'<rect x="{x}" y="{y}" width="10" height="10" fill="{colour}"/>',
            f'<text x="{x + 14}" y="{y + 9}">{escape(label)}</text>',
        ]
        x += 24 + 7 * len(label)
    return parts


def findings_chart(findings: list[Finding], title: str, _: Gettext = _as_is) -> str:
    """One bar per question: the share sufficient (dark) and insufficient (light)."""
    width, row, left = 640, 22, 70
    height = 36 + row * len(findings)
    scale = (width - left - 60) / 100
    parts = _open(width, height, title)
    for n, f in enumerate(findings):
        y = 10 + n * row
        done = f.score * scale
        parts += [
            f'<text x="0" y="{y + 13}">{escape(f.question_id)}</text>',
            f'<rect x="{left}" y="{y}" width="{done:.1f}" height="16" fill="{DARK}"/>',
            f'<rect x="{left + done:.1f}" y="{y}" width="{100 * scale - done:.1f}" height="16" '
            f'fill="{LIGHT}"/>',
            f'<text x="{left + 100 * scale + 6:.1f}" y="{y + 13}">{f.score:.0f}% '
            f"({f.sufficient}/{f.applicable})</text>",
        ]
    parts += _legend(
        left,
        16 + row * len(findings),
        [(DARK, _("sufficient")), (LIGHT, _("insufficient (not applicable left out)"))],
    )
    return "\n".join(parts + ["</svg>"])


def headline_chart(rows: list[HeadlineComparison], title: str, _: Gettext = _as_is) -> str:
    """Per headline: this body's score (dark) beside the programme aggregate (grey)."""
    width, row, left = 640, 40, 230
    height = 36 + row * len(rows)
    scale = (width - left - 60) / 100
    parts = _open(width, height, title)
    for n, r in enumerate(rows):
        y = 10 + n * row
        name = r.name if len(r.name) <= 34 else r.name[:33] + "…"
        parts += [
            f'<text x="0" y="{y + 20}">{escape(name)}</text>',
            f'<rect x="{left}" y="{y}" width="{r.score * scale:.1f}" height="14" fill="{DARK}"/>',
            f'<text x="{left + r.score * scale + 4:.1f}" y="{y + 11}">{r.score:.0f}%</text>',
        ]
        if r.aggregate is not None:
            parts += [
                f'<rect x="{left}" y="{y + 16}" width="{r.aggregate * scale:.1f}" height="14" '
                f'fill="{GREY}"/>',
                f'<text x="{left + r.aggregate * scale + 4:.1f}" y="{y + 27}">'
                f"{r.aggregate:.0f}%</text>",
            ]
    parts += _legend(
        left,
        16 + row * len(rows),
        [(DARK, _("this inspection")), (GREY, _("programme aggregate (published inspections)"))],
    )
    return "\n".join(parts + ["</svg>"])
