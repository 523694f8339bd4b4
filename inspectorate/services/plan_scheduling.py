"""Putting a programme's plan in the record: what scheduling it would do, then doing it at once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session, col, select

from inspectorate.adapters.config_files import load_bodies
from inspectorate.adapters.models import Body, Inspection, Programme
from inspectorate.adapters.settings import get_settings
from inspectorate.domain.errors import ConfigError
from inspectorate.domain.planning import Placement, Plan, plan_programme
from inspectorate.domain.programmes import ProgrammeDefinition, find_programme
from inspectorate.services import context, scheduling


@dataclass(frozen=True)
class Intended:
    """One planned inspection as scheduling the plan would treat it on a given day."""

    body: str
    fieldwork_start: dt.date
    announcement: dt.date
    already_scheduled: bool  # in the record already: scheduling it again changes nothing
    announcement_past: bool  # new, and its announcement date is before the day asked about


def plan(*, programme_code: str, start: dt.date) -> tuple[ProgrammeDefinition, Plan, int]:
    """The programme's plan from `start` over its bodies in config, and how many there are."""
    definition = find_programme(context.programmes(), programme_code)
    if definition.planning is None:
        raise ConfigError(f"config/programmes/{definition.code}.toml has no [planning] table")
    bodies = [
        b
        for b in load_bodies(get_settings().config_dir / "bodies")
        if b.kind.value == definition.body_kind
    ]
    return definition, plan_programme(definition, definition.planning, bodies, start), len(bodies)


def preview(
    session: Session, *, programme_code: str, placements: Sequence[Placement], today: dt.date
) -> list[Intended]:
    """What scheduling the placements would do as of `today`, in plan order (reads only)."""
    starts = {p.fieldwork_start for p in placements}
    existing = set(
        session.exec(
            select(col(Body.name), col(Inspection.fieldwork_start))
            .join(Body, col(Inspection.body_id) == col(Body.id))
            .join(Programme, col(Inspection.programme_id) == col(Programme.id))
            .where(Programme.code == programme_code, col(Inspection.fieldwork_start).in_(starts))
        ).all()
    )
    return [
        Intended(
            body=p.body.name,
            fieldwork_start=p.fieldwork_start,
            announcement=p.announcement,
            already_scheduled=(known := (p.body.name, p.fieldwork_start) in existing),
            announcement_past=not known and p.announcement < today,
        )
        for p in placements
    ]


def schedule_plan(
    session: Session,
    *,
    programme_code: str,
    placements: Sequence[Placement],
    actor: str,
    now: dt.datetime,
) -> int:
    """Schedule every placement in the caller's one transaction; return how many were new."""
    created = 0
    for p in placements:
        _, new = scheduling.schedule(
            session,
            body_name=p.body.name,
            programme_code=programme_code,
            fieldwork_start=p.fieldwork_start,
            actor=actor,
            now=now,
        )
        created += new
    return created
