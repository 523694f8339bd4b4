"""Reports: generated findings, drafts marked on every page, escaping, versions, PDF."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import Session, select

from inspectorate import evidence, operations, reports, synthetic
from inspectorate.lifecycle import Stage
from inspectorate.models import ReportVersion
from inspectorate.report_context import sentence
from tests.factories import (
    finish_fieldwork,
    morning,
    record_synthetic_sample,
    schedule,
    score_and_record,
)


def scored(body: str = "Wales") -> int:
    inspection_id = schedule(body=body, fieldwork_start="2014-03-10")
    operations.apply_stage(
        inspection_id=inspection_id, stage=Stage.ANNOUNCE, actor="t", now=morning("2013-12-30")
    )
    record_synthetic_sample(
        inspection_id, body=body, size=1500, fieldwork="2014-03-10", on="2014-02-17"
    )
    cases = finish_fieldwork(inspection_id, "2014-03-14")
    judgements = synthetic.judgements(cases, evidence.framework_of(inspection_id), 0.7, 1)
    score_and_record(inspection_id, judgements, now=morning("2014-03-28"))
    return inspection_id


def test_findings_are_written_from_the_counts() -> None:
    assert sentence("Were child protection procedures used effectively?", 11, 18) == (
        "Were child protection procedures used effectively — in 11 out of the 18 relevant "
        "cases (61%)."
    )


def test_rendering_an_unchanged_inspection_gives_identical_html(sqlite_database: str) -> None:
    inspection_id = scored()
    first = reports.render_html(inspection_id, draft=True, editable={})
    assert first == reports.render_html(inspection_id, draft=True, editable={})
    assert "DRAFT — NOT FOR PUBLICATION" in first
    assert "Overall, " in first and "relevant cases" in first and "<svg" in first


def test_the_published_version_has_no_draft_mark_and_lists_the_distribution(
    sqlite_database: str,
) -> None:
    html = reports.render_html(scored(), draft=False, editable={})
    assert "DRAFT" not in html
    assert "Police and Crime Commissioners" in html


def test_hostile_editable_text_is_escaped(sqlite_database: str) -> None:
    text = {
        "foreword": "<script>alert('x')</script>",
        "outcomes": {"victims": {"strengths": ["<b>bold</b> & 'quoted'"]}},
        "recommendations": ["Drop table inspections; --"],
    }
    html = reports.render_html(scored(), draft=True, editable=text)
    assert "<script>" not in html and "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; &#39;quoted&#39;" in html
    assert "Drop table inspections; --" in html


def test_versions_are_kept_once_per_content(sqlite_database: str, tmp_path: Path) -> None:
    inspection_id = scored()
    html = reports.render_html(inspection_id, draft=True, editable={}).encode()
    for _ in range(2):
        path, digest, _new = reports.save_version(
            inspection_id=inspection_id,
            kind="draft",
            fmt="html",
            content=html,
            folder=tmp_path,
            now=morning("2014-04-04"),
            actor="t",
        )
    with Session(operations.engine()) as session:
        versions = session.exec(select(ReportVersion)).all()
    assert len(versions) == 1 and versions[0].sha256 == digest and path.read_bytes() == html


@pytest.mark.usefixtures("sqlite_database")
def test_the_pdf_carries_the_headline_table_and_the_draft_mark_on_every_page(
    tmp_path: Path,
) -> None:
    from io import BytesIO

    from pypdf import PdfReader

    pdf = reports.html_to_pdf(reports.render_html(scored(), draft=True, editable={}))
    pages = [p.extract_text() for p in PdfReader(BytesIO(pdf)).pages]
    assert len(pages) > 5
    assert all("DRAFT — NOT FOR PUBLICATION" in page for page in pages)
    summary = next(p for p in pages if p.startswith("Summary"))
    assert "Assisting sentencing" in summary and "Delivering effective work for victims" in summary
    assert "Page 1 of" in pages[0]


def test_a_simulation_writes_a_report_for_every_scored_inspection(
    sqlite_database: str, tmp_path: Path
) -> None:
    from inspectorate.cli_simulate import write_reports

    scored("Wales")
    schedule(body="London", fieldwork_start="2014-03-24")  # not scored: no report
    assert write_reports(tmp_path) == 1
    (written,) = tmp_path.glob("*.html")
    assert written.name.startswith("inspection-1-draft-")
