"""The content of an inspection report, built from its scores and sample (pure).

Structure after seed 003: cover, foreword, summary of headline outcomes, a chapter per
outcome with the case assessment score and findings written from the data ("in 11 out of
the 18 relevant cases"), recommendations, and appendices (sample, scoring, criteria,
glossary). Editable text (foreword, strengths, areas for improvement, recommendations)
comes from the inspectors; where none is given the report says so plainly.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from inspectorate.domain.frameworks import Framework


def N_(message: str) -> str:
    """Mark a string for the message catalogue; the template translates it when rendering."""
    return message


GLOSSARY = (
    ("LoR", N_("Likelihood of reoffending")),
    ("MAPPA", N_("Multi-agency public protection arrangements")),
    ("NOMS", N_("National Offender Management Service")),
    ("OASys", N_("Offender assessment system")),
    ("RoSH", N_("Risk of serious harm")),
    ("SSO", N_("Suspended sentence order")),
    ("YOT", N_("Youth offending team")),
)
# The distribution of a published report (seed 003).
DISTRIBUTION = (
    N_("the relevant Ministers"),
    N_("other inspectorates"),
    N_("the Ministry of Justice Policy Group"),
    N_("NOMS"),
    N_("Police and Crime Commissioners"),
    N_("the press"),
    N_("the website"),
)
SAMPLE_DIMENSIONS = (
    ("case_type", N_("Case type")),
    ("rosh", N_("Risk of serious harm")),
    ("gender", N_("Gender")),
    ("ethnicity", N_("Ethnicity")),
    ("principal_offence", N_("Principal offence")),
)


@dataclass(frozen=True)
class Finding:
    """One question's result, as a sentence and as numbers."""

    question_id: str
    text: str
    sufficient: int
    applicable: int
    score: float


@dataclass(frozen=True)
class Chapter:
    """One headline outcome."""

    id: str
    name: str
    score: float | None
    band: str | None
    criteria: list[tuple[str, str, float]]
    findings: list[Finding]
    strengths: list[str]
    improvements: list[str]


@dataclass(frozen=True)
class HeadlineComparison:
    """A headline score beside the programme's aggregate of published inspections."""

    name: str
    score: float
    aggregate: float | None


@dataclass(frozen=True)
class ReportContext:
    """Everything a report template needs, already worked out."""

    body: str
    programme: str
    fieldwork_start: dt.date
    fieldwork_end: dt.date
    draft: bool
    in_wales: bool
    foreword: str
    chapters: list[Chapter]
    recommendations: list[str]
    sample: list[tuple[str, list[tuple[str, int, float]]]]
    sample_size: int
    aggregation: str
    criteria: list[tuple[str, str, str]]
    against_programme: list[HeadlineComparison]
    inspections_in_aggregate: int
    glossary: tuple[tuple[str, str], ...] = GLOSSARY
    distribution: tuple[str, ...] = field(default=())


def _sample_tables(cases: pd.DataFrame) -> list[tuple[str, list[tuple[str, int, float]]]]:
    tables = []
    for column, label in SAMPLE_DIMENSIONS:
        if column in cases and not cases.empty:
            counts = Counter(str(v) for v in cases[column].tolist())
            tables.append(
                (label, [(k, n, 100.0 * n / len(cases)) for k, n in sorted(counts.items())])
            )
    return tables


def build_report(
    *,
    framework: Framework,
    scores: Mapping[str, Any],
    cases: pd.DataFrame,
    body: str,
    programme: str,
    fieldwork_start: dt.date,
    fieldwork_end: dt.date,
    in_wales: bool,
    draft: bool,
    editable: Mapping[str, Any] | None = None,
    distribution: tuple[str, ...] = (),
    programme_aggregate: Mapping[str, float] | None = None,
    inspections_in_aggregate: int = 0,
) -> ReportContext:
    """Assemble a report from `inspectorate score --json`-shaped scores and the sample.

    `programme_aggregate` holds each headline's mean over the programme's published
    inspections (embargoed drafts never count), for the chart beside this body's scores.
    """
    editable = editable or {}
    aggregate = programme_aggregate or {}
    chapters = []
    for headline in framework.headlines:
        criteria = [c for c in framework.criteria if c.headline == headline.id]
        ids = {c.id for c in criteria}
        findings = [
            Finding(
                q.id,
                q.text,
                v["sufficient"],
                v["applicable"],
                v["score"],
            )
            for q in framework.questions
            if set(q.criteria) & ids
            for v in [scores["questions"].get(q.id)]
            if v
        ]
        score = scores["headline"].get(headline.id)
        notes = editable.get("outcomes", {}).get(headline.id, {})
        chapters.append(
            Chapter(
                headline.id,
                headline.name,
                score,
                framework.rating(score) if score is not None else None,
                [
                    (c.id, c.name, scores["criteria"][c.id])
                    for c in criteria
                    if c.id in scores["criteria"]
                ],
                findings,
                list(notes.get("strengths", [])),
                list(notes.get("improvements", [])),
            )
        )
    return ReportContext(
        body=body,
        programme=programme,
        fieldwork_start=fieldwork_start,
        fieldwork_end=fieldwork_end,
        draft=draft,
        in_wales=in_wales,
        foreword=str(editable.get("foreword", "")),
        chapters=chapters,
        recommendations=[str(r) for r in editable.get("recommendations", [])],
        sample=_sample_tables(cases),
        sample_size=len(cases),
        aggregation=framework.aggregation.value,
        criteria=[(c.id, c.name, c.kind) for c in framework.criteria],
        distribution=distribution,
        against_programme=[
            HeadlineComparison(c.name, c.score, aggregate.get(c.id))
            for c in chapters
            if c.score is not None
        ],
        inspections_in_aggregate=inspections_in_aggregate,
    )
