"""The automations `make deploy` applies from prefect.yaml: read, filled in, and checked."""

from __future__ import annotations

import pytest

from deployments.automations import PREFECT_YAML, listed


def test_the_zombie_run_automation_takes_its_window_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ZOMBIE_AFTER_SECONDS", "90")
    (zombies,) = listed(PREFECT_YAML)
    assert zombies.name == "crash-zombie-flow-runs"
    assert zombies.trigger.within.total_seconds() == 90  # type: ignore[union-attr]
    assert [a.type for a in zombies.actions] == ["change-flow-run-state"]


def test_runs_that_pause_or_suspend_on_purpose_are_not_zombies(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ZOMBIE_AFTER_SECONDS", "90")
    (zombies,) = listed(PREFECT_YAML)
    expected = zombies.trigger.expect  # type: ignore[union-attr]
    assert {"prefect.flow-run.Paused", "prefect.flow-run.Suspended"} <= expected
    assert "prefect.flow-run.heartbeat" in expected


def test_a_placeholder_with_nothing_in_the_environment_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("ZOMBIE_AFTER_SECONDS", raising=False)
    with pytest.raises(SystemExit, match="ZOMBIE_AFTER_SECONDS is not set"):
        listed(PREFECT_YAML)


def test_only_runs_of_deployments_are_watched(monkeypatch: pytest.MonkeyPatch) -> None:
    # A flow run in a command's own process beats every 180 s (Prefect's default): it would
    # look dead within the window; only the workers' runs beat every HEARTBEAT_SECONDS.
    monkeypatch.setenv("ZOMBIE_AFTER_SECONDS", "90")
    (zombies,) = listed(PREFECT_YAML)
    related = zombies.trigger.match_related  # type: ignore[union-attr]
    assert related.model_dump() == {"prefect.resource.role": "deployment"}
