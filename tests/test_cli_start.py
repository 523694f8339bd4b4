"""The command line imports only what a command uses, so it answers at once.

Speed itself is measured by bench/cli.py; these tests keep the heavy imports out of the
commands that do not need them, which is what the speed depends on.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("pandas", "scipy", "prefect", "openpyxl", "weasyprint", "fastapi", "alembic", "holidays")
PROBE = """
import json, sys
sys.argv = ["inspectorate", *json.loads(sys.argv[1])]
from cli.main import main
try:
    main()
except SystemExit:
    pass
run = {n for n, m in sys.modules.items() if type(m).__name__ != "_LazyModule"}  # executed
print("\\nLOADED " + json.dumps(sorted({n.split(".")[0] for n in run})))
"""


def quiet_env(tmp_path: Path) -> dict[str, str]:
    """A bare environment on the test's record that starts no server or runner."""
    return {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "PREFECT_HOME": str(tmp_path / "prefect"),
        "INSPECTORATE_DATABASE_URL": f"sqlite:///{tmp_path / 'record.db'}",
        "INSPECTORATE_WARM_RUNNER": "false",
        "INSPECTORATE_LOCAL_SERVER": "false",
    }


def loaded_by(argv: list[str], tmp_path: Path) -> set[str]:
    """The top-level packages a command has imported when it ends."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(argv)],
        env=quiet_env(tmp_path),
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return set(json.loads(done.stdout.rsplit("LOADED ", 1)[1]))


def test_the_entry_point_loads_only_the_standard_library_before_choosing() -> None:
    code = "import sys, cli.main; print(sorted({m.split('.')[0] for m in sys.modules}))"
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    loaded = set(eval(done.stdout))  # a printed list of names
    assert loaded.isdisjoint({"typer", "rich", "pydantic", "pendulum", "sqlalchemy", *HEAVY})


@pytest.mark.parametrize(
    "argv",
    [
        ["--help"],
        ["inspection", "advance", "--help"],
        ["milestones", "--programme", "iaow", "--fieldwork-start", "2014-02-10"],
    ],
)
def test_commands_without_the_record_load_no_heavy_library(argv: list[str], tmp_path: Path) -> None:
    loaded = loaded_by(argv, tmp_path)
    assert loaded.isdisjoint({*HEAVY, "sqlalchemy", "sqlmodel"}), sorted(loaded & {*HEAVY})


@pytest.mark.parametrize("argv", [["inspection", "list"], ["inspection", "show", "1"]])
def test_reading_the_record_loads_no_pandas_scipy_or_prefect(
    argv: list[str], tmp_path: Path
) -> None:
    subprocess.run(
        [sys.executable, "-m", "cli.main", "init"],
        env=quiet_env(tmp_path),  # no local server or runner started in the background
        cwd=ROOT,
        capture_output=True,
        check=True,
    )
    loaded = loaded_by(argv, tmp_path)
    assert "sqlalchemy" in loaded  # it did read the record
    assert loaded.isdisjoint(HEAVY), sorted(loaded & set(HEAVY))
