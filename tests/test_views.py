"""What the command line lists: inspections with their next open milestone and reminders sent."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, col, select

from inspectorate.adapters.models import Milestone, Reminder
from inspectorate.services import context, views
from tests.factories import schedule
from tests.test_dashboard_scale import MADE, statements


def remind(inspection_id: int, kind: str, *, sent: bool) -> None:
    """A reminder about the inspection's milestone `kind`, sent or still to send."""
    with Session(context.engine()) as session:
        milestone = session.exec(
            select(Milestone).where(
                Milestone.inspection_id == inspection_id, Milestone.kind == kind
            )
        ).one()
        assert milestone.id is not None
        session.add(
            Reminder(
                milestone_id=milestone.id,
                kind=f"lead_{kind}",
                remind_on=milestone.due_on - dt.timedelta(days=5),
                milestone_due_on=milestone.due_on,
                recipients="lead_inspector",
                created_at=MADE,
                sent_at=MADE if sent else None,
            )
        )
        session.commit()


def test_each_inspection_shows_its_earliest_open_milestone_and_the_reminders_sent(
    sqlite_database: str,
) -> None:
    first = schedule(body="Cumbria", fieldwork_start="2014-03-17")
    second = schedule(body="London", fieldwork_start="2014-03-24")
    with Session(context.engine()) as session:
        earliest = session.exec(
            select(Milestone)
            .where(Milestone.inspection_id == first)
            .order_by(col(Milestone.due_on), col(Milestone.id))
        ).first()
        assert earliest is not None
        earliest.done_at = MADE  # done: the next one is open
        session.add(earliest)
        session.commit()
    remind(first, "fieldwork_start", sent=True)
    remind(first, "fieldwork_end", sent=True)
    remind(first, "publication", sent=False)
    with context.reading() as session:
        shown = {s.id: s for s in views.summarise_inspections(session)}
        open_first = session.exec(
            select(Milestone)
            .where(Milestone.inspection_id == first, col(Milestone.done_at).is_(None))
            .order_by(col(Milestone.due_on), col(Milestone.id))
        ).first()
    assert open_first is not None
    assert (shown[first].next_milestone, shown[first].next_due) == (
        open_first.kind,
        open_first.due_on,
    )
    assert shown[first].reminders_sent == 2 and shown[second].reminders_sent == 0
    assert shown[second].next_milestone == "announcement"


def test_the_list_runs_as_many_statements_however_many_inspections(sqlite_database: str) -> None:
    schedule(body="Cumbria", fieldwork_start="2014-03-17")
    with context.reading() as session, statements() as few:
        views.summarise_inspections(session)
    for body, start in (
        ("London", "2014-03-24"),
        ("Wales", "2014-03-31"),
        ("Durham Tees Valley", "2014-04-07"),
        ("Avon and Somerset", "2014-04-28"),  # not the week of Good Friday
    ):
        schedule(body=body, fieldwork_start=start)
    with context.reading() as session, statements() as more:
        assert len(views.summarise_inspections(session)) == 5
    assert len(more) == len(few)
