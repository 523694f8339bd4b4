"""A command's --out file: refused in one line where it cannot go, never left half-written."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli.files import write_out
from inspectorate.domain.errors import InvalidInput
from tests.test_cli import run

COMMANDS = [
    ["synthetic", "caseload", "Wales", "--size", "50"],
    ["programme", "plan", "iaow", "--start", "2013-04-01"],
]


@pytest.mark.parametrize("argv", COMMANDS, ids=lambda argv: " ".join(argv[:2]))
def test_an_out_file_in_a_folder_that_does_not_exist_is_refused_in_one_line(
    argv: list[str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    missing = tmp_path / "no-such-folder" / "out.csv"
    code, _out, err = run([*argv, "--out", str(missing)], capsys, monkeypatch)
    said = " ".join(err.split())
    assert code == 2 and "Traceback" not in err
    assert f"--out {missing}: the folder {missing.parent} does not exist; create it" in said
    code, _out, err = run([*argv, "--out", str(tmp_path)], capsys, monkeypatch)
    assert code == 2 and " ".join(err.split()).startswith(f"error: --out {tmp_path}")
    code, _out, _err = run([*argv, "--out", str(tmp_path / "out.csv")], capsys, monkeypatch)
    assert code == 0 and (tmp_path / "out.csv").read_text(encoding="utf-8")
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_a_write_that_fails_half_way_leaves_neither_a_file_nor_its_start(tmp_path: Path) -> None:
    out = tmp_path / "plan.csv"

    def half_then_full_disk(path: Path) -> None:
        path.write_text("body,fieldwork_start\nWales,", encoding="utf-8")
        raise OSError(28, "No space left on device")

    with pytest.raises(InvalidInput, match=r"cannot write it \(No space left on device\)"):
        write_out(out, half_then_full_disk)
    assert list(tmp_path.iterdir()) == []
    out.write_text("the plan before\n", encoding="utf-8")
    with pytest.raises(InvalidInput):
        write_out(out, half_then_full_disk)
    assert out.read_text(encoding="utf-8") == "the plan before\n"  # the old one stands
