"""Benchmark: simulate CCI end to end through Prefect, at 20, 80 and 158 inspections.

Each run plans the YOTs (the 54 seed 004 names plus synthetic ones, as bench/planner.py),
schedules them in a fresh SQLite record and runs every lifecycle day through one Prefect
flow in virtual time, with synthetic samples and fieldwork, reminders to an outbox and
reinspections where scores call for them. Prints the wall time and the cost per inspection
at each size: the cost per inspection should stay flat (linear growth).

Goal (issue 6): 158 inspections in under 5 minutes on 2 cores.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import pendulum  # noqa: E402
from planner import youth_offending_teams  # noqa: E402

import tasks  # noqa: E402,F401  (Prefect's offline defaults before prefect is imported)
from inspectorate.services.demo import prepare_simulation  # noqa: E402

SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "20,80,158").split(",")]
START, UNTIL = pendulum.date(2009, 4, 1), pendulum.date(2013, 6, 30)


def main() -> None:
    """Simulate each size and print seconds and seconds per inspection."""
    from flows.simulate import simulate
    from tasks.runtime import embedded_runtime

    rows = []
    with tempfile.TemporaryDirectory() as scratch, embedded_runtime():
        for size in SIZES:
            bodies = youth_offending_teams(158)[:size]
            setup = prepare_simulation("cci", Path(scratch) / str(size), START, bodies)
            began = time.perf_counter()
            report = simulate(start=START, until=UNTIL, seed=1)
            seconds = time.perf_counter() - began
            rows.append((size, len(setup.inspection_ids), seconds, report))
            print(f"  {size} bodies: {seconds:.1f} s", flush=True)
    print(f"simulating CCI {START} to {UNTIL} through Prefect (one flow, tasks per day)")
    for _size, planned, seconds, report in rows:
        print(
            f"  {planned:>3} inspections: {seconds:7.1f} s, {seconds / planned:.2f} s per "
            f"inspection ({report.days_simulated} days, {report.reminders_sent} messages)"
        )
    first, last = rows[0], rows[-1]
    growth = (last[2] / last[1]) / (first[2] / first[1])
    print(f"  cost per inspection at {last[1]} vs {first[1]}: {growth:.2f}x (1.0 = linear)")
    print(
        f"  goal: {last[1]} inspections under 5 minutes ({'met' if last[2] < 300 else 'NOT met'})"
    )


if __name__ == "__main__":
    main()
