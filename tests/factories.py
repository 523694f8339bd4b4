"""Building test data in one place."""

from __future__ import annotations

import pendulum
from sqlmodel import Session

from inspectorate import clock, operations
from inspectorate.models import Inspection


def schedule(
    body: str = "Durham Tees Valley",
    programme: str = "iaow",
    fieldwork_start: str = "2014-02-10",
    on: str = "2013-11-25",
) -> int:
    """Schedule an inspection as the programme manager on day `on`; return its id."""
    start = pendulum.parse(fieldwork_start).date()  # type: ignore[union-attr]
    day = pendulum.parse(on).date()  # type: ignore[union-attr]
    inspection_id, _ = operations.schedule(
        body_name=body,
        programme_code=programme,
        fieldwork_start=start,
        actor="programme-manager",
        now=clock.morning_of(day, 9),
    )
    return inspection_id


def morning(day: str, hour: int = 6) -> pendulum.DateTime:
    """Return `hour`:00 London time on `day` (YYYY-MM-DD)."""
    return clock.morning_of(pendulum.parse(day).date(), hour)  # type: ignore[union-attr]


def status_of(inspection_id: int) -> str:
    """Return the inspection's status as stored."""
    with Session(operations.engine()) as session:
        inspection = session.get(Inspection, inspection_id)
        assert inspection is not None
        return inspection.status
