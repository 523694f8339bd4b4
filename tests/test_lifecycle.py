"""The one table of legal lifecycle steps."""

from __future__ import annotations

import itertools

import pytest

from inspectorate.domain.errors import InvalidTransition
from inspectorate.domain.lifecycle import (
    FINAL_STATUSES,
    TRANSITIONS,
    Stage,
    Status,
    next_status,
    status_after,
    status_before,
)

LEGAL = sorted(TRANSITIONS.items())
ILLEGAL = [pair for pair in itertools.product(Status, Stage) if pair not in TRANSITIONS]


@pytest.mark.parametrize(("pair", "expected"), LEGAL, ids=[f"{s}-{t}" for (s, t), _ in LEGAL])
def test_every_legal_step_leads_to_its_status(pair: tuple[Status, Stage], expected: Status) -> None:
    assert next_status(*pair) is expected


@pytest.mark.parametrize("pair", ILLEGAL, ids=[f"{s}-{t}" for s, t in ILLEGAL])
def test_every_illegal_step_is_refused_with_the_allowed_ones(pair: tuple[Status, Stage]) -> None:
    status, stage = pair
    with pytest.raises(InvalidTransition, match=f"cannot {stage.value} an inspection that is"):
        next_status(status, stage)


def test_the_happy_path_runs_announce_to_action_plan() -> None:
    status = Status.PLANNED
    for stage in list(Stage)[:-1]:
        status = next_status(status, stage)
    assert status is Status.ACTION_PLAN_RECEIVED


def test_final_statuses_allow_no_step() -> None:
    for status in FINAL_STATUSES:
        assert not [s for (frm, s) in TRANSITIONS if frm is status]


def test_cannot_cancel_after_fieldwork() -> None:
    with pytest.raises(InvalidTransition, match="allowed steps are: score"):
        next_status(Status.FIELDWORK_COMPLETE, Stage.CANCEL)


def test_each_forward_stage_has_one_start_and_one_end() -> None:
    for stage in Stage:
        if stage is not Stage.CANCEL:
            assert TRANSITIONS[(status_before(stage), stage)] is status_after(stage)


def test_illegal_transition_is_also_a_value_error() -> None:
    with pytest.raises(ValueError):
        next_status(Status.PUBLISHED, Stage.ANNOUNCE)
