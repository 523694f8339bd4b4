"""Tasks for the documents stages produce: letters, reports, and the lifting of the embargo."""

from __future__ import annotations

import datetime as dt

from prefect import task
from prefect.cache_policies import NO_CACHE

from inspectorate.domain.lifecycle import Stage
from inspectorate.services import context, documents
from inspectorate.services.documents import SavedDocument
from tasks.retry import RETRIES, RETRY_DELAYS, transient_only


@task(
    name="write-stage-documents",
    cache_policy=NO_CACHE,
    retries=RETRIES,
    retry_delay_seconds=RETRY_DELAYS,
    retry_condition_fn=transient_only,
)
def write_stage_documents(
    inspection_id: int, stage: Stage, actor: str, now: dt.datetime | None = None
) -> list[SavedDocument]:
    """Write the letter or reports the stage produces (and distribute a published report).

    One unit of work for all of them: if one fails none is recorded, and the retry renders
    the same bytes, finds their files already written and records every version.
    """
    return context.run(
        documents.write_stage_documents,
        inspection_id=inspection_id,
        stage=stage,
        now=context.moment(now),
        actor=actor,
    )
