"""Synthetic caseloads and judgements: seeded, plausible, tunable."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from inspectorate.adapters.config_files import load_frameworks
from inspectorate.domain.scoring import score
from inspectorate.domain.synthetic import caseload, judgements, quality_of

IAOW = load_frameworks(Path(__file__).resolve().parent.parent / "config" / "frameworks")["iaow"]
DAY = dt.date(2014, 2, 10)


def test_caseloads_are_reproducible() -> None:
    pd.testing.assert_frame_equal(caseload("Kent", 300, DAY, 1), caseload("Kent", 300, DAY, 1))
    assert not caseload("Kent", 300, DAY, 1).equals(caseload("Kent", 300, DAY, 2))


def test_quality_level_moves_the_scores() -> None:
    cases = caseload("Kent", 200, DAY, 1)
    poor = score(judgements(cases, IAOW, 0.35, 1), IAOW).headline()
    good = score(judgements(cases, IAOW, 0.85, 1), IAOW).headline()
    assert all(poor[h] + 30 < good[h] for h in good)


def test_every_case_answers_every_question() -> None:
    cases = caseload("Kent", 20, DAY, 1)
    frame = judgements(cases, IAOW, quality_of("Kent"), 1)
    assert len(frame) == 20 * len(IAOW.questions)
    assert not frame.duplicated(["case_id", "question_id"]).any()


def test_quality_of_a_body_is_stable_and_in_range() -> None:
    assert quality_of("Kent") == quality_of("Kent")
    assert 0.45 <= quality_of("Cumbria") <= 0.9
