"""Signing off the draft or the publication, whichever way the product runs.

The sign-off is recorded in the record (audited). In server mode, when the stage's day has
come (the morning's sweep held it for this sign-off), its run starts at once on a worker;
otherwise the morning sweep takes the step on its due date (or at its next run, if the date
has passed), or a person takes it with `inspectorate inspection advance`.
"""

from __future__ import annotations

import datetime as dt

from inspectorate.adapters import clock
from inspectorate.adapters.settings import get_settings
from inspectorate.domain.sign_off import sign_off_rule
from inspectorate.services import context, sign_off, stages
from tasks.runtime import is_embedded
from tasks.timers import start_stage_run


def sign_off_and_resume(
    inspection_id: int, what: str, by: str, why: str = "", now: dt.datetime | None = None
) -> str:
    """Record `by`'s sign-off of the draft or publication; say what happens next."""
    rule = sign_off_rule(what)
    new = context.run(
        sign_off.sign_off,
        inspection_id=inspection_id,
        what=what,
        username=by,
        now=context.moment(now),
        why=why,
    )
    said = (
        f"Inspection {inspection_id}: the {rule.name} is signed off by {by}"
        if new
        else f"Inspection {inspection_id}: {by} had already signed off the {rule.name} as it is"
    )
    if get_settings().server_timers and not is_embedded():
        moment = context.moment(now)
        # A sign-off dated ahead (--as-of) never takes a step before its real day.
        if moment.date() <= clock.today() and context.run(
            stages.due_and_ready,
            inspection_id=inspection_id,
            stage=rule.stage,
            today=moment.date(),
        ):
            try:
                run = start_stage_run(inspection_id, rule.stage, by, moment)
            except Exception as error:  # the sign-off stands; the next sweep takes the step
                return f"{said}; its run could not be started ({error}): the sweep takes it."
            return f"{said}; its day has come: run {run} takes the step now."
    return f"{said}; the sweep takes the step when it is due."
