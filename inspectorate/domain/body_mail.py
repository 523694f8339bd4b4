"""When the inspected body may hear of a milestone: only once it has been told of what the
milestone presupposes (pure rules).

A body hears nothing of an inspection before it is announced, nothing of its comments
before the draft has been sent, nothing of its action plan before the report is published:
a milestone's date alone never tells the body of a step that has not been taken. What a
milestone presupposes is every step it is planned after (its `after` chain): the comments
follow the draft, the evaluation questionnaire the end of fieldwork.
"""

from __future__ import annotations

from inspectorate.domain.lifecycle import Stage, Status, status_after
from inspectorate.domain.programmes import ProgrammeDefinition

# The statuses an inspection passes through, in order (cancelled is off this line).
FORWARD = (
    Status.PLANNED,
    Status.ANNOUNCED,
    Status.SAMPLE_SELECTED,
    Status.FIELDWORK_COMPLETE,
    Status.SCORED,
    Status.DRAFT_SENT,
    Status.COMMENTS_CLOSED,
    Status.PUBLISHED,
    Status.ACTION_PLAN_RECEIVED,
)


def told_from(programme: ProgrammeDefinition, kind: str) -> Status | None:
    """The status from which the body may hear of milestone `kind`, or None (from the start).

    The latest status the steps it is planned after bring, and never before the announcement
    where the programme announces its inspections.
    """
    reached = (
        [Status.ANNOUNCED] if any(r.stage is Stage.ANNOUNCE for r in programme.milestones) else []
    )
    after = programme.rule(kind).after
    while after is not None:
        anchor = programme.rule(after)
        if anchor.stage is not None:
            reached.append(status_after(anchor.stage))
        after = anchor.after
    return max(reached, key=FORWARD.index) if reached else None


def body_may_hear(programme: ProgrammeDefinition, kind: str, status: str) -> bool:
    """Whether the body may be mailed about milestone `kind` of an inspection now `status`."""
    if status == Status.CANCELLED.value:
        return False
    needed = told_from(programme, kind)
    return needed is None or FORWARD.index(Status(status)) >= FORWARD.index(needed)


def waiting_to_tell(programme: ProgrammeDefinition, kind: str) -> str:
    """What a mail to the body about milestone `kind` waits for, in words."""
    needed = told_from(programme, kind)
    shown = needed.value.replace("_", " ") if needed is not None else "active"
    return f"the inspection to be {shown} (the body hears of {kind.replace('_', ' ')} only then)"
