"""The `inspectorate` command line: builds the app from its command modules and runs it.

Each command module adds its commands through `register(app, inspection)`, so nothing here
is imported by them. Errors the product raises on purpose become one line and exit code 2.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

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
    warm,
)
from cli.lazy import lazy_module
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
    """Entry point: a flow command goes to the warm runner when one is up, else runs here."""
    argv = sys.argv[1:]
    code = warm.forward(argv)
    if code is not None:
        sys.exit(code)
    try:
        run()
    finally:
        if warm.is_forwarded(argv):
            warm.start_runner_if_useful()


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


if __name__ == "__main__":
    main()
