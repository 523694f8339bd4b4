"""Reading an XLSX workbook people send, within bounds: size, expansion, rows, cells, cell text.

An XLSX file is a zip archive of XML, so a 22 KB upload can hold a 20 MB cell. Before any
parsing the archive is checked against its declared sizes (which zipfile enforces while
reading: it never returns more than a member declares, and a lie fails its CRC); then the
first sheet is read row by row (openpyxl read-only mode, its declared dimensions ignored),
counting rows and cells and measuring every cell as it comes.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

MAX_UNCOMPRESSED = 100_000_000  # bytes of XML, all members together
MAX_RATIO = 200  # how many times a member may expand (real workbooks: 5-40)
RATIO_FROM = 1_000_000  # ratios are only checked for members expanding beyond this
MAX_MEMBERS = 10_000
MAX_ROWS = 1_048_576  # Excel's own limit per sheet
MAX_CELLS = 2_000_000
MAX_CELL_CHARS = 32_767  # Excel's own limit per cell
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted .xlsx and old .xls files
_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)


class UnreadableWorkbook(ValueError):
    """The workbook is refused; the message says why, for the person who sent it."""


@dataclass(frozen=True)
class Sheet:
    """The first sheet as text: its header, its non-blank rows and their sheet row numbers."""

    header: list[str]
    rows: list[list[str]]
    numbers: list[int]


def check_archive(raw: bytes) -> None:
    """Refuse what is not a plain, reasonably sized XLSX zip archive, before parsing it."""
    if raw.startswith(_OLE_MAGIC):
        raise UnreadableWorkbook(
            "a password-protected or old-format (.xls) workbook; save it without a password "
            "as an Excel Workbook (.xlsx)"
        )
    try:
        members = zipfile.ZipFile(io.BytesIO(raw)).infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
        raise UnreadableWorkbook(
            f"not a readable XLSX workbook (not a zip archive: {exc})"
        ) from exc
    if len(members) > MAX_MEMBERS:
        raise UnreadableWorkbook(f"an archive of {len(members):,} parts is not a workbook")
    total = 0
    for member in members:
        if member.flag_bits & 0x1:
            raise UnreadableWorkbook("the archive is encrypted; save it without a password")
        if member.compress_type not in _METHODS:
            raise UnreadableWorkbook("an archive compressed in a way Excel does not use")
        total += member.file_size
        expands = member.file_size / max(member.compress_size, 1)
        if member.file_size > RATIO_FROM and expands > MAX_RATIO:
            raise UnreadableWorkbook(
                f"a part that expands {expands:,.0f} times ({member.file_size / 1e6:,.0f} MB); "
                f"workbooks expand at most {MAX_RATIO} times"
            )
    if total > MAX_UNCOMPRESSED:
        raise UnreadableWorkbook(
            f"it expands to {total / 1e6:,.0f} MB; the limit is {MAX_UNCOMPRESSED / 1e6:,.0f} MB "
            "(split it, or send a CSV file)"
        )


def read_first_sheet(raw: bytes) -> Sheet:
    """Return the first sheet's cells as text, refusing a workbook beyond the limits."""
    check_archive(raw)
    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True, keep_links=False)
    except Exception as exc:  # openpyxl raises many types for a damaged workbook
        raise UnreadableWorkbook(f"not a readable XLSX workbook ({type(exc).__name__})") from exc
    try:
        if not book.worksheets:
            raise UnreadableWorkbook("the workbook has no worksheet")
        sheet = book.worksheets[0]
        sheet.reset_dimensions()  # never pad rows to a declared size (A1:XFD1048576)
        return _collect(sheet.iter_rows(values_only=True))
    except UnreadableWorkbook:
        raise
    except Exception as exc:
        raise UnreadableWorkbook(f"not a readable XLSX workbook ({type(exc).__name__})") from exc
    finally:
        book.close()


def _collect(source: Iterable[Sequence[object]]) -> Sheet:
    header: list[str] | None = None
    rows: list[list[str]] = []
    numbers: list[int] = []
    cells = 0
    for number, values in enumerate(source, start=1):
        if number > MAX_ROWS:
            raise UnreadableWorkbook(f"more than {MAX_ROWS:,} rows")
        cells += len(values)
        if cells > MAX_CELLS:
            raise UnreadableWorkbook(
                f"more than {MAX_CELLS:,} cells (by row {number:,}); split it or send a CSV file"
            )
        texts = [_text(value, number, column) for column, value in enumerate(values, start=1)]
        while texts and texts[-1] == "":
            texts.pop()
        if not texts:
            continue  # a blank row, as pandas skips them
        if header is None:
            header = texts
        else:
            rows.append(texts)
            numbers.append(number)
    return _squared(header or [], rows, numbers)


def _text(value: object, row: int, column: int) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        if len(value) > MAX_CELL_CHARS:
            raise UnreadableWorkbook(
                f"cell {get_column_letter(column)}{row} holds {len(value):,} characters; "
                f"a cell holds at most {MAX_CELL_CHARS:,}"
            )
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    return str(value)


def _squared(header: list[str], rows: list[list[str]], numbers: list[int]) -> Sheet:
    """Pad header and rows to one width; name unnamed columns, number repeated ones."""
    width = max([len(header), *(len(r) for r in rows)])
    names: list[str] = []
    seen: dict[str, int] = {}
    for index, name in enumerate(header + [""] * (width - len(header))):
        name = name if name.strip() else f"unnamed: {index}"
        count = seen.get(name, 0)
        seen[name] = count + 1
        names.append(f"{name}.{count}" if count else name)
    return Sheet(names, [r + [""] * (width - len(r)) for r in rows], numbers)
