"""The local Prefect server that outlives one command: started on demand, reused, stopped.

The first command that runs a flow starts `prefect server start` on a free loopback port,
detached in its own session, on Prefect's SQLite file under PREFECT_HOME (var/prefect with
the Makefile), logging to server.log there; a home without a database gets a copy of the
install's migrated empty one (prefect_template.py). A state file beside it (written atomically)
names its pid, port, start time, home and Prefect version; later commands and the
dashboard check it and the server's health and reuse it. A lock makes commands that start
at once start one server; a stale state (dead pid, a port answering something else, another
Prefect version or home) is replaced, but a live server of ours that is slow to answer is
waited for, not killed under the command using it. `inspectorate server stop` stops it.
"""

from __future__ import annotations

import fcntl
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Literal

from tasks.prefect_template import seed_home

STATE_FILE = "local-server.json"
LOCK_FILE = "local-server.lock"
LOG_FILE = "server.log"
START_SECONDS = 120.0  # without a template a fresh home migrates first (≈10-20 s when busy)
ANSWER_SECONDS = 60.0  # how long a live server of ours may take to answer before it is replaced


class LocalServerError(RuntimeError):
    """The local Prefect server could not be started."""


@dataclass(frozen=True)
class ServerState:
    """What the state file says about the running server."""

    pid: int
    port: int
    started_at: float
    prefect_home: str
    version: str

    @property
    def url(self) -> str:
        """The server's API URL."""
        return f"http://127.0.0.1:{self.port}/api"


def prefect_home() -> Path:
    """The server's home: PREFECT_HOME, or var/prefect under the working directory."""
    return Path(os.environ.get("PREFECT_HOME") or "var/prefect").expanduser().resolve()


def read_state(home: Path) -> ServerState | None:
    """The state file's contents, or None when there is none (or it is unreadable)."""
    try:
        return ServerState(**json.loads((home / STATE_FILE).read_text()))
    except (OSError, ValueError, TypeError):
        return None


def _write_state(home: Path, state: ServerState) -> None:
    scratch = home / f".{STATE_FILE}.{os.getpid()}"
    scratch.write_text(json.dumps(asdict(state)))
    os.replace(scratch, home / STATE_FILE)


def pid_alive(pid: int) -> bool:
    """Whether the process exists and is not a zombie."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"


def _get(url: str, timeout: float = 2.0) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return str(response.read().decode()) if response.status == 200 else None
    except (OSError, ValueError):
        return None


def _stale(state: ServerState, home: Path) -> str | None:
    """Why this recorded server can never be reused, whatever it answers (None if it may)."""
    if state.prefect_home != str(home):
        return f"it serves another PREFECT_HOME ({state.prefect_home})"
    if state.version != version("prefect"):
        return f"it runs Prefect {state.version}, this is {version('prefect')}"
    if not pid_alive(state.pid):
        return f"its process {state.pid} is gone"
    return None


def _reply(state: ServerState) -> Literal["yes", "busy", "no"]:
    """Whether the port answers as that Prefect server, is too busy to reply, or neither.

    Busy: it took the request but sent nothing back within two seconds. On loopback a port
    nobody listens on refuses at once, and another program answers at once; only a listener
    slow to reply is taken for a server under load.
    """
    try:
        with urllib.request.urlopen(f"{state.url}/admin/version", timeout=2.0) as response:
            answer = response.read().decode() if response.status == 200 else ""
    except TimeoutError:
        return "busy"
    except urllib.error.URLError as error:
        return "busy" if isinstance(error.reason, TimeoutError) else "no"
    except (OSError, ValueError):
        return "no"
    return "yes" if answer.strip().strip('"') == state.version else "no"


def _answers(state: ServerState) -> bool:
    """Whether the server's port answers as that Prefect server, within one request."""
    return _reply(state) == "yes"


def problem(state: ServerState, home: Path) -> str | None:
    """Why this server cannot be reused (None when it can): the stale cases."""
    if (why := _stale(state, home)) is not None:
        return why
    if not _answers(state):
        return f"port {state.port} does not answer as that Prefect server"
    return None


def _reusable(state: ServerState, home: Path) -> bool:
    """Whether the recorded server can be reused, giving a live one of ours time to answer.

    A server just started by another command, or busy, can take longer than one request
    to answer on a loaded machine; replacing it then would kill it under that command.
    Where the pid cannot be told to be ours (no /proc), a port that is busy is waited for.
    """
    if _stale(state, home) is not None:
        return False
    reply = _reply(state)
    if reply == "yes":
        return True
    if reply == "no" and not is_our_server(state):
        return False
    deadline = time.monotonic() + ANSWER_SECONDS
    while not _answers(state):
        if time.monotonic() >= deadline or not pid_alive(state.pid):
            return False
        time.sleep(0.5)
    return True


@contextmanager
def _locked(home: Path) -> Iterator[None]:
    home.mkdir(parents=True, exist_ok=True)
    with (home / LOCK_FILE).open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def ensure_server() -> str:
    """The API URL of a healthy local server, starting (or replacing) one if needed."""
    home = prefect_home()
    state = read_state(home)
    if state is not None and problem(state, home) is None:
        return state.url
    with _locked(home):  # another command may have started one while we waited
        state = read_state(home)
        if state is not None:
            if _reusable(state, home):
                return state.url
            _terminate(state)
        return _start(home).url


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _server_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env["PREFECT_HOME"] = str(home)
    env.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    env.setdefault("DO_NOT_TRACK", "1")
    env.setdefault("PREFECT_UI_ENABLED", "false")  # faster start; set it true to have the UI
    return env


def _start(home: Path) -> ServerState:
    """Start a detached server, record it, and wait until it answers."""
    prefect = Path(sys.executable).parent / "prefect"
    port = _free_port()
    env = _server_env(home)
    seed_home(home, env)  # a fresh home skips Prefect's migrations (prefect_template.py)
    with (home / LOG_FILE).open("ab") as log:
        process = subprocess.Popen(
            [str(prefect), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
            cwd=home,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    state = ServerState(process.pid, port, time.time(), str(home), version("prefect"))
    _write_state(home, state)
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline and process.poll() is None:
        if _get(f"{state.url}/health", timeout=1) is not None:
            return state
        time.sleep(0.1)
    _terminate(state)
    (home / STATE_FILE).unlink(missing_ok=True)
    tail = (home / LOG_FILE).read_text(errors="replace")[-1500:]
    raise LocalServerError(f"the local Prefect server did not start; {home / LOG_FILE}:\n{tail}")


def is_our_server(state: ServerState) -> bool:
    """Whether the pid is still the `prefect server start` on that port (not a reused pid)."""
    try:
        argv = Path(f"/proc/{state.pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    return b"server" in argv and b"start" in argv and str(state.port).encode() in argv


def _terminate(state: ServerState, grace: float = 20.0) -> bool:
    """Stop the server's process group (TERM, then KILL); True if it was running."""
    if not pid_alive(state.pid) or not is_our_server(state):
        return False
    for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(state.pid, sig)
        except ProcessLookupError:
            return True
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if not pid_alive(state.pid):
                return True
            time.sleep(0.1)
    return True


def stop_server(home: Path | None = None) -> tuple[ServerState | None, bool]:
    """Stop the local server (of `home`, else PREFECT_HOME's); its state and if it ran."""
    home = home or prefect_home()
    with _locked(home):
        state = read_state(home)
        if state is None:
            return None, False
        ran = _terminate(state)
        (home / STATE_FILE).unlink(missing_ok=True)
        return state, ran
