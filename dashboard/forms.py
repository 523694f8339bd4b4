"""Forms the GOV.UK way: a date as three fields, and refusals shown on the form itself.

A refused form is rendered again, status 400, with an error summary at the top linking to
each field to fix, the message beside that field, and everything typed kept.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Form
from fastapi.responses import HTMLResponse

from dashboard.hints import explain, readable_dates
from dashboard.web import render_page
from inspectorate.domain.errors import (
    InspectorateError,
    UnknownBody,
    UnknownInspection,
    UnknownProgramme,
)
from inspectorate.domain.milestones import EARLIEST_DAY, LATEST_DAY
from inspectorate.services.sessions import Account

# The form field a kind of refusal is about, when the error does not name one itself.
FIELD_OF_ERROR: tuple[tuple[type[InspectorateError], str], ...] = (
    (UnknownBody, "body"),
    (UnknownProgramme, "programme"),
    (UnknownInspection, "inspection"),
)


WHY_CHARS = 500  # a reason for the audit trail, as its boxes allow (maxlength)
# A browser counts a line break against a box's maxlength as one character and sends it as
# two (CR LF), so up to twice the characters arrive for text the box accepted: read that
# much, then count as the person did (`reason_as_typed`).
Why = Annotated[str, Form(max_length=2 * WHY_CHARS)]


@dataclass
class Problems:
    """What is wrong with a form, field by field (the field's id → the message)."""

    by_field: dict[str, str] = field(default_factory=dict)

    def add(self, name: str, message: str) -> None:
        """Note a problem with field `name` (the first one said about a field is kept)."""
        self.by_field.setdefault(name, message)

    def refuse(self, error: InspectorateError, default: str) -> None:
        """Note a domain refusal against the field it is about (else `default`)."""
        name = error.field or next(
            (name for kind, name in FIELD_OF_ERROR if isinstance(error, kind)), default
        )
        self.add(name, readable_dates(explain(error)))

    def __bool__(self) -> bool:
        return bool(self.by_field)


def reason_as_typed(why: str, problems: Problems, name: str = "why") -> str:
    """The reason with its line breaks as typed (LF), and a problem if it is too long."""
    typed = why.replace("\r\n", "\n").replace("\r", "\n")
    if len(typed) > WHY_CHARS:
        problems.add(name, f"The reason must be {WHY_CHARS} characters or fewer")
    return typed


def date_from_parts(
    values: Mapping[str, str], name: str, label: str, problems: Problems
) -> dt.date | None:
    """The date typed in fields `name-day`, `name-month`, `name-year`, or a problem noted."""
    parts = [values.get(f"{name}-{part}", "").strip() for part in ("day", "month", "year")]
    if not all(parts):
        missing = [p for p, v in zip(("day", "month", "year"), parts, strict=True) if not v]
        problems.add(name, f"{label} must include a {' and a '.join(missing)}")
        return None
    if not all(p.isascii() and p.isdigit() for p in parts) or len(parts[2]) != 4:
        problems.add(name, f"{label} must be a real date, like 10 2 2014 (a four-digit year)")
        return None
    try:
        day = dt.date(int(parts[2]), int(parts[1]), int(parts[0]))
    except (ValueError, OverflowError):  # OverflowError: a day or month of ten digits
        problems.add(name, f"{label} must be a real date: {'/'.join(parts)} is not a day")
        return None
    if not EARLIEST_DAY <= day <= LATEST_DAY:
        problems.add(name, f"{label} must be between {EARLIEST_DAY.year} and {LATEST_DAY.year}")
        return None
    return day


def form_page(
    account: Account,
    name: str,
    *,
    values: Mapping[str, str],
    problems: Problems | None = None,
    **context: object,
) -> HTMLResponse:
    """Render a form page; 400 with its problems shown when there are any."""
    errors = problems.by_field if problems else {}
    html = render_page(account, name, values=values, errors=errors, **context)
    return HTMLResponse(html, status_code=400 if errors else 200)
