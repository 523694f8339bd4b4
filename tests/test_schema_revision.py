"""The schema check every command makes reads revisions without importing alembic's runtime."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from inspectorate.adapters.database import (
    alembic_config,
    current_revision,
    get_engine,
    head_revision,
    require_current_schema,
    upgrade_to_head,
)
from inspectorate.domain.errors import NotInitialised


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'r.db'}"


def test_head_revision_is_alembics_head(url: str) -> None:
    assert head_revision() == ScriptDirectory.from_config(alembic_config(url)).get_current_head()


def test_current_revision_agrees_with_alembic_before_and_after_upgrade(url: str) -> None:
    engine = get_engine(url)
    with engine.connect() as connection:
        assert current_revision(connection) is None
    upgrade_to_head(url)
    command.downgrade(alembic_config(url), "-1")
    with engine.connect() as connection:
        ours = current_revision(connection)
        assert ours == MigrationContext.configure(connection).get_current_revision()
    assert ours is not None and ours != head_revision()
    with pytest.raises(NotInitialised, match=f"is at revision {ours}, not {head_revision()}"):
        require_current_schema(url)
    upgrade_to_head(url)
    require_current_schema(url)
