"""The e-mails for one reminder, escalation, hold or notice, rendered from their templates.

Each mail is addressed to one kind of reader: the body's head reads the body's wording,
addressed by the title its letters use ('Dear Chief Executive', config/inspectorate.toml),
the team and the manager the internal one (a reminder to both becomes two mails).
A notice carries the documents its stage wrote; while one is not written yet the notice
waits (`Prepared.waiting_for`) instead of going out without it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

import pendulum
from sqlmodel import Session

from inspectorate.adapters.config_files import load_inspectorate
from inspectorate.adapters.mail import Message
from inspectorate.adapters.models import Body, Inspection, Milestone, Reminder
from inspectorate.adapters.render import render_email, template_environment
from inspectorate.adapters.settings import Settings
from inspectorate.domain.body_mail import body_may_hear, waiting_to_tell
from inspectorate.domain.lifecycle import Stage, Status
from inspectorate.domain.programmes import MilestoneRule, ProgrammeDefinition, rule_for
from inspectorate.domain.reminders import ESCALATION, NOTICE
from inspectorate.domain.sign_off import HELD, LATE_ANNOUNCEMENT, SIGN_OFFS, sign_off_command
from inspectorate.services.mail_documents import MailDocument, public_link, stage_documents
from inspectorate.services.mail_rows import MailRows, load_mail_rows
from inspectorate.services.recipients import BODY, STAFF, by_audience, split_recipients

# The reminder kinds of holds: for the team and manager only.
INTERNAL_KINDS = frozenset({HELD, LATE_ANNOUNCEMENT})
_TEMPLATE_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class SignOffNote:
    """What a held step waits for, and the command that signs it off."""

    name: str
    signer: str
    command: str


@dataclass(frozen=True)
class NoticeNote:
    """Announcing on `today` would shorten the notice: what it would give and what is owed."""

    today: dt.date
    given_days: int  # how many days' notice announcing today gives (none when not positive)
    given: str  # e.g. "8 weeks and 3 days"
    owed: str  # e.g. "10 weeks"
    earliest_start: dt.date  # the first fieldwork start that keeps the full notice
    reschedule: str
    announce: str


@dataclass(frozen=True)
class MailContext:
    """What a reminder, escalation, hold or notice template may use."""

    body: Body
    programme: ProgrammeDefinition
    inspection: Inspection
    milestone: Milestone
    rule: MilestoneRule
    reminder: Reminder
    kind: str
    lead_days: int
    due_on: dt.date
    remind_on: dt.date
    audience: str = STAFF  # BODY (the body's head's wording) or STAFF (internal wording)
    addressee: str = ""  # the body's head as letters address them: 'Chief Executive'
    signatory: str = ""  # who signs the programme's letters: 'Alan MacDonald, ...'
    dates: Mapping[str, dt.date] = field(default_factory=dict)  # every milestone's due date
    documents: tuple[MailDocument, ...] = ()
    inspection_url: str = ""
    team_email: str = ""
    sign_off: SignOffNote | None = None
    notice: NoticeNote | None = None

    def as_template_context(self) -> dict[str, Any]:
        """The fields by name, as jinja2 takes them."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True)
class Outgoing:
    """One mail of a reminder and the kind of reader it is for."""

    audience: str
    message: Message


@dataclass(frozen=True)
class Prepared:
    """The mails of one reminder, or why they cannot go yet (a document not written)."""

    mails: tuple[Outgoing, ...] = ()
    waiting_for: str | None = None


def mail_context(
    *,
    body: Body,
    programme: ProgrammeDefinition,
    inspection: Inspection,
    milestone: Milestone,
    rule: MilestoneRule,
    reminder: Reminder,
    addressee: str,
    signatory: str,
    audience: str = STAFF,
    dates: Mapping[str, dt.date] | None = None,
    documents: tuple[MailDocument, ...] = (),
    inspection_url: str = "",
    team_email: str = "",
    today: dt.date | None = None,
) -> MailContext:
    """Work out a mail's context from the rows it is about (pure); `today` is the sending day."""
    lead = reminder.kind.removeprefix("lead_")
    return MailContext(
        body=body,
        programme=programme,
        inspection=inspection,
        milestone=milestone,
        rule=rule,
        reminder=reminder,
        kind=reminder.kind,
        lead_days=int(lead) if reminder.kind.startswith("lead_") and lead.isdigit() else 0,
        due_on=milestone.due_on,
        remind_on=reminder.remind_on,
        audience=audience,
        addressee=addressee,
        signatory=signatory,
        dates=dict(dates or {}),
        documents=documents,
        inspection_url=inspection_url,
        team_email=team_email,
        sign_off=sign_off_note(rule, inspection),
        notice=notice_note(rule, inspection, milestone, today or reminder.remind_on),
    )


def sign_off_note(rule: MilestoneRule, inspection: Inspection) -> SignOffNote | None:
    """Who signs off the rule's stage and how, or None for a stage nobody signs off."""
    if rule.stage is None or rule.stage not in SIGN_OFFS or inspection.id is None:
        return None
    signing = SIGN_OFFS[rule.stage]
    return SignOffNote(signing.name, signing.signer, sign_off_command(inspection.id, rule.stage))


def notice_note(
    rule: MilestoneRule, inspection: Inspection, milestone: Milestone, today: dt.date
) -> NoticeNote | None:
    """For the announcement: the notice announcing on `today` gives, and the notice owed."""
    if rule.stage is not Stage.ANNOUNCE:
        return None
    start = inspection.fieldwork_start
    owed = (start - milestone.due_on).days
    return NoticeNote(
        today=today,
        given_days=(start - today).days,
        given=weeks_and_days((start - today).days),
        owed=weeks_and_days(owed),
        earliest_start=today + dt.timedelta(days=owed),
        reschedule=(
            f"inspectorate inspection reschedule {inspection.id} --fieldwork-start YYYY-MM-DD"
        ),
        announce=f'inspectorate inspection advance {inspection.id} announce --why "..."',
    )


def weeks_and_days(days: int) -> str:
    """'10 weeks', '8 weeks and 3 days', '1 day', 'no time' (for negative or zero days)."""
    if days <= 0:
        return "no time"
    weeks, rest = divmod(days, 7)
    parts = [f"{weeks} week{'' if weeks == 1 else 's'}"] if weeks else []
    if rest:
        parts.append(f"{rest} day{'' if rest == 1 else 's'}")
    return " and ".join(parts)


def template_names(kind: str, milestone_kind: str) -> list[str]:
    """The templates a reminder kind is rendered from, most specific first."""
    if kind == NOTICE:
        return [f"email/notice_{milestone_kind}.txt.j2", "email/notice.txt.j2"]
    if kind == ESCALATION:
        return ["email/escalation.txt.j2"]
    if kind.startswith("lead_"):
        return ["email/reminder.txt.j2"]
    if _TEMPLATE_NAME.match(kind):  # held, late_announcement, and kinds yet to come
        return [f"email/{kind}.txt.j2", "email/other.txt.j2"]
    return ["email/other.txt.j2"]


def build_messages(
    session: Session,
    *,
    reminder_id: int,
    now: pendulum.DateTime,
    programmes: dict[str, ProgrammeDefinition],
    settings: Settings,
) -> Prepared:
    """Render the mails of one reminder, one per kind of reader, with their documents."""
    rows = load_mail_rows(session, [reminder_id])[reminder_id]
    return compose_messages(session, rows, now=now, programmes=programmes, settings=settings)


def compose_messages(
    session: Session,
    rows: MailRows,
    *,
    now: pendulum.DateTime,
    programmes: dict[str, ProgrammeDefinition],
    settings: Settings,
) -> Prepared:
    """Render the mails of the reminder of `rows` (the record is read for a notice's documents)."""
    reminder, milestone, inspection, body = (
        rows.reminder,
        rows.milestone,
        rows.inspection,
        rows.body,
    )
    rule = rule_for(programmes, rows.programme_code, milestone.kind)
    documents: tuple[MailDocument, ...] = ()
    if reminder.kind == NOTICE and rule.stage is not None:
        found = stage_documents(
            session, inspection=inspection, body=body, stage=rule.stage, settings=settings
        )
        if found.missing is not None:
            return Prepared(waiting_for=found.missing)
        documents = found.documents
    attachments = tuple(d.attachment() for d in documents)
    groups = by_audience(split_recipients(reminder.recipients), settings)
    if reminder.kind in INTERNAL_KINDS:  # a hold is the team's and manager's business only
        groups = [(audience, to) for audience, to in groups if audience == STAFF]
    programme = programmes[rows.programme_code]
    if any(a == BODY for a, _ in groups) and not body_may_hear(
        programme, milestone.kind, inspection.status
    ):
        # Claimed before the body was held back (or a step undone since): a notice waits for
        # the step it presupposes; any other reminder goes to the staff alone.
        if reminder.kind == NOTICE and inspection.status != Status.CANCELLED.value:
            return Prepared(waiting_for=waiting_to_tell(programme, milestone.kind))
        groups = [(audience, to) for audience, to in groups if audience != BODY]
    key = (
        f"{reminder.remind_on.isoformat()}-i{inspection.id}-{milestone.kind}-"
        f"{reminder.kind}-r{reminder.id}"
    )
    environment = template_environment(settings.templates_dir, settings.user_templates_dir)
    names = template_names(reminder.kind, milestone.kind)
    inspectorate = load_inspectorate(settings.config_dir)
    signer = programme.signatory or inspectorate.chief_inspector_on(milestone.due_on)
    mails = []
    for audience, to in groups:
        context = mail_context(
            body=body,
            programme=programme,
            inspection=inspection,
            milestone=milestone,
            rule=rule,
            reminder=reminder,
            addressee=inspectorate.addressee(body.kind).en,
            signatory=f"{signer.name}, {signer.title_in('en')}",
            audience=audience,
            dates=rows.dates,
            documents=documents,
            inspection_url=public_link(settings, f"/inspections/{inspection.id}"),
            team_email=settings.team_email,
            today=now.date(),
        )
        subject, text = render_email(environment, names, context.as_template_context())
        message = Message(
            key=key if len(groups) == 1 else f"{key}.{audience}",
            sender=settings.mail_from,
            to=to,
            subject=subject,
            body=text,
            date=now,
            attachments=attachments,
        )
        mails.append(Outgoing(audience, message))
    return Prepared(mails=tuple(mails))
