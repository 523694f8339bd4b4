"""How a programme is planned: the [planning] table of its TOML."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from inspectorate.domain.reference import BodyRecord


class PlanningRule(BaseModel):
    """The [planning] table of a programme."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    first_year: Annotated[int, Field(ge=1990, le=2100)] | None = None
    cycle_years: Annotated[int, Field(ge=1, le=10)] = 3
    year_starts: Annotated[str, Field(pattern=r"^\d\d-\d\d$")] = "04-01"
    team_capacity: Annotated[int, Field(ge=1)] = 1
    hours_budget_per_year: Annotated[float, Field(gt=0)]
    hours_per_inspection: Annotated[float, Field(gt=0)]
    hours_by_family: dict[str, float] = {}
    group_by: Literal["family", "region", "none"] = "region"
    christmas: tuple[str, str] = ("12-20", "01-03")

    def hours_for(self, body: BodyRecord) -> float:
        """Deployable inspection hours for one inspection of `body`."""
        return self.hours_by_family.get(body.family or "", self.hours_per_inspection)
