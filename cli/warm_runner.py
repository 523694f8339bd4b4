"""The warm runner: Prefect and the flows imported once, a fork of it per flow command.

Started by the first flow command that used the shared local Prefect server (see
`cli/warm.py` for the client side), it listens on a socket under PREFECT_HOME that only
its user may open. Each request carries the command's arguments, folder, environment and
its standard input, output and error; the runner forks, the child takes all of those on
and runs the command exactly as `inspectorate` would, then reports the exit code. The
runner itself never opens the record or runs a flow, so every child starts clean.

It refuses (and the command runs in its own process instead) when the environment differs
from the one it imported Prefect with; it exits when the product's code has changed since
it started, and on `inspectorate server stop`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import signal
import socket
import struct
import sys
import time
import traceback
from typing import Any
from zoneinfo import ZoneInfo

from cli import warm
from tasks.prefect_defaults import apply_prefect_defaults

LONDON = ZoneInfo("Europe/London")  # the log's times, as every time the product prints
_MAX_REQUEST = 4 << 20  # an environment is a few kilobytes; refuse anything absurd


def _import_everything() -> None:
    """Import what flow commands import, so that a fork needs none of it again."""
    import cli.app  # noqa: F401  (every command module, lazily bound)
    import flows.casework  # noqa: F401
    import flows.comments  # noqa: F401
    import flows.deadline_sweep  # noqa: F401
    import flows.follow_up  # noqa: F401
    import flows.lifecycle  # noqa: F401
    import flows.sign_off  # noqa: F401
    import flows.timers  # noqa: F401
    import tasks.prefect_server  # noqa: F401
    import tasks.runtime  # noqa: F401

    for module in list(sys.modules.values()):
        if type(module).__name__ == "_LazyModule":
            getattr(module, "__doc__", None)  # any attribute executes a lazily bound module


def _receive(connection: socket.socket) -> tuple[dict[str, Any], list[int]]:
    """One request: a JSON line, with the client's stdin, stdout and stderr attached."""
    data, fds, _flags, _address = socket.recv_fds(connection, 1 << 16, 3)
    try:
        while not data.endswith(b"\n"):
            more = connection.recv(1 << 16)
            if not more or len(data) > _MAX_REQUEST:
                raise ValueError("incomplete request")
            data += more
        if len(fds) != 3:
            raise ValueError("the request carried no standard streams")
        return json.loads(data), fds
    except BaseException:
        for fd in fds:
            os.close(fd)
        raise


def _same_user(connection: socket.socket) -> bool:
    """Whether the peer runs as this process's user (the socket's mode says so too)."""
    credentials = connection.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, 12)
    _pid, uid, _gid = struct.unpack("3i", credentials)
    return uid == os.getuid()


def _run_and_log(request: dict[str, Any], fds: list[int], connection: socket.socket) -> int:
    """In the forked child: run the command, then log it with its exit code and cost."""
    import resource

    began, log = time.monotonic(), os.dup(1)  # the runner's log, before the client's stdout
    code = _run_command(request, fds, connection)
    used = resource.getrusage(resource.RUSAGE_SELF)
    line = (
        f"{dt.datetime.now(LONDON):%Y-%m-%d %H:%M:%S} pid {os.getpid()}: inspectorate "
        f"{' '.join(request['argv'])} -> exit {code}, cpu {used.ru_utime + used.ru_stime:.2f} s, "
        f"wall {time.monotonic() - began:.2f} s\n"
    )
    os.write(log, line.encode())
    return code


def _run_command(request: dict[str, Any], fds: list[int], connection: socket.socket) -> int:
    """In the forked child: take on the client's streams, folder and environment; run."""
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
        os.close(fd)
    os.chdir(request["cwd"])
    os.umask(int(request["umask"]))
    os.environ.clear()
    os.environ.update(request["env"])
    apply_prefect_defaults()  # as importing the flows did in the runner
    sys.argv = ["inspectorate", *request["argv"]]
    for stream in (sys.stdout, sys.stderr):
        stream.reconfigure(line_buffering=stream.isatty())  # type: ignore[union-attr]
    connection.sendall(json.dumps({"pid": os.getpid()}).encode() + b"\n")
    from cli import app, output

    output.console_for_this_terminal()
    try:
        app.run()
    except SystemExit as done:
        return done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    except KeyboardInterrupt:
        return 130
    return 0


def _refusal(connection: socket.socket, request: dict[str, Any], source: str) -> str | None:
    """Why this runner must not run the request (None when it may)."""
    if not _same_user(connection):
        return "another user"
    if request.get("source_key") != source:
        return "the code changed since the runner started"
    if request.get("environment_key") != warm.environment_key(os.environ):
        return "another environment"
    return None


def _serve_one(connection: socket.socket, source: str) -> bool:
    """Answer one request (fork and run, or refuse); False when this runner must end."""
    try:
        request, fds = _receive(connection)
    except (OSError, ValueError):
        return True
    try:
        why = _refusal(connection, request, source)
        if why is not None:
            connection.sendall(json.dumps({"refused": why}).encode() + b"\n")
            return why != "the code changed since the runner started"
        if os.fork() == 0:
            _child(request, fds, connection)  # never returns
        return True
    finally:  # the parent never keeps the client's streams: their readers wait for EOF
        for fd in fds:
            os.close(fd)


def _child(request: dict[str, Any], fds: list[int], connection: socket.socket) -> None:
    """In the forked child: run the command, report its exit code, and end."""
    code = 1
    try:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        code = _run_and_log(request, fds, connection)
    except BaseException:  # the child must always report and end, never return to serve
        traceback.print_exc()
    finally:
        with contextlib.suppress(BaseException):
            sys.stdout.flush()
            sys.stderr.flush()
            connection.sendall(json.dumps({"exit": code}).encode() + b"\n")
        os._exit(code)


def serve() -> None:
    """Import everything, listen, and fork a child per command until told to stop."""
    home = warm.socket_path(os.environ).parent
    _import_everything()
    source = warm.source_key()
    path = warm.socket_path(os.environ)
    path.unlink(missing_ok=True)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    old_mask = os.umask(0o077)  # the socket is this user's only, from its first moment
    try:
        listener.bind(str(path))
    finally:
        os.umask(old_mask)
    listener.listen(32)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped by the kernel
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(f"warm runner {os.getpid()} listening on {path}", flush=True)
    try:
        while True:
            connection, _ = listener.accept()
            with connection:
                if not _serve_one(connection, source):
                    break
    finally:
        listener.close()
        if (home / warm.PID_FILE).exists() and warm.runner_pid(home) == os.getpid():
            path.unlink(missing_ok=True)


if __name__ == "__main__":
    serve()
