"""The dashboard in a real browser: Playwright driving Debian's Chromium (installed by make)."""

from __future__ import annotations

import contextvars
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from dashboard.app import create_app
from deployments.local_server import free_port
from inspectorate.services import context, documents
from tests.dashboard_record import PASSWORD, ROLES, BoardRecord, build_board_record
from tests.factories import morning

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = pytest.mark.usefixtures("prefect_server")


@pytest.fixture
def site(sqlite_database: str, tmp_path: Path) -> Iterator[tuple[str, BoardRecord]]:
    record = build_board_record()
    context.run(
        documents.write_document,
        inspection_id=record.published,
        kind="published",
        lang="en",
        formats=("pdf",),
        folder=tmp_path / "reports",
        now=morning("2014-05-30"),
        actor="t",
    )
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(), host="127.0.0.1", port=port, log_level="warning")
    )
    # The thread inherits this test's context, so flows it runs use the test's Prefect server.
    thread = threading.Thread(
        target=contextvars.copy_context().run, args=(server.run,), daemon=True
    )
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    if not server.started:
        server.should_exit = True
        pytest.fail(f"the dashboard did not start on port {port} within 30 s")
    try:
        yield f"http://127.0.0.1:{port}", record
    finally:
        server.should_exit = True
        thread.join(10)


@pytest.fixture
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is needed at {CHROMIUM}: `make test` installs Debian's package")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield launched
        launched.close()


def signed_in(browser: object, base: str, role: str) -> object:
    context = browser.new_context(accept_downloads=True)  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(f"{base}/login")
    page.fill("input[name=username]", ROLES[role])
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")
    assert f"{ROLES[role]} ({role})" in page.inner_text("nav")
    return page


def test_each_role_signs_in_and_sees_what_it_may(
    site: tuple[str, BoardRecord], browser: object
) -> None:
    base, record = site
    expected = {
        "manager": {f"/inspections/{record.draft}": 200, "/programmes/iaow": 200},
        "inspector": {f"/inspections/{record.draft}": 403, f"/inspections/{record.assigned}": 200},
        "body": {f"/inspections/{record.draft}": 200, "/programmes/iaow": 403},
        "public": {f"/inspections/{record.draft}": 403, f"/inspections/{record.published}": 200},
    }
    for role, paths in expected.items():
        page = signed_in(browser, base, role)
        for path, status in paths.items():
            response = page.goto(f"{base}{path}")  # type: ignore[attr-defined]
            assert response.status == status, (role, path)
            if status == 403:
                assert "Not allowed" in page.inner_text("h1")  # type: ignore[attr-defined]
        page.context.close()  # type: ignore[attr-defined]


def test_the_body_sends_comments_and_anyone_downloads_the_published_pdf(
    site: tuple[str, BoardRecord], browser: object
) -> None:
    base, record = site
    page = signed_in(browser, base, "body")
    page.goto(f"{base}/inspections/{record.draft}")  # type: ignore[attr-defined]
    page.fill("textarea[name=text]", "Paragraph 2.3: <b>please</b> name the liaison officer.")  # type: ignore[attr-defined]
    page.click("text=Send comments")  # type: ignore[attr-defined]
    page.wait_for_selector("p.note")  # type: ignore[attr-defined]
    assert "comments kept" in page.inner_text("p.note")  # type: ignore[attr-defined]
    assert "<b>please</b>" in page.inner_text("blockquote.comment")  # type: ignore[attr-defined]
    assert page.inner_text("strong.status") == "comments closed"  # type: ignore[attr-defined]
    anonymous = browser.new_context(accept_downloads=True).new_page()  # type: ignore[attr-defined]
    anonymous.goto(f"{base}/reports")
    with anonymous.expect_download() as download:
        anonymous.click("text=published (en, PDF)")
    saved = Path(download.value.path())
    assert saved.read_bytes().startswith(b"%PDF")


def test_the_api_docs_render_from_our_own_files_under_their_csp(
    site: tuple[str, BoardRecord], browser: object
) -> None:
    base, _record = site
    page = browser.new_page()  # type: ignore[attr-defined]
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    elsewhere: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(base) else elsewhere.append(r.url))
    response = page.goto(f"{base}/api/docs")
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert "unsafe" not in response.headers["content-security-policy"]
    page.wait_for_selector(".opblock", timeout=15_000)
    assert page.locator(".opblock").count() == 5  # the five GET operations of the API
    assert problems == [] and elsewhere == []


# The README's pictures are taken here: `make screenshots` sets this to docs/screenshots.
SCREENSHOTS = "INSPECTORATE_SCREENSHOTS"
README_PICTURES = ("timeline", "inspection", "report")


def test_the_readme_pictures_are_screenshots_of_the_dashboard(
    site: tuple[str, BoardRecord], browser: object, tmp_path: Path
) -> None:
    import os

    from PIL import Image

    from tests.import_graph import ROOT

    base, record = site
    folder = Path(os.environ.get(SCREENSHOTS) or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    page = signed_in(browser, base, "manager")
    page.set_viewport_size({"width": 1100, "height": 820})  # type: ignore[attr-defined]
    for name, path in zip(
        README_PICTURES,
        (
            "/programmes/iaow?as_of=2014-04-07",
            f"/inspections/{record.draft}",
            f"/documents/{record.published_document}",
        ),
        strict=True,
    ):
        response = page.goto(f"{base}{path}")  # type: ignore[attr-defined]
        assert response.status == 200, path
        page.screenshot(path=str(folder / f"{name}.png"))  # type: ignore[attr-defined]
        with Image.open(folder / f"{name}.png") as picture:
            assert picture.size == (1100, 820)
            assert len(picture.getcolors(1_000_000) or []) > 50  # drawn, not a blank page
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in README_PICTURES:
        assert f"](docs/screenshots/{name}.png)" in readme
        assert (ROOT / "docs" / "screenshots" / f"{name}.png").is_file()
