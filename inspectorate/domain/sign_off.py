"""Sign-off: nothing leaves the building on a timer alone (pure rules).

The draft goes to the body only once the lead inspector (an inspector on the inspection's
team) has signed it off; the report is published only once the programme manager has. A
sign-off is of the team's text as it stood: changing the text afterwards needs a new one.
Until then the milestone is *held*: the sweep does not act, and reminds the signer and the
manager every working day.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

from inspectorate.domain.access import AccountRole, InspectionFacts, Viewer
from inspectorate.domain.errors import InvalidInput
from inspectorate.domain.lifecycle import Stage, Status
from inspectorate.domain.programmes import Role

HELD = "held"  # the reminder kind sent each working day a milestone is held
LATE_ANNOUNCEMENT = "late_announcement"  # the manager is told notice would be shortened


@dataclass(frozen=True)
class SignOffRule:
    """Who signs off a stage, when it can be signed, and who is reminded while it waits."""

    stage: Stage
    name: str  # as typed on the command line: draft, publication
    signer: str  # as written in messages
    role: AccountRole
    remind: tuple[Role, ...]
    signable: frozenset[Status]


SIGN_OFFS: MappingProxyType[Stage, SignOffRule] = MappingProxyType(
    {
        Stage.SEND_DRAFT: SignOffRule(
            Stage.SEND_DRAFT,
            "draft",
            "the lead inspector",
            AccountRole.INSPECTOR,
            (Role.TEAM, Role.MANAGER),
            frozenset({Status.SCORED}),
        ),
        Stage.PUBLISH: SignOffRule(
            Stage.PUBLISH,
            "publication",
            "the programme manager",
            AccountRole.MANAGER,
            (Role.MANAGER,),
            frozenset({Status.DRAFT_SENT, Status.COMMENTS_CLOSED}),
        ),
    }
)


def sign_off_rule(name: str) -> SignOffRule:
    """The rule for 'draft' or 'publication' (as typed), or a clear refusal."""
    for rule in SIGN_OFFS.values():
        if rule.name == name.strip().lower():
            return rule
    known = " or ".join(r.name for r in SIGN_OFFS.values())
    raise InvalidInput(f"nothing called {name!r} is signed off: sign off the {known}")


def needs_sign_off(stage: Stage) -> bool:
    """Whether `stage` waits for a named person's sign-off."""
    return stage in SIGN_OFFS


def sign_off_command(inspection_id: int, stage: Stage) -> str:
    """The command that signs off `stage` of the inspection (for messages and holds)."""
    return f"inspectorate inspection sign-off {inspection_id} {SIGN_OFFS[stage].name} --by NAME"


def hold_reason(
    stage: Stage, *, signed: bool, changed: str | None, missing_text: list[str]
) -> str | None:
    """Why `stage` may not be taken yet, or None when it is signed off on what it carries.

    `changed` names what changed since every sign-off of it ("the team's text", "the
    scores"), or is None when one still holds.
    """
    rule = SIGN_OFFS.get(stage)
    if rule is None or (signed and changed is None and not missing_text):
        return None
    if missing_text:
        shown = ", ".join(missing_text[:3]) + (" …" if len(missing_text) > 3 else "")
        return (
            f"the report still lacks the team's text ({len(missing_text)} missing: {shown}); "
            f"store it, then {rule.signer} signs off the {rule.name}"
        )
    if signed and changed is not None:
        return (
            f"{changed} changed after {rule.signer} signed off the {rule.name}; "
            "it needs signing off again"
        )
    return f"waiting for {rule.signer} to sign off the {rule.name}"


def may_sign_off(viewer: Viewer, inspection: InspectionFacts, stage: Stage) -> bool:
    """Whether the viewer is the person who signs off `stage` (the status is checked later).

    The draft: an inspector on the inspection's team; the publication: a manager. Whether the
    inspection is at the point of that sign-off is the sign-off's own check, with its reason.
    """
    rule = SIGN_OFFS.get(stage)
    if rule is None or viewer.role != rule.role:
        return False
    return rule.role != AccountRole.INSPECTOR or inspection.id in viewer.assigned


def sign_offs_to_offer(
    viewer: Viewer, inspection: InspectionFacts, *, signed: frozenset[Stage], text_complete: bool
) -> list[SignOffRule]:
    """The sign-offs the viewer can give now: theirs, due at this status, not yet on this text."""
    if not text_complete:
        return []
    return [
        rule
        for stage, rule in SIGN_OFFS.items()
        if stage not in signed
        and inspection.status in rule.signable
        and may_sign_off(viewer, inspection, stage)
    ]
