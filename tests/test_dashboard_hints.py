"""The dashboard adds its own hints to domain errors: the form field, who can set things up."""

from __future__ import annotations

from dashboard.hints import explain
from inspectorate.domain.errors import InvalidInput, NotInitialised, UnknownInspection


def test_a_wrong_value_names_the_form_field_it_came_from() -> None:
    error = InvalidInput("language 'fr' is not one of en, cy", field="lang")
    assert explain(error) == "Language: language 'fr' is not one of en, cy"


def test_an_uninitialised_record_says_who_can_set_it_up() -> None:
    said = explain(NotInitialised("the database sqlite:///x.db has no schema"))
    assert said.endswith("(the record is not set up yet: ask the administrator to initialise it)")
    assert "inspectorate init" not in said


def test_an_error_without_a_field_is_said_as_it_is() -> None:
    assert explain(UnknownInspection("no inspection 7")) == "no inspection 7"
