"""What follows a stage: the effects owed once an inspection has moved, defined once.

Every path that moves an inspection — a person's command, a dashboard action, the morning
sweep, a simulation — carries out the same effects from this table after the stage is done.
Effects are idempotent: carrying them out again after a crash repeats nothing (documents are
kept once per content hash; the run waiting for comments is started by key).

    announce        the announcement letter
    send_draft      the draft report; server mode: a suspended run waits for comments
    close_comments  server mode: stop waiting for comments
    publish         the published report(s), the embargo lifted, the distribution recorded

The daily sweep is the one driver of automatic stages: nothing is booked ahead per
inspection (RETIRE_BOOKED_RUNS is what records from before owe: it cancels their runs).
"""

from __future__ import annotations

from enum import StrEnum
from types import MappingProxyType

from inspectorate.domain.lifecycle import Stage


class Effect(StrEnum):
    """Something owed once a stage is done."""

    DOCUMENTS = "documents"  # the stage's letters or reports (and publication's distribution)
    # Owed only by stages recorded when announcing booked a run per later stage (retired):
    # carrying it out cancels those runs still waiting. The stored value is kept.
    RETIRE_BOOKED_RUNS = "book_stage_runs"
    AWAIT_COMMENTS = "await_comments"
    STOP_AWAITING_COMMENTS = "stop_awaiting_comments"


# Effects that exist only when a Prefect server keeps runs and suspended flows.
SERVER_MODE_ONLY = frozenset(
    {Effect.RETIRE_BOOKED_RUNS, Effect.AWAIT_COMMENTS, Effect.STOP_AWAITING_COMMENTS}
)

FOLLOWS: MappingProxyType[Stage, tuple[Effect, ...]] = MappingProxyType(
    {
        Stage.ANNOUNCE: (Effect.DOCUMENTS,),
        Stage.SEND_DRAFT: (Effect.DOCUMENTS, Effect.AWAIT_COMMENTS),
        Stage.CLOSE_COMMENTS: (Effect.STOP_AWAITING_COMMENTS,),
        Stage.PUBLISH: (Effect.DOCUMENTS,),
    }
)


def effects_of(stage: Stage, *, server_mode: bool) -> tuple[Effect, ...]:
    """Return the effects owed after `stage`, in order, for the way the product runs."""
    owed = FOLLOWS.get(stage, ())
    return owed if server_mode else tuple(e for e in owed if e not in SERVER_MODE_ONLY)
