"""The wiring every service shares: settings, the engine, loaded configuration, the clock.

It imports no other service. Configuration is read once per process.

A use case is one function that takes the session it works in as its first argument and
never commits: its caller (a task, a command, a page) opens `unit_of_work()` around it, or
around several use cases that must stand or fall together; `run` does that for one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar

import pendulum

from inspectorate.adapters import clock
from inspectorate.adapters.config_files import load_frameworks, load_programmes, rules_for
from inspectorate.adapters.settings import Settings, get_settings
from inspectorate.domain.calendar import as_date
from inspectorate.domain.frameworks import Framework
from inspectorate.domain.programmes import ProgrammeDefinition
from inspectorate.domain.triggers import TriggerRule

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.exc import DBAPIError
    from sqlmodel import Session

    # The database driver's own failures (unreachable server, refused login, locked file),
    # named here so that callers above the services can catch them without SQLAlchemy.
    RecordUnavailable = DBAPIError


def __getattr__(name: str) -> Any:
    # SQLAlchemy takes a third of a second to import: commands without a database skip it.
    if name == "RecordUnavailable":
        from sqlalchemy.exc import DBAPIError

        return DBAPIError
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


P = ParamSpec("P")
T = TypeVar("T")


@lru_cache(maxsize=4)
def _programmes_in(directory: Path) -> dict[str, ProgrammeDefinition]:
    return load_programmes(directory)


def programmes(settings: Settings | None = None) -> dict[str, ProgrammeDefinition]:
    """Return the programme definitions from config/programmes (read once per process)."""
    settings = settings or get_settings()
    return _programmes_in(settings.config_dir / "programmes")


@lru_cache(maxsize=4)
def _frameworks_in(directory: Path) -> dict[str, Framework]:
    return load_frameworks(directory)


def frameworks(settings: Settings | None = None) -> dict[str, Framework]:
    """Return the criteria frameworks from config/frameworks (read once per process)."""
    settings = settings or get_settings()
    return _frameworks_in(settings.config_dir / "frameworks")


def follow_up_rules(settings: Settings | None = None) -> dict[str, list[TriggerRule]]:
    """Return each programme's trigger rules (empty for a programme without any)."""
    settings = settings or get_settings()
    known = frameworks(settings)
    return {
        code: rules_for(settings.config_dir, p, known) for code, p in programmes(settings).items()
    }


def engine(settings: Settings | None = None) -> Engine:
    """Return the engine of the configured database."""
    from inspectorate.adapters import database

    settings = settings or get_settings()
    return database.get_engine(settings.record_url(), settings.database_busy_timeout)


def display_database_url(url: str | None = None) -> str:
    """Return `url` (the configured database's when None) with any password masked."""
    from inspectorate.adapters import database

    return database.display_url(url if url is not None else get_settings().database_url)


def describe_unavailable(error: RecordUnavailable) -> str:
    """One line on why the configured record could not be used, and what to do."""
    from inspectorate.adapters import database

    return database.describe_failure(error, get_settings().database_url)


def require_current_schema(settings: Settings | None = None) -> str:
    """Return the configured database's URL; NotInitialised unless its schema is current."""
    from inspectorate.adapters import database

    settings = settings or get_settings()
    database.require_current_schema(settings.record_url(), settings.database_busy_timeout)
    return settings.database_url


def moment(value: dt.datetime | None) -> pendulum.DateTime:
    """Return `value` as a London DateTime, or the clock's now when None."""
    if value is None:
        return clock.now()
    return pendulum.instance(value).in_timezone(clock.LONDON)


def day(value: dt.date | None) -> pendulum.Date:
    """Return `value` as a pendulum Date, or today in London when None."""
    return clock.today() if value is None else as_date(value)


@contextmanager
def unit_of_work(settings: Settings | None = None) -> Iterator[Session]:
    """One transaction on the record: committed when the block ends, rolled back on error."""
    from inspectorate.adapters import database

    with database.session_scope(engine(settings)) as session:
        yield session


def run(use_case: Callable[Concatenate[Session, P], T], /, *args: P.args, **kwargs: P.kwargs) -> T:
    """Run one use case in a unit of work of its own, committed when it returns."""
    with unit_of_work() as session:
        return use_case(session, *args, **kwargs)


@contextmanager
def reading(settings: Settings | None = None) -> Iterator[Session]:
    """A session for reads only: nothing it holds is committed."""
    from sqlmodel import Session

    with Session(engine(settings)) as session:
        yield session
