"""Putting a programme's plan in the record: what scheduling it would do, then doing it at once."""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

import sqlalchemy
from sqlmodel import Session, col

from inspectorate.adapters.config_files import load_bodies
from inspectorate.adapters.models import Body, Inspection, Programme
from inspectorate.adapters.settings import get_settings
from inspectorate.domain.calendar import as_date
from inspectorate.domain.date_rules import (
    Booked,
    capacity_window,
    cycle_of,
    date_problems,
    planning_years,
    refusal,
)
from inspectorate.domain.errors import ConfigError, InvalidInput
from inspectorate.domain.lifecycle import Status
from inspectorate.domain.planning import Placement, Plan, plan_programme, record_window
from inspectorate.domain.programmes import ProgrammeDefinition, find_programme
from inspectorate.services import context, scheduling


@dataclass(frozen=True)
class Intended:
    """One planned inspection as scheduling the plan would treat it on a given day."""

    body: str
    fieldwork_start: dt.date
    announcement: dt.date
    # Fieldwork start of the body's inspection already in the record for this placement: on
    # the planned Monday, or another in the plan's years or the placement's cycle (moved, or
    # booked by hand): scheduling leaves it where it is.
    in_record: dt.date | None
    announcement_past: bool  # new (not refused), and announced before the day asked about
    refused: str = ""  # new, and why the date rules refuse it beside what the record holds

    @property
    def already_scheduled(self) -> bool:
        """Whether the record has this inspection already (scheduling changes nothing)."""
        return self.in_record is not None

    @property
    def other_week(self) -> bool:
        """Whether the record has it in another week than the plan's (moved, or booked so)."""
        return self.in_record is not None and self.in_record != self.fieldwork_start


def plan(
    *, programme_code: str, start: dt.date, session: Session | None = None
) -> tuple[ProgrammeDefinition, Plan, int]:
    """The programme's plan from `start` over its bodies in config, and how many there are;
    with a session, made around the inspections the record holds (see `record_around`)."""
    definition = find_programme(context.programmes(), programme_code)
    if definition.planning is None:
        raise ConfigError(f"config/programmes/{definition.code}.toml has no [planning] table")
    bodies = [
        b
        for b in load_bodies(get_settings().config_dir / "bodies")
        if b.kind.value == definition.body_kind
    ]
    record, taken = (
        record_around(session, programme_code=programme_code, start=start) if session else ([], {})
    )
    made = plan_programme(definition, definition.planning, bodies, start, record, taken)
    return definition, made, len(bodies)


def record_around(
    session: Session, *, programme_code: str, start: dt.date
) -> tuple[list[Booked], dict[str, set[dt.date]]]:
    """What a plan from `start` is made around: the programme's live inspections in its
    cycles and the weeks either side, and the Mondays each body (its name in any case) has
    another row on (a follow-up, a cancelled inspection), where no new one can go."""
    definition = find_programme(context.programmes(), programme_code)
    if definition.planning is None:
        return [], {}
    rows = _inspections_in(session, programme_code, record_window(definition.planning, start))
    taken: dict[str, set[dt.date]] = defaultdict(set)
    for _, name, day, status, kind, parent in rows:
        if _in_the_way(status, kind, parent):
            taken[_key(name)].add(day)
    return _live(rows), dict(taken)


def _live(rows: Sequence[tuple[Any, ...]]) -> list[Booked]:
    """The rows' inspections that are not cancelled, as the date rules see them."""
    return [
        Booked(f"{i}: {name}", name, day, _follow_up(kind, parent))
        for i, name, day, status, kind, parent in rows
        if Status(status) is not Status.CANCELLED
    ]


def preview(
    session: Session,
    *,
    programme_code: str,
    placements: Sequence[Placement],
    start: dt.date,
    today: dt.date,
) -> list[Intended]:
    """What scheduling the placements of a plan from `start` would do as of `today`, in plan
    order (reads only).

    A body with an inspection in the plan's years or the placement's cycle in another week
    (moved since, or booked by hand) is in the record already: the plan leaves it where it
    is and schedules the rest. Each new one is checked against the date rules beside the
    record's inspections and the plan's new ones before it, as scheduling would check it.
    """
    definition = find_programme(context.programmes(), programme_code)
    rule = definition.planning
    if rule is None:
        raise ConfigError(f"config/programmes/{definition.code}.toml has no [planning] table")
    if not placements:
        return []
    years = planning_years(rule, as_date(start))
    # The same inspections the plan was made around: its cycles hold every placement's.
    rows = _inspections_in(session, programme_code, record_window(rule, start))
    held = _originals_by_body(rows)
    # Scheduling finds any row of the body on the Monday: an original is in the record; a
    # follow-up or a cancelled one stands in the way of a new one.
    other_rows = {
        (_key(name), day): why
        for _, name, day, status, kind, parent in rows
        if (why := _in_the_way(status, kind, parent))
    }
    exact = {(_key(name), day) for _, name, day, *_ in rows} - other_rows.keys()
    booked = _live(rows)  # in date order (as read); the plan's new ones added as they come
    days = [b.fieldwork_start for b in booked]
    in_years = (years[0][1], years[-1][2])
    intended, cycles = [], {}
    for p in placements:
        if p.fieldwork_start not in cycles:
            cycles[p.fieldwork_start] = cycle_of(rule, p.fieldwork_start)[1:]
        key = (_key(p.body.name), p.fieldwork_start)
        found = _in_record(p, held, exact, in_years, cycles[p.fieldwork_start])
        refused = ""
        if found is None and key in other_rows:
            refused = (
                f"{p.body.name}'s inspection with fieldwork from {p.fieldwork_start.isoformat()} "
                f"{other_rows[key]}; a new one cannot start that Monday: plan from another date"
            )
        elif found is None:
            low, high = capacity_window(definition, p.fieldwork_start)
            near = booked[bisect_left(days, low) : bisect_right(days, high)]
            problems = date_problems(
                definition, p.body, p.fieldwork_start, notice_from=start, others=near
            )
            error = refusal(problems)
            refused = str(error) if error is not None else ""
            at = bisect_right(days, p.fieldwork_start)
            days.insert(at, p.fieldwork_start)
            booked.insert(at, Booked(f"{p.body.name}, planned", p.body.name, p.fieldwork_start))
        intended.append(
            Intended(
                body=p.body.name,
                fieldwork_start=p.fieldwork_start,
                announcement=p.announcement,
                in_record=found,
                announcement_past=found is None and not refused and p.announcement < today,
                refused=refused,
            )
        )
    return intended


def _key(name: str) -> str:
    """A body's name as `find_body` matches it (any case)."""
    return name.strip().casefold()


def _follow_up(kind: str, parent_id: int | None) -> bool:
    return parent_id is not None or kind != "inspection"


def _in_the_way(status: str, kind: str, parent_id: int | None) -> str:
    """Why a row keeps a new inspection of its body off its Monday ('' for a live original)."""
    if _follow_up(kind, parent_id):
        return "is a follow-up"
    return "was cancelled" if Status(status) is Status.CANCELLED else ""


def _inspections_in(
    session: Session, programme_code: str, window: tuple[dt.date, dt.date]
) -> Sequence[tuple[Any, ...]]:
    """Every inspection of the programme with fieldwork from within `window`, in date order."""
    found = session.execute(
        sqlalchemy.select(
            col(Inspection.id),
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
            col(Inspection.fieldwork_start).between(*window),
        )
        .order_by(col(Inspection.fieldwork_start), col(Inspection.id))
    ).all()
    return cast(Sequence[tuple[Any, ...]], found)  # rows unpack as tuples do


def _originals_by_body(rows: Sequence[tuple[Any, ...]]) -> dict[str, list[dt.date]]:
    """Each body's live original inspections' fieldwork starts, in date order."""
    held: dict[str, list[dt.date]] = defaultdict(list)
    for _, name, day, status, kind, parent in rows:
        if not _in_the_way(status, kind, parent):
            held[_key(name)].append(day)
    return held


def _in_record(
    placement: Placement,
    held: dict[str, list[dt.date]],
    exact: set[tuple[str, dt.date]],
    years: tuple[dt.date, dt.date],
    cycle: tuple[dt.date, dt.date],
) -> dt.date | None:
    """The fieldwork start of the placement's inspection in the record: a live original on
    the planned Monday (`exact`), else the body's first live original in the plan's years or
    the placement's cycle; None when it is new."""
    key, day = _key(placement.body.name), placement.fieldwork_start
    if (key, day) in exact:
        return day
    return next(
        (s for s in held.get(key, ()) if years[0] <= s <= years[1] or cycle[0] <= s <= cycle[1]),
        None,
    )


def schedule_plan(
    session: Session,
    *,
    programme_code: str,
    placements: Sequence[Placement],
    actor: str,
    now: dt.datetime,
) -> int:
    """Schedule every placement not in the record yet (see `preview`) in the caller's one
    transaction, or none if the date rules refuse any; return how many were new."""
    intended = preview(
        session,
        programme_code=programme_code,
        placements=placements,
        start=now.date(),
        today=now.date(),
    )
    refused = [i for i in intended if i.refused]
    if refused:
        listed = [f"{i.body} from {i.fieldwork_start.isoformat()}: {i.refused}" for i in refused]
        more = f"\nand {len(refused) - 3} more" if len(refused) > 3 else ""
        new = sum(not i.already_scheduled for i in intended)
        raise InvalidInput(
            f"the plan cannot be scheduled beside what the record holds: {len(refused)} of its "
            f"{new} new inspections would be refused (nothing was scheduled):\n"
            + "\n".join(listed[:3])
            + more,
            field="start",
        )
    created = 0
    for p, i in zip(placements, intended, strict=True):
        if i.already_scheduled:
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
