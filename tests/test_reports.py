"""Reports: generated findings, drafts marked on every page, escaping, versions, PDF."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text, update
from sqlmodel import Session, SQLModel, col, select

from inspectorate.adapters.database import session_scope
from inspectorate.adapters.models import Inspection, ReportVersion
from inspectorate.domain.errors import InvalidFile
from inspectorate.services import context, documents, evidence, letters, reports
from tests.factories import morning, scored

MM = 72 / 25.4  # PDF points in a millimetre


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


def text_fill(page: Any) -> float:
    """How far down the page's body its text reaches (0 empty, 1 full), draft mark aside."""
    top, bottom = float(page.mediabox.height) - 22 * MM, 20 * MM  # the page's margins
    lowest = [top]

    def visit(text: str, cm: list[float], tm: list[float], *_: Any) -> None:
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        if text.strip() and "DRAFT" not in text and "PUBLICATION" not in text and bottom < y < top:
            lowest.append(y)

    page.extract_text(visitor_text=visit)
    return (top - min(lowest)) / (top - bottom)


def structure_types(node: Any, found: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    """Every structure element of the tagged PDF's tree: (type, alternative text)."""
    node = node.get_object()
    if isinstance(node, list):
        for child in node:
            structure_types(child, found)
    elif isinstance(node, dict):
        if "/S" in node:
            found.append((str(node["/S"]), node.get("/Alt")))
        if "/K" in node:
            structure_types(node["/K"], found)
    return found


@pytest.mark.usefixtures("sqlite_database")
def test_the_pdf_is_tagged_has_a_cover_of_its_own_and_no_near_empty_page() -> None:
    from pypdf import PdfReader

    reader = PdfReader(BytesIO(reports.html_to_pdf(render(scored(), draft=True, editable={}))))
    pages = [p.extract_text() for p in reader.pages]
    assert len(pages) > 5 and all("DRAFT — NOT FOR PUBLICATION" in page for page in pages)
    # PDF/UA-1: a structure tree, marked content, the language and the title
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] and root["/Lang"] == "en"
    title = "Inspection of Adult Offending Work: Wales (DRAFT)"
    assert reader.metadata is not None and reader.metadata.title == title
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]
    xmp = reader.xmp_metadata
    assert xmp is not None and xmp.dc_title == {"x-default": title}
    assert b'pdfuaid:part="1"' in xmp.stream.get_data()
    tags = structure_types(root["/StructTreeRoot"]["/K"], [])
    kinds = {kind for kind, _ in tags}
    assert {"/Document", "/H1", "/H2", "/Table", "/TH", "/L", "/LI", "/Figure"} <= kinds
    charts = [alt for kind, alt in tags if kind == "/Figure"]
    assert charts and all(alt and alt.startswith("Data summary: ") for alt in charts)
    # the cover alone: inspectorate, programme, body, month of publication, nothing else
    cover = pages[0]
    assert "HM Inspectorate of Probation" in cover and "Inspection of Adult Offending Work" in cover
    assert "Wales" in cover and "May 2014" in cover  # publication is planned for 30 May 2014
    assert "March 2014" not in cover and "Contents" not in cover and "Foreword" not in cover
    assert pages[1].startswith("Contents") and "Summary" in pages[1]
    summary = next(p for p in pages if "Headline outcome" in p)
    assert "Assisting sentencing" in summary and "Delivering effective work for victims" in summary
    # no page between the contents and the last is left mostly blank
    fills = [round(text_fill(page), 2) for page in reader.pages]
    assert min(fills[2:-1]) > 0.6, fills


@pytest.mark.usefixtures("sqlite_database")
def test_a_welsh_letter_is_a_tagged_pdf_in_welsh_on_one_page() -> None:
    from pypdf import PdfReader

    inspection_id = scored("Wales")
    with context.reading() as session:
        html = letters.render_letter_html(session, inspection_id=inspection_id, lang="cy")
    reader = PdfReader(BytesIO(reports.html_to_pdf(html)))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "cy" and root["/MarkInfo"]["/Marked"] and "/StructTreeRoot" in root
    assert reader.metadata is not None and reader.metadata.title == "Cyhoeddi arolygiad: Wales"
    (page,) = reader.pages  # the signature is on the letter's one page
    assert "Annwyl Prif Weithredwr," in page.extract_text() and "Alan MacDonald" in html


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
    assert "<svg" in html and "programme aggregate" not in html  # nothing yet to compare with
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


def test_the_programme_aggregate_reads_published_headlines_from_an_index_alone() -> None:
    engine = create_engine("sqlite://")
    SQLModel.metadata.create_all(engine)
    query = reports._HEADLINE_MEANS.params(programme_id=1, inspection_id=2)
    sql = str(query.compile(engine, compile_kwargs={"literal_binds": True}))
    with engine.connect() as connection:
        plan = [row[3] for row in connection.execute(text("EXPLAIN QUERY PLAN " + sql))]
    # Not the score rows themselves: a report reads a few index entries per published one.
    assert "SEARCH score USING COVERING INDEX ix_score_level_values" in plan[0], plan
