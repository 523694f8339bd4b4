"""The content of an inspection report, built from its scores and sample (pure).

Structure after seed 003: cover, foreword, summary of headline outcomes, a chapter per
outcome with the case assessment score and findings written from the data ("in 11 out of
the 18 relevant cases"), recommendations, and appendices (sample, scoring, criteria,
glossary). Editable text (foreword, strengths, areas for improvement, recommendations)
comes from the inspectors; where none is given the report says so plainly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from inspectorate.frameworks import Framework

GLOSSARY = (
    ("LoR", "Likelihood of reoffending"),
    ("MAPPA", "Multi-agency public protection arrangements"),
    ("NOMS", "National Offender Management Service"),
    ("OASys", "Offender assessment system"),
    ("RoSH", "Risk of serious harm"),
    ("SSO", "Suspended sentence order"),
    ("YOT", "Youth offending team"),
)
SAMPLE_DIMENSIONS = (
    ("case_type", "Case type"),
    ("rosh", "Risk of serious harm"),
    ("gender", "Gender"),
    ("ethnicity", "Ethnicity"),
    ("principal_offence", "Principal offence"),
)


@dataclass(frozen=True)
class Finding:
    """One question's result, as a sentence and as numbers."""

    question_id: str
    text: str
    sufficient: int
    applicable: int
    score: float
    sentence: str


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
class ReportContext:
    """Everything a report template needs, already worked out."""

    title: str
    body: str
    programme: str
    month_year: str
    fieldwork: str
    draft: bool
    in_wales: bool
    foreword: str
    chapters: list[Chapter]
    recommendations: list[str]
    sample: list[tuple[str, list[tuple[str, int, float]]]]
    sample_size: int
    aggregation: str
    criteria: list[tuple[str, str, str]]
    glossary: tuple[tuple[str, str], ...] = GLOSSARY
    distribution: tuple[str, ...] = field(default=())


def sentence(text: str, sufficient: int, applicable: int) -> str:
    """'<question> — in 11 out of the 18 relevant cases (61%).'"""
    share = 100 * sufficient / applicable
    cases = "case" if applicable == 1 else "cases"
    return (
        f"{text.rstrip('?')} — in {sufficient} out of the {applicable} relevant {cases} "
        f"({share:.0f}%)."
    )


def _sample_tables(cases: pd.DataFrame) -> list[tuple[str, list[tuple[str, int, float]]]]:
    tables = []
    for column, label in SAMPLE_DIMENSIONS:
        if column in cases and not cases.empty:
            counts = cases[column].value_counts().sort_index()
            tables.append(
                (label, [(str(k), int(v), 100.0 * v / len(cases)) for k, v in counts.items()])
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
) -> ReportContext:
    """Assemble a report from `inspectorate score --json`-shaped scores and the sample."""
    editable = editable or {}
    texts = {q.id: q.text for q in framework.questions}
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
                sentence(texts[q.id], v["sufficient"], v["applicable"]),
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
        title=f"{framework.name}: {body}",
        body=body,
        programme=framework.name,
        month_year=fieldwork_end.strftime("%B %Y"),
        fieldwork=f"{fieldwork_start:%-d %B %Y} to {fieldwork_end:%-d %B %Y}",
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
    )
