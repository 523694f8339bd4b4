"""Planning a reinspection or follow-up when published scores call for one."""

from __future__ import annotations

import datetime as dt

from prefect import flow

from tasks.follow_up import plan_reinspection as plan_reinspection_task


@flow(name="plan-reinspection")
def plan_reinspection(
    inspection_id: int, actor: str = "trigger-rules", now: dt.datetime | None = None
) -> int | None:
    """Evaluate the programme's trigger rules on the inspection; return the follow-up's id."""
    _decision, follow_up_id = plan_reinspection_task(inspection_id, actor, now)
    return follow_up_id
