"""The API's Swagger UI page, served from our own origin so the page's strict CSP allows it.

The Swagger UI files come from the `fastapi-offline` package (installed with the project,
nothing fetched at run time); the page starts them from /static/api-docs.js, not an inline
script, so its policy needs no 'unsafe-inline' and no other origin.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

DOCS_URL = "/api/docs"
ASSETS_URL = "/api/docs/assets"

PAGE = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>inspectorate API</title>
<link rel="stylesheet" href="{ASSETS_URL}/swagger-ui.css">
<link rel="icon" href="{ASSETS_URL}/favicon.png">
</head>
<body>
<div id="swagger-ui" data-openapi-url="/api/openapi.json"></div>
<script src="{ASSETS_URL}/swagger-ui-bundle.js"></script>
<script src="/static/api-docs.js"></script>
</body>
</html>
"""

router = APIRouter(include_in_schema=False)


def swagger_ui_folder() -> Path:
    """The folder of the installed Swagger UI files (swagger-ui-bundle.js, swagger-ui.css)."""
    spec = importlib.util.find_spec("fastapi_offline")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("fastapi-offline is not installed: run `make test` or `make demo`")
    return Path(next(iter(spec.submodule_search_locations))) / "static"


@router.get(DOCS_URL, response_class=HTMLResponse)
def api_docs() -> HTMLResponse:
    """The Swagger UI page for /api/openapi.json."""
    return HTMLResponse(PAGE)


def add_api_docs(app: FastAPI) -> None:
    """Serve the docs page and its Swagger UI files on the app."""
    app.include_router(router)
    app.mount(ASSETS_URL, StaticFiles(directory=swagger_ui_folder()), name="api-docs-assets")
