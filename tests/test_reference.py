"""Reference data: 42 probation areas, 35 trusts, ESI families."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from inspectorate.adapters.config_files import load_bodies
from inspectorate.domain.errors import ConfigError
from inspectorate.domain.reference import BodyKind

BODIES = Path(__file__).resolve().parent.parent / "config" / "bodies"


def test_there_are_42_areas_and_35_trusts() -> None:
    bodies = load_bodies(BODIES)
    assert sum(b.kind is BodyKind.AREA for b in bodies) == 42
    assert sum(b.kind is BodyKind.TRUST for b in bodies) == 35


def test_welsh_bodies_are_flagged() -> None:
    welsh = {b.name for b in load_bodies(BODIES) if b.in_wales}
    assert welsh == {"Dyfed-Powys", "Gwent", "North Wales", "South Wales", "Wales"}


def test_esi_families_named_by_the_seed() -> None:
    families = {b.name: b.family for b in load_bodies(BODIES) if b.kind is BodyKind.AREA}
    assert families["County Durham"] == "medium size higher density"
    assert families["Essex"] == "large size high density"
    assert families["London"] is None  # the seed does not say which family


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("Atlantis,Wales,maybe,\n", "in_wales must be true or false"),
        ("Atlantis,South West,true,\n", "disagrees with region"),
        ("Atlantis,South West,false,tiny\n", "unknown ESI family"),
        (",South West,false,\n", "name and region are required"),
        ("Avon and Somerset,South West,false,\n", "listed twice"),
        ("Atlantis,South West,false,,2001-13-01,\n", "valid_from '2001-13-01' is not a date"),
        ("Atlantis,South West,false,,2010-04-01,2001-04-01\n", "valid_until 2001-04-01 is before"),
    ],
)
def test_bad_rows_name_file_and_line(tmp_path: Path, row: str, message: str) -> None:
    folder = tmp_path / "bodies"
    shutil.copytree(BODIES, folder)
    with (folder / "probation_areas.csv").open("a") as handle:
        handle.write(row)
    with pytest.raises(ConfigError, match=message) as raised:
        load_bodies(folder)
    assert "probation_areas.csv:44" in str(raised.value)


def test_youth_offending_teams_named_by_seed_004_are_loaded() -> None:
    yots = {b.name: b.region for b in load_bodies(BODIES) if b.kind is BodyKind.YOT}
    assert len(yots) == 54
    assert yots["North Lincolnshire"] == "Yorkshire and the Humber"
    assert yots["Lambeth"] == "London"


def test_bodies_carry_the_dates_they_existed() -> None:
    """Areas 2001-2010 and trusts 2010 to May 2014 (config/bodies/README.md); YOTs open."""
    bodies = load_bodies(BODIES)
    spans: dict[BodyKind, set[tuple[dt.date | None, dt.date | None]]] = {
        b.kind: set() for b in bodies
    }
    for b in bodies:
        spans[b.kind].add((b.valid_from, b.valid_until))
    assert spans == {
        BodyKind.AREA: {(dt.date(2001, 4, 1), dt.date(2010, 3, 31))},
        BodyKind.TRUST: {(dt.date(2010, 4, 1), dt.date(2014, 5, 31))},
        BodyKind.YOT: {(dt.date(2000, 4, 1), None)},
    }
    trust = next(b for b in bodies if b.name == "Durham Tees Valley")
    assert trust.exists_throughout(dt.date(2014, 5, 19), dt.date(2014, 5, 23))
    assert not trust.exists_throughout(dt.date(2014, 5, 26), dt.date(2014, 6, 2))
    assert trust.lifetime() == "from 2010-04-01 to 2014-05-31"


def test_validity_columns_are_optional(tmp_path: Path) -> None:
    folder = tmp_path / "bodies"
    shutil.copytree(BODIES, folder)
    path = folder / "youth_offending_teams.csv"
    rows = path.read_text().splitlines()
    path.write_text("\n".join(line.rsplit(",", 2)[0] for line in rows) + "\n")
    yots = [b for b in load_bodies(folder) if b.kind is BodyKind.YOT]
    assert yots and all(b.valid_from is None and b.valid_until is None for b in yots)
    assert yots[0].lifetime() == "with no end date"
