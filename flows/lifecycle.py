"""One flow per lifecycle stage: each checks the current status and moves one legal step.

announce → select_sample → record_fieldwork → score_fieldwork → send_draft → close_comments
→ publish_report → receive_action_plan; cancel_inspection until fieldwork is done.
The two stages that carry evidence (select_sample, score_fieldwork) are in casework.py.
`if_ready` is for a run started for a sign-off (server mode): a stage already done, or not
possible yet, is then left alone instead of refused.
"""

from __future__ import annotations

import datetime as dt

from prefect import Flow, flow

from flows.stage_effects import follow_stage
from inspectorate.domain.lifecycle import Stage, status_after
from inspectorate.services.stages import StageOutcome
from tasks.lifecycle import apply_stage


def _reached(outcome: StageOutcome) -> bool:
    # Also true when a re-run finds the stage already done, so a crash before the effects
    # were carried out is mended by running the stage again.
    return outcome.to_status == status_after(outcome.stage).value


@flow(name="announce")
def announce(
    inspection_id: int,
    actor: str = "announce",
    why: str = "",
    now: dt.datetime | None = None,
    if_ready: bool = False,
) -> StageOutcome:
    """Announce the inspection with its letter (the sweep takes its later stages)."""
    outcome = apply_stage(inspection_id, Stage.ANNOUNCE, actor, why, now, if_ready)
    if _reached(outcome):
        follow_stage(inspection_id, actor, now)
    return outcome


@flow(name="record-fieldwork")
def record_fieldwork(
    inspection_id: int,
    actor: str = "inspection-team",
    why: str = "",
    now: dt.datetime | None = None,
    if_ready: bool = False,
) -> StageOutcome:
    """Record that fieldwork is complete and its case assessments are in."""
    return apply_stage(inspection_id, Stage.RECORD_FIELDWORK, actor, why, now, if_ready)


@flow(name="send-draft", persist_result=True)
def send_draft(
    inspection_id: int,
    actor: str = "send-draft",
    why: str = "",
    now: dt.datetime | None = None,
    if_ready: bool = False,
) -> StageOutcome:
    """Send the signed-off draft to the body; in server mode start waiting for its comments."""
    outcome = apply_stage(inspection_id, Stage.SEND_DRAFT, actor, why, now, if_ready)
    if _reached(outcome):
        follow_stage(inspection_id, actor, now)
    return outcome


@flow(name="close-comments")
def close_comments(
    inspection_id: int,
    actor: str = "body",
    why: str = "",
    now: dt.datetime | None = None,
    if_ready: bool = False,
) -> StageOutcome:
    """Close the comment window: the body's comments are in, or the window has ended."""
    outcome = apply_stage(inspection_id, Stage.CLOSE_COMMENTS, actor, why, now, if_ready)
    if _reached(outcome):
        follow_stage(inspection_id, actor, now)
    return outcome


@flow(name="publish-report", persist_result=True)
def publish_report(
    inspection_id: int,
    actor: str = "publish",
    why: str = "",
    now: dt.datetime | None = None,
    if_ready: bool = False,
) -> StageOutcome:
    """Publish the signed-off report: lift the embargo, record its distribution (seed 003)."""
    outcome = apply_stage(inspection_id, Stage.PUBLISH, actor, why, now, if_ready)
    if _reached(outcome):
        follow_stage(inspection_id, actor, now)
    return outcome


@flow(name="receive-action-plan")
def receive_action_plan(
    inspection_id: int,
    actor: str = "body",
    why: str = "",
    now: dt.datetime | None = None,
    if_ready: bool = False,
) -> StageOutcome:
    """Record the body's action plan, which closes the inspection."""
    return apply_stage(inspection_id, Stage.RECEIVE_ACTION_PLAN, actor, why, now, if_ready)


@flow(name="cancel-inspection")
def cancel_inspection(
    inspection_id: int,
    actor: str = "programme-manager",
    why: str = "",
    now: dt.datetime | None = None,
) -> StageOutcome:
    """Call the inspection off (only before its fieldwork is done)."""
    outcome = apply_stage(inspection_id, Stage.CANCEL, actor, why, now)
    if outcome.moved:
        follow_stage(inspection_id, actor, now)
    return outcome


STAGE_FLOWS: dict[Stage, Flow[..., StageOutcome]] = {
    Stage.ANNOUNCE: announce,
    Stage.RECORD_FIELDWORK: record_fieldwork,
    Stage.SEND_DRAFT: send_draft,
    Stage.CLOSE_COMMENTS: close_comments,
    Stage.PUBLISH: publish_report,
    Stage.RECEIVE_ACTION_PLAN: receive_action_plan,
    Stage.CANCEL: cancel_inspection,
}
