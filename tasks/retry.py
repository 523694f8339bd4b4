"""When a task is worth retrying: only for failures that a second attempt can fix."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

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

T = TypeVar("T")


def retrying(attempt: Callable[[], T]) -> T:
    """Call `attempt`, trying again after a transient failure as a task's retries would.

    For a part of a task that does several: retried alone, not with what went before it.
    """
    for delay in RETRY_DELAYS[:RETRIES]:
        try:
            return attempt()
        except Exception as error:
            if not is_transient(error):
                raise
            time.sleep(delay)
    return attempt()
