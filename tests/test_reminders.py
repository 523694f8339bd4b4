"""Which reminder an open milestone needs on a given day."""

from __future__ import annotations

from pathlib import Path

import pendulum
import pytest

from inspectorate.adapters.config_files import load_programmes
from inspectorate.domain.programmes import ProgrammeDefinition, Role
from inspectorate.domain.reminders import ESCALATION, next_reminder_day, reminder_due

D = pendulum.date
CONFIG = Path(__file__).resolve().parent.parent / "config" / "programmes"


@pytest.fixture(scope="module")
def iaow() -> ProgrammeDefinition:
    return load_programmes(CONFIG)["iaow"]


def due(iaow: ProgrammeDefinition, kind: str, due_on: pendulum.Date, as_of: pendulum.Date):  # type: ignore[no-untyped-def]
    return reminder_due(iaow.rule(kind), iaow.reminders, due_on, as_of)


@pytest.mark.parametrize(
    ("as_of", "kind", "remind_on"),
    [
        (D(2014, 2, 6), None, None),  # 11 working days before
        (D(2014, 2, 7), "lead_10", D(2014, 2, 7)),
        (D(2014, 2, 13), "lead_10", D(2014, 2, 7)),
        (D(2014, 2, 14), "lead_5", D(2014, 2, 14)),
        (D(2014, 2, 20), "lead_1", D(2014, 2, 20)),
        (D(2014, 2, 21), None, None),  # the due day itself
    ],
)
def test_lead_reminders_at_10_5_and_1_working_days(
    iaow: ProgrammeDefinition,
    as_of: pendulum.Date,
    kind: str | None,
    remind_on: pendulum.Date | None,
) -> None:
    owed = due(iaow, "scoring", D(2014, 2, 21), as_of)
    assert (owed.kind if owed else None) == kind
    assert (owed.remind_on if owed else None) == remind_on


def test_after_a_missed_week_only_the_latest_lead_reminder_is_owed(
    iaow: ProgrammeDefinition,
) -> None:
    owed = due(iaow, "scoring", D(2014, 2, 21), D(2014, 2, 20))
    assert owed is not None and owed.kind == "lead_1"


def test_lead_times_count_working_days_over_easter(iaow: ProgrammeDefinition) -> None:
    owed = due(iaow, "scoring", D(2014, 4, 22), D(2014, 4, 17))
    assert owed is not None and owed.kind == "lead_1"  # 18 and 21 April are holidays


def test_escalation_the_working_day_after_and_every_five_after_that(
    iaow: ProgrammeDefinition,
) -> None:
    first = due(iaow, "scoring", D(2014, 2, 21), D(2014, 2, 24))
    assert first is not None and first.kind == ESCALATION and first.remind_on == D(2014, 2, 24)
    assert Role.MANAGER in first.roles and Role.TEAM in first.roles
    same_slot = due(iaow, "scoring", D(2014, 2, 21), D(2014, 2, 28))
    assert same_slot is not None and same_slot.remind_on == D(2014, 2, 24)
    second = due(iaow, "scoring", D(2014, 2, 21), D(2014, 3, 3))
    assert second is not None and second.remind_on == D(2014, 3, 3)


def test_no_escalation_over_the_weekend_after_a_friday_deadline(iaow: ProgrammeDefinition) -> None:
    assert due(iaow, "scoring", D(2014, 2, 21), D(2014, 2, 23)) is None


def test_milestones_without_reminders_get_no_lead_reminder(iaow: ProgrammeDefinition) -> None:
    assert due(iaow, "announcement", D(2014, 2, 21), D(2014, 2, 20)) is None


def test_system_milestone_overdue_escalates_to_the_manager(iaow: ProgrammeDefinition) -> None:
    owed = due(iaow, "draft_to_body", D(2014, 3, 7), D(2014, 3, 10))
    assert owed is not None and owed.roles == (Role.TEAM, Role.MANAGER)


def test_body_owned_milestone_escalates_to_body_and_manager(iaow: ProgrammeDefinition) -> None:
    owed = due(iaow, "action_plan_due", D(2014, 7, 25), D(2014, 7, 28))
    assert owed is not None and owed.roles == (Role.BODY, Role.MANAGER)


def test_next_reminder_day_walks_the_whole_schedule(iaow: ProgrammeDefinition) -> None:
    rule, policy, due_on = iaow.rule("scoring"), iaow.reminders, D(2014, 2, 21)
    days, day = [], D(2014, 1, 1)
    while (found := next_reminder_day(rule, policy, due_on, day)) and found < D(2014, 3, 10):
        days.append(found)
        day = found
    assert days == [D(2014, 2, 7), D(2014, 2, 14), D(2014, 2, 20), D(2014, 2, 24), D(2014, 3, 3)]
