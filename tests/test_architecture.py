"""Rules of the codebase that a reviewer would otherwise have to remember."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from inspectorate.adapters.settings import Settings
from tests.import_graph import (
    PACKAGES,
    ROOT,
    imported_names,
    project_edges,
    source_files,
    strongly_connected,
)


def _modules(package: str) -> list[Path]:
    return [p for p in (ROOT / package).rglob("*.py") if "migrations" not in p.parts]


# Entry points → flows → tasks → services → adapters → domain (DESIGN.md). A module may import
# its own layer and the layers below; nothing imports an entry point but itself.
LAYERS = (
    ("inspectorate.domain", 0),
    ("inspectorate.adapters", 1),
    ("inspectorate.services", 2),
    ("tasks", 3),
    ("flows", 4),
    ("cli", 5),
    ("dashboard", 5),
    ("deployments", 5),
    ("inspectorate", 0),  # the package's own __init__: a docstring and a version
)
ENTRY_POINTS = ("cli", "dashboard", "deployments")
PRESENTATION = ("rich", "typer", "fastapi", "starlette", "uvicorn")
RECORD = ("sqlalchemy", "sqlmodel", "alembic", "psycopg")
# Third-party packages each layer must not use: the domain does no I/O and knows no
# framework; the library never imports the orchestrator or presentation.
FORBIDDEN = {
    "inspectorate.domain": (
        *RECORD,
        *PRESENTATION,
        "prefect",
        "jinja2",
        "weasyprint",
        "babel",
        "argon2",
        "openpyxl",
        "smtplib",
        "subprocess",
        "tomllib",
        "csv",
    ),
    "inspectorate.adapters": (*PRESENTATION, "prefect"),
    "inspectorate.services": (*PRESENTATION, "prefect"),
    "tasks": PRESENTATION,
    "flows": PRESENTATION,
    # Entry points call services and flows; the record's models and sessions stay below.
    "dashboard": (*RECORD, "inspectorate.adapters.models", "inspectorate.adapters.database"),
    "cli": (*RECORD, "inspectorate.adapters.models", "inspectorate.adapters.database"),
}
MODULES = source_files()
EDGES = project_edges(MODULES)


def layer_of(module: str) -> tuple[str, int]:
    """Return (layer, rank) of a project module: the first LAYERS prefix it falls under."""
    for prefix, rank in LAYERS:
        if module == prefix or module.startswith(prefix + "."):
            return prefix, rank
    raise AssertionError(f"{module} is in no layer: add its package to LAYERS")


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_follow_the_layer_rule(module: str) -> None:
    layer, rank = layer_of(module)
    breaches = []
    for target, line in EDGES[module].items():
        target_layer, target_rank = layer_of(target)
        upward = target_rank > rank
        other_entry = target_layer in ENTRY_POINTS and target_layer != layer
        if upward or other_entry:
            breaches.append(f"line {line}: {module} ({layer}) imports {target} ({target_layer})")
    assert breaches == []


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_layer_imports_what_it_must_not(module: str) -> None:
    layer, _rank = layer_of(module)
    banned = FORBIDDEN.get(layer, ())
    found = sorted(
        f"line {line}: {name}"
        for name, line in imported_names(module, MODULES[module])
        if any(name == b or name.startswith(b + ".") for b in banned)
    )
    assert found == []


def test_no_import_cycles() -> None:
    cycles = [c for c in strongly_connected(EDGES) if len(c) > 1]
    assert cycles == []


def test_the_guard_sees_imports_inside_functions_and_cycles(tmp_path: Path) -> None:
    hidden = tmp_path / "hidden.py"
    hidden.write_text("def f():\n    from flows.lifecycle import announce\n")
    assert ("flows.lifecycle.announce", 2) in list(imported_names("inspectorate.x", hidden))
    edges = {"a": {"b": 1}, "b": {"c": 1}, "c": {"a": 1}, "d": {"a": 1}}
    assert sorted(map(tuple, strongly_connected(edges))) == [("a", "b", "c"), ("d",)]


def test_importing_the_library_and_the_cli_does_not_load_prefect() -> None:
    import subprocess
    import sys

    code = (
        "import sys, cli.main, inspectorate.services.stages, inspectorate.services.sweep; "
        "print('prefect' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize("package", PACKAGES)
def test_every_public_function_and_class_has_a_docstring(package: str) -> None:
    missing = []
    for path in _modules(package):
        for node in ast.walk(ast.parse(path.read_text())):
            public = isinstance(node, ast.FunctionDef | ast.ClassDef) and node.name[0] != "_"
            if public and ast.get_docstring(node) is None:
                missing.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}")
    assert missing == []


@pytest.mark.parametrize("name", sorted(Settings.model_fields))
def test_every_setting_has_help_and_is_in_the_readme(name: str) -> None:
    assert Settings.model_fields[name].description
    assert f"INSPECTORATE_{name.upper()}" in (ROOT / "README.md").read_text()


@pytest.mark.parametrize("package", PACKAGES)
def test_modules_stay_small(package: str) -> None:
    handwritten = [p for p in _modules(package) if "do not edit" not in p.read_text()[:200]]
    assert [p.name for p in handwritten if len(p.read_text().splitlines()) > 320] == []


def test_the_services_context_imports_no_other_service() -> None:
    services = [t for t in EDGES["inspectorate.services.context"] if ".services." in t]
    assert services == []


# A use case works in the session its caller hands it. These open their own: the wiring,
# setting up the schema, and the sweep's batches, which commit item by item on purpose.
OPENS_SESSIONS = {"context", "setup", "sweep", "delivery"}


@pytest.mark.parametrize(
    "module", sorted(m for m in MODULES if m.startswith("inspectorate.services."))
)
def test_services_take_their_session_from_the_caller(module: str) -> None:
    opens = [
        node.lineno
        for node in ast.walk(ast.parse(MODULES[module].read_text()))
        if isinstance(node, ast.Call)
        and getattr(node.func, "id", getattr(node.func, "attr", "")) in ("Session", "session_scope")
    ]
    assert opens == [] or module.rsplit(".", 1)[1] in OPENS_SESSIONS
