"""Shared pieces of the dashboard: templates, the signed-in viewer, CSRF and cookies."""

from __future__ import annotations

import hashlib
import hmac
import threading
import urllib.parse
from collections.abc import Callable
from typing import Any

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse

from dashboard.cache import PAGES
from dashboard.hints import readable_dates
from inspectorate.adapters import clock
from inspectorate.domain.access import ANONYMOUS, AccountRole, Viewer
from inspectorate.services import context, reports, sessions, users
from inspectorate.services.sessions import Account

# A letter or report served as it is: its own inline styles, nothing else, never framed.
DOCUMENT_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'"
)

SESSION_COOKIE = "inspectorate_session"
LOGIN_COOKIE = "inspectorate_login_csrf"
# Flows in this process share one embedded Prefect server: one action at a time starts it.
ACTIONS = threading.Lock()


def account_of(request: Request) -> Account | None:
    """The signed-in account, if the session cookie is live (an expired one purges them)."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    # A unit of work, not a read: an expired session is deleted. A live one writes nothing.
    return context.run(sessions.session_account, token=token, now=clock.now())


def client_address(request: Request) -> str:
    """The client's address, as the sign-in throttle counts it."""
    # uvicorn (proxy_headers) takes X-Forwarded-For only from the proxies FORWARDED_ALLOW_IPS
    # trusts, loopback by default; a header from anyone else is ignored.
    return request.client.host if request.client else "unknown"


def viewer_of(account: Account | None) -> Viewer:
    """The access rules' view of the account (anonymous visitors are the public)."""
    if account is None:
        return ANONYMOUS
    if account.role != AccountRole.INSPECTOR:
        return Viewer(account.role, account.body_id, frozenset())
    with context.reading() as session:
        assigned = users.assigned_inspections(session, user_id=account.id)
    return Viewer(account.role, account.body_id, frozenset(assigned))


def secure(request: Request) -> bool:
    """Whether the browser reached us over TLS (directly or through a proxy)."""
    forwarded = request.headers.get("x-forwarded-proto", "")
    return request.url.scheme == "https" or forwarded == "https"


def set_cookie(response: Any, request: Request, name: str, value: str, max_age: int) -> None:
    """Set a cookie scripts cannot read, not sent cross-site, Secure behind TLS."""
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        httponly=True,
        samesite="lax",
        secure=secure(request),
        path="/",
    )


def check_csrf(expected: str | None, given: str | None) -> None:
    """Refuse a form whose CSRF token is missing or wrong (403)."""
    if not expected or not given or not hmac.compare_digest(expected, given):
        raise HTTPException(403, "The form has expired or did not come from this site: reload it.")


def with_note(account: Account, path: str, note: str) -> str:
    """`path` with a note to show after a redirect, signed for this session only.

    A note in the address that this session's own action did not put there is not shown:
    anyone can send a link with text in it, and a page must not vouch for that text.
    """
    note = readable_dates(note)[:200]
    return f"{path}?{urllib.parse.urlencode({'note': note, 'sig': _note_mac(account, note)})}"


def note_for(account: Account | None, note: str, sig: str) -> str:
    """The note of the address when this session signed it; otherwise nothing."""
    if account is None or not note or not hmac.compare_digest(_note_mac(account, note), sig):
        return ""
    return note


def _note_mac(account: Account, note: str) -> str:
    key = (account.csrf or "").encode()  # a secret of this session, never in another's pages
    return hmac.new(key, note.encode(), hashlib.sha256).hexdigest()[:32]


def forbid(allowed: bool) -> None:
    """403 unless allowed."""
    if not allowed:
        raise HTTPException(403, "You are not allowed to see or do this.")


def forbid_page(account: Account | None, allowed: bool) -> None:
    """A page not for this visitor: 401 (sign in) when nobody is signed in, else 403."""
    if not allowed and account is None:
        raise HTTPException(401, "Sign in to see this page.")
    forbid(allowed)


def render_page(account: Account | None, name: str, **context: Any) -> str:
    """Render a dashboard template with the account, its CSRF token and whose service it is."""
    return (
        reports.environment("en")
        .get_template(f"dashboard/{name}")
        .render(
            account=account,
            csrf=account.csrf if account else "",
            organisation=reports.inspectorate().name.in_language("en"),
            **context,
        )
    )


def page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    """Render a dashboard page (the account is looked up unless given)."""
    account = context.pop("account", None) or account_of(request)
    return HTMLResponse(render_page(account, name, **context), status_code=status)


async def cached_page(
    request: Request, account: Account | None, render: Callable[[], str]
) -> HTMLResponse:
    """A page kept until the record changes, per session, address and day."""
    key = (account.csrf if account else "", request.url.path, request.url.query)
    return HTMLResponse(await PAGES.page(key, render))
