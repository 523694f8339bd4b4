"""Rendering the announcement letter of an inspection, reinspection or follow-up."""

from __future__ import annotations

from sqlmodel import Session

from inspectorate.adapters.i18n import check_language
from inspectorate.adapters.models import Body, Programme
from inspectorate.adapters.repository import get_inspection
from inspectorate.adapters.rows import row_by_id
from inspectorate.adapters.settings import get_settings
from inspectorate.domain.letters import build_announcement_letter
from inspectorate.services import context, follow_ups, reports


def render_letter_html(session: Session, *, inspection_id: int, lang: str = "en") -> str:
    """Render the announcement letter from the inspection's planned milestones."""
    check_language(lang)
    inspection = get_inspection(session, inspection_id=inspection_id)
    body = row_by_id(session, Body, inspection.body_id)
    programme = row_by_id(session, Programme, inspection.programme_id)
    assert body is not None and programme is not None
    original = inspection.parent_id
    letter = build_announcement_letter(
        body=body.name,
        body_kind=body.kind,
        programme=context.programmes()[programme.code],
        due=reports.planned_dates(session, inspection_id),
        team_email=get_settings().team_email,
        inspectorate=reports.inspectorate(),
        kind=inspection.kind,
        original_published=None
        if original is None
        else follow_ups.publication_date(session, inspection_id=original),
    )
    template = reports.environment(lang).get_template("letters/announcement.html.j2")
    return template.render(letter=letter, draft=False)
