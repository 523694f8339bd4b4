"""Rendering the report of a follow-up or reinspection: each criterion before and after."""

from __future__ import annotations

from sqlmodel import Session, col, select

from inspectorate.adapters.i18n import check_language
from inspectorate.adapters.models import Body, Score
from inspectorate.adapters.repository import get_inspection
from inspectorate.adapters.rows import row_by_id
from inspectorate.domain.follow_up_report import build_follow_up_report
from inspectorate.services import evidence, follow_ups, reports


def render_follow_up_html(
    session: Session, *, inspection_id: int, draft: bool, lang: str = "en"
) -> str:
    """Render the follow-up report: each criterion before and after, and its significance."""
    check_language(lang)
    original_id, changes = evidence.compare_with_original(session, inspection_id=inspection_id)
    framework = evidence.framework_of(session, inspection_id=original_id)
    inspection = get_inspection(session, inspection_id=inspection_id)
    body = row_by_id(session, Body, inspection.body_id)
    assert body is not None
    due = reports.planned_dates(session, inspection_id)
    original_due = reports.planned_dates(session, original_id)
    scored = {
        (s.inspection_id, s.key)
        for s in session.exec(
            select(Score).where(
                Score.level == "criterion",
                col(Score.inspection_id).in_([inspection_id, original_id]),
            )
        )
    }
    report = build_follow_up_report(
        body=body.name,
        programme=framework.name,
        kind=inspection.kind,
        inspectorate=reports.inspectorate(),
        names={c.id: framework.criterion_label(c.id) for c in framework.criteria},
        published_on=follow_ups.publication_date(session, inspection_id=inspection_id)
        or due["fieldwork_end"],
        original_published=follow_ups.publication_date(session, inspection_id=original_id),
        original_fieldwork=original_due["fieldwork_start"],
        fieldwork_start=due["fieldwork_start"],
        fieldwork_end=due["fieldwork_end"],
        changes=changes,
        original_criteria={k for i, k in scored if i == original_id},
        follow_up_criteria={k for i, k in scored if i == inspection_id},
        draft=draft,
    )
    template = reports.environment(lang).get_template("report/follow_up.html.j2")
    return template.render(report=report, draft=draft)
