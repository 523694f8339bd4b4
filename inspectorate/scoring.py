"""Scoring fieldwork judgements with pandas: questions, criteria, headlines, breakdowns.

A question's score is the proportion of applicable judgements that were sufficient ('above
the line'). Not applicable never lowers a score; a question, criterion or headline with no
applicable judgement is left out, never counted as 0 %. Everything is vectorised: group-bys
over counts, no loop over rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from inspectorate.frameworks import Aggregation, Framework

SUFFICIENT, INSUFFICIENT, NOT_APPLICABLE = "sufficient", "insufficient", "not_applicable"
JUDGEMENTS = (SUFFICIENT, INSUFFICIENT, NOT_APPLICABLE)
DIMENSIONS = ("gender", "ethnicity", "age_band", "rosh")


def question_criteria(framework: Framework) -> pd.DataFrame:
    """Return (question_id, criterion_id, headline_id): one row per criterion a question serves."""
    headline_of = {c.id: c.headline for c in framework.criteria}
    rows = [(q.id, cid, headline_of[cid]) for q in framework.questions for cid in q.criteria]
    return pd.DataFrame(rows, columns=["question_id", "criterion_id", "headline_id"])


def question_counts(judgements: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Count sufficient and applicable judgements per `keys` + question."""
    frame = pd.DataFrame(
        {
            **{k: judgements[k] for k in keys},
            "question_id": judgements["question_id"],
            "sufficient": (judgements["judgement"] == SUFFICIENT).astype("int64"),
            "applicable": (judgements["judgement"] != NOT_APPLICABLE).astype("int64"),
        }
    )
    counts = frame.groupby([*keys, "question_id"], sort=True, observed=True)[
        ["sufficient", "applicable"]
    ].sum()
    return counts.reset_index()


def _percent(sufficient: pd.Series, applicable: pd.Series) -> pd.Series:
    return (100.0 * sufficient / applicable.where(applicable > 0)).astype("float64")


def aggregate(
    counts: pd.DataFrame, framework: Framework, keys: list[str]
) -> dict[str, pd.DataFrame]:
    """Turn per-question counts into question, criterion and headline scores per `keys`."""
    counts = counts[counts["applicable"] > 0].copy()
    counts["score"] = _percent(counts["sufficient"], counts["applicable"])
    mapping = question_criteria(framework)
    by_criterion = counts.merge(mapping[["question_id", "criterion_id"]], on="question_id")
    criteria = (
        by_criterion.groupby([*keys, "criterion_id"], observed=True)[["sufficient", "applicable"]]
        .sum()
        .reset_index()
    )
    criteria["score"] = _percent(criteria["sufficient"], criteria["applicable"])
    # A question counts once towards a headline even if two of its criteria sit under it.
    per_headline = counts.merge(
        mapping[["question_id", "headline_id"]].drop_duplicates(), on="question_id"
    )
    group = [*keys, "headline_id"]
    if framework.aggregation is Aggregation.MEAN_OF_QUESTIONS:
        headlines = per_headline.groupby(group, observed=True)["score"].mean().reset_index()
    elif framework.aggregation is Aggregation.POOLED:
        pooled = per_headline.groupby(group, observed=True)[["sufficient", "applicable"]].sum()
        headlines = pooled.reset_index()
        headlines["score"] = _percent(headlines["sufficient"], headlines["applicable"])
        headlines = headlines[[*group, "score"]]
    else:
        with_headline = criteria.merge(
            mapping[["criterion_id", "headline_id"]].drop_duplicates(), on="criterion_id"
        )
        headlines = with_headline.groupby(group, observed=True)["score"].mean().reset_index()
    return {"questions": counts, "criteria": criteria, "headlines": headlines}


@dataclass(frozen=True)
class Scores:
    """The numbers that go into a report."""

    framework: Framework
    questions: pd.DataFrame
    criteria: pd.DataFrame
    headlines: pd.DataFrame
    breakdowns: pd.DataFrame
    ratings: dict[str, str]

    def headline(self) -> dict[str, float]:
        """Return {headline id: score} for the headlines that have a score."""
        return dict(zip(self.headlines["headline_id"], self.headlines["score"], strict=True))

    def as_json(self, *, publication: bool = False) -> dict[str, Any]:
        """Return plain data; with `publication`, breakdown groups that are too small are hidden."""
        data: dict[str, Any] = {
            "questions": {
                q: {"sufficient": int(s), "applicable": int(a), "score": _round(p)}
                for q, s, a, p in self.questions[
                    ["question_id", "sufficient", "applicable", "score"]
                ].itertuples(index=False)
            },
            "criteria": {
                c: _round(p)
                for c, p in zip(self.criteria["criterion_id"], self.criteria["score"], strict=True)
            },
            "headline": {h: _round(p) for h, p in self.headline().items()},
        }
        if self.framework.rating_bands:
            data["bands"] = {h: self.framework.rating(p) for h, p in data["headline"].items()}
        if self.ratings:
            data["ratings"] = dict(self.ratings)
        if not self.breakdowns.empty:
            data["breakdowns"] = _breakdowns_json(self.breakdowns, publication)
        return data


def _round(value: float) -> float:
    return float(np.round(value, 1))


def _breakdowns_json(frame: pd.DataFrame, publication: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for (dimension, group), rows in frame.groupby(["dimension", "group"], sort=True):
        suppressed = bool(rows["suppressed"].iloc[0])
        entry: dict[str, Any] = {"cases": int(rows["cases"].iloc[0]), "suppressed": suppressed}
        if not (publication and suppressed):
            entry["headline"] = {
                h: _round(p) for h, p in zip(rows["headline_id"], rows["score"], strict=True)
            }
        out.setdefault(str(dimension), {})[str(group)] = entry
    return out


def breakdowns(judgements: pd.DataFrame, framework: Framework) -> pd.DataFrame:
    """Headline scores per group of each case attribute present (gender, ethnicity, ...).

    Groups with fewer cases than the framework's `min_group_size` are marked suppressed:
    they must not appear in anything published.
    """
    frames = []
    for dimension in (d for d in DIMENSIONS if d in judgements.columns):
        present = judgements[judgements[dimension].notna() & (judgements[dimension] != "")]
        if present.empty:
            continue
        keyed = present.rename(columns={dimension: "group"})
        headlines = aggregate(question_counts(keyed, ["group"]), framework, ["group"])["headlines"]
        cases = keyed.groupby("group", observed=True)["case_id"].nunique().rename("cases")
        headlines = headlines.merge(cases.reset_index(), on="group")
        headlines.insert(0, "dimension", dimension)
        frames.append(headlines)
    if not frames:
        return pd.DataFrame(
            columns=["dimension", "group", "headline_id", "score", "cases", "suppressed"]
        )
    result = pd.concat(frames, ignore_index=True)
    result["suppressed"] = result["cases"] < framework.min_group_size
    return result


def score(
    judgements: pd.DataFrame, framework: Framework, ratings: dict[str, str] | None = None
) -> Scores:
    """Score clean judgements (see fieldwork.read_judgements) against `framework`."""
    scored = aggregate(question_counts(judgements, []), framework, [])
    return Scores(
        framework=framework,
        questions=scored["questions"].reset_index(drop=True),
        criteria=scored["criteria"].reset_index(drop=True),
        headlines=scored["headlines"].reset_index(drop=True),
        breakdowns=breakdowns(judgements, framework),
        ratings=dict(ratings or {}),
    )
