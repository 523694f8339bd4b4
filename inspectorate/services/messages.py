"""The e-mail for a reminder, escalation or notice, rendered from its template."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from typing import Any

import pendulum
from sqlmodel import Session

from inspectorate.adapters.models import Body, Inspection, Milestone, Programme, Reminder
from inspectorate.adapters.notify import Message
from inspectorate.adapters.render import render_email, template_environment
from inspectorate.adapters.settings import Settings
from inspectorate.domain.programmes import MilestoneRule, ProgrammeDefinition, rule_for
from inspectorate.domain.reminders import ESCALATION, NOTICE


@dataclass(frozen=True)
class MailContext:
    """What a reminder, escalation or notice template may use."""

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

    def as_template_context(self) -> dict[str, Any]:
        """The fields by name, as jinja2 takes them."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


def mail_context(
    *,
    body: Body,
    programme: ProgrammeDefinition,
    inspection: Inspection,
    milestone: Milestone,
    rule: MilestoneRule,
    reminder: Reminder,
) -> MailContext:
    """Work out a mail's context from the rows it is about (pure)."""
    lead = int(reminder.kind.split("_")[1]) if reminder.kind.startswith("lead_") else 0
    return MailContext(
        body=body,
        programme=programme,
        inspection=inspection,
        milestone=milestone,
        rule=rule,
        reminder=reminder,
        kind=reminder.kind,
        lead_days=lead,
        due_on=milestone.due_on,
        remind_on=reminder.remind_on,
    )


def build_message(
    session: Session,
    *,
    reminder_id: int,
    now: pendulum.DateTime,
    programmes: dict[str, ProgrammeDefinition],
    settings: Settings,
) -> Message:
    """Render the e-mail for one reminder from its template."""
    reminder = session.get(Reminder, reminder_id)
    assert reminder is not None
    milestone = session.get(Milestone, reminder.milestone_id)
    assert milestone is not None
    inspection = session.get(Inspection, milestone.inspection_id)
    assert inspection is not None
    body = session.get(Body, inspection.body_id)
    programme_row = session.get(Programme, inspection.programme_id)
    assert body is not None and programme_row is not None
    programme = programmes[programme_row.code]
    rule = rule_for(programmes, programme_row.code, milestone.kind)
    context = mail_context(
        body=body,
        programme=programme,
        inspection=inspection,
        milestone=milestone,
        rule=rule,
        reminder=reminder,
    ).as_template_context()
    if reminder.kind == NOTICE:
        names = [f"email/notice_{milestone.kind}.txt.j2", "email/notice.txt.j2"]
    elif reminder.kind == ESCALATION:
        names = ["email/escalation.txt.j2"]
    else:
        names = ["email/reminder.txt.j2"]
    environment = template_environment(settings.templates_dir, settings.user_templates_dir)
    subject, text = render_email(environment, names, context)
    key = (
        f"{reminder.remind_on.isoformat()}-i{inspection.id}-{milestone.kind}-"
        f"{reminder.kind}-r{reminder.id}"
    )
    return Message(
        key=key,
        sender=settings.mail_from,
        to=tuple(reminder.recipients.split(", ")),
        subject=subject,
        body=text,
        date=now,
    )
