"""Waiting for the body's comments on its draft (server mode): the run sleeps until they come.

`send-draft` starts this flow; it suspends itself (no process is kept waiting) until
`inspectorate draft comments ID FILE` resumes it with the text, then records the comments
and closes the comment window. If nothing comes, the close-comments run booked for the
window's end closes it and cancels this one.
"""

from __future__ import annotations

import datetime as dt

from prefect import flow
from prefect.flow_runs import suspend_flow_run
from prefect.input import RunInput

from inspectorate.lifecycle import Stage
from inspectorate.stages import StageOutcome
from tasks.comments import record_comments
from tasks.lifecycle import apply_stage


class BodyComments(RunInput):
    """What the body sends: its comments and who sent them."""

    text: str
    author: str = "body"


@flow(name="await-comments", persist_result=True)
def await_comments(inspection_id: int, now: dt.datetime | None = None) -> StageOutcome:
    """Wait for the body's comments, keep them, and close the comment window."""
    comments = suspend_flow_run(wait_for_input=BodyComments, timeout=None, key="comments")
    record_comments(inspection_id, comments.text, comments.author, now)
    return apply_stage(
        inspection_id, Stage.CLOSE_COMMENTS, comments.author, "comments received", now, True
    )
