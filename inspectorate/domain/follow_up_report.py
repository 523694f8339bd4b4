"""The content of a follow-up or reinspection report, after seeds 000/001 (pure).

Per criterion, named as the original report named it, the original and follow-up
percentages, the change and whether it is statistically significant (Fisher's exact test,
its probability written "p < 0.001" below a thousandth), and the summary line "improvement
against X of Y measures". Criteria only one side scored are listed, not compared.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from inspectorate.domain.comparison import SIGNIFICANCE, Change
from inspectorate.domain.identity import Inspectorate


def p_value_text(p_value: float) -> str:
    """The probability as a report writes it: 'p < 0.001', else 'p = 0.034'."""
    return "p < 0.001" if p_value < 0.001 else f"p = {p_value:.3f}"


@dataclass(frozen=True)
class FollowUpReport:
    """Everything a follow-up report template needs, already worked out."""

    body: str
    programme: str
    kind: str  # "follow_up" or "reinspection"
    inspectorate: Inspectorate
    published_on: dt.date  # the cover's month: publication, planned or done
    original_published: dt.date | None
    original_fieldwork: dt.date
    fieldwork_start: dt.date
    fieldwork_end: dt.date
    draft: bool
    rows: list[tuple[str, Change, str]]  # (criterion as named, change, 'p < 0.001')
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
    inspectorate: Inspectorate,
    names: dict[str, str],
    published_on: dt.date,
    original_published: dt.date | None,
    original_fieldwork: dt.date,
    fieldwork_start: dt.date,
    fieldwork_end: dt.date,
    changes: list[Change],
    original_criteria: set[str],
    follow_up_criteria: set[str],
    draft: bool,
) -> FollowUpReport:
    """Assemble the report; `names` gives each criterion's name in the framework's order."""
    order = {criterion: n for n, criterion in enumerate(names)}
    changes = sorted(changes, key=lambda c: (order.get(c.criterion, len(order)), c.criterion))
    improved = [c for c in changes if c.change > 0]
    before_only, after_only = (
        original_criteria - follow_up_criteria,
        follow_up_criteria - original_criteria,
    )
    return FollowUpReport(
        body=body,
        programme=programme,
        kind=kind,
        inspectorate=inspectorate,
        published_on=published_on,
        original_published=original_published,
        original_fieldwork=original_fieldwork,
        fieldwork_start=fieldwork_start,
        fieldwork_end=fieldwork_end,
        draft=draft,
        rows=[(names.get(c.criterion, c.criterion), c, p_value_text(c.p_value)) for c in changes],
        improved=len(improved),
        significant=sum(c.significant for c in improved),
        compared=len(changes),
        only_original=[name for c, name in names.items() if c in before_only],
        only_follow_up=[name for c, name in names.items() if c in after_only],
    )
