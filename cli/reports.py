"""`inspectorate report …`: letters, draft, published and follow-up reports."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from cli.lazy import lazy_module
from cli.options import (
    Actor,
    AsOf,
    JsonFlag,
    clock_at,
    database_ready,
    running_flows,
    say_if_sign_off_undone,
)
from cli.output import console, print_json
from inspectorate.domain.lifecycle import Stage

if TYPE_CHECKING:
    from inspectorate.adapters import i18n, settings
    from inspectorate.services import context, documents, publication, reports, stages, views
else:
    context = lazy_module("inspectorate.services.context")
    documents = lazy_module("inspectorate.services.documents")
    i18n = lazy_module("inspectorate.adapters.i18n")
    publication = lazy_module("inspectorate.services.publication")
    reports = lazy_module("inspectorate.services.reports")
    settings = lazy_module("inspectorate.adapters.settings")
    stages = lazy_module("inspectorate.services.stages")
    views = lazy_module("inspectorate.services.views")

Format = Annotated[str, typer.Option("--format", help="html or pdf.")]
Lang = Annotated[str, typer.Option("--lang", help="en (English) or cy (Welsh).")]
Out = Annotated[Path | None, typer.Option(help="Folder for the files (default: settings).")]
TextFile = Annotated[
    Path | None,
    typer.Option(
        help="The team's text (TOML): foreword, outcomes.<id>.strengths/improvements, "
        "recommendations. Kept for every later render of this inspection's reports."
    ),
]


def _write(
    inspection_id: int, kind: str, fmt: str, lang: str, out: Path | None, actor: str
) -> None:
    reports.check_format(fmt)
    i18n.check_language(lang)
    database_ready()
    with context.reading() as session:
        views.require_inspection(session, inspection_id=inspection_id)
    [saved] = context.run(
        documents.write_document,
        inspection_id=inspection_id,
        kind=kind,
        lang=lang,
        formats=(fmt,),
        folder=out or settings.get_settings().reports_dir,
        now=context.moment(None),
        actor=actor,
    )
    _say(saved)
    pending = i18n.awaiting_review(lang)
    if pending:
        console.print(
            f"[yellow]{len(pending)} Welsh strings are drafts awaiting a translator's review "
            f"(inspectorate/locale/cy/LC_MESSAGES/messages.po, flagged fuzzy).[/]"
        )


def _say(saved: documents.SavedDocument) -> None:
    state = "new version" if saved.new else "unchanged since the last render"
    console.print(
        f"{saved.kind.replace('follow_up', 'follow-up').replace('_', ' ').capitalize()} "
        f"({saved.lang}, {saved.format}): "
        f"{saved.path} (sha256 {saved.sha256[:12]}, {state})"
    )


def report_draft(
    inspection_id: Annotated[int, typer.Argument(help="A scored inspection's id.")],
    fmt: Format = "html",
    lang: Lang = "en",
    text: TextFile = None,
    out: Out = None,
    actor: Actor = "cli",
) -> None:
    """Render the draft report (marked DRAFT — NOT FOR PUBLICATION on every page)."""
    if text is not None:
        database_ready()
        context.run(
            reports.store_text,
            inspection_id=inspection_id,
            path=text,
            now=context.moment(None),
            actor=actor,
        )
    _write(inspection_id, "draft", fmt, lang, out, actor)


def report_letter(
    inspection_id: Annotated[int, typer.Argument(help="Inspection id.")],
    fmt: Format = "html",
    lang: Lang = "en",
    out: Out = None,
    actor: Actor = "cli",
) -> None:
    """Render the announcement letter with the inspection's key dates."""
    _write(inspection_id, "announcement", fmt, lang, out, actor)


def report_follow_up(
    inspection_id: Annotated[int, typer.Argument(help="A scored follow-up or reinspection.")],
    fmt: Format = "html",
    lang: Lang = "en",
    out: Out = None,
    actor: Actor = "cli",
) -> None:
    """Render the follow-up report: each criterion before and after, and its significance."""
    database_ready()
    with context.reading() as session:
        published = documents.inspection_published(session, inspection_id=inspection_id)
    _write(inspection_id, "follow_up" if published else "follow_up_draft", fmt, lang, out, actor)


def report_text(
    inspection_id: Annotated[int, typer.Argument(help="Inspection id.")],
    file: Annotated[Path, typer.Argument(help="The team's text (TOML).")],
    actor: Actor = "cli",
) -> None:
    """Keep the team's text (foreword, strengths, areas for improvement, recommendations)."""
    database_ready()
    context.run(
        reports.store_text,
        inspection_id=inspection_id,
        path=file,
        now=context.moment(None),
        actor=actor,
    )
    console.print(f"Inspection {inspection_id}: report text kept from {file}.")
    say_if_sign_off_undone(inspection_id)


def report_publish(
    inspection_id: Annotated[int, typer.Argument(help="Inspection id, comments closed.")],
    why: Annotated[str, typer.Option(help="Why, for the audit trail.")] = "",
    actor: Actor = "cli",
    as_of: AsOf = None,
) -> None:
    """Publish: write the published report(s), lift the embargo, record the distribution."""
    database_ready()
    with clock_at(as_of, hour=9) as now:
        context.run(
            stages.check_stage, inspection_id=inspection_id, stage=Stage.PUBLISH, now=now, why=why
        )
        with running_flows("Publishing"):
            from flows.lifecycle import publish_report

            outcome = publish_report(inspection_id=inspection_id, actor=actor, why=why, now=now)
    if outcome.moved:
        console.print(f"Inspection {inspection_id}: {outcome.from_status} → {outcome.to_status}.")
    else:
        console.print(f"Inspection {inspection_id} was already {outcome.to_status}.")
    with context.reading() as session:
        public = documents.versions_of(session, inspection_id=inspection_id, public_only=True)
        recipients = [
            d.recipient for d in publication.distribution_of(session, inspection_id=inspection_id)
        ]
    for version in public:
        console.print(f"  public: {version.path}")
    console.print("  distributed to: " + "; ".join(recipients))


def report_list(
    inspection_id: Annotated[int, typer.Argument(help="Inspection id.")],
    as_json: JsonFlag = False,
) -> None:
    """List every stored version of the inspection's letters and reports."""
    database_ready()
    with context.reading() as session:
        views.require_inspection(session, inspection_id=inspection_id)
        versions = documents.versions_of(session, inspection_id=inspection_id)
    if as_json:
        print_json(
            [
                {
                    "kind": v.kind,
                    "lang": v.lang,
                    "format": v.format,
                    "sha256": v.sha256,
                    "public": v.public,
                    "path": v.path,
                    "created_at": context.moment(v.created_at).isoformat(),
                }
                for v in versions
            ]
        )
        return
    table = Table(title=f"Documents of inspection {inspection_id}")
    for heading in ("created", "kind", "lang", "format", "sha256", "public", "path"):
        table.add_column(heading)
    for v in versions:
        table.add_row(
            context.moment(v.created_at).format("YYYY-MM-DD HH:mm"),  # London time
            v.kind,
            v.lang,
            v.format,
            v.sha256[:12],
            "yes" if v.public else "embargoed",
            v.path,
        )
    console.print(table)


def register(app: typer.Typer, inspection: typer.Typer) -> None:
    """Add this module's commands to the command line."""
    report_app = typer.Typer(
        help="Letters and reports: draft, published, follow-up; English and Welsh.",
        no_args_is_help=True,
    )
    app.add_typer(report_app, name="report")
    report_app.command("draft")(report_draft)
    report_app.command("letter")(report_letter)
    report_app.command("follow-up")(report_follow_up)
    report_app.command("text")(report_text)
    report_app.command("publish")(report_publish)
    report_app.command("list")(report_list)
