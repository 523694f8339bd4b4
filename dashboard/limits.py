"""Request limits, enforced before a body is read: who may send one, and how large it may be.

An action (every POST of dashboard.actions, .manager and .planner) from someone not signed
in is refused (401) before a byte of its body is read; then a body larger than its route
allows is refused (413) from its Content-Length, or, sent in chunks without one, as soon
as the bytes read pass the limit.

CSRF: the token of an upload is a field of its multipart body, so it cannot be checked
before the body is read; we check it first thing after a bounded read instead (the route's
`_signed_in`, before the file is looked at). What reaches that read is already limited:
the session cookie is SameSite=Lax, so a cross-site POST arrives without it and is refused
here unread; a same-site one is read to the route's limit at most. A CSRF header as an
alternative would protect nothing more (a forger would leave it out), so there is none.
"""

from __future__ import annotations

import json
import re

from fastapi import HTTPException, Request
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from dashboard.actions import MAX_UPLOAD
from dashboard.actions import router as actions_router
from dashboard.manager import router as manager_router
from dashboard.planner import router as planner_router
from dashboard.web import account_of, render_page
from inspectorate.domain.errors import InspectorateError

KB, MB = 1_000, 1_000_000
DEFAULT_LIMIT = 64 * KB  # sign-in, reschedule, sign-off, publish: a few short fields
# Comments: 200,000 characters, each up to 12 bytes once form-encoded (%F0%9F%98%80).
ROUTE_LIMITS = (
    (re.compile(r"^/inspections/[^/]+/fieldwork$"), MAX_UPLOAD + 64 * KB),
    (re.compile(r"^/inspections/[^/]+/comments$"), 3 * MB),
)


ACTIONS = tuple(
    route.path_regex
    for router in (actions_router, manager_router, planner_router)
    for route in router.routes
    if isinstance(route, APIRoute) and "POST" in (route.methods or ())
)


def limit_for(path: str) -> int:
    """The most bytes a request to `path` may send."""
    return next((limit for pattern, limit in ROUTE_LIMITS if pattern.match(path)), DEFAULT_LIMIT)


def is_action(method: str, path: str) -> bool:
    """Whether the request is one of the dashboard's actions (signed-in people only)."""
    return method == "POST" and any(pattern.match(path) for pattern in ACTIONS)


def readable_size(size: int) -> str:
    """'20 MB', '64 KB': a limit as people read it."""
    return f"{size // MB} MB" if size >= MB else f"{size // KB} KB"


class TooLarge(HTTPException):
    """The body grew past its route's limit while it was read (413)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"The request is larger than the {readable_size(limit)} it may be.")


class RequestLimits:
    """Refuses, before reading a body, what the app would refuse after reading it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Check the sender and the declared size; count the bytes as they are read."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path, limit = scope["path"], limit_for(scope["path"])
        if is_action(scope["method"], path) and not await _signed_in(scope):
            await _refuse(scope, send, 401, "Sign in first.")
            return
        declared = Headers(scope=scope).getlist("content-length")
        if declared:
            if len(set(declared)) != 1 or not declared[0].strip().isdigit():
                await _refuse(scope, send, 400, "The request's Content-Length is not a number.")
                return
            if int(declared[0]) > limit:
                await _refuse(scope, send, 413, TooLarge(limit).detail)
                return
        started = False
        read = 0

        async def counted() -> Message:
            nonlocal read
            message = await receive()
            if message["type"] == "http.request":
                read += len(message.get("body", b""))
                if read > limit:
                    raise TooLarge(limit)
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except TooLarge as refused:  # read by something that did not turn it into a response
            if started:
                raise
            await _refuse(scope, send, 413, refused.detail)


async def _signed_in(scope: Scope) -> bool:
    """Whether the session cookie is live (looked up off the event loop, as routes do)."""
    try:
        return await run_in_threadpool(account_of, Request(scope)) is not None
    except InspectorateError:  # the record is not set up: the route says so, as before
        return True


async def _refuse(scope: Scope, send: Send, status: int, message: str) -> None:
    """Answer without reading the body: JSON under /api, the error page elsewhere."""
    if scope["path"].startswith("/api"):
        body, kind = json.dumps({"detail": message}).encode(), b"application/json"
    else:
        html = render_page(None, "error.html.j2", status_code=status, message=message)
        body, kind = html.encode(), b"text/html; charset=utf-8"
    headers = [(b"content-type", kind), (b"content-length", str(len(body)).encode())]
    # The unread body stays on the connection: ask the client not to reuse it.
    headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
