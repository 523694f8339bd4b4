"""The local Prefect server that outlives one command: started, reused, shown, stopped.

Each test runs the real command line in subprocesses on its own PREFECT_HOME, and stops
every server process that home ever had (found through /proc), whatever happens.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from cli import warm
from tasks import prefect_server
from tasks.prefect_server import STATE_FILE, ServerState, ensure_server, pid_alive, read_state

CLI = str(Path(sys.executable).parent / "inspectorate")
ROOT = Path(__file__).resolve().parent.parent


def servers_of(home: Path) -> set[int]:
    """Pids of every live `prefect server start` whose PREFECT_HOME is `home`."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
            environ = (entry / "environ").read_bytes().split(b"\0")
        except OSError:
            continue
        mine = b"server" in argv and f"PREFECT_HOME={home}".encode() in environ
        if mine and pid_alive(int(entry.name)):
            found.add(int(entry.name))
    return found


@pytest.fixture
def home(isolated_settings: Path) -> Iterator[Path]:
    """A PREFECT_HOME of the test's own; every server started on it is killed after."""
    folder = isolated_settings / "prefect"
    folder.mkdir()
    try:
        yield folder
    finally:
        warm.stop(folder)
        for pid in servers_of(folder):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGKILL)


def env_for(home: Path) -> dict[str, str]:
    """The test's environment with the shared local server switched on."""
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    return {**env, "PREFECT_HOME": str(home), "INSPECTORATE_LOCAL_SERVER": "true"}


def cli(home: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    """Run the command line; fail the test with its output if it fails."""
    done = subprocess.run(
        [CLI, *argv], env=env_for(home), cwd=ROOT, capture_output=True, text=True, timeout=240
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def sweep(home: Path) -> subprocess.CompletedProcess[str]:
    """An empty sweep: a command that runs a flow and needs no inspection."""
    return cli(home, "sweep", "--as-of", "2013-11-26")


def running(home: Path) -> ServerState:
    """The recorded server, which must be alive."""
    state = read_state(home)
    assert state is not None and pid_alive(state.pid)
    return state


def test_started_reused_shown_and_stopped(home: Path) -> None:
    cli(home, "init")
    sweep(home)
    first = running(home)
    assert servers_of(home) == {first.pid}

    sweep(home)
    assert running(home) == first  # reused: same pid, same port

    shown = cli(home, "server", "status").stdout
    assert f"pid {first.pid}" in shown and f"port {first.port}" in shown
    assert first.url in shown.replace("\n", "")
    as_json = json.loads(cli(home, "server", "status", "--json").stdout)
    assert as_json["running"] and as_json["pid"] == first.pid and as_json["url"] == first.url

    assert f"pid {first.pid}" in cli(home, "server", "stop").stdout
    assert not pid_alive(first.pid)
    assert not (home / STATE_FILE).exists()
    assert "No local Prefect server" in cli(home, "server", "status").stdout


def test_a_stale_server_is_replaced(home: Path) -> None:
    gone = subprocess.Popen(["true"])
    gone.wait()
    stale = ServerState(gone.pid, 9, time.time(), str(home), running_version())
    (home / STATE_FILE).write_text(json.dumps(stale.__dict__))
    assert "Stale" in cli(home, "server", "status").stdout

    cli(home, "init")
    sweep(home)
    fresh = running(home)
    assert fresh.pid != gone.pid and fresh.port != 9
    assert servers_of(home) == {fresh.pid}
    cli(home, "server", "stop")
    assert not servers_of(home)


def test_two_commands_at_once_start_one_server(home: Path) -> None:
    cli(home, "init")
    racing = [
        subprocess.Popen(
            [CLI, "sweep", "--as-of", "2013-11-26"],
            env=env_for(home),
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [process.communicate(timeout=240)[0] for process in racing]
    assert [process.returncode for process in racing] == [0, 0], outputs
    assert servers_of(home) == {running(home).pid}
    cli(home, "server", "stop")
    assert not servers_of(home)


@contextlib.contextmanager
def frozen_for(pid: int, seconds: float) -> Iterator[None]:
    """Stop the server's process group for `seconds` (or until the block ends), then go on."""
    os.killpg(pid, signal.SIGSTOP)
    thaw = threading.Timer(seconds, os.killpg, (pid, signal.SIGCONT))
    thaw.start()
    try:
        yield
    finally:
        thaw.cancel()
        os.killpg(pid, signal.SIGCONT)


def test_a_live_server_slow_to_answer_is_waited_for_not_replaced(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PREFECT_HOME", str(home))
    url = ensure_server()
    first = running(home)
    # Frozen for longer than one request's timeout (2 s): as a loaded machine can make it.
    with frozen_for(first.pid, 6.0):
        assert ensure_server() == url
    assert running(home) == first
    assert servers_of(home) == {first.pid}


@pytest.mark.parametrize("frozen", [0.0, 5.0], ids=["answering", "too-busy-to-reply"])
def test_a_server_answering_or_busy_is_reused_where_proc_cannot_say_whose_it_is(
    home: Path, monkeypatch: pytest.MonkeyPatch, frozen: float
) -> None:
    monkeypatch.setenv("PREFECT_HOME", str(home))
    ensure_server()
    first = running(home)
    # As on a system without /proc (or with hidepid): the server cannot be told to be ours.
    monkeypatch.setattr(prefect_server, "is_our_server", lambda _state: False)
    # Frozen past one request's timeout, the port takes the request but does not reply.
    with frozen_for(first.pid, frozen) if frozen else contextlib.nullcontext():
        assert prefect_server._reusable(first, home)
    assert servers_of(home) == {first.pid}


def test_a_port_nobody_listens_on_is_not_waited_for_where_proc_cannot_say(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    # A live pid (this process) that may not be told from a server: nothing listens there.
    state = ServerState(os.getpid(), port, time.time(), str(home), running_version())
    monkeypatch.setattr(prefect_server, "is_our_server", lambda _state: False)

    def no_waiting(_seconds: float) -> None:
        raise AssertionError("waited for a port nobody listens on")

    monkeypatch.setattr(prefect_server.time, "sleep", no_waiting)
    assert not prefect_server._reusable(state, home)


def running_version() -> str:
    """The installed Prefect's version."""
    from importlib.metadata import version

    return version("prefect")
