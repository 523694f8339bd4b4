"""Server mode through a bad night: a lost worker machine mid-sweep, then a server restart.

One scenario on PostgreSQL, a Prefect server and a process worker started by the make
targets (deployments/local_server.py), mail to a real SMTP server in this process. The
second morning's sweep is held on a table lock while it writes the letters, and the worker
and its flow process are killed together (SIGKILL, as when a machine is lost); the server is
restarted. The next sweep must run at once (no lease left in server memory), repair what the
dead one owed — every letter, every notice, none twice — and the dead run must be marked
Crashed by the zombie-run automation; the server's flow-run cleanup must be on.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import email
import os
import signal
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from uuid import UUID

import pendulum
import psycopg
import pytest
from aiosmtpd.controller import Controller
from prefect.client.orchestration import get_client
from prefect.client.schemas.objects import FlowRun
from prefect.deployments import run_deployment
from prefect.exceptions import ObjectNotFound
from prefect.settings import PREFECT_API_URL, temporary_settings
from sqlmodel import col, select

from deployments.local_server import PG, LocalServer, free_port, healthy, local_server, stop
from deployments.local_server import wait_for as wait_until
from inspectorate.adapters import clock
from inspectorate.adapters.database import get_engine
from inspectorate.adapters.models import AuditEvent, Inspection, Milestone, Reminder
from inspectorate.adapters.settings import get_settings
from inspectorate.services import context, documents, owed_effects, scheduling

LEASE_SECONDS = 10  # the sweep's lease here; production keeps the default (120 s)
WEEK_ONE = (("Merton", "2014-02-17"), ("Hounslow", "2014-02-17"))
WEEK_TWO = (("Havering", "2014-02-24"), ("Islington", "2014-02-24"))


@dataclass
class Mailbox:
    """An SMTP server's handler that keeps every message it accepts."""

    received: list[bytes] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.received.append(envelope.content)
        return "250 OK"

    def message_ids(self) -> list[str]:
        return [str(email.message_from_bytes(raw)["Message-ID"]) for raw in self.received]


@pytest.fixture(scope="module")
def mailbox() -> Iterator[tuple[Mailbox, int]]:
    box, port = Mailbox(), free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield box, port
    finally:
        controller.stop()


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, mailbox: tuple[Mailbox, int]
) -> Iterator[LocalServer]:
    folder = tmp_path_factory.mktemp("server-faults")
    extra = {
        "INSPECTORATE_SMTP_HOST": "127.0.0.1",
        "INSPECTORATE_SMTP_PORT": str(mailbox[1]),
        "INSPECTORATE_REPORTS_DIR": str(folder / "reports"),
        "INSPECTORATE_REPORT_FORMATS": "html",
        "INSPECTORATE_SWEEP_LEASE_SECONDS": str(LEASE_SECONDS),
        # The server's cleanup pass runs at start and then hourly; here every few seconds.
        "PREFECT_SERVER_SERVICES_DB_VACUUM_LOOP_SECONDS": "5",
        # A run is a zombie after 50 s without a heartbeat (beats every 30 s), not 90 s.
        "ZOMBIE_AFTER_SECONDS": "50",
    }
    with local_server(folder, workers=1, extra_env=extra) as running:
        yield running
    get_engine(running.record_url).dispose()


@pytest.fixture
def on_server(server: LocalServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[LocalServer]:
    """Point this process at the server and the shared record."""
    monkeypatch.setenv("INSPECTORATE_DATABASE_URL", server.record_url)
    get_settings.cache_clear()
    with temporary_settings(updates={PREFECT_API_URL: server.api}):
        yield server
    get_settings.cache_clear()


def schedule(body: str, start: str) -> int:
    inspection_id, _ = context.run(
        scheduling.schedule,
        body_name=body,
        programme_code="cci",
        fieldwork_start=pendulum.parse(start).date(),
        actor="test",
        now=pendulum.datetime(2013, 11, 1, 9, tz=clock.LONDON),
    )
    return int(inspection_id)


def announcement_day(inspection_id: int) -> dt.date:
    with context.reading() as session:
        return session.exec(
            select(Milestone.due_on).where(
                Milestone.inspection_id == inspection_id, Milestone.kind == "announcement"
            )
        ).one()


def sweep(day: dt.date, timeout: int = 180) -> FlowRun:
    """Start the on-demand sweep for `day` at 06:00; wait `timeout` s (0: do not wait)."""
    now = pendulum.datetime(day.year, day.month, day.day, 6, tz=clock.LONDON).isoformat()
    return run_deployment(
        "deadline-sweep/on-demand",
        parameters={"as_of": day.isoformat(), "now": now},
        timeout=timeout,
        as_subflow=False,
    )


def state_of(run_id: UUID) -> str | None:
    with get_client(sync_client=True) as client:
        state = client.read_flow_run(run_id).state
    return None if state is None else state.name


def statuses(ids: list[int]) -> list[str]:
    with context.reading() as session:
        return [
            status
            for status in session.exec(select(Inspection.status).where(col(Inspection.id).in_(ids)))
        ]


def waiting_on_a_lock(database: str, mine: int) -> bool:
    """Whether another session of `database` waits for a lock (the sweep, held by ours)."""
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as admin:
        row = admin.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> %s "
            "AND wait_event_type = 'Lock'",
            (database, mine),
        ).fetchone()
    return bool(row and row[0])


def descendants(root: int) -> list[int]:
    """Every process started (directly or not) by `root`, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [root]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def lose_the_machine(worker: Any) -> list[int]:
    """SIGKILL the worker and every process under it at once (its flow process too)."""
    pids = descendants(worker.pid)
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    return pids


def sent_per_reminder(ids: list[int]) -> Counter[int]:
    with context.reading() as session:
        return Counter(
            session.exec(
                select(AuditEvent.entity_id).where(
                    col(AuditEvent.inspection_id).in_(ids), AuditEvent.action == "sent"
                )
            )
        )


def test_a_lost_worker_and_a_server_restart_leave_nothing_missing_or_twice(
    on_server: LocalServer, mailbox: tuple[Mailbox, int]
) -> None:
    box, _port = mailbox
    server = on_server
    with get_client(sync_client=True) as client:
        assert client.read_work_pool("inspectorate").concurrency_limit == 20
    worker_command = Path(f"/proc/{descendants(server.processes[1].pid)[0]}/cmdline")
    assert b"--limit" in worker_command.read_bytes()

    first = [schedule(body, start) for body, start in WEEK_ONE]
    second = [schedule(body, start) for body, start in WEEK_TWO]
    day_one, day_two = announcement_day(first[0]), announcement_day(second[0])
    assert day_one < day_two

    finished = sweep(day_one)
    assert finished.state is not None and finished.state.is_completed(), finished.state
    assert statuses(first) == ["announced"] * 2
    mail_before = len(box.received)
    assert mail_before >= 2  # each announcement's notice

    # The second morning: its stages commit, then the letters wait on our lock; the machine
    # running it is lost there (worker and flow process killed together).
    with psycopg.connect(f"{PG}/{server.record_db}") as blocker:
        blocker.execute("LOCK TABLE reportversion IN SHARE MODE")
        mine = blocker.info.backend_pid
        dead = sweep(day_two, timeout=0)
        wait_until(
            lambda: (
                statuses(second) == ["announced"] * 2 and waiting_on_a_lock(server.record_db, mine)
            ),
            "the second sweep to announce and wait to write the letters",
            180,
        )
        assert lose_the_machine(server.processes[1])
        killed = time.monotonic()
        # The lost machine's connections drop (TCP keepalive would, later).
        blocker.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> %s",
            (server.record_db, mine),
        )
        blocker.rollback()
    assert state_of(dead.id) == "Running"
    with psycopg.connect(f"{PG}/{server.prefect_db}", autocommit=True) as prefect_db:
        prefect_db.execute(  # the first sweep, as if it had ended 100 days ago
            "UPDATE flow_run SET end_time = now() - interval '100 days' WHERE id = %s",
            (finished.id,),
        )

    stop(server.processes[0])
    server.start("server")
    wait_until(lambda: healthy(server.api), "the restarted Prefect server", 120)
    server.start("worker")

    started = time.monotonic()
    repaired = sweep(day_two)
    assert repaired.state is not None and repaired.state.is_completed(), repaired.state
    print(
        f"\nnext sweep after the restart: {time.monotonic() - started:.1f} s "
        f"(the dead one's lease: {LEASE_SECONDS} s); done {time.monotonic() - killed:.0f} s "
        "after the kill"
    )

    with context.reading() as session:
        assert owed_effects.count_owed(session) == 0
        letters = {
            i: [v.kind for v in documents.versions_of(session, inspection_id=i)]
            for i in first + second
        }
        notices = session.exec(
            select(Reminder.id)
            .join(Milestone, col(Milestone.id) == Reminder.milestone_id)
            .where(col(Milestone.inspection_id).in_(first + second))
        ).all()
        superseded = session.exec(
            select(AuditEvent).where(AuditEvent.entity == "lease", AuditEvent.action == "supersede")
        ).all()
    assert letters == {i: ["announcement"] for i in first + second}
    sent = sent_per_reminder(first + second)
    assert sorted(sent) == sorted(notices) and set(sent.values()) == {1}
    ids = box.message_ids()
    assert len(ids) == len(set(ids)) > mail_before  # the second week's notices, and none twice
    assert len(superseded) == 1  # the dead sweep's lease, taken over once it expired

    wait_until(lambda: state_of(dead.id) == "Crashed", "the zombie-run automation", 240)
    print(f"dead run marked Crashed {time.monotonic() - killed:.0f} s after the kill")

    def cleaned_up() -> bool:
        with get_client(sync_client=True) as client:
            try:
                client.read_flow_run(finished.id)
            except ObjectNotFound:
                return True
        return False

    wait_until(cleaned_up, "the server's flow-run cleanup to delete the old finished run", 120)
