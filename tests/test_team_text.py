"""The team's report text: checked against the framework's outcomes, its gaps, its digest."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import pytest
from sqlmodel import Session, func, select

from cli.main import main
from inspectorate.adapters.models import AuditEvent, ReportText
from inspectorate.domain.errors import InvalidFile
from inspectorate.domain.team_text import (
    check_team_text,
    missing_team_text,
    team_text_digest,
    team_text_problems,
)
from inspectorate.services import context, reports
from tests.factories import morning, schedule, scored

IAOW = [
    "assisting_sentencing",
    "delivering_the_sentence",
    "reducing_reoffending",
    "protecting_the_public",
    "victims",
]
TYPO = '[outcomes.assisting_sentancing]\nstrengths = ["Reports were timely."]\n'


def test_an_unknown_outcome_is_named_with_a_hint_and_the_known_ones() -> None:
    editable = {"outcomes": {"assisting_sentancing": {"strengths": ["Reports were timely."]}}}
    [problem] = team_text_problems(editable, IAOW)
    assert problem == (
        "unknown outcome 'assisting_sentancing' (did you mean 'assisting_sentencing'?); "
        "the outcomes of this framework are: " + ", ".join(IAOW)
    )
    assert "did you mean" not in team_text_problems({"outcomes": {"zzz": {}}}, IAOW)[0]
    assert team_text_problems(editable, None) == []  # shape only, when no framework is given


def test_the_shape_is_checked_key_by_key() -> None:
    problems = team_text_problems(
        {
            "forword": "x",
            "recommendations": "one",
            "outcomes": {"victims": {"strenghts": ["x"], "improvements": "not a list"}},
        },
        IAOW,
    )
    assert problems == [
        "unknown key 'forword' (did you mean 'foreword'?): use foreword, outcomes, recommendations",
        'recommendations: give a list of texts, e.g. recommendations = ["..."]',
        "outcomes.victims: unknown key 'strenghts' (did you mean 'strengths'?); "
        "give strengths = [...] and improvements = [...]",
        'outcomes.victims.improvements: give a list of texts, e.g. ["..."]',
    ]
    assert team_text_problems({"outcomes": ["victims"]}, IAOW) == [
        'outcomes: give a table per outcome, e.g. outcomes.victims.strengths = ["..."]'
    ]
    with pytest.raises(InvalidFile, match=r"^team-text.toml: 1 problem\(s\):\n  unknown outcome"):
        check_team_text({"outcomes": {"victim": {}}}, IAOW, "team-text.toml")


def test_missing_team_text_lists_exactly_the_placeholder_fields() -> None:
    editable = {
        "foreword": "",  # has a placeholder of its own: not listed
        "outcomes": {
            "assisting_sentencing": {"strengths": ["a"], "improvements": ["b"]},
            "victims": {"strengths": [], "improvements": ["c"]},
            "reducing_reoffending": {"improvements": ["d"]},
        },
    }
    assert missing_team_text(editable, IAOW) == [
        "recommendations",
        "outcomes.delivering_the_sentence.strengths",
        "outcomes.delivering_the_sentence.improvements",
        "outcomes.reducing_reoffending.strengths",
        "outcomes.protecting_the_public.strengths",
        "outcomes.protecting_the_public.improvements",
        "outcomes.victims.strengths",
    ]
    assert missing_team_text({}, ["a"]) == [
        "recommendations",
        "outcomes.a.strengths",
        "outcomes.a.improvements",
    ]
    assert missing_team_text({"recommendations": ["r"]}, []) == []


def test_the_digest_is_the_sha256_of_the_text() -> None:
    assert team_text_digest("") == hashlib.sha256(b"").hexdigest()
    assert (
        team_text_digest('foreword = "é"\n')
        == hashlib.sha256('foreword = "é"\n'.encode()).hexdigest()
    )


def _stored() -> tuple[int, int]:
    with Session(context.engine()) as session:
        texts = session.exec(select(func.count()).select_from(ReportText)).one()
        audits = session.exec(
            select(func.count()).where(AuditEvent.action == "report_text_stored")
        ).one()
    return texts, audits


def test_an_unknown_outcome_is_refused_and_nothing_is_stored(
    sqlite_database: str, tmp_path: Path
) -> None:
    inspection_id = schedule()
    bad = tmp_path / "team-text.toml"
    bad.write_text(TYPO)
    with pytest.raises(InvalidFile) as refused:
        context.run(
            reports.store_text,
            inspection_id=inspection_id,
            path=bad,
            now=morning("2014-04-01"),
            actor="t",
        )
    assert str(refused.value).startswith(f"{bad}: 1 problem(s):\n  unknown outcome ")
    assert "(did you mean 'assisting_sentencing'?)" in str(refused.value)
    assert _stored() == (0, 0)
    good = tmp_path / "good.toml"
    good.write_text(TYPO.replace("sentancing", "sentencing"))
    context.run(
        reports.store_text,
        inspection_id=inspection_id,
        path=good,
        now=morning("2014-04-01"),
        actor="t",
    )
    assert _stored() == (1, 1)
    with context.reading() as session:
        kept = reports.stored_text(session, inspection_id=inspection_id)
    assert kept["outcomes"]["assisting_sentencing"]["strengths"] == ["Reports were timely."]


def test_the_command_refuses_a_typo_with_exit_2_and_one_message(
    sqlite_database: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    inspection_id = schedule()
    bad = tmp_path / "team-text.toml"
    bad.write_text(TYPO)
    monkeypatch.setattr(
        sys, "argv", ["inspectorate", "report", "text", str(inspection_id), str(bad)]
    )
    with pytest.raises(SystemExit) as exited:
        main()
    err = capsys.readouterr().err
    assert exited.value.code == 2 and "Traceback" not in err
    assert "unknown outcome 'assisting_sentancing' (did you mean 'assisting_sentencing'?)" in err
    assert "the outcomes of this framework are: assisting_sentencing, delivering_the" in err
    assert _stored() == (0, 0)


def test_a_stored_text_naming_an_unknown_outcome_is_refused_at_report_time(
    sqlite_database: str,
) -> None:
    inspection_id = scored()
    with context.unit_of_work() as session:  # as written before outcomes were checked
        session.add(
            ReportText(inspection_id=inspection_id, text=TYPO, updated_at=morning("2014-04-01"))
        )
    refused = pytest.raises(InvalidFile, match=r"(?s)stored for inspection \d+ .*unknown outcome")
    with refused, context.reading() as session:
        reports.render_html(session, inspection_id=inspection_id, draft=True)
