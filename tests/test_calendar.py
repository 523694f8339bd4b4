"""Working days in England and Wales."""

from __future__ import annotations

import pendulum
import pytest

from inspectorate.domain.calendar import (
    Roll,
    add_working_days,
    bank_holiday_name,
    is_working_day,
    roll,
    working_days_between,
)

D = pendulum.date


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2014, 4, 18), False),  # Good Friday
        (D(2014, 4, 21), False),  # Easter Monday
        (D(2014, 5, 5), False),  # Early May bank holiday
        (D(2014, 5, 26), False),  # Spring (late May) bank holiday
        (D(2014, 8, 25), False),  # Summer bank holiday (England and Wales)
        (D(2015, 12, 28), False),  # substitute day for Boxing Day on a Saturday
        (D(2014, 12, 27), False),  # Saturday
        (D(2014, 4, 22), True),
    ],
)
def test_is_working_day_knows_weekends_and_bank_holidays(day: pendulum.Date, working: bool) -> None:
    assert is_working_day(day) is working


def test_scotland_only_holiday_is_a_working_day_in_england_and_wales() -> None:
    assert is_working_day(D(2014, 8, 4))  # Scotland's summer holiday, not England's


def test_roll_forward_skips_the_whole_easter_weekend() -> None:
    assert roll(D(2014, 4, 18), Roll.FORWARD) == D(2014, 4, 22)


def test_roll_backward_from_easter_monday_lands_on_maundy_thursday() -> None:
    assert roll(D(2014, 4, 21), Roll.BACKWARD) == D(2014, 4, 17)


def test_roll_none_leaves_a_holiday_alone() -> None:
    assert roll(D(2014, 12, 25), Roll.NONE) == D(2014, 12, 25)


def test_roll_forward_over_christmas_and_boxing_day() -> None:
    assert roll(D(2015, 12, 25), Roll.FORWARD) == D(2015, 12, 29)


def test_add_working_days_crosses_christmas() -> None:
    assert add_working_days(D(2014, 12, 23), 2) == D(2014, 12, 29)
    assert add_working_days(D(2014, 12, 29), -2) == D(2014, 12, 23)


def test_add_zero_working_days_returns_the_same_day() -> None:
    assert add_working_days(D(2014, 12, 25), 0) == D(2014, 12, 25)


def test_working_days_between_counts_the_end_not_the_start() -> None:
    assert working_days_between(D(2014, 4, 17), D(2014, 4, 22)) == 1
    assert working_days_between(D(2014, 4, 22), D(2014, 4, 17)) == -1


def test_add_working_days_accepts_stdlib_dates() -> None:
    import datetime as dt

    assert add_working_days(dt.date(2014, 5, 2), 1) == D(2014, 5, 6)


def test_bank_holiday_name_is_given() -> None:
    assert bank_holiday_name(D(2014, 8, 25)) == "Late Summer Bank Holiday"


def test_bank_holiday_table_matches_the_holidays_package() -> None:
    """The generated table is what the package computes (after an upgrade: make bank-holidays)."""
    from inspectorate.adapters.bank_holiday_source import TABLE, table_source

    assert TABLE.read_text(encoding="utf-8") == table_source(), "run `make bank-holidays`"


def test_years_beyond_the_table_ask_the_holidays_package() -> None:
    """A year before the table (1894) gets its bank holidays from the package itself."""
    from holidays.countries.united_kingdom import UnitedKingdom

    from inspectorate.domain.calendar import bank_holidays

    expected = set(UnitedKingdom(subdiv="ENG", years=1894))
    assert expected and bank_holidays(1894) == expected
    assert bank_holiday_name(D(1894, 12, 25)) == "Christmas Day"


def test_the_coronation_bank_holiday_is_in_the_table() -> None:
    """A one-off bank holiday the rules could not derive comes from the table."""
    assert bank_holiday_name(D(2023, 5, 8)) == "Coronation of Charles III"
