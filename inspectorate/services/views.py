"""What the CLI shows, as plain data: for --json, and for the tables cli.tables builds."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, func, select

from inspectorate.adapters.database import utc
from inspectorate.adapters.models import (
    Body,
    Inspection,
    Milestone,
    Programme,
    Reminder,
    ReportVersion,
)
from inspectorate.adapters.repository import audit_trail, get_inspection, milestones_of
from inspectorate.adapters.rows import row_by_id
from inspectorate.domain.lifecycle import PUBLISHED_STATUSES
from inspectorate.domain.milestones import PlannedMilestone
from inspectorate.services import context, holds, sign_off
from inspectorate.services.follow_ups import children_of

# Loaded once: pendulum re-reads the zone file on every conversion (a dashboard page made
# ~100 of them).
LONDON_ZONE = ZoneInfo("Europe/London")


def london(moment: dt.datetime | None) -> str:
    """Format a stored UTC time as London local time, or '' when absent."""
    if moment is None:
        return ""
    return utc(moment).astimezone(LONDON_ZONE).strftime("%Y-%m-%d %H:%M")


@dataclass(frozen=True)
class InspectionSummary:
    """One row of a programme overview."""

    id: int
    body: str
    programme: str
    status: str
    fieldwork_start: dt.date
    next_milestone: str | None
    next_due: dt.date | None
    reminders_sent: int
    kind: str = "inspection"
    parent_id: int | None = None

    @property
    def title(self) -> str:
        """'IAOW London', or 'CCI North Lincolnshire, reinspection of 6'."""
        base = f"{self.programme.upper()} {self.body}"
        if self.parent_id is None:
            return base
        return f"{base}, {self.kind.replace('_', '-')} of {self.parent_id}"


def summarise_inspections(session: Session) -> list[InspectionSummary]:
    """Return every inspection with its next open milestone and reminders sent."""
    rows = session.exec(
        select(Inspection, Body.name, Programme.code)
        .join(Body, col(Body.id) == Inspection.body_id)
        .join(Programme, col(Programme.id) == Inspection.programme_id)
        .order_by(col(Inspection.fieldwork_start), col(Inspection.id))
    ).all()
    # Three queries whatever the record's size, not two more per inspection.
    next_open: dict[int, tuple[str | None, dt.date | None]] = {}
    for inspection_id, kind, due_on in session.exec(
        select(col(Milestone.inspection_id), col(Milestone.kind), col(Milestone.due_on))
        .where(col(Milestone.done_at).is_(None))
        .order_by(col(Milestone.inspection_id), col(Milestone.due_on), col(Milestone.id))
    ):
        next_open.setdefault(inspection_id, (kind, due_on))
    sent: dict[int, int] = dict(
        session.exec(
            select(Milestone.inspection_id, func.count(col(Reminder.id)))
            .join(Milestone, col(Milestone.id) == Reminder.milestone_id)
            .where(col(Reminder.sent_at).is_not(None))
            .group_by(col(Milestone.inspection_id))
        ).all()
    )
    summaries = []
    for inspection, body_name, code in rows:
        assert inspection.id is not None
        next_kind, next_due = next_open.get(inspection.id, (None, None))
        summaries.append(
            InspectionSummary(
                inspection.id,
                body_name,
                code,
                inspection.status,
                inspection.fieldwork_start,
                next_kind,
                next_due,
                sent.get(inspection.id, 0),
                inspection.kind,
                inspection.parent_id,
            )
        )
    return summaries


def planned_milestones_json(planned: Sequence[PlannedMilestone]) -> list[dict[str, str]]:
    """Return [{"milestone", "due"}] in date order."""
    return [{"milestone": m.kind, "due": m.due.isoformat()} for m in planned]


def inspection_json(session: Session, inspection: Inspection) -> dict[str, Any]:
    """Return one inspection with its milestones and audit trail."""
    assert inspection.id is not None
    body = row_by_id(session, Body, inspection.body_id)
    programme = row_by_id(session, Programme, inspection.programme_id)
    assert body is not None and programme is not None
    return {
        "id": inspection.id,
        "body": body.name,
        "body_kind": body.kind,
        "region": body.region,
        "in_wales": body.in_wales,
        "programme": programme.code,
        "kind": inspection.kind,
        "parent_id": inspection.parent_id,
        "trigger_rule": inspection.trigger_rule,
        "covers": inspection.covers.split(",") if inspection.covers else None,
        "children": [
            {
                "id": c.id,
                "kind": c.kind,
                "status": c.status,
                "fieldwork_start": c.fieldwork_start.isoformat(),
            }
            for c in children_of(session, inspection_id=inspection.id)
        ],
        "status": inspection.status,
        "fieldwork_start": inspection.fieldwork_start.isoformat(),
        "milestones": [
            {"milestone": m.kind, "due": m.due_on.isoformat(), "done_at": london(m.done_at) or None}
            for m in milestones_of(session, inspection_id=inspection.id)
        ],
        "audit": [
            {
                "at": london(e.at),
                "actor": e.actor,
                "entity": e.entity,
                "action": e.action,
                "from": e.from_state,
                "to": e.to_state,
                "why": e.why,
            }
            for e in audit_trail(session, inspection_id=inspection.id)
        ],
    }


def describe_inspection(
    session: Session, *, inspection_id: int, today: dt.date | None = None
) -> dict[str, Any]:
    """Return `inspection_json` of the inspection, with its sign-offs and what it waits for."""
    inspection = get_inspection(session, inspection_id=inspection_id)
    data = inspection_json(session, inspection)
    data["waiting_for"] = holds.waiting_for(
        session,
        inspection=inspection,
        programme=context.programmes()[data["programme"]],
        today=today or context.day(None),
    )
    data["sign_offs"] = [
        {
            "what": s.stage,
            "by": s.signed_by,
            "role": s.role,
            "at": london(s.signed_at),
            "current": s.current,
            "why": s.why,
        }
        for s in sign_off.sign_offs_of(session, inspection_id=inspection_id)
    ]
    return data


def reminders_json(session: Session, inspection_id: int | None = None) -> list[dict[str, Any]]:
    """Return every reminder (optionally of one inspection), oldest first."""
    if inspection_id is not None:
        get_inspection(session, inspection_id=inspection_id)  # an unknown id says so
    query = (
        select(Reminder, Milestone, Inspection, Body.name)
        .join(Milestone, col(Milestone.id) == Reminder.milestone_id)
        .join(Inspection, col(Inspection.id) == Milestone.inspection_id)
        .join(Body, col(Body.id) == Inspection.body_id)
        .order_by(col(Reminder.remind_on), col(Reminder.id))
    )
    if inspection_id is not None:
        query = query.where(Inspection.id == inspection_id)
    return [
        {
            "id": r.id,
            "inspection": i.id,
            "body": body,
            "milestone": m.kind,
            "kind": r.kind,
            "remind_on": r.remind_on.isoformat(),
            "milestone_due": r.milestone_due_on.isoformat(),
            "to": r.recipients,
            "sent_at": london(r.sent_at) or None,
            "delivered_to": r.message_path,
        }
        for r, m, i, body in session.exec(query).all()
    ]


@dataclass(frozen=True)
class Step:
    """One lifecycle step or escalation of an inspection, as its audit trail recorded it."""

    when: str
    who: str
    step: str
    change: str
    why: str


def lifecycle_steps(session: Session, inspection_id: int) -> tuple[str, list[Step]]:
    """Return the body's name and the inspection's steps and escalations, from its audit trail."""
    inspection = row_by_id(session, Inspection, inspection_id)
    body = row_by_id(session, Body, inspection.body_id) if inspection else None
    assert inspection is not None and body is not None
    steps = []
    for event in audit_trail(session, inspection_id=inspection_id):
        escalation = event.entity == "reminder" and event.why.startswith("escalation")
        if event.entity == "inspection" or escalation:
            step = "escalation sent" if escalation else event.action
            changed = not escalation and (event.from_state or event.to_state)
            change = f"{event.from_state or '∅'} → {event.to_state or '∅'}" if changed else ""
            steps.append(Step(london(event.at), event.actor, step, change, event.why))
    return body.name, steps


@dataclass(frozen=True)
class RecordTally:
    """What a simulated programme left in the record."""

    published: int
    reinspections: int
    documents: int


def tally_record(session: Session) -> RecordTally:
    """Count published inspections, follow-ups and reinspections, and documents written."""
    inspections = session.exec(select(Inspection)).all()
    return RecordTally(
        published=sum(
            i.kind == "inspection" and i.status in PUBLISHED_STATUSES for i in inspections
        ),
        reinspections=sum(i.kind != "inspection" for i in inspections),
        documents=len(session.exec(select(ReportVersion.id)).all()),
    )


def require_inspection(session: Session, *, inspection_id: int) -> None:
    """Raise UnknownInspection unless the record has inspection `inspection_id`."""
    get_inspection(session, inspection_id=inspection_id)
