"""The dashboard application: pages, actions, the JSON API, errors and security headers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from dashboard import actions, api, auth, downloads, manager, pages, planner
from dashboard.api_docs import ASSETS_URL, add_api_docs
from dashboard.hints import explain, readable_dates
from dashboard.limits import RequestLimits
from dashboard.web import page
from inspectorate.adapters.settings import get_settings
from inspectorate.domain.errors import InspectorateError

# Pages (and the API's docs) need nothing from elsewhere; documents set their own, stricter
# policy. No page may be framed: frame-ancestors is added to any policy that lacks it.
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
NO_FRAMES = "frame-ancestors 'none'"
# Files the same for everyone: kept by the browser, checked again before use (ETag).
SHARED_FILES = ("/static/", f"{ASSETS_URL}/")
# An error message shown to a person: long enough for a list of problems, never a whole file.
MESSAGE_CHARS = 3000


def create_app() -> FastAPI:
    """Build the dashboard app on the configured record."""
    app = FastAPI(
        title="inspectorate",
        description="Inspection programmes: inspections, deadlines, scores and reports.",
        docs_url=None,  # add_api_docs serves it from our own files
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.include_router(auth.router)
    app.include_router(pages.router)
    app.include_router(actions.router)
    app.include_router(manager.router)
    app.include_router(planner.router)
    app.include_router(api.router)
    app.include_router(downloads.router)
    static = get_settings().templates_dir / "dashboard" / "static"
    app.mount("/static", StaticFiles(directory=static), name="static")
    add_api_docs(app)

    app.add_middleware(RequestLimits)  # inside SecurityHeaders: its refusals get the headers
    app.add_middleware(SecurityHeaders)

    # Starlette's own: an address no route has (404) and a wrong method (405) are it too.
    @app.exception_handler(HTTPException)
    async def _http_error(request: Request, exc: HTTPException) -> Response:
        return _error(request, exc.status_code, str(exc.detail))

    @app.exception_handler(InspectorateError)
    async def _refused(request: Request, exc: InspectorateError) -> Response:
        return _error(request, 400, explain(exc))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        if request.url.path.startswith("/api"):
            return JSONResponse({"detail": _short_inputs(exc.errors())}, status_code=422)
        # A page whose address names no row (an id out of range, not a number) is not there.
        if any(error["loc"][:1] == ("path",) for error in exc.errors()):
            return _error(request, 404, "There is no such page.")
        names = sorted({str(error["loc"][-1]) for error in exc.errors()})
        return _error(request, 422, f"Missing or not valid: {', '.join(names)[:200]}.")

    return app


class SecurityHeaders:
    """Adds the security headers to every response (plain ASGI: no per-request task).

    Nothing is stored by a browser or proxy unless its route says so (a published document)
    or it is one of the files the same for everyone: pages and API answers for a signed-in
    person, and embargoed documents, are `no-store`.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on; add the headers to the response's start."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        shared = str(scope.get("path", "")).startswith(SHARED_FILES)

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                policy = headers.setdefault("Content-Security-Policy", CSP)
                if "frame-ancestors" not in policy:
                    headers["Content-Security-Policy"] = f"{policy}; {NO_FRAMES}"
                headers.setdefault("Cache-Control", "no-cache" if shared else "no-store")
                headers["X-Content-Type-Options"] = "nosniff"
                headers["X-Frame-Options"] = "DENY"
                headers["Referrer-Policy"] = "same-origin"
            await send(message)

        await self.app(scope, receive, with_headers)


def _short_inputs(errors: Sequence[Any]) -> Any:
    """FastAPI's 422 details, each refused input cut short (it is echoed back)."""
    return jsonable_encoder(
        [{**e, "input": e["input"][:100]} if isinstance(e.get("input"), str) else e for e in errors]
    )


def _error(request: Request, status: int, message: str) -> Response:
    if len(message) > MESSAGE_CHARS:
        message = message[: MESSAGE_CHARS - 1] + "…"
    if request.url.path.startswith("/api"):
        return JSONResponse({"detail": message}, status_code=status)
    message = readable_dates(message)  # a page is read by people; the API keeps ISO days
    return page(request, "error.html.j2", status=status, status_code=status, message=message)
