"""The sweep's one task a morning where no workers take batches."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import OperationalError

from inspectorate.services import sweep
from tasks import retry
from tasks.sweep import sweep_whole_morning
from tests.factories import effects_owed, morning, schedule, status_of, with_documents

pytestmark = pytest.mark.usefixtures("sqlite_database")


def test_one_task_advances_writes_what_is_owed_and_reminds() -> None:
    inspection_id = schedule()
    report = sweep_whole_morning.fn(morning("2013-12-02").date(), morning("2013-12-02"))
    assert report.advanced == [f"inspection {inspection_id} announcement"]
    assert status_of(inspection_id) == "announced"
    assert (report.finished, report.failed) == (1, [])
    assert with_documents() == {inspection_id} and effects_owed() == {}
    assert report.delivered == 1  # the announcement's notice, its letter attached


def test_a_locked_database_while_reminding_retries_the_reminders_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    inspection_id = schedule()
    monkeypatch.setattr(retry, "RETRY_DELAYS", [0.0, 0.0])
    advanced, reminded = [], []
    advance, remind = sweep.advance, sweep.remind

    def count_advance(**kwargs: object) -> sweep.SweepReport:
        advanced.append(1)
        return advance(**kwargs)  # type: ignore[arg-type]

    def locked_once(*args: object, **kwargs: object) -> sweep.SweepReport:
        reminded.append(1)
        if len(reminded) == 1:
            raise OperationalError("INSERT", {}, Exception("database is locked"))
        return remind(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(sweep, "advance", count_advance)
    monkeypatch.setattr(sweep, "remind", locked_once)
    report = sweep_whole_morning.fn(morning("2013-12-02").date(), morning("2013-12-02"))
    assert len(advanced) == 1 and len(reminded) == 2
    # The stages taken before the retry are still in the report, and nothing went twice.
    assert report.advanced == [f"inspection {inspection_id} announcement"]
    assert report.delivered == 1
