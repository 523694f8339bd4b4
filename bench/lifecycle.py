"""Benchmark: one inspection's whole lifecycle through Prefect vs the same calls without it.

Both runs take a fresh database with one IAOW inspection (Durham Tees Valley, fieldwork
from 10 February 2014) from scheduling to its action plan in virtual time: the deadline
sweep on every eventful morning, scripted people for the team and the trust. The Prefect
run is one flow whose steps are tasks; the baseline calls the same operations directly.
Prefect's temporary server is started (and warmed with one flow run) before timing, since
that is a once-per-process cost. Prints the median of several runs of each and the ratio.

Goal (issue 2): Prefect run ≤ 1.5 s and ratio ≤ 3×.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pendulum  # noqa: E402
from own_server import stopping_a_server_it_starts  # noqa: E402

import tasks  # noqa: E402,F401  (Prefect's offline defaults before prefect is imported)
from inspectorate.adapters import clock  # noqa: E402
from inspectorate.adapters.database import get_engine  # noqa: E402
from inspectorate.adapters.settings import get_settings  # noqa: E402
from inspectorate.services import context, scheduling, setup  # noqa: E402
from inspectorate.services.rehearsal import SimulationReport, direct_steps, run_simulation  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "5"))
START, UNTIL = pendulum.date(2013, 11, 25), pendulum.date(2014, 12, 31)
FIELDWORK = pendulum.date(2014, 2, 10)


def fresh_record(folder: Path) -> None:
    """Point the settings at a new database with one scheduled inspection."""
    os.environ["INSPECTORATE_DATABASE_URL"] = f"sqlite:///{folder / 'record.db'}"
    os.environ["INSPECTORATE_OUTBOX_DIR"] = str(folder / "outbox")
    # Both runs write the same letter and reports; HTML keeps the figure about orchestration.
    os.environ["INSPECTORATE_REPORTS_DIR"] = str(folder / "reports")
    os.environ["INSPECTORATE_REPORT_FORMATS"] = "html"
    get_settings.cache_clear()
    setup.initialise(now=clock.morning_of(START, 9))
    context.run(
        scheduling.schedule,
        body_name="Durham Tees Valley",
        programme_code="iaow",
        fieldwork_start=pendulum.date(2014, 2, 10),
        actor="bench",
        now=clock.morning_of(START, 9),
    )


def timed(run: object, folder: Path) -> tuple[float, SimulationReport]:
    """Time one lifecycle on a fresh record in `folder`."""
    fresh_record(folder)
    began = time.perf_counter()
    report = run()  # type: ignore[operator]
    elapsed = time.perf_counter() - began
    get_engine(get_settings().database_url).dispose()
    return elapsed, report


def timed_stage_flows(folder: Path) -> float:
    """Time the eight stage flows, one flow run each, on a fresh record."""
    from flows.casework import score_fieldwork, select_sample
    from flows.lifecycle import STAGE_FLOWS
    from inspectorate.domain import synthetic
    from inspectorate.domain.lifecycle import Stage
    from inspectorate.domain.sign_off import SIGN_OFFS
    from inspectorate.domain.simulation import PersonStep
    from inspectorate.services import evidence, people

    fresh_record(folder)
    caseload, judgements = folder / "caseload.csv", folder / "judgements.csv"
    synthetic.caseload("Durham Tees Valley", 1500, FIELDWORK, 1).to_csv(caseload, index=False)

    def at(day: str) -> pendulum.DateTime:
        return clock.morning_of(pendulum.parse(day).date(), 17)  # type: ignore[union-attr]

    began = time.perf_counter()
    STAGE_FLOWS[Stage.ANNOUNCE](inspection_id=1, now=at("2013-12-02"))
    _, sample = select_sample(inspection_id=1, caseload_path=str(caseload), now=at("2014-01-20"))
    STAGE_FLOWS[Stage.RECORD_FIELDWORK](inspection_id=1, now=at("2014-02-14"))
    with context.reading() as session:
        framework = evidence.framework_of(session, inspection_id=1)
    synthetic.judgements(sample.cases, framework, 0.7, 1).to_csv(judgements, index=False)
    score_fieldwork(inspection_id=1, judgements_path=str(judgements), now=at("2014-02-28"))
    for stage, day in [
        (Stage.SEND_DRAFT, "2014-03-07"),
        (Stage.CLOSE_COMMENTS, "2014-03-21"),
        (Stage.PUBLISH, "2014-05-02"),
        (Stage.RECEIVE_ACTION_PLAN, "2014-07-25"),
    ]:
        if stage in SIGN_OFFS:  # nothing leaves unsigned: the team's text, then a named sign-off
            step = PersonStep(1, stage, pendulum.parse(day).date(), "bench", 0)  # type: ignore[union-attr]
            context.run(people.sign_off_as_scripted_person, step=step, why="bench", now=at(day))
        STAGE_FLOWS[stage](inspection_id=1, now=at(day))
    elapsed = time.perf_counter() - began
    get_engine(get_settings().database_url).dispose()
    return elapsed


def main() -> None:
    """Run both variants RUNS times and print medians and the ratio."""
    from prefect import flow

    from flows.simulate import simulate
    from tasks.runtime import embedded_runtime

    @flow(name="warm-up")
    def warm_up() -> None:
        """Start the temporary server before anything is timed."""

    with (
        tempfile.TemporaryDirectory() as scratch,
        stopping_a_server_it_starts(),
        embedded_runtime(),
    ):
        warm_up()
        plain, prefect = [], []
        for i in range(RUNS):
            seconds, plain_report = timed(
                lambda: run_simulation(start=START, until=UNTIL, seed=1, steps=direct_steps()),
                Path(scratch) / f"plain-{i}",
            )
            plain.append(seconds)
            seconds, flow_report = timed(
                lambda: simulate(start=START, until=UNTIL, seed=1), Path(scratch) / f"prefect-{i}"
            )
            prefect.append(seconds)
            assert flow_report == plain_report, "both variants must do the same work"
        stage_flows = [timed_stage_flows(Path(scratch) / f"stages-{i}") for i in range(RUNS)]
    plain_s, prefect_s = statistics.median(plain), statistics.median(prefect)
    ratio = prefect_s / plain_s
    print(
        f"lifecycle of one inspection: {plain_report.days_simulated} eventful days, "
        f"{plain_report.steps_by_sweep + plain_report.steps_by_people} steps, "
        f"{plain_report.reminders_sent} messages; median of {RUNS} runs"
    )
    print(f"  without Prefect (baseline): {plain_s:.3f} s")
    print(f"  through Prefect:            {prefect_s:.3f} s")
    print(f"  ratio:                      {ratio:.2f}x")
    print(
        "  for comparison, the 8 stage flows as the CLI runs them (one flow run each, "
        "sampling and scoring real files): "
        f"{statistics.median(stage_flows):.3f} s"
    )
    print(
        f"  goal: Prefect <= 1.5 s ({'met' if prefect_s <= 1.5 else 'NOT met'}), "
        f"ratio <= 3x ({'met' if ratio <= 3 else 'NOT met'})"
    )


if __name__ == "__main__":
    main()
