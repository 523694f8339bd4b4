"""Accessibility measured (issue 16, part 2): axe-core on every page for every role.

axe-core (bundled in axe-playwright-python, nothing downloaded) runs the WCAG 2.0, 2.1 and
2.2 A and AA rules in Debian's Chromium on each page each role can reach, on error pages,
and on forms showing their errors; no serious or critical violation may remain. The main
journeys are then done with the keyboard alone.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.dashboard_record import PASSWORD, ROLES, BoardRecord
from tests.test_dashboard_browser import browser, signed_in, site  # noqa: F401

pytestmark = pytest.mark.usefixtures("prefect_server")
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING = ("serious", "critical")


def violations(page: Any) -> list[str]:
    """The page's serious and critical WCAG A/AA violations, as 'rule: element' lines."""
    from axe_playwright_python.sync_playwright import Axe

    settled(page)
    options = {"runOnly": {"type": "tag", "values": WCAG_AA}, "resultTypes": ["violations"]}
    found = Axe().run(page, options=options).response["violations"]
    return [
        f"{v['id']} ({v['impact']}): {node['target']} {v['help']}"
        for v in found
        if v["impact"] in BLOCKING
        for node in v["nodes"]
    ]


def settled(page: Any) -> None:
    """Wait until the page's styles are applied and its script has run.

    A form's answer shows its error summary as soon as the HTML is parsed; axe run before
    the style sheet arrives measures an unstyled page (every link a small, crowded target).
    """
    page.wait_for_load_state("load")
    # Not wait_for_function: its later polls use eval, which the site's CSP refuses.
    expect(page.locator("body")).to_have_class(re.compile(r"\bgovuk-frontend-supported\b"))


def slow_network(page: Any) -> None:
    """Give the page a slow connection (300 ms a request), as a phone on a train has."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    conditions = {"latency": 300, "downloadThroughput": 200_000, "uploadThroughput": 200_000}
    cdp.send("Network.emulateNetworkConditions", {"offline": False, **conditions})


def listed(found: dict[str, list[str]]) -> str:
    """One line per violation, under its page."""
    return "\n".join(
        f"{path}: {problem}" for path, problems in found.items() for problem in problems
    )


def pages_for(record: BoardRecord) -> list[str]:
    """Every page of the dashboard, for the record's inspections (some refuse some roles)."""
    ids = [record.published, record.draft, record.assigned, record.scored]
    each = [
        f"/inspections/{i}{suffix}"
        for i in ids
        for suffix in ("", "/reschedule", "/cancel", "/team", "/publish", "/comments")
    ]
    return [
        "/",
        "/login",
        "/reports",
        "/deadlines",
        "/deadlines?as_of=2014-04-07",
        "/programmes/iaow",
        "/programmes/iaow?as_of=2014-03-05",
        "/programmes/iaow/analytics",
        "/programmes/iaow/plan",
        "/schedule",
        f"/inspections/{record.scored}/fieldwork",
        f"/inspections/{record.scored}/sign-off?what=draft",
        f"/inspections/{record.draft}/sign-off?what=publication",
        "/inspections/999999",
        *each,
    ]


@pytest.mark.parametrize("role", [*ROLES, None], ids=[*ROLES, "signed-out"])
def test_no_page_has_a_serious_or_critical_accessibility_violation(
    site: tuple[str, BoardRecord],  # noqa: F811
    browser: Any,  # noqa: F811
    role: str | None,
) -> None:
    base, record = site
    page = signed_in(browser, base, role) if role else browser.new_page()
    found: dict[str, list[str]] = {}
    errors: list[str] = []  # the browser's own: a blocked script, style or font says so here
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    for path in pages_for(record):
        page.goto(f"{base}{path}")
        problems = violations(page)
        if problems:
            found[path] = problems
    assert found == {}, listed(found)
    assert [e for e in errors if "status of 4" not in e] == []  # 403s and 404s are meant


def test_forms_showing_their_errors_have_no_serious_violation(
    site: tuple[str, BoardRecord],  # noqa: F811
    browser: Any,  # noqa: F811
) -> None:
    base, record = site
    page = signed_in(browser, base, "manager")
    slow_network(page)  # the error summary is there long before the style sheet
    found: dict[str, list[str]] = {}
    for path, button in [
        ("/schedule", "Schedule"),
        (f"/inspections/{record.assigned}/reschedule", "Reschedule"),
        (f"/inspections/{record.assigned}/cancel", "Yes, cancel this inspection"),
        (f"/inspections/{record.assigned}/team", "Add to the team"),
    ]:
        page.goto(f"{base}{path}")
        page.get_by_role("button", name=button).click()
        page.wait_for_selector(".error-summary")
        found[path] = violations(page)
    page = browser.new_page()
    slow_network(page)
    page.goto(f"{base}/login")
    page.fill("input[name=username]", ROLES["manager"])
    page.fill("input[name=password]", "wrong password")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_selector(".error-summary")
    found["/login (refused)"] = violations(page)
    assert {path: problems for path, problems in found.items() if problems} == {}, listed(found)


def test_a_manager_signs_in_and_reschedules_with_the_keyboard_alone(
    site: tuple[str, BoardRecord],  # noqa: F811
    browser: Any,  # noqa: F811
) -> None:
    base, record = site
    page = browser.new_page()
    page.goto(f"{base}/login")
    assert "govuk-frontend-supported" in page.evaluate("document.body.className")  # JS ran
    page.keyboard.press("Tab")  # the first stop is the skip link
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
    page.keyboard.press("Enter")
    tab_to(page, "input[name=username]")
    page.keyboard.type(ROLES["manager"])
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/")
    page.goto(f"{base}/inspections/{record.assigned}")
    tab_to(page, f"a[href='/inspections/{record.assigned}/reschedule']")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/inspections/{record.assigned}/reschedule")
    tab_to(page, "#fieldwork_start-day")
    for part in ("19", "5", "2014"):
        page.keyboard.type(part)
        page.keyboard.press("Tab")
    page.keyboard.type("Team ill")  # the reason, the next field
    tab_to(page, "button[type=submit] >> text=Reschedule")
    page.keyboard.press("Enter")
    page.wait_for_selector("p.note")
    assert "fieldwork moved from 12 May 2014 to 19 May 2014" in page.inner_text("p.note")


def test_a_refused_form_takes_the_keyboard_to_its_error_summary(
    site: tuple[str, BoardRecord],  # noqa: F811
    browser: Any,  # noqa: F811
) -> None:
    base, record = site
    page = signed_in(browser, base, "manager")
    page.goto(f"{base}/inspections/{record.assigned}/reschedule")
    tab_to(page, "button[type=submit] >> text=Reschedule")
    page.keyboard.press("Enter")
    page.wait_for_selector(".error-summary")
    # The page's script moves the focus once it has run (a module: after the page is read).
    # Playwright's own focus check: wait_for_function polls through eval, which the CSP forbids.
    expect(page.locator(".error-summary")).to_be_focused(timeout=30_000)
    page.keyboard.press("Tab")  # to the first error's link, which leads to its field
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "fieldwork_start-day"


def tab_to(page: Any, selector: str, limit: int = 80) -> None:
    """Press Tab until `selector` has the focus (fails after `limit` presses)."""
    target = page.locator(selector).first
    for _ in range(limit):
        if target.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")
