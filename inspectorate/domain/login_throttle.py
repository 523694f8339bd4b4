"""Throttling sign-in: wrong passwords counted per account name and per client address.

After `backoff_after` wrong passwords in a row, each further attempt must wait a doubling
delay (1 s, 2 s, 4 s, … never more than the lockout); the failure that reaches
`lockout_after` locks the key for `lockout`. An attempt refused for either reason is not
checked (no password hash is computed) and does not count. Failures are forgotten once
`lockout` has passed without one, and when a lockout ends; a right password clears its
account's count (not its address's: one good account must not excuse guesses at others).
Unknown account names are counted like real ones, so the answer never tells them apart.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

ACCOUNT = "account"
ADDRESS = "address"


@dataclass(frozen=True)
class ThrottlePolicy:
    """When to start making a key wait, when to lock it, and for how long."""

    backoff_after: int
    lockout_after: int
    lockout: dt.timedelta


@dataclass(frozen=True)
class Failures:
    """What is on record for one key: wrong passwords lately, the last one, any lockout."""

    count: int = 0
    last_at: dt.datetime | None = None
    locked_until: dt.datetime | None = None


NONE = Failures()


def current(state: Failures, policy: ThrottlePolicy, now: dt.datetime) -> Failures:
    """The record as it stands at `now`: forgotten after a quiet spell or an ended lockout."""
    if state.locked_until is not None:
        return state if now < state.locked_until else NONE
    if state.last_at is None or now - state.last_at >= policy.lockout:
        return NONE
    return state


def backoff(count: int, policy: ThrottlePolicy) -> dt.timedelta:
    """How long after the `count`-th wrong password in a row the next attempt must wait."""
    if count < policy.backoff_after:
        return dt.timedelta(0)
    steps = min(count - policy.backoff_after, 30)
    return min(dt.timedelta(seconds=2**steps), policy.lockout)


def refused_until(state: Failures, policy: ThrottlePolicy, now: dt.datetime) -> dt.datetime | None:
    """The moment the key may try again, if it may not try now."""
    state = current(state, policy, now)
    if state.locked_until is not None:
        return state.locked_until
    if state.last_at is None:
        return None
    until = state.last_at + backoff(state.count, policy)
    return until if until > now else None


def after_failure(state: Failures, policy: ThrottlePolicy, now: dt.datetime) -> Failures:
    """The record after one more wrong password at `now` (locked once the count is reached)."""
    count = current(state, policy, now).count + 1
    locked = now + policy.lockout if count >= policy.lockout_after else None
    return Failures(count=count, last_at=now, locked_until=locked)
