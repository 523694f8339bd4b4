"""Run inspections forward in virtual time: people act, the morning sweep runs, repeat."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from prefect import flow

from inspectorate import clock
from inspectorate.operations import all_inspections_final
from tasks.lifecycle import next_person_day, people_act
from tasks.sweep import advance_due_milestones, claim_reminders, deliver_reminders, next_wakeup


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


@flow(name="simulate")
def simulate(start: dt.date, until: dt.date, seed: int = 1) -> SimulationReport:
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
            swept = advance_due_milestones(day, virtual.now())
            claim_reminders(day, virtual.now())
            report.reminders_sent += deliver_reminders(virtual.now())
            virtual.advance_to_morning(day, hour=10)
            report.steps_by_people += len(people_act(day, seed, virtual.now()))
            report.steps_by_sweep += len(swept.advanced)
            report.blocked += swept.blocked
            report.days_simulated += 1
            report.reached = day
            if all_inspections_final():
                break
            wakeups = [d for d in (next_wakeup(day), next_person_day(day, seed)) if d is not None]
            day = min(wakeups) if wakeups else None
    return report
