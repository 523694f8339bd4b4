"""The database: engines, sessions and schema migrations (alembic)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError
from sqlmodel import Session, create_engine

from inspectorate.domain.errors import InvalidInput, NotInitialised

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_USERINFO = re.compile(r"(://[^:/?#@]*:)[^/?#]*@")  # user:password@ up to the host's '@'
_QUERY_PASSWORD = re.compile(r"([?&]password=)[^&#]*", re.IGNORECASE)


def normalise_url(url: str) -> str:
    """Use the psycopg 3 driver for plain postgresql:// URLs and create SQLite's folder."""
    try:
        parsed = make_url(url)
    except ArgumentError:  # its message repeats the URL, password and all
        raise InvalidInput(
            f"database URL {display_url(url)!r} is not an SQLAlchemy URL; set "
            "INSPECTORATE_DATABASE_URL to one like sqlite:///var/inspectorate.db"
        ) from None
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        folder = Path(parsed.database).parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InvalidInput(
                f"cannot make the database's folder {folder} ({exc.strerror}); "
                "set INSPECTORATE_DATABASE_URL to a file in a folder you can write"
            ) from None
    return parsed.render_as_string(hide_password=False)


def sqlite_file(url: str) -> Path | None:
    """The file of an SQLite URL (None for another database or an in-memory one)."""
    parsed = make_url(normalise_url(url))
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def display_url(url: str) -> str:
    """Return the URL with any password masked, for messages."""
    # Textual, so that an unparseable URL or an unencoded '@' in a password hides it too.
    return _QUERY_PASSWORD.sub(r"\1***", _USERINFO.sub(r"\1***@", url))


def get_engine(url: str, busy_timeout: float = 30.0) -> Engine:
    """Return one shared engine per URL; SQLite waits `busy_timeout` s for another's lock."""
    return _engine(url, float(busy_timeout))


@lru_cache(maxsize=8)
def _engine(url: str, busy_timeout: float) -> Engine:
    url = normalise_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": busy_timeout}
        )
        event.listen(engine, "connect", partial(_sqlite_pragmas, busy_timeout=busy_timeout))
        return engine
    return create_engine(url, pool_pre_ping=True)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any, *, busy_timeout: float) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    # In WAL mode NORMAL syncs at checkpoints, not at every commit (an fsync, ~5 ms here, paid
    # by each of the sweep's many small transactions). A crashed process still loses nothing
    # committed; only an OS crash or power cut can lose the last commits, never consistency.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={round(busy_timeout * 1000)}")
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
    from alembic.config import Config  # alembic takes half a second to import: only migrations

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", normalise_url(url).replace("%", "%%"))
    return config


def upgrade_to_head(url: str) -> None:
    """Apply every migration up to the latest (safe to run again)."""
    from alembic import command

    command.upgrade(alembic_config(url), "head")


@lru_cache(maxsize=1)
def head_revision() -> str:
    """Return the latest migration's revision, read from the migration files' headers."""
    # Every command checks the schema; alembic's own reader costs half a second to import.
    revisions: dict[str, str | None] = {}
    for file in (MIGRATIONS / "versions").glob("[0-9]*.py"):
        header = file.read_text(encoding="utf-8")
        revision = re.search(r'^revision: str = "([^"]+)"', header, re.MULTILINE)
        down = re.search(r'^down_revision: str \| None = (?:"([^"]+)"|None)', header, re.MULTILINE)
        if revision is None or down is None:
            raise RuntimeError(f"{file.name} has no revision/down_revision header")
        revisions[revision.group(1)] = down.group(1)
    heads = set(revisions) - set(revisions.values())
    if len(heads) != 1:
        raise RuntimeError(f"the migrations have {len(heads)} heads, not one: {sorted(heads)}")
    return heads.pop()


def current_revision(connection: Any) -> str | None:
    """Return the revision the connected database is migrated to, or None without a schema."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def require_current_schema(url: str, busy_timeout: float = 30.0) -> None:
    """Raise NotInitialised unless the database is migrated to the latest revision."""
    head = head_revision()
    file = sqlite_file(url)
    if file is not None and not file.exists():  # connecting would leave an empty file
        raise NotInitialised(f"the database {display_url(url)} has no schema (no file yet)")
    with get_engine(url, busy_timeout).connect() as connection:
        current = current_revision(connection)
    if current != head:
        state = "has no schema" if current is None else f"is at revision {current}, not {head}"
        raise NotInitialised(f"the database {display_url(url)} {state}")


def describe_failure(error: DBAPIError, url: str) -> str:
    """One line on why the database `url` failed, and what to do about it."""
    reason = (str(error.orig).strip().splitlines() or [type(error.orig).__name__])[0]
    if "database is locked" in reason or type(error.orig).__name__ == "LockNotAvailable":
        return "the record is busy (locked by another process); try again"
    shown = display_url(url)
    if isinstance(error, OperationalError) and make_url(url).get_backend_name() != "sqlite":
        return (
            f"cannot use the database {shown}: {reason}; check INSPECTORATE_DATABASE_URL "
            "and that the database server is running"
        )
    if isinstance(error, OperationalError):
        return f"cannot use the database {shown}: {reason}; check INSPECTORATE_DATABASE_URL"
    return f"the database {shown} refused a change: {reason}"


def utc(moment: dt.datetime) -> dt.datetime:
    """Return `moment` as an aware UTC datetime (naive values from SQLite are UTC)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)
