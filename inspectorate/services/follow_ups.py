"""Planning reinspections and follow-ups in the record when published scores call for them."""

from __future__ import annotations

import datetime as dt

import pendulum
from sqlmodel import Session, col, select

from inspectorate.adapters.casework import headline_scores
from inspectorate.adapters.clock import LONDON
from inspectorate.adapters.database import utc
from inspectorate.adapters.models import AuditEvent, Body, Inspection, Milestone, Programme
from inspectorate.adapters.repository import record_audit, schedule_inspection
from inspectorate.adapters.rows import row_by_id
from inspectorate.domain.calendar import as_date
from inspectorate.domain.milestones import earliest_fieldwork_start
from inspectorate.domain.programmes import ProgrammeDefinition
from inspectorate.domain.triggers import Decision, TriggerRule, evaluate
from inspectorate.services.date_checks import first_usable_monday

FOLLOW_UP_KINDS = ("reinspection", "follow_up")


def children_of(session: Session, *, inspection_id: int) -> list[Inspection]:
    """Return the reinspections and follow-ups planned from an inspection."""
    return list(
        session.exec(
            select(Inspection)
            .where(Inspection.parent_id == inspection_id)
            .order_by(col(Inspection.id))
        ).all()
    )


def publication_date(session: Session, *, inspection_id: int) -> dt.date | None:
    """Return the day the report was published (or is due to be), in London."""
    milestone = session.exec(
        select(Milestone).where(
            Milestone.inspection_id == inspection_id, Milestone.kind == "publication"
        )
    ).first()
    if milestone is None:
        return None
    if milestone.done_at is not None:
        return pendulum.instance(utc(milestone.done_at)).in_timezone(LONDON).date()
    return milestone.due_on


def follow_up_decision(
    session: Session, *, inspection_id: int, rules: list[TriggerRule]
) -> Decision | None:
    """Evaluate the rules on the stored headline scores without planning anything.

    None when there is nothing to decide: no rules, no scores, or a follow-up already planned.
    """
    if any(c.kind in FOLLOW_UP_KINDS for c in children_of(session, inspection_id=inspection_id)):
        return None
    scores = headline_scores(session, inspection_id=inspection_id)
    published = publication_date(session, inspection_id=inspection_id)
    if not rules or not scores or published is None:
        return None
    return evaluate(rules, scores, published)


def plan_follow_up(
    session: Session,
    *,
    inspection_id: int,
    programmes: dict[str, ProgrammeDefinition],
    rules: list[TriggerRule],
    now: pendulum.DateTime,
    actor: str,
) -> tuple[Decision | None, Inspection | None]:
    """Evaluate the rules on the stored headline scores; schedule the follow-up when due.

    Idempotent: an inspection that already has a follow-up gets no second one, and the
    decision not to follow up is recorded once.
    """
    existing = [
        c for c in children_of(session, inspection_id=inspection_id) if c.kind in FOLLOW_UP_KINDS
    ]
    if existing:
        return None, existing[0]
    scores = headline_scores(session, inspection_id=inspection_id)
    published = publication_date(session, inspection_id=inspection_id)
    if not rules or not scores or published is None:
        return None, None
    decision = evaluate(rules, scores, published)
    if not decision.due or decision.rule is None or decision.due_date is None:
        _record_once(session, inspection_id, now, actor, decision.reason)
        return decision, None
    original = row_by_id(session, Inspection, inspection_id)
    assert original is not None
    body = row_by_id(session, Body, original.body_id)
    original_programme = row_by_id(session, Programme, original.programme_id)
    assert body is not None and original_programme is not None
    programme = programmes[decision.rule.programme or original_programme.code]
    programme_row = session.exec(select(Programme).where(Programme.code == programme.code)).one()
    assert programme_row.id is not None
    # The follow-up keeps the date rules a person's scheduling keeps (bank holidays, the
    # body's existence, team capacity): the first usable Monday on or after the due date.
    start, refused = first_usable_monday(
        session,
        programme=programme,
        programme_id=programme_row.id,
        body=body,
        from_monday=_fieldwork_monday(as_date(decision.due_date), programme, now.date()),
        notice_from=now.date(),
    )
    if start is None:
        _record_once(
            session,
            inspection_id,
            now,
            actor,
            f"{decision.reason}; due {decision.due_date.isoformat()}, but no fieldwork week in "
            f"the six months from then can be used ({refused}): the programme manager decides",
            action="follow_up_not_planned",
        )
        return decision, None
    follow_up, _ = schedule_inspection(
        session,
        programme=programme,
        body=body,
        fieldwork_start=as_date(start),
        now=now,
        actor=actor,
        kind=decision.rule.kind.value,
        parent_id=inspection_id,
    )
    follow_up.trigger_rule = decision.rule.name
    follow_up.covers = ",".join(decision.rule.covers) or None
    session.add(follow_up)
    session.flush()
    assert follow_up.id is not None
    record_audit(
        session,
        at=now,
        actor=actor,
        entity="inspection",
        entity_id=inspection_id,
        inspection_id=inspection_id,
        action="follow_up_planned",
        to_state=f"{decision.rule.kind.value} {follow_up.id}",
        why=f"{decision.reason}; due {decision.due_date.isoformat()} (window "
        f"{decision.window_start} to {decision.window_end}); fieldwork from {start}",
    )
    return decision, follow_up


def _fieldwork_monday(
    due: pendulum.Date, programme: ProgrammeDefinition, today: pendulum.Date
) -> pendulum.Date:
    monday = due.add(days=(7 - due.weekday()) % 7)
    return max(monday, earliest_fieldwork_start(programme, today))


def _record_once(
    session: Session,
    inspection_id: int,
    now: pendulum.DateTime,
    actor: str,
    why: str,
    action: str = "no_follow_up",
) -> None:
    already = session.exec(
        select(AuditEvent).where(
            AuditEvent.inspection_id == inspection_id, AuditEvent.action == action
        )
    ).first()
    if already is None:
        record_audit(
            session,
            at=now,
            actor=actor,
            entity="inspection",
            entity_id=inspection_id,
            inspection_id=inspection_id,
            action=action,
            why=why,
        )
