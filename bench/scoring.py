"""Benchmark: scoring 1,000,000 judgements (10,000 cases x 100 questions) with breakdowns.

The vectorised scorer (inspectorate.scoring.score, on categorical columns as
fieldwork.read_judgements returns them) against a plain row-by-row Python
loop computing the same question, criterion, headline and breakdown scores, in one run on
the same data; the two results are checked equal. Prints both times and the ratio.

Goal (issue 3): under 1 s and at least 50x faster than the loop.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from inspectorate.domain.frameworks import Framework  # noqa: E402
from inspectorate.domain.scoring import DIMENSIONS, score  # noqa: E402

CASES, QUESTIONS = 10_000, 100


def framework() -> Framework:
    """Five headlines x four criteria x five questions; every tenth question also counts
    towards the next headline's first criterion (a question in two sections)."""
    headlines = [{"id": f"H{h}", "name": f"Headline {h}"} for h in range(5)]
    criteria = [
        {"id": f"C{h}.{c}", "headline": f"H{h}", "name": f"c{h}.{c}"}
        for h in range(5)
        for c in range(4)
    ]
    questions = []
    for n in range(QUESTIONS):
        h, c = divmod(n // 5, 4)
        ids = [f"C{h}.{c}"] + ([f"C{(h + 1) % 5}.0"] if n % 10 == 0 else [])
        questions.append({"id": f"Q{n:03d}", "criteria": ids, "text": f"question {n}"})
    return Framework.model_validate(
        {
            "code": "bench",
            "name": "Bench",
            "aggregation": "mean_of_questions",
            "headlines": headlines,
            "criteria": criteria,
            "questions": questions,
        }
    )


def judgements(seed: int = 7) -> pd.DataFrame:
    """Every case answers every question; a tenth not applicable."""
    rng = np.random.default_rng(seed)
    n = CASES * QUESTIONS
    case = np.repeat(np.arange(CASES), QUESTIONS)
    attributes = {
        "gender": rng.choice(["Male", "Female"], CASES, p=[0.85, 0.15]),
        "ethnicity": rng.choice(
            ["White", "Black", "Asian", "Mixed", "Other"], CASES, p=[0.8, 0.08, 0.07, 0.04, 0.01]
        ),
        "age_band": rng.choice(["18-20", "21-24", "25-49", "50+"], CASES),
        "rosh": rng.choice(["low", "medium", "high", "very high"], CASES, p=[0.3, 0.5, 0.18, 0.02]),
    }
    frame = pd.DataFrame(
        {
            "case_id": pd.Series(case).map(lambda c: f"case{c:05d}"),
            "question_id": np.tile([f"Q{q:03d}" for q in range(QUESTIONS)], CASES),
            "judgement": rng.choice(
                ["sufficient", "insufficient", "not_applicable"], n, p=[0.6, 0.3, 0.1]
            ),
        }
    )
    for name, values in attributes.items():
        frame[name] = values[case]
    return frame.astype("category")  # as fieldwork.read_judgements returns them


def loop_scores(rows: list[tuple[str, ...]], fw: Framework) -> dict[str, object]:
    """The same scores computed one row at a time in plain Python."""
    criteria_of = {q.id: q.criteria for q in fw.questions}
    headline_of = {c.id: c.headline for c in fw.criteria}
    counts: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0])
    cases: dict[tuple[str, str], set[str]] = defaultdict(set)
    for case_id, question, judgement, *attributes in rows:
        groups = [("", "")] + list(zip(DIMENSIONS, attributes, strict=True))
        for dimension, group in groups:
            entry = counts[(dimension, group, question)]
            if judgement != "not_applicable":
                entry[1] += 1
                if judgement == "sufficient":
                    entry[0] += 1
            cases[(dimension, group)].add(case_id)
    per_group: dict[tuple[str, str], dict[str, list[float]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for (dimension, group, question), (sufficient, applicable) in counts.items():
        if applicable:
            for headline in {headline_of[c] for c in criteria_of[question]}:
                per_group[(dimension, group)][headline].append(100.0 * sufficient / applicable)
    return {
        key: {h: round(sum(v) / len(v), 1) for h, v in scores.items()}
        for key, scores in per_group.items()
    }


def main() -> None:
    """Time both on the same data and print the figures."""
    fw, frame = framework(), judgements()
    timings = []
    for _ in range(3):
        began = time.perf_counter()
        result = score(frame, fw)
        timings.append(time.perf_counter() - began)
    vectorised = statistics.median(timings)
    rows = list(
        frame[["case_id", "question_id", "judgement", *DIMENSIONS]].itertuples(
            index=False, name=None
        )
    )
    began = time.perf_counter()
    looped = loop_scores(rows, fw)
    loop = time.perf_counter() - began
    headline = {h: round(s, 1) for h, s in result.headline().items()}
    assert looped[("", "")] == headline, "the loop and pandas must agree"
    for (dimension, group), scores in looped.items():
        if dimension:
            rows_ = result.breakdowns[
                (result.breakdowns["dimension"] == dimension)
                & (result.breakdowns["group"] == group)
            ]
            assert {
                h: round(s, 1) for h, s in zip(rows_["headline_id"], rows_["score"], strict=True)
            } == scores
    print(
        f"scoring {len(frame):,} judgements ({CASES:,} cases x {QUESTIONS} questions) "
        f"with breakdowns by {', '.join(DIMENSIONS)}"
    )
    print(f"  row-by-row Python loop (baseline): {loop:.3f} s")
    print(f"  vectorised (median of 3):          {vectorised:.3f} s")
    print(f"  speed-up:                          {loop / vectorised:.1f}x")
    print(
        f"  goal: under 1 s ({'met' if vectorised < 1 else 'NOT met'}), at least 50x "
        f"({'met' if loop / vectorised >= 50 else 'NOT met'})"
    )


if __name__ == "__main__":
    main()
