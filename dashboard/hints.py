"""What the dashboard adds to a domain error: the form field to fix, who can set things up."""

from __future__ import annotations

from inspectorate.domain.errors import InspectorateError, NotInitialised

# The value a person gave (InspectorateError.field) and the form field they gave it in.
FIELDS = {
    "fieldwork_start": "Fieldwork start",
    "judgements": "Judgements file",
    "comments": "Comments",
    "lang": "Language",
    "format": "Format",
}


def explain(error: InspectorateError) -> str:
    """Return the error's message with the dashboard's own hint added."""
    message = str(error)
    label = FIELDS.get(error.field or "")
    if label is not None:
        message = f"{label}: {message}"
    if isinstance(error, NotInitialised):
        message += " (the record is not set up yet: ask the administrator to initialise it)"
    return message
