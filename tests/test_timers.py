"""Runs about one inspection in server mode: found by tag; a stage run that is not ready."""

from __future__ import annotations

from inspectorate.domain.lifecycle import Stage
from inspectorate.services import context, stages, timers
from inspectorate.services.demo import programme_share
from tests.factories import morning, schedule, status_of


def test_a_stage_run_that_is_not_ready_leaves_the_inspection_alone(sqlite_database: str) -> None:
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


def test_every_run_about_an_inspection_carries_its_tag() -> None:
    assert timers.timer_tag(42) == "inspection:42"


def test_programme_shares_deal_out_whole_regions_and_cover_every_body() -> None:
    shares = [programme_share("cci", part, 2) for part in range(2)]
    assert shares[0] and shares[1]
    assert not {b.region for b in shares[0]} & {b.region for b in shares[1]}
    assert len(shares[0]) + len(shares[1]) == len(programme_share("cci", 0, 1))
