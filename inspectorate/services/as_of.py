"""The timeline and deadlines as they stood on a day, rebuilt from milestones and the audit trail.

A milestone is done as of day D when its done_at falls before the end of D in London. An
inspection exists from the moment it was scheduled; its status as of D is the to_state of its
last status-changing audit event by the end of D ('planned' if there is none).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

import pendulum
from sqlalchemy import ColumnElement, false, func, true
from sqlalchemy import select as rows_of  # plain rows of any number of columns
from sqlmodel import Session, col, select

from inspectorate.adapters.clock import LONDON
from inspectorate.adapters.database import utc
from inspectorate.adapters.models import (
    AuditEvent,
    Body,
    Inspection,
    Milestone,
    Programme,
    Reminder,
)
from inspectorate.domain.access import AccountRole, Viewer
from inspectorate.domain.lifecycle import FINAL_STATUSES, Status

PER_PAGE = 50
_STATUSES = {s.value for s in Status}
_FINAL = {s.value for s in FINAL_STATUSES}
KIND_LABELS = {"reinspection": "reinspection", "follow_up": "follow-up"}


def end_of_day(day: dt.date) -> dt.datetime:
    """The first instant after `day` in London, in UTC (what is done by then was done on `day`)."""
    after = pendulum.datetime(day.year, day.month, day.day, tz=LONDON).add(days=1)
    return utc(after)


def label_of(body: str, kind: str) -> str:
    """The body's name, with 'reinspection' or 'follow-up' after it when the inspection is one."""
    extra = KIND_LABELS.get(kind)
    return f"{body} — {extra}" if extra else body


@dataclass(frozen=True)
class Filters:
    """What a page is narrowed to: region, status (as of the day) and programme code."""

    region: str = ""
    status: str = ""
    programme: str = ""


@dataclass
class TimelineRow:
    """One inspection on the programme timeline, as it stood on the day."""

    id: int
    body: str
    status: str
    kind: str
    region: str = ""
    milestones: dict[str, dt.date] = field(default_factory=dict)
    done: set[str] = field(default_factory=set)
    overdue: set[str] = field(default_factory=set)

    @property
    def label(self) -> str:
        """The name shown: the body, and whether this is a reinspection or follow-up."""
        return label_of(self.body, self.kind)


@dataclass(frozen=True)
class TimelinePage:
    """One page of the timeline, with what the filter form offers."""

    rows: list[TimelineRow]
    total: int
    page: int
    pages: int
    regions: list[str]
    statuses: list[str]


@dataclass(frozen=True)
class Existing:
    """An inspection that existed on a day, with its status then."""

    id: int
    kind: str
    body: str
    region: str
    programme: str
    status: str


def status_then(cutoff: dt.datetime) -> ColumnElement[str]:
    """The inspection's status before `cutoff`: its last status-changing audit event's to_state.

    Correlated to Inspection; ties in time go to the later event; 'planned' if there is none.
    An index on (inspection_id, entity, at, id, to_state) answers it alone, in its order.
    """
    last = (
        select(AuditEvent.to_state)
        .where(
            AuditEvent.inspection_id == Inspection.id,
            AuditEvent.entity == "inspection",
            col(AuditEvent.at) < cutoff,
            col(AuditEvent.to_state).in_(sorted(_STATUSES)),
        )
        .order_by(col(AuditEvent.at).desc(), col(AuditEvent.id).desc())
        .limit(1)
        .correlate(Inspection)
        .scalar_subquery()
    )
    return func.coalesce(last, Status.PLANNED.value)


def works_on(viewer: Viewer) -> ColumnElement[bool]:
    """The inspections `is_staff_on` allows the viewer, as a condition on Inspection."""
    if viewer.role == AccountRole.MANAGER:
        return true()
    if viewer.role == AccountRole.INSPECTOR:
        return col(Inspection.id).in_(sorted(viewer.assigned))
    return false()


def existing(session: Session, viewer: Viewer, day: dt.date, code: str) -> list[Existing]:
    """The programme's inspections the viewer works on that existed on `day`, with their status
    then, by fieldwork start.

    Plain rows, one query: the status of each comes from the index, not the whole trail.
    """
    cutoff = end_of_day(day)
    query = (
        rows_of(
            col(Inspection.id),
            col(Inspection.kind),
            col(Body.name),
            col(Body.region),
            col(Programme.code),
            status_then(cutoff),
        )
        .join(Body, col(Body.id) == Inspection.body_id)
        .join(Programme, col(Programme.id) == Inspection.programme_id)
        .where(col(Inspection.created_at) < cutoff, works_on(viewer), col(Programme.code) == code)
        .order_by(col(Inspection.fieldwork_start), col(Inspection.id))
    )
    return [Existing(*row) for row in session.execute(query)]


def _matches(row: Existing, filters: Filters) -> bool:
    return (
        (not filters.region or row.region == filters.region)
        and (not filters.status or row.status == filters.status)
        and (not filters.programme or row.programme == filters.programme)
    )


def page_count(rows: int, per_page: int) -> int:
    """How many pages `rows` rows take at `per_page` a page (one, even when empty)."""
    return max(1, -(-rows // per_page))


def timeline(
    session: Session,
    viewer: Viewer,
    code: str,
    day: dt.date,
    filters: Filters = Filters(),
    page: int | None = 1,
    then: Sequence[Existing] | None = None,
) -> TimelinePage:
    """The programme's inspections as of `day` the viewer works on, filtered, one page of them.

    `page` None gives every row on one page (the API). `then`, if given, is what `existing`
    answered for the same viewer, programme and day on the record as it is.
    """
    everything = existing(session, viewer, day, code) if then is None else then
    chosen = [e for e in everything if _matches(e, filters)]
    pages = page_count(len(chosen), PER_PAGE)
    number = min(max(page or 1, 1), pages)
    shown = chosen if page is None else chosen[(number - 1) * PER_PAGE : number * PER_PAGE]
    rows = {e.id: TimelineRow(e.id, e.body, e.status, e.kind, e.region) for e in shown}
    if rows:
        _add_milestones(session, rows, day)
    return TimelinePage(
        rows=list(rows.values()),
        total=len(chosen),
        page=number,
        pages=pages,
        regions=sorted({e.region for e in everything}),
        statuses=[s.value for s in Status if s.value in {e.status for e in everything}],
    )


def _add_milestones(session: Session, rows: dict[int, TimelineRow], day: dt.date) -> None:
    cutoff = end_of_day(day)
    found = session.exec(
        select(
            col(Milestone.inspection_id),
            col(Milestone.kind),
            col(Milestone.due_on),
            col(Milestone.done_at),
        ).where(col(Milestone.inspection_id).in_(list(rows)))
    ).all()
    for inspection_id, kind, due_on, done_at in found:
        row = rows[inspection_id]
        row.milestones[kind] = due_on
        if done_at is not None and utc(done_at) < cutoff:
            row.done.add(kind)
        elif due_on < day and row.status not in _FINAL:
            row.overdue.add(kind)


@dataclass(frozen=True)
class Deadline:
    """A milestone open on the day, with the reminders sent about it by then."""

    inspection_id: int
    body: str
    milestone: str
    due_on: dt.date
    reminders: list[tuple[str, dt.date, bool]]
    overdue: bool = False


def deadlines(
    session: Session, viewer: Viewer, day: dt.date, filters: Filters = Filters()
) -> tuple[list[Deadline], list[Deadline]]:
    """Milestones open on `day` due in its week, and those overdue then, of active inspections."""
    monday = day - dt.timedelta(days=day.weekday())
    cutoff = end_of_day(day)
    open_ = [
        m
        for m in _open_milestones(session, viewer, day, filters)
        if m.status not in _FINAL and (not filters.status or m.status == filters.status)
    ]
    sent: dict[int, list[tuple[str, dt.date, bool]]] = {}
    ids = [m.id for m in open_]
    reminders = rows_of(
        col(Reminder.milestone_id),
        col(Reminder.kind),
        col(Reminder.remind_on),
        col(Reminder.created_at),
        col(Reminder.sent_at),
    )  # plain rows: a busy week has thousands
    chosen = reminders.where(col(Reminder.milestone_id).in_(ids)).order_by(col(Reminder.id))
    for milestone_id, kind, remind_on, created_at, sent_at in session.execute(chosen):
        if utc(created_at) < cutoff:
            was_sent = sent_at is not None and utc(sent_at) < cutoff
            sent.setdefault(milestone_id, []).append((kind, remind_on, was_sent))
    rows = [
        Deadline(
            m.inspection_id,
            label_of(m.body, m.inspection_kind),
            m.kind,
            m.due_on,
            sent.get(m.id, []),
            m.due_on < day,
        )
        for m in open_
    ]
    return [d for d in rows if d.due_on >= monday], [d for d in rows if d.overdue]


@dataclass(frozen=True)
class _OpenMilestone:
    id: int
    inspection_id: int
    kind: str
    due_on: dt.date
    body: str
    inspection_kind: str
    status: str


def _open_milestones(
    session: Session, viewer: Viewer, day: dt.date, filters: Filters
) -> list[_OpenMilestone]:
    """Milestones due by the end of the day's week and not done by the end of the day, of
    inspections the viewer works on that existed then (with their status then), by due date.

    Open now and done only after the day are read apart: each has an index to itself, so the
    cost follows what was open then, not the whole record.
    """
    sunday = day + dt.timedelta(days=6 - day.weekday())
    cutoff = end_of_day(day)
    query = (
        rows_of(
            col(Milestone.id),
            col(Milestone.inspection_id),
            col(Milestone.kind),
            col(Milestone.due_on),
            col(Body.name),
            col(Inspection.kind),
            status_then(cutoff),
        )
        .join(Inspection, col(Inspection.id) == Milestone.inspection_id)
        .join(Body, col(Body.id) == Inspection.body_id)
        .where(col(Milestone.due_on) <= sunday)
        .where(col(Inspection.created_at) < cutoff, works_on(viewer))
    )
    if filters.programme:
        query = query.join(Programme, col(Programme.id) == Inspection.programme_id).where(
            col(Programme.code) == filters.programme
        )
    if filters.region:  # typed on the deadlines page: any case, spaces around
        query = query.where(func.lower(col(Body.region)) == filters.region.strip().lower())
    found = [
        _OpenMilestone(*row)
        for when in (col(Milestone.done_at).is_(None), col(Milestone.done_at) >= cutoff)
        for row in session.execute(query.where(when))
    ]
    return sorted(found, key=lambda m: (m.due_on, m.inspection_id, m.id))
