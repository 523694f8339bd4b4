"""Performing one lifecycle stage: the legal step, its milestone, its notices — one transaction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pendulum
from sqlalchemy import bindparam
from sqlmodel import Session, col, select

from inspectorate.adapters.models import Body, Inspection, Milestone, Programme
from inspectorate.adapters.repository import (
    get_inspection,
    mark_milestone_done,
    transition_inspection,
)
from inspectorate.adapters.rows import row_by_id
from inspectorate.adapters.settings import Settings, get_settings
from inspectorate.domain.errors import InvalidTransition
from inspectorate.domain.lifecycle import Stage, Status, next_status, status_after, status_before
from inspectorate.domain.notice import late_announcement_advice, shortened_notice
from inspectorate.domain.programmes import MilestoneRule, ProgrammeDefinition
from inspectorate.domain.reminders import NOTICE
from inspectorate.domain.sign_off import needs_sign_off
from inspectorate.domain.triggers import TriggerRule
from inspectorate.services import context, owed_effects, sign_off
from inspectorate.services.follow_ups import plan_follow_up
from inspectorate.services.late_steps import follow_a_late_step
from inspectorate.services.recipients import addresses_for
from inspectorate.services.reminder_claims import claim_reminder
from inspectorate.services.step_dates import check_after_last_step, check_not_too_early


@dataclass(frozen=True)
class StageOutcome:
    """What a stage did: the step, the statuses either side, and whether anything changed."""

    inspection_id: int
    stage: Stage
    from_status: str
    to_status: str
    moved: bool


def perform_stage(
    session: Session,
    *,
    programme: ProgrammeDefinition,
    inspection_id: int,
    stage: Stage,
    now: pendulum.DateTime,
    actor: str,
    settings: Settings,
    why: str = "",
    follow_up_rules: list[TriggerRule] | None = None,
    all_programmes: dict[str, ProgrammeDefinition] | None = None,
    person_allowed: bool = False,
) -> StageOutcome:
    """Apply `stage` to the inspection, complete its milestone and queue its notices.

    What the stage owes (documents, booked runs) is recorded in the same transaction, for
    whoever carries it out next. Sending the draft and publishing need a sign-off; a late
    announcement needs a reason. `person_allowed` says the caller found nothing holding the
    stage (`held_because`) in this same transaction, so it is not asked twice. Publishing
    also evaluates `follow_up_rules` and plans any reinspection they call for.
    """
    before = row_by_id(session, Inspection, inspection_id)
    from_status = before.status if before is not None else ""
    if stage is not Stage.CANCEL:
        check_not_too_early(session, programme.milestone_for_stage(stage), inspection_id, now)
        if from_status == status_before(stage) and not person_allowed:
            _check_person_allows(session, programme, inspection_id, stage, now, why)
    inspection, moved = transition_inspection(
        session, inspection_id=inspection_id, stage=stage, now=now, actor=actor, why=why
    )
    if moved:
        owed_effects.owe_effects(
            session,
            inspection_id=inspection_id,
            stage=stage,
            now=now,
            server_mode=settings.server_timers,
        )
    if moved and stage is not Stage.CANCEL:
        rule = programme.milestone_for_stage(stage)
        milestone = session.exec(
            _MILESTONE_OF_KIND, params={"inspection_id": inspection_id, "kind": rule.kind}
        ).one()
        complete_milestone(
            session,
            milestone=milestone,
            rule=rule,
            now=now,
            actor=actor,
            settings=settings,
            why=why or f"{stage.value} done",
        )
        follow_a_late_step(session, programme, milestone, rule, now=now, actor=actor)
    if moved and stage is Stage.PUBLISH and follow_up_rules:
        # Planned in the same transaction as the publication, so it can never be forgotten.
        plan_follow_up(
            session,
            inspection_id=inspection_id,
            programmes=all_programmes or {},
            rules=follow_up_rules,
            now=now,
            actor=actor,
        )
    return StageOutcome(inspection_id, stage, from_status, inspection.status, moved)


def late_notice(
    session: Session, *, programme: ProgrammeDefinition, inspection_id: int, today: dt.date
) -> str | None:
    """How announcing on `today` would shorten the notice, or None when it would not."""
    inspection = row_by_id(session, Inspection, inspection_id)
    assert inspection is not None
    kind = programme.milestone_for_stage(Stage.ANNOUNCE).kind
    milestone = session.exec(
        select(Milestone).where(Milestone.inspection_id == inspection_id, Milestone.kind == kind)
    ).first()
    if milestone is None:
        return None
    return shortened_notice(
        announce_due=milestone.due_on, fieldwork_start=inspection.fieldwork_start, today=today
    )


def held_because(
    session: Session,
    *,
    programme: ProgrammeDefinition,
    inspection_id: int,
    stage: Stage,
    today: dt.date,
) -> str | None:
    """Why the machine must not take `stage` on its own today (a person decides), or None."""
    if needs_sign_off(stage):
        reason = sign_off.held_because(session, inspection_id=inspection_id, stage=stage)
        if reason is not None:
            return reason
    if stage is Stage.ANNOUNCE:
        late = late_notice(session, programme=programme, inspection_id=inspection_id, today=today)
        if late is not None:
            return f"{late}; {late_announcement_advice(inspection_id)}"
    return None


def due_and_ready(session: Session, *, inspection_id: int, stage: Stage, today: dt.date) -> bool:
    """Whether the sweep would take `stage` today: its day has come and nothing holds it."""
    inspection = get_inspection(session, inspection_id=inspection_id)
    row = row_by_id(session, Programme, inspection.programme_id)
    assert row is not None
    programme = context.programmes()[row.code]
    rule = programme.milestone_for_stage(stage)
    if inspection.status != status_before(stage).value or not rule.automatic:
        return False  # not next, or a person takes it: the sweep never does
    milestone = session.exec(
        select(Milestone).where(
            Milestone.inspection_id == inspection_id, Milestone.kind == rule.kind
        )
    ).first()
    if milestone is None or milestone.done_at is not None or milestone.due_on > today:
        return False
    reason = held_because(
        session, programme=programme, inspection_id=inspection_id, stage=stage, today=today
    )
    return reason is None


def _check_person_allows(
    session: Session,
    programme: ProgrammeDefinition,
    inspection_id: int,
    stage: Stage,
    now: pendulum.DateTime,
    why: str,
) -> None:
    """Refuse a stage a named person has not allowed: unsigned, or notice shortened silently."""
    if needs_sign_off(stage):
        sign_off.require_sign_off(session, inspection_id=inspection_id, stage=stage)
    if stage is Stage.ANNOUNCE and not why.strip():
        late = late_notice(
            session, programme=programme, inspection_id=inspection_id, today=now.date()
        )
        if late is not None:
            raise InvalidTransition(
                f"inspection {inspection_id}: {late}; {late_announcement_advice(inspection_id)}"
            )


def complete_milestone(
    session: Session,
    *,
    milestone: Milestone,
    rule: MilestoneRule,
    now: pendulum.DateTime,
    actor: str,
    settings: Settings,
    why: str,
) -> bool:
    """Mark the milestone done and, in the same transaction, queue a notice to `rule.notify`."""
    if not mark_milestone_done(session, milestone=milestone, now=now, actor=actor, why=why):
        return False
    if rule.notify:
        inspection = row_by_id(session, Inspection, milestone.inspection_id)
        assert inspection is not None
        body = row_by_id(session, Body, inspection.body_id)
        assert body is not None and milestone.id is not None
        claim_reminder(
            session,
            milestone_id=milestone.id,
            kind=NOTICE,
            remind_on=now.date(),
            milestone_due_on=milestone.due_on,
            recipients=addresses_for(rule.notify, body, settings),
            now=now,
        )
    return True


def apply_stage(
    session: Session,
    *,
    inspection_id: int,
    stage: Stage,
    actor: str,
    why: str = "",
    now: dt.datetime | None = None,
    if_ready: bool = False,
) -> StageOutcome:
    """Apply one lifecycle stage to an inspection, with its milestone and notices.

    With `if_ready` (a booked timer), an inspection not standing just before the stage is
    left as it is instead of refused: the sweep or a person has done it, or it is not due.
    """
    settings = get_settings()
    inspection = get_inspection(session, inspection_id=inspection_id)
    if if_ready and inspection.status != status_before(stage):
        return StageOutcome(inspection_id, stage, inspection.status, inspection.status, False)
    programme_row = row_by_id(session, Programme, inspection.programme_id)
    assert programme_row is not None
    moment = context.moment(now)
    if if_ready and held_because(
        session,
        programme=context.programmes(settings)[programme_row.code],
        inspection_id=inspection_id,
        stage=stage,
        today=moment.date(),
    ):
        # A booked run never acts for a person: the milestone stays held (the sweep reminds).
        return StageOutcome(inspection_id, stage, inspection.status, inspection.status, False)
    return perform_stage(
        session,
        programme=context.programmes(settings)[programme_row.code],
        inspection_id=inspection_id,
        stage=stage,
        now=moment,
        actor=actor,
        settings=settings,
        why=why,
        follow_up_rules=context.follow_up_rules(settings)[programme_row.code],
        all_programmes=context.programmes(settings),
    )


def check_stage(
    session: Session,
    *,
    inspection_id: int,
    stage: Stage,
    now: dt.datetime | None = None,
    why: str = "",
) -> None:
    """Raise InvalidTransition now if `stage` cannot apply (so bad input starts no flow).

    With `now`, also what a person taking it then would be refused: a day before its
    milestone allows or before the inspection's last step, a missing sign-off, notice
    shortened without a reason. The document formats are checked too, so a bad setting
    cannot stop a stage half-way through.
    """
    get_settings().document_formats()
    inspection = get_inspection(session, inspection_id=inspection_id)
    status = Status(inspection.status)
    if stage is not Stage.CANCEL and status is status_after(stage):
        return
    next_status(status, stage)
    if now is None:
        return
    check_after_last_step(session, inspection_id, now)
    if stage is Stage.CANCEL:
        return
    row = row_by_id(session, Programme, inspection.programme_id)
    assert row is not None
    programme = context.programmes()[row.code]
    moment = context.moment(now)
    check_not_too_early(session, programme.milestone_for_stage(stage), inspection_id, moment)
    _check_person_allows(session, programme, inspection_id, stage, moment, why)


# Built once: every stage of every inspection reads the milestone it completes.
_MILESTONE_OF_KIND = select(Milestone).where(
    col(Milestone.inspection_id) == bindparam("inspection_id"),
    col(Milestone.kind) == bindparam("kind"),
)
