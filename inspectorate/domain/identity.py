"""Who the documents are from and to: the inspectorate, its signatories, the bodies' heads.

Read from config/inspectorate.toml. Every title has its Welsh beside it, so a Welsh letter
or report names people in Welsh; a Welsh title left out reads in English.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from inspectorate.domain.errors import ConfigError


class Words(BaseModel):
    """A name or title in English and, where given, in Welsh."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    en: str = Field(min_length=1)
    cy: str = ""

    def in_language(self, lang: str) -> str:
        """The words in `lang` (English where no Welsh is given)."""
        return self.cy if lang == "cy" and self.cy else self.en


class Person(BaseModel):
    """A named person who signs: their name and their title."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str = Field(min_length=1)
    title: Words

    def title_in(self, lang: str) -> str:
        """The person's title in `lang`."""
        return self.title.in_language(lang)


class Appointment(Person):
    """A Chief Inspector, in office from `since` until the next one's `since`."""

    since: dt.date


class Inspectorate(BaseModel):
    """The inspectorate's name and address, its Chief Inspectors and how bodies are addressed."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    name: Words
    short_name: Words
    address: str = ""
    addressees: dict[str, Words]
    chief_inspectors: tuple[Appointment, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _in_order(self) -> Inspectorate:
        days = [c.since for c in self.chief_inspectors]
        if days != sorted(days) or len(set(days)) != len(days):
            raise ValueError("chief_inspectors must be in the order they took office")
        return self

    def chief_inspector_on(self, day: dt.date) -> Person:
        """The Chief Inspector in office on `day` (the first one before any took office)."""
        serving = [c for c in self.chief_inspectors if c.since <= day] or [self.chief_inspectors[0]]
        return Person(name=serving[-1].name, title=serving[-1].title)

    def addressee(self, body_kind: str) -> Words:
        """The title of the head of a body of `body_kind` ('Chief Executive' of a trust)."""
        return self.addressees.get(body_kind) or self.addressees["default"]


def inspectorate_from_toml(data: dict[str, object], *, where: str) -> Inspectorate:
    """Validate the inspectorate's settings parsed from TOML; errors name `where` and the field."""
    try:
        found = Inspectorate.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or '(top)'}: {e['msg']}" for e in exc.errors()
        )
        raise ConfigError(f"{where}: invalid inspectorate settings: {problems}") from exc
    if "default" not in found.addressees:
        raise ConfigError(f"{where}: addressees needs a 'default' title for other bodies")
    return found
