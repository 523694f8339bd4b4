"""Task for keeping the body's comments on its draft."""

from __future__ import annotations

import datetime as dt

from prefect import task
from prefect.cache_policies import NO_CACHE

from inspectorate.services import comments, context
from tasks.retry import RETRIES, RETRY_DELAYS, transient_only


@task(
    name="record-comments",
    cache_policy=NO_CACHE,
    retries=RETRIES,
    retry_delay_seconds=RETRY_DELAYS,
    retry_condition_fn=transient_only,
)
def record_comments(inspection_id: int, text: str, author: str, now: dt.datetime | None) -> bool:
    """Keep the comments once (audited)."""
    return context.run(
        comments.record_comments,
        inspection_id=inspection_id,
        text=text,
        author=author,
        now=context.moment(now),
    )
