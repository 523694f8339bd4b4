"""Hints for the query planner, where a database's own estimates lead it astray.

SQLite without statistics takes `done_at IS NULL` on an indexed column to pick out a few
rows; for a record's open milestones it picks out thousands. `likely` tells it the condition
is usually true, so it starts from a more selective index. Other databases plan from their
statistics: there the condition is left as it is.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Boolean
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement


class likely(FunctionElement[bool]):  # noqa: N801 (named as the SQL function it renders)
    """A condition the planner should take as usually true (SQLite's likely())."""

    type = Boolean()
    inherit_cache = True
    name = "likely"

    def __init__(self, condition: ColumnElement[bool]) -> None:
        super().__init__(condition)


@compiles(likely)
def _as_it_is(element: likely, compiler: SQLCompiler, **kw: Any) -> str:
    return compiler.process(element.clauses, **kw)


@compiles(likely, "sqlite")
def _sqlite_likely(element: likely, compiler: SQLCompiler, **kw: Any) -> str:
    return f"likely({compiler.process(element.clauses, **kw)})"
