"""Which framework and programme an inspection is scored under (no other use case needed)."""

from __future__ import annotations

from sqlalchemy import bindparam, select
from sqlmodel import Session, col

from inspectorate.adapters.models import Inspection, Programme
from inspectorate.adapters.repository import get_inspection
from inspectorate.adapters.rows import plain_rows
from inspectorate.domain.errors import ConfigError
from inspectorate.domain.frameworks import Framework
from inspectorate.domain.programmes import ProgrammeDefinition
from inspectorate.domain.sampling_rules import SamplingRule
from inspectorate.services import context


def programme_of(session: Session, inspection: Inspection) -> ProgrammeDefinition:
    """The definition of the programme the inspection belongs to."""
    (code,) = plain_rows(session, _CODE, {"programme_id": inspection.programme_id})[0]
    return context.programmes()[code]


# Built once: asked by most stages of every inspection.
_CODE = select(col(Programme.code)).where(col(Programme.id) == bindparam("programme_id"))


def sampling_rule(programme: ProgrammeDefinition) -> SamplingRule:
    """The programme's sampling rules (they name its framework), or a clear config error."""
    if programme.sampling is None:
        raise ConfigError(f"config/programmes/{programme.code}.toml has no [sampling] table")
    return programme.sampling


def framework_of(session: Session, *, inspection_id: int) -> Framework:
    """Return the criteria framework an inspection is scored against."""
    inspection = get_inspection(session, inspection_id=inspection_id)
    rule = sampling_rule(programme_of(session, inspection))
    try:
        framework = context.frameworks()[rule.framework]
    except KeyError:
        raise ConfigError(
            f"sampling names framework {rule.framework!r}, which is not in config/frameworks"
        ) from None
    if inspection.covers:
        return framework.restricted_to(inspection.covers.split(","))
    return framework
