"""Golden files: every template rendered from a fixed context, compared byte for byte.

After a deliberate change to a template or its context, regenerate with
`UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_golden.py` and read the diff before committing.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pendulum
import pytest

from inspectorate.adapters.models import Body, Inspection, Milestone, Reminder
from inspectorate.adapters.render import render_email
from inspectorate.domain import synthetic
from inspectorate.domain.comparison import CriterionCount, compare
from inspectorate.domain.follow_up_report import build_follow_up_report
from inspectorate.domain.letters import build_announcement_letter
from inspectorate.domain.milestones import plan_milestones
from inspectorate.domain.report_context import DISTRIBUTION, build_report
from inspectorate.domain.scoring import score
from inspectorate.services import context, reports
from inspectorate.services.messages import mail_context

GOLDEN = Path(__file__).parent / "golden"
FIELDWORK = pendulum.date(2014, 3, 10)


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"{path} is missing: run with UPDATE_GOLDEN=1 to write it"
    assert text == path.read_text(encoding="utf-8"), f"{name} differs from its golden file"


def due_dates() -> dict[str, dt.date]:
    programme = context.programmes()["iaow"]
    return {p.kind: p.due for p in plan_milestones(programme, FIELDWORK)}


def report_html(*, draft: bool, lang: str) -> str:
    framework = context.frameworks()["iaow"]
    cases = synthetic.caseload("Gwent", 60, FIELDWORK, seed=3)
    scores = score(synthetic.judgements(cases, framework, 0.7, 3), framework)
    report = build_report(
        framework=framework,
        scores=scores.as_json(publication=not draft),
        cases=cases,
        body="Wales Probation Trust",
        programme=framework.name,
        fieldwork_start=FIELDWORK,
        fieldwork_end=FIELDWORK + dt.timedelta(days=4),
        published_on=dt.date(2014, 6, 2),
        inspectorate=reports.inspectorate(),
        in_wales=True,
        draft=draft,
        editable={
            "foreword": "A foreword written by the Chief Inspector.",
            "outcomes": {"assisting_sentencing": {"strengths": ["Reports were timely."]}},
            "recommendations": ["Review every high risk of harm case within four months."],
        },
        distribution=() if draft else DISTRIBUTION,
        programme_aggregate={"assisting_sentencing": 71.5, "protecting_the_public": 64.0},
        inspections_in_aggregate=4,
    )
    return reports.render_report(report, lang=lang)


@pytest.mark.parametrize(
    ("draft", "lang"), [(True, "en"), (False, "en"), (False, "cy")], ids=["draft", "en", "cy"]
)
def test_the_inspection_report_matches_its_golden_file(draft: bool, lang: str) -> None:
    kind = "draft" if draft else "published"
    check_golden(f"report_{kind}_{lang}.html", report_html(draft=draft, lang=lang))


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_the_follow_up_report_matches_its_golden_file(lang: str) -> None:
    framework = context.frameworks()["esi"]
    original = {
        "B1": CriterionCount(12, 26),
        "B2": CriterionCount(20, 26),
        "C5": CriterionCount(9, 17),
    }
    follow_up = {
        "B1": CriterionCount(27, 31),
        "B2": CriterionCount(22, 27),
        "B3": CriterionCount(20, 26),
    }
    report = build_follow_up_report(
        body="Staffordshire",
        programme=framework.name,
        kind="follow_up",
        inspectorate=reports.inspectorate(),
        names={c.id: framework.criterion_label(c.id) for c in framework.criteria},
        published_on=dt.date(2006, 6, 5),
        original_published=dt.date(2005, 6, 6),
        original_fieldwork=dt.date(2005, 3, 7),
        fieldwork_start=dt.date(2006, 3, 6),
        fieldwork_end=dt.date(2006, 3, 10),
        changes=compare(original, follow_up),
        original_criteria=set(original),
        follow_up_criteria=set(follow_up),
        draft=False,
    )
    html = (
        reports.environment(lang)
        .get_template("report/follow_up.html.j2")
        .render(report=report, draft=False)
    )
    check_golden(f"follow_up_{lang}.html", html)


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_the_announcement_letter_matches_its_golden_file(lang: str) -> None:
    letter = build_announcement_letter(
        body="Wales Probation Trust",
        body_kind="trust",
        programme=context.programmes()["iaow"],
        due=due_dates(),
        team_email="inspection-team@inspectorate.invalid",
        inspectorate=reports.inspectorate(),
    )
    html = (
        reports.environment(lang)
        .get_template("letters/announcement.html.j2")
        .render(letter=letter, draft=False)
    )
    check_golden(f"announcement_{lang}.html", html)


@pytest.mark.parametrize("kind", ["reminder", "escalation"])
def test_the_reminder_and_escalation_emails_match_their_golden_files(kind: str) -> None:
    programme = context.programmes()["iaow"]
    due = due_dates()
    mail = mail_context(
        body=Body(name="Wales Probation Trust", kind="trust", region="Wales", in_wales=True),
        programme=programme,
        inspection=Inspection(
            id=7, body_id=1, programme_id=1, fieldwork_start=FIELDWORK, status="announced"
        ),
        milestone=Milestone(
            inspection_id=7, kind="sample_selection", due_on=due["sample_selection"]
        ),
        rule=programme.rule("sample_selection"),
        reminder=Reminder(
            milestone_id=1,
            kind="lead_5" if kind == "reminder" else kind,
            remind_on=FIELDWORK,
            recipients="team@inspectorate.invalid",
        ),
        addressee="Chief Executive",
        signatory="Alan MacDonald, Assistant Chief Inspector",
    ).as_template_context()
    subject, body = render_email(reports.environment("en"), [f"email/{kind}.txt.j2"], mail)
    check_golden(f"{kind}.txt", f"Subject: {subject}\n\n{body}")
