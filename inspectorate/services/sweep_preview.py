"""What a sweep would do on a day, worked out without writing anything (`sweep --dry-run`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlmodel import Session, select

from inspectorate.adapters.models import Reminder
from inspectorate.domain.lifecycle import status_before
from inspectorate.domain.programmes import rule_for
from inspectorate.domain.reminders import reminder_due
from inspectorate.services import context, owed_effects
from inspectorate.services.stages import held_because
from inspectorate.services.sweep import open_milestones


@dataclass
class SweepPreview:
    """What the sweep for `as_of` would do: stages, dated milestones, holds, mail."""

    as_of: dt.date
    stages: list[str] = field(default_factory=list)
    milestones: list[str] = field(default_factory=list)
    held: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    owed: list[str] = field(default_factory=list)
    reminders: list[str] = field(default_factory=list)


def preview(session: Session, *, as_of: dt.date) -> SweepPreview:
    """Work out what the sweep for `as_of` would do, reading only."""
    day = context.day(as_of)
    programmes = context.programmes()
    shown = SweepPreview(as_of=day)
    for milestone, inspection, code in open_milestones(session, due_by=day):
        rule = rule_for(programmes, code, milestone.kind)
        if not rule.automatic:
            continue
        label = f"inspection {inspection.id} {milestone.kind} (due {milestone.due_on})"
        if rule.stage is None:
            shown.milestones.append(label)
            continue
        if inspection.status != status_before(rule.stage).value:
            shown.blocked.append(f"{label}: inspection is {inspection.status}")
            continue
        assert inspection.id is not None
        reason = held_because(
            session,
            programme=programmes[code],
            inspection_id=inspection.id,
            stage=rule.stage,
            today=day,
        )
        if reason is not None:
            shown.held.append(f"{label}: {reason}")
        else:
            shown.stages.append(f"{label}: {rule.stage.value}")
    shown.owed = [
        f"inspection {o.inspection_id} {o.stage.value}: {o.effect.value}"
        for o in owed_effects.still_owed(session)
    ]
    for milestone, inspection, code in open_milestones(session, due_by=day.add(days=60)):
        rule = rule_for(programmes, code, milestone.kind)
        owed = reminder_due(rule, programmes[code].reminders, milestone.due_on, day)
        if owed is None:
            continue
        claimed = session.exec(
            select(Reminder.id).where(
                Reminder.milestone_id == milestone.id,
                Reminder.kind == owed.kind,
                Reminder.remind_on == owed.remind_on,
            )
        ).first()
        if claimed is None:
            roles = ", ".join(r.value for r in owed.roles)
            shown.reminders.append(
                f"inspection {inspection.id} {milestone.kind}: {owed.kind} to {roles}"
            )
    return shown
