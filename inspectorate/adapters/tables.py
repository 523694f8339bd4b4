"""Reading the spreadsheets people send: CSV (UTF-8) or XLSX, every cell as text."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from inspectorate.adapters.xlsx import UnreadableWorkbook, read_first_sheet
from inspectorate.domain.errors import InvalidFile, cut

QUOTED = 80  # characters of a cell's value quoted in a message


def read_table(path: Path, required: tuple[str, ...]) -> pd.DataFrame:
    """Read a CSV or XLSX file as text; check it has rows and the `required` columns.

    Column names are matched case-insensitively and trimmed; cells are trimmed strings
    ('' when empty). A `row` column gives each row's line number as a person sees it.
    An XLSX workbook is read within bounds (inspectorate.adapters.xlsx): expansion, rows,
    cells, characters per cell.
    """
    where = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InvalidFile(where, [f"cannot read the file: {exc.strerror or exc}"]) from exc
    numbers: list[int] | None = None
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        try:
            sheet = read_first_sheet(raw)
        except UnreadableWorkbook as exc:
            raise InvalidFile(where, [str(exc)]) from exc
        frame = pd.DataFrame(sheet.rows, columns=sheet.header, dtype=str)
        numbers = sheet.numbers
    else:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InvalidFile(
                where, [f"not UTF-8 text (byte {exc.start}); save it as 'CSV UTF-8' and try again"]
            ) from exc
        if not text.strip():
            raise InvalidFile(
                where, ["the file is empty; expected a header row with " + ", ".join(required)]
            )
        try:
            frame = pd.read_csv(
                io.StringIO(text), dtype=str, keep_default_na=False, skipinitialspace=True
            )
        except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
            raise InvalidFile(where, [f"not a readable CSV file ({exc})"]) from exc
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise InvalidFile(
            where,
            [
                f"missing column(s) {', '.join(missing)}; the file has "
                f"{_listed(list(frame.columns)) or 'no columns'}"
            ],
        )
    if frame.empty:
        raise InvalidFile(where, ["the file has a header but no rows"])
    frame = frame.fillna("").astype(str).apply(lambda column: column.str.strip())
    frame = frame.drop(columns="row", errors="ignore")  # the file's own 'row' column gives way
    frame.insert(0, "row", numbers if numbers is not None else range(2, len(frame) + 2))
    return frame


def problems_where(frame: pd.DataFrame, mask: pd.Series, column: str, what: str) -> list[str]:
    """Describe each flagged row as 'row N, column C: <what with {value}>' (value cut short)."""
    flagged = frame.loc[mask, ["row", column]]
    return [
        f"row {row}, column {column}: {what.format(value=cut(value, QUOTED))}"
        for row, value in flagged.itertuples(index=False)
    ]


def _listed(names: list[str], budget: int = 150) -> str:
    """'a, b and 7 more': names (each cut short) up to about `budget` characters."""
    shown: list[str] = []
    for name in names:
        item = cut(name, 40)
        if shown and sum(len(s) + 2 for s in shown) + len(item) > budget:
            break
        shown.append(item)
    rest = len(names) - len(shown)
    return ", ".join(shown) + (f" and {rest} more" if rest else "")
