"""Options and set-up shared by the commands: --json, --as-of, the clock, the database check."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated

import typer

from cli.lazy import lazy_module

if TYPE_CHECKING:
    import pendulum

    from inspectorate.adapters import clock
    from inspectorate.domain import milestones
    from inspectorate.services import context
else:
    clock = lazy_module("inspectorate.adapters.clock")
    milestones = lazy_module("inspectorate.domain.milestones")
    context = lazy_module("inspectorate.services.context")

JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
AsOf = Annotated[
    str | None,
    typer.Option(
        "--as-of", help="Act as if on this date (YYYY-MM-DD), e.g. to back-fill; default today."
    ),
]


@contextmanager
def clock_at(as_of: str | None, hour: int) -> Iterator[pendulum.DateTime]:
    """Use a virtual clock at `hour`:00 on `as_of` (or the real clock when None)."""
    if as_of is None:
        yield clock.now()
        return
    day = milestones.parse_date(as_of, what="--as-of")
    with clock.use_clock(clock.VirtualClock(clock.morning_of(day, hour))) as virtual:
        yield virtual.now()


@contextmanager
def running_flows(what: str) -> Iterator[None]:
    """Run flows on Prefect as configured, with `what` and a spinner after two seconds."""
    from cli.progress import shown_after

    with shown_after(f"{what}…"):
        from tasks.runtime import embedded_runtime

        with embedded_runtime():
            yield


def set_verbose(verbose: bool) -> None:
    """Prefect's own log lines from INFO with --verbose; otherwise its warnings only."""
    if not verbose:
        return
    os.environ["PREFECT_LOGGING_LEVEL"] = "INFO"  # read when Prefect is imported here
    logging.getLogger("prefect").setLevel(logging.INFO)  # already imported (warm runner)


def database_ready() -> str:
    """Return the database URL after checking its schema is current."""
    return context.require_current_schema()
