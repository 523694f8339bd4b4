"""Apply the automations listed under `automations:` in prefect.yaml, by name (idempotent).

Usage: python deployments/automations.py [deployments/prefect.yaml]

`prefect deploy` applies only the triggers attached to a deployment (which run that
deployment); an automation with another action, such as marking zombie flow runs Crashed,
is listed at the top level of prefect.yaml and applied here: updated in place when one of
that name exists (extra copies deleted), created otherwise. PREFECT_API_URL names the server.
A value written "{{ $NAME }}" is taken from the environment variable NAME (YAML-typed), as
prefect.yaml's own `{{ $INSPECTORATE_HOME }}` is; `make deploy` sets the ones used.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import Any

import yaml
from prefect.client.orchestration import get_client
from prefect.events.schemas.automations import AutomationCore

PREFECT_YAML = Path(__file__).resolve().parent / "prefect.yaml"


_PLACEHOLDER = re.compile(r"\{\{\s*\$(\w+)\s*\}\}")


def listed(path: Path) -> list[AutomationCore]:
    """The automations listed in the file, placeholders filled, checked against the schema."""
    data: dict[str, Any] = yaml.safe_load(path.read_text()) or {}
    return [AutomationCore.model_validate(resolved(item)) for item in data.get("automations", [])]


def resolved(value: Any) -> Any:
    """`value` with every "{{ $NAME }}" string replaced by the environment's NAME, typed."""
    if isinstance(value, dict):
        return {key: resolved(item) for key, item in value.items()}
    if isinstance(value, list):
        return [resolved(item) for item in value]
    found = _PLACEHOLDER.fullmatch(value.strip()) if isinstance(value, str) else None
    if found is None:
        return value
    name = found.group(1)
    if name not in os.environ:
        raise SystemExit(f"{name} is not set: an automation in prefect.yaml uses it")
    return yaml.safe_load(os.environ[name])


def apply(automations: list[AutomationCore]) -> list[str]:
    """Create or update each automation by name; what was done, a line each."""
    done = []
    with get_client(sync_client=True) as client:
        for automation in automations:
            existing = client.read_automations_by_name(automation.name)
            if not existing:
                client.create_automation(automation)
                done.append(f"created automation {automation.name}")
                continue
            keep, *extra = existing
            client.update_automation(keep.id, automation)
            for copy in extra:
                client.delete_automation(copy.id)
            done.append(f"updated automation {automation.name}")
    return done


if __name__ == "__main__":
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else PREFECT_YAML
    for line in apply(listed(source)):
        print(line)
