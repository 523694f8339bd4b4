"""The migrated empty Prefect database copied into a fresh home instead of migrating there."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from tasks import prefect_template
from tasks.prefect_template import DATABASE_FILE, seed_home, template_path


@pytest.fixture
def template(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A stand-in template file."""
    made = tmp_path / "share" / "prefect-x.db"
    made.parent.mkdir()
    made.write_bytes(b"migrated")
    monkeypatch.setattr(prefect_template, "template_path", lambda: made)
    return made


def test_a_fresh_home_gets_the_template_and_an_existing_database_is_kept(
    tmp_path: Path, template: Path
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    assert seed_home(home, {}) is True
    assert (home / DATABASE_FILE).read_bytes() == b"migrated"
    (home / DATABASE_FILE).write_bytes(b"the server's own runs")
    assert seed_home(home, {}) is False
    assert (home / DATABASE_FILE).read_bytes() == b"the server's own runs"
    assert sorted(p.name for p in home.iterdir()) == [DATABASE_FILE], "a scratch copy was left"


def test_a_database_the_operator_chose_is_never_seeded(tmp_path: Path, template: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    url = {"PREFECT_API_DATABASE_CONNECTION_URL": "postgresql+asyncpg://x/y"}
    assert seed_home(home, url) is False
    assert seed_home(home, {"PREFECT_SERVER_DATABASE_CONNECTION_URL": "sqlite:///z"}) is False
    (home / "profiles.toml").write_text('[profiles.x]\nPREFECT_API_DATABASE_NAME = "p"\n')
    assert seed_home(home, {}) is False
    assert not (home / DATABASE_FILE).exists()


def test_no_template_means_the_server_migrates_as_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(prefect_template, "template_path", lambda: tmp_path / "none.db")
    assert seed_home(tmp_path, {}) is False
    assert not (tmp_path / DATABASE_FILE).exists()


def test_the_install_made_a_migrated_database_for_this_prefect_version(tmp_path: Path) -> None:
    made = template_path()
    assert made.is_file(), f"run `make prefect-template` (demo and test do): {made}"
    copy = tmp_path / "copy.db"  # a reader of a WAL database leaves files beside it
    shutil.copyfile(made, copy)
    with sqlite3.connect(copy) as db:
        tables = {row[0] for row in db.execute("select name from sqlite_master")}
        (head,) = db.execute("select version_num from alembic_version").fetchone()
        runs = db.execute("select count(*) from flow_run").fetchone()[0]
    assert {"flow_run", "task_run", "deployment", "alembic_version"} <= tables
    assert head and runs == 0


def test_a_folder_without_hard_links_leaves_the_server_to_migrate(
    tmp_path: Path, template: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    home.mkdir()

    def no_links(source: object, target: object) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(prefect_template.os, "link", no_links)
    assert seed_home(home, {}) is False
    assert list(home.iterdir()) == [], "no database and no scratch copy left"
