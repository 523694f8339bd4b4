"""Timers for server mode: which stages are booked, when, and under which key."""

from __future__ import annotations

import pendulum

from inspectorate.adapters import clock
from inspectorate.domain.lifecycle import Stage
from inspectorate.services import context, stages, timers
from inspectorate.services.demo import programme_share
from tests.factories import morning, schedule, status_of


def test_announcement_books_each_automatic_stage_at_six_on_its_day(sqlite_database: str) -> None:
    inspection_id = schedule(body="London", fieldwork_start="2014-03-10")
    booked = context.run(
        timers.stage_timers, inspection_id=inspection_id, now=morning("2013-12-30", 9)
    )
    assert [(t.stage, t.due_on.isoformat()) for t in booked] == [
        (Stage.ANNOUNCE, "2013-12-30"),
        (Stage.SEND_DRAFT, "2014-04-04"),
        (Stage.CLOSE_COMMENTS, "2014-04-22"),
        (Stage.PUBLISH, "2014-05-30"),
    ]
    assert booked[0].run_at == morning("2013-12-30", 9)  # today's, already past six: now
    assert booked[1].run_at == pendulum.datetime(2014, 4, 4, 6, tz=clock.LONDON)
    assert booked[1].key == f"{inspection_id}:send_draft:2014-04-04"


def test_a_done_or_cancelled_inspection_books_nothing_more(sqlite_database: str) -> None:
    inspection_id = schedule(body="London", fieldwork_start="2014-03-10")
    context.run(
        stages.apply_stage,
        inspection_id=inspection_id,
        stage=Stage.ANNOUNCE,
        actor="t",
        now=morning("2013-12-30"),
    )
    booked = [
        t.stage
        for t in context.run(
            timers.stage_timers, inspection_id=inspection_id, now=morning("2013-12-30")
        )
    ]
    assert Stage.ANNOUNCE not in booked
    context.run(
        stages.apply_stage,
        inspection_id=inspection_id,
        stage=Stage.CANCEL,
        actor="t",
        now=morning("2014-01-02"),
    )
    assert (
        context.run(timers.stage_timers, inspection_id=inspection_id, now=morning("2014-01-02"))
        == []
    )


def test_a_booked_stage_that_is_not_ready_leaves_the_inspection_alone(sqlite_database: str) -> None:
    inspection_id = schedule(body="London", fieldwork_start="2014-03-10")
    outcome = context.run(
        stages.apply_stage,
        inspection_id=inspection_id,
        stage=Stage.SEND_DRAFT,
        actor="timer",
        now=morning("2014-04-04"),
        if_ready=True,
    )
    assert not outcome.moved and outcome.to_status == "planned" == status_of(inspection_id)


def test_programme_shares_deal_out_whole_regions_and_cover_every_body() -> None:
    shares = [programme_share("cci", part, 2) for part in range(2)]
    assert shares[0] and shares[1]
    assert not {b.region for b in shares[0]} & {b.region for b in shares[1]}
    assert len(shares[0]) + len(shares[1]) == len(programme_share("cci", 0, 1))
