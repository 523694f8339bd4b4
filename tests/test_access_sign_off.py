"""Who may sign off what, and when the dashboard offers it (pure rules, tested as a matrix)."""

from __future__ import annotations

import pytest

from inspectorate.domain.access import AccountRole, InspectionFacts, Viewer
from inspectorate.domain.lifecycle import Stage, Status
from inspectorate.domain.sign_off import may_sign_off, sign_offs_to_offer

INSPECTION = InspectionFacts(id=7, body_id=3, status=Status.SCORED)
VIEWERS = {
    "manager": Viewer(AccountRole.MANAGER),
    "lead inspector": Viewer(AccountRole.INSPECTOR, assigned=frozenset({7})),
    "other inspector": Viewer(AccountRole.INSPECTOR, assigned=frozenset({8})),
    "own body": Viewer(AccountRole.BODY, body_id=3),
    "other body": Viewer(AccountRole.BODY, body_id=4),
    "public": Viewer(AccountRole.PUBLIC),
}
# (draft, publication) per viewer: the person, whatever the status (the service checks that).
MAY_SIGN = {
    "manager": (False, True),
    "lead inspector": (True, False),
    "other inspector": (False, False),
    "own body": (False, False),
    "other body": (False, False),
    "public": (False, False),
}


@pytest.mark.parametrize("who", sorted(VIEWERS))
@pytest.mark.parametrize("status", [Status.SCORED, Status.COMMENTS_CLOSED, Status.PUBLISHED])
def test_only_the_named_signer_may_sign_off_each_stage(who: str, status: Status) -> None:
    inspection = InspectionFacts(INSPECTION.id, INSPECTION.body_id, status)
    seen = tuple(
        may_sign_off(VIEWERS[who], inspection, stage) for stage in (Stage.SEND_DRAFT, Stage.PUBLISH)
    )
    assert seen == MAY_SIGN[who]


@pytest.mark.parametrize("stage", [Stage.ANNOUNCE, Stage.CLOSE_COMMENTS, Stage.SCORE])
def test_stages_without_a_sign_off_are_signed_by_nobody(stage: Stage) -> None:
    assert not any(may_sign_off(v, INSPECTION, stage) for v in VIEWERS.values())


# What the inspection page offers, per status: (lead inspector, manager).
OFFERED = {
    Status.FIELDWORK_COMPLETE: ([], []),
    Status.SCORED: (["draft"], []),
    Status.DRAFT_SENT: ([], ["publication"]),
    Status.COMMENTS_CLOSED: ([], ["publication"]),
    Status.PUBLISHED: ([], []),
}


@pytest.mark.parametrize("status", sorted(OFFERED))
def test_the_page_offers_a_sign_off_only_when_it_is_due(status: Status) -> None:
    inspection = InspectionFacts(INSPECTION.id, INSPECTION.body_id, status)

    def offered(who: str, signed: frozenset[Stage] = frozenset(), complete: bool = True) -> list:
        return [
            rule.name
            for rule in sign_offs_to_offer(
                VIEWERS[who], inspection, signed=signed, text_complete=complete
            )
        ]

    assert (offered("lead inspector"), offered("manager")) == OFFERED[status]
    for who in ("other inspector", "own body", "public"):
        assert offered(who) == []
    everything = frozenset({Stage.SEND_DRAFT, Stage.PUBLISH})
    assert offered("lead inspector", everything) == offered("manager", everything) == []
    assert offered("lead inspector", complete=False) == offered("manager", complete=False) == []
