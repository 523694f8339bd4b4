"""`inspectorate server status|stop`: the local Prefect server that commands share.

The first command that runs a flow starts it (tasks/prefect_server.py), and after it the
warm runner that later flow commands start from (cli/warm_runner.py); these two show both
and stop both. With PREFECT_API_URL set (server mode) or INSPECTORATE_LOCAL_SERVER=false no
command starts it.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import typer

from cli import warm
from cli.options import JsonFlag
from cli.output import console, print_json


def _status(as_json: bool) -> None:
    """Print whether the local server runs: pid, port, URL, start time, home, log."""
    from tasks.prefect_server import LOG_FILE, prefect_home, problem, read_state

    home = prefect_home()
    state = read_state(home)
    why = None if state is None else problem(state, home)
    running = state is not None and why is None
    runner = warm.runner_pid(home)
    if as_json:
        print_json(
            {
                "running": running,
                "warm_runner_pid": runner,
                "stale": why,
                "prefect_home": str(home),
                **({} if state is None else {"pid": state.pid, "port": state.port}),
                **({} if state is None else {"url": state.url, "started_at": state.started_at}),
            }
        )
        return
    if state is None:
        console.print(f"No local Prefect server is running (home {home}).", highlight=False)
        return
    started = dt.datetime.fromtimestamp(state.started_at, ZoneInfo("Europe/London"))
    if not running:
        console.print(
            f"Stale local Prefect server: {why}; the next command that runs a flow "
            f"replaces it (pid {state.pid}, port {state.port}).",
            highlight=False,
        )
        return
    console.print(
        f"Local Prefect server running: pid {state.pid}, port {state.port}, "
        f"URL {state.url}, started {started:%-d %B %Y %H:%M:%S} (London), "
        f"Prefect {state.version}, home {home}, log {home / LOG_FILE}.",
        highlight=False,
    )
    if runner is not None:
        console.print(f"Warm runner: pid {runner}, log {home / warm.LOG_FILE}.", highlight=False)


def _stop() -> None:
    """Stop the local server and forget it."""
    from tasks.prefect_server import prefect_home, stop_server

    if warm.stop(prefect_home()):
        console.print("Stopped the warm runner.", highlight=False)
    state, ran = stop_server()
    if state is None:
        console.print("No local Prefect server is running.", highlight=False)
    elif ran:
        console.print(f"Stopped the local Prefect server (pid {state.pid}).", highlight=False)
    else:
        console.print(
            f"The local Prefect server (pid {state.pid}) had already gone; forgot it.",
            highlight=False,
        )


def register(app: typer.Typer, inspection: typer.Typer) -> None:
    """Add `server status` and `server stop` to the app."""
    del inspection
    server = typer.Typer(
        help="The local Prefect server the commands share: status, stop.", no_args_is_help=True
    )
    app.add_typer(server, name="server")

    @server.command("status")
    def status(as_json: JsonFlag = False) -> None:
        """Show the local Prefect server: pid, port, URL, or that none is running."""
        _status(as_json)

    @server.command("stop")
    def stop() -> None:
        """Stop the local Prefect server (the next command that runs a flow starts one)."""
        _stop()
