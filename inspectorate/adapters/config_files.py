"""Reading the configuration files: programmes, frameworks, triggers, bodies, the inspectorate.

The domain validates what is read (`*_from_toml`, `body_from_row`); this module only reads,
naming the file in every error.
"""

from __future__ import annotations

import csv
import tomllib
from collections.abc import Collection
from functools import lru_cache
from pathlib import Path
from typing import Any

from inspectorate.domain.errors import ConfigError
from inspectorate.domain.frameworks import Framework, framework_from_toml
from inspectorate.domain.identity import Inspectorate, inspectorate_from_toml
from inspectorate.domain.programmes import ProgrammeDefinition, programme_from_toml
from inspectorate.domain.reference import BODY_FILES, BodyRecord, body_from_row
from inspectorate.domain.triggers import TriggerRule, rules_from_toml


def read_toml(path: Path, what: str) -> dict[str, Any]:
    """Parse a TOML file, or raise ConfigError naming the file and what it should hold."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read {what}: {exc}") from exc


def load_framework_file(path: Path) -> Framework:
    """Read and validate one framework TOML file; errors name the file and the field."""
    return framework_from_toml(read_toml(path, "framework"), where=str(path), code=path.stem)


def load_frameworks(directory: Path) -> dict[str, Framework]:
    """Load every `*.toml` framework in `directory`, keyed by code."""
    files = sorted(directory.glob("*.toml"))
    if not files:
        raise ConfigError(f"{directory}: no criteria frameworks (*.toml) found")
    return {f.code: f for f in (load_framework_file(p) for p in files)}


def load_programme_file(path: Path) -> ProgrammeDefinition:
    """Read and validate one programme TOML file; errors name the file and the field."""
    return programme_from_toml(read_toml(path, "programme"), where=str(path), code=path.stem)


def load_programmes(directory: Path) -> dict[str, ProgrammeDefinition]:
    """Load every `*.toml` programme in `directory`, keyed by code."""
    files = sorted(directory.glob("*.toml"))
    if not files:
        raise ConfigError(f"{directory}: no programme definitions (*.toml) found")
    return {p.code: p for p in (load_programme_file(f) for f in files)}


def load_rules(path: Path, produces: Collection[str] | None = None) -> list[TriggerRule]:
    """Read `[[trigger]]` rules from TOML; with `produces`, check every named score exists."""
    return rules_from_toml(read_toml(path, "trigger rules"), where=str(path), produces=produces)


@lru_cache(maxsize=16)
def _rules_in(path: Path, produces: frozenset[str]) -> list[TriggerRule]:
    return load_rules(path, produces=produces)


def rules_for(
    config_dir: Path, programme: ProgrammeDefinition, frameworks: dict[str, Framework]
) -> list[TriggerRule]:
    """Return the programme's trigger rules (config/triggers/<code>.toml), or none."""
    path = config_dir / "triggers" / f"{programme.code}.toml"
    if not path.exists() or programme.sampling is None:
        return []
    produces = frozenset(h.id for h in frameworks[programme.sampling.framework].headlines)
    return _rules_in(path, produces)


@lru_cache(maxsize=4)
def load_inspectorate(config_dir: Path) -> Inspectorate:
    """Read the inspectorate's name, addressees and signatories (config/inspectorate.toml)."""
    path = config_dir / "inspectorate.toml"
    return inspectorate_from_toml(read_toml(path, "the inspectorate's settings"), where=str(path))


def load_families(directory: Path) -> set[str]:
    """Return the ESI family names from esi_families.toml."""
    path = directory / "esi_families.toml"
    data = read_toml(path, "ESI families")
    try:
        return {str(f["name"]) for f in data["family"]}
    except (KeyError, TypeError) as exc:
        raise ConfigError(f"{path}: cannot read ESI families: {exc}") from exc


def load_bodies(directory: Path) -> list[BodyRecord]:
    """Read every body from the CSV files in `directory`, checking each row."""
    families = load_families(directory)
    bodies: list[BodyRecord] = []
    for kind, filename in BODY_FILES.items():
        path = directory / filename
        try:
            with path.open(newline="", encoding="utf-8") as handle:
                rows = list(csv.DictReader(handle))
        except OSError as exc:
            raise ConfigError(f"{path}: cannot read bodies: {exc}") from exc
        seen: set[str] = set()
        for line, row in enumerate(rows, start=2):
            bodies.append(body_from_row(row, kind, families, where=f"{path}:{line}"))
            if row["name"] in seen:
                raise ConfigError(f"{path}:{line}: {row['name']!r} is listed twice")
            seen.add(row["name"])
    return bodies
