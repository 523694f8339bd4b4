"""Modules imported on first use, so a command pays only for what it runs.

`inspectorate --help` must answer at once, yet every command module names the services it
calls. A module from `lazy_module` is registered at once but executed only when one of its
attributes is first read; under `TYPE_CHECKING` the command modules import the same names
normally, so mypy checks every call.
"""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType


def lazy_module(name: str) -> ModuleType:
    """Return the module `name`, executed on the first attribute read rather than now."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:
        raise ModuleNotFoundError(f"no module named {name!r}", name=name)
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    loader.exec_module(module)
    parent, _, child = name.rpartition(".")
    if parent:
        # `from package import child` elsewhere then finds this same (lazy) module.
        setattr(sys.modules[parent], child, module)
    return module
