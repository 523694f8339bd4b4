"""The day a page looks at: `?as_of=YYYY-MM-DD` from a link, or the GOV.UK date fields.

A day that is no day comes back on the page's own form, status 400, with the error summary
and the fields as typed; the page then shows today.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from fastapi import Request

from dashboard.forms import Problems, date_from_parts
from inspectorate.adapters import clock
from inspectorate.domain.errors import InspectorateError
from inspectorate.domain.milestones import parse_date

NAME = "as_of"
PARTS = tuple(f"{NAME}-{part}" for part in ("day", "month", "year"))


@dataclass
class LookedAt:
    """The day shown, the as-of fields as typed, and what is wrong with them."""

    day: dt.date
    values: dict[str, str] = field(default_factory=dict)
    problems: Problems = field(default_factory=Problems)


def looked_at(request: Request) -> LookedAt:
    """The day the request asks for (today when none, or when the one asked is no day)."""
    query = request.query_params
    values = {name: query.get(name, "")[:10] for name in PARTS}
    problems = Problems()
    if any(name in query for name in PARTS):
        day = date_from_parts(values, NAME, "As of", problems)
    elif query.get(NAME):
        try:
            day = parse_date(query[NAME][:10], what="the day to look at")
        except InspectorateError as refused:
            said = str(refused)
            problems.add(NAME, said[:1].upper() + said[1:])
            day = None
    else:
        day = clock.today()
    return LookedAt(day or clock.today(), values, problems)
