"""The record as it stood on a day: each inspection's status from its audit trail, by SQL."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import Session

from inspectorate.adapters.models import AuditEvent
from inspectorate.domain.access import AccountRole, Viewer
from inspectorate.domain.lifecycle import Stage
from inspectorate.services import as_of, context, stages
from tests.factories import morning, schedule

MANAGER = Viewer(AccountRole.MANAGER, None, frozenset())


@pytest.fixture
def inspection(sqlite_database: str) -> int:
    """Scheduled on 25 November 2013, announced on 30 December 2013."""
    inspection_id = schedule(fieldwork_start="2014-03-17", on="2013-11-25")
    context.run(
        stages.apply_stage,
        inspection_id=inspection_id,
        stage=Stage.ANNOUNCE,
        actor="t",
        now=morning("2013-12-30"),
    )
    return inspection_id


def event(
    inspection_id: int, at: dt.datetime, to_state: str | None, entity: str = "inspection"
) -> AuditEvent:
    """An audit event written as it is by the services."""
    return AuditEvent(
        at=at,
        actor="t",
        entity=entity,
        entity_id=inspection_id,
        inspection_id=inspection_id,
        action="test",
        to_state=to_state,
    )


def status_on(day: str) -> dict[int, str]:
    """Each inspection's status on the timeline of `day` (the manager sees every one)."""
    with context.reading() as session:
        shown = as_of.timeline(session, MANAGER, "iaow", dt.date.fromisoformat(day), page=None)
    return {row.id: row.status for row in shown.rows}


def test_an_inspection_is_absent_before_it_was_scheduled_and_planned_until_announced(
    inspection: int,
) -> None:
    assert inspection not in status_on("2013-11-24")
    assert status_on("2013-11-25")[inspection] == "planned"
    assert status_on("2013-12-29")[inspection] == "planned"
    assert status_on("2013-12-30")[inspection] == "announced"


def test_events_that_set_no_status_and_other_entities_leave_the_status_alone(
    inspection: int,
) -> None:
    later = morning("2014-01-06")
    with Session(context.engine()) as session:
        session.add(event(inspection, later, "scripted-lead-inspector"))  # an assignment
        session.add(event(inspection, later, None))  # team text stored
        session.add(event(inspection, later, "published", entity="report"))
        session.commit()
    assert status_on("2014-01-06")[inspection] == "announced"


def test_of_two_status_events_at_one_moment_the_later_written_counts(inspection: int) -> None:
    same = morning("2014-01-13")
    with Session(context.engine()) as session:
        session.add(event(inspection, same, "sample_selected"))
        session.commit()
        session.add(event(inspection, same, "cancelled"))
        session.commit()
    assert status_on("2014-01-12")[inspection] == "announced"
    assert status_on("2014-01-13")[inspection] == "cancelled"


def test_an_event_written_later_for_an_earlier_moment_counts_by_its_moment(
    inspection: int,
) -> None:
    with Session(context.engine()) as session:
        session.add(event(inspection, morning("2014-01-20"), "sample_selected"))
        session.commit()
        session.add(event(inspection, morning("2014-01-14"), "cancelled"))  # back-dated
        session.commit()
    assert status_on("2014-01-15")[inspection] == "cancelled"
    assert status_on("2014-01-20")[inspection] == "sample_selected"


def test_an_inspector_sees_only_the_inspections_they_are_assigned(inspection: int) -> None:
    other = schedule(body="Cumbria", fieldwork_start="2014-03-24", on="2013-11-25")
    inspector = Viewer(AccountRole.INSPECTOR, None, frozenset({other}))
    with context.reading() as session:
        shown = as_of.timeline(session, inspector, "iaow", dt.date(2014, 1, 6), page=None)
        nobody = Viewer(AccountRole.BODY, 1, frozenset({other}))
        none = as_of.timeline(session, nobody, "iaow", dt.date(2014, 1, 6), page=None)
    assert [row.id for row in shown.rows] == [other] and none.rows == []
