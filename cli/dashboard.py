"""`inspectorate dashboard` (registered on the main app; its accounts are `cli/users.py`)."""

from __future__ import annotations

from typing import Annotated

import typer

from cli.options import database_ready
from cli.output import console


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


def register(app: typer.Typer, inspection: typer.Typer) -> None:
    """Add this module's commands to the command line."""
    app.command("dashboard")(dashboard)
