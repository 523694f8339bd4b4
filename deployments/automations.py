"""Apply the automations listed under `automations:` in prefect.yaml, by name (idempotent).

Usage: python deployments/automations.py [deployments/prefect.yaml]

`prefect deploy` applies only the triggers attached to a deployment (which run that
deployment); an automation with another action, such as marking zombie flow runs Crashed,
is listed at the top level of prefect.yaml and applied here: updated in place when one of
that name exists (extra copies deleted), created otherwise. PREFECT_API_URL names the server.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import yaml
from prefect.client.orchestration import get_client
from prefect.events.schemas.automations import AutomationCore

PREFECT_YAML = Path(__file__).resolve().parent / "prefect.yaml"


def listed(path: Path) -> list[AutomationCore]:
    """The automations listed in the file, checked against Prefect's schema."""
    data: dict[str, Any] = yaml.safe_load(path.read_text()) or {}
    return [AutomationCore.model_validate(item) for item in data.get("automations", [])]


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
