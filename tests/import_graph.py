"""The project's import graph, read from the source: every import, including those in functions.

Used by test_architecture.py to hold the layer rule (DESIGN.md) and to find import cycles.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("inspectorate", "tasks", "flows", "cli", "dashboard", "deployments")


def module_name(path: Path) -> str:
    """Return the dotted module name of a source file under ROOT."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def source_files() -> dict[str, Path]:
    """Return every module of the project's packages (alembic's migrations left out)."""
    return {
        module_name(path): path
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
        if "migrations" not in path.parts
    }


def imported_names(module: str, path: Path) -> Iterator[tuple[str, int]]:
    """Yield (dotted name, line) for every import in the file, relative ones resolved."""
    is_package = path.name == "__init__.py"
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                here = module.split(".") if is_package else module.split(".")[:-1]
                here = here[: len(here) - (node.level - 1)]
                base = ".".join([*here, base] if base else here)
            yield base, node.lineno
            for alias in node.names:
                yield f"{base}.{alias.name}", node.lineno


def project_module(name: str, known: dict[str, Path]) -> str | None:
    """Return the project module `name` refers to (its longest known prefix), or None."""
    while name:
        if name in known:
            return name
        name = name.rpartition(".")[0]
    return None


def project_edges(known: dict[str, Path]) -> dict[str, dict[str, int]]:
    """Return, per module, the project modules it imports with the first line of each."""
    edges: dict[str, dict[str, int]] = {}
    for module, path in known.items():
        targets: dict[str, int] = {}
        for name, line in imported_names(module, path):
            target = project_module(name, known)
            if target is not None and target != module and not _is_parent(target, module):
                targets.setdefault(target, line)
        edges[module] = targets
    return edges


def _is_parent(package: str, module: str) -> bool:
    # `from inspectorate.domain import x` names the package on the way to x; importing a
    # package's own __init__ from inside it is how Python works, not a dependency to judge.
    return module.startswith(package + ".") and "." not in module[len(package) + 1 :]


def strongly_connected(edges: dict[str, dict[str, int]]) -> list[list[str]]:
    """Return the strongly connected components of the graph (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []
    counter = 0
    for root in edges:
        if root in index:
            continue
        work = [(root, iter(edges[root]))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(edges.get(child, {}))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                components.append(sorted(component))
    return components
