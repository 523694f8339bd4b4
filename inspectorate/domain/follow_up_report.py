"""The content of a follow-up report, after seeds 000/001 (pure).

Per criterion the original and follow-up percentages, the change and whether it is
statistically significant (Fisher's exact test), and the summary line
"improvement against X of Y measures". Criteria only one side scored are listed, not compared.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from inspectorate.domain.comparison import SIGNIFICANCE, Change


@dataclass(frozen=True)
class FollowUpReport:
    """Everything a follow-up report template needs, already worked out."""

    body: str
    programme: str
    kind: str
    original_fieldwork: dt.date
    fieldwork_start: dt.date
    fieldwork_end: dt.date
    draft: bool
    rows: list[tuple[str, str, Change]]
    improved: int
    significant: int
    compared: int
    only_original: list[str]
    only_follow_up: list[str]
    significance: float = SIGNIFICANCE


def build_follow_up_report(
    *,
    body: str,
    programme: str,
    kind: str,
    names: dict[str, str],
    original_fieldwork: dt.date,
    fieldwork_start: dt.date,
    fieldwork_end: dt.date,
    changes: list[Change],
    original_criteria: set[str],
    follow_up_criteria: set[str],
    draft: bool,
) -> FollowUpReport:
    """Assemble a follow-up report from the comparison of the two inspections' criteria."""
    improved = [c for c in changes if c.change > 0]
    return FollowUpReport(
        body=body,
        programme=programme,
        kind=kind,
        original_fieldwork=original_fieldwork,
        fieldwork_start=fieldwork_start,
        fieldwork_end=fieldwork_end,
        draft=draft,
        rows=[(c.criterion, names.get(c.criterion, c.criterion), c) for c in changes],
        improved=len(improved),
        significant=sum(c.significant for c in improved),
        compared=len(changes),
        only_original=sorted(original_criteria - follow_up_criteria),
        only_follow_up=sorted(follow_up_criteria - original_criteria),
    )
