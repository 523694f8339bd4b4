"""Programme definitions: the shipped ones load; malformed ones fail clearly."""

from __future__ import annotations

from pathlib import Path

import pendulum
import pytest

from inspectorate.adapters.config_files import load_programme_file, load_programmes
from inspectorate.domain.errors import ConfigError, UnknownProgramme
from inspectorate.domain.programmes import Offset, find_programme

CONFIG = Path(__file__).resolve().parent.parent / "config" / "programmes"


def test_shipped_programmes_load() -> None:
    programmes = load_programmes(CONFIG)
    assert {"iaow", "esi"} <= set(programmes)
    assert programmes["iaow"].body_kind == "trust"
    assert programmes["esi"].body_kind == "area"


def test_find_programme_lists_known_codes() -> None:
    with pytest.raises(UnknownProgramme, match="known programmes: apa, cci, esi, iaow"):
        find_programme(load_programmes(CONFIG), "omi9")


@pytest.mark.parametrize(
    ("text", "days"),
    [("-10 weeks", -70), ("+3 weeks", 21), ("4 days", 4), ("+1 week", 7)],
)
def test_offsets_parse(text: str, days: int) -> None:
    start = pendulum.date(2014, 2, 10)
    assert (Offset.parse(text).apply(start) - start).in_days() == days


def test_month_offsets_are_calendar_months() -> None:
    assert Offset.parse("+12 months").apply(pendulum.date(2014, 1, 31)) == pendulum.date(
        2015, 1, 31
    )


def _write(tmp_path: Path, body: str, name: str = "demo") -> Path:
    path = tmp_path / f"{name}.toml"
    text = (CONFIG / "iaow.toml").read_text().replace('code = "iaow"', f'code = "{name}"')
    path.write_text(text + body if body.startswith("\n") else body)
    return path


def test_a_copy_of_iaow_under_another_code_loads(tmp_path: Path) -> None:
    assert load_programme_file(_write(tmp_path, "\n")).code == "demo"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            '\n[[milestones]]\nkind = "x"\nlabel = "X"\nafter = "nowhere"\noffset = "+1 week"\n',
            "must be defined above it",
        ),
        (
            '\n[[milestones]]\nkind = "x"\nlabel = "X"\nafter = "publication"\noffset = "soon"\n',
            "is not like",
        ),
        ('\n[[milestones]]\nkind = "x"\nlabel = "X"\nafter = "publication"\n', "needs both"),
        (
            '\n[[milestones]]\nkind = "publication"\nlabel = "X"\nafter = "fieldwork_start"\n'
            'offset = "+1 week"\n',
            "defined twice",
        ),
        (
            '\n[[milestones]]\nkind = "x"\nlabel = "X"\nafter = "publication"\noffset = "+1 week"\n'
            'colour = "red"\n',
            "colour",
        ),
        (
            '\n[[milestones]]\nkind = "x"\nlabel = "X"\nafter = "publication"\noffset = "+1 week"\n'
            'stage = "publish"\n',
            "completes two milestones",
        ),
        (
            '\n[[milestones]]\nkind = "x"\nlabel = "X"\nafter = "publication"\noffset = "+1 week"\n'
            'roll = "sideways"\n',
            "roll",
        ),
    ],
)
def test_malformed_programme_names_the_file_and_the_problem(
    tmp_path: Path, extra: str, message: str
) -> None:
    path = _write(tmp_path, extra)
    with pytest.raises(ConfigError, match=message) as raised:
        load_programme_file(path)
    assert str(path) in str(raised.value)


def test_programme_missing_a_stage_is_refused(tmp_path: Path) -> None:
    text = (CONFIG / "iaow.toml").read_text().replace('stage = "publish"\n', "")
    path = tmp_path / "iaow.toml"
    path.write_text(text)
    with pytest.raises(ConfigError, match="missing: publish"):
        load_programme_file(path)


def test_code_must_match_file_name(tmp_path: Path) -> None:
    path = tmp_path / "other.toml"
    path.write_text((CONFIG / "iaow.toml").read_text())
    with pytest.raises(ConfigError, match="must match the file name"):
        load_programme_file(path)


def test_invalid_toml_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text("code = \n")
    with pytest.raises(ConfigError, match="cannot read programme"):
        load_programme_file(path)


def test_empty_folder_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no programme definitions"):
        load_programmes(tmp_path)
