"""Exports of the plan, the record and the audit trail: the rows, the files, the command."""

from __future__ import annotations

import csv
import datetime as dt
import io
import uuid
from pathlib import Path

import openpyxl
import pytest
from sqlmodel import func, select

from inspectorate.adapters.export_files import (
    Column,
    ExportTable,
    Kind,
    neutralised,
    to_csv,
    to_xlsx,
    write_atomically,
)
from inspectorate.adapters.models import AuditEvent
from inspectorate.domain.errors import InvalidInput, UnknownProgramme
from inspectorate.domain.lifecycle import Stage
from inspectorate.services import context, export_filters, exports, stages, users
from inspectorate.services.export_filters import LONDON, ExportFilter, ExportKind
from tests.factories import morning, schedule
from tests.test_cli import run

NASTY = '=HYPERLINK("http://evil.example","x")'


def cancel(inspection_id: int, why: str, on: str = "2013-12-02") -> None:
    """Call an inspection off as the programme manager."""
    context.run(
        stages.apply_stage,
        inspection_id=inspection_id,
        stage=Stage.CANCEL,
        actor="programme-manager",
        why=why,
        now=morning(on, 9),
    )


def table(kind: ExportKind, today: str = "2014-03-03", **filters: object) -> ExportTable:
    """The export's rows as the service returns them."""
    with context.reading() as session:
        return exports.export_table(
            session,
            kind=kind,
            filters=ExportFilter(**filters),  # type: ignore[arg-type]
            today=dt.date.fromisoformat(today),
        )


def as_dicts(found: ExportTable) -> list[dict[str, object]]:
    """Each row keyed by its column's heading."""
    headings = [c.heading for c in found.columns]
    return [dict(zip(headings, row, strict=True)) for row in found.rows]


def audit_count() -> int:
    """How many audit events the record holds."""
    with context.reading() as session:
        return session.exec(select(func.count()).select_from(AuditEvent)).one()


def build_two_inspections(inspector: str) -> tuple[int, int]:
    """Durham Tees Valley (`inspector` on its team) and London, called off."""
    kept = schedule(body="Durham Tees Valley", fieldwork_start="2014-02-10")
    dropped = schedule(body="London", fieldwork_start="2014-02-24")
    with context.unit_of_work() as session:
        users.add_user(
            session,
            username=inspector,
            role="inspector",
            password="correct horse battery",
            body=None,
            now=morning("2013-11-26"),
        )
        users.assign(session, username=inspector, inspection_id=kept, now=morning("2013-11-26"))
    cancel(dropped, NASTY)
    return kept, dropped


@pytest.fixture
def two_inspections(database: str) -> tuple[int, int]:
    """The two inspections on each backend (PostgreSQL keeps accounts between tests)."""
    return build_two_inspections(f"ian.{uuid.uuid4().hex[:8]}")


@pytest.fixture
def on_sqlite(sqlite_database: str) -> tuple[int, int]:
    """The two inspections on SQLite, for the command's tests."""
    return build_two_inspections("ian.inspector")


def test_plan_lists_dates_team_and_status_and_leaves_out_cancelled(
    two_inspections: tuple[int, int],
) -> None:
    kept, _ = two_inspections
    [row] = as_dicts(table(ExportKind.PLAN))
    assert row["Inspection"] == kept
    assert (row["Programme"], row["Body"], row["Region"]) == (
        "IAOW",
        "Durham Tees Valley",
        "North East",
    )
    assert row["Fieldwork start"] == dt.date(2014, 2, 10)
    assert row["Fieldwork end"] == dt.date(2014, 2, 14)
    assert row["Announcement"] == dt.date(2013, 12, 2)
    assert str(row["Team"]).startswith("ian.") and row["Status"] == "planned"


def test_record_marks_open_milestones_due_before_today_overdue(
    two_inspections: tuple[int, int],
) -> None:
    kept, dropped = two_inspections
    rows = {r["Inspection"]: r for r in as_dicts(table(ExportKind.RECORD, today="2013-12-03"))}
    assert rows[kept]["Overdue"] == 1
    assert rows[kept]["Overdue milestones"] == "Announcement to the trust"
    assert rows[kept]["Announcement to the trust: due"] == dt.date(2013, 12, 2)
    assert rows[kept]["Announcement to the trust: done"] is None
    assert rows[dropped]["Status"] == "cancelled" and rows[dropped]["Overdue"] == 0
    assert rows[dropped]["Announcement to the trust: done"] is None


def test_record_has_columns_for_the_programmes_in_it_only(
    two_inspections: tuple[int, int],
) -> None:
    headings = [c.heading for c in table(ExportKind.RECORD).columns]
    assert "Publication of the report: done" in headings
    assert not [h for h in headings if h.startswith("Second fieldwork week")]  # ESI's
    assert "Second fieldwork week (management): due" in [
        c.heading for c in table(ExportKind.RECORD, programme="esi").columns
    ]


def test_filters_select_a_programme_and_fieldwork_days(two_inspections: tuple[int, int]) -> None:
    kept, dropped = two_inspections
    later = table(ExportKind.RECORD, first_day=dt.date(2014, 2, 11))
    assert [r["Inspection"] for r in as_dicts(later)] == [dropped]
    assert table(ExportKind.PLAN, programme="esi").rows == []


def test_audit_trail_is_in_london_time_and_filtered_by_london_day(
    two_inspections: tuple[int, int],
) -> None:
    _, dropped = two_inspections
    rows = as_dicts(table(ExportKind.AUDIT, first_day=dt.date(2013, 12, 2)))
    assert [(r["What"], r["Inspection"]) for r in rows] == [("cancel", dropped)]
    [event] = rows
    assert event["Time"] == dt.datetime(2013, 12, 2, 9, tzinfo=LONDON)
    assert (event["Who"], event["Body"], event["Details"]) == ("programme-manager", "London", NASTY)
    before = table(ExportKind.AUDIT, last_day=dt.date(2013, 12, 1))
    assert len(before.rows) + 1 == len(table(ExportKind.AUDIT).rows)


def test_a_filter_is_refused_for_an_unknown_programme_or_days_the_wrong_way_round() -> None:
    with pytest.raises(UnknownProgramme, match="known programmes: apa"):
        export_filters.check_filter("nope", None, None)
    with pytest.raises(InvalidInput, match="swap them"):
        export_filters.check_filter("iaow", dt.date(2014, 2, 1), dt.date(2014, 1, 1))
    assert export_filters.check_filter("IAOW", None, None).programme == "iaow"


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+44 20 7946 0000", "'+44 20 7946 0000"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Durham Tees Valley", "Durham Tees Valley"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_cells_a_spreadsheet_could_run_are_neutralised(text: str, written: str) -> None:
    assert neutralised(text) == written


SAMPLE = ExportTable(
    "Audit trail",
    (
        Column("Time", Kind.TIME),
        Column("Day", Kind.DATE),
        Column("Id", Kind.INTEGER),
        Column("Score (%)", Kind.NUMBER),
        Column("Details"),
    ),
    [
        (dt.datetime(2014, 7, 1, 8, 30, tzinfo=dt.UTC), dt.date(2014, 2, 10), 7, 62.5, NASTY),
        (dt.datetime(2014, 2, 10, 9, 30, tzinfo=dt.UTC), None, 8, None, "Ynys Môn – ŵ\x07"),
    ],
)


def test_csv_is_utf8_with_a_byte_order_mark_iso_times_and_formulas_neutralised() -> None:
    raw = to_csv(SAMPLE)
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == ["Time", "Day", "Id", "Score (%)", "Details"]
    assert rows[1] == ["2014-07-01T08:30:00+00:00", "2014-02-10", "7", "62.5", "'" + NASTY]
    assert rows[2][2:] == ["8", "", "Ynys Môn – ŵ\x07"]


def test_xlsx_has_a_frozen_bold_header_real_dates_and_formulas_as_text(tmp_path: Path) -> None:
    path = tmp_path / "audit.xlsx"
    path.write_bytes(to_xlsx(SAMPLE, LONDON))
    sheet = openpyxl.load_workbook(path).active
    assert sheet is not None
    assert sheet.title == "Audit trail" and sheet.freeze_panes == "A2"
    assert sheet.print_title_rows == "$1:$1"
    assert [c.value for c in sheet[1]] == ["Time", "Day", "Id", "Score (%)", "Details"]
    assert all(c.font.bold for c in sheet[1])
    when, day, number, score, details = sheet[2]
    assert when.value == dt.datetime(2014, 7, 1, 9, 30)  # British Summer Time
    assert when.is_date and when.number_format == "d mmmm yyyy hh:mm"
    assert day.value == dt.datetime(2014, 2, 10) and day.number_format == "d mmmm yyyy"
    assert (number.value, number.data_type) == (7, "n")
    assert (score.value, score.data_type) == (62.5, "n")
    assert (details.value, details.data_type, details.quotePrefix) == (NASTY, "s", True)
    assert sheet["A3"].value == dt.datetime(2014, 2, 10, 9, 30)  # Greenwich Mean Time
    assert sheet["E3"].value == "Ynys Môn – ŵ"  # the bell is no XML character
    assert sheet.column_dimensions["E"].width >= len(NASTY)


def test_writing_never_replaces_a_file_unless_asked_and_leaves_no_temporary(
    tmp_path: Path,
) -> None:
    path = tmp_path / "plan.csv"
    write_atomically(path, b"first", replace=False)
    with pytest.raises(FileExistsError):
        write_atomically(path, b"second", replace=False)
    assert path.read_bytes() == b"first"
    write_atomically(path, b"third", replace=True)
    assert path.read_bytes() == b"third"
    assert [p.name for p in tmp_path.iterdir()] == ["plan.csv"]


def test_the_command_writes_an_xlsx_workbook_and_records_nothing(
    on_sqlite: tuple[int, int],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    kept, _ = on_sqlite
    before = audit_count()
    out = tmp_path / "plan.xlsx"
    code, said, _ = run(["export", "plan", "--output", str(out)], capsys, monkeypatch)
    said = " ".join(said.split())
    assert code == 0 and "1 row written" in said and "nothing in the record changed" in said
    assert audit_count() == before
    sheet = openpyxl.load_workbook(out).active
    assert sheet is not None
    assert [c.value for c in sheet[2]][:2] == [kept, "IAOW"]
    assert sheet["F2"].value == dt.datetime(2014, 2, 10)


def test_force_replaces_an_existing_export(
    on_sqlite: tuple[int, int],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out = tmp_path / "audit.csv"
    out.write_text("old")
    argv = ["export", "audit", "--output", str(out), "--programme", "iaow", "--force"]
    code, _, _ = run(argv, capsys, monkeypatch)
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out.read_bytes().decode("utf-8-sig"))))
    assert {r["What"] for r in rows} >= {"schedule", "cancel"}
    assert all(r["Programme"] == "IAOW" for r in rows)
    assert "'" + NASTY in {r["Details"] for r in rows}


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["plan", "--output", "{folder}/plan.csv"], "already exists; add --force"),
        (["plan", "--output", "{folder}/missing/plan.csv"], "does not exist; create it"),
        (["record", "--output", "{folder}/record.txt"], "ending in .xlsx or .csv"),
        (["plan", "--output", "{folder}/p.xlsx", "--format", "csv"], "make them agree"),
        (["record", "--output", "{folder}/r.csv", "--programme", "zz"], "unknown programme"),
        (["audit", "--output", "{folder}/a.csv", "--from", "2014-02-31"], "is not a date"),
        (
            ["audit", "--output", "{folder}/a.csv", "--from", "2014-03-01", "--to", "2014-02-01"],
            "swap them",
        ),
    ],
)
def test_a_refused_export_says_why_in_one_line_and_writes_nothing(
    on_sqlite: tuple[int, int],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    argv: list[str],
    said: str,
) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "plan.csv").write_text("kept")
    code, _, err = run(["export", *(a.format(folder=folder) for a in argv)], capsys, monkeypatch)
    assert code == 2
    assert said in " ".join(err.split()) and "Traceback" not in err
    assert sorted(p.name for p in folder.iterdir()) == ["plan.csv"]
    assert (folder / "plan.csv").read_text() == "kept"
