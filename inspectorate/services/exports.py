"""Exports for a programme manager: the plan, the record and the audit trail, as rows.

Reads only: an export changes nothing in the record and writes nothing to the audit trail.
The rows come as an ExportTable; inspectorate.adapters.export_files writes it as XLSX or CSV.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlmodel import Session, col, select

from inspectorate.adapters.database import utc
from inspectorate.adapters.export_files import Cell, Column, ExportTable, Kind
from inspectorate.adapters.models import (
    Assignment,
    Body,
    Inspection,
    Milestone,
    Programme,
    Score,
    User,
)
from inspectorate.domain.lifecycle import FINAL_STATUSES, PUBLISHED_STATUSES, Stage, Status
from inspectorate.domain.programmes import ProgrammeDefinition
from inspectorate.services import context
from inspectorate.services.audit_exports import audit_table
from inspectorate.services.export_filters import LONDON, ExportFilter, ExportKind


def export_table(
    session: Session, *, kind: ExportKind, filters: ExportFilter, today: dt.date
) -> ExportTable:
    """The rows of one export; `today` says which open milestones are overdue."""
    if kind is ExportKind.PLAN:
        return plan_table(session, filters=filters)
    if kind is ExportKind.RECORD:
        return record_table(session, filters=filters, today=today)
    return audit_table(session, filters=filters)


def _inspections(filters: ExportFilter, *entities: Any) -> Any:
    """A query over inspections (with their body and programme) that the filter selects."""
    query = (
        select(*entities)
        .select_from(Inspection)
        .join(Body, col(Body.id) == Inspection.body_id)
        .join(Programme, col(Programme.id) == Inspection.programme_id)
    )
    if filters.programme:
        query = query.where(Programme.code == filters.programme)
    if filters.first_day:
        query = query.where(col(Inspection.fieldwork_start) >= filters.first_day)
    if filters.last_day:
        query = query.where(col(Inspection.fieldwork_start) <= filters.last_day)
    return query


def _rows(session: Session, filters: ExportFilter) -> list[tuple[Inspection, Body, str]]:
    query = _inspections(filters, Inspection, Body, Programme.code).order_by(
        col(Inspection.fieldwork_start), col(Inspection.id)
    )
    return list(session.exec(query).all())


def _milestones(session: Session, filters: ExportFilter) -> dict[int, dict[str, Milestone]]:
    found: dict[int, dict[str, Milestone]] = {}
    for milestone in session.exec(
        _inspections(filters, Milestone).join(
            Milestone, col(Milestone.inspection_id) == Inspection.id
        )
    ).all():
        found.setdefault(milestone.inspection_id, {})[milestone.kind] = milestone
    return found


def _teams(session: Session, filters: ExportFilter) -> dict[int, list[str]]:
    query = (
        _inspections(filters, Assignment.inspection_id, User.username)
        .join(Assignment, col(Assignment.inspection_id) == Inspection.id)
        .join(User, col(User.id) == Assignment.user_id)
        .order_by(col(User.username))
    )
    teams: dict[int, list[str]] = {}
    for inspection_id, username in session.exec(query).all():
        teams.setdefault(inspection_id, []).append(username)
    return teams


def _kind_label(inspection: Inspection) -> str:
    return inspection.kind.replace("_", "-")


def _due(milestones: dict[str, Milestone], kind: str) -> dt.date | None:
    found = milestones.get(kind)
    return found.due_on if found else None


def _done_day(milestone: Milestone | None) -> dt.date | None:
    if milestone is None or milestone.done_at is None:
        return None
    return utc(milestone.done_at).astimezone(LONDON).date()


PLAN_COLUMNS = (
    Column("Inspection", Kind.INTEGER),
    Column("Programme"),
    Column("Body"),
    Column("Region"),
    Column("Kind"),
    Column("Fieldwork start", Kind.DATE),
    Column("Fieldwork end", Kind.DATE),
    Column("Announcement", Kind.DATE),
    Column("Team"),
    Column("Status"),
)


def plan_table(session: Session, *, filters: ExportFilter) -> ExportTable:
    """Every inspection not cancelled, by fieldwork start: dates, team and status."""
    programmes = context.programmes()
    milestones = _milestones(session, filters)
    teams = _teams(session, filters)
    rows: list[tuple[Cell, ...]] = []
    for inspection, body, code in _rows(session, filters):
        if inspection.status == Status.CANCELLED:
            continue
        assert inspection.id is not None
        own = milestones.get(inspection.id, {})
        definition = programmes.get(code)
        end = definition.milestone_for_stage(Stage.RECORD_FIELDWORK).kind if definition else ""
        notice = definition.milestone_for_stage(Stage.ANNOUNCE).kind if definition else ""
        rows.append(
            (
                inspection.id,
                code.upper(),
                body.name,
                body.region,
                _kind_label(inspection),
                inspection.fieldwork_start,
                _due(own, end),
                _due(own, notice),
                ", ".join(teams.get(inspection.id, [])),
                inspection.status.replace("_", " "),
            )
        )
    return ExportTable("Plan", PLAN_COLUMNS, rows)


def _milestone_names(definitions: list[ProgrammeDefinition]) -> dict[str, str]:
    """Every milestone kind of the programmes, in plan order, with the name it goes by.

    The programme's own label ("Trust's comments on the draft") when the programmes agree
    on it, else the kind's words ("Comments due").
    """
    labels: dict[str, set[str]] = {}
    for definition in definitions:
        for rule in definition.milestones:
            labels.setdefault(rule.kind, set()).add(rule.label)
    return {
        kind: next(iter(found)) if len(found) == 1 else kind.replace("_", " ").capitalize()
        for kind, found in labels.items()
    }


def _headlines(definitions: list[ProgrammeDefinition]) -> dict[str, str]:
    """Headline ids to names across the programmes' frameworks, in framework order."""
    frameworks = context.frameworks()
    names: dict[str, str] = {}
    for definition in definitions:
        if definition.sampling is not None:
            framework = frameworks[definition.sampling.framework]
            names.update((h.id, h.name) for h in framework.headlines if h.id not in names)
    return names


def _published_scores(session: Session, filters: ExportFilter) -> dict[int, dict[str, float]]:
    query = (
        _inspections(filters, Score.inspection_id, Score.key, Score.score)
        .join(Score, col(Score.inspection_id) == Inspection.id)
        .where(Score.level == "headline")
        .where(col(Inspection.status).in_([s.value for s in PUBLISHED_STATUSES]))
    )
    scores: dict[int, dict[str, float]] = {}
    for inspection_id, key, value in session.exec(query).all():
        if value is not None:
            scores.setdefault(inspection_id, {})[key] = value
    return scores


def record_table(session: Session, *, filters: ExportFilter, today: dt.date) -> ExportTable:
    """One row per inspection: status, its milestones due and done, overdue, published scores."""
    found = _rows(session, filters)
    programmes = context.programmes()
    # Columns for the programmes the rows are in (or the one asked for), not for every one.
    codes = {filters.programme} if filters.programme else {code for _, _, code in found}
    chosen = [definition for code, definition in programmes.items() if code in codes]
    names = _milestone_names(chosen)
    headlines = _headlines(chosen)
    columns = [
        Column("Inspection", Kind.INTEGER),
        Column("Programme"),
        Column("Body"),
        Column("Region"),
        Column("Kind"),
        Column("Follow-up of", Kind.INTEGER),
        Column("Status"),
        Column("Overdue", Kind.INTEGER),
        Column("Overdue milestones"),
    ]
    for name in names.values():
        columns += [Column(f"{name}: due", Kind.DATE), Column(f"{name}: done", Kind.DATE)]
    columns += [Column(f"{name} (%)", Kind.NUMBER) for name in headlines.values()]
    milestones = _milestones(session, filters)
    scores = _published_scores(session, filters)
    rows: list[tuple[Cell, ...]] = []
    for inspection, body, code in found:
        assert inspection.id is not None
        own = milestones.get(inspection.id, {})
        overdue = [
            name
            for kind, name in names.items()
            if kind in own and _overdue(own[kind], inspection.status, today)
        ]
        row: list[Cell] = [
            inspection.id,
            code.upper(),
            body.name,
            body.region,
            _kind_label(inspection),
            inspection.parent_id,
            inspection.status.replace("_", " "),
            len(overdue),
            "; ".join(overdue),
        ]
        for kind in names:
            row += [_due(own, kind), _done_day(own.get(kind))]
        published = scores.get(inspection.id, {})
        row += [published.get(key) for key in headlines]
        rows.append(tuple(row))
    return ExportTable("Record", tuple(columns), rows)


def _overdue(milestone: Milestone, status: Status, today: dt.date) -> bool:
    """Open, due before today, of an inspection still under way (as the timeline marks it)."""
    return milestone.done_at is None and milestone.due_on < today and status not in FINAL_STATUSES
