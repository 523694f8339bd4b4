"""The lifecycle of one inspection: its statuses, its stages and the one table of legal steps."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import Final

from inspectorate.domain.errors import InvalidTransition


class Status(StrEnum):
    """Where an inspection is in its lifecycle."""

    PLANNED = "planned"
    ANNOUNCED = "announced"
    SAMPLE_SELECTED = "sample_selected"
    FIELDWORK_COMPLETE = "fieldwork_complete"
    SCORED = "scored"
    DRAFT_SENT = "draft_sent"
    COMMENTS_CLOSED = "comments_closed"
    PUBLISHED = "published"
    ACTION_PLAN_RECEIVED = "action_plan_received"
    CANCELLED = "cancelled"


class Stage(StrEnum):
    """A step that moves an inspection from one status to the next."""

    ANNOUNCE = "announce"
    SELECT_SAMPLE = "select_sample"
    RECORD_FIELDWORK = "record_fieldwork"
    SCORE = "score"
    SEND_DRAFT = "send_draft"
    CLOSE_COMMENTS = "close_comments"
    PUBLISH = "publish"
    RECEIVE_ACTION_PLAN = "receive_action_plan"
    CANCEL = "cancel"


S = Status
_TABLE: dict[tuple[Status, Stage], Status] = {
    (S.PLANNED, Stage.ANNOUNCE): S.ANNOUNCED,
    (S.ANNOUNCED, Stage.SELECT_SAMPLE): S.SAMPLE_SELECTED,
    (S.SAMPLE_SELECTED, Stage.RECORD_FIELDWORK): S.FIELDWORK_COMPLETE,
    (S.FIELDWORK_COMPLETE, Stage.SCORE): S.SCORED,
    (S.SCORED, Stage.SEND_DRAFT): S.DRAFT_SENT,
    (S.DRAFT_SENT, Stage.CLOSE_COMMENTS): S.COMMENTS_CLOSED,
    (S.COMMENTS_CLOSED, Stage.PUBLISH): S.PUBLISHED,
    (S.PUBLISHED, Stage.RECEIVE_ACTION_PLAN): S.ACTION_PLAN_RECEIVED,
    # An inspection can be called off until its fieldwork has been done.
    (S.PLANNED, Stage.CANCEL): S.CANCELLED,
    (S.ANNOUNCED, Stage.CANCEL): S.CANCELLED,
    (S.SAMPLE_SELECTED, Stage.CANCEL): S.CANCELLED,
}

TRANSITIONS: Final[Mapping[tuple[Status, Stage], Status]] = MappingProxyType(_TABLE)
"""Every legal (status, stage) → new status. Anything not listed is illegal."""

FINAL_STATUSES: Final = frozenset({S.ACTION_PLAN_RECEIVED, S.CANCELLED})

PUBLISHED_STATUSES: Final = frozenset({S.PUBLISHED, S.ACTION_PLAN_RECEIVED})
"""The statuses of an inspection whose report is out: nothing about it is embargoed."""


def next_status(current: Status, stage: Stage) -> Status:
    """Return the status after `stage`, or raise InvalidTransition naming what is allowed."""
    try:
        return TRANSITIONS[(current, stage)]
    except KeyError:
        allowed = ", ".join(st.value for (frm, st) in TRANSITIONS if frm is current) or "none"
        raise InvalidTransition(
            f"cannot {stage.value} an inspection that is {current.value}; "
            f"from {current.value} the allowed steps are: {allowed}"
        ) from None


def status_before(stage: Stage) -> Status:
    """Return the one status a forward stage starts from (not defined for cancel)."""
    starts = [frm for (frm, st) in TRANSITIONS if st is stage]
    if len(starts) != 1:
        raise ValueError(f"stage {stage.value} starts from {len(starts)} statuses")
    return starts[0]


def status_after(stage: Stage) -> Status:
    """Return the status a stage leads to."""
    return next(to for (_, st), to in TRANSITIONS.items() if st is stage)
