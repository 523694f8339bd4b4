"""Hand a command to the warm runner, so it starts in milliseconds, not seconds.

A command that runs a flow pays about three seconds of CPU to import Prefect and the
flows before it does anything, and one that reads the record about one to import the
database layer and the command line. The warm runner (`cli/warm_runner.py`) is a process that
has imported them once and lives beside the shared local Prefect server; for each command
it forks a copy of itself, which runs the command with this terminal, folder and
environment and reports the exit code. The command is the same code on the same record
and the same Prefect server: only the imports are saved.

Anything unusual runs here as before: no runner, another environment, code changed since
the runner started, or a refusal of any kind. Only standard-library imports here (and the
defaults that importing the flows applies).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import signal
import socket
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

from tasks.prefect_defaults import apply_prefect_defaults

SOCKET_NAME, PID_FILE, KEY_FILE = "warm-runner.sock", "warm-runner.pid", "warm-runner.key"
LOG_FILE, LOCK_FILE = "warm-runner.log", "warm-runner.lock"
# Commands that stay in their own process: a server or a long simulation of its own, a
# password prompt (getpass needs the terminal as its controlling one, which a fork lacks),
# and `init`, which may replace the runner's environment.
LOCAL_ONLY = ("dashboard", "server", "users", "init", "demo", "simulate")
# Those that run a flow: they wait for a runner being started rather than start Prefect here.
FLOW_COMMANDS = (
    ("inspection", "advance"),
    ("inspection", "sample"),
    ("inspection", "score"),
    ("inspection", "sign-off"),
    ("inspection", "reschedule"),
    ("inspection", "follow-up"),
    ("sweep",),
    ("report", "publish"),
    ("draft", "comments"),
)
STARTING_FILE = "warm-runner.starting"
START_WAIT_SECONDS = 120.0  # as long as a local server may take to start (prefect_server.py)
# Read by Prefect when it is imported, or by Python at start: the runner imported them once.
_FIXED_AT_IMPORT = ("PREFECT_", "DO_NOT_TRACK", "PYTHON", "INSPECTORATE_")
_SOURCE_PACKAGES = ("cli", "flows", "tasks", "inspectorate")
ROOT = Path(__file__).resolve().parent.parent


def _enabled() -> bool:
    """INSPECTORATE_WARM_RUNNER (Settings.warm_runner), read without loading the settings."""
    return os.environ.get("INSPECTORATE_WARM_RUNNER", "true").lower() not in ("0", "false", "no")


def home_of(env: Mapping[str, str]) -> Path:
    """The shared local server's home: PREFECT_HOME, or var/prefect here (prefect_server.py)."""
    return Path(env.get("PREFECT_HOME") or "var/prefect").expanduser().resolve()


def socket_path(env: Mapping[str, str]) -> Path:
    """Where the runner of this home listens."""
    return home_of(env) / SOCKET_NAME


def environment_key(env: Mapping[str, str]) -> str:
    """A digest of the settings a runner fixed when it imported Prefect and the product."""
    env = dict(env)
    apply_prefect_defaults(env)  # as importing the flows does, in the runner and here
    env["PREFECT_HOME"] = str(home_of(env))  # the runner is told its home in full
    fixed = sorted((k, v) for k, v in env.items() if k.startswith(_FIXED_AT_IMPORT))
    return hashlib.sha256(json.dumps(fixed).encode()).hexdigest()


def source_key(root: Path = ROOT) -> str:
    """A digest of the product's source files and installed packages, as they are now."""
    digest = hashlib.sha256()
    for package in _SOURCE_PACKAGES:
        for file in sorted((root / package).rglob("*.py")):  # ~3 ms for 250 files
            stat = file.stat()
            digest.update(f"{file}:{stat.st_mtime_ns}:{stat.st_size}\n".encode())
    site = Path(sys.prefix) / "lib" / f"python{sys.version_info[0]}.{sys.version_info[1]}"
    if (folder := site / "site-packages").exists():
        digest.update(f"{folder}:{folder.stat().st_mtime_ns}\n".encode())
    return digest.hexdigest()


def is_forwarded(argv: Sequence[str]) -> bool:
    """Whether a running warm runner may take this command (most commands: not LOCAL_ONLY)."""
    if not argv or "--install-completion" in argv or "--show-completion" in argv:
        return False  # the bare command prints its help; completion edits the user's shell
    words = [a for a in argv if not a.startswith("-")]
    return not words or words[0] not in LOCAL_ONLY


def _runs_flows(argv: Sequence[str]) -> bool:
    """Whether the command runs a flow (it needs the server and Prefect, seconds to start)."""
    words = tuple(a for a in argv if not a.startswith("-"))
    return "--help" not in argv and any(words[: len(c)] == c for c in FLOW_COMMANDS)


def _runner_comes(path: Path) -> bool:
    """Wait while a runner is being started (by init, or a flow command); True once it listens.

    A flow command run here meanwhile would wait for the same server and import what the
    runner is importing, competing with it for the CPU: waiting costs nothing instead.
    """
    from tasks.prefect_server import pid_alive  # only on this path: it reads package metadata

    home = path.parent
    deadline = time.monotonic() + START_WAIT_SECONDS
    while time.monotonic() < deadline:
        if path.exists():
            return True
        try:
            starter = int((home / STARTING_FILE).read_text())
        except (OSError, ValueError):
            starter = None
        if not (starter is not None and pid_alive(starter)) and runner_pid(home) is None:
            return False
        time.sleep(0.05)
    return False


def forward(argv: Sequence[str]) -> int | None:
    """Run the command in a fork of the warm runner; its exit code, or None to run it here."""
    if not _enabled() or not is_forwarded(argv):
        return None
    path = socket_path(os.environ)
    # Nothing warm (after `server stop`, a reboot): a flow command starts both, as init does.
    cold = not path.exists() and _runs_flows(argv) and not _runner_comes(path)
    if not path.exists() and not (cold and prewarm_in_background() and _runner_comes(path)):
        return None
    request = {
        "argv": list(argv),
        "env": dict(os.environ),
        "cwd": os.getcwd(),
        "umask": _current_umask(),
        "environment_key": environment_key(os.environ),
        "source_key": source_key(),
    }
    try:
        connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        # Long enough for a busy machine: a fork that started must not also run here.
        connection.settimeout(30)
        connection.connect(str(path))
        socket.send_fds(connection, [json.dumps(request).encode() + b"\n"], [0, 1, 2])
        reader = connection.makefile("rb")
        answer = json.loads(reader.readline() or b"{}")
    except (OSError, ValueError):
        return None
    if "pid" not in answer:  # refused: another environment, changed code, no capacity
        connection.close()
        return None
    return _wait_for_exit(connection, reader, int(answer["pid"]))


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _wait_for_exit(connection: socket.socket, reader: object, pid: int) -> int:
    """Pass Ctrl-C and termination on to the forked command; return its exit code."""

    def pass_on(signum: int, _frame: object) -> None:
        """Send the signal this process got to the forked command."""
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signum)

    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, pass_on)
    connection.settimeout(None)
    while True:
        try:
            line = reader.readline()  # type: ignore[attr-defined]
            break
        except InterruptedError:  # pragma: no cover - retried by Python itself
            continue
    try:
        return int(json.loads(line)["exit"])
    except (ValueError, KeyError, TypeError):
        sys.stderr.write("error: the command ended without an exit code (killed?)\n")
        return 1


def runner_pid(home: Path) -> int | None:
    """The pid of this home's runner when one is running, else None."""
    try:
        pid = int((home / PID_FILE).read_text())
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except (OSError, ValueError):
        return None
    return pid if b"cli.warm_runner" in argv else None


def start(home: Path) -> None:
    """Start this home's runner in the background unless one runs with this environment."""
    import fcntl
    import subprocess

    with (home / LOCK_FILE).open("a") as lock:  # at once from two commands: one runner
        fcntl.flock(lock, fcntl.LOCK_EX)
        if runner_pid(home) is not None:
            with contextlib.suppress(OSError):
                if (home / KEY_FILE).read_text() == environment_key(os.environ):
                    return
            stop(home)  # another environment: this one is the one in use now
        with (home / LOG_FILE).open("ab") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "cli.warm_runner"],
                env={**os.environ, "PREFECT_HOME": str(home)},
                cwd=home,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        (home / KEY_FILE).write_text(environment_key(os.environ))
        (home / PID_FILE).write_text(str(process.pid))


def stop(home: Path) -> bool:
    """Stop this home's runner; True if one was running."""
    pid = runner_pid(home)
    if pid is not None:
        with contextlib.suppress(OSError):  # gone already, or another user's (shared home)
            os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and Path(f"/proc/{pid}").exists():
            time.sleep(0.05)
    for name in (PID_FILE, KEY_FILE, SOCKET_NAME):
        with contextlib.suppress(OSError):
            (home / name).unlink(missing_ok=True)
    return pid is not None


def _local_server_in_use() -> bool:
    """Whether flow commands here use the shared local server and may use the warm runner."""
    if not _enabled() or os.environ.get("PREFECT_API_URL"):
        return False  # a configured server (server mode): nothing to keep warm here
    from inspectorate.adapters.settings import get_settings
    from inspectorate.domain.errors import ConfigError

    try:
        return get_settings().local_server
    except ConfigError:  # the command, run here, says what is wrong in one line
        return False


def start_runner_if_useful(argv: Sequence[str]) -> None:
    """After a flow ran here on the local server, or a read (none warm): start the runner."""
    flow_ran = "prefect" in sys.modules
    read_record = "inspectorate.adapters.database" in sys.modules
    if not (flow_ran or (read_record and is_forwarded(argv))) or not _local_server_in_use():
        return  # nothing a runner would speed up, or flows run elsewhere
    from tasks.prefect_server import pid_alive, prefect_home, read_state

    home = prefect_home()
    if flow_ran:
        state = read_state(home)
        if state is None or not pid_alive(state.pid):
            return
    elif not home.is_dir() or runner_pid(home) is not None:
        return  # this record was never used with the local server, or a runner is up
    try:
        start(home)
    except OSError as error:  # a convenience: the command itself has done its work
        sys.stderr.write(f"note: the warm runner did not start ({error})\n")


def prewarm_in_background() -> bool:
    """Start the local server and the warm runner now, detached, for the flow commands ahead."""
    if not _local_server_in_use():
        return False
    import subprocess

    from tasks.prefect_server import prefect_home

    process = subprocess.Popen(
        [sys.executable, "-m", "cli.warm"],
        env=dict(os.environ),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # outlives the command that asked for it
    )
    with contextlib.suppress(OSError):  # at once, so a command waiting for it sees it coming
        (starting := prefect_home() / STARTING_FILE).parent.mkdir(parents=True, exist_ok=True)
        starting.write_text(str(process.pid))
    return True


def _prewarm() -> None:
    """The detached prewarm: the runner, and meanwhile the server (under its lock as always)."""
    from tasks.prefect_server import LocalServerError, ensure_server, prefect_home

    starting = prefect_home() / STARTING_FILE
    try:
        starting.parent.mkdir(parents=True, exist_ok=True)
        starting.write_text(str(os.getpid()))
        start(prefect_home())  # its imports need no server: they overlap the server's start
        ensure_server()
    except (LocalServerError, OSError):
        return  # the first flow command starts it, and says why if it cannot
    finally:
        starting.unlink(missing_ok=True)


if __name__ == "__main__":
    _prewarm()
