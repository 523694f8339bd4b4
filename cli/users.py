"""`inspectorate users …`: dashboard accounts, inspectors' assignments, lockouts and sessions.

Passwords are asked for (hidden, twice) or read from standard input with --password-stdin,
never taken as an argument, which any user of the machine could read in `ps`.
"""

from __future__ import annotations

import datetime as dt
import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer

from cli.lazy import lazy_module
from cli.options import JsonFlag, database_ready
from cli.output import console, fail, plural, print_json
from cli.tables import users_table

if TYPE_CHECKING:
    from inspectorate.services import context, users
else:
    context = lazy_module("inspectorate.services.context")
    users = lazy_module("inspectorate.services.users")

Name = Annotated[str, typer.Argument(help="The account's sign-in name.")]
Actor = Annotated[str, typer.Option(help="Who is doing this, for the audit trail.")]
PasswordStdin = Annotated[
    bool,
    typer.Option(
        "--password-stdin", help="Read the password from standard input (one line), not a prompt."
    ),
]


def read_password(from_stdin: bool) -> str:
    """The new password: one line of standard input, or asked for twice without echo."""
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            fail("--password-stdin: standard input held no password")
        return password
    return str(typer.prompt("New password", hide_input=True, confirmation_prompt=True))


def users_add(
    username: Annotated[
        str, typer.Argument(help="Sign-in name: lower-case letters, digits, . _ -")
    ],
    role: Annotated[str, typer.Option(help="manager, inspector, body or public.")],
    body: Annotated[str | None, typer.Option(help="The body, for a body's account.")] = None,
    password_stdin: PasswordStdin = False,
) -> None:
    """Create a dashboard account (the password is stored as an argon2 hash)."""
    database_ready()
    context.run(
        users.add_user,
        username=username,
        role=role,
        password=read_password(password_stdin),
        body=body,
        now=context.moment(None),
    )
    console.print(f"Account {username} ({role}{', ' + body if body else ''}) created.")


def users_assign(
    username: Annotated[str, typer.Argument(help="An inspector's account.")],
    inspection_id: Annotated[int, typer.Argument(help="Inspection id.")],
    actor: Actor = "users",
) -> None:
    """Put an inspector on an inspection's team (audited; they then see it in the dashboard)."""
    database_ready()
    new = context.run(
        users.assign,
        username=username,
        inspection_id=inspection_id,
        actor=actor,
        now=context.moment(None),
    )
    console.print(f"{username} {'is now' if new else 'was already'} on inspection {inspection_id}.")


def users_unassign(
    username: Annotated[str, typer.Argument(help="An inspector's account.")],
    inspection_id: Annotated[int, typer.Argument(help="Inspection id.")],
    actor: Actor = "users",
) -> None:
    """Take an inspector off an inspection's team (audited)."""
    database_ready()
    gone = context.run(
        users.unassign,
        username=username,
        inspection_id=inspection_id,
        actor=actor,
        now=context.moment(None),
    )
    verb = "is no longer" if gone else "was not"
    console.print(f"{username} {verb} on inspection {inspection_id}.")


def users_list(as_json: JsonFlag = False) -> None:
    """List the accounts: role, body, last sign-in, disabled or locked, sessions, inspections."""
    database_ready()
    with context.reading() as session:
        accounts = users.list_users(session, now=context.moment(None))
    if as_json:
        print_json([_account_json(a) for a in accounts])
    else:
        console.print(users_table(accounts))


def users_disable(username: Name, actor: Actor = "users") -> None:
    """Disable an account: it cannot sign in, and its sessions end at once (audited)."""
    database_ready()
    done = context.run(users.disable, username=username, actor=actor, now=context.moment(None))
    what = "disabled; its sessions ended" if done else "was already disabled"
    console.print(f"{username} {what}.")


def users_enable(username: Name, actor: Actor = "users") -> None:
    """Enable a disabled account and lift any sign-in lockout (audited)."""
    database_ready()
    done = context.run(users.enable, username=username, actor=actor, now=context.moment(None))
    console.print(f"{username} {'enabled' if done else 'was neither disabled nor locked'}.")


def users_unlock(
    username: Annotated[str | None, typer.Argument(help="The locked account.")] = None,
    address: Annotated[
        str | None, typer.Option(help="Lift a client address's lockout instead.")
    ] = None,
    actor: Actor = "users",
) -> None:
    """Lift a sign-in lockout of an account, or of a client address (audited)."""
    if (username is None) == (address is None):
        fail("give an account name or --address, not both")
    database_ready()
    now = context.moment(None)
    if address is not None:
        done = context.run(users.unlock_address, address=address, actor=actor, now=now)
    else:
        assert username is not None
        done = context.run(users.unlock, username=username, actor=actor, now=now)
    console.print(f"{address or username} {'unlocked' if done else 'was not locked'}.")


def users_reset_password(
    username: Name, password_stdin: PasswordStdin = False, actor: Actor = "users"
) -> None:
    """Set a new password; the account's sessions end and any lockout is lifted (audited)."""
    database_ready()
    context.run(users.find_user, username=username)  # before asking for a password
    ended = context.run(
        users.reset_password,
        username=username,
        password=read_password(password_stdin),
        actor=actor,
        now=context.moment(None),
    )
    console.print(f"Password of {username} reset; {plural(ended, 'session')} ended.")


def users_revoke(username: Name, actor: Actor = "users") -> None:
    """End every dashboard session of an account (audited); it can sign in again."""
    database_ready()
    ended = context.run(users.revoke, username=username, actor=actor, now=context.moment(None))
    console.print(f"{plural(ended, 'live session')} of {username} ended.")


def _when(value: dt.datetime | None) -> str | None:
    return context.moment(value).isoformat() if value is not None else None


def _account_json(a: users.AccountSummary) -> dict[str, Any]:
    return {
        "username": a.username,
        "role": a.role,
        "body": a.body,
        "created_at": _when(a.created_at),
        "last_login_at": _when(a.last_login_at),
        "disabled_at": _when(a.disabled_at),
        "locked_until": _when(a.locked_until),
        "sessions": a.sessions,
        "inspections": a.inspections,
    }


def register(app: typer.Typer, inspection: typer.Typer) -> None:
    """Add this module's commands to the command line."""
    users_app = typer.Typer(
        help="Dashboard accounts: create, list, disable, unlock, reset passwords, end sessions; "
        "inspectors' assignments.",
        no_args_is_help=True,
    )
    app.add_typer(users_app, name="users")
    users_app.command("add")(users_add)
    users_app.command("list")(users_list)
    users_app.command("assign")(users_assign)
    users_app.command("unassign")(users_unassign)
    users_app.command("disable")(users_disable)
    users_app.command("enable")(users_enable)
    users_app.command("unlock")(users_unlock)
    users_app.command("reset-password")(users_reset_password)
    users_app.command("revoke")(users_revoke)
