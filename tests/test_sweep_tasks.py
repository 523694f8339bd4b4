"""The sweep's one task a morning where no workers take batches."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import OperationalError

from inspectorate.services import delivery, sweep
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


def test_a_locked_database_while_delivering_retries_the_reminders_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    schedule()
    sweep_whole_morning.fn(morning("2013-12-02").date(), morning("2013-12-02"))  # announced
    monkeypatch.setattr(retry, "RETRY_DELAYS", [0.0, 0.0])
    advanced, delivering = [], []
    advance, deliver_all = sweep.advance, delivery.deliver_all

    def count_advance(**kwargs: object) -> sweep.SweepReport:
        advanced.append(1)
        return advance(**kwargs)  # type: ignore[arg-type]

    def locked_once(**kwargs: object) -> delivery.DeliveryReport:
        delivering.append(1)
        if len(delivering) == 1:  # after the claims were committed
            raise OperationalError("UPDATE", {}, Exception("database is locked"))
        return deliver_all(**kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(sweep, "advance", count_advance)
    monkeypatch.setattr(delivery, "deliver_all", locked_once)
    # A lead reminder is owed on 6 January: claimed, then the delivery meets a locked database.
    report = sweep_whole_morning.fn(morning("2014-01-06").date(), morning("2014-01-06"))
    assert len(advanced) == 1 and len(delivering) == 2  # the morning's stages are not redone
    # What the first attempt claimed is still counted; the retry claimed nothing again.
    assert (report.claimed, report.delivered) == (1, 1)
