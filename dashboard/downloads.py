"""Downloads for the programme manager: the plan, the record and the audit trail as files.

Manager only: the exports hold every inspection, embargoed or not, and the audit trail.
They only read: nothing is recorded.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response

from dashboard.web import account_of, forbid, viewer_of
from inspectorate.adapters import clock, export_files
from inspectorate.adapters.export_files import ExportFormat
from inspectorate.domain import access
from inspectorate.domain.errors import UnknownProgramme
from inspectorate.domain.milestones import parse_date
from inspectorate.services import context, exports
from inspectorate.services.export_filters import LONDON, ExportKind, check_filter, file_name

router = APIRouter(include_in_schema=False)


@router.get("/exports/{kind}")
def download(
    request: Request,
    kind: str,
    fmt_name: Annotated[str, Query(alias="format", max_length=4)] = "xlsx",
    programme: Annotated[str, Query(max_length=100)] = "",
    first: Annotated[str, Query(alias="from", max_length=10)] = "",
    last: Annotated[str, Query(alias="to", max_length=10)] = "",
) -> Response:
    """The export as a file to save (XLSX or CSV), named for what it holds and the day."""
    forbid(access.may_manage(viewer_of(account_of(request))))
    if kind not in {k.value for k in ExportKind} or fmt_name not in {f.value for f in ExportFormat}:
        raise HTTPException(404, "There is no such export.")
    try:
        filters = check_filter(
            programme or None,
            parse_date(first, what="from") if first else None,
            parse_date(last, what="to") if last else None,
        )
    except UnknownProgramme:
        raise HTTPException(404, f"No programme {programme!r}.") from None
    today = clock.today()
    with context.reading() as session:
        table = exports.export_table(session, kind=ExportKind(kind), filters=filters, today=today)
    fmt = ExportFormat(fmt_name)
    data = (
        export_files.to_xlsx(table, LONDON)
        if fmt is ExportFormat.XLSX
        else export_files.to_csv(table)
    )
    name = file_name(ExportKind(kind), filters, today, fmt.value)
    return Response(
        data,
        media_type=fmt.media_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
