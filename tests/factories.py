"""Building test data in one place."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pendulum
from sqlmodel import Session, select

from inspectorate.adapters import clock
from inspectorate.adapters.models import Inspection, OwedEffect, ReportVersion
from inspectorate.domain.frameworks import Framework
from inspectorate.domain.lifecycle import Stage
from inspectorate.services import context, scheduling, stages


def schedule(
    body: str = "Durham Tees Valley",
    programme: str = "iaow",
    fieldwork_start: str = "2014-02-10",
    on: str = "2013-11-25",
) -> int:
    """Schedule an inspection as the programme manager on day `on`; return its id."""
    start = pendulum.parse(fieldwork_start).date()  # type: ignore[union-attr]
    day = pendulum.parse(on).date()  # type: ignore[union-attr]
    inspection_id, _ = context.run(
        scheduling.schedule,
        body_name=body,
        programme_code=programme,
        fieldwork_start=start,
        actor="programme-manager",
        now=clock.morning_of(day, 9),
    )
    return inspection_id


def morning(day: str, hour: int = 6) -> pendulum.DateTime:
    """Return `hour`:00 London time on `day` (YYYY-MM-DD)."""
    return clock.morning_of(pendulum.parse(day).date(), hour)  # type: ignore[union-attr]


def status_of(inspection_id: int) -> str:
    """Return the inspection's status as stored."""
    with Session(context.engine()) as session:
        inspection = session.get(Inspection, inspection_id)
        assert inspection is not None
        return inspection.status


def record_synthetic_sample(
    inspection_id: int,
    *,
    body: str,
    size: int,
    fieldwork: str,
    seed: int = 1,
    on: str = "2014-01-20",
) -> None:
    """Draw and record a sample from a synthetic caseload of `body`."""
    from inspectorate.domain import synthetic
    from inspectorate.services import evidence

    start = pendulum.parse(fieldwork).date()  # type: ignore[union-attr]
    caseload = synthetic.caseload(body, size, start, 1)
    with context.unit_of_work() as session:
        sample = evidence.draw_sample(
            session, inspection_id=inspection_id, caseload=caseload, seed=seed
        )
        evidence.record_sample(
            session, inspection_id=inspection_id, sample=sample, actor="team", now=morning(on)
        )


def finish_fieldwork(inspection_id: int, on: str) -> pd.DataFrame:
    """Record fieldwork as done at 17:00 on `on`; return the sampled cases."""
    from inspectorate.adapters.models import SampledCase

    context.run(
        stages.apply_stage,
        inspection_id=inspection_id,
        stage=Stage.RECORD_FIELDWORK,
        actor="team",
        now=morning(on, 17),
    )
    with Session(context.engine()) as session:
        return pd.DataFrame(
            [
                c.model_dump()
                for c in session.exec(
                    select(SampledCase).where(SampledCase.inspection_id == inspection_id)
                )
            ]
        )


def score_and_record(inspection_id: int, judgements: pd.DataFrame, now: dt.datetime) -> None:
    """Score judgements against the inspection's framework and record them as the team."""
    from inspectorate.services import evidence

    with context.unit_of_work() as session:
        scores = evidence.score_inspection(
            session, inspection_id=inspection_id, judgements=judgements
        )
        evidence.record_scores(
            session,
            inspection_id=inspection_id,
            judgements=judgements,
            scores=scores,
            actor="team",
            now=now,
        )


def framework_of(inspection_id: int) -> Framework:
    """Return the criteria framework the inspection is scored against."""
    from inspectorate.services import evidence

    with context.reading() as session:
        return evidence.framework_of(session, inspection_id=inspection_id)


def scored(body: str = "Wales", fieldwork_start: str = "2014-03-10") -> int:
    """An IAOW inspection of `body` (fieldwork 10 March 2014) taken as far as its scores.

    Another `fieldwork_start` moves every step by the same number of weeks (IAOW has one
    team: two inspections need two weeks).
    """
    from inspectorate.domain import synthetic

    weeks = (dt.date.fromisoformat(fieldwork_start) - dt.date(2014, 3, 10)).days // 7

    def day(text: str) -> str:
        return (dt.date.fromisoformat(text) + dt.timedelta(weeks=weeks)).isoformat()

    inspection_id = schedule(body=body, fieldwork_start=fieldwork_start)
    context.run(
        stages.apply_stage,
        inspection_id=inspection_id,
        stage=Stage.ANNOUNCE,
        actor="t",
        now=morning(day("2013-12-30")),
    )
    record_synthetic_sample(
        inspection_id, body=body, size=1500, fieldwork=fieldwork_start, on=day("2014-02-17")
    )
    cases = finish_fieldwork(inspection_id, day("2014-03-14"))
    judgements = synthetic.judgements(cases, framework_of(inspection_id), 0.7, 1)
    score_and_record(inspection_id, judgements, now=morning(day("2014-03-28")))
    return inspection_id


def take_step(inspection_id: int, stage: Stage, now: dt.datetime, why: str = "test") -> None:
    """Take `stage` of the inspection at `now`, as a person would (the same rules)."""
    context.run(
        stages.apply_stage, inspection_id=inspection_id, stage=stage, actor="t", why=why, now=now
    )


def signed_off(inspection_id: int, what: str = "draft", on: str | None = None) -> None:
    """Write the team's full text and have the named person sign off the draft or publication.

    The scripted lead inspector or programme manager of the simulation does it, exactly as a
    rehearsal does, so the test goes through the same rules as a person would.
    """
    from inspectorate.domain.simulation import PersonStep
    from inspectorate.services import people

    stage = Stage.SEND_DRAFT if what == "draft" else Stage.PUBLISH
    now = morning(on, 8) if on else clock.now()
    step = PersonStep(inspection_id, stage, now.date(), "test", 0)
    context.run(people.sign_off_as_scripted_person, step=step, why="test", now=now)


def announced_letters_owed(*bodies: str) -> list[int]:
    """Inspections announced a week apart (their letters owed, not written yet)."""
    ids = []
    for week, body in enumerate(bodies):
        start = pendulum.date(2014, 2, 10).add(weeks=week)
        ids.append(schedule(body=body, fieldwork_start=start.isoformat()))
        context.run(
            stages.apply_stage,
            inspection_id=ids[-1],
            stage=Stage.ANNOUNCE,
            actor="programme-manager",
            now=morning(start.subtract(weeks=10).isoformat(), 10),
        )
    return ids


def effects_owed() -> dict[int, OwedEffect]:
    """The effects still owed, by inspection."""
    with Session(context.engine()) as session:
        rows = session.exec(select(OwedEffect).where(OwedEffect.done_at == None)).all()  # noqa: E711
        return {row.inspection_id: row for row in rows}


def with_documents() -> set[int]:
    """The inspections that have a document written."""
    with Session(context.engine()) as session:
        return {v.inspection_id for v in session.exec(select(ReportVersion)).all()}
