"""The warm runner: a flow command runs in a fork of a process that imported Prefect once."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest

from cli import warm
from tasks.prefect_server import read_state
from tests.test_local_server import CLI, ROOT, home  # noqa: F401  (fixture)
from tests.test_local_server import env_for as server_env

AS_OF = "2013-11-25"
WEEKS = {"Durham Tees Valley": "2014-02-10", "London": "2014-02-17"}


@pytest.mark.parametrize(
    ("argv", "forwarded"),
    [
        (["inspection", "advance", "1", "announce"], True),
        (["sweep", "--as-of", AS_OF], True),
        (["inspection", "list"], True),
        (["report", "list", "1"], True),
        (["inspection", "advance", "--help"], True),
        (["users", "reset-password", "alice"], False),  # a password prompt needs the terminal
        (["dashboard"], False),
        (["server", "stop"], False),
        (["init"], False),
        (["--help"], True),
        (["--install-completion"], False),
        ([], False),
    ],
)
def test_all_but_servers_prompts_and_init_go_to_the_runner(
    argv: list[str], forwarded: bool
) -> None:
    assert warm.is_forwarded(argv) is forwarded


def test_the_environment_key_counts_prefect_defaults_as_set() -> None:
    bare = {"PREFECT_HOME": "/x", "INSPECTORATE_DATABASE_URL": "sqlite:///a.db", "HOME": "/h"}
    defaulted = dict(bare)
    warm.apply_prefect_defaults(defaulted)
    assert warm.environment_key(bare) == warm.environment_key(defaulted)
    assert warm.environment_key(bare) == warm.environment_key({**bare, "HOME": "/elsewhere"})
    other_record = {**bare, "INSPECTORATE_DATABASE_URL": "sqlite:///b.db"}
    assert warm.environment_key(bare) != warm.environment_key(other_record)
    assert warm.environment_key(bare) != warm.environment_key({**bare, "PREFECT_API_URL": "u"})


def test_the_source_key_changes_when_a_module_changes(tmp_path: Path) -> None:
    module = tmp_path / "cli" / "thing.py"
    module.parent.mkdir()
    module.write_text("x = 1\n")
    before = warm.source_key(tmp_path)
    assert warm.source_key(tmp_path) == before
    module.write_text("x = 22\n")
    assert warm.source_key(tmp_path) != before


def env_for(folder: Path) -> dict[str, str]:
    """The shared local server's environment, with the warm runner switched on."""
    return {**server_env(folder), "INSPECTORATE_WARM_RUNNER": "true"}


def cli(folder: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    """Run the command line; fail the test with its output if it fails."""
    done = run(folder, *argv)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def wait_for_runner(folder: Path) -> int:
    """Wait until a warm runner listens on this home; its pid."""
    deadline = time.monotonic() + 300  # a server start and Prefect's import: slow when busy
    while not (folder / warm.SOCKET_NAME).exists():
        log = folder / warm.LOG_FILE
        assert time.monotonic() < deadline, log.read_text() if log.exists() else "no runner"
        time.sleep(0.2)
    pid = warm.runner_pid(folder)
    assert pid is not None
    return pid


def ran_in_runner(folder: Path) -> list[str]:
    """The commands the runner's forks ran, as its log records them."""
    return [
        line for line in (folder / warm.LOG_FILE).read_text().splitlines() if " -> exit " in line
    ]


def test_a_flow_command_runs_in_a_fork_of_the_warm_runner(home: Path) -> None:  # noqa: F811
    cli(home, "init")  # starts the local server and the runner in the background
    for body, week in WEEKS.items():
        schedule = ["--programme", "iaow", "--fieldwork-start", week, "--as-of", AS_OF]
        cli(home, "inspection", "schedule", body, *schedule)
    # The runner may still be starting: a flow command waits for it rather than start Prefect.
    done = cli(home, "inspection", "advance", "1", "announce", "--as-of", AS_OF)
    first = wait_for_runner(home)
    assert "Inspection 1: planned → announced." in done.stdout
    assert ran_in_runner(home)[-1].endswith(
        f"inspection advance 1 announce --as-of {AS_OF} -> exit 0, cpu "
        + ran_in_runner(home)[-1].split(" cpu ")[1]
    )
    reports = Path(env_for(home)["INSPECTORATE_REPORTS_DIR"])
    assert list(reports.glob("inspection-1-announcement-en-*.html")), "no letter from the fork"

    shown = cli(home, "inspection", "show", "1")
    assert "Durham Tees Valley" in shown.stdout and "announced" in shown.stdout
    assert "inspection show 1 -> exit 0" in ran_in_runner(home)[-1]

    refused = run(home, "inspection", "advance", "1", "publish", "--as-of", AS_OF)
    assert refused.returncode == 2 and refused.stderr.startswith("error: "), refused.stderr
    assert "Traceback" not in refused.stderr
    assert " -> exit 2, " in ran_in_runner(home)[-1]

    # Another record (another environment): the command runs in its own process instead.
    elsewhere = {"INSPECTORATE_DATABASE_URL": f"sqlite:///{home / 'elsewhere.db'}"}
    count = len(ran_in_runner(home))
    other = run(home, "inspection", "advance", "1", "announce", extra=elsewhere)
    assert other.returncode == 2 and "inspectorate init" in other.stderr, other.stderr
    assert len(ran_in_runner(home)) == count

    stopped = cli(home, "server", "stop").stdout
    assert "Stopped the warm runner" in stopped
    assert warm.runner_pid(home) is None and not Path(f"/proc/{first}").exists()
    assert not (home / warm.SOCKET_NAME).exists()

    # Nothing warm: the flow command starts the server and a new runner, and runs in it.
    count = len(ran_in_runner(home))
    done = cli(home, "inspection", "advance", "2", "announce", "--as-of", AS_OF)
    assert "Inspection 2: planned → announced." in done.stdout
    second = wait_for_runner(home)
    assert second != first
    assert len(ran_in_runner(home)) == count + 1
    assert "inspection advance 2 announce" in ran_in_runner(home)[-1]

    # A read with no runner runs here and leaves a runner (no server) for the reads after it.
    cli(home, "server", "stop")
    count = len(ran_in_runner(home))
    assert "announced" in cli(home, "inspection", "show", "2").stdout
    assert len(ran_in_runner(home)) == count
    assert wait_for_runner(home) != second
    assert read_state(home) is None, "a read started the Prefect server"
    assert "Kent" not in cli(home, "inspection", "list").stdout
    assert "inspection list -> exit 0" in ran_in_runner(home)[-1]


def run(
    folder: Path, *argv: str, extra: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the command line and return whatever it did."""
    env = {**env_for(folder), **(extra or {})}
    return subprocess.run(
        [CLI, *argv], env=env, cwd=ROOT, capture_output=True, text=True, timeout=240
    )


def test_no_runner_means_the_command_runs_here(home: Path) -> None:  # noqa: F811
    assert warm.forward(["inspection", "advance", "1", "announce"]) is None
    assert not os.path.exists(home / warm.SOCKET_NAME)


def test_a_bad_setting_with_nothing_warm_is_one_line_and_starts_nothing(
    home: Path,  # noqa: F811
) -> None:
    bad = {"INSPECTORATE_SWEEP_BATCH_SIZE": "abc"}
    done = run(home, "sweep", "--as-of", AS_OF, extra=bad)
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert done.stderr.startswith("error: INSPECTORATE_SWEEP_BATCH_SIZE='abc'"), done.stderr
    assert warm.runner_pid(home) is None and read_state(home) is None
