"""`programme plan --schedule`: a dry run writes nothing; a plan in the past needs --yes."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pendulum
import pytest
from sqlmodel import Session, col, func, select

from inspectorate.adapters import clock
from inspectorate.adapters.models import Body, Inspection
from inspectorate.services import context, plan_scheduling, scheduling
from tests.test_cli import run

PAST_PLAN = ["programme", "plan", "iaow", "--start", "2013-04-01"]


def inspections() -> int:
    with Session(context.engine()) as session:
        return session.exec(select(func.count()).select_from(Inspection)).one()


def dry_run(
    plan: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> list[dict[str, Any]]:
    """The rows of `plan --dry-run --json`: what scheduling the plan would do."""
    code, out, err = run([*plan, "--dry-run", "--json"], capsys, monkeypatch)
    assert code == 0, err
    rows: list[dict[str, Any]] = json.loads(out)["dry_run"]["schedule"]
    return rows


def book_by_hand(body: str, monday: dt.date, now: dt.datetime | None = None) -> None:
    """Schedule an IAOW inspection of `body` outside any plan, as a manager may."""
    context.run(
        scheduling.schedule,
        body_name=body,
        programme_code="iaow",
        fieldwork_start=monday,
        actor="manager",
        now=now,
    )


def blind_to_the_record(monkeypatch: pytest.MonkeyPatch) -> None:
    """Plans are made as if the record were empty (it changed after the plan was made)."""
    monkeypatch.setattr(plan_scheduling, "record_around", lambda *_a, **_k: ([], {}))


@pytest.fixture
def on_2013_11_25() -> clock.VirtualClock:
    """Today is Monday 25 November 2013: a plan from April 2013 starts in the past."""
    virtual = clock.VirtualClock(pendulum.datetime(2013, 11, 25, 9, tz=clock.LONDON))
    clock.set_clock(virtual)  # the real clock is put back by isolated_settings
    return virtual


@pytest.mark.usefixtures("sqlite_database", "on_2013_11_25")
def test_a_dry_run_shows_what_would_be_scheduled_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    calendar = tmp_path / "plan.ics"
    code, out, err = run(
        [*PAST_PLAN, "--schedule", "--dry-run", "--json", "--out", str(calendar)],
        capsys,
        monkeypatch,
    )
    assert code == 0, err
    dry = json.loads(out)["dry_run"]
    planned = len(json.loads(out)["inspections"])
    assert dry["today"] == "2013-11-25" and len(dry["schedule"]) == planned > 0
    for row in dry["schedule"]:
        assert row["announcement_past"] == (row["announcement"] < "2013-11-25")
        assert not row["already_scheduled"]
    late = sum(r["announcement_past"] for r in dry["schedule"])
    assert 0 < late < planned
    assert inspections() == 0 and not calendar.exists()

    code, out, _ = run([*PAST_PLAN, "--schedule", "--dry-run"], capsys, monkeypatch)
    assert code == 0 and "what --schedule would do" in out
    assert out.count("new, late notice") == late
    assert len(re.findall(r"│ new +│", out)) == planned - late
    assert f"Would schedule {planned} new inspections; 0 already in the record" in out
    assert f"{late} would have late notice: their announcement date is before today" in out
    assert "Dry run: nothing was written." in out
    assert inspections() == 0


@pytest.mark.usefixtures("sqlite_database", "on_2013_11_25")
def test_a_plan_starting_before_today_is_refused_without_yes(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    calendar = tmp_path / "plan.csv"
    code, out, err = run([*PAST_PLAN, "--schedule", "--out", str(calendar)], capsys, monkeypatch)
    assert code == 2 and "Traceback" not in err and out == ""
    assert "the plan starts on 2013-04-01, before today (2013-11-25)" in err
    assert "new inspections would be scheduled with an announcement date already past" in err
    assert "--dry-run" in err and "--yes" in err and len(err.strip().splitlines()) <= 3
    assert inspections() == 0 and not calendar.exists()

    code, out, err = run([*PAST_PLAN, "--schedule", "--yes", "--json"], capsys, monkeypatch)
    assert code == 0, err
    planned = len(json.loads(out)["inspections"])
    assert planned > 0 and inspections() == planned

    code, out, _ = run([*PAST_PLAN, "--schedule", "--dry-run", "--json"], capsys, monkeypatch)
    dry = json.loads(out)["dry_run"]["schedule"]
    assert all(r["already_scheduled"] and not r["announcement_past"] for r in dry)
    code, out, err = run([*PAST_PLAN, "--schedule"], capsys, monkeypatch)  # nothing new: no harm
    assert code == 0 and "Scheduled 0 new inspections" in out and inspections() == planned
    assert f"({planned} were there already)" in out


@pytest.mark.usefixtures("sqlite_database", "on_2013_11_25")
def test_a_plan_from_today_on_is_scheduled_without_yes(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, err = run(
        ["programme", "plan", "iaow", "--start", "2013-11-25", "--schedule"], capsys, monkeypatch
    )
    assert code == 0, err
    assert inspections() > 0 and f"Scheduled {inspections()} new inspections" in out


@pytest.mark.usefixtures("sqlite_database", "on_2013_11_25")
def test_a_plan_run_again_after_a_reschedule_keeps_the_move_and_plans_around_it(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = ["programme", "plan", "iaow", "--start", "2013-11-25"]
    code, _, err = run([*plan, "--schedule"], capsys, monkeypatch)
    assert code == 0, err
    planned = inspections()
    with Session(context.engine()) as session:
        last = session.exec(select(Inspection).order_by(col(Inspection.id).desc())).first()
    assert last is not None and last.id is not None
    moved_to = last.fieldwork_start + dt.timedelta(days=7)
    context.run(
        scheduling.reschedule,
        inspection_id=last.id,
        fieldwork_start=moved_to,
        why="the body asked",
        actor="manager",
    )
    rows = dry_run([*plan, "--schedule"], capsys, monkeypatch)
    (moved,) = [r for r in rows if r["in_record"] == moved_to.isoformat()]
    assert moved["fieldwork_start"] == moved_to.isoformat() and moved["already_scheduled"]
    assert sum(r["already_scheduled"] for r in rows) == planned
    new = sum(not r["already_scheduled"] for r in rows)  # the week it left may take another
    assert all(r["refused"] is None for r in rows)
    code, out, err = run([*plan, "--schedule"], capsys, monkeypatch)  # refused before
    assert code == 0, err
    assert f"Scheduled {new} new inspections in the record ({planned} were there already)" in out
    assert inspections() == planned + new
    with Session(context.engine()) as session:
        body_id = last.body_id
        assert len(session.exec(select(Inspection).where(Inspection.body_id == body_id)).all()) == 1


@pytest.mark.usefixtures("sqlite_database", "on_2013_11_25")
def test_a_plan_is_made_around_an_inspection_booked_by_hand(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    book_by_hand("Cumbria", dt.date(2014, 3, 10))
    rows = dry_run(PAST_PLAN, capsys, monkeypatch)
    (cumbria,) = [r for r in rows if r["body"] == "Cumbria"]
    assert cumbria["fieldwork_start"] == cumbria["in_record"] == "2014-03-10"
    assert [r["body"] for r in rows if r["fieldwork_start"] == "2014-03-10"] == ["Cumbria"]
    assert all(r["refused"] is None for r in rows)  # IAOW has one team: the week is taken
    code, out, err = run([*PAST_PLAN, "--schedule", "--yes"], capsys, monkeypatch)
    assert code == 0, err
    assert inspections() == len(rows)


@pytest.mark.usefixtures("sqlite_database", "on_2013_11_25")
def test_a_plan_the_record_refuses_names_the_placements_and_schedules_none(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    book_by_hand("Cumbria", dt.date(2014, 3, 10))
    blind_to_the_record(monkeypatch)  # as if the inspection was booked after the plan was made
    rows = dry_run(PAST_PLAN, capsys, monkeypatch)
    (refused,) = [r for r in rows if r["refused"]]
    assert refused["fieldwork_start"] == "2014-03-10" and not refused["already_scheduled"]
    assert "(1: Cumbria) and the team capacity is 1" in refused["refused"]
    code, out, _ = run([*PAST_PLAN, "--dry-run"], capsys, monkeypatch)
    assert "refused: the week of 2014-03-10" in out
    assert "1 would be refused beside what the record holds" in out
    code, out, err = run([*PAST_PLAN, "--schedule", "--yes"], capsys, monkeypatch)
    assert code == 2 and "Traceback" not in err and out == ""
    assert f"{refused['body']} from 2014-03-10: the week of 2014-03-10" in err
    assert "would be refused (nothing was scheduled)" in err
    assert inspections() == 1


@pytest.mark.usefixtures("sqlite_database")
def test_an_inspection_moved_into_the_next_cycle_is_not_planned_again_in_the_plans_years(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    clock.set_clock(clock.VirtualClock(pendulum.datetime(2010, 1, 4, 9, tz=clock.LONDON)))
    plan = ["programme", "plan", "omi2", "--start", "2010-04-01"]
    code, _, err = run([*plan, "--schedule"], capsys, monkeypatch)
    assert code == 0, err
    planned = inspections()
    with Session(context.engine()) as session:
        west_mercia = session.exec(
            select(Inspection).where(Inspection.fieldwork_start == dt.date(2012, 3, 5))
        ).one()
    assert west_mercia.id is not None
    context.run(  # from the 2009-12 cycle into the 2012-15 one, both in the plan's years
        scheduling.reschedule,
        inspection_id=west_mercia.id,
        fieldwork_start=dt.date(2012, 4, 23),
        why="the body asked",
        actor="manager",
    )
    rows = dry_run([*plan, "--schedule"], capsys, monkeypatch)
    assert [r["body"] for r in rows if r["in_record"] == "2012-04-23"] == ["West Mercia"]
    code, out, err = run([*plan, "--schedule"], capsys, monkeypatch)
    assert code == 0 and f"Scheduled 0 new inspections in the record ({planned} were" in out
    assert inspections() == planned


@pytest.mark.usefixtures("sqlite_database", "on_2013_11_25")
def test_a_cancelled_inspections_monday_is_left_to_it_and_named_by_a_plan_blind_to_it(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = ["programme", "plan", "iaow", "--start", "2013-11-25"]
    code, _, err = run([*plan, "--schedule"], capsys, monkeypatch)
    assert code == 0, err
    with context.unit_of_work() as session:  # called off (the trust merged, say)
        first = session.exec(select(Inspection).order_by(col(Inspection.id))).first()
        assert first is not None
        first.status = "cancelled"
        session.add(first)
        called_off = first.fieldwork_start.isoformat()
        body = session.exec(select(Body.name).where(Body.id == first.body_id)).one()
    rows = dry_run(plan, capsys, monkeypatch)
    assert all(r["refused"] is None for r in rows)
    assert [r["fieldwork_start"] != called_off for r in rows if r["body"] == body] in ([], [True])
    blind_to_the_record(monkeypatch)
    (refused,) = [r for r in dry_run(plan, capsys, monkeypatch) if r["refused"]]
    assert refused["fieldwork_start"] == called_off
    assert f"inspection with fieldwork from {called_off} was cancelled" in refused["refused"]


@pytest.mark.usefixtures("sqlite_database", "on_2013_11_25")
def test_a_refused_placement_is_not_also_counted_as_late_notice(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    first = dry_run(PAST_PLAN, capsys, monkeypatch)[0]
    assert first["announcement_past"]  # planned from April, looked at in November
    march = pendulum.datetime(2013, 3, 1, 9, tz=clock.LONDON)  # booked back then, in its week
    book_by_hand("Cumbria", dt.date.fromisoformat(first["fieldwork_start"]), now=march)
    blind_to_the_record(monkeypatch)
    rows = dry_run(PAST_PLAN, capsys, monkeypatch)
    (refused,) = [r for r in rows if r["refused"]]
    assert refused["body"] == first["body"] and not refused["announcement_past"]
