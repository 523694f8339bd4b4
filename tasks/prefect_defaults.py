"""Prefect's quiet, offline defaults: standard library only, set before Prefect is imported.

The warm runner's client (`cli/warm.py`) compares environments with these applied, without
importing anything heavy.
"""

from __future__ import annotations

import os
from collections.abc import MutableMapping

# Measured on these machines (shared/PREFECT.md and our own runs): without these the
# temporary server phones home, and its task-run recorder contends for SQLite's write lock
# (flows back to back went from 0.12 s to 2.5 s). Nothing reads task-run history after an
# embedded process ends, so the recorder is off there; a real server keeps its own settings.
EMBEDDED_DEFAULTS = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    "PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_ENABLED": "false",
    "PREFECT_LOGGING_LEVEL": "WARNING",
    "PREFECT_SERVER_LOGGING_LEVEL": "WARNING",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "90",
}


def apply_prefect_defaults(env: MutableMapping[str, str] | None = None) -> None:
    """Set the defaults above in `env` (the process's) unless it already says otherwise."""
    env = os.environ if env is None else env
    for key, value in EMBEDDED_DEFAULTS.items():
        env.setdefault(key, value)
