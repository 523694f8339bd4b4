"""Signing in and out: a CSRF-protected form, argon2 passwords, server-side sessions."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from dashboard.web import LOGIN_COOKIE, SESSION_COOKIE, account_of, check_csrf, page, set_cookie
from inspectorate.adapters import clock
from inspectorate.services import context, users

router = APIRouter()


@router.get("/login", response_class=HTMLResponse, include_in_schema=False)
def login_form(request: Request) -> Response:
    """The sign-in form, with a fresh CSRF token in a cookie and in the form."""
    token = secrets.token_urlsafe(32)
    response = page(request, "login.html.j2", login_csrf=token, error="")
    set_cookie(response, request, LOGIN_COOKIE, token, max_age=3600)
    return response


@router.post("/login", include_in_schema=False)
def login(
    request: Request,
    username: Annotated[str, Form(max_length=80)],
    password: Annotated[str, Form(max_length=200)],
    csrf: Annotated[str, Form(max_length=100)],
) -> Response:
    """Check the password; open a session and go home, or say it did not match."""
    check_csrf(request.cookies.get(LOGIN_COOKIE), csrf)
    with context.reading() as session:
        user = users.authenticate(session, username=username.strip(), password=password)
    if user is None:
        return page(
            request,
            "login.html.j2",
            status=401,
            login_csrf=csrf,
            error="That username and password do not match an account.",
        )
    response = RedirectResponse("/", status_code=303)
    token = context.run(users.start_session, user=user, now=clock.now())
    set_cookie(response, request, SESSION_COOKIE, token, max_age=users.SESSION_HOURS * 3600)
    response.delete_cookie(LOGIN_COOKIE, path="/")
    return response


@router.post("/logout", include_in_schema=False)
def logout(request: Request, csrf: Annotated[str, Form(max_length=100)]) -> Response:
    """End the session."""
    account = account_of(request)
    if account is not None:
        check_csrf(account.csrf, csrf)
        context.run(users.end_session, token=request.cookies[SESSION_COOKIE])
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
