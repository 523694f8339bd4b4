"""Run inspections forward in virtual time through Prefect: each day's steps are tasks."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

from prefect import flow

from flows.deadline_sweep import sweep_morning
from inspectorate.services.demo import prepare_simulation, programme_share, programme_start
from inspectorate.services.rehearsal import SimulationReport, SimulationSteps, run_simulation
from tasks.simulation import people_act

# The same morning as the deadline-sweep flow's; the people's stages followed by what they owe.
TASK_STEPS = SimulationSteps(sweep=sweep_morning, afternoon=people_act)


@flow(name="simulate")
def simulate(start: dt.date, until: dt.date, seed: int = 1) -> SimulationReport:
    """Sweep each morning and let scripted people act, from `start` to `until`."""
    return run_simulation(start=start, until=until, seed=seed, steps=TASK_STEPS)


@flow(name="simulate-programme")
def simulate_programme(
    code: str, until: dt.date, folder: str, seed: int = 1, part: int = 0, parts: int = 1
) -> dict[str, float]:
    """Plan a share of a programme's bodies into a fresh record in `folder` and simulate it.

    Shares are whole regions, so `parts` runs on as many workers simulate the programme in
    parallel, each in its own record.
    """
    start = programme_start(code)
    bodies = programme_share(code, part, parts)
    setup = prepare_simulation(code, Path(folder), start, bodies)
    began = time.perf_counter()
    report = simulate(start, until, seed)
    return {
        "inspections": len(setup.inspection_ids),
        "days": report.days_simulated,
        "seconds": round(time.perf_counter() - began, 2),
    }
