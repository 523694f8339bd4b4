"""Dashboard accounts: throttled sign-in, lockouts lifted by the manager, account management.

The services run on SQLite and PostgreSQL; time is passed in (no sleeping). A counting
argon2 hasher shows that a throttled attempt computes no hash.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import sys

import pytest
from sqlalchemy import text
from sqlmodel import col, select
from typer.testing import CliRunner

from cli.app import build_app
from cli.main import main
from inspectorate.adapters.database import get_engine
from inspectorate.adapters.models import AuditEvent, LoginThrottle, User, WebSession
from inspectorate.domain.errors import InvalidInput, UnknownInspection
from inspectorate.services import context, sessions, sign_in, users
from tests import hashing
from tests.factories import schedule
from tests.hashing import CountingHasher

PASSWORD = "correct horse battery"
T0 = dt.datetime(2014, 3, 3, 9, tzinfo=dt.UTC)
HERE, THERE = "198.51.100.7", "203.0.113.9"


hasher = hashing.hasher  # the fixture


@pytest.fixture
def accounts(database: str, hasher: CountingHasher) -> None:
    if database.startswith("postgresql"):  # one database for the run: start with no accounts
        with get_engine(database).begin() as connection:
            connection.execute(text('TRUNCATE "user", loginthrottle RESTART IDENTITY CASCADE'))
    with context.unit_of_work() as session:
        for name, role in (("mia.manager", "manager"), ("ian.inspector", "inspector")):
            users.add_user(session, username=name, role=role, password=PASSWORD, body=None, now=T0)


def attempt(name: str, password: str, now: dt.datetime, address: str = HERE) -> sign_in.SignIn:
    return context.run(sign_in.sign_in, username=name, password=password, address=address, now=now)


def fail_until_locked(
    name: str, now: dt.datetime, address: str = HERE, vary: bool = False
) -> list[dt.timedelta]:
    """Wrong passwords, each as soon as allowed, until locked out; the waits asked.

    With `vary`, each attempt is at another account name (name.0, name.1, …).
    """
    waits, n = [], 0
    while True:
        outcome = attempt(f"{name}.{n}" if vary else name, "wrong password!", now, address)
        n += 1
        if outcome.retry_at is not None:
            waits.append(outcome.retry_at - now)
            if outcome.retry_at - now >= dt.timedelta(minutes=15):
                return waits
            now = outcome.retry_at


def audit(action: str) -> list[AuditEvent]:
    with context.reading() as session:
        return list(session.exec(select(AuditEvent).where(AuditEvent.action == action)))


def test_wrong_passwords_back_off_then_lock_the_account_even_against_the_right_one(
    accounts: None, hasher: CountingHasher
) -> None:
    assert attempt("mia.manager", PASSWORD, T0).token
    hasher.verified = 0
    waits = fail_until_locked("mia.manager", T0)
    assert [w.total_seconds() for w in waits] == [1, 2, 4, 8, 16, 15 * 60]
    assert hasher.verified == 10  # the refused attempts cost no hash
    later = T0 + dt.timedelta(minutes=5)
    refused = attempt("mia.manager", PASSWORD, later)
    assert refused.token is None and refused.retry_at is not None
    assert hasher.verified == 10
    [locked] = audit("login_locked")
    assert (locked.entity, locked.actor, locked.to_state) == ("user", "sign-in", "locked")
    assert "account mia.manager: 10 wrong passwords" in locked.why
    assert attempt("mia.manager", PASSWORD, refused.retry_at).token  # the lockout ends


def test_a_right_password_clears_the_accounts_count(accounts: None) -> None:
    for _ in range(4):
        assert attempt("ian.inspector", "wrong password!", T0).retry_at is None
    assert attempt("ian.inspector", PASSWORD, T0).token
    for _ in range(4):
        assert attempt("ian.inspector", "wrong password!", T0).retry_at is None


def test_an_unknown_name_is_answered_exactly_like_a_real_one(
    accounts: None, hasher: CountingHasher
) -> None:
    real = fail_until_locked("mia.manager", T0, address=HERE)
    hasher.verified = 0
    unknown = fail_until_locked("mia.managr", T0, address=THERE)
    assert unknown == real and hasher.verified == 10
    assert [e.entity for e in audit("login_locked")] == ["user", "login"]


def test_one_address_guessing_at_many_accounts_is_throttled_and_then_locked_out(
    accounts: None, hasher: CountingHasher
) -> None:
    for n in range(19):
        assert attempt(f"guess.{n}", "wrong password!", T0).retry_at is None
    hasher.verified = 0
    assert attempt("mia.manager", PASSWORD, T0).token  # below the address's limit
    assert attempt("ian.inspector", "wrong password!", T0).retry_at is None  # the 20th
    refused = attempt("mia.manager", PASSWORD, T0)
    assert refused.retry_at == T0 + dt.timedelta(seconds=1) and hasher.verified == 2
    assert attempt("mia.manager", PASSWORD, T0, address=THERE).token  # another address
    waits = fail_until_locked("guess", refused.retry_at, vary=True)
    assert [w.total_seconds() for w in waits] == [2**n for n in range(1, 10)] + [15 * 60]
    [locked] = audit("login_locked")
    assert locked.entity == "login" and f"address {HERE}: 30 wrong passwords" in locked.why


def test_the_manager_lifts_a_lockout_audited(accounts: None) -> None:
    waits = fail_until_locked("guess", T0, address=THERE, vary=True)
    start = T0 + sum(waits[:-1], dt.timedelta(0))  # when the address was locked
    fail_until_locked("mia.manager", start)
    later = start + dt.timedelta(minutes=2)
    assert attempt("mia.manager", PASSWORD, later).retry_at is not None
    assert context.run(users.unlock, username="mia.manager", actor="it-desk", now=later)
    assert not context.run(users.unlock, username="mia.manager", actor="it-desk", now=later)
    assert attempt("mia.manager", PASSWORD, later).token
    assert attempt("ian.inspector", PASSWORD, later, address=THERE).retry_at is not None
    assert context.run(users.unlock_address, address=THERE, actor="it-desk", now=later)
    assert attempt("ian.inspector", PASSWORD, later, address=THERE).token
    lifted = [(e.entity, e.actor, e.from_state, e.why) for e in audit("login_unlocked")]
    assert lifted == [
        ("user", "it-desk", "locked", "account mia.manager: lockout lifted by it-desk"),
        ("login", "it-desk", "locked", f"address {THERE}: lockout lifted by it-desk"),
    ]
    with pytest.raises(InvalidInput, match="no account is called 'nobody'"):
        context.run(users.unlock, username="nobody", actor="it-desk", now=later)


def test_disable_enable_reset_and_revoke_end_sessions_and_are_audited(accounts: None) -> None:
    def signed_in(now: dt.datetime = T0) -> str:
        token = attempt("ian.inspector", PASSWORD, now).token
        assert token is not None
        return token

    def account(token: str, now: dt.datetime = T0) -> sessions.Account | None:
        return context.run(sessions.session_account, token=token, now=now)

    token = signed_in()
    assert context.run(users.disable, username="ian.inspector", actor="it", now=T0)
    assert not context.run(users.disable, username="ian.inspector", actor="it", now=T0)
    assert account(token) is None
    assert attempt("ian.inspector", PASSWORD, T0).token is None  # cannot sign in
    assert context.run(users.enable, username="ian.inspector", actor="it", now=T0)
    token = signed_in()
    assert account(token) is not None
    ended = context.run(
        users.reset_password,
        username="ian.inspector",
        password="a new passphrase",
        actor="it",
        now=T0,
    )
    assert ended == 1 and account(token) is None
    assert attempt("ian.inspector", PASSWORD, T0).token is None
    token = context.run(
        sign_in.sign_in, username="ian.inspector", password="a new passphrase", address=HERE, now=T0
    ).token
    assert token is not None and account(token) is not None
    assert context.run(users.revoke, username="ian.inspector", actor="it", now=T0) == 1
    assert account(token) is None
    with pytest.raises(InvalidInput, match="at least 10 characters"):
        context.run(
            users.reset_password, username="ian.inspector", password="short", actor="it", now=T0
        )
    actions = [e.action for e in audit("user_disabled") + audit("user_enabled")]
    actions += [e.action for e in audit("password_reset") + audit("sessions_revoked")]
    assert actions == ["user_disabled", "user_enabled", "password_reset", "sessions_revoked"]


def test_an_expired_session_never_authenticates_and_expired_rows_are_purged(
    accounts: None,
) -> None:
    old = attempt("ian.inspector", PASSWORD, T0).token
    assert old is not None
    expiry = T0 + dt.timedelta(hours=sessions.SESSION_HOURS)
    assert context.run(sessions.session_account, token=old, now=expiry) is None
    with context.reading() as session:
        assert session.exec(select(WebSession)).all() == []  # purged when presented
    attempt("ian.inspector", PASSWORD, T0)
    assert attempt("mia.manager", PASSWORD, expiry).token  # opening a session purges too
    with context.reading() as session:
        assert [w.user_id for w in session.exec(select(WebSession))] == [
            session.exec(select(User.id).where(User.username == "mia.manager")).one()
        ]


def test_unassign_takes_an_inspector_off_a_team(accounts: None) -> None:
    inspection_id = schedule()
    context.run(users.assign, username="ian.inspector", inspection_id=inspection_id, now=T0)
    args = {"username": "ian.inspector", "inspection_id": inspection_id, "actor": "pm", "now": T0}
    assert context.run(users.unassign, **args)
    assert not context.run(users.unassign, **args)
    with context.reading() as session:
        user = users.find_user(session, username="ian.inspector")
        assert user.id is not None
        assert users.assigned_inspections(session, user_id=user.id) == set()
    [event] = audit("inspector_unassigned")
    assert (event.inspection_id, event.from_state) == (inspection_id, "ian.inspector")
    with pytest.raises(UnknownInspection):
        context.run(users.unassign, **{**args, "inspection_id": 999})


# --- the command line ---------------------------------------------------------------------


def run(
    argv: list[str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    stdin: str = "",
) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "argv", ["inspectorate", *argv])
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = 0
    try:
        main()
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def cli_accounts(sqlite_database: str, hasher: CountingHasher) -> int:
    with context.unit_of_work() as session:
        for name, role in (("mia.manager", "manager"), ("ian.inspector", "inspector")):
            users.add_user(session, username=name, role=role, password=PASSWORD, body=None, now=T0)
    inspection_id = schedule()
    context.run(users.assign, username="ian.inspector", inspection_id=inspection_id, now=T0)
    return inspection_id


def test_users_list_shows_state_sessions_and_inspections(
    cli_accounts: int, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    now = dt.datetime.now(dt.UTC)
    attempt("ian.inspector", PASSWORD, now)
    fail_until_locked("mia.manager", now)
    code, out, _ = run(["users", "list", "--json"], capsys, monkeypatch)
    assert code == 0
    rows = {r["username"]: r for r in json.loads(out)}
    assert rows["ian.inspector"]["sessions"] == 1
    assert rows["ian.inspector"]["inspections"] == [cli_accounts]
    assert rows["ian.inspector"]["last_login_at"] and rows["mia.manager"]["locked_until"]
    code, out, _ = run(["users", "list"], capsys, monkeypatch)
    assert code == 0 and "locked until" in out and "never" in out


def test_each_account_command_works_and_is_audited(
    cli_accounts: int, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    now = dt.datetime.now(dt.UTC)
    fail_until_locked("guess", now, address=HERE, vary=True)  # locks the address
    fail_until_locked("mia.manager", now, address=THERE)
    steps = [
        (["users", "unlock", "mia.manager", "--actor", "it-desk"], "mia.manager unlocked"),
        (["users", "disable", "ian.inspector"], "disabled; its sessions ended"),
        (["users", "enable", "ian.inspector"], "ian.inspector enabled"),
        (["users", "unassign", "ian.inspector", str(cli_accounts)], "is no longer on"),
        (["users", "revoke", "mia.manager"], "0 live sessions of mia.manager ended"),
        (["users", "unlock", "--address", HERE], f"{HERE} unlocked"),
    ]
    for argv, said in steps:
        code, out, err = run(argv, capsys, monkeypatch)
        assert (code, err) == (0, "") and said in out, argv
    code, out, _ = run(
        ["users", "reset-password", "mia.manager", "--password-stdin"],
        capsys,
        monkeypatch,
        stdin="a brand new passphrase\n",
    )
    assert code == 0 and "Password of mia.manager reset" in out
    assert attempt("mia.manager", "a brand new passphrase", dt.datetime.now(dt.UTC)).token
    with context.reading() as session:
        actions = set(session.exec(select(AuditEvent.action)))
        assert not session.exec(
            select(LoginThrottle).where(col(LoginThrottle.locked_until).is_not(None))
        ).all()
    assert actions >= {
        "login_unlocked",
        "user_disabled",
        "user_enabled",
        "inspector_unassigned",
        "sessions_revoked",
        "password_reset",
    }


def test_reset_password_asks_twice_without_echo(cli_accounts: int) -> None:
    result = CliRunner().invoke(
        build_app(),
        ["users", "reset-password", "ian.inspector"],
        input="another passphrase\nanother passphrase\n",
    )
    assert result.exit_code == 0, result.output
    assert "another passphrase" not in result.output
    assert attempt("ian.inspector", "another passphrase", dt.datetime.now(dt.UTC)).token


@pytest.mark.parametrize(
    ("argv", "stdin", "said"),
    [
        (["users", "disable", "nobody"], "", "no account is called 'nobody'"),
        (["users", "enable", "nobody"], "", "no account is called 'nobody'"),
        (["users", "revoke", "nobody"], "", "no account is called 'nobody'"),
        (["users", "unlock", "nobody"], "", "no account is called 'nobody'"),
        (["users", "unlock"], "", "give an account name or --address"),
        (["users", "unassign", "nobody", "1"], "", "no account is called 'nobody'"),
        (["users", "unassign", "ian.inspector", "999"], "", "no inspection with id 999"),
        (["users", "reset-password", "nobody", "--password-stdin"], "x" * 12, "no account"),
        (["users", "reset-password", "mia.manager", "--password-stdin"], "short\n", "at least 10"),
        (["users", "reset-password", "mia.manager", "--password-stdin"], "", "held no password"),
    ],
)
def test_bad_input_is_one_line_and_exit_code_2(
    cli_accounts: int,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    argv: list[str],
    stdin: str,
    said: str,
) -> None:
    code, out, err = run(argv, capsys, monkeypatch, stdin=stdin)
    assert code == 2 and said in err and "Traceback" not in err + out
