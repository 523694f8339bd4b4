"""What the dashboard adds to a domain error: the form field to fix, who can set things up."""

from __future__ import annotations

import datetime as dt
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


ISO_DAY = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def readable_dates(text: str) -> str:
    """Days in a message as people read them: 2014-02-10 becomes 10 February 2014.

    A message about the YYYY-MM-DD form itself (a date typed in a link) keeps its digits.
    """
    if "YYYY-MM-DD" in text:
        return text

    def _day(match: re.Match[str]) -> str:
        try:
            day = dt.date(*(int(part) for part in match.groups()))
        except ValueError:
            return match.group(0)  # not a day (2014-02-31 as typed): as it was
        return f"{day.day} {day:%B %Y}"

    return ISO_DAY.sub(_day, text)


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
