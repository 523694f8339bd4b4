"""Simulated people: the team and the bodies taking their steps in a rehearsal.

Sampling and scoring use synthetic caseloads and judgements (inspectorate.synthetic), run
through the same evidence use cases as a real file would be. Each simulated step is a use
case of its own, so `people_act` runs each in a unit of work of its own.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from sqlalchemy import bindparam, tuple_
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import Select

from inspectorate.adapters.casework import headline_scores, sample_of
from inspectorate.adapters.models import Body, Inspection, Milestone, Programme, SignOff, User
from inspectorate.adapters.query_hints import likely
from inspectorate.adapters.rows import plain_rows, row_by_id
from inspectorate.domain import simulation, synthetic
from inspectorate.domain.access import AccountRole
from inspectorate.domain.lifecycle import FINAL_STATUSES, Stage, status_before
from inspectorate.domain.programmes import ProgrammeDefinition
from inspectorate.domain.sign_off import SIGN_OFFS
from inspectorate.domain.simulation import OpenStep, PersonStep, steps_for_day
from inspectorate.services import context, evidence, reports, sign_off, stages, sweep, users
from inspectorate.services.stages import StageOutcome

# Caseload sizes of synthetic bodies: areas (ESI) sample a one-month window of a larger
# caseload than trusts (IAOW) do from two months.
CASELOAD_BASE = {"area": 5000, "trust": 1600, "yot": 400}
SIGN_OFF_STEP = "sign_off:"  # a person step that signs off the stage of the milestone named after
SCRIPTED_SIGNERS = {
    AccountRole.INSPECTOR: "scripted-lead-inspector",
    AccountRole.MANAGER: "scripted-programme-manager",
}


def open_person_steps(session: Session) -> list[OpenStep]:
    """Return the steps people can take now: open milestones whose stage a person performs.

    Team- and body-owned milestones, plus the body's comments, which can close the comment
    window before it ends.
    """
    definitions = context.programmes()
    candidates = _step_candidates(definitions)
    if not candidates:
        return []
    # Asked every simulated day (twice): read from the inspections standing at a person's
    # step (the status index: the few in flight), not from every open milestone of the
    # record (most belong to inspections not yet announced); in due order. The queries are
    # built once for the configured programmes (building them cost more than running them).
    open_steps, signed_query = _person_step_queries(tuple(candidates))
    rows = plain_rows(session, open_steps, {})
    signed = {tuple(row) for row in plain_rows(session, signed_query, {})}
    steps: list[OpenStep] = []
    for inspection_id, kind, due_on, code in rows:
        rule = definitions[code].rule(kind)
        # The query kept only inspections standing at the status before the milestone's stage.
        assert rule.stage is not None
        if rule.stage in SIGN_OFFS and (inspection_id, rule.stage.value) not in signed:
            owner = "team" if SIGN_OFFS[rule.stage].role is AccountRole.INSPECTOR else "manager"
            steps.append(OpenStep(inspection_id, SIGN_OFF_STEP + kind, rule.stage, due_on, owner))
            continue
        if rule.automatic and rule.stage is not Stage.CLOSE_COMMENTS:
            continue
        steps.append(OpenStep(inspection_id, kind, rule.stage, due_on, rule.owner.value))
    return steps


def _step_candidates(definitions: dict[str, ProgrammeDefinition]) -> list[tuple[str, str, str]]:
    """(programme, milestone kind, status) of every open milestone that can be a person step."""
    return [
        (code, rule.kind, status_before(rule.stage).value)
        for code, definition in definitions.items()
        for rule in definition.milestones
        if rule.stage is not None
        and (rule.stage in SIGN_OFFS or not rule.automatic or rule.stage is Stage.CLOSE_COMMENTS)
    ]


@lru_cache(maxsize=8)
def _person_step_queries(
    candidates: tuple[tuple[str, str, str], ...],
) -> tuple[Select[int, str, dt.date, str], Select[int, str]]:
    """The open milestones that are person steps, and the sign-offs of their inspections."""
    in_flight = col(Inspection.status).in_(sorted({status for *_, status in candidates}))
    open_steps = (
        select(
            col(Milestone.inspection_id),
            col(Milestone.kind),
            col(Milestone.due_on),
            col(Programme.code),
        )
        .select_from(Inspection)
        .join(Programme, col(Programme.id) == Inspection.programme_id)
        .join(Milestone, col(Milestone.inspection_id) == Inspection.id)
        .where(in_flight, likely(col(Milestone.done_at).is_(None)))
        .where(
            tuple_(col(Programme.code), col(Milestone.kind), col(Inspection.status)).in_(candidates)
        )
        .order_by(col(Milestone.due_on), col(Milestone.id))
    )
    signed = (
        select(col(SignOff.inspection_id), col(SignOff.stage))
        .join(Inspection, col(Inspection.id) == SignOff.inspection_id)
        .where(in_flight)
    )
    return open_steps, signed


def people_act(*, day: dt.date, seed: int, now: dt.datetime | None = None) -> list[StageOutcome]:
    """Simulation only: take the steps the scripted team and bodies take on `day`."""
    with context.reading() as session:
        steps = steps_for_day(open_person_steps(session), day, seed)
    outcomes = []
    for step in steps:
        why = f"simulated: {step.late_by} working days late" if step.late_by else "simulated"
        if step.stage in SIGN_OFFS:
            context.run(sign_off_as_scripted_person, step=step, why=why, now=now)
            continue
        if step.stage in (Stage.SELECT_SAMPLE, Stage.SCORE):
            outcomes.append(context.run(casework, step=step, seed=seed, why=why, now=now))
            continue
        outcomes.append(
            context.run(
                stages.apply_stage,
                inspection_id=step.inspection_id,
                stage=step.stage,
                actor=step.actor,
                why=why,
                now=now,
            )
        )
    return outcomes


def sign_off_as_scripted_person(
    session: Session, *, step: PersonStep, why: str, now: dt.datetime | None
) -> bool:
    """Simulation only: the scripted lead inspector or manager signs off (text written first).

    Their accounts cannot sign in (no password); they exist so every sign-off in a rehearsal
    is by a named account, as a real one must be.
    """
    rule = SIGN_OFFS[step.stage]
    moment = context.moment(now)
    username = SCRIPTED_SIGNERS[rule.role]
    if not plain_rows(session, _USER_NAMED, {"username": username}):
        session.add(User(username=username, role=rule.role, password_hash="!", created_at=moment))
        session.flush()
    if rule.role is AccountRole.INSPECTOR:
        users.assign(session, username=username, inspection_id=step.inspection_id, now=moment)
    if sign_off.missing_text(session, inspection_id=step.inspection_id):
        framework = evidence.framework_of(session, inspection_id=step.inspection_id)
        text = synthetic.team_text(
            [(h.id, h.name) for h in framework.headlines],
            headline_scores(session, inspection_id=step.inspection_id),
        )
        reports.keep_text(
            session,
            inspection_id=step.inspection_id,
            text=text,
            where="the scripted team's text",
            now=moment,
            actor=username,
        )
    return sign_off.sign_off(
        session,
        inspection_id=step.inspection_id,
        what=rule.name,
        username=username,
        now=moment,
        why=why,
    )


_USER_NAMED = select(col(User.id)).where(col(User.username) == bindparam("username"))


def act_then_look_ahead(
    *, day: dt.date, seed: int, now: dt.datetime | None = None
) -> tuple[list[StageOutcome], dt.date | None]:
    """Simulation only: take the day's scripted steps, then find the next eventful day.

    What the steps' stages owe (their documents) changes no milestone, status or sign-off,
    so the next day is the same whether it is found before or after that is carried out.
    """
    outcomes = people_act(day=day, seed=seed, now=now)
    return outcomes, next_eventful_day(after=day, seed=seed)


def next_person_day(session: Session, *, after: dt.date, seed: int) -> dt.date | None:
    """Simulation only: the next day on which a scripted person acts."""
    return simulation.next_person_day(open_person_steps(session), after, seed)


def next_eventful_day(*, after: dt.date, seed: int) -> dt.date | None:
    """Simulation only: the next day with a milestone, reminder or person due; None when done."""
    with context.reading() as session:
        if all_inspections_final(session):
            return None
        person_day = next_person_day(session, after=after, seed=seed)
    days = [d for d in (sweep.next_day_with_work(after=after), person_day) if d]
    return min(days) if days else None


def all_inspections_final(session: Session) -> bool:
    """True when every inspection has closed (action plan received) or been cancelled."""
    return not plain_rows(session, _AN_OPEN_ONE, {})


# Built once: asked every simulated day.
_AN_OPEN_ONE = (
    select(col(Inspection.id))
    .where(col(Inspection.status).not_in([s.value for s in FINAL_STATUSES]))
    .limit(1)
)


def casework(
    session: Session, *, step: PersonStep, seed: int, why: str, now: dt.datetime | None
) -> StageOutcome:
    """Draw and record a synthetic sample, or score and record synthetic judgements."""
    inspection = row_by_id(session, Inspection, step.inspection_id)
    body = row_by_id(session, Body, inspection.body_id) if inspection else None
    assert inspection is not None and body is not None
    if step.stage is Stage.SELECT_SAMPLE:
        size = int(CASELOAD_BASE[body.kind] * (0.8 + synthetic.quality_of(body.name)))
        caseload = synthetic.caseload(body.name, size, inspection.fieldwork_start, seed)
        sample = evidence.draw_sample(
            session, inspection_id=step.inspection_id, caseload=caseload, seed=seed
        )
        return evidence.record_sample(
            session,
            inspection_id=step.inspection_id,
            sample=sample,
            actor=step.actor,
            why=why,
            now=now,
        )
    cases = sample_of(session, inspection_id=step.inspection_id)
    framework = evidence.framework_of(session, inspection_id=step.inspection_id)
    judgements = synthetic.judgements(cases, framework, synthetic.quality_of(body.name), seed)
    scores = evidence.score_inspection(
        session, inspection_id=step.inspection_id, judgements=judgements
    )
    return evidence.record_scores(
        session,
        inspection_id=step.inspection_id,
        judgements=judgements,
        scores=scores,
        actor=step.actor,
        now=now,
    )
