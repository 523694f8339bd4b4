"""Run inspections forward in virtual time through Prefect: each day's steps are tasks."""

from __future__ import annotations

import datetime as dt

from prefect import flow

from inspectorate.rehearsal import SimulationReport, SimulationSteps, run_simulation
from tasks.simulation import next_eventful_day, people_act, sweep_day

# Three tasks a simulated day: a task costs a few milliseconds, so the morning's sweep is one.
TASK_STEPS = SimulationSteps(sweep=sweep_day, people_act=people_act, next_day=next_eventful_day)


@flow(name="simulate")
def simulate(start: dt.date, until: dt.date, seed: int = 1) -> SimulationReport:
    """Sweep each morning and let scripted people act, from `start` to `until`."""
    return run_simulation(start=start, until=until, seed=seed, steps=TASK_STEPS)
