"""The dashboard application: pages, actions, the JSON API, errors and security headers."""

from __future__ import annotations

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from dashboard import actions, api, auth, pages
from dashboard.hints import explain
from dashboard.web import page
from inspectorate.adapters.settings import get_settings
from inspectorate.domain.errors import InspectorateError

# Pages need nothing from elsewhere; documents set their own, stricter policy.
CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; frame-ancestors 'none'"


def create_app() -> FastAPI:
    """Build the dashboard app on the configured record."""
    app = FastAPI(
        title="inspectorate",
        description="Inspection programmes: inspections, deadlines, scores and reports.",
        docs_url="/api/docs",
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.include_router(auth.router)
    app.include_router(pages.router)
    app.include_router(actions.router)
    app.include_router(api.router)
    static = get_settings().templates_dir / "dashboard" / "static"
    app.mount("/static", StaticFiles(directory=static), name="static")

    app.add_middleware(SecurityHeaders)

    @app.exception_handler(HTTPException)
    async def _http_error(request: Request, exc: HTTPException) -> Response:
        return _error(request, exc.status_code, str(exc.detail))

    @app.exception_handler(InspectorateError)
    async def _refused(request: Request, exc: InspectorateError) -> Response:
        return _error(request, 400, explain(exc))

    return app


class SecurityHeaders:
    """Adds the security headers to every response (plain ASGI: no per-request task)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on; add the headers to the response's start."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("Content-Security-Policy", CSP)
                headers["X-Content-Type-Options"] = "nosniff"
                headers["Referrer-Policy"] = "same-origin"
            await send(message)

        await self.app(scope, receive, with_headers)


def _error(request: Request, status: int, message: str) -> Response:
    if request.url.path.startswith("/api"):
        return JSONResponse({"detail": message}, status_code=status)
    return page(request, "error.html.j2", status=status, status_code=status, message=message)
