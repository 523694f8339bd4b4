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


def test_days_in_a_message_read_as_people_write_them() -> None:
    from dashboard.hints import readable_dates

    said = "fieldwork from 2026-12-07 must be announced by 2026-09-28 (bank holiday 2014-05-26)"
    assert readable_dates(said) == (
        "fieldwork from 7 December 2026 must be announced by 28 September 2026 "
        "(bank holiday 26 May 2014)"
    )
    assert readable_dates("2014-02-31 is not a day") == "2014-02-31 is not a day"  # as typed
    about_the_form = "'10/2/2014' is not a date like 2014-02-10 (YYYY-MM-DD)"
    assert readable_dates(about_the_form) == about_the_form
