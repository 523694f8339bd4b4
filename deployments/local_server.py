"""Running server mode on this machine through the make targets (tests and benchmarks).

Every process is started in its own process group and stopped by it, so a server or worker
never outlives the run that started it, even when that run fails.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg

ROOT = Path(__file__).resolve().parent.parent
PG = "postgresql://postgres@127.0.0.1:5432"


@dataclass
class LocalServer:
    """A server-mode installation on fresh databases and a free loopback port."""

    folder: Path
    port: int
    prefect_db: str
    record_db: str
    env: dict[str, str]
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    @property
    def api(self) -> str:
        """The Prefect API URL."""
        return f"http://127.0.0.1:{self.port}/api"

    @property
    def record_url(self) -> str:
        """The product's record (SQLAlchemy URL)."""
        return f"postgresql+psycopg://postgres@127.0.0.1:5432/{self.record_db}"

    def make_vars(self) -> list[str]:
        """The make variables that point the targets at this installation."""
        return [
            f"SERVER_PORT={self.port}",
            f"PREFECT_DB={self.prefect_db}",
            f"RECORD_DB={self.record_db}",
        ]

    def start(self, target: str) -> subprocess.Popen[bytes]:
        """Start `make target` in the background, logging to the folder."""
        log = (self.folder / f"{target}-{len(self.processes)}.log").open("wb")
        process = subprocess.Popen(
            ["make", "--no-print-directory", target, *self.make_vars()],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes.append(process)
        return process

    def deploy(self) -> None:
        """Run `make deploy` and fail loudly with its output if it fails."""
        done = subprocess.run(
            ["make", "--no-print-directory", "deploy", *self.make_vars()],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if done.returncode != 0:
            raise RuntimeError(f"make deploy failed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}")


def free_port() -> int:
    """A loopback port nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(check: Callable[[], Any], what: str, seconds: float = 90) -> Any:
    """Poll `check` until it returns something true; fail after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.5)
    raise AssertionError(f"timed out after {seconds:.0f} s waiting for {what}")


def healthy(api: str) -> bool:
    """Whether the Prefect server answers its health check."""
    try:
        with urllib.request.urlopen(f"{api}/health", timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop a process and everything it started (its own process group)."""
    for sig, grace in ((signal.SIGTERM, 20), (signal.SIGKILL, 5)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(grace)
            return
        except subprocess.TimeoutExpired:
            continue


@contextmanager
def local_server(folder: Path, workers: int, extra_env: dict[str, str]) -> Iterator[LocalServer]:
    """Start the server, deploy, start `workers` workers; stop all and drop the databases."""
    tag = uuid.uuid4().hex[:8]
    folder.mkdir(parents=True, exist_ok=True)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "INSPECTORATE_"))},
        "PREFECT_HOME": str(folder / "prefect"),
        "PREFECT_WORKER_QUERY_SECONDS": "1",
        "PREFECT_LOGGING_LEVEL": "WARNING",
        **extra_env,
    }
    server = LocalServer(folder, free_port(), f"it_prefect_{tag}", f"it_record_{tag}", env)
    try:
        server.start("server")
        wait_for(lambda: healthy(server.api), "the Prefect server", 120)
        server.deploy()
        for _ in range(workers):
            server.start("worker")
        yield server
    finally:
        for process in reversed(server.processes):  # workers first, then the server
            stop(process)
        with psycopg.connect(f"{PG}/postgres", autocommit=True) as admin:
            for name in (server.prefect_db, server.record_db):
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
