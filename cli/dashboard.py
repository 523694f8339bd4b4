"""`inspectorate dashboard` and `inspectorate users …` (registered on the main app)."""

from __future__ import annotations

from typing import Annotated

import typer

from cli.options import database_ready
from cli.output import console
from inspectorate.services import context, users


def dashboard(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(help="Server processes (one per core).")] = 1,
) -> None:
    """Serve the dashboard (pages, actions and the JSON API under /api)."""
    database_ready()
    import uvicorn

    console.print(f"Dashboard on http://{host}:{port}/ (API schema at /api/openapi.json)")
    uvicorn.run(
        "dashboard.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        proxy_headers=True,
    )


def users_add(
    username: Annotated[
        str, typer.Argument(help="Sign-in name: lower-case letters, digits, . _ -")
    ],
    role: Annotated[str, typer.Option(help="manager, inspector, body or public.")],
    body: Annotated[str | None, typer.Option(help="The body, for a body's account.")] = None,
    password: Annotated[
        str,
        typer.Option(
            prompt=True, hide_input=True, confirmation_prompt=True, help="Asked for when left out."
        ),
    ] = "",
) -> None:
    """Create a dashboard account (the password is stored as an argon2 hash)."""
    database_ready()
    context.run(
        users.add_user,
        username=username,
        role=role,
        password=password,
        body=body,
        now=context.moment(None),
    )
    console.print(f"Account {username} ({role}{', ' + body if body else ''}) created.")


def users_assign(
    username: Annotated[str, typer.Argument(help="An inspector's account.")],
    inspection_id: Annotated[int, typer.Argument(help="Inspection id.")],
) -> None:
    """Put an inspector on an inspection's team (they then see it in the dashboard)."""
    database_ready()
    new = context.run(
        users.assign, username=username, inspection_id=inspection_id, now=context.moment(None)
    )
    console.print(f"{username} {'is now' if new else 'was already'} on inspection {inspection_id}.")


def register(app: typer.Typer, inspection: typer.Typer) -> None:
    """Add this module's commands to the command line."""
    users_app = typer.Typer(
        help="Dashboard accounts and inspectors' assignments.", no_args_is_help=True
    )
    app.add_typer(users_app, name="users")
    app.command("dashboard")(dashboard)
    users_app.command("add")(users_add)
    users_app.command("assign")(users_assign)
