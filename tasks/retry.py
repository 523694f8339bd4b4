"""When a task is worth retrying: only for failures that a second attempt can fix."""

from __future__ import annotations

from typing import Any

from sqlalchemy.exc import OperationalError

from inspectorate.domain.errors import DeliveryError


def transient_only(_task: Any, _task_run: Any, state: Any) -> bool:
    """Retry a locked database or a refused mail delivery; never a bad transition."""
    try:
        state.result()
    except Exception as error:
        return is_transient(error)
    return False


def is_transient(error: BaseException) -> bool:
    """Whether a second attempt can fix this failure: a locked database, a refused mail."""
    return isinstance(error, (OperationalError, DeliveryError))


RETRIES = 2
RETRY_DELAYS: list[float] = [2, 10]
