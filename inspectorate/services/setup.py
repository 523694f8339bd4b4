"""Setting up the record: schema to head, bodies and programmes loaded from config."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from inspectorate.adapters.config_files import load_bodies
from inspectorate.adapters.database import session_scope, upgrade_to_head
from inspectorate.adapters.registry import upsert_bodies, upsert_programmes
from inspectorate.adapters.settings import Settings, get_settings
from inspectorate.services import context


@dataclass(frozen=True)
class InitReport:
    """What `inspectorate init` did."""

    database_url: str
    bodies_changed: int
    programmes_changed: int


def initialise(now: dt.datetime | None = None, settings: Settings | None = None) -> InitReport:
    """Upgrade the schema to head and load bodies and programmes from config (idempotent)."""
    settings = settings or get_settings()
    definitions = context.programmes(settings)
    bodies = load_bodies(settings.config_dir / "bodies")
    upgrade_to_head(settings.record_url())
    at = context.moment(now)
    with session_scope(context.engine(settings)) as session:
        changed_bodies = upsert_bodies(session, bodies=bodies, now=at)
        changed_programmes = upsert_programmes(session, programmes=definitions.values(), now=at)
    return InitReport(settings.database_url, changed_bodies, changed_programmes)
