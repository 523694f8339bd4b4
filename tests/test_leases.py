"""Leases in the record: one holder at a time, expiry, supersession, release, all audited."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import delete
from sqlmodel import select

from inspectorate.adapters.leases import Lease
from inspectorate.adapters.models import AuditEvent
from inspectorate.services import context, leases


@pytest.fixture
def database(database: str) -> str:
    """The record, with no lease left by an earlier test (PostgreSQL's is shared)."""
    with context.unit_of_work() as session:
        session.execute(delete(Lease))
    return database


T0 = dt.datetime(2026, 11, 28, 6, 0, tzinfo=dt.UTC)
NAME = "deadline-sweep"


def take(holder: str, at: dt.datetime = T0, seconds: float = 60) -> leases.LeaseState:
    return context.run(leases.take, name=NAME, holder=holder, now=at, seconds=seconds)


def audited() -> list[tuple[str, str | None, str | None]]:
    with context.reading() as session:
        rows = session.exec(select(AuditEvent).where(AuditEvent.entity == "lease"))
        return [(e.action, e.from_state, e.to_state) for e in rows]


def test_a_free_lease_is_taken_and_the_taking_audited(database: str) -> None:
    state = take("sweep A")
    assert state.taken and state.holder == "sweep A"
    assert state.expires_at == T0 + dt.timedelta(seconds=60)
    assert audited() == [("take", "free", "held")]


def test_a_held_lease_is_refused_to_another_and_names_its_holder(database: str) -> None:
    take("sweep A")
    refused = take("sweep B", at=T0 + dt.timedelta(seconds=59))
    assert not refused.taken
    assert (refused.holder, refused.expires_at) == ("sweep A", T0 + dt.timedelta(seconds=60))
    with context.reading() as session:
        assert leases.holder_of(session, name=NAME, now=T0) == "sweep A"


def test_the_holder_taking_again_keeps_it(database: str) -> None:
    take("sweep A")
    again = take("sweep A", at=T0 + dt.timedelta(seconds=30))
    assert again.taken and again.expires_at == T0 + dt.timedelta(seconds=90)


def test_a_lease_its_holder_stopped_renewing_is_superseded_once_expired(database: str) -> None:
    take("sweep A")
    state = take("sweep B", at=T0 + dt.timedelta(seconds=61))
    assert state.taken and state.holder == "sweep B"
    assert audited() == [("take", "free", "held"), ("supersede", "expired", "held")]
    kept = context.run(
        leases.renew, name=NAME, holder="sweep A", now=T0 + dt.timedelta(seconds=62), seconds=60
    )
    assert not kept  # the dead holder, had it come back, learns it holds nothing


def test_renewing_pushes_the_expiry_on(database: str) -> None:
    take("sweep A")
    later = T0 + dt.timedelta(seconds=50)
    assert context.run(leases.renew, name=NAME, holder="sweep A", now=later, seconds=60)
    assert not take("sweep B", at=T0 + dt.timedelta(seconds=100)).taken
    assert take("sweep B", at=T0 + dt.timedelta(seconds=111)).taken


def test_a_released_lease_is_free_at_once_and_the_release_audited(database: str) -> None:
    take("sweep A")
    later = T0 + dt.timedelta(seconds=5)
    assert context.run(leases.release, name=NAME, holder="sweep A", now=later)
    with context.reading() as session:
        assert leases.holder_of(session, name=NAME, now=later) is None
    assert take("sweep B", at=later).taken
    assert audited() == [
        ("take", "free", "held"),
        ("release", "held", "free"),
        ("take", "free", "held"),
    ]


def test_only_the_holder_can_release(database: str) -> None:
    take("sweep A")
    assert not context.run(leases.release, name=NAME, holder="sweep B", now=T0)
    assert not take("sweep B", at=T0 + dt.timedelta(seconds=1)).taken


def test_takers_racing_for_a_free_lease_get_it_once(database: str) -> None:
    start = threading.Barrier(4)
    outcomes: list[bool] = []

    def race(holder: str) -> None:
        start.wait()
        outcomes.append(take(holder).taken)

    threads = [threading.Thread(target=race, args=(f"sweep {n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == [False, False, False, True]
