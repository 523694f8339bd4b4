"""The shared local Prefect server a benchmark starts is stopped again when it ends.

Flows run embedded go to the shared local server (tasks/prefect_server.py), which outlives
a command on purpose; a benchmark is not a command of the day's work, so a server it
started is not left running. One that was already running is left as it was.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def stopping_a_server_it_starts() -> Iterator[None]:
    """Run the block; afterwards stop the local server if none of ours was running before."""
    from tasks.prefect_server import (
        is_our_server,
        prefect_home,
        problem,
        read_state,
        stop_server,
    )

    home = prefect_home()
    state = read_state(home)
    # A server of ours that is slow to answer (a loaded machine) was running all the same.
    running_before = state is not None and (problem(state, home) is None or is_our_server(state))
    try:
        yield
    finally:
        if not running_before:
            stopped, ran = stop_server()
            if stopped is not None and ran:
                print(f"(stopped the local Prefect server this bench started, pid {stopped.pid})")
