"""Turning roles (team, body, manager) into mail addresses."""

from __future__ import annotations

import re

from inspectorate.adapters.models import Body
from inspectorate.adapters.settings import Settings
from inspectorate.domain.programmes import Role


def body_address(body: Body, settings: Settings) -> str:
    """Return the body's contact address, or a placeholder in the configured domain."""
    if body.contact_email:
        return body.contact_email
    slug = re.sub(r"[^a-z0-9]+", "-", body.name.lower()).strip("-")
    return f"chief-officer@{slug}.{body.kind}.{settings.body_email_domain}"


def addresses_for(roles: tuple[Role, ...], body: Body, settings: Settings) -> tuple[str, ...]:
    """Return one address per role, in order, without repeats."""
    lookup = {
        Role.TEAM: settings.team_email,
        Role.MANAGER: settings.manager_email,
        Role.BODY: body_address(body, settings),
    }
    return tuple(dict.fromkeys(lookup[r] for r in roles if r in lookup))
