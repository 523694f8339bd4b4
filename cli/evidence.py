"""Command-line commands for samples, judgements and scores (registered on the main app)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from cli.files import check_out, write_out
from cli.lazy import lazy_module
from cli.options import (
    AsOf,
    JsonFlag,
    clock_at,
    database_ready,
    require_after_last_step,
    running_flows,
    say_if_sign_off_undone,
)
from cli.output import console, print_json
from cli.tables import score_tables

if TYPE_CHECKING:
    from inspectorate.adapters import caseloads, fieldwork
    from inspectorate.domain import frameworks, milestones, programmes, sampling, scoring, synthetic
    from inspectorate.services import context, evidence, stages
else:
    caseloads = lazy_module("inspectorate.adapters.caseloads")
    context = lazy_module("inspectorate.services.context")
    evidence = lazy_module("inspectorate.services.evidence")
    fieldwork = lazy_module("inspectorate.adapters.fieldwork")
    frameworks = lazy_module("inspectorate.domain.frameworks")
    milestones = lazy_module("inspectorate.domain.milestones")
    programmes = lazy_module("inspectorate.domain.programmes")
    sampling = lazy_module("inspectorate.domain.sampling")
    scoring = lazy_module("inspectorate.domain.scoring")
    stages = lazy_module("inspectorate.services.stages")
    synthetic = lazy_module("inspectorate.domain.synthetic")

Seed = Annotated[int, typer.Option(help="Seed: the same seed gives the same result.")]


def _sample_table(sample: sampling.Sample) -> Table:
    table = Table(
        title=f"Sample: {len(sample.cases)} of {sample.eligible} eligible cases "
        f"({sample.caseload_size} in the caseload; target {sample.target})"
    )
    for heading in ("dimension", "group", "caseload %", "sample %", "difference", ""):
        table.add_column(heading)
    for row in sample.representativeness.itertuples():
        table.add_row(
            row.dimension,
            str(row.group),
            f"{row.caseload_pct:.1f}",
            f"{row.sample_pct:.1f}",
            f"{row.difference:+.1f}",
            "[bold red]check[/]" if row.warning else "",
        )
    return table


def _sample_json(sample: sampling.Sample) -> dict[str, object]:
    return {
        "caseload": sample.caseload_size,
        "eligible": sample.eligible,
        "target": sample.target,
        "cases": sample.cases.astype({"start_date": str}).to_dict("records"),
        "representativeness": sample.representativeness.to_dict("records"),
        "warnings": sample.warnings,
    }


def sample_file(
    caseload: Annotated[Path, typer.Argument(help="Caseload extract, CSV (UTF-8) or XLSX.")],
    programme: Annotated[str, typer.Option(help="Programme code, e.g. iaow or esi.")],
    fieldwork_start: Annotated[str, typer.Option(help="First fieldwork Monday, YYYY-MM-DD.")],
    seed: Seed = 1,
    out: Annotated[Path | None, typer.Option(help="Write the sample to this CSV file.")] = None,
    as_json: JsonFlag = False,
) -> None:
    """Draw a sample from a caseload extract without a database."""
    definition = programmes.find_programme(context.programmes(), programme)
    start = milestones.parse_date(fieldwork_start, what="--fieldwork-start")
    if definition.sampling is None:
        raise typer.BadParameter(f"programme {programme} has no sampling rules")
    sample = sampling.select_sample(
        caseloads.read_caseload(caseload), definition.sampling, start, seed
    )
    if out is not None:
        write_out(out, lambda path: sample.cases.to_csv(path, index=False))
    if as_json:
        print_json(_sample_json(sample))
        return
    console.print(_sample_table(sample))
    for warning in sample.warnings:
        console.print(f"[yellow]warning:[/] {warning}")
    if out is not None:
        console.print(f"Sample written to {out}")


def score_file(
    file: Annotated[Path, typer.Argument(help="Judgements, CSV (UTF-8) or XLSX.")],
    framework: Annotated[str, typer.Option(help="Framework code: iaow, esi, omi2, cci.")],
    ratings: Annotated[
        Path | None,
        typer.Option(help="Descriptive ratings (criterion_id, rating), e.g. ESI section A."),
    ] = None,
    publication: Annotated[
        bool,
        typer.Option(
            "--publication", help="Hide breakdown groups smaller than the framework allows."
        ),
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """Score a judgements file without a database (columns case_id, question_id, judgement)."""
    definition = frameworks.find_framework(context.frameworks(), framework)
    judgements = fieldwork.read_judgements(file, definition)
    given = fieldwork.read_ratings(ratings, definition) if ratings else None
    data = scoring.score(judgements, definition, given).as_json(publication=publication)
    if as_json:
        print_json(data)
        return
    for table in score_tables(data, definition):
        console.print(table)


def sample_inspection(
    inspection_id: Annotated[int, typer.Argument(help="Inspection id.")],
    caseload: Annotated[Path, typer.Option(help="The body's caseload extract (CSV or XLSX).")],
    seed: Seed = 1,
    actor: Annotated[str, typer.Option(help="Who is selecting the sample.")] = "inspection-team",
    as_of: AsOf = None,
) -> None:
    """Draw and record an inspection's sample (runs the select-sample flow)."""
    database_ready()
    from inspectorate.domain.lifecycle import Stage

    with clock_at(as_of, hour=9) as now:
        context.run(
            stages.check_stage, inspection_id=inspection_id, stage=Stage.SELECT_SAMPLE, now=now
        )
    with context.reading() as session:  # a bad or ineligible file fails before Prefect starts
        evidence.draw_sample(
            session,
            inspection_id=inspection_id,
            caseload=caseloads.read_caseload(caseload),
            seed=seed,
        )
    with clock_at(as_of, hour=9) as now, running_flows("Drawing the sample"):
        from flows.casework import select_sample

        outcome, sample = select_sample(
            inspection_id=inspection_id,
            caseload_path=str(caseload),
            seed=seed,
            actor=actor,
            now=now,
        )
    if not outcome.moved:
        console.print(f"Inspection {inspection_id} already has its sample; nothing changed.")
        return
    console.print(_sample_table(sample))
    for warning in sample.warnings:
        console.print(f"[yellow]warning:[/] {warning}")
    console.print(f"Inspection {inspection_id}: {outcome.from_status} → {outcome.to_status}.")


def score_inspection(
    inspection_id: Annotated[int, typer.Argument(help="Inspection id.")],
    judgements: Annotated[Path, typer.Option(help="The team's judgements (CSV or XLSX).")],
    ratings: Annotated[Path | None, typer.Option(help="Descriptive ratings, if any.")] = None,
    actor: Annotated[str, typer.Option(help="Who is importing.")] = "inspection-team",
    as_of: AsOf = None,
) -> None:
    """Import, check and score the fieldwork judgements (runs the score-fieldwork flow)."""
    database_ready()
    # Checked here too so a bad file is refused in a second, before Prefect starts.
    with context.reading() as session:
        evidence.read_inspection_judgements(session, inspection_id=inspection_id, path=judgements)
        framework = evidence.framework_of(session, inspection_id=inspection_id)
    if ratings:
        fieldwork.read_ratings(ratings, framework)
    with clock_at(as_of, hour=9) as now:
        require_after_last_step(inspection_id, now)  # before Prefect starts
        with running_flows("Scoring the fieldwork"):
            from flows.casework import score_fieldwork

            outcome = score_fieldwork(
                inspection_id=inspection_id,
                judgements_path=str(judgements),
                ratings_path=str(ratings) if ratings else None,
                actor=actor,
                now=now,
            )
    with context.reading() as session:
        data = evidence.stored_scores(session, inspection_id=inspection_id)
    console.print(score_tables(data, framework)[0])
    console.print(f"Inspection {inspection_id}: {outcome.from_status} → {outcome.to_status}.")
    say_if_sign_off_undone(inspection_id)


def show_scores(
    inspection_id: Annotated[int, typer.Argument(help="Inspection id.")],
    publication: Annotated[
        bool,
        typer.Option("--publication", help="Hide breakdown groups that are too small to publish."),
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """Show an inspection's scores with breakdowns."""
    database_ready()
    with context.reading() as session:
        data = evidence.stored_scores(session, inspection_id=inspection_id, publication=publication)
        framework = evidence.framework_of(session, inspection_id=inspection_id)
    if as_json:
        print_json(data)
        return
    for table in score_tables(data, framework):
        console.print(table)


def synthetic_caseload(
    body: Annotated[str, typer.Argument(help="The body's name (it seeds the data).")],
    out: Annotated[Path, typer.Option(help="CSV file to write.")],
    size: Annotated[int, typer.Option(help="Number of cases.")] = 1500,
    as_of: Annotated[str, typer.Option(help="Extract date, YYYY-MM-DD.")] = "2014-02-10",
    seed: Seed = 1,
) -> None:
    """Write a synthetic caseload extract."""
    day: dt.date = milestones.parse_date(as_of, what="--as-of")
    check_out(out)
    cases = synthetic.caseload(body, size, day, seed)
    write_out(out, lambda path: cases.to_csv(path, index=False))
    console.print(f"Wrote {size} synthetic cases of {body} to {out}")


def synthetic_judgements(
    sample: Annotated[Path, typer.Option(help="A sample CSV (from `inspectorate sample`).")],
    framework: Annotated[str, typer.Option(help="Framework code.")],
    out: Annotated[Path, typer.Option(help="CSV file to write.")],
    quality: Annotated[float, typer.Option(min=0, max=1, help="Chance work is sufficient.")] = 0.7,
    seed: Seed = 1,
) -> None:
    """Write synthetic judgements for every case of a sample and question of a framework."""
    definition = frameworks.find_framework(context.frameworks(), framework)
    check_out(out)
    cases = caseloads.read_caseload(sample)
    if "allocated_to" not in cases:
        cases = cases.assign(allocated_to="inspector")
    frame = synthetic.judgements(cases, definition, quality, seed)
    write_out(out, lambda path: frame.to_csv(path, index=False))
    console.print(f"Wrote {len(frame)} synthetic judgements to {out}")


def register(app: typer.Typer, inspection: typer.Typer) -> None:
    """Add this module's commands to the command line."""
    synthetic_app = typer.Typer(
        help="Make synthetic caseloads and judgements to try things with.", no_args_is_help=True
    )
    app.add_typer(synthetic_app, name="synthetic")
    app.command("sample")(sample_file)
    app.command("score")(score_file)
    inspection.command("sample")(sample_inspection)
    inspection.command("score")(score_inspection)
    inspection.command("scores")(show_scores)
    synthetic_app.command("caseload")(synthetic_caseload)
    synthetic_app.command("judgements")(synthetic_judgements)
