"""One flow per lifecycle stage: each checks the current status and moves one legal step.

announce → select_sample → record_fieldwork → score_fieldwork → send_draft → close_comments
→ publish_report → receive_action_plan; cancel_inspection until fieldwork is done.
The two stages that carry evidence (select_sample, score_fieldwork) are in casework.py.
"""

from __future__ import annotations

import datetime as dt

from prefect import Flow, flow

from flows.documents import announcement_letter, draft_report, publication_documents
from inspectorate.lifecycle import Stage, status_after
from inspectorate.stages import StageOutcome
from tasks.lifecycle import apply_stage


def _reached(outcome: StageOutcome) -> bool:
    # Also true when a re-run finds the stage already done, so a crash before the documents
    # were written is mended by running the stage again.
    return outcome.to_status == status_after(outcome.stage).value


@flow(name="announce")
def announce(
    inspection_id: int, actor: str = "announce", why: str = "", now: dt.datetime | None = None
) -> StageOutcome:
    """Announce the inspection to the body, ten weeks before fieldwork, with its letter."""
    outcome = apply_stage(inspection_id, Stage.ANNOUNCE, actor, why, now)
    if _reached(outcome):
        announcement_letter(inspection_id, actor, now)
    return outcome


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
    outcome = apply_stage(inspection_id, Stage.SEND_DRAFT, actor, why, now)
    if _reached(outcome):
        draft_report(inspection_id, actor, now)
    return outcome


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
    """Publish the report: lift the embargo and record its distribution (seed 003)."""
    outcome = apply_stage(inspection_id, Stage.PUBLISH, actor, why, now)
    if _reached(outcome):
        publication_documents(inspection_id, actor, now)
    return outcome


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
