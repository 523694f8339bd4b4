"""Turning roles (team, body, manager) into mail addresses, and addresses into audiences."""

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


BODY = "body"  # the inspected body's chief officer: the body's wording, never internal text
STAFF = "staff"  # the inspection team and the programme manager: the internal wording


def audience_of(address: str, settings: Settings) -> str:
    """Return STAFF for the team's or manager's mailbox, BODY for any other address.

    Anything not known to be ours reads the body's wording, so a chief officer whose address
    changed since the reminder was claimed still never reads internal text.
    """
    ours = {settings.team_email.strip().lower(), settings.manager_email.strip().lower()}
    return STAFF if address.strip().lower() in ours else BODY


def by_audience(
    addresses: tuple[str, ...], settings: Settings
) -> list[tuple[str, tuple[str, ...]]]:
    """Group addresses by who they are (body first, then staff), keeping their order."""
    groups: dict[str, list[str]] = {BODY: [], STAFF: []}
    for address in addresses:
        groups[audience_of(address, settings)].append(address)
    return [(audience, tuple(found)) for audience, found in groups.items() if found]


def split_recipients(text: str) -> tuple[str, ...]:
    """Return the addresses of a reminder's comma-separated `recipients`."""
    return tuple(a.strip() for a in text.split(",") if a.strip())
