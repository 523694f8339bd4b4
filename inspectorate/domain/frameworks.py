"""Criteria frameworks: questions → general criteria → headline outcomes or sections (TOML)."""

from __future__ import annotations

from collections.abc import Collection
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from inspectorate.domain.errors import ConfigError, UnknownFramework

Id = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")]


class Aggregation(StrEnum):
    """How a headline score is made from its questions."""

    MEAN_OF_QUESTIONS = "mean_of_questions"  # seed 003: average of the questions' proportions
    MEAN_OF_CRITERIA = "mean_of_criteria"  # average of the criteria's proportions
    POOLED = "pooled"  # all sufficient judgements over all applicable ones


class Headline(BaseModel):
    """A headline outcome or report section."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: Id
    name: str


class Criterion(BaseModel):
    """A general criterion: scored from `cases`, rated (`descriptive`) or from `interviews`."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: Id
    name: str
    headline: str
    kind: Literal["cases", "descriptive", "interviews"] = "cases"


class Question(BaseModel):
    """A question of the case assessment tool; it may count towards several criteria."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: Id
    text: str
    criteria: tuple[str, ...] = Field(min_length=1)
    source: str = "plausible (written for this product)"


class RatingBand(BaseModel):
    """A score at or above `min` earns `label`."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    min: float = Field(ge=0, le=100)
    label: str


class Framework(BaseModel):
    """One framework: what is asked of each case and how the answers add up."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    code: Id
    name: str
    source: str = ""
    notes: str = ""
    aggregation: Aggregation
    min_group_size: int = Field(default=5, ge=1)
    descriptive_scale: tuple[str, ...] = ()
    rating_bands: tuple[RatingBand, ...] = ()  # a rating beside each score, only where defined
    criterion_ids_in_reports: bool = True  # False where ids are keys (lor.ap), not numbering
    headlines: tuple[Headline, ...] = Field(min_length=1)
    criteria: tuple[Criterion, ...] = Field(min_length=1)
    questions: tuple[Question, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _references_resolve(self) -> Framework:
        headlines = _unique("headline", [h.id for h in self.headlines])
        criteria = _unique("criterion", [c.id for c in self.criteria])
        _unique("question", [q.id for q in self.questions])
        for criterion in self.criteria:
            if criterion.headline not in headlines:
                raise ValueError(
                    f"criterion {criterion.id} names unknown headline {criterion.headline!r}"
                )
        case_criteria = {c.id for c in self.criteria if c.kind == "cases"}
        for question in self.questions:
            for cid in question.criteria:
                if cid not in criteria:
                    raise ValueError(f"question {question.id} names unknown criterion {cid!r}")
                if cid not in case_criteria:
                    raise ValueError(
                        f"question {question.id} counts towards descriptive "
                        f"criterion {cid}, which is rated, not scored from cases"
                    )
        if any(c.kind == "descriptive" for c in self.criteria) and not self.descriptive_scale:
            raise ValueError("descriptive criteria need a descriptive_scale")
        bands = [b.min for b in self.rating_bands]
        if bands != sorted(bands, reverse=True):
            raise ValueError("rating_bands must run from the highest minimum to the lowest")
        return self

    def headline_of(self, criterion_id: str) -> str:
        """Return the headline a criterion belongs to."""
        return next(c.headline for c in self.criteria if c.id == criterion_id)

    def restricted_to(self, criteria: Collection[str]) -> Framework:
        """Return the framework cut down to `criteria` (a follow-up re-scores only those).

        Questions keep only their covered criteria and are dropped when none is left;
        headlines without a covered criterion are dropped.
        """
        unknown = set(criteria) - {c.id for c in self.criteria}
        if unknown:
            raise ConfigError(f"framework {self.code} has no criteria {', '.join(sorted(unknown))}")
        kept = [c for c in self.criteria if c.id in criteria]
        headlines = {c.headline for c in kept}
        questions = [
            q.model_copy(update={"criteria": tuple(c for c in q.criteria if c in criteria)})
            for q in self.questions
            if set(q.criteria) & set(criteria)
        ]
        return self.model_copy(
            update={
                "criteria": tuple(kept),
                "questions": tuple(questions),
                "headlines": tuple(h for h in self.headlines if h.id in headlines),
            }
        )

    def criterion_label(self, criterion_id: str) -> str:
        """How a report names a criterion: '2.1 Assessment and planning ...' or the name alone."""
        name = next(c.name for c in self.criteria if c.id == criterion_id)
        return f"{criterion_id} {name}" if self.criterion_ids_in_reports else name

    def rating(self, score: float) -> str | None:
        """Return the rating band label for a score, if the framework has bands."""
        return next((b.label for b in self.rating_bands if score >= b.min), None)


def _unique(what: str, ids: list[str]) -> set[str]:
    seen: set[str] = set()
    for item in ids:
        if item in seen:
            raise ValueError(f"{what} {item!r} is defined twice")
        seen.add(item)
    return seen


def framework_from_toml(data: dict[str, object], *, where: str, code: str) -> Framework:
    """Validate a framework parsed from TOML; errors name `where` and the field."""
    try:
        framework = Framework.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or '(top)'}: {e['msg']}" for e in exc.errors()
        )
        raise ConfigError(f"{where}: invalid framework: {problems}") from exc
    if framework.code != code:
        raise ConfigError(f"{where}: code {framework.code!r} must match the file name")
    return framework


def find_framework(frameworks: dict[str, Framework], code: str) -> Framework:
    """Return the framework `code`, or raise UnknownFramework listing the known ones."""
    try:
        return frameworks[code.lower()]
    except KeyError:
        known = ", ".join(sorted(frameworks))
        raise UnknownFramework(f"unknown framework {code!r}; known frameworks: {known}") from None
