"""Column and index shapes the record's tables share."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Index, text


def tz_column(nullable: bool = True) -> Column:
    """A timezone-aware timestamp column."""
    return Column(DateTime(timezone=True), nullable=nullable)


def partial_index(name: str, *columns: str, where: str) -> Index:
    """An index of only the rows matching `where` (SQLite and PostgreSQL both keep these)."""
    return Index(name, *columns, sqlite_where=text(where), postgresql_where=text(where))
