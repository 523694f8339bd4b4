"""Planning an inspection's milestones from its first fieldwork Monday."""

from __future__ import annotations

from pathlib import Path

import pendulum
import pytest

from inspectorate.adapters import clock
from inspectorate.adapters.config_files import load_programmes
from inspectorate.domain.errors import InvalidInput
from inspectorate.domain.milestones import parse_date, plan_milestones
from inspectorate.domain.programmes import ProgrammeDefinition

CONFIG = Path(__file__).resolve().parent.parent / "config" / "programmes"
D = pendulum.date


@pytest.fixture(scope="module")
def programmes() -> dict[str, ProgrammeDefinition]:
    return load_programmes(CONFIG)


def dates(programme: ProgrammeDefinition, start: pendulum.Date) -> dict[str, pendulum.Date]:
    return {m.kind: m.due for m in plan_milestones(programme, start)}


def test_iaow_timeline_for_durham_tees_valley(programmes: dict[str, ProgrammeDefinition]) -> None:
    plan = dates(programmes["iaow"], D(2014, 2, 10))
    assert plan["announcement"] == D(2013, 12, 2)  # ten weeks before
    assert plan["fieldwork_start"] == D(2014, 2, 10)
    assert plan["fieldwork_end"] == D(2014, 2, 14)
    assert plan["draft_to_body"] == D(2014, 3, 7)  # three weeks after the last fieldwork day
    assert plan["publication"] == D(2014, 5, 2)  # eight weeks after the draft
    assert plan["action_plan_due"] == D(2014, 7, 25)  # twelve weeks after publication


def test_milestones_come_in_date_order(programmes: dict[str, ProgrammeDefinition]) -> None:
    planned = plan_milestones(programmes["esi"], D(2014, 2, 10))
    assert [m.due for m in planned] == sorted(m.due for m in planned)


def test_announcement_rolls_backward_off_easter_monday(
    programmes: dict[str, ProgrammeDefinition],
) -> None:
    # 2014-06-30 minus ten weeks is Easter Monday 2014-04-21: announce on Maundy Thursday.
    plan = dates(programmes["iaow"], D(2014, 6, 30))
    assert plan["announcement"] == D(2014, 4, 17)


def test_announcement_rolls_backward_over_christmas(
    programmes: dict[str, ProgrammeDefinition],
) -> None:
    # 2016-03-06 is a Sunday, so start 2016-03-07: minus ten weeks is Monday 2015-12-28,
    # the substitute Boxing Day holiday; backward skips Christmas Day to Thursday 24th.
    plan = dates(programmes["iaow"], D(2016, 3, 7))
    assert plan["announcement"] == D(2015, 12, 24)


def test_fieldwork_ending_on_good_friday_ends_on_maundy_thursday(
    programmes: dict[str, ProgrammeDefinition],
) -> None:
    plan = dates(programmes["iaow"], D(2014, 4, 14))
    assert plan["fieldwork_end"] == D(2014, 4, 17)
    assert plan["draft_to_body"] == D(2014, 5, 8)


def test_sample_selection_on_the_late_may_bank_holiday_rolls_forward(
    programmes: dict[str, ProgrammeDefinition],
) -> None:
    # Fieldwork from 16 June 2014: three weeks before is 26 May, the spring bank holiday.
    plan = dates(programmes["iaow"], D(2014, 6, 16))
    assert plan["sample_selection"] == D(2014, 5, 27)


def test_sample_selection_on_the_august_bank_holiday_rolls_forward(
    programmes: dict[str, ProgrammeDefinition],
) -> None:
    plan = dates(programmes["iaow"], D(2014, 9, 15))
    assert plan["sample_selection"] == D(2014, 8, 26)


def test_esi_second_week_on_the_august_bank_holiday_starts_on_tuesday(
    programmes: dict[str, ProgrammeDefinition],
) -> None:
    plan = dates(programmes["esi"], D(2014, 7, 28))
    assert plan["fieldwork_week2_start"] == D(2014, 8, 26)
    assert plan["fieldwork_end"] == D(2014, 8, 29)


def test_comment_window_closing_on_good_friday_rolls_past_easter_monday(
    programmes: dict[str, ProgrammeDefinition],
) -> None:
    # ESI from 10 February 2014: draft Friday 4 April, comments due 18 April (Good Friday).
    plan = dates(programmes["esi"], D(2014, 2, 10))
    assert plan["draft_to_body"] == D(2014, 4, 4)
    assert plan["comments_due"] == D(2014, 4, 22)


def test_draft_due_on_christmas_day_rolls_forward_past_boxing_day(
    programmes: dict[str, ProgrammeDefinition],
) -> None:
    # Fieldwork 1-5 December 2014 would put the draft on Friday 26 December (Boxing Day).
    plan = dates(programmes["iaow"], D(2014, 12, 1))
    assert plan["draft_to_body"] == D(2014, 12, 29)
    assert plan["publication"] == D(2015, 2, 23)


def test_fieldwork_starting_on_a_bank_holiday_monday_begins_on_tuesday(
    programmes: dict[str, ProgrammeDefinition],
) -> None:
    plan = dates(programmes["iaow"], D(2014, 5, 5))
    assert plan["fieldwork_start"] == D(2014, 5, 6)
    assert plan["announcement"] == D(2014, 2, 24)  # still ten weeks before the Monday
    assert plan["fieldwork_end"] == D(2014, 5, 9)


def test_esi_second_week_is_four_weeks_after_the_first(
    programmes: dict[str, ProgrammeDefinition],
) -> None:
    plan = dates(programmes["esi"], D(2004, 4, 5))
    assert plan["fieldwork_week2_start"] == D(2004, 5, 4)  # 3 May 2004 is a bank holiday
    assert plan["fieldwork_end"] == D(2004, 5, 7)
    assert plan["draft_to_body"] == D(2004, 5, 28)


def test_ten_weeks_notice_is_seventy_days_across_the_clock_change(
    programmes: dict[str, ProgrammeDefinition],
) -> None:
    # Announcement in GMT (February), fieldwork in BST (after 30 March 2014).
    plan = dates(programmes["iaow"], D(2014, 5, 12))
    assert plan["announcement"] == D(2014, 3, 3)
    assert (plan["fieldwork_start"] - plan["announcement"]).in_days() == 70
    announced = clock.morning_of(plan["announcement"], 9)
    fieldwork = clock.morning_of(plan["fieldwork_start"], 9)
    assert announced.utcoffset() != fieldwork.utcoffset()  # GMT vs BST
    assert (announced.hour, fieldwork.hour) == (9, 9)


def test_today_in_london_after_midnight_bst_is_not_utc_yesterday() -> None:
    # 00:30 BST on 1 June 2014 is 23:30 UTC on 31 May.
    moment = pendulum.datetime(2014, 5, 31, 23, 30, tz="UTC")
    with clock.use_clock(clock.VirtualClock(moment)):
        assert clock.today() == D(2014, 6, 1)


def test_fieldwork_must_start_on_a_monday(programmes: dict[str, ProgrammeDefinition]) -> None:
    with pytest.raises(InvalidInput, match="Tuesday"):
        plan_milestones(programmes["iaow"], D(2014, 2, 11))


@pytest.mark.parametrize("text", ["2014-02-30", "10/02/2014", "2014-02", "tomorrow", ""])
def test_parse_date_rejects_malformed_dates(text: str) -> None:
    with pytest.raises(InvalidInput, match="YYYY-MM-DD"):
        parse_date(text)


def test_parse_date_accepts_iso_dates() -> None:
    assert parse_date("2014-02-10") == D(2014, 2, 10)


@pytest.mark.parametrize("text", ["9999-12-31", "0001-01-01", "1899-12-31", "2200-01-01"])
def test_parse_date_refuses_days_beyond_the_years_anyone_plans_for(text: str) -> None:
    with pytest.raises(InvalidInput, match=r"outside the years .* \(1900-01-01 to 2199-12-31\)"):
        parse_date(text, what="as_of")


def test_parse_date_takes_only_ascii_digits() -> None:
    assert parse_date("2199-12-31") == D(2199, 12, 31)
    with pytest.raises(InvalidInput, match="YYYY-MM-DD"):
        parse_date("٢٠١٤-٠٢-١٠")
