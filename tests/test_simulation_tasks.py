"""The scripted people's one task a simulated day: their steps, what those owe, the next day."""

from __future__ import annotations

import datetime as dt

import pytest

from inspectorate.domain.lifecycle import Stage
from inspectorate.services import people
from inspectorate.services.stages import StageOutcome
from tasks.simulation import people_act
from tests.factories import announced_letters_owed, effects_owed, morning, with_documents

pytestmark = pytest.mark.usefixtures("sqlite_database")


def test_what_the_peoples_stages_owe_is_carried_out_in_their_task(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    moved, still = announced_letters_owed("Durham Tees Valley", "Wales")
    day = dt.date(2013, 12, 3)

    def one_step_taken(**_kwargs: object) -> tuple[list[StageOutcome], dt.date | None]:
        outcomes = [
            StageOutcome(moved, Stage.ANNOUNCE, "planned", "announced", moved=True),
            StageOutcome(still, Stage.ANNOUNCE, "announced", "announced", moved=False),
        ]
        return outcomes, dt.date(2013, 12, 4)

    monkeypatch.setattr(people, "act_then_look_ahead", one_step_taken)
    outcomes, next_day = people_act.fn(day, 1, morning(day.isoformat(), 10))
    assert next_day == dt.date(2013, 12, 4) and len(outcomes) == 2
    # Only the inspection whose stage moved: the other's letter is the next sweep's.
    assert with_documents() == {moved} and set(effects_owed()) == {still}
