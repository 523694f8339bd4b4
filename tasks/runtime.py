"""How Prefect runs here: offline, quiet, and fast on the embedded temporary server."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy.exc import DBAPIError

from inspectorate.domain.errors import InspectorateError

REPORTED_BY_CALLER = (InspectorateError, DBAPIError)


def is_embedded() -> bool:
    """True when no Prefect server is configured (a temporary local one will be used)."""
    return not os.environ.get("PREFECT_API_URL")


class QuietRefusals(logging.Filter):
    """Drop Prefect's run logs of a refusal or an unusable record: the caller says it.

    A flow refused for a reason a person gave (an unknown id, a week at team capacity), or
    stopped by a record that is locked or unreachable, has not crashed: the command line
    says so in one line and the dashboard on the page, so Prefect's tracebacks of it only
    bury that line. Every other failure is still logged.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        """False for a record about such an error (logged with it, or naming it)."""
        if record.exc_info and record.exc_info[1] is not None:
            return not isinstance(record.exc_info[1], REPORTED_BY_CALLER)
        message = record.getMessage()
        # "Finished in state Failed('Task run encountered an exception UnknownInspection: …')"
        return not any(f"exception {name}:" in message for name in _reported_names())


def _reported_names() -> set[str]:
    names, waiting = set(), list(REPORTED_BY_CALLER)
    while waiting:
        kind = waiting.pop()
        names.add(kind.__name__)
        waiting.extend(kind.__subclasses__())
    return names


def quiet_refusals() -> None:
    """Install QuietRefusals on Prefect's flow- and task-run loggers (once).

    Also quiets Prefect's event and log workers ("EventsWorker - Still processing items"
    at exit) unless Prefect's own logs were asked for (--verbose).
    """
    if not logging.getLogger("prefect").isEnabledFor(logging.INFO):
        for worker in ("EventsWorker", "APILogWorker"):
            logging.getLogger(worker).setLevel(logging.ERROR)
    for name in ("prefect.flow_runs", "prefect.task_runs"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, QuietRefusals) for f in logger.filters):
            logger.addFilter(QuietRefusals())


@contextmanager
def embedded_runtime() -> Iterator[None]:
    """Run flows without the flow heartbeat when embedded, and without refusals' tracebacks.

    A sync flow joins its heartbeat thread on exit, about 1 s a flow; heartbeats only serve
    a server's crash detection, which neither a temporary server nor the shared local one
    runs (no zombie-run automation). With INSPECTORATE_LOCAL_SERVER (the default) the flows
    go to the shared local server, started here if it is not running (prefect_server.py).
    """
    quiet_refusals()
    if not is_embedded():
        yield
        return
    from prefect.settings import (
        PREFECT_API_URL,
        PREFECT_FLOWS_HEARTBEAT_FREQUENCY,
        temporary_settings,
    )

    from inspectorate.adapters.settings import get_settings
    from tasks.prefect_server import ensure_server

    updates: dict[Any, Any] = {PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}
    if not PREFECT_API_URL.value() and get_settings().local_server:
        updates[PREFECT_API_URL] = ensure_server()  # shared, started once (prefect_server.py)
    with temporary_settings(updates=updates):
        yield
