"""The command line: output, and exit code 2 with one clear line for bad input."""

from __future__ import annotations

import json
import sys

import pytest
from sqlmodel import Session, select

from inspectorate import operations
from inspectorate.cli import main
from inspectorate.models import AuditEvent, Inspection


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
            schedule_argv("London", "2014-02-10", "2013-12-25"),
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
    with Session(operations.engine()) as session:
        before = len(session.exec(select(AuditEvent)).all())
    code, _, err = run(argv, capsys, monkeypatch)
    assert code == 2
    assert message in err
    if "Invalid value" not in message:  # usage errors are typer's own boxed message
        assert len(err.strip().splitlines()) == 1
    with Session(operations.engine()) as session:
        assert len(session.exec(select(AuditEvent)).all()) == before
        assert len(session.exec(select(Inspection)).all()) == 1


def test_commands_before_init_say_to_run_init(capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run(["inspection", "list"], capsys, monkeypatch)
    assert code == 2 and "run `inspectorate init` first" in err


def test_init_is_repeatable(capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    first = run(["init"], capsys, monkeypatch)
    second = run(["init"], capsys, monkeypatch)
    assert first[0] == second[0] == 0
    assert "77 bodies" in first[1].replace("\n", " ")
    assert "0 bodies" in second[1].replace("\n", " ")


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
    code, out, _ = run(["sweep", "--as-of", "2013-12-02", "--json"], capsys, monkeypatch)
    assert code == 0 and json.loads(out)["advanced"] == ["inspection 1 announcement"]
    code, out, _ = run(
        ["inspection", "advance", "1", "select_sample", "--why", "60 cases"], capsys, monkeypatch
    )
    assert code == 0 and "announced → sample_selected" in out
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
