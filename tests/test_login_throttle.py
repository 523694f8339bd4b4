"""The sign-in throttle's rules (pure): backoff, lockout, forgetting."""

from __future__ import annotations

import datetime as dt

from inspectorate.domain.login_throttle import (
    NONE,
    Failures,
    ThrottlePolicy,
    after_failure,
    backoff,
    refused_until,
)

POLICY = ThrottlePolicy(backoff_after=5, lockout_after=10, lockout=dt.timedelta(minutes=15))
T0 = dt.datetime(2014, 3, 3, 9, tzinfo=dt.UTC)


def fail_times(n: int, start: dt.datetime = T0) -> tuple[Failures, dt.datetime]:
    """n failures, each as soon as the throttle allows it; the state and the last time."""
    state, now = NONE, start
    for _ in range(n):
        now = refused_until(state, POLICY, now) or now
        state = after_failure(state, POLICY, now)
    return state, now


def test_the_first_failures_cost_no_wait() -> None:
    state, now = fail_times(4)
    assert state.count == 4 and refused_until(state, POLICY, now) is None


def test_from_the_fifth_failure_each_attempt_waits_twice_as_long() -> None:
    assert [backoff(n, POLICY).total_seconds() for n in range(4, 10)] == [0, 1, 2, 4, 8, 16]
    state, now = fail_times(7)
    assert refused_until(state, POLICY, now) == now + dt.timedelta(seconds=4)
    assert refused_until(state, POLICY, now + dt.timedelta(seconds=4)) is None


def test_the_tenth_failure_locks_for_the_lockout_then_everything_is_forgotten() -> None:
    state, now = fail_times(10)
    assert state.locked_until == now + dt.timedelta(minutes=15)
    assert refused_until(state, POLICY, now + dt.timedelta(minutes=14)) == state.locked_until
    later = now + dt.timedelta(minutes=15)
    assert refused_until(state, POLICY, later) is None
    assert after_failure(state, POLICY, later).count == 1


def test_failures_are_forgotten_after_a_quiet_spell_as_long_as_the_lockout() -> None:
    state, now = fail_times(9)
    assert after_failure(state, POLICY, now + dt.timedelta(minutes=15)) == Failures(
        1, now + dt.timedelta(minutes=15), None
    )


def test_the_wait_never_exceeds_the_lockout() -> None:
    wide = ThrottlePolicy(backoff_after=1, lockout_after=100, lockout=dt.timedelta(minutes=15))
    assert backoff(60, wide) == dt.timedelta(minutes=15)
