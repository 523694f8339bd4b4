"""The announcement letter: what the body is told ten weeks before fieldwork (pure)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from inspectorate.domain.programmes import ProgrammeDefinition


@dataclass(frozen=True)
class AnnouncementLetter:
    """Everything the announcement letter template needs."""

    body: str
    programme: str
    description: str
    dated: dt.date
    fieldwork_start: dt.date
    fieldwork_end: dt.date
    key_dates: list[tuple[str, dt.date]]
    sample_selection: dt.date | None
    team_email: str


def build_announcement_letter(
    *,
    body: str,
    programme: ProgrammeDefinition,
    due: Mapping[str, dt.date],
    team_email: str,
) -> AnnouncementLetter:
    """Assemble the letter from the inspection's planned milestones, in date order."""
    key_dates = sorted(
        ((rule.label, due[rule.kind]) for rule in programme.milestones if rule.kind in due),
        key=lambda pair: pair[1],
    )
    return AnnouncementLetter(
        body=body,
        programme=programme.name,
        description=programme.description,
        dated=due["announcement"],
        fieldwork_start=due["fieldwork_start"],
        fieldwork_end=due["fieldwork_end"],
        key_dates=[(label, day) for label, day in key_dates if day >= due["announcement"]],
        sample_selection=due.get("sample_selection"),
        team_email=team_email,
    )
