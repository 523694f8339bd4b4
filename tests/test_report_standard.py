"""Reports and letters to the standard of seed 003 and seeds 000/001, checked without a PDF.

Charts measured, never cut, numbered as the text; risk levels in order; ratings and the
programme comparison only where they exist; the cover's month is publication's; follow-ups
name criteria and write 'p < 0.001'; letters say what they announce, addressed as the mail
is and signed by a named person from config.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd
import pytest

from inspectorate.adapters.render import render_email
from inspectorate.domain import synthetic
from inspectorate.domain.charts import FONT, findings_chart, headline_chart
from inspectorate.domain.comparison import CriterionCount, compare
from inspectorate.domain.follow_up_report import build_follow_up_report, p_value_text
from inspectorate.domain.font_metrics import text_width
from inspectorate.domain.frameworks import Framework, RatingBand
from inspectorate.domain.letters import build_announcement_letter
from inspectorate.domain.report_context import Finding, HeadlineComparison, build_report
from inspectorate.domain.scoring import score
from inspectorate.services import context, letters, reports
from tests.test_follow_ups import children, published

SVG = "{http://www.w3.org/2000/svg}"
FIELDWORK = dt.date(2014, 3, 10)
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def texts_fit(svg: str) -> list[str]:
    """The chart's texts, each checked to lie wholly inside the drawing's viewBox."""
    root = ET.fromstring(svg)
    width = float(root.attrib["viewBox"].split()[2])
    found = []
    for text in root.iter(f"{SVG}text"):
        content = text.text or ""
        assert float(text.attrib["x"]) + text_width(content, FONT) <= width, content
        found.append(content)
    assert "…" not in svg
    return found


def iaow_report(lang: str = "en", **changes: object) -> str:
    """The Welsh trust's report from synthetic judgements, rendered as HTML in `lang`."""
    framework = changes.pop("framework", context.frameworks()["iaow"])
    assert isinstance(framework, Framework)
    cases = synthetic.caseload("Gwent", 60, FIELDWORK, seed=3)
    scores = score(synthetic.judgements(cases, framework, 0.7, 3), framework).as_json()
    options: dict[str, object] = {
        "framework": framework,
        "scores": scores,
        "cases": cases,
        "body": "Wales",
        "programme": framework.name,
        "fieldwork_start": FIELDWORK,
        "fieldwork_end": FIELDWORK + dt.timedelta(days=4),
        "published_on": dt.date(2014, 6, 2),
        "inspectorate": reports.inspectorate(),
        "in_wales": True,
        "draft": False,
    }
    report = build_report(**{**options, **changes})  # type: ignore[arg-type]
    return reports.render_report(report, lang=lang)


def test_chart_labels_are_measured_and_wrapped_never_cut() -> None:
    names = [
        "Protecting the public by minimising the risk of harm to others",
        "Delivering the sentence of the court",
        "Amddiffyn y cyhoedd drwy leihau'r risg o niwed i eraill cyn lleied â phosibl",
        "Averyveryveryveryverylongwordthatnothingcanbreakanywhereatallwhatsoever",
    ]
    svg = headline_chart([HeadlineComparison(n, 76.0, 64.0) for n in names], "Headlines")
    shown = texts_fit(svg)
    for name in names:  # every name is drawn whole, over as many lines as it needs
        assert name in " ".join(shown)
    assert len(shown) > len(names) * 2  # long names wrapped
    wide = [Finding(f"q{n}", "?", 120, 120, 100.0, n) for n in range(1, 13)]
    labels = texts_fit(findings_chart(wide, "Data summary: Outcome"))
    assert labels[0:24:2] == [str(n) for n in range(1, 13)]  # each row: number, then value
    assert labels[1:24:2] == ["100% (120/120)"] * 12


@pytest.mark.skipif(not DEJAVU.exists(), reason="DejaVu Sans is not installed")
def test_the_width_table_is_the_font_the_pdf_uses() -> None:
    from PIL import ImageFont

    font = ImageFont.truetype(str(DEJAVU), 2048, layout_engine=ImageFont.Layout.BASIC)
    for text in ("62% (33/54)", "Delivering effective work for victims", "Ŵyr ŷd — “Iawn” …"):
        assert text_width(text, 2048) == pytest.approx(font.getlength(text), abs=4)


def test_questions_are_numbered_in_the_chart_as_in_the_text() -> None:
    html = iaow_report()
    chapter = html.split('<h2 id="delivering_the_sentence">')[1].split("<h2 ")[0]
    numbers = re.findall(r'<li value="(\d+)">', chapter)
    assert numbers == [str(n) for n in range(1, len(numbers) + 1)] and len(numbers) == 11
    chart = chapter[chapter.index("<svg") : chapter.index("</svg>") + 6]
    assert texts_fit(chart)[0 : 2 * len(numbers) : 2] == numbers
    assert "2.1a" not in chart  # question ids are the framework's, not the reader's


def test_risk_levels_and_case_types_are_in_their_natural_order() -> None:
    cases = pd.DataFrame(
        {
            "rosh": ["very high", "high", "low", "medium", "low"],
            "case_type": ["suspended sentence order", "post-custody licence"] * 2
            + ["community order"],
            "ethnicity": ["White", "Other", "Asian", "Black", "Mixed"],
        }
    )
    html = iaow_report(cases=cases)
    tables = dict(
        re.findall(r'<th scope="col">([^<]+)</th>.*?<tbody>(.*?)</tbody>', html, flags=re.S)
    )
    groups = {k: re.findall(r"<tr><td>([^<]+)</td>", v) for k, v in tables.items()}
    assert groups["Risk of serious harm"] == ["low", "medium", "high", "very high"]
    assert groups["Case type"] == [
        "community order",
        "suspended sentence order",
        "post-custody licence",
    ]
    assert groups["Ethnicity"] == ["Asian", "Black", "Mixed", "White", "Other"]


def test_ratings_appear_only_where_the_framework_defines_bands() -> None:
    html = iaow_report()
    assert ">Rating<" not in html and "Good" not in html and "Requires improvement" not in html
    bands = (RatingBand(min=65, label="Good"), RatingBand(min=0, label="Requires improvement"))
    framework = context.frameworks()["iaow"].model_copy(update={"rating_bands": bands})
    rated = iaow_report(framework=framework)
    assert ">Rating<" in rated and ("<td>Good</td>" in rated or "Requires improvement" in rated)


def test_the_programme_comparison_appears_only_once_inspections_are_published() -> None:
    alone = iaow_report()
    assert "programme aggregate" not in alone and "no inspection" not in alone
    compared = iaow_report(programme_aggregate={"victims": 61.0}, inspections_in_aggregate=3)
    assert "aggregate of 3 published inspections in the programme" in compared
    assert "Headline scores beside the programme aggregate: " in compared  # the chart's text


def test_the_cover_gives_the_month_of_publication_and_the_foreword_is_signed() -> None:
    html = iaow_report(editable={"foreword": "We found good work."})
    cover = html.split('<section class="cover">')[1].split("</section>")[0]
    assert "HM Inspectorate of Probation" in cover and "Wales" in cover
    assert "June 2014" in cover and "March 2014" not in cover
    assert "<strong>Paul McDowell</strong><br>HM Chief Inspector of Probation" in html
    welsh = iaow_report(lang="cy")
    assert "Arolygiaeth Prawf EF" in welsh and "Mehefin 2014" in welsh
    again = iaow_report(kind="reinspection").split("</section>")[0]
    assert '<p class="programme">Reinspection</p>' in again
    assert "Foreword" not in iaow_report()  # a published report leaves an unwritten one out


def test_the_chief_inspector_is_the_one_in_office() -> None:
    inspectorate = reports.inspectorate()
    on = inspectorate.chief_inspector_on
    assert on(dt.date(2003, 6, 1)).name == "Rod Morgan"
    assert on(dt.date(2005, 6, 1)).name == "Andrew Bridges"  # seed 000's foreword
    assert on(dt.date(2012, 3, 31)).name == "Liz Calderbank"  # seed 004
    assert on(dt.date(2014, 5, 30)).name == "Paul McDowell"  # seed 003
    assert inspectorate.addressee("trust").en == "Chief Executive"
    assert inspectorate.addressee("yot").cy == "Rheolwr y Tîm Troseddau Ieuenctid"


def test_a_follow_up_names_its_criteria_and_writes_small_probabilities() -> None:
    assert p_value_text(0.0000123) == "p < 0.001" and p_value_text(0.0342) == "p = 0.034"
    framework = context.frameworks()["cci"]
    before = {"sg.ap": CriterionCount(10, 40), "lor.ap": CriterionCount(12, 40)}
    after = {"sg.ap": CriterionCount(36, 40), "lor.ap": CriterionCount(38, 40)}
    report = build_follow_up_report(
        body="North Lincolnshire",
        programme=framework.name,
        kind="reinspection",
        inspectorate=reports.inspectorate(),
        names={c.id: framework.criterion_label(c.id) for c in framework.criteria},
        published_on=dt.date(2015, 8, 28),
        original_published=dt.date(2014, 6, 2),
        original_fieldwork=dt.date(2014, 2, 10),
        fieldwork_start=dt.date(2015, 6, 8),
        fieldwork_end=dt.date(2015, 6, 12),
        changes=compare(before, after),
        original_criteria=set(before),
        follow_up_criteria=set(after),
        draft=False,
    )
    html = (
        reports.environment("en")
        .get_template("report/follow_up.html.j2")
        .render(report=report, draft=False)
    )
    assert "lor.ap" not in html and "sg.ap" not in html and "0.000" not in html
    assert html.count("<td>p &lt; 0.001</td>") == 2
    first, second = "Safeguarding - assessment and planning", "Likelihood of reoffending - "
    assert html.index(first) < html.index(second)  # in the framework's order
    assert "Reinspection report" in html and "published in June 2014" in html
    assert "August 2015" in html.split("</section>")[0]  # the cover's month: publication


def test_the_letter_is_addressed_as_the_mail_and_signed_by_a_named_person() -> None:
    programme = context.programmes()["cci"]
    due = {"announcement": dt.date(2015, 3, 30), "fieldwork_start": dt.date(2015, 6, 8)}
    due |= {"fieldwork_end": dt.date(2015, 6, 12)}
    letter = build_announcement_letter(
        body="North Lincolnshire",
        body_kind="yot",
        programme=programme,
        due=due,
        team_email="team@inspectorate.invalid",
        inspectorate=reports.inspectorate(),
        kind="reinspection",
        original_published=dt.date(2014, 6, 2),
    )
    template = reports.environment("en").get_template("letters/announcement.html.j2")
    html = template.render(letter=letter, draft=False)
    assert "Announcement of reinspection" in html and "we will reinspect North Lincolnshire" in html
    assert "published in June 2014" in html and "Dear YOT Manager," in html
    assert "<strong>Paul McDowell</strong><br>HM Chief Inspector of Probation" in html
    signed = build_announcement_letter(
        body="Wales",
        body_kind="trust",
        programme=context.programmes()["iaow"],
        due=due,
        team_email="team@inspectorate.invalid",
        inspectorate=reports.inspectorate(),
    )
    assert signed.signatory.name == "Alan MacDonald"  # the programme's own signatory
    welsh = reports.environment("cy").get_template("letters/announcement.html.j2")
    assert "Annwyl Prif Weithredwr," in welsh.render(letter=signed, draft=False)


def test_a_reinspection_announced_from_the_record_says_so_in_letter_and_mail(
    sqlite_database: str,
) -> None:
    from inspectorate.adapters.models import Body, Inspection, Milestone, Reminder
    from inspectorate.services.messages import mail_context

    (child,) = children(published(0.35))
    assert child.id is not None and child.kind == "reinspection"
    with context.reading() as session:
        html = letters.render_letter_html(session, inspection_id=child.id)
        body = session.get(Body, child.body_id)
    assert "Announcement of reinspection" in html and "Dear YOT Manager," in html
    assert "published in June 2014" in html and "Paul McDowell" in html
    assert body is not None
    mail = mail_context(
        body=body,
        programme=context.programmes()["cci"],
        inspection=Inspection(**child.model_dump()),
        milestone=Milestone(inspection_id=child.id, kind="announcement", due_on=FIELDWORK),
        rule=context.programmes()["cci"].rule("announcement"),
        reminder=Reminder(milestone_id=1, kind="notice", remind_on=FIELDWORK, recipients="x"),
        addressee=reports.inspectorate().addressee(body.kind).en,
        signatory="Paul McDowell, HM Chief Inspector of Probation",
        audience="body",
    ).as_template_context()
    subject, text = render_email(
        reports.environment("en"), ["email/notice_announcement.txt.j2"], mail
    )
    assert subject.startswith("Announcement of reinspection")
    assert text.startswith("Dear YOT Manager,") and "will be reinspected" in text
    assert "Paul McDowell, HM Chief Inspector of Probation" in text
