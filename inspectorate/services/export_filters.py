"""Which rows an export holds: the kinds of export and the filter a person gives."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from zoneinfo import ZoneInfo

from inspectorate.domain.errors import InvalidInput
from inspectorate.domain.programmes import find_programme
from inspectorate.services import context

LONDON = ZoneInfo("Europe/London")


class ExportKind(StrEnum):
    """What can be exported."""

    PLAN = "plan"
    RECORD = "record"
    AUDIT = "audit"


@dataclass(frozen=True)
class ExportFilter:
    """Which rows: one programme (or all), and days from and to (inclusive, or open)."""

    programme: str | None = None
    first_day: dt.date | None = None
    last_day: dt.date | None = None


def check_filter(
    programme: str | None, first_day: dt.date | None, last_day: dt.date | None
) -> ExportFilter:
    """The filter, or UnknownProgramme / InvalidInput saying what is wrong with it."""
    code = find_programme(context.programmes(), programme).code if programme else None
    if first_day and last_day and first_day > last_day:
        raise InvalidInput(
            f"the first day {first_day.isoformat()} is after the last day "
            f"{last_day.isoformat()}; swap them"
        )
    return ExportFilter(code, first_day, last_day)


def file_name(kind: ExportKind, filters: ExportFilter, today: dt.date, suffix: str) -> str:
    """A name for the downloaded file: 'inspectorate-plan-iaow-2014-02-10.xlsx'."""
    parts = ["inspectorate", kind.value, filters.programme or "all", today.isoformat()]
    return "-".join(parts) + f".{suffix}"
