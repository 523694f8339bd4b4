"""The dashboard hardened: embargoed documents, hidden children, hostile input, headers, limits."""

from __future__ import annotations

import contextvars
import re
import select
import socket
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
import uvicorn
from fastapi.testclient import TestClient

from dashboard.app import create_app
from deployments.local_server import free_port
from inspectorate.adapters.settings import get_settings
from inspectorate.domain.errors import InvalidInput
from inspectorate.services import context, documents, scheduling, users
from tests.dashboard_record import PASSWORD, ROLES, BoardRecord, build_board_record
from tests.factories import morning

pytestmark = pytest.mark.usefixtures("prefect_server")


@pytest.fixture
def record(sqlite_database: str) -> BoardRecord:
    return build_board_record()


@pytest.fixture
def app_client() -> Iterator[TestClient]:
    with TestClient(create_app()) as client:
        yield client


def sign_in_as(client: TestClient, username: str | None) -> str:
    """Sign in as `username` (None stays anonymous); return the session's CSRF token."""
    client.cookies.clear()
    if username is None:
        return ""
    form = client.get("/login")
    token = re.search(r'name="csrf" value="([^"]+)"', form.text)
    assert token is not None
    answer = client.post(
        "/login",
        data={"username": username, "password": PASSWORD, "csrf": token.group(1)},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/").text)
    assert csrf is not None
    return csrf.group(1)


def add_body_account(username: str, body: str) -> None:
    """An account for another body than the record's own (Wales)."""
    with context.unit_of_work() as session:
        users.add_user(
            session,
            username=username,
            role="body",
            password=PASSWORD,
            body=body,
            now=morning("2014-01-02"),
        )


def render_draft(inspection_id: int) -> int:
    """Render the draft as `report draft` does, whatever the status; return its id."""
    [saved] = context.run(
        documents.write_document,
        inspection_id=inspection_id,
        kind="draft",
        lang="en",
        formats=("html",),
        folder=get_settings().reports_dir,
        now=morning("2014-04-01"),
        actor="cli",
    )
    with context.reading() as session:
        versions = documents.versions_of(session, inspection_id=inspection_id)
    return next(v.id for v in versions if v.sha256 == saved.sha256 and v.id is not None)


def test_a_body_cannot_open_its_draft_before_it_is_sent(
    record: BoardRecord, app_client: TestClient
) -> None:
    add_body_account("dtv.trust", "Durham Tees Valley")
    draft = render_draft(record.scored)  # the inspection is scored: nothing sent yet
    sign_in_as(app_client, "dtv.trust")
    assert app_client.get(f"/documents/{draft}").status_code == 403
    page = app_client.get(f"/inspections/{record.scored}")
    assert page.status_code == 200 and f"/documents/{draft}" not in page.text
    shown = app_client.get(f"/api/inspections/{record.scored}").json()
    assert shown["documents"] == [] and shown["headline_scores"] is None
    sign_in_as(app_client, ROLES["inspector"])  # its lead inspector reads it
    assert app_client.get(f"/documents/{draft}").status_code == 200
    sign_in_as(app_client, ROLES["body"])  # Wales reads its own draft, sent
    assert app_client.get(f"/documents/{record.draft_document}").status_code == 200


def plan_follow_up(parent: int) -> int:
    """A follow-up of `parent` (London), planned and not announced."""
    child, _ = context.run(
        scheduling.schedule,
        body_name="London",
        programme_code="iaow",
        fieldwork_start=morning("2014-05-19").date(),
        actor="programme-manager",
        now=morning("2014-03-03", 9),
        follow_up_of=parent,
    )
    return child


def test_a_published_inspection_lists_only_the_children_its_viewer_may_see(
    record: BoardRecord, app_client: TestClient
) -> None:
    child = plan_follow_up(record.published)
    for username in (None, ROLES["public"], ROLES["body"], ROLES["inspector"]):
        sign_in_as(app_client, username)
        assert app_client.get(f"/api/inspections/{child}").status_code == 403
        assert app_client.get(f"/api/inspections/{record.published}").json()["children"] == []
        page = app_client.get(f"/inspections/{record.published}").text
        assert f"/inspections/{child}" not in page and "19 May 2014" not in page
    sign_in_as(app_client, ROLES["manager"])
    [listed] = app_client.get(f"/api/inspections/{record.published}").json()["children"]
    assert listed == {
        "id": child,
        "kind": "follow_up",
        "status": "planned",
        "fieldwork_start": "2014-05-19",
    }
    assert (
        f'<a href="/inspections/{child}">'
        in app_client.get(f"/inspections/{record.published}").text
    )


HUGE = "99999999999999999999999"  # beyond 64 bits: no row has it, and no database integer


def test_ids_and_days_no_record_can_hold_answer_404_or_400_not_500(
    record: BoardRecord, app_client: TestClient
) -> None:
    sign_in_as(app_client, ROLES["manager"])
    for path, status in [
        (f"/inspections/{HUGE}", 404),
        (f"/documents/{HUGE}", 404),
        ("/inspections/0", 404),
        ("/documents/-1", 404),
        ("/inspections/abc", 404),
        (f"/inspections/{2**63}", 404),
        (f"/api/inspections/{HUGE}", 422),
        ("/api/inspections/-1", 422),
        ("/deadlines?as_of=9999-12-31", 400),
        ("/api/deadlines?as_of=9999-12-31", 400),
        ("/deadlines?as_of=0001-01-01", 400),
        ("/programmes/iaow?as_of=9999-12-31", 400),
        ("/api/deadlines?as_of=2014-02-30", 400),
    ]:
        answer = app_client.get(path)
        assert answer.status_code == status, (path, answer.text[:300])
    refused = app_client.get("/api/deadlines?as_of=9999-12-31").json()["detail"]
    assert refused == (
        "as_of '9999-12-31' is outside the years the inspectorate plans for "
        "(1900-01-01 to 2199-12-31)"
    )
    assert "outside the years" in app_client.get("/deadlines?as_of=9999-12-31").text
    assert app_client.get(f"/inspections/{2**63 - 1}").status_code == 404  # the largest id


def test_an_action_on_an_id_beyond_64_bits_is_not_found(
    record: BoardRecord, app_client: TestClient
) -> None:
    csrf = sign_in_as(app_client, ROLES["manager"])
    answer = app_client.post(f"/inspections/{HUGE}/publish", data={"csrf": csrf})
    assert answer.status_code in (404, 422)
    moved = app_client.post(
        f"/inspections/{record.assigned}/reschedule",
        data={"fieldwork_start": "9999-12-27", "why": "x", "csrf": csrf},
    )
    assert moved.status_code == 400 and "outside the years" in moved.text


def test_a_refused_query_is_echoed_back_short(record: BoardRecord, app_client: TestClient) -> None:
    sign_in_as(app_client, ROLES["manager"])
    answer = app_client.get("/api/deadlines", params={"as_of": "x" * 5000})
    assert answer.status_code == 422 and len(answer.content) < 1000
    page = app_client.get("/deadlines", params={"as_of": "x" * 5000})
    assert page.status_code == 422 and "Missing or not valid: as_of" in page.text


def test_nothing_may_be_framed_and_only_published_documents_are_kept(
    record: BoardRecord, app_client: TestClient
) -> None:
    sign_in_as(app_client, ROLES["body"])
    seen = {}
    for path in [
        "/",
        f"/inspections/{record.draft}",
        f"/documents/{record.draft_document}",
        f"/documents/{record.published_document}",
        f"/api/inspections/{record.draft}",
        "/api/inspections",
        "/programmes/iaow",  # 403
        "/inspections/999",  # 404
        "/api/docs",
        "/api/openapi.json",
        "/static/dashboard.css",
    ]:
        answer = app_client.get(path)
        assert "frame-ancestors 'none'" in answer.headers["content-security-policy"], path
        assert answer.headers["x-frame-options"] == "DENY", path
        seen[path] = answer.headers["cache-control"]
    published = seen.pop(f"/documents/{record.published_document}")
    assert published.startswith("public")  # a published report may be kept anywhere
    assert seen.pop("/static/dashboard.css") == "no-cache"  # the same for everyone
    assert set(seen.values()) == {"no-store"}
    draft = app_client.get(f"/documents/{record.draft_document}").headers
    assert draft["content-security-policy"].startswith("default-src 'none'")


def test_the_api_docs_load_nothing_from_elsewhere(app_client: TestClient) -> None:
    page = app_client.get("/api/docs")
    assert page.status_code == 200
    policy = page.headers["content-security-policy"]
    assert "unsafe" not in policy and "http" not in policy
    scripts = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', page.text)
    assert scripts and all(s.startswith("/") for s in scripts)
    for asset in scripts:
        answer = app_client.get(asset)
        assert answer.status_code == 200 and len(answer.content) > 100, asset
    assert "<script>" not in page.text  # no inline script for the policy to allow


@pytest.fixture
def live(record: BoardRecord) -> Iterator[tuple[int, BoardRecord]]:
    """The app under uvicorn on a free loopback port, for requests a test client cannot make."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=contextvars.copy_context().run, args=(server.run,))
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield port, record
    finally:
        server.should_exit = True
        thread.join(10)


def session_cookie(port: int, username: str) -> str:
    """Sign in on the live server; return the Cookie header's value."""
    with httpx.Client(base_url=f"http://127.0.0.1:{port}") as client:
        sign_in_as(client, username)  # type: ignore[arg-type]
        return "; ".join(f"{k}={v}" for k, v in client.cookies.items())


def post_head_only(port: int, path: str, length: int, cookie: str = "") -> tuple[int, float]:
    """Send a POST's head declaring `length` bytes and none of them; return status and wait."""
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {length}\r\n"
        "Content-Type: multipart/form-data; boundary=x\r\n"
        + (f"Cookie: {cookie}\r\n" if cookie else "")
        + "\r\n"
    )
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(head.encode())
        answer = connection.recv(4096).decode("latin-1")
    return int(answer.split()[1]), time.monotonic() - started


def post_chunks(
    port: int, path: str, cookie: str, chunk: bytes, most: int, first: bytes = b""
) -> tuple[int, int]:
    """Stream a chunked POST until the server answers; return its status and bytes sent."""
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n"
        f"Content-Type: multipart/form-data; boundary=x\r\nCookie: {cookie}\r\n\r\n"
    )
    sent = 0
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(head.encode() + f"{len(first):x}\r\n".encode() + first + b"\r\n")
        while sent < most and not select.select([connection], [], [], 0)[0]:
            try:
                connection.sendall(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
            except (BrokenPipeError, ConnectionResetError):
                break  # the server answered and hung up
            sent += len(chunk)
        answer = connection.recv(4096)
    return int(answer.split()[1]), sent


def test_an_anonymous_upload_is_refused_before_its_body_is_read(
    live: tuple[int, BoardRecord],
) -> None:
    port, record = live
    status, waited = post_head_only(port, f"/inspections/{record.scored}/fieldwork", 50_000_000)
    assert status == 401 and waited < 5  # no byte of the 50 MB was sent, or awaited
    cookie = session_cookie(port, ROLES["manager"])
    status, _ = post_head_only(port, f"/inspections/{record.scored}/fieldwork", 50_000_000, cookie)
    assert status == 413
    status, _ = post_head_only(port, f"/inspections/{record.assigned}/reschedule", 100_000, cookie)
    assert status == 413  # a form of short fields takes 64 KB
    status, _ = post_head_only(port, "/login", 10_000_000)
    assert status == 413


def test_a_chunked_body_is_cut_off_once_it_passes_the_limit(
    live: tuple[int, BoardRecord],
) -> None:
    port, record = live
    cookie = session_cookie(port, ROLES["manager"])
    path = f"/inspections/{record.scored}/fieldwork"
    part = (
        b'--x\r\nContent-Disposition: form-data; name="judgements"; filename="j.csv"\r\n'
        b"Content-Type: text/csv\r\n\r\n"
    )
    status, sent = post_chunks(port, path, cookie, b"x" * 1_000_000, 60_000_000, first=part)
    assert status == 413 and sent < 40_000_000  # refused near 20 MB, not after all 60
    status, _ = post_chunks(
        port, f"/inspections/{record.assigned}/reschedule", cookie, b"y" * 10_000, 1_000_000, part
    )
    assert status == 413  # a socket's buffers take more than 64 KB: the status says it


def test_a_body_past_its_limit_gets_413_from_the_test_client_too(
    record: BoardRecord, app_client: TestClient
) -> None:
    sign_in_as(app_client, ROLES["manager"])

    def chunks() -> Iterator[bytes]:
        yield b"fieldwork_start=2014-05-19&why="
        yield b"x" * 100_000

    answer = app_client.post(
        f"/inspections/{record.assigned}/reschedule",
        content=chunks(),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert answer.status_code == 413 and "larger than the 64 KB" in answer.text
    assert "frame-ancestors" in answer.headers["content-security-policy"]


def test_an_error_shown_to_people_is_cut_short(sqlite_database: str) -> None:
    app = create_app()

    @app.get("/boom")
    def boom() -> None:
        raise InvalidInput("why " * 10_000)

    with TestClient(app) as client:
        page = client.get("/boom")
    assert page.status_code == 400 and "why " * 700 in page.text
    assert "why " * 800 not in page.text and "…" in page.text  # cut at MESSAGE_CHARS (3,000)


def test_a_note_in_the_address_shows_only_when_this_sessions_own_action_put_it_there(
    record: BoardRecord, app_client: TestClient
) -> None:
    page = f"/inspections/{record.assigned}"
    csrf = sign_in_as(app_client, ROLES["manager"])
    forged = app_client.get(page, params={"note": "Your account is suspended: call 0900 123"})
    assert forged.status_code == 200 and "suspended" not in forged.text
    added = app_client.post(
        f"{page}/team", data={"csrf": csrf, "username": ROLES["inspector"]}, follow_redirects=False
    )
    assert added.status_code == 303 and "sig=" in added.headers["location"]
    assert "was already on the team" in app_client.get(added.headers["location"]).text
    sign_in_as(app_client, ROLES["manager"])  # a new session: the old link vouches for nothing
    assert "was already on the team" not in app_client.get(added.headers["location"]).text


def test_an_address_no_page_has_gets_the_services_not_found_page(
    record: BoardRecord, app_client: TestClient
) -> None:
    page = app_client.get("/nope")
    assert page.status_code == 404 and "<h1>Not found</h1>" in page.text
    assert page.headers["content-type"].startswith("text/html")
    assert app_client.get("/api/nope").json() == {"detail": "Not Found"}


def test_a_sign_in_left_empty_says_what_to_enter_and_keeps_the_username(
    record: BoardRecord, app_client: TestClient
) -> None:
    form = app_client.get("/login")
    csrf = re.search(r'name="csrf" value="([^"]+)"', form.text)
    assert csrf is not None
    answer = app_client.post("/login", data={"username": "mia.manager", "csrf": csrf.group(1)})
    assert answer.status_code == 400 and 'href="#password"' in answer.text
    assert "Enter your password" in answer.text and 'value="mia.manager"' in answer.text
