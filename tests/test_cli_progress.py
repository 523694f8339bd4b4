"""Work over two seconds shows a spinner on a terminal; a pipe gets the result lines only."""

from __future__ import annotations

import io
import time

from rich.console import Console

from cli.progress import shown_after


def test_a_terminal_sees_the_work_and_its_time_once_the_delay_passes() -> None:
    screen = io.StringIO()
    console = Console(file=screen, force_terminal=True, width=60)
    with shown_after("Sweeping…", delay=0, console=console) as progress:
        assert progress is not None
        while not progress.live.is_started:  # the timer thread starts it
            time.sleep(0.01)
        progress.refresh()
    assert "Sweeping…" in screen.getvalue()
    assert "0:00:0" in screen.getvalue()  # the elapsed time


def test_quick_work_shows_nothing() -> None:
    screen = io.StringIO()
    console = Console(file=screen, force_terminal=True, width=60)
    with shown_after("Sweeping…", delay=3600, console=console) as progress:
        assert progress is not None
    assert screen.getvalue() == ""
    assert not progress.live.is_started


def test_a_pipe_sees_no_spinner() -> None:
    screen = io.StringIO()
    with shown_after("Sweeping…", delay=0, console=Console(file=screen)) as progress:
        assert progress is None
    assert screen.getvalue() == ""
