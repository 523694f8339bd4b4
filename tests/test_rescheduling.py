"""Moving an inspection, and calendar exports that survive it."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from inspectorate.adapters import ical
from inspectorate.adapters.models import AuditEvent, Milestone
from inspectorate.domain.errors import InvalidTransition, NoticeTooShort, Unschedulable
from inspectorate.domain.lifecycle import Stage
from inspectorate.services import context, scheduling, stages
from tests.factories import morning, schedule


def due(inspection_id: int, kind: str) -> str:
    with Session(context.engine()) as session:
        milestone = session.exec(
            select(Milestone).where(
                Milestone.inspection_id == inspection_id, Milestone.kind == kind
            )
        ).one()
        return milestone.due_on.isoformat()


def test_moving_later_replans_open_milestones_and_audits_why(database: str) -> None:
    inspection_id = schedule()
    context.run(
        stages.apply_stage,
        inspection_id=inspection_id,
        stage=Stage.ANNOUNCE,
        actor="sweep",
        now=morning("2013-12-02"),
    )
    context.run(
        scheduling.reschedule,
        inspection_id=inspection_id,
        fieldwork_start=morning("2014-03-03").date(),
        why="trust asked: office move",
        actor="pm",
        now=morning("2013-12-10"),
    )
    assert due(inspection_id, "announcement") == "2013-12-02"  # done: stays
    assert due(inspection_id, "fieldwork_start") == "2014-03-03"
    assert due(inspection_id, "draft_to_body") == "2014-03-28"
    with Session(context.engine()) as session:
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "reschedule")).one()
    assert (event.from_state, event.to_state, event.why) == (
        "2014-02-10",
        "2014-03-03",
        "trust asked: office move",
    )


def test_moving_earlier_than_the_real_announcement_allows_is_refused(database: str) -> None:
    inspection_id = schedule()
    context.run(
        stages.apply_stage,
        inspection_id=inspection_id,
        stage=Stage.ANNOUNCE,
        actor="sweep",
        now=morning("2013-12-02"),
    )
    with pytest.raises(NoticeTooShort, match="was announced on 2013-12-02"):
        context.run(
            scheduling.reschedule,
            inspection_id=inspection_id,
            fieldwork_start=morning("2014-02-03").date(),
            why="",
            actor="pm",
            now=morning("2013-12-03"),
        )
    assert due(inspection_id, "fieldwork_start") == "2014-02-10"


def test_moving_into_a_full_week_is_refused(database: str) -> None:
    schedule(body="London", fieldwork_start="2014-03-03")  # IAOW capacity is one team
    inspection_id = schedule()
    with pytest.raises(Unschedulable, match="week of 2014-03-03 already has 1"):
        context.run(
            scheduling.reschedule,
            inspection_id=inspection_id,
            fieldwork_start=morning("2014-03-03").date(),
            why="",
            actor="pm",
            now=morning("2013-11-26"),
        )


def test_moving_after_fieldwork_is_refused(database: str) -> None:
    inspection_id = schedule()
    for stage, day in [
        (Stage.ANNOUNCE, "2013-12-02"),
        (Stage.SELECT_SAMPLE, "2014-01-20"),
        (Stage.RECORD_FIELDWORK, "2014-02-14"),
    ]:
        context.run(
            stages.apply_stage,
            inspection_id=inspection_id,
            stage=stage,
            actor="t",
            now=morning(day, 17),
        )
    with pytest.raises(InvalidTransition, match="only inspections whose fieldwork has not begun"):
        context.run(
            scheduling.reschedule,
            inspection_id=inspection_id,
            fieldwork_start=morning("2014-06-02").date(),
            why="",
            actor="pm",
        )


def test_ics_round_trip_keeps_uids_stable_across_a_reschedule(sqlite_database: str) -> None:
    from inspectorate.services.calendars import record_entries

    inspection_id = schedule()
    with Session(context.engine()) as session:
        before = ical.read_ics(
            ical.to_ics(record_entries(session, "iaow"), "t", morning("2013-12-01"))
        )
    context.run(
        scheduling.reschedule,
        inspection_id=inspection_id,
        fieldwork_start=morning("2014-03-03").date(),
        why="",
        actor="pm",
        now=morning("2013-11-26"),
    )
    with Session(context.engine()) as session:
        after = ical.read_ics(
            ical.to_ics(record_entries(session, "iaow"), "t", morning("2013-12-01"))
        )
    assert [uid for uid, _, _ in before] != [] and len(after) == len(before) == 10
    assert {uid for uid, _, _ in before} == {uid for uid, _, _ in after}
    moved = {uid: day for uid, day, _ in after}
    assert (
        moved[ical.stable_uid("inspection", inspection_id, "fieldwork_start")].isoformat()
        == "2014-03-03"
    )
    assert any("Durham Tees Valley (IAOW)" in summary for _, _, summary in after)


@pytest.mark.usefixtures("sqlite_database")
def test_reschedule_and_plan_commands(capsys, monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import json

    from tests.test_cli import run, schedule_argv

    run(schedule_argv("London", "2014-02-10", "2013-11-25"), capsys, monkeypatch)
    code, out, _ = run(
        [
            "inspection",
            "reschedule",
            "1",
            "--fieldwork-start",
            "2014-03-10",
            "--why",
            "trust request",
            "--as-of",
            "2013-11-26",
        ],
        capsys,
        monkeypatch,
    )
    assert code == 0 and "moved from 2014-02-10 to 2014-03-10" in out
    code, _, err = run(
        [
            "inspection",
            "reschedule",
            "1",
            "--fieldwork-start",
            "2014-01-06",
            "--as-of",
            "2013-11-26",
        ],
        capsys,
        monkeypatch,
    )
    assert code == 2 and "the earliest Monday with full notice is 2014-02-10" in err
    calendar = tmp_path / "plan.ics"
    code, out, _ = run(
        ["programme", "plan", "iaow", "--start", "2013-04-01", "--json", "--out", str(calendar)],
        capsys,
        monkeypatch,
    )
    data = json.loads(out)
    # Trusts ended on 31 May 2014: only 2013/14 of IAOW's cycle can have them (20 by budget).
    assert code == 0 and len(data["inspections"]) == 20 and len(data["unplaced"]) == 15
    assert {i["year"] for i in data["inspections"]} == {"2013/14"}
    assert set(data["inspections"][0]) == {
        "body",
        "fieldwork_start",
        "announcement",
        "hours",
        "year",
    }
    assert len(ical.read_ics(calendar.read_bytes())) == 20 * 10
