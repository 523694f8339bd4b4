"""The deadline sweep: advance what is due, claim the reminders owed, deliver them.

Each piece commits as it goes, so a sweep that crashes half-way keeps what it did; running
it again (the same day or later) finishes the rest and repeats nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pendulum
from sqlalchemy import Engine, bindparam
from sqlmodel import Session, col, select

from inspectorate.adapters.database import session_scope
from inspectorate.adapters.models import Body, Inspection, Milestone
from inspectorate.adapters.settings import Settings, get_settings
from inspectorate.domain.errors import InvalidTransition
from inspectorate.domain.lifecycle import status_before
from inspectorate.domain.programmes import ProgrammeDefinition, rule_for
from inspectorate.domain.triggers import TriggerRule
from inspectorate.services import context, delivery, due_work, owed_effects
from inspectorate.services.delivery import ACTOR
from inspectorate.services.due_work import ACTIVE as _ACTIVE
from inspectorate.services.due_work import open_milestones
from inspectorate.services.holds import HELD_PREFIX, hold_if_waiting
from inspectorate.services.recipients import addresses_for
from inspectorate.services.reminder_claims import ReminderClaim, claim_reminders
from inspectorate.services.stages import complete_milestone, perform_stage


@dataclass
class SweepReport:
    """What one sweep did."""

    as_of: pendulum.Date
    advanced: list[str] = field(default_factory=list)  # every milestone done, stage or not
    staged: list[tuple[int, str]] = field(default_factory=list)  # (inspection, stage) performed
    held: list[str] = field(default_factory=list)  # waiting for a named person
    blocked: list[str] = field(default_factory=list)  # not in the status the stage needs
    owed: int = 0  # effects still owed by stages (this sweep's and earlier ones')
    finished: int = 0  # owed effects carried out by this sweep
    failed: list[str] = field(default_factory=list)  # owed effects that failed (kept owed)
    claimed: int = 0
    delivered: int = 0
    withheld: int = 0  # reminders for days already past, not sent
    waiting: int = 0  # notices waiting for the document they carry
    skipped: str | None = None  # why this sweep did nothing: another sweep held the lease


def advance_due_milestones(
    engine: Engine,
    *,
    as_of: pendulum.Date,
    now: pendulum.DateTime,
    programmes: dict[str, ProgrammeDefinition],
    settings: Settings,
    follow_up_rules: dict[str, list[TriggerRule]] | None = None,
) -> SweepReport:
    """Perform every automatic milestone due on or before `as_of`, oldest first.

    Publishing evaluates the programme's trigger rules and plans any follow-up they call for.
    """
    report = SweepReport(as_of=as_of)
    with Session(engine) as session:
        due = open_milestones(session, due_by=as_of)
    for milestone, inspection, code in due:
        rule = rule_for(programmes, code, milestone.kind)
        if not rule.automatic:
            continue
        label = f"inspection {inspection.id} {milestone.kind}"
        try:
            outcome = _advance_one(
                engine,
                milestone,
                programmes,
                code,
                as_of,
                now,
                settings,
                (follow_up_rules or {}).get(code, []),
            )
        except InvalidTransition as race:  # another sweep or a person got there first
            outcome = f"not applied: {race}"
        if outcome == "done":
            report.advanced.append(label)
            if rule.stage is not None:
                report.staged.append((milestone.inspection_id, rule.stage.value))
        elif outcome.startswith(HELD_PREFIX):
            report.held.append(f"{label}: {outcome.removeprefix(HELD_PREFIX)}")
        elif outcome:
            report.blocked.append(f"{label} ({outcome})")
    with Session(engine) as session:
        report.owed = owed_effects.count_owed(session)
    return report


# Built once: every automatic milestone is read again in the transaction that does it.
_DUE_ROWS = (
    select(Milestone, Inspection, Body)
    .join(Inspection, col(Inspection.id) == Milestone.inspection_id)
    .join(Body, col(Body.id) == Inspection.body_id)
    .where(col(Milestone.id) == bindparam("milestone_id"))
)


def _advance_one(
    engine: Engine,
    milestone: Milestone,
    programmes: dict[str, ProgrammeDefinition],
    code: str,
    as_of: pendulum.Date,
    now: pendulum.DateTime,
    settings: Settings,
    rules: list[TriggerRule],
) -> str:
    """Do one automatic milestone in its own transaction: 'done', '' (nothing), or why not."""
    programme = programmes[code]
    rule = programme.rule(milestone.kind)
    why = f"due {milestone.due_on.isoformat()}"
    assert milestone.id is not None
    with session_scope(engine) as session:
        # Read again in this transaction, with the body (the stage and its notices want it).
        found = session.exec(_DUE_ROWS, params={"milestone_id": milestone.id}).first()
        assert found is not None
        fresh, inspection, _body = found
        assert inspection.id is not None
        # Done, moved later (a late draft moves its comment window) or closed meanwhile.
        if fresh.done_at is not None or fresh.due_on > as_of or inspection.status not in _ACTIVE:
            return ""
        if rule.stage is None:
            complete_milestone(
                session,
                milestone=fresh,
                rule=rule,
                now=now,
                actor=ACTOR,
                settings=settings,
                why=why,
            )
            return "done"
        if inspection.status != status_before(rule.stage).value:
            return f"inspection is {inspection.status}"
        held = hold_if_waiting(
            session,
            milestone=fresh,
            inspection=inspection,
            programme=programme,
            stage=rule.stage,
            as_of=as_of,
            now=now,
            settings=settings,
        )
        if held is not None:
            return HELD_PREFIX + held
        perform_stage(
            session,
            programme=programme,
            inspection_id=inspection.id,
            stage=rule.stage,
            now=now,
            actor=ACTOR,
            settings=settings,
            why=why,
            follow_up_rules=rules,
            all_programmes=programmes,
            person_allowed=True,  # hold_if_waiting just found nothing holding it
        )
        return "done"


def claim_due_reminders(
    engine: Engine,
    *,
    as_of: pendulum.Date,
    now: pendulum.DateTime,
    programmes: dict[str, ProgrammeDefinition],
    settings: Settings,
) -> int:
    """Claim (insert) every lead-time reminder and escalation owed on `as_of`.

    Only the reminders not claimed yet are read back and inserted, in a few statements:
    on most mornings that is the handful whose day has come.
    """
    with session_scope(engine) as session:
        owed = due_work.unclaimed_reminders(session, as_of=as_of, programmes=programmes)
        wanted = sorted({o.body_id for o in owed})
        bodies = {
            body.id: body
            for start in range(0, len(wanted), 500)
            for body in session.exec(
                select(Body).where(col(Body.id).in_(wanted[start : start + 500]))
            )
        }
        claims = [
            ReminderClaim(
                milestone_id=o.milestone_id,
                kind=o.owed.kind,
                remind_on=o.owed.remind_on,
                milestone_due_on=o.due_on,
                recipients=addresses_for(o.owed.roles, bodies[o.body_id], settings),
            )
            for o in owed
        ]
        return claim_reminders(session, claims, now=now)


def next_wakeup(
    engine: Engine, *, after: pendulum.Date, programmes: dict[str, ProgrammeDefinition]
) -> dt.date | None:
    """Return the next day after `after` on which the sweep has anything to do."""
    with Session(engine) as session:
        return due_work.next_day_with_work(session, after=after, programmes=programmes)


def advance(*, as_of: dt.date, now: dt.datetime | None = None) -> SweepReport:
    """Perform the automatic milestones due on or before `as_of`."""
    settings = get_settings()
    return advance_due_milestones(
        context.engine(settings),
        as_of=context.day(as_of),
        now=context.moment(now),
        programmes=context.programmes(settings),
        settings=settings,
        follow_up_rules=context.follow_up_rules(settings),
    )


def claim(*, as_of: dt.date, now: dt.datetime | None = None) -> int:
    """Claim the reminders and escalations owed on `as_of`."""
    settings = get_settings()
    return claim_due_reminders(
        context.engine(settings),
        as_of=context.day(as_of),
        now=context.moment(now),
        programmes=context.programmes(settings),
        settings=settings,
    )


def remind(
    report: SweepReport, *, now: dt.datetime | None = None, withhold_before: dt.date | None = None
) -> SweepReport:
    """Claim what is owed on the report's day, then send every unsent reminder (counted).

    Reminders for days before `withhold_before` are withheld, never sent: a back-fill of
    past days records what was owed without mailing people about it now.
    """
    # Added, not set: a retry after the claims were committed claims none and keeps the count.
    report.claimed += claim(as_of=report.as_of, now=now)
    delivered = delivery.deliver_all(now=now, withhold_before=withhold_before)
    report.delivered, report.withheld = delivered.delivered, delivered.withheld
    report.waiting = delivered.waiting
    return report


def next_day_with_work(*, after: dt.date) -> dt.date | None:
    """Return the next day on which the sweep has work."""
    settings = get_settings()
    return next_wakeup(
        context.engine(settings), after=context.day(after), programmes=context.programmes(settings)
    )
