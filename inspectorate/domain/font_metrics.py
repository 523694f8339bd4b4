"""Advance widths of DejaVu Sans, the font of the charts, so labels are measured, not cut.

Generated from DejaVuSans.ttf with fontTools (the `hmtx` advance of each character's glyph,
units of 1/2048 em) for Basic Latin, Latin-1, Latin Extended-A, Welsh ŵ ŷ ẁ ẃ ẅ ỳ and
typographic punctuation. Kerning is ignored: it only ever narrows DejaVu's text, so a measured
width is never too small. A character outside the table counts as the widest one.
"""

from __future__ import annotations

from functools import cache

UNITS_PER_EM = 2048
# (first code point, advance widths of it and the code points that follow)
_RUNS: tuple[tuple[int, tuple[int, ...]], ...] = (
    (0x0020, (651, 821, 942, 1716, 1303, 1946, 1597, 563, 799, 799, 1024, 1716)),
    (0x002C, (651, 739, 651, 690, 1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303)),
    (0x0038, (1303, 1303, 690, 690, 1716, 1716, 1716, 1087, 2048, 1401, 1405, 1430)),
    (0x0044, (1577, 1294, 1178, 1587, 1540, 604, 604, 1343, 1141, 1767, 1532, 1612)),
    (0x0050, (1235, 1612, 1423, 1300, 1251, 1499, 1401, 2025, 1403, 1251, 1403, 799)),
    (0x005C, (690, 799, 1716, 1024, 1024, 1255, 1300, 1126, 1300, 1260, 721, 1300)),
    (0x0068, (1298, 569, 569, 1186, 569, 1995, 1298, 1253, 1300, 1300, 842, 1067)),
    (0x0074, (803, 1298, 1212, 1675, 1212, 1212, 1075, 1303, 690, 1303, 1716)),
    (0x00A0, (651, 821, 1303, 1303, 1303, 1303, 690, 1024, 1024, 2048, 965, 1253)),
    (0x00AC, (1716, 739, 2048, 1024, 1024, 1716, 821, 821, 1024, 1303, 1303, 651)),
    (0x00B8, (1024, 821, 965, 1253, 1985, 1985, 1985, 1087, 1401, 1401, 1401, 1401)),
    (0x00C4, (1401, 1401, 1995, 1430, 1294, 1294, 1294, 1294, 604, 604, 604, 604)),
    (0x00D0, (1587, 1532, 1612, 1612, 1612, 1612, 1612, 1716, 1612, 1499, 1499, 1499)),
    (0x00DC, (1499, 1251, 1239, 1290, 1255, 1255, 1255, 1255, 1255, 1255, 2011, 1126)),
    (0x00E8, (1260, 1260, 1260, 1260, 569, 569, 569, 569, 1253, 1298, 1253, 1253)),
    (0x00F4, (1253, 1253, 1253, 1716, 1253, 1298, 1298, 1298, 1298, 1212, 1300, 1212)),
    (0x0100, (1401, 1255, 1401, 1255, 1401, 1255, 1430, 1126, 1430, 1126, 1430, 1126)),
    (0x010C, (1430, 1126, 1577, 1300, 1587, 1300, 1294, 1260, 1294, 1260, 1294, 1260)),
    (0x0118, (1294, 1260, 1294, 1260, 1587, 1300, 1587, 1300, 1587, 1300, 1587, 1300)),
    (0x0124, (1540, 1298, 1876, 1423, 604, 569, 604, 569, 604, 569, 604, 569)),
    (0x0130, (604, 569, 1208, 1138, 604, 569, 1343, 1186, 1186, 1141, 569, 1141)),
    (0x013C, (569, 1141, 768, 1141, 700, 1151, 582, 1532, 1298, 1532, 1298, 1532)),
    (0x0148, (1298, 1666, 1532, 1298, 1612, 1253, 1612, 1253, 1612, 1253, 2191, 2095)),
    (0x0154, (1423, 842, 1423, 842, 1423, 842, 1300, 1067, 1300, 1067, 1300, 1067)),
    (0x0160, (1300, 1067, 1251, 803, 1251, 803, 1251, 803, 1499, 1298, 1499, 1298)),
    (0x016C, (1499, 1298, 1499, 1298, 1499, 1298, 1499, 1298, 2025, 1675, 1251, 1212)),
    (0x0178, (1251, 1403, 1075, 1403, 1075, 1403, 1075)),
    (0x2013, (1024, 2048)),
    (0x2018, (651, 651)),
    (0x201C, (1061, 1061)),
    (0x2022, (1208,)),
    (0x2026, (2048,)),
    (0x1E80, (2025, 1675, 2025, 1675, 2025, 1675)),
    (0x1EF2, (1251, 1212)),
)
_WIDTHS = {chr(start + i): w for start, widths in _RUNS for i, w in enumerate(widths)}
_WIDEST = max(_WIDTHS.values())


@cache
def _units(text: str) -> int:
    return sum(_WIDTHS.get(c, _WIDEST) for c in text)


def text_width(text: str, size: float) -> float:
    """The width of `text` set in DejaVu Sans at font size `size`, in the same units."""
    return _units(text) * size / UNITS_PER_EM


def wrap(text: str, width: float, size: float) -> list[str]:
    """Break `text` at spaces into lines no wider than `width` (a longer word keeps its line)."""
    lines: list[str] = []
    for word in text.split():
        if lines and text_width(f"{lines[-1]} {word}", size) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]
