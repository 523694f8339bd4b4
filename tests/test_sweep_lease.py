"""The sweep's lease while a sweep runs: renewed, released, superseded, and a second sweep."""

from __future__ import annotations

import time

import pytest
from sqlmodel import select

from flows.deadline_sweep import deadline_sweep
from inspectorate.adapters.database import utc
from inspectorate.adapters.leases import Lease
from inspectorate.adapters.models import AuditEvent
from inspectorate.adapters.settings import get_settings
from inspectorate.services import context, leases
from tasks.sweep_lease import SWEEP_LEASE, holder_name, sweep_lease, wall_clock
from tests.factories import morning, schedule, status_of


def lease_row() -> Lease:
    with context.reading() as session:
        return session.exec(select(Lease).where(Lease.name == SWEEP_LEASE)).one()


def lease_actions() -> list[str]:
    with context.reading() as session:
        return list(session.exec(select(AuditEvent.action).where(AuditEvent.entity == "lease")))


def held_by_a_dead_sweep(seconds: float) -> None:
    """A sweep took the lease and was killed: nobody renews or releases it."""
    context.run(
        leases.take, name=SWEEP_LEASE, holder="killed sweep", now=wall_clock(), seconds=seconds
    )


def test_the_lease_is_renewed_while_held_and_released_after(sqlite_database: str) -> None:
    with sweep_lease("sweep A", seconds=0.4) as state:
        assert state.taken
        first = state.expires_at
        deadline = time.monotonic() + 30  # a bound on a hung renewer, not a timing check
        while utc(lease_row().expires_at) <= first:
            assert time.monotonic() < deadline, "the lease was never renewed"
            time.sleep(0.05)
    row = lease_row()
    assert row.holder is None
    assert lease_actions() == ["take", "release"]


def test_the_lease_is_released_when_the_sweep_fails(sqlite_database: str) -> None:
    with pytest.raises(RuntimeError), sweep_lease("sweep A", seconds=60):
        raise RuntimeError("the record went away")
    assert lease_row().holder is None


def test_a_second_sweep_is_refused_while_a_live_one_holds_it(sqlite_database: str) -> None:
    with sweep_lease("sweep A", seconds=60), sweep_lease("sweep B", wait=0) as second:
        assert not second.taken and second.holder == "sweep A"
    assert lease_actions() == ["take", "release"]


def test_a_dead_sweeps_lease_is_superseded_once_it_expires(sqlite_database: str) -> None:
    held_by_a_dead_sweep(seconds=0.3)
    with sweep_lease("sweep B", seconds=0.3) as state:
        assert state.taken and state.holder == "sweep B"
    assert lease_actions() == ["take", "supersede", "release"]


def test_the_holder_is_named_by_run_host_and_process() -> None:
    assert holder_name("1f0c").startswith("flow run 1f0c on ")
    assert " pid " in holder_name(None)


@pytest.mark.usefixtures("prefect_server")
def test_a_sweep_flow_that_cannot_get_the_lease_does_nothing_and_says_why(
    sqlite_database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INSPECTORATE_SWEEP_LEASE_SECONDS", "5")
    get_settings.cache_clear()
    inspection_id = schedule()
    held_by_a_dead_sweep(seconds=600)  # a live holder, as far as anyone can tell
    report = deadline_sweep(as_of=morning("2013-12-02").date(), now=morning("2013-12-02"))
    assert report.skipped is not None and "killed sweep" in report.skipped
    assert report.advanced == [] and report.delivered == 0
    with context.reading() as session:
        assert leases.holder_of(session, name=SWEEP_LEASE, now=wall_clock()) == "killed sweep"
    assert status_of(inspection_id) == "planned"  # the day was left to the holder
