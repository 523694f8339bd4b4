"""Caseload extracts: reading the body's spreadsheet of cases and checking every row."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from inspectorate.adapters.tables import problems_where, read_table
from inspectorate.domain.errors import InvalidFile
from inspectorate.domain.sampling import ROSH_LEVELS
from inspectorate.domain.sampling_rules import CASELOAD_COLUMNS


def read_caseload(path: Path) -> pd.DataFrame:
    """Read a caseload extract (CSV or XLSX), refusing bad rows with row and column."""
    frame = read_table(path, CASELOAD_COLUMNS)
    frame["rosh"] = frame["rosh"].str.lower()
    starts = pd.to_datetime(frame["start_date"], format="%Y-%m-%d", errors="coerce")
    problems = problems_where(frame, frame["case_id"] == "", "case_id", "empty case id")
    problems += problems_where(
        frame,
        frame.duplicated("case_id") & (frame["case_id"] != ""),
        "case_id",
        "case {value!r} is listed twice",
    )
    problems += problems_where(
        frame, starts.isna(), "start_date", "{value!r} is not a date like 2013-05-13 (YYYY-MM-DD)"
    )
    problems += problems_where(
        frame,
        ~frame["rosh"].isin(ROSH_LEVELS),
        "rosh",
        "{value!r} is not one of " + ", ".join(ROSH_LEVELS),
    )
    problems += problems_where(frame, frame["case_type"] == "", "case_type", "empty case type")
    if problems:
        problems.sort(key=lambda p: int(p.split(",")[0].removeprefix("row ")))
        raise InvalidFile(str(path), problems)
    frame["start_date"] = starts.dt.date
    return frame.drop(columns=["row"])
