"""Trying a part of a task again: only after a failure a second attempt can fix."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import OperationalError

from inspectorate.domain.errors import DeliveryError, InvalidTransition
from tasks import retry


@pytest.fixture(autouse=True)
def no_waiting(monkeypatch: pytest.MonkeyPatch) -> None:
    """The delays are the tasks' own (2 s, 10 s): not waited here."""
    monkeypatch.setattr(retry, "RETRY_DELAYS", [0.0, 0.0])


def failing(times: int, error: Exception) -> tuple[list[int], object]:
    """An attempt that fails `times` times with `error`, then returns how often it ran."""
    calls: list[int] = []

    def attempt() -> int:
        calls.append(1)
        if len(calls) <= times:
            raise error
        return len(calls)

    return calls, attempt


def test_a_locked_database_or_a_refused_mail_is_tried_again() -> None:
    _, locked = failing(2, OperationalError("UPDATE", {}, Exception("database is locked")))
    assert retry.retrying(locked) == 3  # type: ignore[arg-type]
    _, refused = failing(1, DeliveryError("the mail server went away"))
    assert retry.retrying(refused) == 2  # type: ignore[arg-type]


def test_a_bad_transition_is_raised_at_once() -> None:
    calls, wrong = failing(1, InvalidTransition("cannot score a planned inspection"))
    with pytest.raises(InvalidTransition):
        retry.retrying(wrong)  # type: ignore[arg-type]
    assert len(calls) == 1


def test_past_its_retries_the_failure_is_raised() -> None:
    calls, always = failing(9, DeliveryError("the mail server went away"))
    with pytest.raises(DeliveryError):
        retry.retrying(always)  # type: ignore[arg-type]
    assert len(calls) == retry.RETRIES + 1
