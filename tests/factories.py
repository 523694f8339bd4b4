"""Building test data in one place."""

from __future__ import annotations

import pendulum

from inspectorate import clock, operations


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
