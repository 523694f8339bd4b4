"""Rendering an inspection's report as HTML or PDF and keeping every version by content hash."""

from __future__ import annotations

import datetime as dt
import hashlib
import tomllib
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from inspectorate import evidence, operations
from inspectorate.casework import sample_of
from inspectorate.charts import findings_chart
from inspectorate.database import session_scope, utc
from inspectorate.errors import InvalidFile, InvalidInput
from inspectorate.models import Body, Milestone, ReportVersion
from inspectorate.render import template_environment
from inspectorate.report_context import build_report
from inspectorate.repository import get_inspection, record_audit
from inspectorate.settings import get_settings

DISTRIBUTION = (
    "the relevant Ministers",
    "other inspectorates",
    "the Ministry of Justice Policy Group",
    "NOMS",
    "Police and Crime Commissioners",
    "the press",
    "the website",
)


def read_editable(path: Path | None) -> dict[str, Any]:
    """Read the team's text: foreword, outcomes.<id>.strengths/improvements, recommendations."""
    if path is None:
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InvalidFile(str(path), [f"not readable TOML: {exc}"]) from exc


def render_html(inspection_id: int, *, draft: bool, editable: dict[str, Any]) -> str:
    """Render the report of a scored inspection as HTML (the same input gives the same bytes)."""
    scores = evidence.stored_scores(inspection_id=inspection_id, publication=not draft)
    framework = evidence.framework_of(inspection_id)
    with Session(operations.engine()) as session:
        inspection = get_inspection(session, inspection_id=inspection_id)
        body = session.get(Body, inspection.body_id)
        assert body is not None
        due = {
            m.kind: m.due_on
            for m in session.exec(select(Milestone).where(Milestone.inspection_id == inspection_id))
        }
        cases = sample_of(session, inspection_id=inspection_id)
    report = build_report(
        framework=framework,
        scores=scores,
        cases=cases,
        body=body.name,
        programme=framework.name,
        fieldwork_start=due["fieldwork_start"],
        fieldwork_end=due["fieldwork_end"],
        in_wales=body.in_wales,
        draft=draft,
        editable=editable,
        distribution=() if draft else DISTRIBUTION,
    )
    charts = {c.id: findings_chart(c.findings, c.name) for c in report.chapters if c.findings}
    settings = get_settings()
    environment = template_environment(settings.templates_dir, settings.user_templates_dir)
    return environment.get_template("report/report.html.j2").render(report=report, charts=charts)


def html_to_pdf(html: str) -> bytes:
    """Lay the HTML out as a PDF (WeasyPrint: page numbers, running header, contents)."""
    import weasyprint

    return bytes(weasyprint.HTML(string=html).write_pdf())


def save_version(
    *,
    inspection_id: int,
    kind: str,
    fmt: str,
    content: bytes,
    folder: Path,
    now: dt.datetime,
    actor: str,
) -> tuple[Path, str, bool]:
    """Write the file and record its version; return (path, sha256, new version?)."""
    if fmt not in ("html", "pdf"):
        raise InvalidInput(f"--format {fmt!r}: use html or pdf")
    digest = hashlib.sha256(content).hexdigest()
    path = folder / f"inspection-{inspection_id}-{kind}-{digest[:12]}.{fmt}"
    folder.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    with session_scope(operations.engine()) as session:
        known = session.exec(
            select(ReportVersion).where(
                ReportVersion.inspection_id == inspection_id,
                ReportVersion.kind == kind,
                ReportVersion.format == fmt,
                ReportVersion.sha256 == digest,
            )
        ).first()
        if known is not None:
            return path, digest, False
        version = ReportVersion(
            inspection_id=inspection_id,
            kind=kind,
            lang="en",
            format=fmt,
            sha256=digest,
            path=str(path),
            created_at=utc(now),
        )
        session.add(version)
        session.flush()
        assert version.id is not None
        record_audit(
            session,
            at=now,
            actor=actor,
            entity="report",
            entity_id=version.id,
            inspection_id=inspection_id,
            action=f"{kind}_rendered",
            to_state=digest[:12],
            why=f"{fmt.upper()} written to {path}",
        )
    return path, digest, True
