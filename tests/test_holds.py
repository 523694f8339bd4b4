"""Holds: the sweep never sends a draft, publishes or shortens notice without a named person."""

from __future__ import annotations

import json

import pytest
from sqlmodel import Session, select

from inspectorate.adapters.models import Milestone, OwedEffect, Reminder, ReportVersion
from inspectorate.domain.errors import InvalidTransition
from inspectorate.domain.lifecycle import Stage
from inspectorate.domain.sign_off import HELD, LATE_ANNOUNCEMENT
from inspectorate.services import context, rehearsal, stages
from inspectorate.services import sweep as sweeping
from tests.factories import morning, schedule, scored, signed_off, status_of
from tests.test_cli import run


def _reminders(kind: str) -> list[Reminder]:
    with Session(context.engine()) as session:
        return list(session.exec(select(Reminder).where(Reminder.kind == kind)))


def _draft_due(inspection_id: int) -> str:
    with Session(context.engine()) as session:
        milestone = session.exec(
            select(Milestone).where(
                Milestone.inspection_id == inspection_id, Milestone.kind == "draft_to_body"
            )
        ).one()
        return milestone.due_on.isoformat()


def test_an_unsigned_draft_is_held_reminded_each_working_day_then_sent_once_signed(
    database: str,
) -> None:
    inspection_id = scored("Wales")
    due = _draft_due(inspection_id)  # Friday 4 April 2014
    report = sweeping.advance(as_of=morning(due).date(), now=morning(due))
    assert status_of(inspection_id) == "scored"
    assert report.staged == [] and len(report.held) == 1
    assert "lacks the team's text" in report.held[0]
    for day in ("2014-04-05", "2014-04-07"):  # a Saturday (no reminder), then Monday
        sweeping.advance(as_of=morning(day).date(), now=morning(day))
    held_days = sorted(r.remind_on.isoformat() for r in _reminders(HELD))
    assert held_days == ["2014-04-04", "2014-04-07"]
    signed_off(inspection_id, "draft", on="2014-04-08")
    report = sweeping.advance(as_of=morning("2014-04-08").date(), now=morning("2014-04-08"))
    assert status_of(inspection_id) == "draft_sent"
    assert report.staged == [(inspection_id, "send_draft")] and report.held == []


def test_a_sweep_after_the_announcement_date_holds_it_and_tells_the_manager_once(
    database: str,
) -> None:
    inspection_id = schedule(fieldwork_start="2014-02-10", on="2013-11-25")  # due 2 December
    for day in ("2013-12-09", "2013-12-10"):
        report = sweeping.advance(as_of=morning(day).date(), now=morning(day))
        assert status_of(inspection_id) == "planned"
        assert len(report.held) == 1 and "instead of 10 weeks" in report.held[0]
    told = _reminders(LATE_ANNOUNCEMENT)
    assert len(told) == 1 and told[0].recipients.startswith("programme-manager@")
    with pytest.raises(InvalidTransition, match="announce with a recorded reason"):
        context.run(
            stages.apply_stage,
            inspection_id=inspection_id,
            stage=Stage.ANNOUNCE,
            actor="manager",
            now=morning("2013-12-10", 9),
        )
    context.run(
        stages.apply_stage,
        inspection_id=inspection_id,
        stage=Stage.ANNOUNCE,
        actor="manager",
        why="the trust agreed to 9 weeks' notice",
        now=morning("2013-12-10", 9),
    )
    assert status_of(inspection_id) == "announced"


def test_a_stage_owes_its_letter_until_a_sweep_has_written_it_and_never_writes_it_twice(
    database: str,
) -> None:
    inspection_id = schedule(fieldwork_start="2014-02-10", on="2013-11-25")
    context.run(
        stages.apply_stage,
        inspection_id=inspection_id,
        stage=Stage.ANNOUNCE,
        actor="manager",
        now=morning("2013-12-02", 9),
    )
    with Session(context.engine()) as session:
        owed = session.exec(select(OwedEffect)).all()
        assert [(o.stage, o.effect, o.done_at) for o in owed] == [("announce", "documents", None)]
        assert session.exec(select(ReportVersion)).all() == []
    for _ in range(2):
        report = rehearsal.direct_morning(morning("2013-12-03").date(), morning("2013-12-03"))
    assert report.finished == 0  # the first morning finished it; the second had nothing owed
    with Session(context.engine()) as session:
        assert session.exec(select(OwedEffect)).one().done_at is not None
        letters = session.exec(select(ReportVersion)).all()
        assert [(v.kind, v.lang) for v in letters] == [("announcement", "en")]


@pytest.mark.usefixtures("sqlite_database")
def test_sign_off_from_the_command_line_needs_a_known_account(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    inspection_id = scored("Wales")
    code, _, err = run(
        ["inspection", "sign-off", str(inspection_id), "draft", "--by", "nobody"],
        capsys,
        monkeypatch,
    )
    assert code == 2 and "no account is called 'nobody'" in err
    assert len(err.strip().splitlines()) <= 3
    code, _, err = run(
        ["inspection", "sign-off", str(inspection_id), "verdict", "--by", "x"], capsys, monkeypatch
    )
    assert code == 2 and "sign off the draft or publication" in err


@pytest.mark.usefixtures("sqlite_database")
def test_inspection_show_says_what_the_draft_waits_for(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    inspection_id = scored("Wales")
    code, out, _ = run(["inspection", "show", str(inspection_id), "--json"], capsys, monkeypatch)
    assert code == 0
    data = json.loads(out)
    assert data["waiting_for"].startswith("send draft: the report still lacks the team's text")
    signed_off(inspection_id, "draft", on="2014-03-31")
    code, out, _ = run(["inspection", "show", str(inspection_id), "--json"], capsys, monkeypatch)
    data = json.loads(out)
    assert data["waiting_for"] is None
    assert [(s["what"], s["by"], s["current"]) for s in data["sign_offs"]] == [
        ("draft", "scripted-lead-inspector", True)
    ]


@pytest.mark.usefixtures("sqlite_database")
def test_a_dry_run_sweep_prints_what_it_would_do_and_changes_nothing(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    inspection_id = schedule(fieldwork_start="2014-02-10", on="2013-11-25")
    code, out, _ = run(["sweep", "--as-of", "2013-12-02", "--dry-run"], capsys, monkeypatch)
    assert code == 0 and "nothing is changed" in out
    assert f"stage: inspection {inspection_id} announcement" in out
    code, out, _ = run(["sweep", "--as-of", "2013-12-09", "--dry-run"], capsys, monkeypatch)
    words = " ".join(out.split())  # the console wraps long lines
    assert "1 held for a person" in words and "instead of 10 weeks" in words
    assert status_of(inspection_id) == "planned" and _reminders(LATE_ANNOUNCEMENT) == []
