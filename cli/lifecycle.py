"""Everyday commands: milestones, init, schedule, show, list, advance, sweep, reminders."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated

import typer

from cli.lazy import lazy_module
from cli.options import (
    AsOf,
    JsonFlag,
    clock_at,
    database_ready,
    require_reason,
    running_flows,
)
from cli.output import console, plural, print_json
from cli.tables import inspection_tables, planned_milestones_table, reminders_table, summaries_table
from inspectorate.domain.errors import InvalidInput
from inspectorate.domain.lifecycle import Stage

if TYPE_CHECKING:
    from inspectorate.adapters import clock, settings
    from inspectorate.domain import milestones as milestones_
    from inspectorate.domain import programmes
    from inspectorate.services import context, scheduling, setup, stages, views
else:
    clock = lazy_module("inspectorate.adapters.clock")
    settings = lazy_module("inspectorate.adapters.settings")
    context = lazy_module("inspectorate.services.context")
    milestones_ = lazy_module("inspectorate.domain.milestones")
    programmes = lazy_module("inspectorate.domain.programmes")
    scheduling = lazy_module("inspectorate.services.scheduling")
    setup = lazy_module("inspectorate.services.setup")
    stages = lazy_module("inspectorate.services.stages")
    views = lazy_module("inspectorate.services.views")

if TYPE_CHECKING:
    from inspectorate.services.sweep import SweepReport

EVIDENCE_COMMANDS = {
    Stage.SELECT_SAMPLE: "inspection sample {id} --caseload FILE",
    Stage.SCORE: "inspection score {id} --judgements FILE",
}


def milestones(
    programme: Annotated[str, typer.Option(help="Programme code, e.g. iaow or esi.")],
    fieldwork_start: Annotated[str, typer.Option(help="First fieldwork Monday, YYYY-MM-DD.")],
    as_json: JsonFlag = False,
) -> None:
    """Print an inspection's milestone dates (no database needed)."""
    definition = programmes.find_programme(context.programmes(), programme)
    planned = milestones_.plan_milestones(
        definition, milestones_.parse_date(fieldwork_start, what="--fieldwork-start")
    )
    if as_json:
        print_json(views.planned_milestones_json(planned))
    else:
        console.print(
            planned_milestones_table(
                planned, f"{definition.name}: fieldwork from {fieldwork_start}"
            )
        )


def init() -> None:
    """Create or upgrade the database schema and load bodies and programmes from config/."""
    report = setup.initialise()
    console.print(
        f"Database ready at {context.display_database_url(report.database_url)} (schema at head); "
        f"{plural(report.bodies_changed, 'body', 'bodies')} and "
        f"{plural(report.programmes_changed, 'programme')} loaded or updated."
    )
    from cli import warm

    if warm.prewarm_in_background():  # the server starts while the programme is scheduled
        console.print(
            "Starting the local Prefect server and the warm runner in the background for the "
            "commands that run flows (`inspectorate server status|stop`)."
        )


def schedule(
    body: Annotated[str, typer.Argument(help="The body's name, e.g. 'Durham Tees Valley'.")],
    programme: Annotated[str, typer.Option(help="Programme code, e.g. iaow.")],
    fieldwork_start: Annotated[str, typer.Option(help="First fieldwork Monday, YYYY-MM-DD.")],
    as_of: AsOf = None,
    actor: Annotated[str, typer.Option(help="Who is scheduling.")] = "programme-manager",
) -> None:
    """Schedule an inspection and plan its milestones."""
    start = milestones_.parse_date(fieldwork_start, what="--fieldwork-start")
    database_ready()
    with clock_at(as_of, hour=9) as now:
        inspection_id, created = context.run(
            scheduling.schedule,
            body_name=body,
            programme_code=programme,
            fieldwork_start=start,
            actor=actor,
            now=now,
        )
    verb = "Scheduled" if created else "Already scheduled:"
    console.print(
        f"{verb} inspection {inspection_id} ({programme.upper()} of {body}, "
        f"fieldwork from {start.isoformat()})."
    )


def show(
    inspection_id: Annotated[int, typer.Argument(help="Inspection id.")], as_json: JsonFlag = False
) -> None:
    """Show an inspection: status, milestones and audit trail."""
    with context.reading() as session:
        database_ready()
        data = views.describe_inspection(session, inspection_id=inspection_id)
    if as_json:
        print_json(data)
        return
    for table in inspection_tables(data):
        console.print(table)


def list_inspections(as_json: JsonFlag = False) -> None:
    """List every inspection with its next milestone."""
    database_ready()
    with context.reading() as session:
        summaries = views.summarise_inspections(session)
    if as_json:
        print_json([s.__dict__ for s in summaries])
    else:
        console.print(summaries_table(summaries, "Inspections"))


def advance(
    inspection_id: Annotated[int, typer.Argument(help="Inspection id.")],
    stage: Annotated[Stage, typer.Argument(help="The step to take.")],
    why: Annotated[str, typer.Option(help="Reason, kept in the audit trail.")] = "",
    actor: Annotated[str, typer.Option(help="Who is taking the step.")] = "cli",
    as_of: AsOf = None,
) -> None:
    """Take one lifecycle step (runs the stage's Prefect flow)."""
    if stage in EVIDENCE_COMMANDS:
        raise InvalidInput(
            f"{stage.value} needs evidence: use `inspectorate "
            f"{EVIDENCE_COMMANDS[stage].format(id=inspection_id)}`"
        )
    database_ready()
    with clock_at(as_of, hour=9) as now:
        context.run(stages.check_stage, inspection_id=inspection_id, stage=stage, now=now, why=why)
        if stage is Stage.CANCEL:
            require_reason(why, f"cancelling inspection {inspection_id}")
        with running_flows(f"Taking the step {stage.value}"):
            from flows.lifecycle import STAGE_FLOWS

            outcome = STAGE_FLOWS[stage](inspection_id=inspection_id, actor=actor, why=why, now=now)
    if outcome.moved:
        console.print(f"Inspection {inspection_id}: {outcome.from_status} → {outcome.to_status}.")
    else:
        console.print(f"Inspection {inspection_id} is already {outcome.to_status}; nothing to do.")


def sweep(
    as_of: AsOf = None,
    as_json: JsonFlag = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print what the sweep would do; change nothing.")
    ] = False,
    send_past_mail: Annotated[
        bool,
        typer.Option(
            "--send-past-mail",
            help="Also send reminders for days before today (a back-fill withholds them).",
        ),
    ] = False,
    send_future_mail: Annotated[
        bool,
        typer.Option(
            "--send-future-mail",
            help="Sweep a day after today through SMTP: its letters and mail go to people now.",
        ),
    ] = False,
) -> None:
    """Run the deadline sweep: advance what is due, send reminders and escalations."""
    database_ready()
    if dry_run:
        _print_preview(as_of, as_json)
        return
    today = clock.today()
    with clock_at(as_of, hour=6) as now:
        if now.date() > today and not send_future_mail:
            _refuse_a_future_sweep(now.date(), today)
        with running_flows("Sweeping"):
            from flows.deadline_sweep import deadline_sweep

            # Only a back-fill withholds: today's sweep sends what earlier ones left waiting.
            back_fill = now.date() < today and not send_past_mail
            report = deadline_sweep(
                as_of=now.date(), now=now, withhold_before=today if back_fill else None
            )
    if as_json:
        print_json(report.__dict__)
        return
    for line in sweep_summary(report):
        console.print(line)


def _refuse_a_future_sweep(day: dt.date, today: dt.date) -> None:
    """Through SMTP, a sweep of a day to come would mail bodies and staff now, as if it were
    that day (an announcement weeks early, a reminder of a deadline not yet near)."""
    if settings.get_settings().smtp_host is None:
        return  # mail goes to the outbox folder: a rehearsal, seen by no one outside
    raise InvalidInput(
        f"--as-of {day.isoformat()} is after today ({today.isoformat()}), and mail goes "
        "through SMTP: the sweep would send that day's letters and reminders to people now. "
        "See what it would do with --dry-run; give --send-future-mail to send them anyway"
    )


def sweep_summary(report: SweepReport) -> list[str]:
    """The sweep's report in words: each count says exactly what it counts."""
    if report.skipped:
        return [f"Sweep for {report.as_of.isoformat()}: nothing done; {report.skipped}."]
    stages = len(report.staged)
    dated = len(report.advanced) - stages
    lines = [
        f"Sweep for {report.as_of.isoformat()}: {plural(stages, 'stage')} taken, "
        f"{plural(dated, 'dated milestone')} marked passed, {len(report.held)} held for a "
        f"person, {plural(report.claimed, 'reminder')} claimed, {report.delivered} sent"
        + (f", {report.withheld} withheld (days before today)" if report.withheld else "")
        + (
            f", {report.waiting} waiting (a document not written yet, or the body not told yet)"
            if report.waiting
            else ""
        )
        + "."
    ]
    if report.finished or report.failed:
        lines.append(
            f"  {plural(report.finished, 'owed stage effect')} carried out"
            + (f", {len(report.failed)} failed (kept owed)" if report.failed else "")
            + "."
        )
    lines += [f"  done: {line}" for line in report.advanced]
    lines += [f"  held: {line}" for line in report.held]
    lines += [f"  waiting: {line}" for line in report.blocked]
    lines += [f"  failed: {line}" for line in report.failed]
    return lines


def _print_preview(as_of: str | None, as_json: bool) -> None:
    from inspectorate.services.sweep_preview import preview

    with clock_at(as_of, hour=6) as now, context.reading() as session:
        shown = preview(session, as_of=now.date())
    if as_json:
        print_json(shown.__dict__)
        return
    console.print(
        f"Dry run for {shown.as_of.isoformat()} (nothing is changed): "
        f"{plural(len(shown.stages), 'stage')} would be taken, "
        f"{plural(len(shown.milestones), 'dated milestone')} marked passed, "
        f"{len(shown.held)} held for a person, {plural(len(shown.owed), 'owed effect')} "
        f"finished, {plural(len(shown.reminders), 'reminder')} claimed."
    )
    for title, lines in (
        ("stage", shown.stages),
        ("passed", shown.milestones),
        ("held", shown.held),
        ("waiting", shown.blocked),
        ("owed", shown.owed),
        ("remind", shown.reminders),
    ):
        for line in lines:
            console.print(f"  {title}: {line}")


def list_reminders(
    inspection: Annotated[int | None, typer.Option(help="Only this inspection.")] = None,
    as_json: JsonFlag = False,
) -> None:
    """List reminders, escalations and notices with when they were sent."""
    database_ready()
    with context.reading() as session:
        rows = views.reminders_json(session, inspection)
    if as_json:
        print_json(rows)
    else:
        console.print(reminders_table(rows))


def register(app: typer.Typer, inspection: typer.Typer) -> None:
    """Add this module's commands to the command line."""
    reminders = typer.Typer(help="Reminders and escalations.", no_args_is_help=True)
    app.add_typer(reminders, name="reminders")
    app.command()(milestones)
    app.command()(init)
    inspection.command("schedule")(schedule)
    inspection.command("show")(show)
    inspection.command("list")(list_inspections)
    inspection.command("advance")(advance)
    app.command()(sweep)
    reminders.command("list")(list_reminders)
