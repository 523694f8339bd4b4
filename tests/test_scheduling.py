"""Scheduling against the date rules: what is refused, and the same answer as rescheduling."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import Session, select

from inspectorate.adapters.models import AuditEvent, Body, Inspection
from inspectorate.domain.errors import InvalidInput, NoticeTooShort, Unschedulable
from inspectorate.services import context, scheduling
from tests.factories import morning, schedule

pytestmark = pytest.mark.usefixtures("sqlite_database")


def outcome(run: object) -> tuple[str, str]:
    """(error class, message) of calling `run`, or ("ok", new fieldwork start)."""
    try:
        result = run()  # type: ignore[operator]
    except (InvalidInput, NoticeTooShort, Unschedulable) as error:
        return type(error).__name__, str(error)
    return "ok", str(result)


@pytest.mark.parametrize(
    ("body", "fieldwork_start", "error", "says"),
    [
        (
            "Durham Tees Valley",
            "2014-02-17",
            InvalidInput,
            "Durham Tees Valley already has IAOW inspection 1 with fieldwork from 2014-02-10 in "
            "this cycle (2013/14–2014/15); a second in the same cycle must be a follow-up of it",
        ),
        (
            "London",
            "2014-02-10",
            Unschedulable,
            "the week of 2014-02-10 already has 1 inspection(s) in fieldwork (1) and the team "
            "capacity is 1",
        ),
        ("London", "2014-04-14", InvalidInput, "has a bank holiday (Good Friday, 2014-04-18)"),
        ("London", "2014-02-19", InvalidInput, "fieldwork must start on a Monday"),
        ("London", "2014-01-27", NoticeTooShort, "which is before today (2013-11-25)"),
        ("London", "2014-06-02", InvalidInput, "London (trust) exists from 2010-04-01 to 2014"),
    ],
    ids=[
        "the-same-body-twice-in-a-cycle",
        "beyond-team-capacity",
        "a-bank-holiday-week",
        "a-non-monday",
        "too-little-notice",
        "a-body-outside-its-validity",
    ],
)
def test_schedule_refuses(body: str, fieldwork_start: str, error: type, says: str) -> None:
    schedule()  # Durham Tees Valley, IAOW, fieldwork from 2014-02-10, on 2013-11-25
    with pytest.raises(error) as raised:
        schedule(body=body, fieldwork_start=fieldwork_start)
    assert says in str(raised.value)
    with Session(context.engine()) as session:
        assert len(session.exec(select(Inspection)).all()) == 1
        assert [e.action for e in session.exec(select(AuditEvent)).all()].count("schedule") == 1


def test_five_trusts_in_one_week_of_a_one_team_programme_are_refused() -> None:
    schedule(body="Durham Tees Valley", fieldwork_start="2014-03-03")
    refused = []
    for body in ("London", "Wales", "Cumbria", "Kent"):
        with pytest.raises(Unschedulable) as raised:
            schedule(body=body, fieldwork_start="2014-03-03")
        refused.append(str(raised.value))
    assert all("week of 2014-03-03 already has 1" in message for message in refused)


def test_scheduling_the_same_body_and_monday_again_returns_the_one_there() -> None:
    first = schedule()
    again, created = context.run(
        scheduling.schedule,
        body_name="durham tees valley",
        programme_code="iaow",
        fieldwork_start=dt.date(2014, 2, 10),
        actor="pm",
        now=morning("2014-01-06", 9),  # its announcement date has passed: no matter
    )
    assert (again, created) == (first, False)


def test_a_follow_up_may_be_scheduled_in_the_same_cycle() -> None:
    first = schedule()
    follow_up, created = context.run(
        scheduling.schedule,
        body_name="Durham Tees Valley",
        programme_code="iaow",
        fieldwork_start=dt.date(2014, 5, 19),
        actor="pm",
        now=morning("2013-11-25", 9),
        follow_up_of=first,
    )
    with Session(context.engine()) as session:
        row = session.get(Inspection, follow_up)
        assert row is not None and created
        assert (row.kind, row.parent_id) == ("follow_up", first)
    with pytest.raises(InvalidInput, match="not of London; a follow-up is of the same body"):
        context.run(
            scheduling.schedule,
            body_name="London",
            programme_code="iaow",
            fieldwork_start=dt.date(2014, 3, 3),
            actor="pm",
            now=morning("2013-11-25", 9),
            follow_up_of=first,
        )


def test_init_stores_when_each_body_existed() -> None:
    with Session(context.engine()) as session:
        bodies = {(b.kind, b.name): b for b in session.exec(select(Body)).all()}
    trust, area = bodies[("trust", "Durham Tees Valley")], bodies[("area", "Teesside")]
    assert (trust.valid_from, trust.valid_until) == (dt.date(2010, 4, 1), dt.date(2014, 5, 31))
    assert (area.valid_from, area.valid_until) == (dt.date(2001, 4, 1), dt.date(2010, 3, 31))
    assert bodies[("yot", "North Lincolnshire")].valid_until is None


# case: (the record before, the date asked for, the answer). Rescheduling moves an inspection
# of the body from a date that breaks no rule; each way runs in a transaction that is rolled
# back, so both see the same record.
CASES = {
    "a-good-monday": ([], "2014-02-17", "ok"),
    "a-non-monday": ([], "2014-02-19", "InvalidInput"),
    "too-little-notice": ([], "2014-01-27", "NoticeTooShort"),
    "a-bank-holiday-week": ([], "2014-05-05", "InvalidInput"),
    "beyond-team-capacity": ([("London", "2014-03-03")], "2014-03-03", "Unschedulable"),
    "outside-the-bodys-validity": ([], "2014-06-09", "InvalidInput"),
    "the-same-body-twice-in-a-cycle": (
        [("North Lincolnshire", "2011-02-14")],
        "2011-06-13",
        "InvalidInput",
    ),
}
# (programme, body, where the moved inspection starts, the day asked on)
IAOW = ("iaow", "Durham Tees Valley", "2014-05-12", "2013-11-25")
CCI = ("cci", "North Lincolnshire", "2013-02-18", "2010-11-01")  # parked in the next cycle


@pytest.mark.parametrize("case", sorted(CASES))
def test_schedule_and_reschedule_give_the_same_answer(case: str) -> None:
    record, asked, answer = CASES[case]
    code, body, parked, on = CCI if case == "the-same-body-twice-in-a-cycle" else IAOW
    for other, start in record:
        schedule(body=other, programme=code, fieldwork_start=start, on=on)
    day, now = dt.date.fromisoformat(asked), morning(on, 9)

    def scheduled(session: Session) -> dt.date:
        inspection_id, _ = scheduling.schedule(
            session, body_name=body, programme_code=code, fieldwork_start=day, actor="pm", now=now
        )
        row = session.get(Inspection, inspection_id)
        assert row is not None
        return row.fieldwork_start

    def rescheduled(session: Session) -> dt.date:
        moved, _ = scheduling.schedule(
            session,
            body_name=body,
            programme_code=code,
            fieldwork_start=dt.date.fromisoformat(parked),
            actor="pm",
            now=now,
        )
        return scheduling.reschedule(
            session, inspection_id=moved, fieldwork_start=day, why="", actor="pm", now=now
        )[1]

    answers = []
    for way in (scheduled, rescheduled):
        with Session(context.engine()) as session:
            answers.append(outcome(lambda: way(session)))  # noqa: B023
            session.rollback()
    assert answers[0] == answers[1]
    assert answers[0][0] == answer
