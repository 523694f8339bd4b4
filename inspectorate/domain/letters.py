"""The announcement letter: what the body is told ten weeks before fieldwork (pure).

A reinspection's or follow-up's letter says so and names the report it follows. The letter
is addressed to the head of the body by the title mail uses too ('Dear Chief Executive'),
and signed by the programme's named signatory or, failing one, the Chief Inspector.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from inspectorate.domain.identity import Inspectorate, Person, Words
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
    inspectorate: Inspectorate
    addressee: Words  # the head of the body: 'Chief Executive', 'Prif Weithredwr'
    signatory: Person
    kind: str = "inspection"  # or "reinspection", "follow_up"
    original_published: dt.date | None = None  # the report a reinspection follows


def build_announcement_letter(
    *,
    body: str,
    body_kind: str,
    programme: ProgrammeDefinition,
    due: Mapping[str, dt.date],
    team_email: str,
    inspectorate: Inspectorate,
    kind: str = "inspection",
    original_published: dt.date | None = None,
) -> AnnouncementLetter:
    """Assemble the letter from the inspection's planned milestones, in date order."""
    key_dates = sorted(
        ((rule.label, due[rule.kind]) for rule in programme.milestones if rule.kind in due),
        key=lambda pair: pair[1],
    )
    dated = due["announcement"]
    return AnnouncementLetter(
        body=body,
        programme=programme.name,
        description=programme.description,
        dated=dated,
        fieldwork_start=due["fieldwork_start"],
        fieldwork_end=due["fieldwork_end"],
        key_dates=[(label, day) for label, day in key_dates if day >= dated],
        sample_selection=due.get("sample_selection"),
        team_email=team_email,
        inspectorate=inspectorate,
        addressee=inspectorate.addressee(body_kind),
        signatory=programme.signatory or inspectorate.chief_inspector_on(dated),
        kind=kind,
        original_published=original_published,
    )
