"""Retiring stage runs booked ahead on deploying (against a server: tests/test_server_mode.py)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_no_server_to_ask_is_one_line_and_exit_2() -> None:
    env = {**os.environ, "PREFECT_API_URL": "http://127.0.0.1:9/api"}  # nothing listens there
    done = subprocess.run(
        [str(ROOT / ".venv/bin/python"), "deployments/retire_booked_runs.py"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2 and done.stdout == "", done.stdout + done.stderr
    assert done.stderr.startswith("error: booked runs not retired (http://127.0.0.1:9/api)")
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr
