"""Signing in to the dashboard over HTTP: throttled before hashing, and sessions that end.

The issue's case: 50 wrong passwords for the manager in 9 s were all checked (an argon2
hash each) and the right one then worked. Time is a virtual clock; nothing sleeps.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pendulum
import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from dashboard.app import create_app
from inspectorate.adapters import clock
from inspectorate.adapters.models import WebSession
from inspectorate.services import context, sessions, users
from tests import hashing
from tests.hashing import CountingHasher

PASSWORD = "correct horse battery"
hasher = hashing.hasher  # the fixture


@pytest.fixture
def client(
    sqlite_database: str, hasher: CountingHasher, virtual_clock: clock.VirtualClock
) -> Iterator[TestClient]:
    now = virtual_clock.now()
    with context.unit_of_work() as session:
        for name, role in (("mia.manager", "manager"), ("ian.inspector", "inspector")):
            users.add_user(session, username=name, role=role, password=PASSWORD, body=None, now=now)
    with TestClient(create_app()) as test_client:
        yield test_client


def post_login(client: TestClient, username: str, password: str, **headers: str) -> int:
    form = client.get("/login")
    token = re.search(r'name="csrf" value="([^"]+)"', form.text)
    assert token is not None
    answer = client.post(
        "/login",
        data={"username": username, "password": password, "csrf": token.group(1)},
        headers=headers,
        follow_redirects=False,
    )
    return answer.status_code


def signed_in_as(client: TestClient) -> str | None:
    who = re.search(r'<span class="[^"]*\bwho">([^ ]+) ', client.get("/").text)
    return who.group(1) if who else None


def test_fifty_wrong_passwords_in_nine_seconds_are_mostly_refused_unhashed_then_so_is_the_right_one(
    client: TestClient, hasher: CountingHasher, virtual_clock: clock.VirtualClock
) -> None:
    statuses = []
    for _ in range(50):
        statuses.append(post_login(client, "mia.manager", "wrong password!"))
        virtual_clock.set(virtual_clock.now().add(microseconds=180_000))
    # Checked at 0-0.72 s, then after waits of 1, 2 and 4 s; the next wait (8 s) is not over.
    assert statuses.count(401) == 8 and statuses.count(429) == 42
    assert hasher.verified == 8
    assert post_login(client, "mia.manager", PASSWORD) == 429
    assert hasher.verified == 8
    virtual_clock.set(virtual_clock.now().add(seconds=8))
    assert post_login(client, "mia.manager", PASSWORD) == 303
    assert signed_in_as(client) == "mia.manager"


def test_a_lockout_answers_the_same_for_an_unknown_name_and_says_when_to_retry(
    client: TestClient, hasher: CountingHasher, virtual_clock: clock.VirtualClock
) -> None:
    def refusal(name: str, password: str) -> tuple[int, str, int]:
        form = client.get("/login")
        csrf = re.search(r'name="csrf" value="([^"]+)"', form.text)
        assert csrf is not None
        answer = client.post(
            "/login", data={"username": name, "password": password, "csrf": csrf.group(1)}
        )
        message = re.search(r'id="username-error"><span[^>]*>Error:</span> ([^<]+)<', answer.text)
        assert message is not None
        return answer.status_code, message.group(1), int(answer.headers.get("retry-after", 0))

    def lock(name: str) -> list[tuple[int, str, int]]:
        answers = [refusal(name, "wrong password!")]
        while answers[-1][2] < 900:  # wait as told, until locked out
            virtual_clock.set(virtual_clock.now().add(seconds=answers[-1][2]))
            answers.append(refusal(name, "wrong password!"))
        answers.append(refusal(name, PASSWORD))
        return answers

    known = lock("mia.manager")
    hashed = hasher.verified
    unknown = lock("mia.managr")
    assert known == unknown and hasher.verified == 2 * hashed
    assert known[-2:] == [(429, "Too many attempts to sign in: try again in 15 minutes", 900)] * 2
    assert (429, "Too many attempts to sign in: try again in 1 second", 1) in known


def test_forwarded_for_headers_do_not_escape_the_address_throttle(client: TestClient) -> None:
    for n in range(20):
        headers = {"X-Forwarded-For": f"192.0.2.{n}"}
        assert post_login(client, f"guess.{n}", "wrong password!", **headers) == 401
    assert post_login(client, "ian.inspector", PASSWORD, **{"X-Forwarded-For": "192.0.2.99"}) == 429


@pytest.mark.parametrize("how", ["disable", "reset-password", "revoke"])
def test_a_disabled_reset_or_revoked_account_is_signed_out_at_once(
    client: TestClient, virtual_clock: clock.VirtualClock, how: str
) -> None:
    assert post_login(client, "ian.inspector", PASSWORD) == 303
    assert signed_in_as(client) == "ian.inspector"
    args = {"username": "ian.inspector", "actor": "it", "now": virtual_clock.now()}
    if how == "disable":
        context.run(users.disable, **args)
    elif how == "reset-password":
        context.run(users.reset_password, password="a fresh passphrase", **args)
    else:
        context.run(users.revoke, **args)
    assert signed_in_as(client) is None
    assert client.post("/logout", data={"csrf": "x"}, follow_redirects=False).status_code == 303
    again = post_login(client, "ian.inspector", PASSWORD)
    assert again == (303 if how == "revoke" else 401)


def test_an_expired_session_signs_nobody_in_and_its_row_is_deleted(
    client: TestClient, virtual_clock: clock.VirtualClock
) -> None:
    assert post_login(client, "ian.inspector", PASSWORD) == 303
    virtual_clock.set(virtual_clock.now().add(hours=sessions.SESSION_HOURS))
    assert signed_in_as(client) is None
    with context.reading() as session:
        assert session.exec(select(WebSession)).all() == []
    assert post_login(client, "ian.inspector", PASSWORD) == 303
    assert signed_in_as(client) == "ian.inspector"


def test_signing_in_purges_other_accounts_expired_sessions(
    client: TestClient, virtual_clock: clock.VirtualClock
) -> None:
    assert post_login(client, "mia.manager", PASSWORD) == 303
    client.cookies.clear()
    virtual_clock.set(virtual_clock.now() + pendulum.duration(hours=13))
    assert post_login(client, "ian.inspector", PASSWORD) == 303
    with context.reading() as session:
        assert len(session.exec(select(WebSession)).all()) == 1
