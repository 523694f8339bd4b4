"""Tasks for server mode: book each stage's run ahead, cancel the ones a change made stale."""

from __future__ import annotations

import datetime as dt

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
from inspectorate.services import context, timers

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


def waiting_runs(inspection_id: int, *, flow_tag: str) -> list[FlowRun]:
    """Runs booked for the inspection that have not started (scheduled, or suspended)."""
    with get_client(sync_client=True) as client:
        return client.read_flow_runs(
            flow_run_filter=FlowRunFilter(
                tags=FlowRunFilterTags(all_=[timers.timer_tag(inspection_id), flow_tag]),
                state=FlowRunFilterState(type=FlowRunFilterStateType(any_=WAITING)),
            )
        )


def cancel_runs(runs: list[FlowRun], why: str) -> int:
    """Cancel the given runs (their history stays); return how many."""
    with get_client(sync_client=True) as client:
        for run in runs:
            client.set_flow_run_state(run.id, Cancelled(message=why), force=True)
    return len(runs)


@task(name="book-stage-runs", cache_policy=NO_CACHE)
def book_stage_runs(inspection_id: int, now: dt.datetime | None = None) -> list[str]:
    """Book every automatic stage still to come; cancel booked runs whose day has changed.

    A stage whose morning has already passed on the wall clock is left to the sweep (a run
    booked in the past would start at once), which matters when announcing is back-filled.
    """
    wall_clock = dt.datetime.now(dt.UTC)
    with context.reading() as session:
        due = timers.stage_timers(session, inspection_id=inspection_id, now=context.moment(now))
    wanted = [t for t in due if t.run_at > wall_clock]
    keys = {t.key for t in wanted}
    stale = [
        r for r in waiting_runs(inspection_id, flow_tag="timer") if r.idempotency_key not in keys
    ]
    cancel_runs(stale, "the inspection was rescheduled")
    for timer in wanted:
        run_deployment(
            name=f"{STAGE_DEPLOYMENTS[timer.stage]}/{DEPLOYMENT}",
            parameters={"inspection_id": inspection_id, "actor": "timer", "if_ready": True},
            scheduled_time=timer.run_at,
            timeout=0,
            idempotency_key=timer.key,
            tags=[timers.timer_tag(inspection_id), "timer"],
            as_subflow=False,
        )
    return sorted(keys)


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


def hand_sign_off_to_waiting_run(inspection_id: int, stage: Stage, by: str) -> str | None:
    """Resume the booked run held for this stage's sign-off; its name, or None if none waits."""
    from prefect.flow_runs import resume_flow_run

    name = f"{STAGE_DEPLOYMENTS[stage]}/{DEPLOYMENT}"
    with get_client(sync_client=True) as client:
        deployment_id = client.read_deployment_by_name(name).id
    for run in waiting_runs(inspection_id, flow_tag="timer"):
        if run.deployment_id == deployment_id and run.state_type is StateType.PAUSED:
            resume_flow_run(run.id, run_input={"by": by})
            return run.name
    return None
