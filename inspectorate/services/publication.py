"""Publication: the embargo lifted on the published versions and the distribution recorded."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import update
from sqlmodel import Session, col, select

from inspectorate.adapters.database import utc
from inspectorate.adapters.models import Body, Distribution, ReportVersion
from inspectorate.adapters.repository import get_inspection, record_audit
from inspectorate.adapters.rows import row_by_id
from inspectorate.domain.documents import PUBLIC_KINDS
from inspectorate.domain.errors import InvalidTransition
from inspectorate.domain.lifecycle import PUBLISHED_STATUSES
from inspectorate.domain.report_context import DISTRIBUTION


def lift_embargo(
    session: Session, *, inspection_id: int, now: dt.datetime, actor: str
) -> list[str]:
    """Make the published versions public and record the distribution; return the new recipients."""
    inspection = get_inspection(session, inspection_id=inspection_id)
    if inspection.status not in PUBLISHED_STATUSES:
        raise InvalidTransition(
            f"inspection {inspection_id} is {inspection.status}: its report is embargoed "
            "until it is published"
        )
    session.execute(
        update(ReportVersion)
        .where(
            col(ReportVersion.inspection_id) == inspection_id,
            col(ReportVersion.kind).in_(PUBLIC_KINDS),
            col(ReportVersion.public).is_(False),
        )
        .values(public=True)
    )
    body = row_by_id(session, Body, inspection.body_id)
    assert body is not None
    recipients = [body.name, *DISTRIBUTION]
    known = set(
        session.exec(
            select(Distribution.recipient).where(Distribution.inspection_id == inspection_id)
        )
    )
    new = [r for r in recipients if r not in known]
    for recipient in new:
        session.add(
            Distribution(inspection_id=inspection_id, recipient=recipient, sent_at=utc(now))
        )
    if new:
        record_audit(
            session,
            at=now,
            actor=actor,
            entity="inspection",
            entity_id=inspection_id,
            inspection_id=inspection_id,
            action="report_distributed",
            to_state="public",
            why="embargo lifted; sent to " + "; ".join(new),
        )
    return new


def distribution_of(session: Session, *, inspection_id: int) -> list[Distribution]:
    """The recorded recipients of the inspection's published report."""
    return list(
        session.exec(
            select(Distribution)
            .where(Distribution.inspection_id == inspection_id)
            .order_by(col(Distribution.id))
        )
    )
