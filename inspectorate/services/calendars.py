"""Calendar entries of the record: every milestone of a programme's scheduled inspections."""

from __future__ import annotations

from sqlmodel import Session, col, select

from inspectorate.adapters import ical
from inspectorate.adapters.models import Body, Inspection, Milestone, Programme
from inspectorate.services import context


def record_entries(session: Session, code: str) -> list[ical.CalendarEntry]:
    """Every milestone of the programme's inspections in the record, UID by inspection id."""
    definition = context.programmes()[code]
    rows = session.exec(
        select(Milestone, Inspection, Body.name)
        .join(Inspection, col(Inspection.id) == Milestone.inspection_id)
        .join(Body, col(Body.id) == Inspection.body_id)
        .join(Programme, col(Programme.id) == Inspection.programme_id)
        .where(Programme.code == code, Inspection.status != "cancelled")
        .order_by(col(Milestone.due_on), col(Inspection.id))
    ).all()
    return [
        ical.CalendarEntry(
            ical.stable_uid("inspection", i.id, m.kind),
            body,
            code,
            m.kind,
            definition.rule(m.kind).label,
            m.due_on,
        )
        for m, i, body in rows
    ]
