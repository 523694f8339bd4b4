"""Reference data: the probation areas and trusts of England and Wales, and ESI families."""

from __future__ import annotations

import csv
import tomllib
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

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


_FILES = {
    BodyKind.AREA: "probation_areas.csv",
    BodyKind.TRUST: "probation_trusts.csv",
    BodyKind.YOT: "youth_offending_teams.csv",
}
_BOOL = {"true": True, "false": False}


def load_families(directory: Path) -> set[str]:
    """Return the ESI family names from esi_families.toml."""
    path = directory / "esi_families.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        return {str(f["name"]) for f in data["family"]}
    except (OSError, tomllib.TOMLDecodeError, KeyError, TypeError) as exc:
        raise ConfigError(f"{path}: cannot read ESI families: {exc}") from exc


def load_bodies(directory: Path) -> list[BodyRecord]:
    """Read every body from the CSV files in `directory`, checking each row."""
    families = load_families(directory)
    bodies: list[BodyRecord] = []
    for kind, filename in _FILES.items():
        path = directory / filename
        try:
            with path.open(newline="", encoding="utf-8") as handle:
                rows = list(csv.DictReader(handle))
        except OSError as exc:
            raise ConfigError(f"{path}: cannot read bodies: {exc}") from exc
        seen: set[str] = set()
        for line, row in enumerate(rows, start=2):
            bodies.append(_body_from_row(row, kind, families, where=f"{path}:{line}"))
            if row["name"] in seen:
                raise ConfigError(f"{path}:{line}: {row['name']!r} is listed twice")
            seen.add(row["name"])
    return bodies


def _body_from_row(
    row: dict[str, str], kind: BodyKind, families: set[str], *, where: str
) -> BodyRecord:
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
