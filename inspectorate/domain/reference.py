"""Reference data: the probation areas and trusts of England and Wales, and ESI families."""

from __future__ import annotations

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


BODY_FILES = {
    BodyKind.AREA: "probation_areas.csv",
    BodyKind.TRUST: "probation_trusts.csv",
    BodyKind.YOT: "youth_offending_teams.csv",
}
_BOOL = {"true": True, "false": False}


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
    return BodyRecord(name=name, kind=kind, region=region, in_wales=_BOOL[wales], family=family)
