"""Signing off: the lead inspector signs off the draft, the programme manager the publication."""

from __future__ import annotations

from typing import Annotated

import typer

from cli.options import AsOf, clock_at, database_ready, running_flows
from cli.output import console


def sign_off(
    inspection_id: Annotated[int, typer.Argument(help="Inspection id.")],
    what: Annotated[str, typer.Argument(help="draft (lead inspector) or publication (manager).")],
    by: Annotated[str, typer.Option(help="The account of the person signing off.")],
    why: Annotated[str, typer.Option(help="A note for the audit trail.")] = "",
    as_of: AsOf = None,
) -> None:
    """Sign off the draft or the publication on the team's text as it stands (audited)."""
    database_ready()
    with clock_at(as_of, hour=9) as now, running_flows("Signing off"):
        from flows.sign_off import sign_off_and_resume

        said = sign_off_and_resume(inspection_id, what, by, why, now)
    console.print(said)


def register(app: typer.Typer, inspection: typer.Typer) -> None:
    """Add this module's commands to the command line."""
    del app
    inspection.command("sign-off")(sign_off)
