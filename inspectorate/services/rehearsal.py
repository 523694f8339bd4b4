"""Running inspections forward in virtual time, with or without Prefect around each step.

The loop is written once; `steps` says how each step runs: straight through the services
(`direct_steps`) or as Prefect tasks (flows/simulate.py). The benchmark times both.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from inspectorate.adapters import clock
from inspectorate.domain.stage_effects import Effect
from inspectorate.services import context, documents, owed_effects, people, sweep
from inspectorate.services.stages import StageOutcome
from inspectorate.services.sweep import SweepReport


@dataclass(frozen=True)
class SimulationSteps:
    """The steps of one simulated day, however they are run."""

    sweep: Callable[[dt.date, dt.datetime], SweepReport]
    # The scripted people act, then the clock looks for the next eventful day (None: done).
    afternoon: Callable[[dt.date, int, dt.datetime], tuple[list[StageOutcome], dt.date | None]]


def direct_morning(as_of: dt.date, now: dt.datetime) -> SweepReport:
    """The deadline sweep's morning without Prefect: the benchmark's baseline.

    It follows `flows.deadline_sweep.sweep_morning` step by step: advance, finish what the
    stages owe (this morning's and any an earlier run left), remind. Server-mode effects need
    a Prefect server, so only the documents are carried out here.
    """
    report = sweep.advance(as_of=as_of, now=now)
    report.finished += write_owed_documents(now)
    return sweep.remind(report, now=now)


def write_owed_documents(now: dt.datetime) -> int:
    """Write every stage's owed letters and reports (oldest first); how many stages'."""
    with context.reading() as session:
        still_owed = owed_effects.still_owed(session)
    owed_documents = [owed for owed in still_owed if owed.effect is Effect.DOCUMENTS]
    for owed in owed_documents:
        context.run(
            documents.write_stage_documents,
            inspection_id=owed.inspection_id,
            stage=owed.stage,
            now=now,
            actor=sweep.ACTOR,
        )
    return len(owed_documents)


def direct_steps() -> SimulationSteps:
    """Return steps that call the services directly (no Prefect)."""
    return SimulationSteps(
        sweep=direct_morning,
        afternoon=lambda day, seed, now: people.act_then_look_ahead(day=day, seed=seed, now=now),
    )


@dataclass
class SimulationReport:
    """What a simulation did."""

    start: dt.date
    reached: dt.date
    days_simulated: int = 0
    steps_by_people: int = 0
    steps_by_sweep: int = 0
    reminders_sent: int = 0
    blocked: list[str] = field(default_factory=list)


def run_simulation(
    *, start: dt.date, until: dt.date, seed: int, steps: SimulationSteps
) -> SimulationReport:
    """From `start` to `until`, jump from one eventful day to the next in virtual time.

    Each day the sweep runs at 06:00 (advance, remind, deliver), then people act at 10:00;
    the clock then jumps to the next day on which a milestone, reminder or person is due.
    """
    virtual = clock.VirtualClock(clock.morning_of(start, hour=0))
    report = SimulationReport(start=start, reached=start)
    day: dt.date | None = start
    with clock.use_clock(virtual):
        while day is not None and day <= until:
            virtual.advance_to_morning(day, hour=6)
            swept = steps.sweep(day, virtual.now())
            report.reminders_sent += swept.delivered
            virtual.advance_to_morning(day, hour=10)
            outcomes, next_day = steps.afternoon(day, seed, virtual.now())
            report.steps_by_people += len(outcomes)
            report.steps_by_sweep += len(swept.advanced)
            report.blocked += swept.blocked
            report.days_simulated += 1
            report.reached = day
            day = next_day
    return report
