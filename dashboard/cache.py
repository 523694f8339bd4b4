"""Rendered pages kept until the record changes: the dashboard is read far more than written.

Every change to the record writes an audit event (and reminders, documents and comments
have their own rows), so the largest ids of those tables, read in one query, say whether
anything changed since a page was rendered. A page is kept per signed-in session (its
header carries the session's CSRF token), per address and per day. Looking a page up is a
few quick queries done on the event loop; only rendering goes to a worker thread.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

from starlette.concurrency import run_in_threadpool

from inspectorate.adapters import clock
from inspectorate.adapters.settings import get_settings
from inspectorate.services import context, page_versions


def record_version() -> tuple[object, ...]:
    """A value that changes whenever the record does (and names the record: two databases
    with the same newest ids are not the same record)."""
    with context.reading() as session:
        newest = page_versions.newest_ids(session)
    return (get_settings().database_url, *newest, clock.today())


class PageCache:
    """A bounded, thread-safe map from (page key, record version) to rendered HTML."""

    def __init__(self, size: int = 1024) -> None:
        self._pages: OrderedDict[tuple[object, ...], str] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    async def page(self, key: tuple[object, ...], render: Callable[[], str]) -> str:
        """The page for `key` as of now: kept, or rendered (in a worker thread) and kept."""
        full = (*key, record_version())
        with self._lock:
            if full in self._pages:
                self._pages.move_to_end(full)
                return self._pages[full]
        html = await run_in_threadpool(render)
        with self._lock:
            self._pages[full] = html
            while len(self._pages) > self._size:
                self._pages.popitem(last=False)
        return html


PAGES = PageCache()
T = TypeVar("T")


class Kept(Generic[T]):
    """What a page reads, kept until the record changes and shared by the pages that read it.

    A programme's timeline on a day is one reading of every inspection's status then; its
    pages and filters are cut from it, so paging through a day reads the record once.
    """

    def __init__(self, size: int = 16) -> None:
        self._values: OrderedDict[tuple[object, ...], T] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def get(self, key: tuple[object, ...], read: Callable[[], T]) -> T:
        """The value for `key` as of now: kept, or read (in the caller's thread) and kept."""
        full = (*key, record_version())
        with self._lock:
            if full in self._values:
                self._values.move_to_end(full)
                return self._values[full]
        value = read()
        with self._lock:
            self._values[full] = value
            while len(self._values) > self._size:
                self._values.popitem(last=False)
        return value
