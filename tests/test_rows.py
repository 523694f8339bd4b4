"""Rows by id: what Session.get gives, held copies included, with a query built once."""

from __future__ import annotations

from sqlalchemy import update
from sqlmodel import Session, col, select

from inspectorate.adapters.models import AuditEvent, Inspection
from inspectorate.adapters.rows import row_by_id
from inspectorate.services import context
from tests.factories import schedule


def test_a_row_is_read_by_id_and_a_missing_one_is_none(database: str) -> None:
    inspection_id = schedule()
    with Session(context.engine()) as session:
        found = row_by_id(session, Inspection, inspection_id)
        assert found is not None and found.id == inspection_id and found.status == "planned"
        assert row_by_id(session, Inspection, inspection_id + 1000) is None


def test_the_sessions_own_copy_is_returned_with_its_unsaved_changes(database: str) -> None:
    inspection_id = schedule()
    with Session(context.engine()) as session:
        held = session.get(Inspection, inspection_id)
        assert held is not None
        held.trigger_rule = "changed here, not saved"
        assert row_by_id(session, Inspection, inspection_id) is held


def test_an_expired_copy_is_read_again_and_a_deleted_one_is_gone(database: str) -> None:
    inspection_id = schedule()
    with Session(context.engine()) as session:
        held = row_by_id(session, Inspection, inspection_id)
        assert held is not None
        session.execute(
            update(Inspection).where(col(Inspection.id) == inspection_id).values(status="cancelled")
        )
        session.expire(held)
        again = row_by_id(session, Inspection, inspection_id)
        assert again is held and again.status == "cancelled"
        event_id = session.exec(select(AuditEvent.id)).first()
        assert event_id is not None
        event = row_by_id(session, AuditEvent, event_id)
        assert event is not None
        session.delete(event)
        session.flush()
        assert row_by_id(session, AuditEvent, event_id) is None
