"""The command line adds its own hints to domain errors: the option, the command that helps."""

from __future__ import annotations

from cli.hints import explain
from inspectorate.domain.errors import (
    InvalidInput,
    InvalidTransition,
    NotInitialised,
    UnknownInspection,
)


def test_a_wrong_value_names_the_option_it_came_from() -> None:
    error = InvalidInput("language 'fr' is not one of en, cy", field="lang")
    assert explain(error) == "--lang: language 'fr' is not one of en, cy"


def test_an_uninitialised_record_says_which_command_sets_it_up() -> None:
    error = NotInitialised("the database sqlite:///x.db has no schema")
    assert (
        explain(error) == "the database sqlite:///x.db has no schema; run `inspectorate init` first"
    )


def test_an_error_without_a_field_is_said_as_it_is() -> None:
    error = InvalidTransition("cannot publish an inspection that is planned")
    assert explain(error) == "cannot publish an inspection that is planned"


def test_an_unknown_inspection_says_where_the_inspections_are_listed() -> None:
    assert explain(UnknownInspection("no inspection with id 7")) == (
        "no inspection with id 7; `inspectorate inspection list` shows the inspections"
    )
