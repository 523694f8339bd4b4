"""Who may see and do what in the dashboard (pure rules, tested as a matrix).

manager   everything;
inspector the inspections they are assigned to, and what is published;
body      its own inspections: letters once announced, its draft once sent, the comment
          form while the comment window is open, and what is published;
public    (signed in or not) published reports and published scores only.
Drafts and scores stay embargoed until publication.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from inspectorate.domain.documents import DocumentKind
from inspectorate.domain.lifecycle import PUBLISHED_STATUSES, Status

DRAFT_OUT = frozenset({Status.DRAFT_SENT, Status.COMMENTS_CLOSED}) | PUBLISHED_STATUSES
# Announced and not called off: the facts cannot say whether a cancelled inspection was
# announced first, so its letters stay with the staff (the embargo errs on the closed side).
ANNOUNCED_OUT = frozenset(Status) - {Status.PLANNED, Status.CANCELLED}
# Which of its own documents a body may read, by the inspection's status: a document can be
# rendered before its stage (`report draft` on a scored inspection), and that must not open it.
BODY_SEES: dict[str, frozenset[Status]] = {
    DocumentKind.ANNOUNCEMENT: ANNOUNCED_OUT,
    DocumentKind.DRAFT: DRAFT_OUT,
    DocumentKind.FOLLOW_UP_DRAFT: DRAFT_OUT,
    DocumentKind.PUBLISHED: PUBLISHED_STATUSES,
    DocumentKind.FOLLOW_UP: PUBLISHED_STATUSES,
}


class AccountRole(StrEnum):
    """What a dashboard account may do (the table above)."""

    MANAGER = "manager"
    INSPECTOR = "inspector"
    BODY = "body"
    PUBLIC = "public"


@dataclass(frozen=True)
class Viewer:
    """The person asking: role, body, and the inspections they are assigned to."""

    role: AccountRole
    body_id: int | None = None
    assigned: frozenset[int] = frozenset()


ANONYMOUS = Viewer(AccountRole.PUBLIC)


@dataclass(frozen=True)
class InspectionFacts:
    """What the rules need to know about an inspection."""

    id: int
    body_id: int
    status: Status


def is_staff(viewer: Viewer) -> bool:
    """The programme's own people: its manager and its inspectors (the programme views)."""
    return viewer.role in (AccountRole.MANAGER, AccountRole.INSPECTOR)


def is_staff_on(viewer: Viewer, inspection: InspectionFacts) -> bool:
    """Manager, or an inspector on the inspection's team."""
    return viewer.role == AccountRole.MANAGER or (
        viewer.role == AccountRole.INSPECTOR and inspection.id in viewer.assigned
    )


def is_own_body(viewer: Viewer, inspection: InspectionFacts) -> bool:
    """A body's account looking at one of its own inspections."""
    return viewer.role == AccountRole.BODY and viewer.body_id == inspection.body_id


def may_see_inspection(viewer: Viewer, inspection: InspectionFacts) -> bool:
    """Whether the inspection's page may be shown at all.

    A body learns of its inspection from the announcement (its notice), not before: until
    then, and once an inspection is cancelled, it is the inspectorate's planning alone.
    """
    return (
        is_staff_on(viewer, inspection)
        or (is_own_body(viewer, inspection) and inspection.status in ANNOUNCED_OUT)
        or inspection.status in PUBLISHED_STATUSES
    )


def may_see_scores(viewer: Viewer, inspection: InspectionFacts) -> bool:
    """Scores are embargoed until publication, except for staff and the body with its draft."""
    if inspection.status in PUBLISHED_STATUSES or is_staff_on(viewer, inspection):
        return True
    return is_own_body(viewer, inspection) and inspection.status in DRAFT_OUT


def may_see_details(viewer: Viewer, inspection: InspectionFacts) -> bool:
    """The sample, reminders and audit trail: the people doing the inspection only."""
    return is_staff_on(viewer, inspection)


def may_see_document(viewer: Viewer, inspection: InspectionFacts, kind: str, public: bool) -> bool:
    """Whether one stored letter or report may be read (the body's only once it went out)."""
    if public or is_staff_on(viewer, inspection):
        return True
    return is_own_body(viewer, inspection) and inspection.status in BODY_SEES.get(kind, ())


def may_comment(viewer: Viewer, inspection: InspectionFacts) -> bool:
    """The body, on its own draft, while the comment window is open."""
    return is_own_body(viewer, inspection) and inspection.status == Status.DRAFT_SENT


def may_upload_fieldwork(viewer: Viewer, inspection: InspectionFacts) -> bool:
    """Managers and the inspection's team, once fieldwork is done and before the draft."""
    return is_staff_on(viewer, inspection) and inspection.status in (
        Status.FIELDWORK_COMPLETE,
        Status.SCORED,
    )


def may_manage(viewer: Viewer) -> bool:
    """Rescheduling, publishing and the programme views: the programme manager."""
    return viewer.role == AccountRole.MANAGER
