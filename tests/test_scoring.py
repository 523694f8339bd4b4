"""Scoring: hand-computed cases for each aggregation, and properties that must always hold."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inspectorate.adapters.config_files import load_frameworks
from inspectorate.domain.frameworks import Aggregation, Framework
from inspectorate.domain.scoring import JUDGEMENTS, score

IAOW = load_frameworks(Path(__file__).resolve().parent.parent / "config" / "frameworks")["iaow"]
S, X, NA = "sufficient", "insufficient", "not_applicable"


def tiny(aggregation: Aggregation, min_group_size: int = 2) -> Framework:
    """Two headlines; Q3 counts towards a criterion under each; Q4 is never applicable."""
    return Framework.model_validate(
        {
            "code": "tiny",
            "name": "Tiny",
            "aggregation": aggregation,
            "min_group_size": min_group_size,
            "headlines": [{"id": "H1", "name": "One"}, {"id": "H2", "name": "Two"}],
            "criteria": [
                {"id": "C1", "headline": "H1", "name": "c1"},
                {"id": "C2", "headline": "H1", "name": "c2"},
                {"id": "C3", "headline": "H2", "name": "c3"},
            ],
            "questions": [
                {"id": "Q1", "criteria": ["C1"], "text": "q1"},
                {"id": "Q2", "criteria": ["C1"], "text": "q2"},
                {"id": "Q3", "criteria": ["C2", "C3"], "text": "q3"},
                {"id": "Q4", "criteria": ["C3"], "text": "q4"},
            ],
            "rating_bands": [
                {"min": 80, "label": "Outstanding"},
                {"min": 65, "label": "Good"},
                {"min": 50, "label": "Requires improvement"},
                {"min": 0, "label": "Inadequate"},
            ],
        }
    )


GRID = {"Q1": [S, S, X, NA], "Q2": [S, X, X, X], "Q3": [S, NA, NA, X], "Q4": [NA, NA, NA, NA]}
GENDER = {"a": "Female", "b": "Female", "c": "Male", "d": "Male"}


def judgements(grid: dict[str, list[str]] = GRID) -> pd.DataFrame:
    rows = [
        (case, q, j) for q, column in grid.items() for case, j in zip("abcd", column, strict=True)
    ]
    frame = pd.DataFrame(rows, columns=["case_id", "question_id", "judgement"])
    frame["gender"] = frame["case_id"].map(GENDER)
    return frame


def test_question_scores_count_only_applicable_judgements() -> None:
    data = score(judgements(), tiny(Aggregation.POOLED)).as_json()
    assert data["questions"] == {
        "Q1": {"sufficient": 2, "applicable": 3, "score": 66.7},
        "Q2": {"sufficient": 1, "applicable": 4, "score": 25.0},
        "Q3": {"sufficient": 1, "applicable": 2, "score": 50.0},
    }


def test_a_question_with_no_applicable_case_is_left_out_not_zero() -> None:
    data = score(judgements(), tiny(Aggregation.MEAN_OF_QUESTIONS)).as_json()
    assert "Q4" not in data["questions"]
    assert data["headline"]["H2"] == 50.0  # Q3 alone, not (50 + 0) / 2


def test_criteria_pool_their_questions() -> None:
    data = score(judgements(), tiny(Aggregation.POOLED)).as_json()
    assert data["criteria"] == {"C1": 42.9, "C2": 50.0, "C3": 50.0}  # C1 = 3 / 7


@pytest.mark.parametrize(
    ("aggregation", "h1"),
    [
        (Aggregation.MEAN_OF_QUESTIONS, 47.2),  # (66.67 + 25 + 50) / 3
        (Aggregation.POOLED, 44.4),  # (2 + 1 + 1) / (3 + 4 + 2)
        (Aggregation.MEAN_OF_CRITERIA, 46.4),  # (42.86 + 50) / 2
    ],
)
def test_headline_by_each_aggregation(aggregation: Aggregation, h1: float) -> None:
    data = score(judgements(), tiny(aggregation)).as_json()
    assert data["headline"] == {"H1": h1, "H2": 50.0}


def test_a_question_in_two_sections_counts_in_both() -> None:
    only_q3 = {"Q1": [NA] * 4, "Q2": [NA] * 4, "Q3": [S, S, S, X], "Q4": [NA] * 4}
    data = score(judgements(only_q3), tiny(Aggregation.POOLED)).as_json()
    assert data["headline"] == {"H1": 75.0, "H2": 75.0}


def test_rating_bands_follow_the_headline_score() -> None:
    data = score(judgements(), tiny(Aggregation.POOLED)).as_json()
    assert data["bands"] == {"H1": "Inadequate", "H2": "Requires improvement"}


def test_breakdown_by_gender() -> None:
    data = score(judgements(), tiny(Aggregation.POOLED)).as_json()
    women = data["breakdowns"]["gender"]["Female"]
    assert women["cases"] == 2 and not women["suppressed"]
    assert women["headline"]["H1"] == 80.0  # Q1 2/2, Q2 1/2, Q3 1/1: 4 of 5
    assert data["breakdowns"]["gender"]["Male"]["headline"] == {"H1": 0.0, "H2": 0.0}


def test_small_groups_are_suppressed_only_for_publication() -> None:
    framework = tiny(Aggregation.POOLED, min_group_size=3)
    internal = score(judgements(), framework).as_json()
    published = score(judgements(), framework).as_json(publication=True)
    assert internal["breakdowns"]["gender"]["Female"]["suppressed"] is True
    assert "headline" in internal["breakdowns"]["gender"]["Female"]
    assert "headline" not in published["breakdowns"]["gender"]["Female"]
    assert published["breakdowns"]["gender"]["Female"]["cases"] == 2


judgement_rows = st.lists(
    st.tuples(
        st.integers(0, 30),
        st.sampled_from([q.id for q in IAOW.questions]),
        st.sampled_from(JUDGEMENTS),
    ),
    min_size=1,
    max_size=200,
    unique_by=lambda r: (r[0], r[1]),
)


def _frame(rows: list[tuple[int, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(
        [(f"c{c}", q, j) for c, q, j in rows], columns=["case_id", "question_id", "judgement"]
    )


@settings(max_examples=60, deadline=None)
@given(judgement_rows)
def test_every_score_is_between_0_and_100(rows: list[tuple[int, str, str]]) -> None:
    data = score(_frame(rows), IAOW).as_json()
    values = [q["score"] for q in data["questions"].values()]
    values += list(data["criteria"].values()) + list(data["headline"].values())
    assert all(0.0 <= v <= 100.0 for v in values)


@settings(max_examples=60, deadline=None)
@given(judgement_rows, st.lists(st.sampled_from([q.id for q in IAOW.questions]), max_size=30))
def test_adding_not_applicable_rows_changes_nothing(
    rows: list[tuple[int, str, str]], extra: list[str]
) -> None:
    base = score(_frame(rows), IAOW).as_json()
    padded = pd.concat(
        [
            _frame(rows),
            pd.DataFrame(
                [(f"new{i}", q, NA) for i, q in enumerate(extra)],
                columns=["case_id", "question_id", "judgement"],
            ),
        ],
        ignore_index=True,
    )
    assert score(padded, IAOW).as_json() == base


@settings(max_examples=60, deadline=None)
@given(judgement_rows, st.randoms(use_true_random=False))
def test_row_order_changes_nothing(rows: list[tuple[int, str, str]], rng) -> None:  # type: ignore[no-untyped-def]
    shuffled = list(rows)
    rng.shuffle(shuffled)
    assert score(_frame(shuffled), IAOW).as_json() == score(_frame(rows), IAOW).as_json()
