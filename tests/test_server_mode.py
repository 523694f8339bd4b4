"""Server mode end to end: PostgreSQL, a Prefect server, two process workers, `make deploy`.

Everything is started through the project's own make targets on fresh databases and a free
loopback port, and stopped by process group afterwards, whatever happens in between.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pendulum
import pytest
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterTags
from prefect.client.schemas.objects import FlowRun
from prefect.deployments import run_deployment
from prefect.settings import PREFECT_API_URL, temporary_settings
from sqlmodel import Session, col, select

from deployments.local_server import LocalServer, local_server, wait_for
from inspectorate.adapters import clock
from inspectorate.adapters.database import get_engine
from inspectorate.adapters.models import AuditEvent, DraftComment, Inspection, Milestone, Reminder
from inspectorate.adapters.settings import get_settings
from inspectorate.domain import synthetic
from inspectorate.domain.calendar import as_date
from inspectorate.domain.date_rules import week_problems
from inspectorate.domain.milestones import earliest_fieldwork_start
from inspectorate.services import context, documents, scheduling, timers

ROOT = Path(__file__).resolve().parent.parent
Server = LocalServer


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalServer]:
    folder = tmp_path_factory.mktemp("server-mode")
    extra = {
        "INSPECTORATE_OUTBOX_DIR": str(folder / "outbox"),
        "INSPECTORATE_REPORTS_DIR": str(folder / "reports"),
        "INSPECTORATE_REPORT_FORMATS": "html",
        "INSPECTORATE_SWEEP_BATCH_SIZE": "1",  # a morning owing two letters fans out
    }
    with local_server(folder, workers=2, extra_env=extra) as running:
        yield running
    get_engine(running.record_url).dispose()


@pytest.fixture
def on_server(server: Server, monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    """Point this process at the server and the shared record."""
    monkeypatch.setenv("INSPECTORATE_DATABASE_URL", server.record_url)
    monkeypatch.setenv("INSPECTORATE_OUTBOX_DIR", server.env["INSPECTORATE_OUTBOX_DIR"])
    get_settings.cache_clear()
    with temporary_settings(updates={PREFECT_API_URL: server.api}):
        yield server
    get_settings.cache_clear()


def runs_tagged(*tags: str) -> list[FlowRun]:
    with get_client(sync_client=True) as client:
        return client.read_flow_runs(
            flow_run_filter=FlowRunFilter(tags=FlowRunFilterTags(all_=list(tags)))
        )


def run(deployment: str, **parameters: Any) -> FlowRun:
    """Run a deployment on the workers and wait for it to finish successfully."""
    flow_run = run_deployment(deployment, parameters=parameters, timeout=180, as_subflow=False)
    assert flow_run.state is not None and flow_run.state.is_completed(), (
        f"{deployment}: {flow_run.state}"
    )
    return flow_run


def due(inspection_id: int) -> dict[str, dt.date]:
    with Session(context.engine()) as session:
        rows = session.exec(select(Milestone).where(Milestone.inspection_id == inspection_id))
        return {m.kind: m.due_on for m in rows}


def at(day: dt.date, hour: int = 10) -> str:
    return pendulum.datetime(day.year, day.month, day.day, hour, tz=clock.LONDON).isoformat()


def status_of(inspection_id: int) -> str:
    with Session(context.engine()) as session:
        inspection = session.get(Inspection, inspection_id)
        assert inspection is not None
        return inspection.status


def inspectorate_cli(on_server: Server, *argv: str) -> subprocess.CompletedProcess[str]:
    """Run the command line as a person would, against the server and the shared record."""
    return subprocess.run(
        [str(ROOT / ".venv/bin/inspectorate"), *argv],
        env={
            **on_server.env,
            "PREFECT_API_URL": on_server.api,
            "INSPECTORATE_DATABASE_URL": on_server.record_url,
            "INSPECTORATE_SERVER_TIMERS": "true",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )


def write_team_text_and_assign(inspection_id: int, inspector: str, at_day: dt.date) -> None:
    """The team writes its text, and `inspector` (a new account) leads the inspection."""
    from inspectorate.adapters.casework import headline_scores
    from inspectorate.services import evidence, reports, users

    now = pendulum.parse(at(at_day, 15))
    with context.unit_of_work() as session:
        users.add_user(
            session,
            username=inspector,
            role="inspector",
            password="a long enough password",
            body=None,
            now=now,
        )
        users.assign(session, username=inspector, inspection_id=inspection_id, now=now)
        framework = evidence.framework_of(session, inspection_id=inspection_id)
        text = synthetic.team_text(
            [(h.id, h.name) for h in framework.headlines],
            headline_scores(session, inspection_id=inspection_id),
        )
        reports.keep_text(
            session,
            inspection_id=inspection_id,
            text=text,
            where="the team's text",
            now=now,
            actor=inspector,
        )


def test_deploying_again_changes_nothing(on_server: Server) -> None:
    def installed() -> tuple[int, list[str]]:
        with get_client(sync_client=True) as client:
            deployments = client.read_deployments()
            automations = [a.name for a in client.read_automations()]
        return len(deployments), automations

    before = installed()
    on_server.deploy()
    assert installed() == before
    assert sorted(before[1]) == ["crash-zombie-flow-runs", "plan-reinspection-on-low-scores"]
    assert before[0] == 20


def usable_monday(code: str, today: dt.date) -> pendulum.Date:
    """A Monday from two weeks past the earliest with full notice, whose week and the next
    break no date rule (no bank holiday, no Christmas), so it can be moved a week on."""
    programme = context.programmes()[code]
    start = earliest_fieldwork_start(programme, as_date(today)).add(weeks=2)
    while week_problems(programme, start, notice_from=today) or week_problems(
        programme, start.add(weeks=1), notice_from=today
    ):
        start = start.add(weeks=1)
    return start


def test_the_sweep_alone_drives_the_stages_and_old_bookings_are_retired(
    on_server: Server,
) -> None:
    # Youth offending teams still exist (trusts ended in May 2014): CCI, two teams a week.
    start = usable_monday("cci", pendulum.today().date())
    inspection_id, _ = context.run(
        scheduling.schedule,
        body_name="Merton",
        programme_code="cci",
        fieldwork_start=start,
        actor="test",
    )
    run("announce/default", inspection_id=inspection_id)
    tag = f"inspection:{inspection_id}"
    assert status_of(inspection_id) == "announced"
    assert runs_tagged(tag, "timer") == [], "announcing booked runs: the sweep takes the stages"

    # Runs booked ahead by the earlier version (as it booked them) would act on their own:
    # rescheduling cancels the inspection's, and deploying (`make deploy`) all of them.
    def book_as_before(key: str, day: dt.date) -> None:
        run_deployment(
            "send-draft/default",
            parameters={"inspection_id": inspection_id, "actor": "timer", "if_ready": True},
            scheduled_time=pendulum.parse(at(day, 6)),
            timeout=0,
            idempotency_key=f"{inspection_id}:send_draft:{key}",
            tags=[timers.timer_tag(inspection_id), "timer"],
            as_subflow=False,
        )

    dates = due(inspection_id)
    book_as_before("old", dates["draft_to_body"])
    run(
        "reschedule-inspection/default",
        inspection_id=inspection_id,
        fieldwork_start=start.add(weeks=1).isoformat(),
        why="the trust asked",
    )
    assert [r.state.type.value for r in runs_tagged(tag, "timer") if r.state] == ["CANCELLED"]
    book_as_before("older", due(inspection_id)["draft_to_body"])
    retire = [str(ROOT / ".venv/bin/python"), "deployments/retire_booked_runs.py"]
    env = {**on_server.env, "PREFECT_API_URL": on_server.api}
    retired = subprocess.run(retire, env=env, cwd=ROOT, capture_output=True, text=True)
    assert retired.returncode == 0 and retired.stdout.rstrip().endswith(": 1"), retired.stderr
    assert {r.state.type.value for r in runs_tagged(tag, "timer") if r.state} == {"CANCELLED"}

    # The morning sweep announces the next two when they fall due and books nothing either;
    # their letters go to the workers in batches (of one here), each written once.
    later = [
        context.run(
            scheduling.schedule,
            body_name=body,
            programme_code="cci",
            fieldwork_start=start,
            actor="test",
        )[0]
        for body in ("Hounslow", "Brent")
    ]
    announcement = due(later[0])["announcement"]
    run("deadline-sweep/on-demand", as_of=announcement.isoformat(), now=at(announcement, 6))
    assert [status_of(i) for i in later] == ["announced", "announced"]
    assert all(runs_tagged(f"inspection:{i}", "timer") == [] for i in later)
    batches = runs_tagged("sweep-batch")
    assert sorted(tuple(r.parameters["inspection_ids"]) for r in batches) == [
        (later[0],),
        (later[1],),
    ]
    assert all(r.state is not None and r.state.is_completed() for r in batches)
    with context.reading() as session:
        for inspection_id in later:
            kinds = [v.kind for v in documents.versions_of(session, inspection_id=inspection_id)]
            assert kinds == ["announcement"]


def test_fieldwork_to_draft_reinspection_by_automation_and_comments(on_server: Server) -> None:
    inspection_id, _ = context.run(
        scheduling.schedule,
        body_name="North Lincolnshire",
        programme_code="cci",
        fieldwork_start=pendulum.date(2014, 2, 17),
        actor="test",
        now=pendulum.datetime(2013, 11, 1, 9, tz=clock.LONDON),
    )
    dates = due(inspection_id)
    folder = on_server.folder
    run("announce/default", inspection_id=inspection_id, now=at(dates["announcement"]))
    caseload = folder / "caseload.csv"
    synthetic.caseload("North Lincolnshire", 400, dates["fieldwork_start"], 1).to_csv(
        caseload, index=False
    )
    run(
        "select-sample/default",
        inspection_id=inspection_id,
        caseload_path=str(caseload),
        now=at(dates["sample_selection"]),
    )
    run("record-fieldwork/default", inspection_id=inspection_id, now=at(dates["fieldwork_end"], 17))
    from inspectorate.adapters import casework
    from inspectorate.services import evidence

    with Session(context.engine()) as session:
        cases = casework.sample_of(session, inspection_id=inspection_id)
        framework = evidence.framework_of(session, inspection_id=inspection_id)
    judgements = folder / "judgements.csv"
    quality = synthetic.quality_of("North Lincolnshire")
    synthetic.judgements(cases, framework, quality, 1).to_csv(judgements, index=False)
    run(
        "score-fieldwork/default",
        inspection_id=inspection_id,
        judgements_path=str(judgements),
        now=at(dates["scoring"]),
    )

    def reinspection() -> list[Inspection]:
        with Session(context.engine()) as session:
            return list(
                session.exec(select(Inspection).where(Inspection.parent_id == inspection_id))
            )

    (planned,) = wait_for(reinspection, "the automation to plan the reinspection", 120)
    assert planned.kind == "reinspection"
    with Session(context.engine()) as session:
        actors = session.exec(
            select(AuditEvent.actor).where(AuditEvent.inspection_id == planned.id)
        ).all()
    assert "automation" in actors  # planned by the automation's run, not at publication

    # The morning sweep of the draft's day holds it: the lead inspector has not signed it
    # off. The sign-off, its day come, starts the send-draft run at once on a worker.
    write_team_text_and_assign(inspection_id, "lena.lead", at_day=dates["scoring"])
    draft_day = dates["draft_to_body"]
    run("deadline-sweep/on-demand", as_of=draft_day.isoformat(), now=at(draft_day, 6))
    assert status_of(inspection_id) == "scored"
    signing = inspectorate_cli(
        on_server,
        *("inspection", "sign-off", str(inspection_id), "draft", "--by", "lena.lead"),
        *("--as-of", draft_day.isoformat()),
    )
    assert signing.returncode == 0 and "takes the step now" in signing.stdout, (
        signing.stdout + signing.stderr
    )
    wait_for(
        lambda: status_of(inspection_id) == "draft_sent",
        "the sign-off's run to send the draft",
        120,
    )
    (started,) = runs_tagged(f"inspection:{inspection_id}", "sign-off")
    assert started.state is not None

    def kinds_written() -> list[str]:
        with context.reading() as session:
            return [v.kind for v in documents.versions_of(session, inspection_id=inspection_id)]

    # The stage commits first; its documents follow (owed in the same transaction).
    wait_for(lambda: len(kinds_written()) == 2, "the resumed run to write the draft", 120)
    assert kinds_written() == ["announcement", "draft"]
    waiting = wait_for(
        lambda: [
            r
            for r in runs_tagged(f"inspection:{inspection_id}", "comments")
            if r.state is not None and r.state.is_paused()
        ],
        "the run waiting for comments to suspend",
    )
    assert len(waiting) == 1
    comments_file = folder / "comments.txt"
    comments_file.write_text("Paragraph 2.3 should name the victim liaison officer.\n")
    cli = inspectorate_cli(on_server, "draft", "comments", str(inspection_id), str(comments_file))
    assert cli.returncode == 0 and "handed to waiting run" in cli.stdout, cli.stdout + cli.stderr

    def closed() -> bool:
        with Session(context.engine()) as session:
            inspection = session.get(Inspection, inspection_id)
            return inspection is not None and inspection.status == "comments_closed"

    wait_for(closed, "the resumed run to close the comment window", 120)
    with Session(context.engine()) as session:
        kept = session.exec(
            select(DraftComment).where(DraftComment.inspection_id == inspection_id)
        ).all()
    assert [c.text for c in kept] == ["Paragraph 2.3 should name the victim liaison officer."]

    # Both workers sweep the same morning at the same moment: each reminder goes once.
    morning = dates["publication"] - dt.timedelta(days=7)
    sweeps = [
        run_deployment(
            "deadline-sweep/on-demand",
            parameters={"as_of": morning.isoformat(), "now": at(morning, 6)},
            timeout=0,
            as_subflow=False,
        )
        for _ in range(2)
    ]
    with get_client(sync_client=True) as client:
        finished = wait_for(
            lambda: all(
                (s := client.read_flow_run(r.id).state) is not None and s.is_final() for r in sweeps
            ),
            "both sweeps",
            180,
        )
        assert finished
        assert all(client.read_flow_run(r.id).state.is_completed() for r in sweeps)  # type: ignore[union-attr]
    with Session(context.engine()) as session:
        reminders = session.exec(
            select(Reminder)
            .join(Milestone, col(Milestone.id) == Reminder.milestone_id)
            .where(Milestone.inspection_id == inspection_id, Milestone.kind == "publication")
        ).all()
        sent = session.exec(
            select(AuditEvent.entity_id).where(
                AuditEvent.inspection_id == inspection_id, AuditEvent.action == "sent"
            )
        ).all()
    assert reminders, "the publication's lead-time reminders were owed by that morning"
    assert all(r.sent_at is not None for r in reminders)
    assert sorted(sent).count(reminders[0].id) == 1 and len(sent) == len(set(sent))
