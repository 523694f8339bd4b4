"""One task carries out a batch of owed effects: each in its own unit of work, kept on failure."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from inspectorate.services import documents
from tasks import owed_effects as owed_tasks
from tasks import retry
from tests.factories import announced_letters_owed, effects_owed, morning, with_documents

pytestmark = pytest.mark.usefixtures("sqlite_database")
carry_out = owed_tasks.carry_out_owed_effects.fn  # the task's body, without a Prefect run


def test_one_call_writes_every_owed_letter_and_marks_each_done() -> None:
    first, second = announced_letters_owed("Durham Tees Valley", "Wales")
    assert set(effects_owed()) == {first, second}
    assert carry_out(None, "deadline-sweep", morning("2013-12-10")) == (2, [])
    assert effects_owed() == {} and with_documents() == {first, second}
    assert carry_out(None, "deadline-sweep", morning("2013-12-10")) == (0, [])  # nothing twice


def test_only_the_named_inspections_are_carried_out() -> None:
    first, second = announced_letters_owed("Durham Tees Valley", "Wales")
    assert carry_out([second], "announce", morning("2013-12-02", 10)) == (1, [])
    assert set(effects_owed()) == {first} and with_documents() == {second}


def test_a_failure_is_recorded_kept_owed_and_the_rest_go_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    broken, fine = announced_letters_owed("Durham Tees Valley", "Wales")
    write = documents.write_stage_documents

    def fails_for_one(session: Session, *, inspection_id: int, **kwargs: object) -> object:
        if inspection_id == broken:
            raise ValueError("the template is missing")
        return write(session, inspection_id=inspection_id, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(documents, "write_stage_documents", fails_for_one)
    done, failed = carry_out(None, "deadline-sweep", morning("2013-12-10"), keep_going=True)
    assert done == 1
    assert failed == [f"inspection {broken} documents: ValueError: the template is missing"]
    owed = effects_owed()
    assert set(owed) == {broken} and with_documents() == {fine}
    assert owed[broken].attempts == 1
    assert owed[broken].last_error == "ValueError: the template is missing"


def test_without_keep_going_a_failure_is_raised_and_stays_owed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    (inspection_id,) = announced_letters_owed("Durham Tees Valley")

    def fails(_session: Session, **_kwargs: object) -> object:
        raise ValueError("the template is missing")

    monkeypatch.setattr(documents, "write_stage_documents", fails)
    with pytest.raises(ValueError, match="template"):
        carry_out([inspection_id], "announce", morning("2013-12-02", 10))
    assert set(effects_owed()) == {inspection_id} and effects_owed()[inspection_id].attempts == 0


def test_a_locked_database_is_tried_again_as_a_task_retry_would(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    (inspection_id,) = announced_letters_owed("Durham Tees Valley")
    write, calls = documents.write_stage_documents, []

    def locked_once(session: Session, **kwargs: object) -> object:
        calls.append(kwargs["inspection_id"])
        if len(calls) == 1:
            raise OperationalError("UPDATE", {}, Exception("database is locked"))
        return write(session, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(documents, "write_stage_documents", locked_once)
    monkeypatch.setattr(retry, "RETRY_DELAYS", [0.0, 0.0])
    assert carry_out([inspection_id], "announce", morning("2013-12-02", 10)) == (1, [])
    assert calls == [inspection_id, inspection_id] and effects_owed() == {}


def test_a_locked_database_past_the_retries_is_recorded(monkeypatch: pytest.MonkeyPatch) -> None:
    (inspection_id,) = announced_letters_owed("Durham Tees Valley")

    def always_locked(_session: Session, **_kwargs: object) -> object:
        raise OperationalError("UPDATE", {}, Exception("database is locked"))

    monkeypatch.setattr(documents, "write_stage_documents", always_locked)
    monkeypatch.setattr(retry, "RETRY_DELAYS", [0.0, 0.0])
    done, failed = carry_out(None, "deadline-sweep", morning("2013-12-10"), keep_going=True)
    assert done == 0 and len(failed) == 1 and "database is locked" in failed[0]
    assert effects_owed()[inspection_id].attempts == 1
