"""What the command line adds to a domain error: the option to fix, the command that helps."""

from __future__ import annotations

from inspectorate.domain.errors import InspectorateError, NotInitialised

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
    return message
