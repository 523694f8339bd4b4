"""Schema migrations: upgrade to head on SQLite and PostgreSQL, and match the models."""

from __future__ import annotations

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect
from sqlmodel import SQLModel

import inspectorate.adapters.leases  # noqa: F401
import inspectorate.adapters.models  # noqa: F401
from inspectorate.adapters.database import (
    alembic_config,
    get_engine,
    require_current_schema,
    upgrade_to_head,
)
from inspectorate.domain.errors import NotInitialised

TABLES = {
    "alembic_version",
    "auditevent",
    "body",
    "inspection",
    "lease",
    "milestone",
    "programme",
    "reminder",
}


@pytest.fixture
def empty_url(
    backend: str, postgres_database: str, tmp_path_factory: pytest.TempPathFactory
) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('migrations') / 'm.db'}"
    return postgres_database


def test_upgrade_creates_every_table_and_is_repeatable(empty_url: str) -> None:
    command.downgrade(alembic_config(empty_url), "base")
    upgrade_to_head(empty_url)
    upgrade_to_head(empty_url)
    assert set(inspect(get_engine(empty_url)).get_table_names()) >= TABLES
    require_current_schema(empty_url)


def test_migrations_match_the_models(empty_url: str) -> None:
    upgrade_to_head(empty_url)
    with get_engine(empty_url).connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
    assert diff == []


def test_downgrade_to_base_removes_the_tables(empty_url: str) -> None:
    upgrade_to_head(empty_url)
    command.downgrade(alembic_config(empty_url), "base")
    assert set(inspect(get_engine(empty_url)).get_table_names()) <= {"alembic_version"}
    with pytest.raises(NotInitialised, match="has no schema"):
        require_current_schema(empty_url)
    upgrade_to_head(empty_url)
