"""`inspectorate draft comments ID FILE`: the body's comments on its draft."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from inspectorate import comments, operations
from inspectorate.cli import AsOf, app, clock_at, console, database_ready
from inspectorate.settings import get_settings

draft_app = typer.Typer(help="The draft report's comment window.", no_args_is_help=True)
app.add_typer(draft_app, name="draft")


@draft_app.command("comments")
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
    from tasks.runtime import embedded_runtime, is_embedded

    if get_settings().server_timers and not is_embedded():
        from tasks.timers import hand_comments_to_waiting_run

        run_name = hand_comments_to_waiting_run(inspection_id, text, author)
        if run_name is not None:
            console.print(
                f"Inspection {inspection_id}: comments handed to waiting run {run_name}; "
                "it records them and closes the comment window."
            )
            return
    from flows.lifecycle import close_comments

    with clock_at(as_of, hour=9) as now, embedded_runtime():
        new = comments.record_comments(
            inspection_id=inspection_id, text=text, author=author, now=operations.moment(now)
        )
        outcome = close_comments(
            inspection_id=inspection_id, actor=author, why="comments received", now=now
        )
    kept = "kept" if new else "already kept"
    console.print(
        f"Inspection {inspection_id}: comments {kept}; {outcome.from_status} → {outcome.to_status}."
    )
