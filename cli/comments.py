"""`inspectorate draft comments ID FILE`: the body's comments on its draft."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cli.lazy import lazy_module
from cli.options import AsOf, clock_at, database_ready, require_after_last_step, running_flows
from cli.output import console

if TYPE_CHECKING:
    from inspectorate.services import comments
else:
    comments = lazy_module("inspectorate.services.comments")


def draft_comments(
    inspection_id: Annotated[int, typer.Argument(help="Inspection whose draft is out.")],
    file: Annotated[Path, typer.Argument(help="The body's comments, UTF-8 text.")],
    author: Annotated[str, typer.Option(help="Who sent them.")] = "body",
    as_of: AsOf = None,
) -> None:
    """Record the body's comments and close the comment window.

    In server mode this resumes the run waiting for them; otherwise it records them here.
    """
    text = comments.read_comments(file)
    database_ready()
    with clock_at(as_of, hour=9) as now:
        require_after_last_step(inspection_id, now)  # before Prefect starts
        with running_flows("Recording the comments"):
            from flows.comments import submit_comments

            said = submit_comments(inspection_id, text, author, now)
    console.print(f"Inspection {inspection_id}: {said}.")


def register(app: typer.Typer, inspection: typer.Typer) -> None:
    """Add this module's commands to the command line."""
    draft_app = typer.Typer(help="The draft report's comment window.", no_args_is_help=True)
    app.add_typer(draft_app, name="draft")
    draft_app.command("comments")(draft_comments)
