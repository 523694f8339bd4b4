"""Waiting for the body's comments on its draft (server mode): the run sleeps until they come.

`send-draft` starts this flow; it suspends itself (no process is kept waiting) until
`inspectorate draft comments ID FILE` resumes it with the text, then records the comments
and closes the comment window. If nothing comes, the sweep closes the window on its last
day and cancels this one.
"""

from __future__ import annotations

import datetime as dt

from prefect import flow
from prefect.flow_runs import suspend_flow_run
from prefect.input import RunInput

from flows.lifecycle import close_comments
from flows.stage_effects import follow_stage
from inspectorate.adapters.settings import get_settings
from inspectorate.domain.lifecycle import Stage
from inspectorate.services import comments, context
from inspectorate.services.stages import StageOutcome
from tasks.comments import record_comments
from tasks.lifecycle import apply_stage
from tasks.runtime import is_embedded
from tasks.timers import hand_comments_to_waiting_run


class BodyComments(RunInput):
    """What the body sends: its comments and who sent them."""

    text: str
    author: str = "body"


@flow(name="await-comments", persist_result=True)
def await_comments(inspection_id: int, now: dt.datetime | None = None) -> StageOutcome:
    """Wait for the body's comments, keep them, and close the comment window."""
    received = suspend_flow_run(wait_for_input=BodyComments, timeout=None, key="comments")
    record_comments(inspection_id, received.text, received.author, now)
    outcome = apply_stage(
        inspection_id, Stage.CLOSE_COMMENTS, received.author, "comments received", now, True
    )
    if outcome.moved:
        follow_stage(inspection_id, received.author, now)
    return outcome


def submit_comments(
    inspection_id: int, text: str, author: str, now: dt.datetime | None = None
) -> str:
    """Hand the body's comments over, whichever the mode; say what happened.

    In server mode the run waiting for them takes them; otherwise (or if none is waiting)
    they are kept here and the comment window is closed by the close-comments flow.
    """
    if get_settings().server_timers and not is_embedded():
        run_name = hand_comments_to_waiting_run(inspection_id, text, author)
        if run_name is not None:
            return (
                f"comments handed to waiting run {run_name}; it records them and closes the "
                "comment window"
            )
    new = context.run(
        comments.record_comments,
        inspection_id=inspection_id,
        text=text,
        author=author,
        now=context.moment(now),
    )
    outcome = close_comments(
        inspection_id=inspection_id, actor=author, why="comments received", now=now
    )
    kept = "kept" if new else "already kept"
    return f"comments {kept}; {outcome.from_status} → {outcome.to_status}"
