"""Server mode's runs about one inspection: comments awaited, a signed-off stage started now."""

from __future__ import annotations

import datetime as dt
from typing import cast

from prefect import task
from prefect.cache_policies import NO_CACHE
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import (
    FlowRunFilter,
    FlowRunFilterState,
    FlowRunFilterStateType,
    FlowRunFilterTags,
)
from prefect.client.schemas.objects import FlowRun, StateType
from prefect.deployments import run_deployment
from prefect.states import Cancelled

from inspectorate.domain.lifecycle import Stage
from inspectorate.services import timers

DEPLOYMENT = "default"
# The deployment that performs each stage (deployments/prefect.yaml names them).
STAGE_DEPLOYMENTS = {
    Stage.ANNOUNCE: "announce",
    Stage.SEND_DRAFT: "send-draft",
    Stage.CLOSE_COMMENTS: "close-comments",
    Stage.PUBLISH: "publish-report",
    Stage.RECEIVE_ACTION_PLAN: "receive-action-plan",
    Stage.RECORD_FIELDWORK: "record-fieldwork",
}
WAITING = [StateType.SCHEDULED, StateType.PENDING, StateType.PAUSED]


def _waiting(tags: list[str], limit: int | None = None) -> list[FlowRun]:
    """Runs carrying all of `tags` that have not started (scheduled, or suspended)."""
    with get_client(sync_client=True) as client:
        return client.read_flow_runs(
            flow_run_filter=FlowRunFilter(
                tags=FlowRunFilterTags(all_=tags),
                state=FlowRunFilterState(type=FlowRunFilterStateType(any_=WAITING)),
            ),
            limit=limit,
        )


def waiting_runs(inspection_id: int, *, flow_tag: str) -> list[FlowRun]:
    """The inspection's runs with `flow_tag` that have not started (scheduled, or suspended)."""
    return _waiting([timers.timer_tag(inspection_id), flow_tag])


def cancel_runs(runs: list[FlowRun], why: str) -> int:
    """Cancel the given runs (their history stays); return how many."""
    with get_client(sync_client=True) as client:
        for run in runs:
            client.set_flow_run_state(run.id, Cancelled(message=why), force=True)
    return len(runs)


@task(name="cancel-booked-runs", cache_policy=NO_CACHE)
def cancel_booked_runs(inspection_id: int, why: str) -> int:
    """Cancel the inspection's stage runs booked ahead before the sweep drove every stage."""
    return cancel_runs(waiting_runs(inspection_id, flow_tag="timer"), why)


def retire_all_booked_runs() -> int:
    """Cancel every stage run still booked ahead (once, on deploying): the sweep takes them."""
    why = "booked runs are retired: the daily sweep takes every automatic stage"
    seen: set[object] = set()
    # One the server would not cancel is not asked again.
    while runs := [run for run in _waiting(["timer"], limit=200) if run.id not in seen]:
        seen.update(run.id for run in runs)
        cancel_runs(runs, why)
    return len(seen)


def start_stage_run(inspection_id: int, stage: Stage, by: str, now: dt.datetime) -> str:
    """Start the stage's deployment run now (`by` signed it off on or after its day); its name.

    The run takes the step as of the sign-off's moment (`now`: the one clock, virtual or not).
    """
    run = run_deployment(
        name=f"{STAGE_DEPLOYMENTS[stage]}/{DEPLOYMENT}",
        parameters={
            "inspection_id": inspection_id,
            "actor": "sign-off",
            "why": f"signed off by {by} on or after its day",
            "now": now,
            "if_ready": True,
        },
        timeout=0,
        tags=[timers.timer_tag(inspection_id), "sign-off"],
        as_subflow=False,
    )
    return cast(FlowRun, run).name  # called from synchronous code: the run, not a coroutine


@task(name="start-waiting-for-comments", cache_policy=NO_CACHE)
def start_waiting_for_comments(inspection_id: int) -> None:
    """Start the run that waits for the body's comments on its draft (once)."""
    run_deployment(
        name=f"await-comments/{DEPLOYMENT}",
        parameters={"inspection_id": inspection_id},
        timeout=0,
        idempotency_key=f"{inspection_id}:await-comments",
        tags=[timers.timer_tag(inspection_id), "comments"],
        as_subflow=False,
    )


@task(name="stop-waiting-for-comments", cache_policy=NO_CACHE)
def stop_waiting_for_comments(inspection_id: int) -> int:
    """Cancel a run still waiting for comments once the window has closed."""
    return cancel_runs(
        waiting_runs(inspection_id, flow_tag="comments"), "the comment window has closed"
    )


def hand_comments_to_waiting_run(inspection_id: int, text: str, author: str) -> str | None:
    """Resume the run waiting for the body's comments with them; its name, or None if none."""
    from prefect.flow_runs import resume_flow_run

    waiting = waiting_runs(inspection_id, flow_tag="comments")
    if not waiting:
        return None
    resume_flow_run(waiting[0].id, run_input={"text": text, "author": author})
    return waiting[0].name
