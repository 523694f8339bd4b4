"""Fieldwork judgements: reading the team's spreadsheet and checking every row."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

import pandas as pd

from inspectorate.adapters.tables import problems_where, read_table
from inspectorate.domain.errors import InvalidFile
from inspectorate.domain.frameworks import Framework
from inspectorate.domain.scoring import DIMENSIONS, JUDGEMENTS

REQUIRED = ("case_id", "question_id", "judgement")
_ALIASES = {"not applicable": "not_applicable", "n/a": "not_applicable", "na": "not_applicable"}


def read_judgements(
    path: Path, framework: Framework, sample: Collection[str] | None = None
) -> pd.DataFrame:
    """Return the judgements in `path`, checked against the framework (and the sample).

    Raises InvalidFile listing every bad row and column: empty case ids, unknown questions,
    cases not in the sample, judgements other than sufficient / insufficient /
    not_applicable, and the same case and question twice.
    """
    frame = read_table(path, REQUIRED)
    frame["judgement"] = frame["judgement"].str.lower().replace(_ALIASES)
    questions = {q.id for q in framework.questions}
    problems: list[str] = []
    problems += problems_where(frame, frame["case_id"] == "", "case_id", "empty case id")
    problems += problems_where(
        frame,
        ~frame["question_id"].isin(questions),
        "question_id",
        f"unknown question {{value!r}} in framework {framework.code}",
    )
    if sample is not None:
        problems += problems_where(
            frame,
            (frame["case_id"] != "") & ~frame["case_id"].isin(list(sample)),
            "case_id",
            "case {value!r} is not in this inspection's sample",
        )
    problems += problems_where(
        frame,
        ~frame["judgement"].isin(JUDGEMENTS),
        "judgement",
        "{value!r} is not one of " + ", ".join(JUDGEMENTS),
    )
    duplicated = frame.duplicated(["case_id", "question_id"], keep="first")
    problems += problems_where(
        frame,
        duplicated,
        "question_id",
        "{value!r} is judged twice for the same case (keep one row)",
    )
    for dimension in (d for d in DIMENSIONS if d in frame.columns):
        varies = frame.groupby("case_id")[dimension].transform("nunique") > 1
        problems += problems_where(
            frame,
            varies & (frame["case_id"] != ""),
            dimension,
            f"{{value!r}} disagrees with this case's {dimension} on another row",
        )
    if problems:
        problems.sort(key=lambda p: int(p.split(",")[0].removeprefix("row ")))
        raise InvalidFile(str(path), problems)
    # Categorical columns: a fraction of the memory, and scoring reads their codes directly.
    return frame.drop(columns=["row"]).astype("category")


def read_ratings(path: Path, framework: Framework) -> dict[str, str]:
    """Return {criterion id: rating} for descriptive criteria (e.g. ESI section A)."""
    frame = read_table(path, ("criterion_id", "rating"))
    descriptive = {c.id for c in framework.criteria if c.kind == "descriptive"}
    scale = {s.lower(): s for s in framework.descriptive_scale}
    problems = problems_where(
        frame,
        ~frame["criterion_id"].isin(descriptive),
        "criterion_id",
        "{value!r} is not a descriptive criterion of " + framework.code,
    )
    problems += problems_where(
        frame,
        ~frame["rating"].str.lower().isin(scale),
        "rating",
        "{value!r} is not one of " + " / ".join(framework.descriptive_scale),
    )
    problems += problems_where(
        frame, frame.duplicated(["criterion_id"]), "criterion_id", "{value!r} is rated twice"
    )
    if problems:
        raise InvalidFile(str(path), problems)
    return {
        c: scale[r.lower()] for c, r in zip(frame["criterion_id"], frame["rating"], strict=True)
    }
