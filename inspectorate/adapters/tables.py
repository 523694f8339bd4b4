"""Reading the spreadsheets people send: CSV (UTF-8) or XLSX, every cell as text."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from inspectorate.domain.errors import InvalidFile


def read_table(path: Path, required: tuple[str, ...]) -> pd.DataFrame:
    """Read a CSV or XLSX file as text; check it has rows and the `required` columns.

    Column names are matched case-insensitively and trimmed; cells are trimmed strings
    ('' when empty). A `row` column gives each row's line number as a person sees it.
    """
    where = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InvalidFile(where, [f"cannot read the file: {exc.strerror or exc}"]) from exc
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        try:
            frame = pd.read_excel(io.BytesIO(raw), dtype=str, engine="openpyxl")
        except Exception as exc:  # openpyxl raises many types for a damaged workbook
            raise InvalidFile(where, [f"not a readable XLSX workbook ({exc})"]) from exc
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
                f"{', '.join(frame.columns) or 'no columns'}"
            ],
        )
    if frame.empty:
        raise InvalidFile(where, ["the file has a header but no rows"])
    frame = frame.fillna("").astype(str).apply(lambda column: column.str.strip())
    frame.insert(0, "row", range(2, len(frame) + 2))
    return frame


def problems_where(frame: pd.DataFrame, mask: pd.Series, column: str, what: str) -> list[str]:
    """Describe each flagged row as 'row N, column C: <what with {value}>'."""
    flagged = frame.loc[mask, ["row", column]]
    return [
        f"row {row}, column {column}: {what.format(value=value)}"
        for row, value in flagged.itertuples(index=False)
    ]
