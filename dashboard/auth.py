"""Signing in and out: a CSRF-protected form, argon2 passwords, throttled, server-side sessions."""

from __future__ import annotations

import math
import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from dashboard.web import (
    LOGIN_COOKIE,
    SESSION_COOKIE,
    account_of,
    check_csrf,
    client_address,
    page,
    set_cookie,
)
from inspectorate.adapters import clock
from inspectorate.services import context, sessions, sign_in

MISMATCH = "That username and password do not match an account."

router = APIRouter()


@router.get("/login", response_class=HTMLResponse, include_in_schema=False)
def login_form(request: Request) -> Response:
    """The sign-in form, with a fresh CSRF token in a cookie and in the form."""
    token = secrets.token_urlsafe(32)
    response = page(request, "login.html.j2", login_csrf=token, errors={}, username="")
    set_cookie(response, request, LOGIN_COOKIE, token, max_age=3600)
    return response


@router.post("/login", include_in_schema=False)
def login(
    request: Request,
    csrf: Annotated[str, Form(max_length=100)],
    username: Annotated[str, Form(max_length=80)] = "",
    password: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Check the password unless throttled; open a session and go home, or refuse."""
    check_csrf(request.cookies.get(LOGIN_COOKIE), csrf)
    missing = {
        name: f"Enter your {name}"
        for name, given in (("username", username), ("password", password))
        if not given
    }
    if missing:
        return page(
            request, "login.html.j2", status=400, login_csrf=csrf, errors=missing, username=username
        )
    now = clock.now()
    outcome = context.run(
        sign_in.sign_in,
        username=username,
        password=password,
        address=client_address(request),
        now=now,
    )
    if outcome.retry_at is not None:
        # The same answer whether or not the account exists; no password was checked.
        wait = max(1, math.ceil((outcome.retry_at - now).total_seconds()))
        refused = page(
            request,
            "login.html.j2",
            status=429,
            login_csrf=csrf,
            errors={"username": f"Too many attempts to sign in: try again in {_duration(wait)}"},
            username=username,
        )
        refused.headers["Retry-After"] = str(wait)
        return refused
    if outcome.token is None:
        return page(
            request,
            "login.html.j2",
            status=401,
            login_csrf=csrf,
            errors={"username": MISMATCH},
            username=username,
        )
    response = RedirectResponse("/", status_code=303)
    max_age = sessions.SESSION_HOURS * 3600
    set_cookie(response, request, SESSION_COOKIE, outcome.token, max_age=max_age)
    response.delete_cookie(LOGIN_COOKIE, path="/")
    return response


@router.post("/logout", include_in_schema=False)
def logout(request: Request, csrf: Annotated[str, Form(max_length=100)]) -> Response:
    """End the session."""
    account = account_of(request)
    if account is not None:
        check_csrf(account.csrf, csrf)
        context.run(sessions.end_session, token=request.cookies[SESSION_COOKIE])
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


def _duration(seconds: int) -> str:
    if seconds < 120:
        return "1 second" if seconds == 1 else f"{seconds} seconds"
    return f"{math.ceil(seconds / 60)} minutes"
