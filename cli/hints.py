"""What the command line adds to a domain error: the option to fix, the command that helps."""

from __future__ import annotations

from typing import Any

import typer

from inspectorate.domain.errors import (
    InspectorateError,
    NotInitialised,
    UnknownBody,
    UnknownInspection,
)

# Click's exception classes, wherever this typer keeps them (it vendors click from 0.2x).
UsageError: Any = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "UsageError")
ClickException: Any = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException")

# The value a person gave (InspectorateError.field) and the option they gave it with.
OPTIONS = {
    "lang": "--lang",
    "format": "--format",
    "role": "--role",
    "body": "--body",
}


def explain(error: InspectorateError) -> str:
    """Return the error's message with the command line's own hint added."""
    message = str(error)
    option = OPTIONS.get(error.field or "")
    if option is not None:
        message = f"{option}: {message}"
    if isinstance(error, NotInitialised):
        message += "; run `inspectorate init` first"
    elif isinstance(error, UnknownInspection):
        message += "; `inspectorate inspection list` shows the inspections"
    elif isinstance(error, UnknownBody) and "did you mean" not in message:
        message += "; the bodies' names are in config/bodies/"
    return message


def usage(error: Any) -> str:
    """Click's complaint about a mistyped command line, and where its help is."""
    where = error.ctx.command_path if error.ctx is not None else "inspectorate"
    said = str(error.format_message()).replace("Value error, ", "").rstrip(".")
    return f"{said}; see `{where} --help`"
