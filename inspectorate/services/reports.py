"""Rendering an inspection's report as HTML, in English or Welsh, and as a tagged PDF."""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import jinja2
from sqlalchemy import bindparam
from sqlmodel import Session, col, func, select

from inspectorate.adapters.casework import sample_of, stored_score_summary
from inspectorate.adapters.config_files import load_inspectorate
from inspectorate.adapters.database import utc
from inspectorate.adapters.i18n import check_language, translations
from inspectorate.adapters.models import Body, Inspection, Milestone, ReportText, Score
from inspectorate.adapters.render import template_environment
from inspectorate.adapters.repository import get_inspection, record_audit
from inspectorate.adapters.rows import plain_rows, row_by_id
from inspectorate.adapters.settings import get_settings
from inspectorate.domain.charts import findings_chart, headline_chart
from inspectorate.domain.errors import InvalidFile, InvalidInput, InvalidTransition
from inspectorate.domain.frameworks import Framework
from inspectorate.domain.identity import Inspectorate
from inspectorate.domain.lifecycle import PUBLISHED_STATUSES
from inspectorate.domain.report_context import DISTRIBUTION, ReportContext, build_report
from inspectorate.domain.team_text import check_team_text
from inspectorate.services import evidence, follow_ups


def parse_editable(
    text: str, where: str, outcome_ids: Sequence[str] | None = None
) -> dict[str, Any]:
    """Check the team's text (TOML): its keys and, when given, its outcome ids."""
    try:
        editable = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InvalidFile(where, [f"not readable TOML: {exc}"]) from exc
    return check_team_text(editable, outcome_ids, where)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidFile(str(path), [f"not readable as UTF-8 text: {exc}"]) from exc


def read_editable(path: Path | None, outcome_ids: Sequence[str] | None = None) -> dict[str, Any]:
    """Read the team's text from a TOML file (an empty text when no file is given)."""
    return {} if path is None else parse_editable(_read(path), str(path), outcome_ids)


def outcome_ids_of(framework: Framework) -> list[str]:
    """The ids of the framework's headline outcomes, in report order."""
    return [h.id for h in framework.headlines]


def store_text(
    session: Session, *, inspection_id: int, path: Path, now: dt.datetime, actor: str
) -> None:
    """Keep the team's text for the inspection's reports (checked first; audited).

    Every outcome it names must be one of the inspection's framework: a typo is refused
    with the known ones, and nothing is stored.
    """
    keep_text(
        session,
        inspection_id=inspection_id,
        text=_read(path),
        where=str(path),
        now=now,
        actor=actor,
        why=f"from {path.name}",
    )


def keep_text(
    session: Session,
    *,
    inspection_id: int,
    text: str,
    where: str,
    now: dt.datetime,
    actor: str,
    why: str = "",
) -> None:
    """Keep the team's text given as TOML (checked against the framework first; audited)."""
    framework = evidence.framework_of(session, inspection_id=inspection_id)  # or UnknownInspection
    parse_editable(text, where, outcome_ids_of(framework))
    row = session.exec(select(ReportText).where(ReportText.inspection_id == inspection_id)).first()
    if row is None:
        row = ReportText(inspection_id=inspection_id, text=text, updated_at=utc(now))
    row.text, row.updated_at = text, utc(now)
    session.add(row)
    record_audit(
        session,
        at=now,
        actor=actor,
        entity="inspection",
        entity_id=inspection_id,
        inspection_id=inspection_id,
        action="report_text_stored",
        why=why or f"from {where}",
    )


def stored_text(
    session: Session, *, inspection_id: int, framework: Framework | None = None
) -> dict[str, Any]:
    """Return the team's stored text, checked against the framework (empty when none was given)."""
    found = plain_rows(session, _STORED_TEXT, {"inspection_id": inspection_id})
    if not found:
        return {}
    framework = framework or evidence.framework_of(session, inspection_id=inspection_id)
    where = f"the team's text stored for inspection {inspection_id} (store a corrected one)"
    return parse_editable(found[0][0], where, outcome_ids_of(framework))


# Built once: every report written reads it.
_STORED_TEXT = select(col(ReportText.text)).where(
    col(ReportText.inspection_id) == bindparam("inspection_id")
)


def programme_aggregate(session: Session, inspection: Inspection) -> tuple[dict[str, float], int]:
    """Each headline's mean over the programme's other published inspections, and their count."""
    # Summed by the database: a page reads a few rows, not every published inspection's scores.
    which = {"programme_id": inspection.programme_id, "inspection_id": inspection.id}
    means = session.exec(_HEADLINE_MEANS, params=which).all()
    counted = session.exec(_PUBLISHED_COUNT, params=which).one()
    return {k: float(mean) for k, mean in means if mean is not None}, counted


# Built once: every report written asks them (each draft and publication, each language).
_OTHERS_PUBLISHED = select(Inspection.id).where(
    Inspection.programme_id == bindparam("programme_id"),
    col(Inspection.status).in_(PUBLISHED_STATUSES),
    Inspection.id != bindparam("inspection_id"),
)
_HEADLINES = (Score.level == "headline", col(Score.inspection_id).in_(_OTHERS_PUBLISHED))
_HEADLINE_MEANS = (
    select(Score.key, func.avg(Score.score)).where(*_HEADLINES).group_by(col(Score.key))
)
_PUBLISHED_COUNT = select(func.count(func.distinct(Score.inspection_id))).where(*_HEADLINES)


def inspectorate() -> Inspectorate:
    """The inspectorate's name, addressees and signatories (config/inspectorate.toml)."""
    return load_inspectorate(get_settings().config_dir)


def environment(lang: str) -> jinja2.Environment:
    """The template environment of the configured folders, in `lang`."""
    settings = get_settings()
    return template_environment(settings.templates_dir, settings.user_templates_dir, lang)


def planned_dates(session: Session, inspection_id: int) -> dict[str, dt.date]:
    """Each milestone's due date, by kind."""
    return dict(plain_rows(session, _PLANNED_DATES, {"inspection_id": inspection_id}))


# Built once: every report and letter reads them.
_PLANNED_DATES = select(col(Milestone.kind), col(Milestone.due_on)).where(
    col(Milestone.inspection_id) == bindparam("inspection_id")
)


def build_inspection_report(
    session: Session,
    *,
    inspection_id: int,
    draft: bool,
    editable: dict[str, Any] | None = None,
    scores: dict[str, Any] | None = None,
) -> ReportContext:
    """The report of a scored inspection, worked out (with the team's stored text when None).

    Scores come as stored (question, criterion and headline rows): a report shows no
    breakdowns, so the judgements need not be scored again.
    """
    scores = scores or stored_score_summary(session, inspection_id=inspection_id)
    if scores is None:
        raise InvalidTransition(
            f"inspection {inspection_id} has not been scored yet; score its fieldwork first"
        )
    inspection = get_inspection(session, inspection_id=inspection_id)
    body = row_by_id(session, Body, inspection.body_id)
    assert body is not None
    due = planned_dates(session, inspection_id)
    cases = sample_of(session, inspection_id=inspection_id)
    aggregate, counted = programme_aggregate(session, inspection)
    framework = evidence.framework_of(session, inspection_id=inspection_id)
    if editable is None:
        editable = stored_text(session, inspection_id=inspection_id, framework=framework)
    return build_report(
        framework=framework,
        scores=scores,
        cases=cases,
        body=body.name,
        programme=framework.name,
        fieldwork_start=due["fieldwork_start"],
        fieldwork_end=due["fieldwork_end"],
        published_on=follow_ups.publication_date(session, inspection_id=inspection_id)
        or due["fieldwork_end"],
        inspectorate=inspectorate(),
        in_wales=body.in_wales,
        draft=draft,
        editable=editable,
        distribution=() if draft else DISTRIBUTION,
        programme_aggregate=aggregate,
        inspections_in_aggregate=counted,
        kind=inspection.kind,
    )


def render_html(
    session: Session,
    *,
    inspection_id: int,
    draft: bool,
    editable: dict[str, Any] | None = None,
    lang: str = "en",
) -> str:
    """Render a scored inspection's report as HTML (the same input gives the same bytes).

    Without `editable` the team's stored text is used.
    """
    check_language(lang)
    report = build_inspection_report(
        session, inspection_id=inspection_id, draft=draft, editable=editable
    )
    return render_report(report, lang=lang)


def render_report(report: ReportContext, *, lang: str) -> str:
    """Render a built report context with its charts in `lang`."""
    env = environment(lang)
    gettext = translations(lang).gettext
    summary = gettext("Data summary: %(outcome)s")
    charts = {
        c.id: findings_chart(c.findings, summary % {"outcome": c.name}, gettext)
        for c in report.chapters
        if c.findings
    }
    if report.inspections_in_aggregate:  # a comparison only once some have been published
        title = gettext("Headline scores beside the programme aggregate")
        charts["headlines"] = headline_chart(report.against_programme, title, gettext)
    template = env.get_template("report/report.html.j2")
    return template.render(report=report, charts=charts, draft=report.draft)


def html_to_pdf(html: str) -> bytes:
    """Lay the HTML out as a tagged PDF/UA-1 (structure tree, language and title from the HTML)."""
    import weasyprint

    return bytes(weasyprint.HTML(string=html).write_pdf(pdf_variant="pdf/ua-1"))


def check_format(fmt: str) -> str:
    """Return `fmt` if reports can be written in it; otherwise say which can."""
    if fmt not in ("html", "pdf"):
        raise InvalidInput(f"format {fmt!r} is not one of html, pdf", field="format")
    return fmt
