"""The content of an inspection report, built from its scores and sample (pure).

Structure after seed 003: a cover (inspectorate, programme, body, month of publication),
contents, the foreword signed by the Chief Inspector, a summary of headline outcomes, a
chapter per outcome with the case assessment score and findings written from the data ("in
11 out of the 18 relevant cases", numbered as the chapter's chart numbers its bars),
recommendations, and appendices (sample, scoring, criteria, glossary). Editable text
(foreword, strengths, areas for improvement, recommendations) comes from the inspectors;
where none is given the report says so plainly. Ratings appear only where the framework
defines rating bands, the programme comparison only once inspections have been published.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import pandas as pd

from inspectorate.domain.frameworks import Framework
from inspectorate.domain.identity import Inspectorate, Person


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
# Groups in their natural order (risk levels rising, case types as seed 003 l.650 lists
# them); any other group follows alphabetically, 'other' last.
GROUP_ORDER = {
    "case_type": (
        N_("community order"),
        N_("suspended sentence order"),
        N_("post-custody licence"),
    ),
    "rosh": (N_("low"), N_("medium"), N_("high"), N_("very high")),
}
# Group names of the other dimensions as caseload extracts write them, and the kinds of
# criteria, for the catalogue (a report translates them with its `translated` filter).
GROUP_WORDS = (
    N_("Female"),
    N_("Male"),
    N_("Asian"),
    N_("Black"),
    N_("Mixed"),
    N_("White"),
    N_("Other"),
    N_("burglary"),
    N_("drug offences"),
    N_("motoring"),
    N_("other"),
    N_("sexual offences"),
    N_("theft and handling"),
    N_("violence against the person"),
    N_("interviews"),  # criteria judged from interviews or rated, not scored from cases
    N_("descriptive"),
)


@dataclass(frozen=True)
class Finding:
    """One question's result, as a sentence and as numbers."""

    question_id: str
    text: str
    sufficient: int
    applicable: int
    score: float
    number: int = 0  # its number in the chapter's text and chart (1, 2, ...)


@dataclass(frozen=True)
class Chapter:
    """One headline outcome."""

    id: str
    name: str
    score: float | None
    band: str | None
    criteria: list[tuple[str, float]]  # (as the report names it, score)
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
    published_on: dt.date  # the month on the cover (planned, until the report is published)
    inspectorate: Inspectorate
    signatory: Person  # signs the foreword: the Chief Inspector at publication
    rated: bool  # the framework defines rating bands
    draft: bool
    in_wales: bool
    foreword: str
    chapters: list[Chapter]
    recommendations: list[str]
    sample: list[tuple[str, list[tuple[str, int, float]]]]
    sample_size: int
    aggregation: str
    criteria: list[tuple[str, str]]  # (as the report names it, kind)
    against_programme: list[HeadlineComparison]
    inspections_in_aggregate: int  # none: no comparison with the programme is shown
    glossary: tuple[tuple[str, str], ...] = GLOSSARY
    distribution: tuple[str, ...] = field(default=())
    kind: str = "inspection"  # or "reinspection", "follow_up": the cover says which


def group_order(dimension: str, group: str) -> tuple[int, int, str]:
    """Sort key of a sample group: the natural order where known, else alphabetical, other last."""
    known = GROUP_ORDER.get(dimension, ())
    if group in known:
        return (0, known.index(group), "")
    return (1, int(group.lower() == "other"), group.lower())


def _sample_tables(cases: pd.DataFrame) -> list[tuple[str, list[tuple[str, int, float]]]]:
    tables = []
    for column, label in SAMPLE_DIMENSIONS:
        if column in cases and not cases.empty:
            counts = Counter(str(v) for v in cases[column].tolist())
            groups = sorted(counts, key=partial(group_order, column))
            tables.append((label, [(g, counts[g], 100.0 * counts[g] / len(cases)) for g in groups]))
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
    published_on: dt.date,
    inspectorate: Inspectorate,
    in_wales: bool,
    draft: bool,
    editable: Mapping[str, Any] | None = None,
    distribution: tuple[str, ...] = (),
    programme_aggregate: Mapping[str, float] | None = None,
    inspections_in_aggregate: int = 0,
    kind: str = "inspection",
) -> ReportContext:
    """Assemble a report from `inspectorate score --json`-shaped scores and the sample.

    `programme_aggregate` holds each headline's mean over the programme's published
    inspections (embargoed drafts never count), for the chart beside this body's scores;
    `published_on` is the day of publication, planned or done (the cover's month).
    """
    editable = editable or {}
    aggregate = programme_aggregate or {}
    chapters = []
    for headline in framework.headlines:
        criteria = [c for c in framework.criteria if c.headline == headline.id]
        ids = {c.id for c in criteria}
        answered = [
            (q, v)
            for q in framework.questions
            if set(q.criteria) & ids
            for v in [scores["questions"].get(q.id)]
            if v
        ]
        findings = [
            Finding(q.id, q.text, v["sufficient"], v["applicable"], v["score"], number)
            for number, (q, v) in enumerate(answered, start=1)
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
                    (framework.criterion_label(c.id), scores["criteria"][c.id])
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
        published_on=published_on,
        inspectorate=inspectorate,
        signatory=inspectorate.chief_inspector_on(published_on),
        rated=bool(framework.rating_bands),
        draft=draft,
        in_wales=in_wales,
        foreword=str(editable.get("foreword", "")),
        chapters=chapters,
        recommendations=[str(r) for r in editable.get("recommendations", [])],
        sample=_sample_tables(cases),
        sample_size=len(cases),
        aggregation=framework.aggregation.value,
        criteria=[(framework.criterion_label(c.id), c.kind) for c in framework.criteria],
        distribution=distribution,
        against_programme=[
            HeadlineComparison(c.name, c.score, aggregate.get(c.id))
            for c in chapters
            if c.score is not None
        ],
        inspections_in_aggregate=inspections_in_aggregate,
        kind=kind,
    )
