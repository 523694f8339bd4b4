"""Reference data: 42 probation areas, 35 trusts, ESI families."""

from __future__ import annotations

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
