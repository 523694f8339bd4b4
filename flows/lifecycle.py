"""One flow per lifecycle stage: each checks the current status and moves one legal step.

announce → select_sample → record_fieldwork → score_fieldwork → send_draft → close_comments
→ publish_report → receive_action_plan; cancel_inspection until fieldwork is done.
The two stages that carry evidence (select_sample, score_fieldwork) are in casework.py.
"""

from __future__ import annotations

import datetime as dt

from prefect import Flow, flow

from inspectorate.lifecycle import Stage
from inspectorate.stages import StageOutcome
from tasks.lifecycle import apply_stage


@flow(name="announce")
def announce(
    inspection_id: int, actor: str = "announce", why: str = "", now: dt.datetime | None = None
) -> StageOutcome:
    """Announce the inspection to the body, ten weeks before fieldwork."""
    return apply_stage(inspection_id, Stage.ANNOUNCE, actor, why, now)


@flow(name="record-fieldwork")
def record_fieldwork(
    inspection_id: int,
    actor: str = "inspection-team",
    why: str = "",
    now: dt.datetime | None = None,
) -> StageOutcome:
    """Record that fieldwork is complete and its case assessments are in."""
    return apply_stage(inspection_id, Stage.RECORD_FIELDWORK, actor, why, now)


@flow(name="send-draft")
def send_draft(
    inspection_id: int, actor: str = "send-draft", why: str = "", now: dt.datetime | None = None
) -> StageOutcome:
    """Send the draft report to the body for comment."""
    return apply_stage(inspection_id, Stage.SEND_DRAFT, actor, why, now)


@flow(name="close-comments")
def close_comments(
    inspection_id: int, actor: str = "body", why: str = "", now: dt.datetime | None = None
) -> StageOutcome:
    """Close the comment window: the body's comments are in, or the window has ended."""
    return apply_stage(inspection_id, Stage.CLOSE_COMMENTS, actor, why, now)


@flow(name="publish-report")
def publish_report(
    inspection_id: int, actor: str = "publish", why: str = "", now: dt.datetime | None = None
) -> StageOutcome:
    """Publish the report and tell its distribution list."""
    return apply_stage(inspection_id, Stage.PUBLISH, actor, why, now)


@flow(name="receive-action-plan")
def receive_action_plan(
    inspection_id: int, actor: str = "body", why: str = "", now: dt.datetime | None = None
) -> StageOutcome:
    """Record the body's action plan, which closes the inspection."""
    return apply_stage(inspection_id, Stage.RECEIVE_ACTION_PLAN, actor, why, now)


@flow(name="cancel-inspection")
def cancel_inspection(
    inspection_id: int,
    actor: str = "programme-manager",
    why: str = "",
    now: dt.datetime | None = None,
) -> StageOutcome:
    """Call the inspection off (only before its fieldwork is done)."""
    return apply_stage(inspection_id, Stage.CANCEL, actor, why, now)


STAGE_FLOWS: dict[Stage, Flow[..., StageOutcome]] = {
    Stage.ANNOUNCE: announce,
    Stage.RECORD_FIELDWORK: record_fieldwork,
    Stage.SEND_DRAFT: send_draft,
    Stage.CLOSE_COMMENTS: close_comments,
    Stage.PUBLISH: publish_report,
    Stage.RECEIVE_ACTION_PLAN: receive_action_plan,
    Stage.CANCEL: cancel_inspection,
}
