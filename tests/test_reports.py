"""Reports: generated findings, drafts marked on every page, escaping, versions, PDF."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update
from sqlmodel import Session, col, select

from inspectorate.adapters.database import session_scope
from inspectorate.adapters.models import Inspection, ReportVersion
from inspectorate.domain.errors import InvalidFile
from inspectorate.services import context, documents, evidence, reports
from tests.factories import morning, scored


def render(inspection_id: int, **options: Any) -> str:
    with context.reading() as session:
        return reports.render_html(session, inspection_id=inspection_id, **options)


def test_findings_are_written_from_the_counts(sqlite_database: str) -> None:
    inspection_id = scored()
    scores = context.run(evidence.stored_scores, inspection_id=inspection_id)
    question, counts = next(iter(scores["questions"].items()))  # type: ignore[attr-defined]
    html = render(inspection_id, draft=True, editable={})
    assert (
        f"— in {counts['sufficient']} out of the {counts['applicable']} relevant cases "
        f"({counts['score']:.0f}%)."
    ) in html


def test_rendering_an_unchanged_inspection_gives_identical_html(sqlite_database: str) -> None:
    inspection_id = scored()
    first = render(inspection_id, draft=True, editable={})
    assert first == render(inspection_id, draft=True, editable={})
    assert "DRAFT — NOT FOR PUBLICATION" in first
    assert "Overall, " in first and "relevant cases" in first and "<svg" in first


def test_the_published_version_has_no_draft_mark_and_lists_the_distribution(
    sqlite_database: str,
) -> None:
    html = render(scored(), draft=False, editable={})
    assert "DRAFT" not in html
    assert "Police and Crime Commissioners" in html


def test_hostile_editable_text_is_escaped(sqlite_database: str) -> None:
    text = {
        "foreword": "<script>alert('x')</script>",
        "outcomes": {"victims": {"strengths": ["<b>bold</b> & 'quoted'"]}},
        "recommendations": ["Drop table inspections; --"],
    }
    html = render(scored(), draft=True, editable=text)
    assert "<script>" not in html and "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; &#39;quoted&#39;" in html
    assert "Drop table inspections; --" in html


def test_versions_are_kept_once_per_content(sqlite_database: str, tmp_path: Path) -> None:
    inspection_id = scored()
    html = render(inspection_id, draft=True, editable={}).encode()
    for _ in range(2):
        saved = context.run(
            documents.save_version,
            inspection_id=inspection_id,
            kind="draft",
            fmt="html",
            content=html,
            folder=tmp_path,
            now=morning("2014-04-04"),
            actor="t",
        )
    with Session(context.engine()) as session:
        versions = session.exec(select(ReportVersion)).all()
    assert len(versions) == 1 and versions[0].sha256 == saved.sha256
    assert saved.path.read_bytes() == html and not saved.new and not versions[0].public


@pytest.mark.usefixtures("sqlite_database")
def test_the_pdf_carries_the_headline_table_and_the_draft_mark_on_every_page(
    tmp_path: Path,
) -> None:
    from io import BytesIO

    from pypdf import PdfReader

    pdf = reports.html_to_pdf(render(scored(), draft=True, editable={}))
    pages = [p.extract_text() for p in PdfReader(BytesIO(pdf)).pages]
    assert len(pages) > 5
    assert all("DRAFT — NOT FOR PUBLICATION" in page for page in pages)
    summary = next(p for p in pages if p.startswith("Summary"))
    assert "Assisting sentencing" in summary and "Delivering effective work for victims" in summary
    assert "Page 1 of" in pages[0]


def test_a_welsh_report_translates_the_template_and_keeps_the_data_as_written(
    sqlite_database: str,
) -> None:
    inspection_id = scored("Wales")
    html = render(inspection_id, draft=True, editable={}, lang="cy")
    assert 'lang="cy"' in html and "DRAFFT — NID I'W GYHOEDDI" in html
    assert "Rhagair" in html and "Mawrth 2014" in html and "achos perthnasol" in html
    assert "Assisting sentencing" in html  # the framework's own words stay as written


def test_the_headline_chart_compares_with_published_inspections_only(
    sqlite_database: str,
) -> None:
    first, second = scored("Wales"), scored("London", fieldwork_start="2014-03-03")
    html = render(second, draft=True, editable={})
    assert "no inspection in the programme has been published yet" in html
    with session_scope(context.engine()) as session:
        session.execute(
            update(Inspection).where(col(Inspection.id) == first).values(status="published")
        )
    html = render(second, draft=True, editable={})
    assert "aggregate of 1 published inspection in the programme" in html
    assert "programme aggregate (published inspections)" in html


def test_the_teams_text_is_kept_checked_and_escaped(sqlite_database: str, tmp_path: Path) -> None:
    inspection_id = scored()
    good = tmp_path / "text.toml"
    good.write_text('foreword = "<script>x</script>"\nrecommendations = ["One"]\n')
    context.run(
        reports.store_text,
        inspection_id=inspection_id,
        path=good,
        now=morning("2014-04-01"),
        actor="t",
    )
    html = render(inspection_id, draft=True)
    assert "&lt;script&gt;x&lt;/script&gt;" in html and "<li>One</li>" in html
    bad = tmp_path / "bad.toml"
    bad.write_text('forword = "typo"\noutcomes = { victims = "not a table" }\n')
    with pytest.raises(InvalidFile) as refused:
        context.run(
            reports.store_text,
            inspection_id=inspection_id,
            path=bad,
            now=morning("2014-04-02"),
            actor="t",
        )
    assert "unknown key 'forword'" in str(refused.value) and "outcomes.victims" in str(
        refused.value
    )
    assert "&lt;script&gt;" in render(inspection_id, draft=True)  # kept the good one
