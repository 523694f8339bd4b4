"""The registry of inspected bodies and programmes: loading them from config, finding them."""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterable

from sqlmodel import Session, select

from inspectorate.adapters.models import Body, Programme
from inspectorate.adapters.repository import record_audit
from inspectorate.domain.errors import NotInitialised, UnknownBody
from inspectorate.domain.programmes import ProgrammeDefinition
from inspectorate.domain.reference import BodyRecord


def upsert_bodies(session: Session, *, bodies: Iterable[BodyRecord], now: dt.datetime) -> int:
    """Insert or update bodies by (name, kind); return how many changed (each audited)."""
    existing = {(b.name, b.kind): b for b in session.exec(select(Body)).all()}
    changed = 0
    for record in bodies:
        row = existing.get((record.name, record.kind.value))
        values: dict[str, object] = {
            "region": record.region,
            "family": record.family,
            "in_wales": record.in_wales,
            "valid_from": record.valid_from,
            "valid_until": record.valid_until,
        }
        if row is None:
            row = Body(
                name=record.name,
                kind=record.kind.value,
                region=record.region,
                family=record.family,
                in_wales=record.in_wales,
                valid_from=record.valid_from,
                valid_until=record.valid_until,
            )
            action = "created"
        elif any(getattr(row, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(row, key, value)
            action = "updated"
        else:
            continue
        _save_from_config(session, row, "body", action, f"{record.kind.value} {record.name}", now)
        changed += 1
    return changed


def upsert_programmes(
    session: Session, *, programmes: Iterable[ProgrammeDefinition], now: dt.datetime
) -> int:
    """Insert or update programmes by code; return how many changed (each audited)."""
    existing = {p.code: p for p in session.exec(select(Programme)).all()}
    changed = 0
    for definition in programmes:
        row = existing.get(definition.code)
        if row is not None and (row.name, row.body_kind) == (definition.name, definition.body_kind):
            continue
        action = "created" if row is None else "updated"
        row = row or Programme(code=definition.code, name="", body_kind="")
        row.name, row.body_kind = definition.name, definition.body_kind
        _save_from_config(session, row, "programme", action, f"programme {definition.code}", now)
        changed += 1
    return changed


def _save_from_config(
    session: Session, row: Body | Programme, entity: str, action: str, what: str, now: dt.datetime
) -> None:
    session.add(row)
    session.flush()
    assert row.id is not None
    record_audit(
        session,
        at=now,
        actor="init",
        entity=entity,
        entity_id=row.id,
        action=action,
        why=f"{what} from config",
    )


def find_body(session: Session, *, name: str, kind: str) -> Body:
    """Return the body of `kind` called `name` (case-insensitive), or suggest close names.

    The name exactly as stored is one lookup in the name index; only another spelling reads
    every body of the kind.
    """
    exact = session.exec(select(Body).where(Body.name == name.strip(), Body.kind == kind)).first()
    if exact is not None:
        return exact
    bodies = session.exec(select(Body).where(Body.kind == kind)).all()
    for body in bodies:
        if body.name.casefold() == name.strip().casefold():
            return body
    names = [b.name for b in bodies]
    close = difflib.get_close_matches(name, names, n=3, cutoff=0.5)
    hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    if not names:
        raise NotInitialised(f"no {kind} called {name!r}: no bodies of that kind are loaded yet")
    raise UnknownBody(f"no {kind} called {name!r}{hint}")
