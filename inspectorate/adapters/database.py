"""The database: engines, sessions and schema migrations (alembic)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlmodel import Session, create_engine

from inspectorate.domain.errors import InvalidInput, NotInitialised

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_USERINFO = re.compile(r"(://[^:/?#@]*:)[^/?#]*@")  # user:password@ up to the host's '@'
_QUERY_PASSWORD = re.compile(r"([?&]password=)[^&#]*", re.IGNORECASE)


def normalise_url(url: str) -> str:
    """Use the psycopg 3 driver for plain postgresql:// URLs and create SQLite's folder."""
    try:
        parsed = make_url(url)
    except ArgumentError:  # its message repeats the URL, password and all
        raise InvalidInput(f"database URL {display_url(url)!r} is not an SQLAlchemy URL") from None
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    return parsed.render_as_string(hide_password=False)


def display_url(url: str) -> str:
    """Return the URL with any password masked, for messages."""
    # Textual, so that an unparseable URL or an unencoded '@' in a password hides it too.
    return _QUERY_PASSWORD.sub(r"\1***", _USERINFO.sub(r"\1***@", url))


@lru_cache(maxsize=8)
def get_engine(url: str) -> Engine:
    """Return one shared engine per URL."""
    url = normalise_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One transaction: commit on success, roll back on any error."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def alembic_config(url: str) -> Config:
    """Return an alembic configuration for `url` using the packaged migrations."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", normalise_url(url).replace("%", "%%"))
    return config


def upgrade_to_head(url: str) -> None:
    """Apply every migration up to the latest (safe to run again)."""
    command.upgrade(alembic_config(url), "head")


def require_current_schema(url: str) -> None:
    """Raise NotInitialised unless the database is migrated to the latest revision."""
    head = ScriptDirectory.from_config(alembic_config(url)).get_current_head()
    with get_engine(url).connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    if current != head:
        state = "has no schema" if current is None else f"is at revision {current}, not {head}"
        raise NotInitialised(f"the database {display_url(url)} {state}")


def utc(moment: dt.datetime) -> dt.datetime:
    """Return `moment` as an aware UTC datetime (naive values from SQLite are UTC)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)
