"""Charts as SVG text: no plotting library, the same bytes every time for the same data."""

from __future__ import annotations

from html import escape

from inspectorate.report_context import Finding


def findings_chart(findings: list[Finding], title: str) -> str:
    """One bar per question: the share sufficient (dark) and insufficient (light)."""
    width, row, left = 640, 22, 70
    height = 36 + row * len(findings)
    scale = (width - left - 60) / 100
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" font-family="DejaVu Sans, sans-serif" font-size="11">',
        f"<title>{escape(title)}</title>",
    ]
    for n, f in enumerate(findings):
        y = 10 + n * row
        done = f.score * scale
        parts += [
            f'<text x="0" y="{y + 13}">{escape(f.question_id)}</text>',
            f'<rect x="{left}" y="{y}" width="{done:.1f}" height="16" fill="#1d4f73"/>',
            f'<rect x="{left + done:.1f}" y="{y}" width="{100 * scale - done:.1f}" height="16" '
            f'fill="#c9d6e0"/>',
            f'<text x="{left + 100 * scale + 6:.1f}" y="{y + 13}">{f.score:.0f}% '
            f"({f.sufficient}/{f.applicable})</text>",
        ]
    legend = 16 + row * len(findings)
    parts += [
        f'<rect x="{left}" y="{legend}" width="10" height="10" fill="#1d4f73"/>',
        f'<text x="{left + 14}" y="{legend + 9}">sufficient</text>',
        f'<rect x="{left + 90}" y="{legend}" width="10" height="10" fill="#c9d6e0"/>',
        f'<text x="{left + 104}" y="{legend + 9}">insufficient (not applicable left out)</text>',
        "</svg>",
    ]
    return "\n".join(parts)
