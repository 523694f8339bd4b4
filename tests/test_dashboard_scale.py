"""Dashboard reads on a growing record: as many statements a page, sums done by the database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event, insert
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from dashboard.pages import inspection_context
from inspectorate.adapters.models import AuditEvent, Body, Inspection, Milestone, Programme, Score
from inspectorate.domain.access import AccountRole, InspectionFacts, Viewer
from inspectorate.services import as_of, context, reports
from tests.factories import scored

MANAGER = Viewer(AccountRole.MANAGER, None, frozenset())
MADE = dt.datetime(2013, 6, 1, 9, tzinfo=dt.UTC)


@contextmanager
def statements() -> Iterator[list[str]]:
    """The SQL statements run inside the block."""
    seen: list[str] = []

    def count(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        seen.append(statement)

    event.listen(Engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(Engine, "before_cursor_execute", count)


def add_inspections(
    code: str, statuses: list[str], headlines: list[dict[str, float | None]] | None = None
) -> list[int]:
    """Inspections of `code` written in bulk, one a week from June 2015 on, with two milestones,
    an audit event to their status and, when given, headline scores; their ids."""
    with Session(context.engine()) as session:
        programme = session.exec(select(Programme).where(Programme.code == code)).one()
        body = session.exec(select(Body).where(Body.kind == programme.body_kind)).first()
        assert body is not None and programme.id is not None and body.id is not None
        ids = []
        after = len(session.exec(select(Inspection.id)).all())  # weeks after those there
        for n, status in enumerate(statuses):
            start = dt.date(2015, 6, 1) + dt.timedelta(weeks=after + n)
            row = Inspection(
                programme_id=programme.id,
                body_id=body.id,
                status=status,  # type: ignore[arg-type]
                fieldwork_start=start,
                created_at=MADE,
                updated_at=MADE,
            )
            session.add(row)
            session.flush()
            assert row.id is not None
            ids.append(row.id)
        session.execute(
            insert(Milestone),
            [
                {"inspection_id": i, "kind": kind, "due_on": dt.date(2015, 6, 1) + days}
                for n, i in enumerate(ids, start=after)
                for kind, days in (
                    ("fieldwork_start", dt.timedelta(weeks=n)),
                    ("fieldwork_end", dt.timedelta(weeks=n, days=4)),
                )
            ],
        )
        session.execute(
            insert(AuditEvent),
            [
                {
                    "at": MADE,
                    "actor": "t",
                    "entity": "inspection",
                    "entity_id": i,
                    "inspection_id": i,
                    "action": "test",
                    "to_state": status,
                    "why": "",
                }
                for i, status in zip(ids, statuses, strict=True)
            ],  # fmt: skip
        )
        for i, scores in zip(ids, headlines or [], strict=False):
            session.execute(
                insert(Score),
                [
                    {"inspection_id": i, "level": "headline", "key": k, "score": v}
                    for k, v in scores.items()
                ],  # fmt: skip
            )
        session.commit()
    return ids


def pages(inspection: InspectionFacts) -> dict[str, Callable[[], object]]:
    """What the timeline, deadlines and inspection pages read, by page."""

    def timeline() -> object:
        with context.reading() as session:
            filters = as_of.Filters(status="scored")
            return as_of.timeline(session, MANAGER, "iaow", dt.date(2014, 3, 31), filters)

    def deadlines() -> object:
        with context.reading() as session:
            return as_of.deadlines(session, MANAGER, dt.date(2014, 3, 24))

    return {
        "timeline": timeline,
        "deadlines": deadlines,
        "inspection": lambda: inspection_context(MANAGER, inspection),
    }


def test_a_page_runs_as_many_statements_however_large_the_record(sqlite_database: str) -> None:
    inspection = InspectionFacts(scored(), 0, "scored")
    counted = {}
    for name, read in pages(inspection).items():
        with statements() as seen:
            first = read()
        counted[name] = (len(seen), first)
    add_inspections("iaow", ["published", "scored", "announced"] * 100, [{"victims": 50.0}] * 300)
    for name, read in pages(inspection).items():
        with statements() as seen:
            again = read()
        assert len(seen) == counted[name][0], name
        if name == "deadlines":  # the new ones are due from 2015
            assert again == counted[name][1]


def test_the_comparison_is_the_mean_over_the_programmes_other_published_inspections(
    sqlite_database: str,
) -> None:
    own = add_inspections("iaow", ["published"], [{"victims": 0.0}])[0]
    add_inspections(
        "iaow",
        ["published", "action_plan_received", "published", "scored"],
        [{"victims": 60.0, "casework": 40.0}, {"victims": 70.0}, {"victims": None}, {"victims": 1}],
    )
    add_inspections("cci", ["published"], [{"victims": 5.0}])
    with context.reading() as session:
        inspection = session.get(Inspection, own)
        assert inspection is not None
        means, counted = reports.programme_aggregate(session, inspection)
    assert means == pytest.approx({"victims": 65.0, "casework": 40.0})
    assert counted == 3  # one of them has a headline row without a score


def test_the_pages_of_a_day_read_its_inspections_once_until_the_record_changes(
    sqlite_database: str,
) -> None:
    from fastapi.testclient import TestClient

    from dashboard.app import create_app
    from inspectorate.services import users

    add_inspections("iaow", ["announced", "scored"] * 60)
    with context.unit_of_work() as session:
        users.add_user(
            session, username="mia", role="manager", password="a long password", body=None, now=MADE
        )
    with TestClient(create_app()) as client:
        form = client.get("/login").text
        csrf = form.split('name="csrf" value="')[1].split('"')[0]
        client.post("/login", data={"username": "mia", "password": "a long password", "csrf": csrf})
        day = "/programmes/iaow?as_of=2015-01-05"
        with statements() as seen:
            for query in ("", "&page=2", "&status=scored", "&status=scored&page=2"):
                assert "page" in client.get(day + query).text
        read = [s for s in seen if "auditevent.to_state" in s]
        add_inspections("iaow", ["announced"])  # a change to the record: read again
        with statements() as again:
            assert "page 1 of 3" in client.get(day + "&page=1").text
    assert len(read) == 1
    assert len([s for s in again if "auditevent.to_state" in s]) == 1
