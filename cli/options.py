"""Options and set-up shared by the commands: --json, --as-of, the clock, the database check."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated

import typer

from cli.lazy import lazy_module
from cli.output import console
from inspectorate.domain.errors import InvalidInput

if TYPE_CHECKING:
    import pendulum

    from inspectorate.adapters import clock
    from inspectorate.domain import milestones
    from inspectorate.domain import sign_off as sign_off_rules
    from inspectorate.services import context, sign_off
else:
    clock = lazy_module("inspectorate.adapters.clock")
    milestones = lazy_module("inspectorate.domain.milestones")
    context = lazy_module("inspectorate.services.context")
    sign_off = lazy_module("inspectorate.services.sign_off")
    sign_off_rules = lazy_module("inspectorate.domain.sign_off")

JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
Actor = Annotated[str, typer.Option("--actor", help="Who is doing this, kept in the audit trail.")]
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


def say_if_sign_off_undone(inspection_id: int) -> None:
    """Say at once when what was just stored undid a sign-off (else the sweep says it later)."""
    with context.reading() as session:
        undone = sign_off.sign_off_undone(session, inspection_id=inspection_id)
    if undone is not None:
        stage, why = undone
        command = sign_off_rules.sign_off_command(inspection_id, stage)
        console.print(f"Note: {why} (`{command}`).", markup=False)


def require_reason(why: str, what: str) -> None:
    """Refuse `what` (calling an inspection off, moving it) without a reason, as the dashboard
    does: the audit trail keeps why, and a public body answers for every such change."""
    if not why.strip():
        raise InvalidInput(f'{what} needs a reason: give --why "..." (the audit trail keeps it)')


def require_after_last_step(inspection_id: int, now: pendulum.DateTime) -> None:
    """Refuse a step the command would date before the day of the inspection's last step."""
    from inspectorate.services.step_dates import check_after_last_step

    context.run(check_after_last_step, inspection_id=inspection_id, now=now)
