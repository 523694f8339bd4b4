"""Rules of the codebase that a reviewer would otherwise have to remember."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from inspectorate.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("inspectorate", "tasks", "flows", "dashboard", "deployments")


def _modules(package: str) -> list[Path]:
    return [p for p in (ROOT / package).rglob("*.py") if "migrations" not in p.parts]


@pytest.mark.parametrize("path", _modules("inspectorate"), ids=lambda p: p.name)
def test_domain_never_imports_prefect(path: Path) -> None:
    imported = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            imported += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            imported.append(node.module)
    assert [name for name in imported if name.split(".")[0] == "prefect"] == []


def test_importing_the_domain_does_not_load_prefect() -> None:
    import subprocess
    import sys

    code = (
        "import sys, inspectorate.cli, inspectorate.operations, inspectorate.sweep; "
        "print('prefect' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
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
    assert [p.name for p in _modules(package) if len(p.read_text().splitlines()) > 320] == []
