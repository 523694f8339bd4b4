"""The command line's app: built from its command modules and run in this process.

Each command module adds its commands through `register(app, inspection)`, so nothing here
is imported by them. Errors the product raises on purpose become one line and exit code 2.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from cli import (
    comments,
    dashboard,
    evidence,
    exports,
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
from cli.lazy import lazy_module
from cli.options import set_verbose
from cli.output import fail
from inspectorate.domain.errors import InspectorateError

if TYPE_CHECKING:
    from inspectorate.services import context
else:
    context = lazy_module("inspectorate.services.context")

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
    exports,
)


def _global_options(
    verbose: Annotated[
        bool, typer.Option("--verbose", help="Show Prefect's own log lines too (INFO and up).")
    ] = False,
) -> None:
    set_verbose(verbose)


def build_app() -> typer.Typer:
    """Return the command line with every module's commands registered."""
    app = typer.Typer(
        help="Run an inspectorate's inspection programmes.",
        no_args_is_help=True,
        pretty_exceptions_enable=False,
    )
    app.callback()(_global_options)
    inspection = typer.Typer(help="Schedule, show and advance inspections.", no_args_is_help=True)
    app.add_typer(inspection, name="inspection")
    for module in COMMAND_MODULES:
        module.register(app, inspection)
    return app


def run() -> None:
    """Run the app in this process, turning domain errors into exit code 2 and one line."""
    try:
        code = build_app()(standalone_mode=False)
    except hints.UsageError as error:  # a mistyped command, option or value
        if type(error).__name__ == "NoArgsIsHelpError":  # the help is already printed
            sys.exit(error.exit_code)
        fail(hints.usage(error))
    except hints.ClickException as error:
        fail(error.format_message())
    except typer.Abort:  # end of input at a prompt
        fail("aborted; nothing more was done")
    except InspectorateError as error:
        fail(hints.explain(error))
    except context.RecordUnavailable as error:
        fail(context.describe_unavailable(error))
    sys.exit(code if isinstance(code, int) else 0)
