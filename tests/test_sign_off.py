"""Sign-off: the draft and the publication leave only once a named person has signed them off.

The rule is tested through the services, as the CLI, the dashboard and the sweep use them: the
lead inspector (an inspector on the inspection's team) signs off the draft, the programme
manager the publication, each on the team's complete text as it stands.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from sqlmodel import Session, select

from inspectorate.adapters.models import AuditEvent, ReportText, SampledCase, SignOff, User
from inspectorate.domain import synthetic
from inspectorate.domain.errors import InvalidInput, InvalidTransition
from inspectorate.domain.lifecycle import Stage
from inspectorate.services import context, reports, stages, users
from inspectorate.services import sign_off as signing
from inspectorate.services import sweep as sweeping
from inspectorate.services.stages import StageOutcome
from tests.factories import (
    framework_of,
    morning,
    score_and_record,
    scored,
    signed_off,
    status_of,
)
from tests.test_cli import run

LEAD = "lena.lead"  # an inspector, put on the inspection's team
OUTSIDER = "otto.outsider"  # an inspector on no team
MANAGER = "mark.manager"
PASSWORD = "correct horse battery"


def account(username: str, role: str, *, on_team: int | None = None) -> None:
    """Make sure the account exists (PostgreSQL keeps accounts across tests); on a team if asked."""
    with context.unit_of_work() as session:
        if session.exec(select(User).where(User.username == username)).first() is None:
            users.add_user(
                session,
                username=username,
                role=role,
                password=PASSWORD,
                body=None,
                now=morning("2014-01-02"),
            )
        if on_team is not None:
            users.assign(
                session, username=username, inspection_id=on_team, now=morning("2014-01-02")
            )


def outcome_ids(inspection_id: int) -> list[str]:
    return [h.id for h in framework_of(inspection_id).headlines]


def team_text(inspection_id: int, *, leave_out: str | None = None, strength: str = "") -> str:
    """The team's text for every headline outcome (but `leave_out`), as the team stores it."""
    outcomes = [(h.id, h.name) for h in framework_of(inspection_id).headlines if h.id != leave_out]
    text = synthetic.team_text(outcomes, {})
    return text.replace("Staff understood", strength, 1) if strength else text


def store_text(inspection_id: int, text: str, on: str) -> None:
    context.run(
        reports.keep_text,
        inspection_id=inspection_id,
        text=text,
        where="the test's text",
        now=morning(on, 8),
        actor="team",
    )


def sign(inspection_id: int, what: str, by: str, on: str) -> bool:
    return context.run(
        signing.sign_off, inspection_id=inspection_id, what=what, username=by, now=morning(on, 9)
    )


def take(inspection_id: int, stage: Stage, on: str) -> StageOutcome:
    return context.run(
        stages.apply_stage,
        inspection_id=inspection_id,
        stage=stage,
        actor="manager",
        now=morning(on),
    )


def test_the_draft_is_refused_without_a_sign_off_naming_the_missing_text(database: str) -> None:
    inspection_id = scored("Wales")
    ids = outcome_ids(inspection_id)
    with pytest.raises(InvalidTransition) as refused:
        take(inspection_id, Stage.SEND_DRAFT, "2014-04-04")
    message = str(refused.value)
    assert f"the report still lacks the team's text ({2 * len(ids) + 1} missing: " in message
    assert f"recommendations, outcomes.{ids[0]}.strengths, outcomes.{ids[0]}.improv" in message
    assert f"`inspectorate inspection sign-off {inspection_id} draft --by NAME`" in message
    assert status_of(inspection_id) == "scored"
    store_text(inspection_id, team_text(inspection_id), "2014-04-01")
    with pytest.raises(InvalidTransition, match="waiting for the lead inspector to sign off"):
        take(inspection_id, Stage.SEND_DRAFT, "2014-04-04")
    assert status_of(inspection_id) == "scored"


def test_sign_off_is_refused_while_the_teams_text_is_missing(database: str) -> None:
    inspection_id = scored("Wales")
    account(LEAD, "inspector", on_team=inspection_id)
    ids = outcome_ids(inspection_id)
    with pytest.raises(
        InvalidTransition, match=f"text for recommendations, outcomes.{ids[0]}.strengths"
    ):
        sign(inspection_id, "draft", LEAD, "2014-04-01")  # nothing written yet
    store_text(inspection_id, team_text(inspection_id, leave_out=ids[-1]), "2014-04-01")
    with pytest.raises(InvalidTransition) as refused:
        sign(inspection_id, "draft", LEAD, "2014-04-01")
    message = str(refused.value)
    assert f"lacks the team's text for outcomes.{ids[-1]}.strengths" in message
    assert f"outcomes.{ids[-1]}.improvements" in message and f"outcomes.{ids[0]}" not in message
    assert f"(`inspectorate report text {inspection_id} FILE`) before signing off" in message
    with context.reading() as session:
        assert signing.sign_offs_of(session, inspection_id=inspection_id) == []


def test_only_an_inspector_on_the_team_signs_off_the_draft(
    database: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    inspection_id = scored("Wales")
    store_text(inspection_id, team_text(inspection_id), "2014-04-01")
    account(OUTSIDER, "inspector")
    with pytest.raises(InvalidInput) as refused:
        sign(inspection_id, "draft", OUTSIDER, "2014-04-01")
    message = str(refused.value)
    assert refused.value.field == "by"
    assert f"{OUTSIDER} is not on the team of inspection {inspection_id}" in message
    assert f"(`inspectorate users assign {OUTSIDER} {inspection_id}`)" in message
    account(MANAGER, "manager")
    with pytest.raises(InvalidInput, match="is a manager: this sign-off needs an? inspector"):
        sign(inspection_id, "draft", MANAGER, "2014-04-01")
    argv = ["inspection", "sign-off", str(inspection_id), "draft", "--by", OUTSIDER]
    code, out, err = run([*argv, "--as-of", "2014-04-01"], capsys, monkeypatch)
    said = " ".join(err.split())  # the console wraps long lines
    assert code == 2 and out == ""
    assert f"inspectorate users assign {OUTSIDER} {inspection_id}" in said
    with context.reading() as session:
        assert signing.sign_offs_of(session, inspection_id=inspection_id) == []
    with pytest.raises(InvalidTransition, match="waiting for the lead inspector"):
        take(inspection_id, Stage.SEND_DRAFT, "2014-04-04")


def test_once_the_lead_inspector_has_signed_off_the_draft_can_be_sent(database: str) -> None:
    inspection_id = scored("Wales")
    account(LEAD, "inspector", on_team=inspection_id)
    store_text(inspection_id, team_text(inspection_id), "2014-04-01")
    assert sign(inspection_id, "draft", LEAD, "2014-04-01") is True
    assert sign(inspection_id, "draft", LEAD, "2014-04-02") is False  # the same text: once
    outcome = take(inspection_id, Stage.SEND_DRAFT, "2014-04-04")
    assert outcome.moved and (outcome.from_status, outcome.to_status) == ("scored", "draft_sent")
    assert status_of(inspection_id) == "draft_sent"
    with context.reading() as session:
        held = signing.held_because(session, inspection_id=inspection_id, stage=Stage.SEND_DRAFT)
        views = signing.sign_offs_of(session, inspection_id=inspection_id)
    assert held is None
    assert [(v.stage, v.signed_by, v.role, v.current) for v in views] == [
        ("draft", LEAD, "inspector", True)
    ]


def test_the_stage_is_due_and_ready_from_its_day_once_signed_off(database: str) -> None:
    inspection_id = scored("Wales")  # the draft's day is Friday 4 April 2014

    def ready(on: str, stage: Stage = Stage.SEND_DRAFT) -> bool:
        today = dt.date.fromisoformat(on)
        return context.run(
            stages.due_and_ready, inspection_id=inspection_id, stage=stage, today=today
        )

    assert not ready("2014-04-04"), "held: no text, no sign-off"
    account(LEAD, "inspector", on_team=inspection_id)
    store_text(inspection_id, team_text(inspection_id), "2014-04-01")
    sign(inspection_id, "draft", LEAD, "2014-04-01")
    assert not ready("2014-04-03"), "the day before its day"
    assert ready("2014-04-04") and ready("2014-04-22")
    assert not ready("2014-06-30", Stage.PUBLISH), "publication does not come next"
    take(inspection_id, Stage.SEND_DRAFT, "2014-04-04")
    assert not ready("2014-04-07"), "done already"


def test_changing_the_teams_text_after_sign_off_holds_the_draft_again(database: str) -> None:
    inspection_id = scored("Wales")
    signed_off(inspection_id, "draft", on="2014-04-01")
    changed = team_text(inspection_id, strength="After the sign-off, staff")
    store_text(inspection_id, changed, "2014-04-02")
    with pytest.raises(
        InvalidTransition, match="changed after the lead inspector signed off the draft"
    ):
        take(inspection_id, Stage.SEND_DRAFT, "2014-04-04")
    report = sweeping.advance(as_of=morning("2014-04-04").date(), now=morning("2014-04-04"))
    assert status_of(inspection_id) == "scored"
    assert report.staged == [] and len(report.held) == 1
    assert "changed after the lead inspector signed off the draft" in report.held[0]
    with context.reading() as session:
        assert [v.current for v in signing.sign_offs_of(session, inspection_id=inspection_id)] == [
            False
        ]
    signed_off(inspection_id, "draft", on="2014-04-07")  # signed off again, on the new text
    assert take(inspection_id, Stage.SEND_DRAFT, "2014-04-07").moved
    assert status_of(inspection_id) == "draft_sent"


def rescore(inspection_id: int, sufficient_rate: float, on: str) -> None:
    """Score the inspection's sampled cases again, as the team would upload new judgements."""
    with context.reading() as session:
        rows = session.exec(select(SampledCase).where(SampledCase.inspection_id == inspection_id))
        cases = pd.DataFrame([c.model_dump() for c in rows])
    judgements = synthetic.judgements(cases, framework_of(inspection_id), sufficient_rate, 1)
    score_and_record(inspection_id, judgements, now=morning(on))


def undone(inspection_id: int) -> tuple[Stage, str] | None:
    with context.reading() as session:
        return signing.sign_off_undone(session, inspection_id=inspection_id)


def test_scoring_again_after_sign_off_holds_the_draft_until_signed_again(database: str) -> None:
    inspection_id = scored("Wales")  # judgements sufficient at 0.7, seed 1
    signed_off(inspection_id, "draft", on="2014-04-01")
    rescore(inspection_id, 0.7, "2014-04-02")  # the same judgements again: the same scores
    assert undone(inspection_id) is None
    rescore(inspection_id, 0.2, "2014-04-02")
    assert undone(inspection_id) == (
        Stage.SEND_DRAFT,
        "the draft's sign-off no longer holds: the scores changed after the lead inspector "
        "signed it off, so the lead inspector signs off the draft again",
    )
    with pytest.raises(InvalidTransition, match="the scores changed after the lead inspector"):
        take(inspection_id, Stage.SEND_DRAFT, "2014-04-04")
    report = sweeping.advance(as_of=morning("2014-04-04").date(), now=morning("2014-04-04"))
    assert report.staged == [] and status_of(inspection_id) == "scored"
    assert "the scores changed after the lead inspector signed off the draft" in report.held[0]
    with context.reading() as session:
        assert [v.current for v in signing.sign_offs_of(session, inspection_id=inspection_id)] == [
            False
        ]
    signed_off(inspection_id, "draft", on="2014-04-07")  # on the scores as they now stand
    assert undone(inspection_id) is None
    assert take(inspection_id, Stage.SEND_DRAFT, "2014-04-07").moved


def test_a_sign_off_given_before_scores_were_signed_off_holds_on_the_text_alone(
    database: str,
) -> None:
    inspection_id = scored("Wales")
    signed_off(inspection_id, "draft", on="2014-04-01")
    with context.unit_of_work() as session:  # as the migration leaves an earlier sign-off
        for given in session.exec(select(SignOff).where(SignOff.inspection_id == inspection_id)):
            given.scores_sha256 = None
    rescore(inspection_id, 0.2, "2014-04-02")
    assert undone(inspection_id) is None
    assert take(inspection_id, Stage.SEND_DRAFT, "2014-04-04").moved


def test_the_command_line_says_at_once_when_new_text_undoes_a_sign_off(
    database: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    inspection_id = scored("Wales")
    signed_off(inspection_id, "draft", on="2014-04-01")
    text = tmp_path / "text.toml"
    with context.reading() as session:
        stored = session.exec(select(ReportText).where(ReportText.inspection_id == inspection_id))
        text.write_text(stored.one().text, encoding="utf-8")  # the text as signed off
    code, out, _err = run(["report", "text", str(inspection_id), str(text)], capsys, monkeypatch)
    assert code == 0 and "Note:" not in out
    text.write_text(team_text(inspection_id, strength="Later, staff"), encoding="utf-8")
    code, out, _err = run(["report", "text", str(inspection_id), str(text)], capsys, monkeypatch)
    said = " ".join(out.split())
    assert code == 0 and f"Inspection {inspection_id}: report text kept" in said
    assert (
        "Note: the draft's sign-off no longer holds: the team's text changed after the lead "
        "inspector signed it off, so the lead inspector signs off the draft again "
        f"(`inspectorate inspection sign-off {inspection_id} draft --by NAME`)."
    ) in said


def test_publication_needs_the_programme_managers_sign_off(database: str) -> None:
    inspection_id = scored("Wales")
    account(MANAGER, "manager")
    with pytest.raises(InvalidTransition, match="the publication is signed off when it is"):
        sign(inspection_id, "publication", MANAGER, "2014-04-01")  # the draft has not gone
    signed_off(inspection_id, "draft", on="2014-04-01")
    take(inspection_id, Stage.SEND_DRAFT, "2014-04-04")
    take(inspection_id, Stage.CLOSE_COMMENTS, "2014-04-22")
    with pytest.raises(
        InvalidTransition, match="waiting for the programme manager to sign off the publication"
    ):
        take(inspection_id, Stage.PUBLISH, "2014-05-30")  # the draft's sign-off does not count
    account(LEAD, "inspector", on_team=inspection_id)
    with pytest.raises(InvalidInput, match="is an? inspector: this sign-off needs a manager"):
        sign(inspection_id, "publication", LEAD, "2014-05-28")
    assert status_of(inspection_id) == "comments_closed"
    assert sign(inspection_id, "publication", MANAGER, "2014-05-28") is True
    outcome = take(inspection_id, Stage.PUBLISH, "2014-05-30")
    assert outcome.moved and outcome.to_status == "published" == status_of(inspection_id)


def test_each_sign_off_is_in_the_audit_trail_with_the_persons_name(database: str) -> None:
    inspection_id = scored("Wales")
    account(LEAD, "inspector", on_team=inspection_id)
    account(MANAGER, "manager")
    store_text(inspection_id, team_text(inspection_id), "2014-04-01")
    sign(inspection_id, "draft", LEAD, "2014-04-01")
    sign(inspection_id, "draft", LEAD, "2014-04-02")  # repeated: not recorded twice
    take(inspection_id, Stage.SEND_DRAFT, "2014-04-04")
    take(inspection_id, Stage.CLOSE_COMMENTS, "2014-04-22")
    sign(inspection_id, "publication", MANAGER, "2014-05-28")
    with Session(context.engine()) as session:
        events = session.exec(
            select(AuditEvent)
            .where(AuditEvent.inspection_id == inspection_id, AuditEvent.action == "signed_off")
            .order_by(AuditEvent.id)  # type: ignore[arg-type]
        ).all()
    assert [(e.actor, e.entity, e.entity_id, e.to_state) for e in events] == [
        (LEAD, "inspection", inspection_id, "draft"),
        (MANAGER, "inspection", inspection_id, "publication"),
    ]
    assert [e.at.date().isoformat() for e in events] == ["2014-04-01", "2014-05-28"]
    assert events[0].why == f"draft signed off by {LEAD} (the lead inspector)"
    assert events[1].why == f"publication signed off by {MANAGER} (the programme manager)"


def test_a_disabled_account_neither_signs_off_nor_joins_a_team(database: str) -> None:
    inspection_id = scored("Wales")
    store_text(inspection_id, team_text(inspection_id), "2014-04-01")
    account(LEAD, "inspector", on_team=inspection_id)
    with context.unit_of_work() as session:
        users.disable(session, username=LEAD, now=morning("2014-04-01"), actor="mark.manager")
    with pytest.raises(InvalidInput, match="account is disabled: a disabled account signs"):
        sign(inspection_id, "draft", LEAD, "2014-04-01")
    with pytest.raises(InvalidInput, match="account is disabled: enable it first"):
        context.run(
            users.assign, username=LEAD, inspection_id=inspection_id, now=morning("2014-04-01")
        )
    with context.unit_of_work() as session:
        users.enable(session, username=LEAD, now=morning("2014-04-02"), actor="mark.manager")
    assert sign(inspection_id, "draft", LEAD, "2014-04-02") is True


def test_in_server_mode_a_due_sign_off_starts_its_step_but_never_one_dated_ahead(
    database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flows import sign_off as flow_sign_off
    from inspectorate.adapters.settings import get_settings

    started: list[tuple[int, Stage]] = []

    def start(inspection_id: int, stage: Stage, by: str, now: object) -> str:
        started.append((inspection_id, stage))
        return "brave-otter"

    monkeypatch.setenv("INSPECTORATE_SERVER_TIMERS", "true")
    get_settings.cache_clear()
    monkeypatch.setattr(flow_sign_off, "is_embedded", lambda: False)
    monkeypatch.setattr(flow_sign_off, "start_stage_run", start)
    inspection_id = scored("Wales")  # the draft's day is Friday 4 April 2014
    account(LEAD, "inspector", on_team=inspection_id)
    store_text(inspection_id, team_text(inspection_id), "2014-04-01")
    try:
        ahead = flow_sign_off.sign_off_and_resume(
            inspection_id, "draft", LEAD, now=morning("2099-04-04", 9)
        )
        assert started == [] and ahead.endswith("the sweep takes the step when it is due.")
        said = flow_sign_off.sign_off_and_resume(
            inspection_id, "draft", LEAD, now=morning("2014-04-07", 9)
        )
        assert started == [(inspection_id, Stage.SEND_DRAFT)]
        assert said.endswith("its day has come: run brave-otter takes the step now.")

        def unreachable(*_: object) -> str:
            raise ConnectionError("the Prefect API is away")

        monkeypatch.setattr(flow_sign_off, "start_stage_run", unreachable)
        again = flow_sign_off.sign_off_and_resume(
            inspection_id, "draft", LEAD, now=morning("2014-04-08", 9)
        )
        assert "could not be started (the Prefect API is away): the sweep takes it." in again
    finally:
        get_settings.cache_clear()
