"""The audit trail as rows for an export: time in London, who, what, inspection, details.

Reads only, like every export.
"""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, col, select

from inspectorate.adapters.database import utc
from inspectorate.adapters.export_files import Cell, Column, ExportTable, Kind
from inspectorate.adapters.models import AuditEvent, Body, Inspection, Programme
from inspectorate.services.export_filters import LONDON, ExportFilter

AUDIT_COLUMNS = (
    Column("Time", Kind.TIME),
    Column("Who"),
    Column("What"),
    Column("Of"),
    Column("Inspection", Kind.INTEGER),
    Column("Programme"),
    Column("Body"),
    Column("From"),
    Column("To"),
    Column("Details"),
)


def _start_of(day: dt.date) -> dt.datetime:
    """The first instant of `day` in London, in UTC."""
    return dt.datetime(day.year, day.month, day.day, tzinfo=LONDON).astimezone(dt.UTC)


def audit_table(session: Session, *, filters: ExportFilter) -> ExportTable:
    """Every audit event (of the programme's inspections, on the days asked for), oldest first."""
    query = (
        select(AuditEvent, Body.name, Programme.code)
        .outerjoin(Inspection, col(Inspection.id) == AuditEvent.inspection_id)
        .outerjoin(Body, col(Body.id) == Inspection.body_id)
        .outerjoin(Programme, col(Programme.id) == Inspection.programme_id)
        .order_by(col(AuditEvent.at), col(AuditEvent.id))
    )
    if filters.programme:
        query = query.where(Programme.code == filters.programme)
    if filters.first_day:
        query = query.where(col(AuditEvent.at) >= _start_of(filters.first_day))
    if filters.last_day:
        after = filters.last_day + dt.timedelta(days=1)
        query = query.where(col(AuditEvent.at) < _start_of(after))
    rows: list[tuple[Cell, ...]] = [
        (
            utc(event.at).astimezone(LONDON),
            event.actor,
            event.action.replace("_", " "),
            f"{event.entity} {event.entity_id}",
            event.inspection_id,
            code.upper() if code else None,
            body,
            event.from_state,
            event.to_state,
            event.why or None,
        )
        for event, body, code in session.exec(query).all()
    ]
    return ExportTable("Audit trail", AUDIT_COLUMNS, rows)
