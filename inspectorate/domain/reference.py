"""Reference data: the probation areas and trusts of England and Wales, and ESI families.

A body exists between `valid_from` and `valid_until` (both inclusive; None is open). The
dates are in config/bodies/*.csv; config/bodies/README.md gives their sources.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from inspectorate.domain.errors import ConfigError


class BodyKind(StrEnum):
    """The kinds of body that are inspected."""

    AREA = "area"
    TRUST = "trust"
    YOT = "yot"


@dataclass(frozen=True)
class BodyRecord:
    """One inspected body as listed in config/bodies."""

    name: str
    kind: BodyKind
    region: str
    in_wales: bool
    family: str | None = None
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None

    def exists_throughout(self, first: dt.date, last: dt.date) -> bool:
        """True when the body exists on every day from `first` to `last`."""
        return (self.valid_from is None or self.valid_from <= first) and (
            self.valid_until is None or last <= self.valid_until
        )

    def lifetime(self) -> str:
        """The dates it exists, in words: 'from 2010-04-01 to 2014-05-31'."""
        begin = f"from {self.valid_from.isoformat()}" if self.valid_from else ""
        end = f"to {self.valid_until.isoformat()}" if self.valid_until else "with no end date"
        return f"{begin} {end}".strip()


BODY_FILES = {
    BodyKind.AREA: "probation_areas.csv",
    BodyKind.TRUST: "probation_trusts.csv",
    BodyKind.YOT: "youth_offending_teams.csv",
}
_BOOL = {"true": True, "false": False}


def _date(row: dict[str, str], column: str, where: str) -> dt.date | None:
    text = (row.get(column) or "").strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ConfigError(f"{where}: {column} {text!r} is not a date like 2010-04-01") from None


def body_from_row(
    row: dict[str, str], kind: BodyKind, families: set[str], *, where: str
) -> BodyRecord:
    """Check one row of a bodies CSV file and return the body it lists."""
    name, region = (row.get("name") or "").strip(), (row.get("region") or "").strip()
    wales = (row.get("in_wales") or "").strip().lower()
    family = (row.get("esi_family") or "").strip() or None
    if not name or not region:
        raise ConfigError(f"{where}: name and region are required")
    if wales not in _BOOL:
        raise ConfigError(f"{where}: in_wales must be true or false, not {wales!r}")
    if family is not None and family not in families:
        raise ConfigError(f"{where}: unknown ESI family {family!r}; known: {sorted(families)}")
    if _BOOL[wales] != (region == "Wales"):
        raise ConfigError(f"{where}: in_wales={wales} disagrees with region {region!r}")
    valid_from, valid_until = _date(row, "valid_from", where), _date(row, "valid_until", where)
    if valid_from and valid_until and valid_until < valid_from:
        raise ConfigError(f"{where}: valid_until {valid_until} is before valid_from {valid_from}")
    return BodyRecord(
        name=name,
        kind=kind,
        region=region,
        in_wales=_BOOL[wales],
        family=family,
        valid_from=valid_from,
        valid_until=valid_until,
    )
