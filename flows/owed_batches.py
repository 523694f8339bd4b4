"""The morning's documents fanned out to the workers in bounded batches (server mode).

The sweep takes the day's stages in its own run: each is a few rows of the record. What the
stages owe — letters and reports, a PDF taking a second or more to lay out — is the heavy
part of a busy morning, so in server mode the sweep hands it to the workers as
`finish-owed-effects` runs of `sweep_batch_size` inspections each; the pool's and the
workers' limits bound how many run at once, and the rest wait their turn as Scheduled.
The sweep waits for them, then finishes itself whatever is still owed (a batch that failed,
crashed or never started in time): the record's outbox, not the runs, says what is done,
and every effect is idempotent, so nothing is written or sent twice.
"""

from __future__ import annotations

import datetime as dt
import time

from prefect import flow, get_run_logger
from prefect.client.orchestration import get_client
from prefect.client.schemas.objects import FlowRun
from prefect.deployments import run_deployment
from prefect.states import Cancelled

from flows.stage_effects import finish_owed_effects
from inspectorate.adapters.settings import get_settings
from tasks.owed_effects import effects_still_owed
from tasks.runtime import is_embedded

BATCH_DEPLOYMENT = "finish-owed-effects/default"
# A national morning's documents on a few workers take minutes; past this the sweep stops
# waiting and finishes what is left itself (a batch still running then repeats nothing).
WAIT_SECONDS = 3600.0
STALL_SECONDS = 300.0
POLL_SECONDS = 2.0


def batches_of(inspection_ids: list[int], size: int) -> list[list[int]]:
    """The ids in runs of at most `size`, in order."""
    return [inspection_ids[i : i + size] for i in range(0, len(inspection_ids), size)]


@flow(name="finish-owed-effects")
def finish_owed_effects_of(
    inspection_ids: list[int], actor: str, now: dt.datetime | None = None
) -> tuple[int, list[str]]:
    """Carry out what these inspections' stages owe: one batch the sweep handed out."""
    return finish_owed_effects(actor, now, set(inspection_ids))


def _wait_for(runs: list[FlowRun], seconds: float, stall: float = STALL_SECONDS) -> int:
    """Wait until every run has ended, or `seconds` pass; how many did not complete.

    Batches not started after `stall` seconds without any batch starting or ending (no free
    slot: the sweep holds one itself) are cancelled, for the sweep to do their work.
    """
    began = progress = time.monotonic()
    started: set[object] = set()
    pending = {run.id for run in runs}
    unfinished = 0
    with get_client(sync_client=True) as client:
        while pending and time.monotonic() - began < seconds:
            for run_id in list(pending):
                state = client.read_flow_run(run_id).state
                if state is not None and state.is_final():
                    pending.discard(run_id)
                    unfinished += 0 if state.is_completed() else 1
                    progress = time.monotonic()
                elif state is not None and state.is_running() and run_id not in started:
                    started.add(run_id)
                    progress = time.monotonic()
            if pending and time.monotonic() - progress > stall:
                for run_id in pending - started:
                    why = "no worker slot came free: the sweep does this batch itself"
                    client.set_flow_run_state(run_id, Cancelled(message=why), force=True)
                    unfinished += 1
                pending &= started
            if pending:
                time.sleep(POLL_SECONDS)
    return unfinished + len(pending)


def workers_take_batches() -> bool:
    """Whether a morning's owed effects go to workers: server mode on a Prefect server."""
    return not is_embedded() and get_settings().server_timers


def finish_morning_effects(actor: str, now: dt.datetime | None) -> tuple[int, list[str]]:
    """Carry out every effect still owed through batches on the workers (server mode; without
    workers the sweep's one task does it, tasks/sweep.py).

    Returns how many owed effects were done and the ones that failed, with why.
    """
    settings = get_settings()
    owed = effects_still_owed(None)
    ids = sorted({o.inspection_id for o in owed})
    if len(ids) <= settings.sweep_batch_size:
        return finish_owed_effects(actor, now)  # one batch or less: no run is worth starting
    batches = batches_of(ids, settings.sweep_batch_size)
    try:
        runs = [
            run_deployment(
                BATCH_DEPLOYMENT,
                parameters={"inspection_ids": batch, "actor": actor, "now": now},
                timeout=0,
                tags=["sweep-batch"],
            )
            for batch in batches
        ]
        unfinished = _wait_for([run for run in runs if isinstance(run, FlowRun)], WAIT_SECONDS)
    except Exception as error:  # no such deployment (deploy not rerun), the API away, ...
        get_run_logger().warning("batches not used (%s): the sweep does the work itself", error)
    else:
        if unfinished:
            get_run_logger().warning(
                "%d of %d batches did not complete: the sweep finishes what they left",
                unfinished,
                len(batches),
            )
    _, failed = finish_owed_effects(actor, now)
    left = {(o.inspection_id, o.stage, o.effect) for o in effects_still_owed(None)}
    return sum((o.inspection_id, o.stage, o.effect) not in left for o in owed), failed
