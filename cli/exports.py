"""`inspectorate export plan|record|audit`: spreadsheets for the programme manager."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cli.output import console
from inspectorate.adapters.export_files import ExportFormat
from inspectorate.domain.errors import InvalidInput

READS_ONLY = (
    "An export only reads: it changes nothing in the record and adds nothing to the audit trail."
)
Output = Annotated[
    Path, typer.Option("--output", "-o", help="The file to write (FILE.xlsx or FILE.csv).")
]
Format = Annotated[
    ExportFormat | None,
    typer.Option("--format", help="xlsx or csv (default: from the --output file's ending)."),
]
Programme = Annotated[
    str | None, typer.Option("--programme", help="Only this programme (its code, e.g. iaow).")
]
From = Annotated[str | None, typer.Option("--from", help="First day, YYYY-MM-DD (inclusive).")]
To = Annotated[str | None, typer.Option("--to", help="Last day, YYYY-MM-DD (inclusive).")]
Force = Annotated[bool, typer.Option("--force", help="Replace the --output file if it exists.")]


def check_output(output: Path, fmt: ExportFormat | None, force: bool) -> ExportFormat:
    """The format to write; InvalidInput if the file cannot or must not be written."""
    ending = output.suffix.lower().lstrip(".")
    if fmt is None:
        if ending not in {f.value for f in ExportFormat}:
            raise InvalidInput(
                f"--output {output}: give a file ending in .xlsx or .csv, or say --format"
            )
        fmt = ExportFormat(ending)
    elif ending in {f.value for f in ExportFormat} and ending != fmt.value:
        raise InvalidInput(
            f"--output {output} ends in .{ending} but --format is {fmt.value}; make them agree"
        )
    folder = output.parent
    if not folder.is_dir():
        raise InvalidInput(
            f"--output {output}: the folder {folder} does not exist; create it first "
            "or choose another file"
        )
    if output.is_dir():
        raise InvalidInput(f"--output {output} is a folder; give a file name in it")
    if output.exists() and not force:
        raise InvalidInput(f"--output {output} already exists; add --force to replace it")
    return fmt


def _export(
    kind: str,
    output: Path,
    fmt: ExportFormat | None,
    programme: str | None,
    first: str | None,
    last: str | None,
    force: bool,
) -> None:
    """Check everything asked for, read the rows, then write the file in one step."""
    from inspectorate.domain.milestones import parse_date

    first_day = parse_date(first, what="--from") if first else None
    last_day = parse_date(last, what="--to") if last else None
    fmt = check_output(output, fmt, force)

    # Imported here, not at the top: the record and openpyxl cost a command that never runs.
    from cli.options import database_ready
    from inspectorate.adapters import export_files
    from inspectorate.services import context, export_filters, exports

    filters = export_filters.check_filter(programme, first_day, last_day)
    database_ready()
    with context.reading() as session:
        table = exports.export_table(
            session, kind=export_filters.ExportKind(kind), filters=filters, today=context.day(None)
        )
    data = (
        export_files.to_xlsx(table, export_filters.LONDON)
        if fmt is ExportFormat.XLSX
        else export_files.to_csv(table)
    )
    try:
        export_files.write_atomically(output, data, replace=force)
    except FileExistsError:
        raise InvalidInput(f"--output {output} already exists; add --force to replace it") from None
    except OSError as exc:
        raise InvalidInput(f"--output {output}: cannot write it ({exc.strerror or exc})") from None
    rows = len(table.rows)
    console.print(
        f"{table.title}: {rows} row{'' if rows == 1 else 's'} written to {output} "
        f"({fmt.value.upper()}); nothing in the record changed."
    )


def export_plan(
    output: Output,
    fmt: Format = None,
    programme: Programme = None,
    first: From = None,
    last: To = None,
    force: Force = False,
) -> None:
    """The plan: inspections not cancelled, with body, region, dates, team and status.

    --from/--to select by fieldwork start.

    Read only: nothing in the record or its audit trail changes.
    """
    _export("plan", output, fmt, programme, first, last, force)


def export_record(
    output: Output,
    fmt: Format = None,
    programme: Programme = None,
    first: From = None,
    last: To = None,
    force: Force = False,
) -> None:
    """The record: one row per inspection, milestones due and done, overdue, published scores.

    --from/--to select by fieldwork start; overdue means open and due before today.

    Read only: nothing in the record or its audit trail changes.
    """
    _export("record", output, fmt, programme, first, last, force)


def export_audit(
    output: Output,
    fmt: Format = None,
    programme: Programme = None,
    first: From = None,
    last: To = None,
    force: Force = False,
) -> None:
    """The audit trail: time (London), who, what, inspection and details, oldest first.

    --from/--to select by the day in London; --programme keeps its inspections' events.

    Read only: nothing in the record or its audit trail changes.
    """
    _export("audit", output, fmt, programme, first, last, force)


def register(app: typer.Typer, inspection: typer.Typer) -> None:
    """Add this module's commands to the command line."""
    export_app = typer.Typer(
        help="The plan, the record or the audit trail as a spreadsheet (XLSX or CSV). "
        + READS_ONLY,
        no_args_is_help=True,
    )
    app.add_typer(export_app, name="export")
    export_app.command("plan")(export_plan)
    export_app.command("record")(export_record)
    export_app.command("audit")(export_audit)
