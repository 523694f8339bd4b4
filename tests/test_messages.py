"""Mails carry what they announce: documents, the dates that matter, each reader's wording."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import Session, select

from inspectorate.adapters.database import utc
from inspectorate.adapters.models import (
    Body,
    Inspection,
    Milestone,
    Programme,
    Reminder,
    ReportVersion,
)
from inspectorate.adapters.settings import get_settings
from inspectorate.domain.body_mail import FORWARD, told_from
from inspectorate.domain.documents import DocumentKind
from inspectorate.domain.lifecycle import Status, status_after
from inspectorate.domain.programmes import Role
from inspectorate.services import context, letters
from inspectorate.services.messages import Outgoing, Prepared, build_messages, weeks_and_days
from inspectorate.services.recipients import addresses_for
from tests.factories import morning, schedule

BODY_ONLY = (Role.BODY,)
INTERNAL = ("happens automatically", "Inspection programme office", "escalated", "Milestone:")


def told_by(session: Session, inspection: Inspection, milestone: str, kind: str) -> Status:
    """The status an inspection has reached when the body may hear of `milestone` (a notice:
    once its step has been taken too)."""
    row = session.get(Programme, inspection.programme_id)
    assert row is not None
    programme = context.programmes()[row.code]
    needed = told_from(programme, milestone) or Status.PLANNED
    stage = programme.rule(milestone).stage
    if kind == "notice" and stage is not None:
        needed = max(needed, status_after(stage), key=FORWARD.index)
    return max(Status(inspection.status), needed, key=FORWARD.index)


def remind(inspection_id: int, milestone: str, kind: str, roles: tuple[Role, ...], on: str) -> int:
    """Queue a reminder of `kind` about one milestone, to `roles`, for day `on`; its id.

    The inspection is put as far as the mail presupposes (the body is mailed only then).
    """
    with context.unit_of_work() as session:
        row = session.exec(
            select(Milestone).where(
                Milestone.inspection_id == inspection_id, Milestone.kind == milestone
            )
        ).one()
        inspection = session.get(Inspection, inspection_id)
        assert inspection is not None and row.id is not None
        body = session.get(Body, inspection.body_id)
        assert body is not None
        if Role.BODY in roles:  # as far as the sweep had come when it claimed a mail for the body
            inspection.status = told_by(session, inspection, milestone, kind).value
        reminder = Reminder(
            milestone_id=row.id,
            kind=kind,
            remind_on=morning(on).date(),
            milestone_due_on=row.due_on,
            recipients=", ".join(addresses_for(roles, body, get_settings())),
            created_at=utc(morning(on)),
        )
        session.add(reminder)
        session.flush()
        assert reminder.id is not None
        return reminder.id


def store(inspection_id: int, kind: DocumentKind, lang: str = "en", fmt: str = "pdf") -> bytes:
    """Keep a stand-in document of `kind` as the lifecycle would; return its bytes."""
    data = f"%PDF-1.4 {kind} {lang}".encode() if fmt == "pdf" else b"<html>letter</html>"
    folder = get_settings().reports_dir
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"inspection-{inspection_id}-{kind}-{lang}.{fmt}"
    path.write_bytes(data)
    with context.unit_of_work() as session:
        session.add(
            ReportVersion(
                inspection_id=inspection_id,
                kind=kind,
                lang=lang,
                format=fmt,
                sha256=f"{kind}{lang}{fmt}",
                path=str(path),
                created_at=utc(morning("2014-01-01")),
            )
        )
    return data


def prepare(reminder_id: int, day: str) -> Prepared:
    with context.reading() as session:
        return build_messages(
            session,
            reminder_id=reminder_id,
            now=morning(day),
            programmes=context.programmes(),
            settings=get_settings(),
        )


def due(inspection_id: int, milestone: str) -> dt.date:
    with context.reading() as session:
        return session.exec(
            select(Milestone.due_on).where(
                Milestone.inspection_id == inspection_id, Milestone.kind == milestone
            )
        ).one()


def written(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"  # "10 February 2014"


def one_for(mails: tuple[Outgoing, ...], audience: str) -> Outgoing:
    (mail,) = [m for m in mails if m.audience == audience]
    return mail


def test_the_draft_notice_carries_the_draft_and_the_comments_deadline(
    sqlite_database: str,
) -> None:
    inspection_id = schedule()
    reminder = remind(
        inspection_id, "draft_to_body", "notice", (Role.BODY, Role.TEAM), "2014-03-07"
    )
    assert "draft report is not written yet" in (prepare(reminder, "2014-03-07").waiting_for or "")
    draft = store(inspection_id, DocumentKind.DRAFT)
    prepared = prepare(reminder, "2014-03-07")
    assert prepared.waiting_for is None
    comments_due = written(due(inspection_id, "comments_due"))
    body, team = one_for(prepared.mails, "body"), one_for(prepared.mails, "staff")
    assert body.message.to == ("chief-officer@durham-tees-valley.trust.bodies.invalid",)
    assert f"comments due by {comments_due}" in body.message.subject
    assert f"Comments due by {comments_due}" in body.message.body
    assert "/documents/" in body.message.body and "/inspections/" in body.message.body
    ((attachment),) = body.message.attachments
    assert attachment.filename == "draft-report-durham-tees-valley-en.pdf"
    assert (attachment.content_type, attachment.data) == ("application/pdf", draft)
    assert team.message.to == ("inspection-team@inspectorate.invalid",)
    assert "Dear Chief Executive" not in team.message.body
    assert f"due by {comments_due}" in team.message.body
    assert team.message.attachments == body.message.attachments
    assert body.message.key != team.message.key  # two mails, each its own Message-ID


def test_the_announcement_waits_for_the_letter_in_both_languages_in_wales(
    sqlite_database: str,
) -> None:
    inspection_id = schedule(body="Wales")
    reminder = remind(inspection_id, "announcement", "notice", BODY_ONLY, "2013-12-02")
    assert "announcement letter (English)" in (prepare(reminder, "2013-12-02").waiting_for or "")
    store(inspection_id, DocumentKind.ANNOUNCEMENT, "en")
    assert "announcement letter (Welsh)" in (prepare(reminder, "2013-12-02").waiting_for or "")
    store(inspection_id, DocumentKind.ANNOUNCEMENT, "cy")
    (mail,) = prepare(reminder, "2013-12-02").mails
    names = [a.filename for a in mail.message.attachments]
    assert names == ["announcement-letter-wales-en.pdf", "announcement-letter-wales-cy.pdf"]
    assert mail.message.key.endswith(f"-r{reminder}")  # one reader: the key is unchanged


def test_the_announcement_gives_the_fieldwork_dates(sqlite_database: str) -> None:
    inspection_id = schedule()
    reminder = remind(inspection_id, "announcement", "notice", (Role.BODY, Role.TEAM), "2013-12-02")
    store(inspection_id, DocumentKind.ANNOUNCEMENT, "en", "html")
    prepared = prepare(reminder, "2013-12-02")
    for mail in prepared.mails:
        assert "Fieldwork:   10 February 2014 to 14 February 2014" in mail.message.body
    body = one_for(prepared.mails, "body").message
    assert body.attachments[0].content_type == "text/html"  # HTML when no PDF is written
    assert body.subject.startswith("Announcement of inspection")
    with context.reading() as session:  # the letter it carries greets the same person
        letter = letters.render_letter_html(session, inspection_id=inspection_id)
    assert body.body.startswith("Dear Chief Executive,") and "Dear Chief Executive," in letter
    assert "Alan MacDonald, Assistant Chief Inspector" in body.body and "Alan MacDonald" in letter


def test_the_publication_notice_carries_the_report_and_the_action_plan_date(
    sqlite_database: str,
) -> None:
    inspection_id = schedule()
    reminder = remind(
        inspection_id, "publication", "notice", (Role.BODY, Role.TEAM, Role.MANAGER), "2014-05-30"
    )
    store(inspection_id, DocumentKind.PUBLISHED)
    prepared = prepare(reminder, "2014-05-30")
    body, staff = one_for(prepared.mails, "body"), one_for(prepared.mails, "staff")
    assert len(staff.message.to) == 2  # the team and the manager read the same internal mail
    assert [a.filename for a in body.message.attachments] == ["report-durham-tees-valley-en.pdf"]
    assert written(due(inspection_id, "action_plan_due")) in body.message.body


@pytest.mark.parametrize(
    ("milestone", "kind"),
    [
        ("comments_due", "lead_5"),
        ("comments_due", "escalation"),
        ("fieldwork_start", "lead_10"),
        ("action_plan_due", "escalation"),
        ("comments_due", "notice"),
        ("evaluation_questionnaire", "notice"),
        ("comments_due", "something_new"),
    ],
)
def test_the_chief_officer_never_reads_internal_wording(
    sqlite_database: str, milestone: str, kind: str
) -> None:
    inspection_id = schedule()
    reminder = remind(inspection_id, milestone, kind, (Role.BODY, Role.TEAM), "2014-04-07")
    prepared = prepare(reminder, "2014-04-07")
    body = one_for(prepared.mails, "body").message
    assert body.to == ("chief-officer@durham-tees-valley.trust.bodies.invalid",)
    assert body.body.startswith("Dear Chief Executive,")  # a trust's head, as its letters say
    assert [phrase for phrase in INTERNAL if phrase in body.body] == []
    assert one_for(prepared.mails, "staff").message.to == ("inspection-team@inspectorate.invalid",)


def test_reminders_give_the_due_date_to_each_reader_in_their_words(
    sqlite_database: str,
) -> None:
    inspection_id = schedule()
    reminder = remind(inspection_id, "comments_due", "lead_5", (Role.BODY, Role.TEAM), "2014-04-07")
    prepared = prepare(reminder, "2014-04-07")
    comments_due = written(due(inspection_id, "comments_due"))
    body, team = one_for(prepared.mails, "body").message, one_for(prepared.mails, "staff").message
    assert f"comments on the factual accuracy of the draft report are due by {comments_due}" in (
        " ".join(body.body.split())
    )
    assert "this step happens automatically" in team.body.lower()
    assert comments_due in body.subject and comments_due in team.subject


@pytest.mark.parametrize(
    ("milestone", "signer", "name"),
    [
        ("draft_to_body", "the lead inspector", "draft"),
        ("publication", "the programme manager", "publication"),
    ],
)
def test_a_held_step_names_its_signer_and_the_command_to_sign_off(
    sqlite_database: str, milestone: str, signer: str, name: str
) -> None:
    inspection_id = schedule()
    roles = (Role.BODY, Role.TEAM, Role.MANAGER)
    reminder = remind(inspection_id, milestone, "held", roles, "2014-03-10")
    (mail,) = prepare(reminder, "2014-03-10").mails  # never to the body: internal business
    assert mail.audience == "staff" and not any("chief-officer" in a for a in mail.message.to)
    assert f"waits for {signer}'s sign-off of the {name}" in mail.message.subject
    assert f"inspectorate inspection sign-off {inspection_id} {name} --by NAME" in mail.message.body


def test_a_late_announcement_offers_rescheduling_or_a_recorded_reason(
    sqlite_database: str,
) -> None:
    inspection_id = schedule()  # announcement due 2 December 2013, fieldwork 10 February 2014
    reminder = remind(
        inspection_id, "announcement", "late_announcement", (Role.MANAGER,), "2013-12-02"
    )
    (mail,) = prepare(reminder, "2013-12-13").mails
    text = " ".join(mail.message.body.split())
    assert "would give 8 weeks and 3 days' notice instead of 10 weeks" in text
    assert (
        f"inspectorate inspection reschedule {inspection_id} --fieldwork-start YYYY-MM-DD" in text
    )
    assert f'inspectorate inspection advance {inspection_id} announce --why "..."' in text
    assert "on or after 21 February 2014" in text
    assert mail.message.to == ("programme-manager@inspectorate.invalid",)


def test_an_unknown_kind_is_rendered_plainly(sqlite_database: str) -> None:
    inspection_id = schedule()
    for kind in ("something_new", "../../etc/passwd"):
        reminder = remind(inspection_id, "scoring", kind, (Role.TEAM,), "2014-03-03")
        (mail,) = prepare(reminder, "2014-03-03").mails
        assert mail.message.subject.startswith("Scoring of the case assessments")


def test_weeks_and_days_reads_naturally() -> None:
    assert [weeks_and_days(d) for d in (70, 59, 1, 8, 0)] == [
        "10 weeks",
        "8 weeks and 3 days",
        "1 day",
        "1 week and 1 day",
        "no time",
    ]
