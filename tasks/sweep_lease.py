"""Holding the deadline sweep's lease in the record while a sweep runs.

Taken before the sweep starts (waiting up to one lease period for another holder), renewed
by a background thread every quarter period, released at the end, even on failure. Only a
killed process leaves it held, and then only until it expires. If a renewal finds the lease
superseded (the database was unreachable for a whole period) the sweep carries on: sweeps
are idempotent, so the lease saves work and noise, never correctness.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from inspectorate.adapters.settings import get_settings
from inspectorate.services import context, leases
from inspectorate.services.leases import LeaseState

SWEEP_LEASE = "deadline-sweep"
log = logging.getLogger("inspectorate.sweep")


def holder_name(run_id: str | None) -> str:
    """Who holds the lease, as a person reading the audit trail needs it: run, host, pid."""
    who = f"flow run {run_id}" if run_id else f"process {uuid.uuid4().hex[:8]}"
    return f"{who} on {socket.gethostname()} pid {os.getpid()}"[:200]


def wall_clock() -> dt.datetime:
    """Real time: the lease guards live processes even when the domain clock is virtual."""
    return dt.datetime.now(dt.UTC)


@contextmanager
def sweep_lease(
    holder: str, seconds: float | None = None, wait: float | None = None
) -> Iterator[LeaseState]:
    """Hold the sweep's lease for the block; yields the refusal if another sweep kept it.

    Waits up to `wait` seconds (default a period and a quarter: long enough for a dead
    holder's lease to expire) for another holder to finish.
    """
    seconds = seconds or get_settings().sweep_lease_seconds
    state = _take_waiting(holder, seconds, wait=seconds * 1.25 if wait is None else wait)
    if not state.taken:
        yield state
        return
    stop = threading.Event()
    renewer = threading.Thread(
        target=_renew_until, args=(stop, holder, seconds), name="sweep-lease", daemon=True
    )
    renewer.start()
    try:
        yield state
    finally:
        stop.set()
        renewer.join()
        _release(holder)


def _release(holder: str) -> None:
    """Give the lease back; if the record is unreachable, it expires on its own instead."""
    try:
        context.run(leases.release, name=SWEEP_LEASE, holder=holder, now=wall_clock())
    except Exception:  # never hide the sweep's own outcome (or error) behind this one
        log.warning("could not release the sweep's lease; it will expire", exc_info=True)


def _take_waiting(holder: str, seconds: float, wait: float) -> LeaseState:
    """Take the lease, polling while another holds it, for up to `wait` seconds."""
    give_up = time.monotonic() + wait
    poll = min(5.0, seconds / 4)
    while True:
        state = context.run(
            leases.take, name=SWEEP_LEASE, holder=holder, now=wall_clock(), seconds=seconds
        )
        if state.taken or time.monotonic() >= give_up:
            return state
        log.info("another sweep holds the lease (%s); waiting", state.holder)
        time.sleep(min(poll, max(0.0, give_up - time.monotonic())))


def _renew_until(stop: threading.Event, holder: str, seconds: float) -> None:
    """Renew the lease every quarter period until `stop` is set."""
    while not stop.wait(seconds / 4):
        try:
            kept = context.run(
                leases.renew, name=SWEEP_LEASE, holder=holder, now=wall_clock(), seconds=seconds
            )
        except Exception:  # the record unreachable for a moment: try again next quarter
            log.warning("could not renew the sweep's lease", exc_info=True)
            continue
        if not kept:
            log.warning("the sweep's lease was superseded; carrying on (sweeps are idempotent)")
            return
