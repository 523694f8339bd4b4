"""Rows by id: what Session.get gives, held copies included, with a query built once; a held
row updated by a Core statement that returns it whole; plain rows in the session's transaction."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import bindparam, update
from sqlmodel import Session, col, select

from inspectorate.adapters.models import AuditEvent, Inspection
from inspectorate.adapters.rows import plain_rows, returning_all, row_by_id, update_held_row
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


_CANCEL = returning_all(
    update(Inspection)
    .where(col(Inspection.id) == bindparam("inspection_id"), col(Inspection.status) == "planned")
    .values(status="cancelled"),
    Inspection,
)


def test_an_updated_held_row_holds_the_record_as_it_now_stands(database: str) -> None:
    inspection_id = schedule()
    with Session(context.engine()) as session:
        held = row_by_id(session, Inspection, inspection_id)
        assert held is not None
        # Another transaction moves fieldwork (a reschedule) after this one read the row.
        with context.engine().begin() as other:
            other.execute(
                update(Inspection)
                .where(col(Inspection.id) == inspection_id)
                .values(fieldwork_start=dt.date(2031, 1, 6))
            )
        assert update_held_row(session, held, _CANCEL, {"inspection_id": inspection_id})
        assert held.status == "cancelled" and held.fieldwork_start == dt.date(2031, 1, 6)
        assert held not in session.dirty  # as read from the record: nothing left to write
        session.commit()
    with Session(context.engine()) as session:
        again = session.get(Inspection, inspection_id)
        assert again is not None and again.status == "cancelled"


def test_an_update_that_matches_nothing_leaves_the_held_row_as_it_was(database: str) -> None:
    inspection_id = schedule()
    with Session(context.engine()) as session:
        held = row_by_id(session, Inspection, inspection_id)
        assert held is not None
        held.status = "cancelled"  # unsaved: flushed first, so the update finds no planned row
        assert not update_held_row(session, held, _CANCEL, {"inspection_id": inspection_id})
        assert held.status == "cancelled"


def test_plain_rows_see_the_sessions_unsaved_changes(database: str) -> None:
    inspection_id = schedule()
    statement = select(col(Inspection.status)).where(col(Inspection.id) == bindparam("i"))
    with Session(context.engine()) as session:
        held = row_by_id(session, Inspection, inspection_id)
        assert held is not None
        held.status = "announced"
        assert [tuple(r) for r in plain_rows(session, statement, {"i": inspection_id})] == [
            ("announced",)
        ]
        with session.no_autoflush:
            held.status = "cancelled"
            assert plain_rows(session, statement, {"i": inspection_id})[0][0] == "announced"
