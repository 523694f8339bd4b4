"""The documents of the lifecycle: the announcement letter and the draft report.

Each is run by its stage's flow once the stage is done, and by the deadline sweep for the
stages it performs; writing a document twice keeps one version.
"""

from __future__ import annotations

import datetime as dt

from prefect import flow

from inspectorate.domain.lifecycle import Stage
from inspectorate.services.documents import SavedDocument
from tasks.documents import write_stage_documents


@flow(name="announcement-letter")
def announcement_letter(
    inspection_id: int, actor: str = "announce", now: dt.datetime | None = None
) -> list[SavedDocument]:
    """Write the announcement letter (English, and Welsh for a body in Wales)."""
    return write_stage_documents(inspection_id, Stage.ANNOUNCE, actor, now)


@flow(name="draft-report")
def draft_report(
    inspection_id: int, actor: str = "send-draft", now: dt.datetime | None = None
) -> list[SavedDocument]:
    """Write the draft report, marked DRAFT — NOT FOR PUBLICATION, for the body's comments."""
    return write_stage_documents(inspection_id, Stage.SEND_DRAFT, actor, now)


@flow(name="publication-documents")
def publication_documents(
    inspection_id: int, actor: str = "publish", now: dt.datetime | None = None
) -> list[SavedDocument]:
    """Write the published report(s), lift the embargo and record the distribution."""
    return write_stage_documents(inspection_id, Stage.PUBLISH, actor, now)


DOCUMENT_FLOWS = {
    Stage.ANNOUNCE: announcement_letter,
    Stage.SEND_DRAFT: draft_report,
    Stage.PUBLISH: publication_documents,
}
