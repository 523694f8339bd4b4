"""What a sweep would do on a day, worked out without writing anything (`sweep --dry-run`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlmodel import Session

from inspectorate.domain.lifecycle import status_before
from inspectorate.domain.programmes import rule_for
from inspectorate.services import context, owed_effects
from inspectorate.services.due_work import open_milestones, unclaimed_reminders
from inspectorate.services.stages import held_because


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
    for unclaimed in unclaimed_reminders(session, as_of=day, programmes=programmes):
        roles = ", ".join(r.value for r in unclaimed.owed.roles)
        shown.reminders.append(
            f"inspection {unclaimed.inspection_id} {unclaimed.milestone_kind}: "
            f"{unclaimed.owed.kind} to {roles}"
        )
    return shown
