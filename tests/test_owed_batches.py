"""The sweep's owed documents in batches (server mode; end to end in test_server_mode.py)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from prefect.client.schemas.objects import State
from prefect.states import Completed, Failed, Running, Scheduled

from flows import owed_batches
from inspectorate.domain.lifecycle import Stage
from inspectorate.domain.stage_effects import Effect
from inspectorate.services.owed_effects import Owed


def test_batches_keep_the_order_and_hold_at_most_their_size() -> None:
    assert owed_batches.batches_of([3, 5, 8, 9, 12], 2) == [[3, 5], [8, 9], [12]]
    assert owed_batches.batches_of([], 2) == []


def owed(inspection_id: int) -> Owed:
    """A letter owed after announcing."""
    return Owed(inspection_id, Stage.ANNOUNCE, Effect.DOCUMENTS, 0)


@pytest.fixture
def server_mode(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    """Server mode with the runs, the wait and the finishing recorded instead of done."""
    seen: dict[str, Any] = {"runs": [], "finished_here": 0, "owed": [owed(i) for i in (1, 2, 3)]}
    monkeypatch.setenv("INSPECTORATE_SERVER_TIMERS", "true")
    monkeypatch.setenv("INSPECTORATE_SWEEP_BATCH_SIZE", "2")
    monkeypatch.setattr(owed_batches, "is_embedded", lambda: False)
    monkeypatch.setattr(owed_batches, "effects_still_owed", lambda _: list(seen["owed"]))

    def run_deployment(name: str, parameters: dict[str, Any], **_: Any) -> str:
        seen["runs"].append((name, parameters["inspection_ids"]))
        return name

    def finish_here(actor: str, now: dt.datetime | None) -> tuple[int, list[str]]:
        seen["finished_here"] += 1
        seen["owed"] = [o for o in seen["owed"] if o.inspection_id == 3]  # 3's batch failed
        return 0, ["inspection 3 documents: OSError: disk full"]

    monkeypatch.setattr(owed_batches, "run_deployment", run_deployment)
    monkeypatch.setattr(owed_batches, "finish_owed_effects", finish_here)
    monkeypatch.setattr(owed_batches, "_wait_for", lambda runs, seconds: 0)
    from inspectorate.adapters.settings import get_settings

    get_settings.cache_clear()
    yield seen
    get_settings.cache_clear()


def test_a_busy_morning_goes_to_the_workers_and_the_sweep_finishes_what_is_left(
    server_mode: dict[str, Any],
) -> None:
    done, failed = owed_batches.finish_morning_effects("sweep", None)
    assert server_mode["runs"] == [
        (owed_batches.BATCH_DEPLOYMENT, [1, 2]),
        (owed_batches.BATCH_DEPLOYMENT, [3]),
    ]
    assert server_mode["finished_here"] == 1, "the sweep finishes what the batches left"
    assert (done, failed) == (2, ["inspection 3 documents: OSError: disk full"])


def test_a_morning_owing_one_batch_or_less_starts_no_run(server_mode: dict[str, Any]) -> None:
    server_mode["owed"] = [owed(1), owed(2)]
    owed_batches.finish_morning_effects("sweep", None)
    assert server_mode["runs"] == [] and server_mode["finished_here"] == 1


def test_without_the_batch_deployment_the_sweep_does_the_work_itself(
    server_mode: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    def missing(name: str, **_: Any) -> None:
        raise RuntimeError(f"Deployment {name!r} not found (run `make deploy`)")

    monkeypatch.setattr(owed_batches, "run_deployment", missing)
    monkeypatch.setattr(owed_batches, "get_run_logger", lambda: logging.getLogger("test"))
    done, failed = owed_batches.finish_morning_effects("sweep", None)
    assert server_mode["finished_here"] == 1 and done == 2 and len(failed) == 1


class FakeClient:
    """Prefect's client as far as the wait uses it: run states, and cancelling."""

    def __init__(self, states: dict[str, list[State]]) -> None:
        self.states, self.cancelled = states, []

    def __enter__(self) -> FakeClient:
        return self

    def __exit__(self, *_: object) -> None:
        return None

    def read_flow_run(self, run_id: str) -> SimpleNamespace:
        queue = self.states[run_id]
        return SimpleNamespace(state=queue.pop(0) if len(queue) > 1 else queue[0])

    def set_flow_run_state(self, run_id: str, state: State, force: bool) -> None:
        self.cancelled.append(run_id)


def test_batches_no_slot_ever_starts_are_cancelled_for_the_sweep_to_do(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    client = FakeClient(
        {
            "ran": [Running(), Running(), Completed()],
            "queued": [Scheduled()],
            "failed": [Running(), Failed()],
        }
    )
    monkeypatch.setattr(owed_batches, "get_client", lambda sync_client: client)
    monkeypatch.setattr(owed_batches, "POLL_SECONDS", 0.0)
    runs = [SimpleNamespace(id=name) for name in ("ran", "queued", "failed")]
    unfinished = owed_batches._wait_for(runs, seconds=5.0, stall=0.05)  # type: ignore[arg-type]
    assert client.cancelled == ["queued"]
    assert unfinished == 2, "the cancelled one and the failed one"
