"""`inspectorate programme analytics`: headline scores across a programme's inspections."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from cli.files import write_out
from cli.lazy import lazy_module
from cli.options import JsonFlag, database_ready
from cli.output import console, print_json
from inspectorate.domain.errors import InvalidInput

if TYPE_CHECKING:
    from inspectorate.domain import programmes
    from inspectorate.services import analytics, context
else:
    analytics = lazy_module("inspectorate.services.analytics")
    context = lazy_module("inspectorate.services.context")
    programmes = lazy_module("inspectorate.domain.programmes")


def analytics_command(
    programme: Annotated[str, typer.Argument(help="Programme code.")],
    by: Annotated[str, typer.Option(help="Break down by region, family or none.")] = "region",
    out: Annotated[Path | None, typer.Option(help="Write FILE.csv or a chart, FILE.svg.")] = None,
    as_json: JsonFlag = False,
) -> None:
    """Headline scores across the programme: aggregate, lowest and highest, by region or family."""
    definition = programmes.find_programme(context.programmes(), programme)
    if by not in ("region", "family", "none"):
        raise InvalidInput(f"--by {by!r}: use region, family or none")
    database_ready()
    with context.reading() as session:
        table = analytics.summarise(
            analytics.headline_frame(session, definition.code), None if by == "none" else by
        )
    if table.empty:
        raise InvalidInput(f"no {definition.code} inspection has been scored yet; score one first")
    names = analytics.headline_names(definition, context.frameworks())
    if out is not None:
        if out.suffix.lower() == ".svg":
            chart = analytics.chart_svg(table, f"{definition.name}: headline scores", names)
            write_out(out, lambda path: path.write_text(chart, encoding="utf-8"))
        elif out.suffix.lower() == ".csv":
            write_out(out, lambda path: table.to_csv(path, index=False, float_format="%.1f"))
        else:
            raise InvalidInput(f"--out {out}: give a file ending in .csv or .svg")
        if not as_json:  # standard output is the JSON's alone
            console.print(f"Wrote {out}")
    if as_json:
        print_json(table.round(1).to_dict("records"))
        return
    shown = Table(title=f"{definition.name}: headline scores across inspections")
    for heading in ("group", "headline", "n", "aggregate", "lowest", "highest"):
        shown.add_column(heading)
    for r in table.itertuples():
        shown.add_row(
            str(r.group),
            names.get(str(r.headline), str(r.headline)),
            str(r.inspections),
            f"{r.aggregate:.0f}%",
            f"{r.lowest:.0f}% {r.lowest_body}",
            f"{r.highest:.0f}% {r.highest_body}",
        )
    console.print(shown)
