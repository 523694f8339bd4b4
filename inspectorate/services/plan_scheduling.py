"""Putting a programme's plan in the record: what scheduling it would do, then doing it at once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import sqlalchemy
from sqlmodel import Session, col

from inspectorate.adapters.config_files import load_bodies
from inspectorate.adapters.models import Body, Inspection, Programme
from inspectorate.adapters.settings import get_settings
from inspectorate.domain.date_rules import cycle_of
from inspectorate.domain.errors import ConfigError
from inspectorate.domain.lifecycle import Status
from inspectorate.domain.planning import Placement, Plan, plan_programme
from inspectorate.domain.programmes import ProgrammeDefinition, find_programme
from inspectorate.services import context, scheduling


@dataclass(frozen=True)
class Intended:
    """One planned inspection as scheduling the plan would treat it on a given day."""

    body: str
    fieldwork_start: dt.date
    announcement: dt.date
    # Fieldwork start of the body's inspection already in the record for this placement: on
    # the planned Monday, or another in the same cycle: scheduling leaves it where it is.
    in_record: dt.date | None
    announcement_past: bool  # new, and its announcement date is before the day asked about

    @property
    def already_scheduled(self) -> bool:
        """Whether the record has this inspection already (scheduling changes nothing)."""
        return self.in_record is not None

    @property
    def other_week(self) -> bool:
        """Whether the record has it in another week than the plan's (moved, or booked so)."""
        return self.in_record is not None and self.in_record != self.fieldwork_start


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
    """What scheduling the placements would do as of `today`, in plan order (reads only).

    A body with an inspection in the placement's cycle in another week (moved since, or
    booked by hand) is in the record already: the plan leaves it where it is (the date rules
    allow one a cycle) and schedules the rest.
    """
    in_record = _in_record(session, programme_code, placements)
    return [
        Intended(
            body=p.body.name,
            fieldwork_start=p.fieldwork_start,
            announcement=p.announcement,
            in_record=(found := in_record(p)),
            announcement_past=found is None and p.announcement < today,
        )
        for p in placements
    ]


def _in_record(
    session: Session, programme_code: str, placements: Sequence[Placement]
) -> Callable[[Placement], dt.date | None]:
    """For a placement, the fieldwork start of its body's inspection the record holds: the
    one on the planned Monday (whatever its status, as `scheduling.schedule` finds it), else
    the first live original in the same cycle."""
    definition = find_programme(context.programmes(), programme_code)
    rule = definition.planning
    if not placements or rule is None:
        return lambda _p: None
    cycles = [cycle_of(rule, p.fieldwork_start) for p in placements]
    rows = session.execute(
        sqlalchemy.select(
            col(Body.name),
            col(Inspection.fieldwork_start),
            col(Inspection.status),
            col(Inspection.kind),
            col(Inspection.parent_id),
        )
        .join(Body, col(Inspection.body_id) == col(Body.id))
        .join(Programme, col(Inspection.programme_id) == col(Programme.id))
        .where(
            col(Programme.code) == programme_code,
            col(Body.name).in_({p.body.name for p in placements}),
            col(Inspection.fieldwork_start).between(
                min(first for _, first, _ in cycles), max(last for *_, last in cycles)
            ),
        )
        .order_by(col(Inspection.fieldwork_start))
    ).all()
    exact = {(body, start) for body, start, *_ in rows}
    originals = [
        (body, start)
        for body, start, status, kind, parent in rows
        if Status(status) is not Status.CANCELLED and kind == "inspection" and parent is None
    ]

    def found(placement: Placement) -> dt.date | None:
        body, start = placement.body.name, placement.fieldwork_start
        if (body, start) in exact:
            return start
        _, first, last = cycle_of(rule, start)
        return next((s for b, s in originals if b == body and first <= s <= last), None)

    return found


def schedule_plan(
    session: Session,
    *,
    programme_code: str,
    placements: Sequence[Placement],
    actor: str,
    now: dt.datetime,
) -> int:
    """Schedule every placement not in the record yet (see `preview`) in the caller's one
    transaction; return how many were new."""
    in_record = _in_record(session, programme_code, placements)
    created = 0
    for p in placements:
        if in_record(p) is not None:
            continue
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
