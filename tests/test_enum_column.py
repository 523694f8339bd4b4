"""Statuses, roles and document kinds are enums in the record: checked in, read back typed."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import StatementError
from sqlmodel import Session, select

from inspectorate.adapters.models import Inspection
from inspectorate.domain.lifecycle import Status
from inspectorate.services import context
from tests.factories import schedule


def test_a_status_reads_back_as_its_enum_member(sqlite_database: str) -> None:
    inspection_id = schedule()
    with Session(context.engine()) as session:
        status = session.exec(select(Inspection.status).where(Inspection.id == inspection_id)).one()
    assert status is Status.PLANNED


def test_a_misspelt_status_is_refused_before_it_reaches_the_record(sqlite_database: str) -> None:
    inspection_id = schedule()
    with Session(context.engine()) as session:
        inspection = session.get(Inspection, inspection_id)
        assert inspection is not None
        inspection.status = "publishd"  # type: ignore[assignment]
        session.add(inspection)
        with pytest.raises(StatementError, match="'publishd' is not a valid Status"):
            session.commit()
    with Session(context.engine()) as session:
        assert session.get(Inspection, inspection_id).status is Status.PLANNED  # type: ignore[union-attr]
