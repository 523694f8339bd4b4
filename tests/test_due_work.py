"""The sweep's indexed questions give the answers of the old full reads, day after day.

The definitions below are the sweep as it was: read every open milestone (due within 60
days, or at all), work out its reminder, look each one up. A record of IAOW trusts and CCI
youth offending teams runs through most of 2014 — scripted people acting, sweeps skipped on
some days so reminders pile up, one inspection moved and one cancelled — and every day the
unclaimed reminders (same reminders, same order) and the next day with work must agree,
with the configured reminder policies and with unusual ones.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pendulum
import pytest
from sqlmodel import Session, col, select

from inspectorate.adapters import clock
from inspectorate.adapters.models import Reminder, SignOff
from inspectorate.domain.access import AccountRole
from inspectorate.domain.body_mail import body_may_hear
from inspectorate.domain.calendar import add_working_days
from inspectorate.domain.lifecycle import Stage, status_before
from inspectorate.domain.programmes import ProgrammeDefinition, ReminderPolicy, Role, rule_for
from inspectorate.domain.reminders import next_reminder_day, reminder_due
from inspectorate.domain.sign_off import SIGN_OFFS
from inspectorate.domain.simulation import OpenStep
from inspectorate.services import context, people, rehearsal, scheduling, stages
from inspectorate.services.due_work import (
    next_day_with_work,
    open_milestones,
    unclaimed_reminders,
)
from tests.factories import morning, schedule

Programmes = dict[str, ProgrammeDefinition]


def unclaimed_by_definition(session: Session, day: pendulum.Date, programmes: Programmes) -> list:
    """Every open milestone due within 60 days, its reminder worked out and looked up."""
    found = []
    for milestone, inspection, code in open_milestones(session, due_by=day.add(days=60)):
        rule = rule_for(programmes, code, milestone.kind)
        owed = reminder_due(rule, programmes[code].reminders, milestone.due_on, day)
        if owed is None:
            continue
        if not body_may_hear(programmes[code], milestone.kind, inspection.status):
            # The body hears of it only once told of what it presupposes: the rest are reminded.
            owed = replace(owed, roles=tuple(r for r in owed.roles if r is not Role.BODY))
            if not owed.roles:
                continue
        claimed = session.exec(
            select(Reminder.id).where(
                Reminder.milestone_id == milestone.id,
                Reminder.kind == owed.kind,
                Reminder.remind_on == owed.remind_on,
            )
        ).first()
        if claimed is None:
            found.append((milestone.id, inspection.id, milestone.kind, owed))
    return found


def next_day_by_definition(
    session: Session, after: pendulum.Date, programmes: Programmes
) -> dt.date | None:
    """The earliest of every open milestone's due date, next reminder and daily hold."""
    days: list[dt.date] = []
    for milestone, _inspection, code in open_milestones(session, due_by=pendulum.date(9999, 1, 1)):
        rule = rule_for(programmes, code, milestone.kind)
        if milestone.due_on > after:
            days.append(milestone.due_on)
        reminder_day = next_reminder_day(rule, programmes[code].reminders, milestone.due_on, after)
        if reminder_day is not None:
            days.append(reminder_day)
        if milestone.due_on <= after and rule.stage in SIGN_OFFS:
            days.append(add_working_days(after, 1))
    return min(days) if days else None


def person_steps_by_definition(session: Session) -> list[OpenStep]:
    """Every open milestone read, those a person takes now kept (the scripted people's steps)."""
    definitions, steps = context.programmes(), []
    signed = set(session.exec(select(SignOff.inspection_id, SignOff.stage)).all())
    everything = open_milestones(session, due_by=pendulum.date(9999, 1, 1))
    for milestone, inspection, code in sorted(everything, key=lambda r: (r[0].due_on, r[0].id)):
        rule = definitions[code].rule(milestone.kind)
        if rule.stage is None or inspection.status != status_before(rule.stage):
            continue
        assert inspection.id is not None
        if rule.stage in SIGN_OFFS and (inspection.id, rule.stage.value) not in signed:
            owner = "team" if SIGN_OFFS[rule.stage].role is AccountRole.INSPECTOR else "manager"
            kind = people.SIGN_OFF_STEP + milestone.kind
            steps.append(OpenStep(inspection.id, kind, rule.stage, milestone.due_on, owner))
        elif not rule.automatic or rule.stage is Stage.CLOSE_COMMENTS:
            due, owner = milestone.due_on, rule.owner.value
            steps.append(OpenStep(inspection.id, milestone.kind, rule.stage, due, owner))
    return steps


def unusual(programmes: Programmes) -> Programmes:
    """The same programmes with other lead times and escalation steps, and fewer reminders."""
    policies = {
        "iaow": ReminderPolicy(lead_working_days=(15, 3), escalate_every_working_days=2),
        "cci": ReminderPolicy(lead_working_days=(40, 7, 2, 1), escalate_every_working_days=9),
    }
    changed = {}
    for code, programme in programmes.items():
        milestones = tuple(
            m.model_copy(update={"remind": ()}) if m.kind == "scoring" and code == "cci" else m
            for m in programme.milestones
        )
        update = {"reminders": policies.get(code, programme.reminders), "milestones": milestones}
        changed[code] = programme.model_copy(update=update)
    return changed


def agree(day: pendulum.Date, *, also_unusual: bool = False) -> int:
    """Compare both ways of answering on `day`; how many reminders are unclaimed."""
    configured = context.programmes()
    with context.reading() as session:
        for programmes in (configured, unusual(configured))[: 1 + also_unusual]:
            fast = [
                (u.milestone_id, u.inspection_id, u.milestone_kind, u.owed)
                for u in unclaimed_reminders(session, as_of=day, programmes=programmes)
            ]
            assert fast == unclaimed_by_definition(session, day, programmes), day
            assert next_day_with_work(
                session, after=day, programmes=programmes
            ) == next_day_by_definition(session, day, programmes), day
        assert people.open_person_steps(session) == person_steps_by_definition(session), day
        return len(unclaimed_by_definition(session, day, configured))


def test_indexed_answers_equal_the_full_reads_through_a_year(database: str) -> None:
    trusts = [
        schedule(body=body, fieldwork_start=start)
        for body, start in (
            ("Durham Tees Valley", "2014-02-10"),
            ("London", "2014-02-17"),
            ("Cumbria", "2014-02-24"),
            ("Wales", "2014-03-03"),
        )
    ]
    context.run(
        stages.apply_stage,
        inspection_id=trusts[2],
        stage=Stage.CANCEL,
        actor="pm",
        now=morning("2013-11-26"),
    )
    unclaimed, day = 0, pendulum.date(2013, 11, 25)
    with clock.use_clock(clock.VirtualClock(morning("2013-11-25", 0))):
        while day <= pendulum.date(2014, 10, 31):
            unclaimed += agree(day, also_unusual=day.day_of_year % 3 == 0)
            if day == pendulum.date(2013, 12, 10):
                context.run(
                    scheduling.reschedule,
                    inspection_id=trusts[3],
                    fieldwork_start=pendulum.date(2014, 3, 17),
                    why="the trust asked",
                    actor="pm",
                    now=morning("2013-12-10", 9),
                )
            if day == pendulum.date(2014, 5, 1):
                for body in ("Havering", "Merton"):
                    schedule(
                        body=body, programme="cci", fieldwork_start="2014-08-04", on="2014-05-01"
                    )
            if day.day_of_week not in (pendulum.TUESDAY, pendulum.FRIDAY):  # some mornings missed
                rehearsal.direct_morning(day, morning(day.isoformat()))
                if day.day_of_week == pendulum.MONDAY:
                    assert agree(day) == 0  # the sweep claimed everything owed
            people.people_act(day=day, seed=3, now=morning(day.isoformat(), 10))
            day = day.add(days=1)
    assert unclaimed > 50  # the comparison saw reminders waiting to be claimed


@pytest.mark.parametrize("leads", [(), (3,)])
def test_programmes_without_lead_times_still_wake_for_due_dates(
    database: str, leads: tuple[int, ...]
) -> None:
    schedule()
    programmes = {
        code: p.model_copy(update={"reminders": ReminderPolicy(lead_working_days=leads)})
        for code, p in context.programmes().items()
    }
    after = pendulum.date(2013, 11, 25)
    with context.reading() as session:
        assert next_day_with_work(
            session, after=after, programmes=programmes
        ) == next_day_by_definition(session, after, programmes)
        assert [
            (u.milestone_id, u.owed)
            for u in unclaimed_reminders(
                session, as_of=pendulum.date(2014, 2, 20), programmes=programmes
            )
        ] == [
            (m, owed)
            for m, _i, _k, owed in unclaimed_by_definition(
                session, pendulum.date(2014, 2, 20), programmes
            )
        ]


def test_claimed_reminders_take_ids_in_the_sweeps_order(database: str) -> None:
    schedule()
    schedule(body="London", fieldwork_start="2014-02-17")
    day = pendulum.date(2014, 2, 20)  # missed sweeps: a lead reminder owed for each milestone
    with context.reading() as session:
        expected = [
            (u.milestone_id, u.owed.kind)
            for u in unclaimed_reminders(session, as_of=day, programmes=context.programmes())
        ]
    from inspectorate.services import sweep

    assert sweep.claim(as_of=day, now=morning("2014-02-20")) == len(expected) > 2
    with context.reading() as session:
        claimed = session.exec(
            select(Reminder.milestone_id, Reminder.kind).order_by(col(Reminder.id))
        ).all()
    assert [tuple(row) for row in claimed] == expected
    assert sweep.claim(as_of=day, now=morning("2014-02-20")) == 0
