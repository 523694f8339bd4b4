"""Claiming reminders in bulk: each (milestone, kind, day) once, whoever claims it first."""

from __future__ import annotations

import datetime as dt

import pendulum
from sqlmodel import Session, col, func, select

from inspectorate.adapters.database import session_scope
from inspectorate.adapters.models import Milestone, Reminder
from inspectorate.services import context
from inspectorate.services.reminder_claims import ReminderClaim, claim_reminders
from tests.factories import morning, schedule

NOW = pendulum.datetime(2013, 11, 26, 6, tz="Europe/London")


def claims_for(milestone_ids: list[int], days: int) -> list[ReminderClaim]:
    """A claim a day for each milestone, from 1 December 2013."""
    return [
        ReminderClaim(
            milestone_id=milestone_id,
            kind="lead",
            remind_on=dt.date(2013, 12, 1) + dt.timedelta(days=day),
            milestone_due_on=dt.date(2014, 2, 10),
            recipients=("team@inspectorate.invalid",),
        )
        for milestone_id in milestone_ids
        for day in range(days)
    ]


def test_many_claims_are_inserted_once_and_only_new_ones_counted(database: str) -> None:
    schedule(on="2013-11-25")
    with Session(context.engine()) as session:
        milestones = list(session.exec(select(col(Milestone.id))).all())
    claims = claims_for(milestones, days=1500 // len(milestones) + 1)  # past one statement's rows
    assert len(claims) > 1000
    with session_scope(context.engine()) as session:
        assert claim_reminders(session, claims[:700], now=NOW) == 700
    with session_scope(context.engine()) as session:
        # The first 700 are claimed already (as by a sweep that raced this one): not counted.
        assert claim_reminders(session, claims, now=NOW) == len(claims) - 700
        assert claim_reminders(session, claims, now=morning("2013-11-27")) == 0
    with Session(context.engine()) as session:
        assert session.exec(select(func.count(col(Reminder.id)))).one() == len(claims)
