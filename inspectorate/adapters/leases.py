"""The record's leases: one row per named lease, so that only one process at a time holds it.

Kept in the record rather than in Prefect: a lease in the record survives a Prefect server
restart, and one whose holder died simply expires (see inspectorate/services/leases.py).
Imported by the migrations' environment with the other tables (models.py is full).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Column, DateTime
from sqlmodel import Field, SQLModel


class Lease(SQLModel, table=True):
    """Who holds the lease `name` and until when; `holder` is None once released."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=60, unique=True)
    holder: str | None = Field(default=None, max_length=200)
    taken_at: dt.datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
    expires_at: dt.datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
