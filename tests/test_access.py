"""Who may read which stored document, by status (pure rules, tested as a matrix)."""

from __future__ import annotations

import pytest

from inspectorate.domain.access import (
    AccountRole,
    InspectionFacts,
    Viewer,
    may_see_document,
    may_see_inspection,
)
from inspectorate.domain.documents import DocumentKind
from inspectorate.domain.lifecycle import Status

VIEWERS = {
    "manager": Viewer(AccountRole.MANAGER),
    "team inspector": Viewer(AccountRole.INSPECTOR, assigned=frozenset({7})),
    "other inspector": Viewer(AccountRole.INSPECTOR, assigned=frozenset({8})),
    "own body": Viewer(AccountRole.BODY, body_id=3),
    "other body": Viewer(AccountRole.BODY, body_id=4),
    "public": Viewer(AccountRole.PUBLIC),
}
STATUSES = list(Status)
# The inspection's own body, an embargoed (not public) document: which statuses open it.
# Columns follow STATUSES: planned announced sample_selected fieldwork_complete scored
# draft_sent comments_closed published action_plan_received cancelled.
OWN_BODY = {
    DocumentKind.ANNOUNCEMENT: ". y y y y y y y y .",
    DocumentKind.DRAFT: ". . . . . y y y y .",
    DocumentKind.FOLLOW_UP_DRAFT: ". . . . . y y y y .",
    DocumentKind.PUBLISHED: ". . . . . . . y y .",
    DocumentKind.FOLLOW_UP: ". . . . . . . y y .",
}


def expected(who: str, kind: DocumentKind, status: Status, public: bool) -> bool:
    """The matrix: staff on the inspection read everything, anyone reads what is public."""
    if public or who in ("manager", "team inspector"):
        return True
    if who != "own body":
        return False
    return OWN_BODY[kind].split()[STATUSES.index(status)] == "y"


@pytest.mark.parametrize("who", sorted(VIEWERS))
@pytest.mark.parametrize("kind", list(DocumentKind))
@pytest.mark.parametrize("public", [False, True])
def test_a_document_opens_to_its_body_only_once_it_went_out(
    who: str, kind: DocumentKind, public: bool
) -> None:
    seen = {
        status: may_see_document(VIEWERS[who], InspectionFacts(7, 3, status), kind, public)
        for status in STATUSES
    }
    assert seen == {status: expected(who, kind, status, public) for status in STATUSES}


def test_a_draft_rendered_before_it_is_sent_stays_with_the_staff() -> None:
    scored = InspectionFacts(7, 3, Status.SCORED)
    assert not may_see_document(VIEWERS["own body"], scored, "draft", False)
    assert may_see_document(VIEWERS["team inspector"], scored, "draft", False)


def test_an_unknown_kind_is_closed_to_the_body() -> None:
    published = InspectionFacts(7, 3, Status.PUBLISHED)
    assert not may_see_document(VIEWERS["own body"], published, "minutes", False)


# Who may open the inspection's page at all, by status (columns as above).
PAGE = {
    "manager": "y y y y y y y y y y",
    "team inspector": "y y y y y y y y y y",
    "other inspector": ". . . . . . . y y .",
    "own body": ". y y y y y y y y .",
    "other body": ". . . . . . . y y .",
    "public": ". . . . . . . y y .",
}


@pytest.mark.parametrize("who", sorted(VIEWERS))
def test_a_body_learns_of_its_inspection_from_the_announcement_not_before(who: str) -> None:
    seen = [may_see_inspection(VIEWERS[who], InspectionFacts(7, 3, s)) for s in STATUSES]
    assert seen == [mark == "y" for mark in PAGE[who].split()]
