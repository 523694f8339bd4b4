"""The `inspectorate` command line: builds the app from its command modules and runs it.

Each command module adds its commands through `register(app, inspection)`, so nothing here
is imported by them. Errors the product raises on purpose become one line and exit code 2.
"""

from __future__ import annotations

import typer

from cli import (
    comments,
    dashboard,
    evidence,
    hints,
    lifecycle,
    programme,
    reports,
    server,
    sign_off,
    simulate,
    triggers,
    users,
)
from cli.output import fail
from inspectorate.domain.errors import InspectorateError
from inspectorate.services import context

COMMAND_MODULES = (
    lifecycle,
    evidence,
    programme,
    reports,
    comments,
    sign_off,
    triggers,
    simulate,
    dashboard,
    users,
    server,
)


def build_app() -> typer.Typer:
    """Return the command line with every module's commands registered."""
    app = typer.Typer(
        help="Run an inspectorate's inspection programmes.",
        no_args_is_help=True,
        pretty_exceptions_enable=False,
    )
    inspection = typer.Typer(help="Schedule, show and advance inspections.", no_args_is_help=True)
    app.add_typer(inspection, name="inspection")
    for module in COMMAND_MODULES:
        module.register(app, inspection)
    return app


def main() -> None:
    """Entry point: run the app, turning domain errors into exit code 2 and one line."""
    try:
        build_app()()  # usage errors are click's own: it prints them and exits 2
    except InspectorateError as error:
        fail(hints.explain(error))
    except context.RecordUnavailable as error:
        fail(f"cannot use the database {context.display_database_url()}: {error.orig}")


if __name__ == "__main__":
    main()
