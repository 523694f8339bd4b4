"""Calendar exports: every milestone as an all-day event with a stable UID (iCalendar), or CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass

import icalendar


@dataclass(frozen=True)
class CalendarEntry:
    """One milestone of one inspection, as a calendar shows it."""

    uid: str
    body: str
    programme: str
    milestone: str
    label: str
    due: dt.date


def slug(text: str) -> str:
    """Lower-case letters and digits joined by hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def stable_uid(*parts: object) -> str:
    """A UID that stays the same for the same milestone, so re-imports update, not duplicate."""
    return "-".join(slug(str(p)) for p in parts) + "@inspectorate"


def to_ics(entries: Iterable[CalendarEntry], name: str, stamp: dt.datetime) -> bytes:
    """Return an iCalendar file of all-day events."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//inspectorate//programme calendar//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    for entry in entries:
        event = icalendar.Event()
        event.add("uid", entry.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", entry.due)
        event.add("dtend", entry.due + dt.timedelta(days=1))
        event.add("summary", f"{entry.label} - {entry.body} ({entry.programme.upper()})")
        event.add("categories", [entry.programme.upper(), entry.milestone])
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()


def read_ics(data: bytes) -> list[tuple[str, dt.date, str]]:
    """Return (uid, date, summary) of every event in an iCalendar file."""
    calendar = icalendar.Calendar.from_ical(data)
    return [
        (str(e["uid"]), e.decoded("dtstart"), str(e["summary"])) for e in calendar.walk("VEVENT")
    ]


def to_csv(entries: Iterable[CalendarEntry]) -> str:
    """Return the entries as CSV: body, programme, milestone, label, due, uid."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["body", "programme", "milestone", "label", "due", "uid"])
    for e in entries:
        writer.writerow([e.body, e.programme, e.milestone, e.label, e.due.isoformat(), e.uid])
    return out.getvalue()
