"""Holds: a due step the machine may not take until a named person acts.

The draft waits for the lead inspector's sign-off, publication for the programme manager's,
and an announcement that would shorten the notice for the programme manager's decision.
While held, the signer and the manager are reminded every working day (the manager told of
a late announcement at once), and the usual escalations of an overdue milestone follow.
"""

from __future__ import annotations

import datetime as dt

import pendulum
from sqlmodel import Session

from inspectorate.adapters.models import Body, Inspection, Milestone
from inspectorate.adapters.rows import row_by_id
from inspectorate.adapters.settings import Settings
from inspectorate.domain.calendar import is_working_day
from inspectorate.domain.lifecycle import Stage, Status
from inspectorate.domain.programmes import ProgrammeDefinition, Role
from inspectorate.domain.sign_off import HELD, LATE_ANNOUNCEMENT, SIGN_OFFS, sign_off_command
from inspectorate.services.recipients import addresses_for
from inspectorate.services.reminder_claims import claim_reminder
from inspectorate.services.stages import held_because

HELD_PREFIX = "held: "


def hold_if_waiting(
    session: Session,
    *,
    milestone: Milestone,
    inspection: Inspection,
    programme: ProgrammeDefinition,
    stage: Stage,
    as_of: pendulum.Date,
    now: pendulum.DateTime,
    settings: Settings,
) -> str | None:
    """Hold the milestone if a person must act first, and remind them; why, or None."""
    assert inspection.id is not None and milestone.id is not None
    reason = held_because(
        session, programme=programme, inspection_id=inspection.id, stage=stage, today=as_of
    )
    if reason is None:
        return None
    body = row_by_id(session, Body, inspection.body_id)
    assert body is not None
    roles: tuple[Role, ...]
    if stage is Stage.ANNOUNCE:
        # Told once, at once; the daily escalations of an overdue milestone follow.
        kind, day, roles = LATE_ANNOUNCEMENT, milestone.due_on, (Role.MANAGER,)
    else:
        kind, day, roles = HELD, as_of, SIGN_OFFS[stage].remind
    if kind == LATE_ANNOUNCEMENT or is_working_day(as_of):
        claim_reminder(
            session,
            milestone_id=milestone.id,
            kind=kind,
            remind_on=day,
            milestone_due_on=milestone.due_on,
            recipients=addresses_for(roles, body, settings),
            now=now,
        )
    return reason


def waiting_for(
    session: Session, *, inspection: Inspection, programme: ProgrammeDefinition, today: dt.date
) -> str | None:
    """What the inspection's next step waits for from a named person, or None."""
    assert inspection.id is not None
    status = Status(inspection.status)
    if status is Status.PLANNED:
        candidates = [Stage.ANNOUNCE]
    else:
        candidates = [stage for stage, rule in SIGN_OFFS.items() if status in rule.signable]
    for stage in candidates:
        reason = held_because(
            session, programme=programme, inspection_id=inspection.id, stage=stage, today=today
        )
        if reason is not None:
            command = f" (`{sign_off_command(inspection.id, stage)}`)" if stage in SIGN_OFFS else ""
            return f"{stage.value.replace('_', ' ')}: {reason}{command}"
    return None
