"""Benchmark: the CCI simulation embedded, and on a PostgreSQL-backed server with 1 and 2 workers.

All three run the same flow (`simulate-programme`: plan the 54 named YOTs, simulate their
inspections 2009-2013 in virtual time) in one run of this script:
  embedded   in this process, on Prefect's temporary local server (the default mode);
  1 worker   one run of the deployment on a Prefect server on PostgreSQL;
  2 workers  the programme dealt into two shares of whole regions, two runs at once, one
             per worker, each in its own record (a simulation is sequential in virtual
             time, so two workers can only share the work by splitting the bodies).
Prints the three wall times (from asking for the run to its end) and the ratios.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pendulum  # noqa: E402
from own_server import stopping_a_server_it_starts  # noqa: E402

import tasks  # noqa: E402,F401  (Prefect's offline defaults before prefect is imported)

UNTIL = pendulum.date(2013, 6, 30)


def embedded(folder: Path) -> tuple[float, int]:
    """Run the flow in this process; return (seconds, inspections)."""
    from flows.simulate import simulate_programme
    from tasks.runtime import embedded_runtime

    began = time.perf_counter()
    with stopping_a_server_it_starts(), embedded_runtime():
        result = simulate_programme("cci", UNTIL, str(folder / "embedded"))
    return time.perf_counter() - began, int(result["inspections"])


def on_server(folder: Path, workers: int) -> tuple[float, int]:
    """Run the flow on a fresh server with `workers` workers, one share per worker."""
    from prefect.client.orchestration import get_client
    from prefect.deployments import run_deployment
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from deployments.local_server import local_server, wait_for

    extra = {"INSPECTORATE_REPORT_FORMATS": "html"}
    with (
        local_server(folder / f"server-{workers}", workers, extra) as server,
        temporary_settings(updates={PREFECT_API_URL: server.api}),
    ):
        began = time.perf_counter()
        runs = [
            run_deployment(
                "simulate-programme/default",
                parameters={
                    "code": "cci",
                    "until": UNTIL.isoformat(),
                    "folder": str(folder / f"record-{workers}-{part}"),
                    "part": part,
                    "parts": workers,
                },
                timeout=0,
                as_subflow=False,
            )
            for part in range(workers)
        ]
        with get_client(sync_client=True) as client:

            def states() -> list[object]:
                return [client.read_flow_run(r.id).state for r in runs]

            wait_for(lambda: all(s is not None and s.is_final() for s in states()), "runs", 1800)  # type: ignore[attr-defined]
            seconds = time.perf_counter() - began
            finished = states()
            if not all(s.is_completed() for s in finished):  # type: ignore[attr-defined]
                raise SystemExit(f"a simulation run did not complete: {finished}")
    return seconds, sum(inspections(folder / f"record-{workers}-{part}") for part in range(workers))


def inspections(record: Path) -> int:
    """How many inspections a share's record holds."""
    import sqlite3

    with sqlite3.connect(record / "inspectorate.db") as db:
        return int(
            db.execute("SELECT count(*) FROM inspection WHERE kind = 'inspection'").fetchone()[0]
        )


def main() -> None:
    """Run the three modes and print their wall times."""
    os.environ.setdefault("INSPECTORATE_REPORT_FORMATS", "html")
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        base, n0 = embedded(folder)
        print(f"  embedded: {base:.1f} s ({n0} inspections)", flush=True)
        one, n1 = on_server(folder, 1)
        print(f"  1 worker: {one:.1f} s ({n1} inspections)", flush=True)
        two, n2 = on_server(folder, 2)
        print(f"  2 workers: {two:.1f} s ({n2} inspections)", flush=True)
    print(f"simulating CCI to {UNTIL} (54 YOTs), wall time from asking for the run to its end")
    print(f"  embedded (baseline):            {base:7.1f} s  {n0} inspections")
    print(f"  server on PostgreSQL, 1 worker: {one:7.1f} s  {n1} inspections  {one / base:.2f}x")
    print(f"  server on PostgreSQL, 2 workers:{two:7.1f} s  {n2} inspections  {two / base:.2f}x")
    print(f"  2 workers against 1:            {two / one:.2f}x")


if __name__ == "__main__":
    main()
