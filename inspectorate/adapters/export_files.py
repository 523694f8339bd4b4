"""Writing exports people open in Excel: a table as XLSX or CSV, guarded against formulas.

A cell of text that starts with = + - @, a tab or a carriage return could be taken for a
formula by a spreadsheet (CSV or formula injection: a body's name or an audit note typed as
`=HYPERLINK(...)`). In CSV such a cell gets a leading apostrophe (OWASP's advice); in XLSX
it is stored as text with Excel's own "quote prefix", so it shows as typed and never runs.

CSV files are UTF-8 with a byte-order mark: without it Excel on Windows reads them as the
local code page and garbles Welsh names (ŵ, ŷ) and dashes; Python (`utf-8-sig`), pandas and
this product's own readers accept the mark. Dates are ISO (2014-02-10), which Excel reads as
dates in any locale; times are ISO 8601 with their UTC offset, unambiguous in the hour the
clocks go back. In XLSX dates and times are real Excel dates, times in London's wall clock.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import tempfile
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

RISKY_STARTS = ("=", "+", "-", "@", "\t", "\r")
MAX_CELL_CHARS = 32_767  # Excel's limit per cell
MAX_WIDTH = 60  # characters: wider columns wrap in Excel rather than push the rest away
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
_DATE_FORMAT = "d mmmm yyyy"
_TIME_FORMAT = "d mmmm yyyy hh:mm"
_NUMBER_FORMAT = "0.0"


class ExportFormat(StrEnum):
    """The file formats an export is written in."""

    XLSX = "xlsx"
    CSV = "csv"

    @property
    def media_type(self) -> str:
        """The Content-Type of a file in this format."""
        return XLSX_TYPE if self is ExportFormat.XLSX else CSV_TYPE


class Kind(StrEnum):
    """What a column holds, so each format writes it as its own type."""

    TEXT = "text"
    INTEGER = "integer"
    NUMBER = "number"
    DATE = "date"
    TIME = "time"  # an aware datetime


Cell = str | int | float | dt.date | dt.datetime | None


@dataclass(frozen=True)
class Column:
    """One column of an export: its heading and what its cells hold."""

    heading: str
    kind: Kind = Kind.TEXT


@dataclass(frozen=True)
class ExportTable:
    """Rows to export under their columns, with the sheet's title."""

    title: str
    columns: tuple[Column, ...]
    rows: list[tuple[Cell, ...]] = field(default_factory=list)


def neutralised(text: str) -> str:
    """Return `text` with a leading apostrophe when a spreadsheet could take it for a formula."""
    return "'" + text if text.startswith(RISKY_STARTS) else text


def to_csv(table: ExportTable) -> bytes:
    """The table as UTF-8 CSV (with a byte-order mark for Excel), formulas neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([neutralised(c.heading) for c in table.columns])
    for row in table.rows:
        writer.writerow([_csv_cell(value) for value in row])
    return out.getvalue().encode("utf-8-sig")


def _csv_cell(value: Cell) -> str | int | float:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return neutralised(value)
    return value


def to_xlsx(table: ExportTable, london: dt.tzinfo) -> bytes:
    """The table as XLSX: a frozen bold header (on each printed page), fitted widths, real dates."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)  # streams rows: an audit trail can be long
    sheet = book.create_sheet(_sheet_title(table.title))
    sheet.freeze_panes = "A2"
    sheet.print_title_rows = "1:1"  # the header on every printed page too
    for number, width in enumerate(_widths(table), start=1):
        sheet.column_dimensions[get_column_letter(number)].width = width
    bold = Font(bold=True)
    header = []
    for column in table.columns:
        cell = WriteOnlyCell(sheet, value=_text(column.heading))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in table.rows:
        cells = []
        for column, value in zip(table.columns, row, strict=True):
            cell = WriteOnlyCell(sheet, value=_xlsx_value(value, london))
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, whatever it starts with
                cell.quotePrefix = value.startswith(RISKY_STARTS)
            elif column.kind is Kind.DATE:
                cell.number_format = _DATE_FORMAT
            elif column.kind is Kind.TIME:
                cell.number_format = _TIME_FORMAT
            elif column.kind is Kind.NUMBER:
                cell.number_format = _NUMBER_FORMAT
            cells.append(cell)
        sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _xlsx_value(value: Cell, london: dt.tzinfo) -> Cell:
    if isinstance(value, dt.datetime):
        # Excel has no time zones: the London wall-clock time a person reads.
        return value.astimezone(london).replace(tzinfo=None)
    if isinstance(value, str):
        return _text(value)
    return value


def _text(value: str) -> str:
    """Text Excel can hold: no control characters XML forbids, at most a cell's length."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("", value)[:MAX_CELL_CHARS]


def _sheet_title(title: str) -> str:
    """A worksheet name Excel accepts: at most 31 characters, none of []:*?/\\."""
    return "".join(c for c in title if c not in "[]:*?/\\")[:31] or "Export"


def _widths(table: ExportTable) -> list[int]:
    """Each column's width in characters: its longest cell as shown, within bounds."""
    widths = []
    for index, column in enumerate(table.columns):
        longest = len(column.heading)
        if column.kind is Kind.DATE:
            longest = max(longest, 17)  # "30 September 2014"
        elif column.kind is Kind.TIME:
            longest = max(longest, 23)
        else:
            for row in table.rows:
                value = row[index]
                if value is not None:
                    longest = max(longest, len(str(value)))
        widths.append(min(longest, MAX_WIDTH) + 2)
    return widths


def write_atomically(path: Path, data: bytes, *, replace: bool) -> None:
    """Write `data` to `path` through a temporary file in the same folder, then rename.

    A reader never sees half a file, and a failure leaves nothing behind. Unless `replace`,
    an existing file is left alone (FileExistsError), even one created meanwhile.
    """
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        if replace:
            os.replace(temporary, path)
        else:
            os.link(temporary, path)  # fails if the path exists, unlike a rename
            os.unlink(temporary)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
