"""What the dashboard adds to a domain error: the form field to fix, who can set things up."""

from __future__ import annotations

import re
from pathlib import PureWindowsPath

from inspectorate.domain.errors import InspectorateError, InvalidFile, NotInitialised

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
    if isinstance(error, InvalidFile):  # the file's own name, never the server's folders
        message = str(InvalidFile(PureWindowsPath(error.path).name, error.problems))
    label = FIELDS.get(error.field or "")
    if label is not None:
        message = f"{label}: {message}"
    if isinstance(error, NotInitialised):
        message += " (the record is not set up yet: ask the administrator to initialise it)"
    return message


def upload_name(filename: str | None, suffix: str) -> str:
    """A safe file name for an upload, kept as its sender named it (messages show it)."""
    base = PureWindowsPath(filename or "").name  # drops the sender's folders (/ or \)
    stem = base[: len(base) - len(suffix)] if base.lower().endswith(suffix) else ""
    stem = re.sub(r"[^\w .()+,-]", "_", stem).strip(" .")[:100]
    return f"{stem or 'judgements'}{suffix}"
