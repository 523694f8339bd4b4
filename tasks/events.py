"""Tasks that tell Prefect's event system what happened, so automations can react."""

from __future__ import annotations

from prefect import task
from prefect.cache_policies import NO_CACHE
from prefect.events import Event, emit_event

from inspectorate.domain.triggers import Decision


def inspection_resource(inspection_id: int) -> dict[str, str]:
    """Return the Prefect resource that stands for an inspection."""
    return {
        "prefect.resource.id": f"inspectorate.inspection.{inspection_id}",
        "prefect.resource.name": f"inspection {inspection_id}",
    }


@task(name="emit-scored", cache_policy=NO_CACHE)
def emit_scored(inspection_id: int, headline: dict[str, float]) -> Event | None:
    """Emit `inspection.scored` carrying the headline scores (rounded to one place)."""
    return emit_event(
        event="inspection.scored",
        resource=inspection_resource(inspection_id),
        payload={
            "inspection_id": inspection_id,
            "headline": {k: round(v, 1) for k, v in headline.items()},
        },
    )


@task(name="emit-reinspection-required", cache_policy=NO_CACHE)
def emit_reinspection_required(inspection_id: int, decision: Decision) -> Event | None:
    """Emit `inspection.reinspection-required`: an automation plans the follow-up."""
    return emit_event(
        event="inspection.reinspection-required",
        resource=inspection_resource(inspection_id),
        payload={
            "inspection_id": inspection_id,
            "rule": decision.rule.name if decision.rule else None,
            "kind": decision.kind,
            "due": decision.due_date.isoformat() if decision.due_date else None,
            "reason": decision.reason,
        },
    )
