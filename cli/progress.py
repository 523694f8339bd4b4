"""A spinner with the time taken, on standard error, for work that lasts over two seconds."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

DELAY_SECONDS = 2.0  # quicker work shows nothing: a flash of a spinner is only noise


@contextmanager
def shown_after(
    what: str, delay: float = DELAY_SECONDS, console: Console | None = None
) -> Iterator[Progress | None]:
    """Show `what` with a spinner and elapsed time once `delay` seconds pass (terminals only)."""
    console = console or Console(stderr=True)
    if not console.is_terminal:  # a pipe, a log or a test gets the result lines only
        yield None
        return
    progress = Progress(
        SpinnerColumn(), TextColumn(what), TimeElapsedColumn(), console=console, transient=True
    )
    progress.add_task(what, total=None)
    lock, finished = threading.Lock(), False

    def begin() -> None:
        """Start showing, unless the work has finished meanwhile."""
        with lock:
            if not finished:
                progress.start()

    timer = threading.Timer(delay, begin)
    timer.daemon = True
    timer.start()
    try:
        yield progress
    finally:
        with lock:
            finished = True
        timer.cancel()
        progress.stop()
