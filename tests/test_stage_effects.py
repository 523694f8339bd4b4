"""What follows each stage is one table, the same on every path (domain, no Prefect)."""

from __future__ import annotations

import pytest

from inspectorate.domain.documents import DocumentKind, documents_for_stage
from inspectorate.domain.lifecycle import Stage
from inspectorate.domain.stage_effects import FOLLOWS, SERVER_MODE_ONLY, Effect, effects_of


def test_embedded_mode_owes_only_the_documents() -> None:
    owed = {stage: effects_of(stage, server_mode=False) for stage in Stage}
    assert owed[Stage.ANNOUNCE] == (Effect.DOCUMENTS,)
    assert owed[Stage.SEND_DRAFT] == (Effect.DOCUMENTS,)
    assert owed[Stage.PUBLISH] == (Effect.DOCUMENTS,)
    assert owed[Stage.CLOSE_COMMENTS] == ()
    assert owed[Stage.CANCEL] == ()
    assert owed[Stage.RECORD_FIELDWORK] == ()


def test_server_mode_waits_for_comments_and_books_nothing_ahead() -> None:
    assert effects_of(Stage.ANNOUNCE, server_mode=True) == (Effect.DOCUMENTS,)
    assert effects_of(Stage.SEND_DRAFT, server_mode=True) == (
        Effect.DOCUMENTS,
        Effect.AWAIT_COMMENTS,
    )
    assert effects_of(Stage.CLOSE_COMMENTS, server_mode=True) == (Effect.STOP_AWAITING_COMMENTS,)
    assert effects_of(Stage.CANCEL, server_mode=True) == ()
    assert not any(Effect.RETIRE_BOOKED_RUNS in e for e in FOLLOWS.values())
    assert Effect.RETIRE_BOOKED_RUNS.value == "book_stage_runs"  # as records from before hold it


def test_every_stage_that_owes_documents_produces_some() -> None:
    for stage, effects in FOLLOWS.items():
        produced = documents_for_stage(stage, in_wales=False, follow_up=False)
        assert (Effect.DOCUMENTS in effects) == bool(produced), stage
    assert set(Effect) >= SERVER_MODE_ONLY


@pytest.mark.parametrize(
    ("stage", "in_wales", "follow_up", "expected"),
    [
        (Stage.ANNOUNCE, True, False, [("announcement", "en"), ("announcement", "cy")]),
        (Stage.SEND_DRAFT, True, True, [("draft", "en"), ("follow_up_draft", "en")]),
        (Stage.PUBLISH, False, True, [("published", "en"), ("follow_up", "en")]),
        (Stage.PUBLISH, True, False, [("published", "en"), ("published", "cy")]),
        (Stage.SCORE, True, True, []),
    ],
)
def test_a_stage_produces_its_documents_in_both_languages_for_wales(
    stage: Stage, in_wales: bool, follow_up: bool, expected: list[tuple[str, str]]
) -> None:
    produced = documents_for_stage(stage, in_wales=in_wales, follow_up=follow_up)
    assert produced == expected
    assert all(isinstance(kind, DocumentKind) for kind, _ in produced)
