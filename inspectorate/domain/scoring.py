"""Scoring fieldwork judgements: questions, criteria, headlines and breakdowns.

A question's score is the proportion of applicable judgements that were sufficient ('above
the line'). Not applicable never lowers a score; a question, criterion or headline with no
applicable judgement is left out, never counted as 0 %.

Vectorised throughout: the judgements are counted once, per question and per combination
of case attributes, with one `numpy.bincount`; every score is then a small matrix product
of those counts with the framework's question → criterion → headline incidence.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from inspectorate.domain.frameworks import Aggregation, Framework

SUFFICIENT, INSUFFICIENT, NOT_APPLICABLE = "sufficient", "insufficient", "not_applicable"
JUDGEMENTS = (SUFFICIENT, INSUFFICIENT, NOT_APPLICABLE)
DIMENSIONS = ("gender", "ethnicity", "age_band", "rosh")


@dataclass(frozen=True)
class Incidence:
    """Which question serves which criterion and headline, as 0/1 matrices."""

    questions: tuple[str, ...]
    criteria: tuple[str, ...]
    headlines: tuple[str, ...]
    question_criterion: np.ndarray  # questions x criteria
    question_headline: np.ndarray  # questions x headlines (a question counts once per headline)
    criterion_headline: np.ndarray  # criteria x headlines


@lru_cache(maxsize=16)
def incidence(framework: Framework) -> Incidence:
    """Return the framework's incidence matrices (cached: frameworks are immutable)."""
    questions = tuple(q.id for q in framework.questions)
    criteria = tuple(c.id for c in framework.criteria if c.kind == "cases")
    headlines = tuple(h.id for h in framework.headlines)
    headline_of = {c.id: c.headline for c in framework.criteria}
    qc = np.zeros((len(questions), len(criteria)))
    qh = np.zeros((len(questions), len(headlines)))
    ch = np.zeros((len(criteria), len(headlines)))
    for qi, question in enumerate(framework.questions):
        for cid in question.criteria:
            qc[qi, criteria.index(cid)] = 1
            qh[qi, headlines.index(headline_of[cid])] = 1
    for ci, cid in enumerate(criteria):
        ch[ci, headlines.index(headline_of[cid])] = 1
    return Incidence(questions, criteria, headlines, qc, qh, ch)


def _ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(denominator > 0, 100.0 * numerator / denominator, np.nan)


def _mean_where_scored(scores: np.ndarray, membership: np.ndarray) -> np.ndarray:
    scored = ~np.isnan(scores)
    return _ratio(np.where(scored, scores, 0.0) @ membership, scored @ membership) / 100.0


def aggregate(
    sufficient: np.ndarray, applicable: np.ndarray, framework: Framework
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """From counts (groups x questions) return question, criterion and headline scores."""
    m = incidence(framework)
    questions = _ratio(sufficient, applicable)
    criteria = _ratio(sufficient @ m.question_criterion, applicable @ m.question_criterion)
    if framework.aggregation is Aggregation.MEAN_OF_QUESTIONS:
        headlines = _mean_where_scored(questions, m.question_headline)
    elif framework.aggregation is Aggregation.POOLED:
        headlines = _ratio(sufficient @ m.question_headline, applicable @ m.question_headline)
    else:
        headlines = _mean_where_scored(criteria, m.criterion_headline)
    return questions, criteria, headlines


def _codes(column: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Integer codes and labels of a text column (free when it is already categorical)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        return column.cat.codes.to_numpy(), column.cat.categories.astype(str).tolist()
    codes, labels = pd.factorize(column)
    return codes, [str(label) for label in labels]


def _case_codes(column: pd.Series) -> np.ndarray:
    if isinstance(column.dtype, pd.CategoricalDtype):
        return column.cat.codes.to_numpy()
    return pd.factorize(column)[0]


def _fixed_codes(column: pd.Series, labels: tuple[str, ...]) -> np.ndarray:
    return pd.Categorical(column, categories=list(labels)).codes.astype(np.int64)


@dataclass(frozen=True)
class Scores:
    """The numbers that go into a report."""

    framework: Framework
    questions: pd.DataFrame  # question_id, sufficient, applicable, score
    criteria: pd.DataFrame  # criterion_id, sufficient, applicable, score
    headlines: pd.DataFrame  # headline_id, score
    breakdowns: pd.DataFrame  # dimension, group, cases, headline_id, score, suppressed
    ratings: dict[str, str]

    def headline(self) -> dict[str, float]:
        """Return {headline id: score} for the headlines that have a score."""
        return dict(zip(self.headlines["headline_id"], self.headlines["score"], strict=True))

    def as_json(self, *, publication: bool = False) -> dict[str, Any]:
        """Return plain data; with `publication`, groups that are too small are hidden."""
        data: dict[str, Any] = {
            "questions": {
                q: {"sufficient": int(s), "applicable": int(a), "score": _round(p)}
                for q, s, a, p in self.questions.itertuples(index=False)
            },
            "criteria": dict(
                zip(self.criteria["criterion_id"], map(_round, self.criteria["score"]), strict=True)
            ),
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
                h: _round(p)
                for h, p in zip(rows["headline_id"], rows["score"], strict=True)
                if not np.isnan(p)
            }
        out.setdefault(str(dimension), {})[str(group)] = entry
    return out


def _table(
    ids: tuple[str, ...], name: str, scores: np.ndarray, **counts: np.ndarray
) -> pd.DataFrame:
    frame = pd.DataFrame({name: ids, **counts, "score": scores})
    return frame[~np.isnan(scores)].reset_index(drop=True)


def score(
    judgements: pd.DataFrame, framework: Framework, ratings: dict[str, str] | None = None
) -> Scores:
    """Score clean judgements (see fieldwork.read_judgements) against `framework`."""
    m = incidence(framework)
    nq = len(m.questions)
    question = _fixed_codes(judgements["question_id"], m.questions)
    verdict = _fixed_codes(judgements["judgement"], JUDGEMENTS)
    case = _case_codes(judgements["case_id"])
    n_cases = int(case.max()) + 1 if len(case) else 0
    first_row = np.empty(n_cases, dtype=np.int64)
    first_row[case[::-1]] = np.arange(len(case) - 1, -1, -1)  # a case's attributes: its first row

    # One pass over the rows: count per (combination of the case's attributes, question).
    dimensions = [d for d in DIMENSIONS if d in judgements.columns]
    per_case: list[tuple[str, np.ndarray, list[str]]] = []
    combo = np.zeros(n_cases, dtype=np.int64)
    for dimension in dimensions:
        codes, labels = _codes(judgements[dimension])
        per_case.append((dimension, codes[first_row], labels))
        combo = combo * (len(labels) + 1) + (codes[first_row] + 1)
    combos, case_combo = np.unique(combo, return_inverse=True)
    index = case_combo[case] * nq + question
    size = len(combos) * nq
    sufficient = np.bincount(index[verdict == 0], minlength=size).reshape(-1, nq)
    applicable = np.bincount(index[verdict != 2], minlength=size).reshape(-1, nq)

    total_s, total_a = sufficient.sum(axis=0), applicable.sum(axis=0)
    q_scores, c_scores, h_scores = aggregate(total_s[None, :], total_a[None, :], framework)
    frames = []
    for dimension, case_codes, labels in per_case:
        combo_value = np.zeros(len(combos), dtype=np.int64)
        combo_value[case_combo] = case_codes  # every case in a combo shares this value
        onehot = np.eye(len(labels) + 1)[combo_value + 1][:, 1:]  # drop missing (-1)
        group_h = aggregate(onehot.T @ sufficient, onehot.T @ applicable, framework)[2]
        cases = np.bincount(case_codes[case_codes >= 0], minlength=len(labels))
        frames.append(
            pd.DataFrame(
                {
                    "dimension": dimension,
                    "group": np.repeat(labels, len(m.headlines)),
                    "cases": np.repeat(cases, len(m.headlines)),
                    "headline_id": np.tile(m.headlines, len(labels)),
                    "score": group_h.ravel(),
                }
            )
        )
    breakdown = (
        pd.concat(frames, ignore_index=True)
        if frames
        else pd.DataFrame(columns=["dimension", "group", "cases", "headline_id", "score"])
    )
    breakdown = breakdown[(breakdown["group"] != "") & breakdown["score"].notna()]
    breakdown = breakdown.assign(suppressed=breakdown["cases"] < framework.min_group_size)
    mc = m.question_criterion
    return Scores(
        framework=framework,
        questions=_table(
            m.questions, "question_id", q_scores[0], sufficient=total_s, applicable=total_a
        ),
        criteria=_table(
            m.criteria,
            "criterion_id",
            c_scores[0],
            sufficient=(total_s @ mc).astype(np.int64),
            applicable=(total_a @ mc).astype(np.int64),
        ),
        headlines=_table(m.headlines, "headline_id", h_scores[0]),
        breakdowns=breakdown.reset_index(drop=True),
        ratings=dict(ratings or {}),
    )
