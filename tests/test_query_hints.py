"""Planner hints: SQLite is told a condition is usually true; PostgreSQL gets it as it is."""

from __future__ import annotations

import re

from sqlalchemy import create_engine, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import SQLModel, col

from inspectorate.adapters.models import Inspection, Milestone
from inspectorate.adapters.query_hints import likely

OPEN = col(Milestone.done_at).is_(None)


def test_sqlite_is_told_the_condition_is_likely_and_postgresql_gets_it_plain() -> None:
    query = select(col(Milestone.id)).where(likely(OPEN))
    assert "WHERE likely(milestone.done_at IS NULL)" in str(query.compile(dialect=sqlite.dialect()))
    plain = str(query.compile(dialect=postgresql.dialect()))
    assert "WHERE milestone.done_at IS NULL" in plain and "likely" not in plain


def test_with_the_hint_sqlite_starts_from_the_inspections_not_the_open_milestones() -> None:
    engine = create_engine("sqlite://")
    SQLModel.metadata.create_all(engine)

    def plan(condition: object) -> str:
        query = (
            select(col(Milestone.id))
            .select_from(Inspection)
            .join(Milestone, col(Milestone.inspection_id) == Inspection.id)
            .where(col(Inspection.status).in_(["announced", "scored"]), condition)
        )
        sql = str(query.compile(engine, compile_kwargs={"literal_binds": True}))
        with engine.connect() as connection:
            steps = connection.execute(text("EXPLAIN QUERY PLAN " + sql))
            return " / ".join(row[3] for row in steps)

    assert plan(OPEN).startswith("SEARCH milestone USING INDEX ix_milestone_done_due")
    hinted = plan(likely(OPEN))
    assert re.match(r"SEARCH inspection USING (COVERING )?INDEX ix_inspection_status", hinted)
