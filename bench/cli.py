"""Benchmark: how long the command line takes to answer, with the shared local Prefect server.

Runs the real `inspectorate` command in subprocesses on a fresh record and PREFECT_HOME in
a temporary folder (nothing under var/ is touched) and prints, for each command, the wall
and CPU time (the command's own process, not the server's) and their differences over
`python -c pass` (the interpreter's own start); CPU time is the steadier on a busy machine:
- commands that run no flow: `--help`, `milestones`, `inspection list`, `inspection show`,
  in their own process (the first two before `init`) and through the warm runner;
- the first flow command after `init` and the scheduling (init starts the warm runner and
  the server in the background; the server's fresh home gets a copy of the migrated empty
  database `make` built at install, tasks/prefect_template.py, instead of migrating);
- `inspection advance … announce` and an empty `sweep`: warm (the server and the warm
  runner are up: the command runs in a fork of the runner, whose CPU its log records and
  is added to the client's), with the server up but INSPECTORATE_WARM_RUNNER=false (the
  command imports Prefect and the flows itself), and cold (the first command after
  `server stop`: it starts the runner and the server on its existing database together,
  and runs in the runner once it listens);
- the same two with INSPECTORATE_LOCAL_SERVER=false (a temporary server per command).
Warm figures and those of commands without flows are medians of BENCH_REPEAT runs (3).

Goal (issue 14): --help, milestones, list and show under 0.3 s over the baseline; a stage
command and an empty sweep under 1.5 s warm; the first under 6 s.
A temporary server per command (INSPECTORATE_LOCAL_SERVER=false) stays the choice only
where nothing may outlive a command (the test suite, CI, a container per command): there
every command is a cold one anyway, and a temporary server costs about what a cold start
of the shared one does (both start a server), plus its own CPU inside the command.
Every server this starts is stopped at the end (`inspectorate server stop`, then its
process group by pid if it is still there).

Figures as printed, 2026-11-28 (2 cores, load average 2.3 at the start):
  python -c pass (baseline)                     wall   0.03 s
  inspectorate --help                           wall   0.30 s (+ 0.27)
  inspectorate milestones                       wall   0.47 s (+ 0.44)
  advance announce, first flow command after init  wall   2.67 s (+ 2.64)
  inspection list, no runner                    wall   0.97 s (+ 0.94)
  inspection show 1, no runner                  wall   0.99 s (+ 0.96)
  --help / milestones / list / show, warm runner   wall 0.17 / 0.14 / 0.17 / 0.18 s
                                                (+ 0.13 / + 0.11 / + 0.13 / + 0.15)
  inspection advance announce, warm runner      wall   0.81 s (+ 0.78)
  sweep (nothing to do), warm runner            wall   0.77 s (+ 0.74)
  advance announce / empty sweep, server up, no runner   3.15 / 2.55 s
  advance announce / empty sweep, cold (after `server stop`)   6.30 / 6.12 s
  advance announce / empty sweep, temporary server   10.05 / 9.75 s
The first flow command after init was 13.29 s the same day before the migrated template
(the server migrating a fresh database), and cold ones 12.23 / 12.04 s (Prefect imported
in the command, then the server started). A read of the record in its own process pays
importing SQLAlchemy and the models (about 0.6 s of CPU): after `init`, or after the first
read or flow command once the runner is gone, the warm runner takes reads instead.
"""

from __future__ import annotations

import os
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cli import warm  # noqa: E402
from tasks.prefect_server import pid_alive, read_state  # noqa: E402

CLI = str(ROOT / ".venv" / "bin" / "inspectorate")
PYTHON = str(ROOT / ".venv" / "bin" / "python")
REPEAT = int(os.environ.get("BENCH_REPEAT", "3"))
AS_OF = "2013-11-25"
BODIES = ("Durham Tees Valley", "London", "Cumbria", "Kent", "Essex", "Northumbria", "Dorset")
WEEKS = ("2014-02-10", "2014-02-17", "2014-02-24", "2014-03-03", "2014-03-10", "2014-03-17")
WEEKS += ("2014-03-24",)


def cpu() -> float:
    """CPU seconds (user + system) of the waited-for children so far."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def timed(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Run one command; return its wall time and CPU time (fail loudly if it fails)."""
    began, cpu_before = time.perf_counter(), cpu()
    done = subprocess.run(argv, env=env, cwd=ROOT, capture_output=True, text=True)
    took = time.perf_counter() - began, cpu() - cpu_before
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed:\n{done.stdout}{done.stderr}")
    return took


def middle(runs: list[tuple[float, float]]) -> tuple[float, float]:
    """The median wall and CPU times of some runs."""
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


def median(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """The median wall and CPU times of REPEAT runs."""
    return middle([timed(argv, env) for _ in range(REPEAT)])


def schedule(body: str, week: str) -> list[str]:
    """The argv scheduling an IAOW inspection of `body` with fieldwork from `week`."""
    programme = ["--programme", "iaow", "--fieldwork-start", week, "--as-of", AS_OF]
    return [CLI, "inspection", "schedule", body, *programme]


def announce(inspection_id: int) -> list[str]:
    """The argv of a stage command."""
    return [CLI, "inspection", "advance", str(inspection_id), "announce", "--as-of", AS_OF]


def main() -> None:
    """Set up, time, print; stop whatever server was started."""
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        home = folder / "prefect"
        home.mkdir()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_API_URL",))}
        env.update(
            PREFECT_HOME=str(home),
            INSPECTORATE_LOCAL_SERVER="true",
            INSPECTORATE_WARM_RUNNER="true",
            INSPECTORATE_DATABASE_URL=f"sqlite:///{folder / 'record.db'}",
            INSPECTORATE_OUTBOX_DIR=str(folder / "outbox"),
            INSPECTORATE_REPORTS_DIR=str(folder / "reports"),
            INSPECTORATE_REPORT_FORMATS="html",
        )
        try:
            run(env, home)
        finally:
            state = read_state(home)
            subprocess.run([CLI, "server", "stop"], env=env, cwd=ROOT, capture_output=True)
            if state is not None and pid_alive(state.pid):
                os.killpg(state.pid, signal.SIGKILL)
            warm.stop(home)


def line(what: str, seconds: tuple[float, float], baseline: tuple[float, float]) -> None:
    """Print one figure (wall, CPU) and its difference over the baseline."""
    (wall, used), (wall0, used0) = seconds, baseline
    print(
        f"  {what:<56} wall {wall:6.2f} s (+{wall - wall0:5.2f})"
        f"   cpu {used:5.2f} s (+{used - used0:5.2f})",
        flush=True,
    )


def runner_lines(home: Path) -> list[str]:
    """The warm runner's log lines, one per command a fork ran."""
    return [x for x in (home / warm.LOG_FILE).read_text().splitlines() if " -> exit " in x]


def in_runner(argv: list[str], env: dict[str, str], home: Path) -> tuple[float, float]:
    """Wall time of a command the warm runner takes, and the CPU of client and fork together."""
    before = len(runner_lines(home))
    wall, client = timed(argv, env)
    lines = runner_lines(home)
    if len(lines) == before:  # the runner refused it: the code changed under the benchmark?
        raise SystemExit(f"the warm runner did not run {' '.join(argv[1:])}; see its log")
    return wall, client + float(lines[-1].split(" cpu ")[1].split(" s")[0])


def wait_for_runner(home: Path) -> None:
    """Wait until the warm runner the first flow command started is listening."""
    deadline = time.monotonic() + 300
    while not (home / warm.SOCKET_NAME).exists():
        if time.monotonic() > deadline or warm.runner_pid(home) is None:
            raise SystemExit(f"the warm runner did not start: {home / warm.LOG_FILE}")
        time.sleep(0.2)


def run(env: dict[str, str], home: Path) -> None:
    """The measurements, in order."""
    stop = [CLI, "server", "stop"]
    baseline = median([PYTHON, "-c", "pass"], env)
    print(
        f"command line: wall and CPU time, and over `python -c pass` (median of {REPEAT} if warm)"
    )
    print(f"  load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs at the start")
    line("python -c pass (baseline)", baseline, baseline)
    line("inspectorate --help", median([CLI, "--help"], env), baseline)
    milestones = [CLI, "milestones", "--programme", "iaow", "--fieldwork-start", "2014-02-10"]
    line("inspectorate milestones", median(milestones, env), baseline)

    timed([CLI, "init"], env)  # starts the server and the warm runner in the background
    for n, body in enumerate(BODIES):
        timed(schedule(body, WEEKS[n]), env)  # runs no flow
    empty_sweep = [CLI, "sweep", "--as-of", AS_OF]
    line("advance announce, first flow command after init", timed(announce(1), env), baseline)
    wait_for_runner(home)
    no_runner = {**env, "INSPECTORATE_WARM_RUNNER": "false"}
    reads = {
        "inspectorate --help": [CLI, "--help"],
        "inspectorate milestones": milestones,
        "inspection list": [CLI, "inspection", "list"],
        "inspection show 1": [CLI, "inspection", "show", "1"],
    }
    for what, argv in reads.items():
        if what.startswith("inspection "):  # the record now holds inspections to read
            line(f"{what}, no runner", median(argv, no_runner), baseline)
    for what, argv in reads.items():
        warm_runs = middle([in_runner(argv, env, home) for _ in range(REPEAT)])
        line(f"{what}, warm runner (cpu: client + fork)", warm_runs, baseline)
    line(
        "inspection advance announce, warm runner (cpu: client + fork)",
        middle([in_runner(announce(n), env, home) for n in (2, 3)]),
        baseline,
    )
    timed(empty_sweep, env)  # the day's work done: later sweeps of the day are empty
    empty = middle([in_runner(empty_sweep, env, home) for _ in range(REPEAT)])
    line("sweep (nothing to do), warm runner (cpu: client + fork)", empty, baseline)
    line(
        "inspection advance announce, server up, no runner", timed(announce(4), no_runner), baseline
    )
    line("sweep (nothing to do), server up, no runner", median(empty_sweep, no_runner), baseline)
    timed(stop, env)
    line("inspection advance announce, cold (starts the server)", timed(announce(5), env), baseline)
    timed(stop, env)
    line("sweep (nothing to do), cold (starts the server)", timed(empty_sweep, env), baseline)
    timed(stop, env)

    per_command = {**env, "INSPECTORATE_LOCAL_SERVER": "false"}
    line("inspection advance announce, temporary server", timed(announce(6), per_command), baseline)
    line("sweep (nothing to do), temporary server", timed(empty_sweep, per_command), baseline)
    print(f"  load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
