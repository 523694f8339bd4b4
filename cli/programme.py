"""`inspectorate programme ...`: planning a programme, exporting its calendar, analytics."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from cli.files import write_out
from cli.lazy import lazy_module
from cli.options import (
    Actor,
    AsOf,
    JsonFlag,
    clock_at,
    database_ready,
    require_reason,
    running_flows,
)
from cli.output import console, plural, print_json
from cli.programme_analytics import analytics_command
from inspectorate.domain.errors import ConfigError, InvalidInput

if TYPE_CHECKING:
    from inspectorate.adapters import clock, config_files, ical, settings
    from inspectorate.domain import milestones, planning, programmes
    from inspectorate.services import calendars, context, plan_scheduling, scheduling
else:
    calendars = lazy_module("inspectorate.services.calendars")
    clock = lazy_module("inspectorate.adapters.clock")
    config_files = lazy_module("inspectorate.adapters.config_files")
    context = lazy_module("inspectorate.services.context")
    ical = lazy_module("inspectorate.adapters.ical")
    milestones = lazy_module("inspectorate.domain.milestones")
    plan_scheduling = lazy_module("inspectorate.services.plan_scheduling")
    planning = lazy_module("inspectorate.domain.planning")
    programmes = lazy_module("inspectorate.domain.programmes")
    scheduling = lazy_module("inspectorate.services.scheduling")
    settings = lazy_module("inspectorate.adapters.settings")

OutFile = Annotated[Path | None, typer.Option(help="Write to FILE.csv or FILE.ics.")]


def plan_entries(
    definition: programmes.ProgrammeDefinition, plan: planning.Plan
) -> list[ical.CalendarEntry]:
    """Every milestone of every planned inspection, with UIDs stable across re-planning."""
    return [
        ical.CalendarEntry(
            ical.stable_uid(definition.code, p.body.name, p.year, m.kind),
            p.body.name,
            definition.code,
            m.kind,
            m.rule.label,
            m.due,
        )
        for p in plan.placements
        for m in milestones.plan_milestones(definition, p.fieldwork_start)
    ]


def write_calendar(out: Path, entries: list[ical.CalendarEntry], name: str) -> None:
    """Write entries as .ics or .csv by the file's ending."""
    if out.suffix.lower() == ".ics":
        calendar = ical.to_ics(entries, name, clock.now())
        write_out(out, lambda path: path.write_bytes(calendar))
    elif out.suffix.lower() == ".csv":
        table = ical.to_csv(entries)
        write_out(out, lambda path: path.write_text(table, encoding="utf-8"))
    else:
        raise InvalidInput(f"--out {out}: give a file ending in .csv or .ics")


def _plan_json(plan: planning.Plan) -> dict[str, Any]:
    return {
        "inspections": [
            {
                "body": p.body.name,
                "fieldwork_start": p.fieldwork_start.isoformat(),
                "announcement": p.announcement.isoformat(),
                "hours": p.hours,
                "year": p.year,
            }
            for p in plan.placements
        ],
        "hours_by_year": plan.hours_by_year,
        "unplaced": [{"body": b.name, "reason": reason} for b, reason in plan.unplaced],
    }


def plan_command(
    programme: Annotated[str, typer.Argument(help="Programme code, e.g. esi or cci.")],
    start: Annotated[str, typer.Option(help="Planning from this date (YYYY-MM-DD).")],
    out: OutFile = None,
    schedule: Annotated[
        bool,
        typer.Option("--schedule", help="Also schedule every planned inspection in the record."),
    ] = False,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run",
            help="Show what --schedule would put in the record, and write nothing (nor --out).",
        ),
    ] = False,
    yes: Annotated[
        bool,
        typer.Option("--yes", help="Schedule even a plan that starts before today."),
    ] = False,
    actor: Actor = "planner",
    as_json: JsonFlag = False,
) -> None:
    """Plan every body of the programme once in its cycle."""
    definition = programmes.find_programme(context.programmes(), programme)
    if definition.planning is None:
        raise ConfigError(f"config/programmes/{definition.code}.toml has no [planning] table")
    day = milestones.parse_date(start, what="--start")
    if not (dry_run or schedule):
        _, plan, bodies = plan_scheduling.plan(programme_code=definition.code, start=day)
    else:  # around what the record holds: its inspections' weeks and the bodies they are of
        database_ready()
        with context.reading() as session:
            _, plan, bodies = plan_scheduling.plan(
                programme_code=definition.code, start=day, session=session
            )
            intended = plan_scheduling.preview(
                session,
                programme_code=definition.code,
                placements=plan.placements,
                start=day,
                today=clock.today(),
            )
    if dry_run:
        _show_dry_run(plan, intended, as_json)
        return
    if schedule and not yes:
        _refuse_a_past_plan(day, intended)
    if out is not None:
        write_calendar(out, plan_entries(definition, plan), f"{definition.name} (plan)")
    if schedule:
        with context.unit_of_work() as session:  # all of the plan or none of it
            created = plan_scheduling.schedule_plan(
                session,
                programme_code=definition.code,
                placements=plan.placements,
                actor=actor,
                now=clock.morning_of(day, 9),
            )
    if as_json:
        print_json(_plan_json(plan))
        return
    table = Table(
        title=f"{definition.name}: {len(plan.placements)} of {bodies} planned "
        f"from {day.isoformat()}"
    )
    for heading in ("year", "body", "group", "announcement", "fieldwork", "hours"):
        table.add_column(heading)
    for p in plan.placements:
        table.add_row(
            p.year,
            p.body.name,
            p.body.family or p.body.region,
            p.announcement.isoformat(),
            p.fieldwork_start.isoformat(),
            f"{p.hours:g}",
        )
    console.print(table)
    budget = definition.planning.hours_budget_per_year
    for year, hours in plan.hours_by_year.items():
        console.print(f"{year}: {hours:g} of {budget:g} deployable hours")
    for body, reason in plan.unplaced:
        console.print(f"[yellow]not placed:[/] {body.name}: {reason}")
    if out is not None:
        console.print(f"Calendar written to {out}")
    if schedule:
        console.print(
            f"Scheduled {created} new inspections in the record "
            f"({len(plan.placements) - created} were there already)."
        )


def _refuse_a_past_plan(start: dt.date, intended: list[plan_scheduling.Intended]) -> None:
    today = clock.today()
    past = sum(i.announcement_past for i in intended)
    if start >= today or not past:
        return
    new = sum(not i.already_scheduled for i in intended)
    raise InvalidInput(
        f"the plan starts on {start.isoformat()}, before today ({today.isoformat()}): "
        f"{past} of its {new} new inspections would be scheduled with an announcement date "
        "already past (the sweep would hold them as late notice).\n"
        "See them first with --dry-run; give --yes to schedule them anyway."
    )


def _what_scheduling_does(intended: plan_scheduling.Intended) -> str:
    if intended.refused:
        first_line = intended.refused.partition("\n")[0]
        return f"[red]refused:[/] {first_line}"
    if intended.other_week and intended.in_record is not None:
        return f"in the record, fieldwork from {intended.in_record.isoformat()}"
    if intended.already_scheduled:
        return "already in the record"
    return "[yellow]new, late notice[/]" if intended.announcement_past else "new"


def _show_dry_run(
    plan: planning.Plan, intended: list[plan_scheduling.Intended], as_json: bool
) -> None:
    today = clock.today()
    new = [i for i in intended if not i.already_scheduled]
    past = sum(i.announcement_past for i in intended)
    if as_json:
        print_json(
            {
                **_plan_json(plan),
                "dry_run": {
                    "today": today.isoformat(),
                    "schedule": [
                        {
                            "body": i.body,
                            "fieldwork_start": i.fieldwork_start.isoformat(),
                            "announcement": i.announcement.isoformat(),
                            "already_scheduled": i.already_scheduled,
                            "in_record": i.in_record.isoformat() if i.in_record else None,
                            "announcement_past": i.announcement_past,
                            "refused": i.refused or None,
                        }
                        for i in intended
                    ],
                },
            }
        )
        return
    table = Table(title=f"Dry run on {today.isoformat()}: what --schedule would do")
    for heading in ("body", "fieldwork start", "announcement", "scheduling"):
        table.add_column(heading)
    for i in intended:
        table.add_row(
            i.body,
            i.fieldwork_start.isoformat(),
            i.announcement.isoformat(),
            _what_scheduling_does(i),
        )
    console.print(table)
    for body, reason in plan.unplaced:
        console.print(f"[yellow]not placed:[/] {body.name}: {reason}")
    elsewhere = sum(i.other_week for i in intended)
    console.print(
        f"Would schedule {len(new)} new inspections; {len(intended) - len(new)} already in the "
        "record are left unchanged"
        + (f" ({elsewhere} in other weeks than planned)." if elsewhere else ".")
    )
    if past:
        console.print(
            f"[yellow]{past} would have late notice:[/] their announcement date is before today, "
            "so the sweep would hold them."
        )
    if refused := sum(bool(i.refused) for i in intended):
        console.print(
            f"[red]{refused} would be refused[/] beside what the record holds, so --schedule "
            "would schedule none: plan from another date, or move the inspections in the way."
        )
    console.print("Dry run: nothing was written.")


def export_command(
    programme: Annotated[str, typer.Argument(help="Programme code.")],
    out: Annotated[Path, typer.Option(help="FILE.ics or FILE.csv.")],
) -> None:
    """Export every milestone of the programme's inspections in the record."""
    definition = programmes.find_programme(context.programmes(), programme)
    database_ready()
    with context.reading() as session:
        entries = calendars.record_entries(session, definition.code)
    write_calendar(out, entries, definition.name)
    console.print(f"{plural(len(entries), 'milestone')} written to {out}")


def reschedule_command(
    inspection_id: Annotated[int, typer.Argument(help="Inspection id.")],
    fieldwork_start: Annotated[str, typer.Option(help="New first fieldwork Monday.")],
    why: Annotated[str, typer.Option(help="Reason, kept in the audit trail.")] = "",
    actor: Annotated[str, typer.Option(help="Who is moving it.")] = "programme-manager",
    as_of: AsOf = None,
) -> None:
    """Move an inspection's fieldwork; its open milestones are re-planned."""
    start = milestones.parse_date(fieldwork_start, what="--fieldwork-start")
    database_ready()
    with clock_at(as_of, hour=9) as now:
        with context.reading() as session:  # refused before Prefect starts
            scheduling.check_reschedule(session, inspection_id=inspection_id, fieldwork_start=start)
        require_reason(why, f"moving inspection {inspection_id}'s fieldwork")
        with running_flows("Rescheduling"):
            from flows.timers import reschedule_inspection

            old, new = reschedule_inspection(
                inspection_id=inspection_id, fieldwork_start=start, why=why, actor=actor, now=now
            )
    console.print(
        f"Inspection {inspection_id}: fieldwork moved from {old.isoformat()} to "
        f"{new.isoformat()}; open milestones re-planned."
    )


def register(app: typer.Typer, inspection: typer.Typer) -> None:
    """Add this module's commands to the command line."""
    programme_app = typer.Typer(
        help="Plan a programme, export its calendar, see its analytics.", no_args_is_help=True
    )
    app.add_typer(programme_app, name="programme")
    programme_app.command("plan")(plan_command)
    programme_app.command("export")(export_command)
    inspection.command("reschedule")(reschedule_command)
    programme_app.command("analytics")(analytics_command)
