"""The command line: output, and exit code 2 with one clear line for bad input."""

from __future__ import annotations

import json
import sys

import pytest
from sqlmodel import Session, select

from cli.main import main
from inspectorate.adapters.models import AuditEvent, Inspection
from inspectorate.services import context


def schedule_argv(body: str, fieldwork_start: str, as_of: str) -> list[str]:
    return [
        "inspection",
        "schedule",
        body,
        "--programme",
        "iaow",
        "--fieldwork-start",
        fieldwork_start,
        "--as-of",
        as_of,
    ]


def run(
    argv: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "argv", ["inspectorate", *argv])
    code = 0
    try:
        main()
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_milestones_json_lists_kinds_in_date_order(capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(
        ["milestones", "--programme", "iaow", "--fieldwork-start", "2014-02-10", "--json"],
        capsys,
        monkeypatch,
    )
    assert code == 0
    rows = json.loads(out)
    assert rows[0] == {"milestone": "announcement", "due": "2013-12-02"}
    assert [r["due"] for r in rows] == sorted(r["due"] for r in rows)
    kinds = {r["milestone"] for r in rows}
    assert {
        "announcement",
        "fieldwork_start",
        "fieldwork_end",
        "draft_to_body",
        "publication",
        "action_plan_due",
    } <= kinds


def test_milestones_table_needs_no_database(capsys, monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("INSPECTORATE_DATABASE_URL", f"sqlite:///{tmp_path}/never/made.db")
    code, out, _ = run(
        ["milestones", "--programme", "esi", "--fieldwork-start", "2014-02-10"], capsys, monkeypatch
    )
    assert code == 0 and "fieldwork_week2_start" in out
    assert not (tmp_path / "never").exists()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["milestones", "--programme", "omi9", "--fieldwork-start", "2014-02-10"],
            "unknown programme 'omi9'",
        ),
        (
            ["milestones", "--programme", "iaow", "--fieldwork-start", "2014-02-31"],
            "is not a date like",
        ),
        (
            ["milestones", "--programme", "iaow", "--fieldwork-start", "2014-02-11"],
            "must start on a Monday",
        ),
        (
            schedule_argv("Atlantis", "2014-02-10", "2013-11-25"),
            "no trust called 'Atlantis'",
        ),
        (
            schedule_argv("London", "2014-02-17", "2013-12-25"),
            "which is before today",
        ),
        (
            schedule_argv("London", "2014-02-10", "yesterday"),
            "--as-of 'yesterday'",
        ),
        (["inspection", "show", "42"], "no inspection with id 42"),
        (["inspection", "advance", "1", "publish"], "cannot publish an inspection that is planned"),
        (["inspection", "advance", "1", "fly"], "Invalid value"),
    ],
)
def test_bad_input_exits_2_with_one_clear_line_and_writes_nothing(  # type: ignore[no-untyped-def]
    argv, message, capsys, monkeypatch, sqlite_database
) -> None:
    run(
        schedule_argv("Durham Tees Valley", "2014-02-10", "2013-11-25"),
        capsys,
        monkeypatch,
    )
    with Session(context.engine()) as session:
        before = len(session.exec(select(AuditEvent)).all())
    code, _, err = run(argv, capsys, monkeypatch)
    assert code == 2
    assert message in err
    if "Invalid value" not in message:  # usage errors are typer's own boxed message
        assert len(err.strip().splitlines()) == 1
    with Session(context.engine()) as session:
        assert len(session.exec(select(AuditEvent)).all()) == before
        assert len(session.exec(select(Inspection)).all()) == 1


@pytest.mark.parametrize(
    ("argv", "says", "lines"),
    [
        (
            schedule_argv("Durham Tees Valley", "2014-02-17", "2013-11-25"),
            "Durham Tees Valley already has IAOW inspection 1 with fieldwork from 2014-02-10",
            1,
        ),
        (schedule_argv("London", "2014-02-10", "2013-11-25"), "the team capacity is 1", 1),
        (schedule_argv("London", "2014-04-14", "2013-11-25"), "Good Friday, 2014-04-18", 1),
        (
            schedule_argv("London", "2014-06-02", "2013-11-25"),
            "London (trust) exists from 2010-04-01 to 2014-05-31",
            1,
        ),
        (
            schedule_argv("Durham Tees Valley", "2014-05-05", "2014-04-01"),
            "the fieldwork week of 2014-05-05 has a bank holiday (May Day, 2014-05-05)",
            3,
        ),
    ],
    ids=["same-body-twice", "team-capacity", "bank-holiday", "body-validity", "three-rules"],
)
def test_schedule_refusals_exit_2_with_one_line_per_rule_broken(  # type: ignore[no-untyped-def]
    argv, says, lines, capsys, monkeypatch, sqlite_database
) -> None:
    run(schedule_argv("Durham Tees Valley", "2014-02-10", "2013-11-25"), capsys, monkeypatch)
    code, out, err = run(argv, capsys, monkeypatch)
    assert code == 2 and out == ""
    assert says in err
    assert len(err.strip().splitlines()) == lines
    with Session(context.engine()) as session:
        assert len(session.exec(select(Inspection)).all()) == 1


def test_commands_before_init_say_to_run_init(capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run(["inspection", "list"], capsys, monkeypatch)
    assert code == 2 and "run `inspectorate init` first" in err


def test_init_is_repeatable(capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    first = run(["init"], capsys, monkeypatch)
    second = run(["init"], capsys, monkeypatch)
    assert first[0] == second[0] == 0
    assert "131 bodies" in " ".join(first[1].split())  # 42 areas, 35 trusts, 54 YOTs
    assert "0 bodies" in " ".join(second[1].split())


def test_schedule_then_show_as_json(capsys, monkeypatch, sqlite_database) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(
        schedule_argv("wales", "2014-03-10", "2013-12-01"),
        capsys,
        monkeypatch,
    )
    assert code == 0 and "Scheduled inspection 1" in out
    code, out, _ = run(["inspection", "show", "1", "--json"], capsys, monkeypatch)
    data = json.loads(out)
    assert (data["body"], data["in_wales"], data["status"]) == ("Wales", True, "planned")
    assert data["audit"][0]["action"] == "schedule"


@pytest.mark.usefixtures("prefect_server")
def test_sweep_and_advance_run_the_flows(capsys, monkeypatch, sqlite_database) -> None:  # type: ignore[no-untyped-def]
    run(
        schedule_argv("London", "2014-02-10", "2013-11-25"),
        capsys,
        monkeypatch,
    )
    code, out, _ = run(
        ["sweep", "--as-of", "2013-12-02", "--send-past-mail", "--json"], capsys, monkeypatch
    )
    assert code == 0 and json.loads(out)["advanced"] == ["inspection 1 announcement"]
    code, out, _ = run(
        ["inspection", "advance", "1", "cancel", "--why", "trust merged"], capsys, monkeypatch
    )
    assert code == 0 and "announced → cancelled" in out
    code, out, _ = run(["reminders", "list", "--json"], capsys, monkeypatch)
    reminders = json.loads(out)
    assert [(r["milestone"], r["kind"]) for r in reminders] == [("announcement", "notice")]
    assert reminders[0]["sent_at"].startswith("2013-12-02 06:00")


def test_an_unreachable_database_exits_2_without_its_password(capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv(
        "INSPECTORATE_DATABASE_URL", "postgresql://nobody:secret@127.0.0.1:5432/nowhere"
    )
    code, _, err = run(["inspection", "list"], capsys, monkeypatch)
    assert code == 2
    assert "cannot use the database postgresql://nobody:***@127.0.0.1:5432/nowhere" in err
    assert "secret" not in err


def test_steps_that_need_evidence_point_to_their_command(
    capsys, monkeypatch, sqlite_database
) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run(["inspection", "advance", "1", "select_sample"], capsys, monkeypatch)
    assert code == 2
    assert "use `inspectorate inspection sample 1 --caseload FILE`" in err


@pytest.mark.usefixtures("prefect_server")
def test_sample_score_and_show_an_inspection(
    capsys, monkeypatch, sqlite_database, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    run(schedule_argv("London", "2014-02-10", "2013-11-25"), capsys, monkeypatch)
    run(["sweep", "--as-of", "2013-12-02"], capsys, monkeypatch)
    caseload, sample = tmp_path / "caseload.csv", tmp_path / "sample.csv"
    run(
        ["synthetic", "caseload", "London", "--out", str(caseload), "--size", "2000"],
        capsys,
        monkeypatch,
    )
    code, out, _ = run(
        [
            "sample",
            str(caseload),
            "--programme",
            "iaow",
            "--fieldwork-start",
            "2014-02-10",
            "--seed",
            "5",
            "--out",
            str(sample),
        ],
        capsys,
        monkeypatch,
    )
    assert code == 0 and "Sample: 70 of" in out  # 2,000 cases: the 70-case band
    code, out, _ = run(
        [
            "inspection",
            "sample",
            "1",
            "--caseload",
            str(caseload),
            "--seed",
            "5",
            "--as-of",
            "2014-01-20",
        ],
        capsys,
        monkeypatch,
    )
    assert code == 0 and "announced → sample_selected" in out
    run(
        ["inspection", "advance", "1", "record_fieldwork", "--as-of", "2014-02-14"],
        capsys,
        monkeypatch,
    )
    bad = tmp_path / "bad.csv"
    bad.write_text("case_id,question_id,judgement\nNOPE-1,1.1a,sufficient\nLOND-00001,x,maybe\n")
    code, _, err = run(["inspection", "score", "1", "--judgements", str(bad)], capsys, monkeypatch)
    assert code == 2
    assert "row 2, column case_id: case 'NOPE-1' is not in this inspection's sample" in err
    assert "row 3, column judgement: 'maybe'" in err
    judgements = tmp_path / "judgements.csv"
    run(
        [
            "synthetic",
            "judgements",
            "--sample",
            str(sample),
            "--framework",
            "iaow",
            "--out",
            str(judgements),
        ],
        capsys,
        monkeypatch,
    )
    code, out, _ = run(
        ["inspection", "score", "1", "--judgements", str(judgements), "--as-of", "2014-02-27"],
        capsys,
        monkeypatch,
    )
    assert code == 0 and "fieldwork_complete → scored" in out
    code, out, _ = run(
        ["inspection", "scores", "1", "--json", "--publication"], capsys, monkeypatch
    )
    data = json.loads(out)
    assert set(data["headline"]) == {
        "assisting_sentencing",
        "delivering_the_sentence",
        "reducing_reoffending",
        "protecting_the_public",
        "victims",
    }
    code, out, _ = run(
        ["score", str(judgements), "--framework", "iaow", "--json"], capsys, monkeypatch
    )
    assert json.loads(out)["headline"] == data["headline"]


def test_score_command_json_rounds_to_one_place(capsys, monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "j.csv"
    path.write_text(
        "case_id,question_id,judgement\nc1,1.1a,sufficient\nc2,1.1a,insufficient\n"
        "c3,1.1a,insufficient\nc3,1.1b,not_applicable\n"
    )
    code, out, _ = run(["score", str(path), "--framework", "iaow", "--json"], capsys, monkeypatch)
    assert code == 0
    assert json.loads(out)["questions"] == {
        "1.1a": {"sufficient": 1, "applicable": 3, "score": 33.3}
    }
    assert json.loads(out)["headline"] == {"assisting_sentencing": 33.3}


def test_score_command_refuses_an_unknown_framework(capsys, monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run(
        ["score", str(tmp_path / "x.csv"), "--framework", "zzz"], capsys, monkeypatch
    )
    assert (
        code == 2 and "unknown framework 'zzz'; known frameworks: apa, cci, esi, iaow, omi2" in err
    )


def test_a_plan_scheduled_from_the_command_line_is_audited_as_who_gave_it(  # type: ignore[no-untyped-def]
    capsys, monkeypatch, sqlite_database
) -> None:
    argv = ["programme", "plan", "iaow", "--start", "2013-11-25", "--schedule", "--yes"]
    code, _, err = run([*argv, "--actor", "priya"], capsys, monkeypatch)
    assert code == 0, err
    with Session(context.engine()) as session:
        actors = session.exec(select(AuditEvent.actor).where(AuditEvent.action == "schedule")).all()
    assert actors and set(actors) == {"priya"}


def test_cancelling_from_the_command_line_needs_a_reason(  # type: ignore[no-untyped-def]
    capsys, monkeypatch, sqlite_database
) -> None:
    run(schedule_argv("London", "2014-02-10", "2013-11-25"), capsys, monkeypatch)
    code, _, err = run(["inspection", "advance", "1", "cancel"], capsys, monkeypatch)
    assert code == 2 and 'needs a reason: give --why "..."' in err
    with Session(context.engine()) as session:
        assert session.exec(select(Inspection.status)).one() == "planned"


def test_a_sweep_of_a_day_to_come_through_smtp_is_refused_unless_asked_for(  # type: ignore[no-untyped-def]
    capsys, monkeypatch, sqlite_database
) -> None:
    from inspectorate.adapters.settings import get_settings

    run(schedule_argv("London", "2014-02-10", "2013-11-25"), capsys, monkeypatch)
    monkeypatch.setenv("INSPECTORATE_SMTP_HOST", "127.0.0.1")
    get_settings.cache_clear()
    code, _, err = run(["sweep", "--as-of", "2099-01-05"], capsys, monkeypatch)
    assert code == 2 and "is after today" in err and "--send-future-mail" in err
    with Session(context.engine()) as session:
        assert session.exec(select(Inspection.status)).one() == "planned"
        trail = session.exec(select(AuditEvent.action).where(AuditEvent.inspection_id == 1))
        assert trail.all() == ["schedule"]
