"""Notice of an inspection: the machine never shortens it (pure rule).

The announcement is due a programme-defined time before fieldwork (ten weeks for most
programmes, DOMAIN.md). If the day it would be made is after that date, announcing would
give less notice than the body is owed: the announcement is then held for the programme
manager, who reschedules or announces with a recorded reason.
"""

from __future__ import annotations

import datetime as dt


def _weeks_and_days(days: int) -> str:
    weeks, rest = divmod(days, 7)
    parts = [f"{weeks} week{'s' if weeks != 1 else ''}"] if weeks else []
    if rest or not parts:
        parts.append(f"{rest} day{'s' if rest != 1 else ''}")
    return " and ".join(parts)


def shortened_notice(
    *, announce_due: dt.date, fieldwork_start: dt.date, today: dt.date
) -> str | None:
    """Say how announcing `today` would shorten the notice, or None if it would not."""
    if today <= announce_due:
        return None
    owed = (fieldwork_start - announce_due).days
    given = (fieldwork_start - today).days
    if given <= 0:
        return (
            f"fieldwork was due to start on {fieldwork_start.isoformat()}, before today "
            f"({today.isoformat()}); the body would have had no notice"
        )
    return (
        f"announcing on {today.isoformat()} would give {_notice(given)} notice of "
        f"fieldwork on {fieldwork_start.isoformat()} instead of {_weeks_and_days(owed)}"
    )


def _notice(days: int) -> str:
    """'6 days'', '1 week's', '2 weeks and 1 day's': the possessive of the time given."""
    time = _weeks_and_days(days)
    return f"{time}'" if time.endswith("s") else f"{time}'s"


def late_announcement_advice(inspection_id: int) -> str:
    """What the programme manager can do about a held announcement."""
    return (
        f"reschedule (`inspectorate inspection reschedule {inspection_id} --fieldwork-start "
        f"YYYY-MM-DD`) or announce with a recorded reason (`inspectorate inspection advance "
        f'{inspection_id} announce --why "..."`)'
    )
