"""Follow-ups on the command line: trigger checks, planning a follow-up, comparing scores."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from cli.lazy import lazy_module
from cli.options import AsOf, JsonFlag, clock_at, database_ready, running_flows
from cli.output import console, print_json
from inspectorate.domain.errors import InvalidFile

if TYPE_CHECKING:
    import pandas as pd

    from inspectorate.adapters import config_files, tables
    from inspectorate.domain import comparison, triggers
    from inspectorate.services import context, evidence, views
else:
    pd = lazy_module("pandas")
    comparison = lazy_module("inspectorate.domain.comparison")
    config_files = lazy_module("inspectorate.adapters.config_files")
    context = lazy_module("inspectorate.services.context")
    evidence = lazy_module("inspectorate.services.evidence")
    tables = lazy_module("inspectorate.adapters.tables")
    triggers = lazy_module("inspectorate.domain.triggers")
    views = lazy_module("inspectorate.services.views")


def read_scores(path: Path, needed: set[str]) -> pd.DataFrame:
    """Read `body, published, <score>...` rows; every score the rules need must be a column."""
    frame = tables.read_table(path, ("body", "published"))
    missing = sorted(needed - set(frame.columns))
    if missing:
        raise InvalidFile(
            str(path),
            [
                f"missing score column(s) {', '.join(missing)} that the rules look at; the file "
                f"has {', '.join(c for c in frame.columns if c != 'row')}"
            ],
        )
    dates = pd.to_datetime(frame["published"], format="%Y-%m-%d", errors="coerce")
    problems = tables.problems_where(frame, frame["body"] == "", "body", "empty body name")
    problems += tables.problems_where(
        frame, dates.isna(), "published", "{value!r} is not a date like 2011-06-30 (YYYY-MM-DD)"
    )
    for column in sorted(needed):
        values = pd.to_numeric(frame[column].str.rstrip("%"), errors="coerce")
        problems += tables.problems_where(
            frame,
            values.isna() | (values < 0) | (values > 100),
            column,
            "{value!r} is not a percentage from 0 to 100",
        )
        frame[column] = values
    if problems:
        raise InvalidFile(str(path), problems)
    frame["published"] = dates.dt.date
    return frame


def _as_json(body: str, decision: triggers.Decision) -> dict[str, Any]:
    return {
        "body": body,
        "due": decision.due,
        "rule": decision.rule.name if decision.rule else None,
        "kind": decision.kind,
        "due_date": decision.due_date.isoformat() if decision.due_date else None,
        "window_start": decision.window_start.isoformat() if decision.window_start else None,
        "window_end": decision.window_end.isoformat() if decision.window_end else None,
        "reason": decision.reason,
    }


def check(
    rules: Annotated[
        Path, typer.Option(help="Trigger rules (TOML), e.g. config/triggers/cci.toml.")
    ],
    scores: Annotated[Path, typer.Option(help="CSV: body, published, and one column per score.")],
    as_json: JsonFlag = False,
) -> None:
    """Say for every body whether a follow-up or reinspection is due, by which rule, and when."""
    loaded = config_files.load_rules(rules)
    frame = read_scores(scores, {s for r in loaded for s in r.scores})
    score_columns = [c for c in frame.columns if c not in ("row", "body", "published")]
    results = [
        _as_json(
            row["body"],
            triggers.evaluate(
                loaded, {c: row[c] for c in score_columns if pd.notna(row[c])}, row["published"]
            ),
        )
        for row in frame.to_dict("records")
    ]
    if as_json:
        print_json(results)
        return
    table = Table(title=f"{rules.name}: {sum(r['due'] for r in results)} of {len(results)} due")
    for heading in ("body", "due", "kind", "due date", "window", "why"):
        table.add_column(heading)
    for r in results:
        window = f"{r['window_start']} – {r['window_end']}" if r["due"] else ""
        table.add_row(
            r["body"],
            "[bold]yes[/]" if r["due"] else "no",
            r["kind"] or "",
            r["due_date"] or "",
            window,
            r["reason"],
        )
    console.print(table)


def follow_up(
    inspection_id: Annotated[int, typer.Argument(help="A published inspection's id.")],
    as_of: AsOf = None,
) -> None:
    """Check a published inspection against its programme's trigger rules (plan-reinspection)."""
    database_ready()
    with context.reading() as session:  # rules are evaluated on scores: refuse before Prefect
        evidence.stored_scores(session, inspection_id=inspection_id)
    with clock_at(as_of, hour=9) as now, running_flows("Checking the triggers"):
        from flows.follow_up import plan_reinspection

        follow_up_id = plan_reinspection(inspection_id=inspection_id, now=now)
    with context.reading() as session:
        data = views.describe_inspection(session, inspection_id=inspection_id)
    decided = [e for e in data["audit"] if e["action"] in ("follow_up_planned", "no_follow_up")]
    if follow_up_id is not None:
        console.print(f"Inspection {inspection_id}: follow-up is inspection {follow_up_id}.")
    else:
        console.print(f"Inspection {inspection_id}: no follow-up due.")
    for event in decided:
        console.print(f"  {event['why']}")


def compare_cmd(
    inspection_id: Annotated[int, typer.Argument(help="A scored follow-up or reinspection.")],
    as_json: JsonFlag = False,
) -> None:
    """Compare a follow-up's criterion scores with the original's (Fisher's exact test)."""
    database_ready()
    with context.reading() as session:
        original, changes = evidence.compare_with_original(session, inspection_id=inspection_id)
    rows = _rows(changes, "criterion")
    if as_json:
        print_json(
            {
                "original": original,
                "follow_up": inspection_id,
                "criteria": rows,
                "summary": comparison.summary(changes),
            }
        )
        return
    _print_changes(
        rows, "criterion", f"Inspection {inspection_id} against the original, {original}"
    )
    console.print(comparison.summary(changes).capitalize() + ".")


def _rows(changes: list[comparison.Change], key: str) -> list[dict[str, Any]]:
    """The comparison as plain rows, `key` naming the measure ('criterion' or 'measure')."""
    return [
        {
            key: c.criterion,
            "original": round(c.original, 1),
            "follow_up": round(c.follow_up, 1),
            "change": round(c.change, 1),
            "p_value": round(c.p_value, 4),
            "significant": c.significant,
        }
        for c in changes
    ]


def _print_changes(rows: list[dict[str, Any]], key: str, title: str) -> None:
    table = Table(title=title)
    for heading in (key, "original", "follow-up", "change", "p", "significant"):
        table.add_column(heading)
    for r in rows:
        table.add_row(
            str(r[key]),
            f"{r['original']:.1f}%",
            f"{r['follow_up']:.1f}%",
            f"{r['change']:+.1f}",
            f"{r['p_value']:.3f}",
            "yes" if r["significant"] else "no",
        )
    console.print(table)


def _score_file(path: Path) -> dict[str, comparison.CriterionCount]:
    """Per-question counts from a file written by `inspectorate score --json`."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        questions = data["questions"]
        return {
            q: comparison.CriterionCount(int(v["sufficient"]), int(v["applicable"]))
            for q, v in questions.items()
        }
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise InvalidFile(
            str(path),
            [f"not the --json output of `inspectorate score` ({type(exc).__name__}: {exc})"],
        ) from exc


def compare_files(
    original: Annotated[Path, typer.Argument(help="`inspectorate score --json` of the original.")],
    follow_up: Annotated[Path, typer.Argument(help="The same for the follow-up.")],
    as_json: JsonFlag = False,
) -> None:
    """Compare two scored files question by question (Fisher's exact test, p < 0.05)."""
    before, after = _score_file(original), _score_file(follow_up)
    changes = comparison.compare(before, after)
    only_original = sorted(set(before) - set(after))
    only_follow_up = sorted(set(after) - set(before))
    rows = _rows(changes, "measure")
    if as_json:
        print_json(
            {
                "measures": rows,
                "only_in_original": only_original,
                "only_in_follow_up": only_follow_up,
                "summary": comparison.summary(changes),
            }
        )
        return
    _print_changes(rows, "measure", f"{original.name} against {follow_up.name}")
    for label, missing in (
        ("only in the original", only_original),
        ("only in the follow-up", only_follow_up),
    ):
        if missing:
            console.print(f"Not compared, {label}: {', '.join(missing)}")
    console.print(comparison.summary(changes).capitalize() + ".")


def register(app: typer.Typer, inspection: typer.Typer) -> None:
    """Add this module's commands to the command line."""
    triggers_app = typer.Typer(
        help="Trigger rules for reinspections and follow-ups.", no_args_is_help=True
    )
    app.add_typer(triggers_app, name="triggers")
    triggers_app.command("check")(check)
    inspection.command("follow-up")(follow_up)
    inspection.command("compare")(compare_cmd)
    app.command("compare")(compare_files)
