"""How a programme samples cases: the [sampling] table of its TOML, without pandas."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

CASELOAD_COLUMNS = (
    "case_id",
    "case_type",
    "start_date",
    "rosh",
    "gender",
    "ethnicity",
    "age_band",
    "principal_offence",
)


class SizeBand(BaseModel):
    """Caseloads of up to `up_to` cases (or any size, when absent) get `size` cases."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    up_to: int | None = None
    size: Annotated[int, Field(gt=0)]


class SamplingRule(BaseModel):
    """How a programme samples cases (the [sampling] table of its TOML)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    framework: str
    supervised_months: tuple[int, int] = (8, 10)
    case_types: tuple[str, ...] = ()
    size_bands: tuple[SizeBand, ...] = Field(min_length=1)
    high_rosh_quota: int = 0
    local_assessor_share: Annotated[float, Field(ge=0, le=1)] = 1 / 3
    representativeness_margin: Annotated[float, Field(gt=0)] = 10.0

    def size_for(self, caseload: int) -> int:
        """Return the sample size for a caseload of this many cases."""
        return next(b.size for b in self.size_bands if b.up_to is None or caseload <= b.up_to)
