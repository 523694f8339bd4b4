"""What the dashboard shows, read from the record: timelines, deadlines, documents (no web here)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from inspectorate.adapters.casework import stored_score_summary
from inspectorate.adapters.models import (
    Body,
    Inspection,
    Programme,
    ReportVersion,
)
from inspectorate.adapters.repository import get_inspection
from inspectorate.adapters.rows import row_by_id
from inspectorate.domain.access import (
    InspectionFacts,
    Viewer,
    may_see_details,
    may_see_document,
    may_see_inspection,
    may_see_scores,
)
from inspectorate.services.follow_ups import children_of
from inspectorate.services.sign_off import SignOffState, sign_off_state
from inspectorate.services.views import describe_inspection, inspection_json, reminders_json

# The largest id a row can have (a signed 64-bit integer): a larger one names no row, and
# asking the database for it would overflow its integer type instead.
MAX_ID = 2**63 - 1


def facts(inspection: Inspection) -> InspectionFacts:
    """The access rules' view of an inspection."""
    assert inspection.id is not None
    return InspectionFacts(inspection.id, inspection.body_id, inspection.status)


def inspection_facts(session: Session, *, inspection_id: int) -> InspectionFacts | None:
    """The access rules' view of inspection `inspection_id`, or None if there is none."""
    found = row_by_id(session, Inspection, inspection_id) if 1 <= inspection_id <= MAX_ID else None
    return None if found is None else facts(found)


def visible_inspections(
    session: Session, viewer: Viewer, code: str | None = None
) -> list[tuple[Inspection, str, str]]:
    """(inspection, body name, programme code) the viewer may see, by fieldwork date."""
    query = (
        select(Inspection, Body.name, Programme.code)
        .join(Body, col(Body.id) == Inspection.body_id)
        .join(Programme, col(Programme.id) == Inspection.programme_id)
        .order_by(col(Inspection.fieldwork_start), col(Inspection.id))
    )
    if code is not None:
        query = query.where(Programme.code == code)
    return [
        (i, b, c) for i, b, c in session.exec(query).all() if may_see_inspection(viewer, facts(i))
    ]


def documents_for(session: Session, viewer: Viewer, inspection: Inspection) -> list[ReportVersion]:
    """The stored letters and reports of an inspection the viewer may read."""
    versions = session.exec(
        select(ReportVersion)
        .where(ReportVersion.inspection_id == inspection.id)
        .order_by(col(ReportVersion.id))
    ).all()
    return [v for v in versions if may_see_document(viewer, facts(inspection), v.kind, v.public)]


def published_documents(session: Session) -> list[tuple[ReportVersion, str, str]]:
    """Every public report with its body and programme name, newest first."""
    rows = session.exec(
        select(ReportVersion, Body.name, Programme.name)
        .join(Inspection, col(Inspection.id) == ReportVersion.inspection_id)
        .join(Body, col(Body.id) == Inspection.body_id)
        .join(Programme, col(Programme.id) == Inspection.programme_id)
        .where(col(ReportVersion.public).is_(True))
        .order_by(col(ReportVersion.created_at).desc())
    ).all()
    return [(v, body, programme) for v, body, programme in rows]


def stored_document(
    session: Session, *, version_id: int
) -> tuple[ReportVersion, InspectionFacts] | None:
    """A stored letter or report with its inspection's facts, or None if either is missing."""
    version = row_by_id(session, ReportVersion, version_id) if 1 <= version_id <= MAX_ID else None
    inspection = row_by_id(session, Inspection, version.inspection_id) if version else None
    if version is None or inspection is None:
        return None
    return version, facts(inspection)


def visible_children(
    session: Session, viewer: Viewer, inspection_id: int, children: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The follow-ups and reinspections listed on a page: those the viewer may see themselves.

    A reinspection is planned (unannounced) long before its fieldwork; listing it on the
    published parent would tell anyone its date before the body is told.
    """
    visible = {
        c.id
        for c in children_of(session, inspection_id=inspection_id)
        if may_see_inspection(viewer, facts(c))
    }
    return [c for c in children if c["id"] in visible]


@dataclass(frozen=True)
class InspectionRecord:
    """What the inspection page reads from the record, as far as its viewer may see."""

    data: dict[str, Any]
    documents: list[ReportVersion]
    reminders: list[dict[str, Any]]
    scores: dict[str, Any] | None
    sign_offs: SignOffState | None  # for those who may see details


def inspection_record(
    session: Session, *, viewer: Viewer, inspection: InspectionFacts
) -> InspectionRecord:
    """The inspection's data, and the documents, reminders and scores the viewer may see.

    Those who may see details also get what it waits for and where its sign-offs stand.
    """
    row = get_inspection(session, inspection_id=inspection.id)
    details = may_see_details(viewer, inspection)
    scores = may_see_scores(viewer, inspection)
    data = (
        describe_inspection(session, inspection_id=inspection.id)
        if details
        else inspection_json(session, row)
    )
    data["children"] = visible_children(session, viewer, inspection.id, data["children"])
    return InspectionRecord(
        data=data,
        documents=documents_for(session, viewer, row),
        reminders=reminders_json(session, inspection.id) if details else [],
        scores=stored_score_summary(session, inspection_id=inspection.id) if scores else None,
        sign_offs=sign_off_state(session, inspection_id=inspection.id) if details else None,
    )
