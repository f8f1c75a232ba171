"""The store as a server reads it: one read-only DuckDB connection, shared by request threads as a small pool of
cursors (each its own Ibis backend, its tables looked up once), a cursor for the search index, and the store's tag.

DuckDB connections must not be used by two threads at once, and a web framework runs sync endpoints in a
thread pool, so each request borrows one cursor and gives it back afterwards. A read-only connection holds a
shared lock on the file, so no writer can change the store while it is open: the tag is fixed for its lifetime.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Hashable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Final

import ibis

from yesan.errors import StoreError
from yesan.query.compiled import arrow
from yesan.query.drilldown import Filters
from yesan.query.engine import Tables, tables
from yesan.query.search import SearchIndex, index_for, store_tag
from yesan.settings import Settings
from yesan.store.backend import open_backend, serve_memory_limit

#: Cursors shared by the request threads; 1 means one connection behind a lock (the ``connections`` setting).
DEFAULT_CONNECTIONS: Final = Settings().connections
#: Seconds a request waits for a free cursor (the ``connection_wait_s`` setting).
_WAIT_S: Final = Settings().connection_wait_s


class _Slot:
    """One cursor of the store's connection as an Ibis backend, with its tables looked up once."""

    def __init__(self, backend: Any) -> None:
        self.backend = backend
        self._tables: Tables | None = None

    def tables(self) -> Tables:
        if self._tables is None:
            self._tables = tables(self.backend)
        return self._tables


class Backends:
    """A small pool of Ibis backends over one read-only DuckDB connection to the store."""

    def __init__(
        self,
        db: Path,
        connections: int = DEFAULT_CONNECTIONS,
        *,
        memory_limit: str | None = None,
        wait_s: float = _WAIT_S,
    ) -> None:
        """``memory_limit`` is DuckDB's for the store (default: ``serve_memory_limit()``); a request waits
        ``wait_s`` for a free cursor, then the store is busy (a StoreError)."""
        if connections < 1:
            raise ValueError("connections must be at least 1")
        self.db = Path(db)
        self.wait_s = wait_s
        self.base = open_backend(self.db, read_only=True)
        # Set on the open database rather than at connect: DuckDB refuses a second connection to one file with
        # other settings, and a process (a test) may hold the store open already.
        limit = (memory_limit or serve_memory_limit()).replace("'", "''")
        try:
            self.base.con.execute(f"SET memory_limit = '{limit}'")
        except Exception as error:  # DuckDB's own error types
            raise StoreError(f"cannot set the store's memory limit to {limit!r}: {error}") from None
        self._free: queue.LifoQueue[_Slot] = queue.LifoQueue()
        if connections == 1:
            self._free.put(_Slot(self.base))
        else:
            for _ in range(connections):
                self._free.put(_Slot(ibis.duckdb.from_connection(self.base.con.cursor())))
        self._slots = connections
        self._all = [slot.backend for slot in self._free.queue]  # every connection, to interrupt at shutdown
        self._search = _Slot(ibis.duckdb.from_connection(self.base.con.cursor()))
        self._all.append(self._search.backend)
        self._search_lock = threading.Lock()
        self._search_tag: Hashable | None = None
        self._tag: str | None = None
        self._tag_lock = threading.Lock()

    @contextmanager
    def tables(self) -> Iterator[Tables]:
        """The store's tables, for this thread alone until the block ends."""
        try:
            slot = self._free.get(timeout=self.wait_s)
        except queue.Empty:
            raise StoreError(f"the store is busy (all {self._slots} connections in use); try again") from None
        try:
            yield slot.tables()
        finally:
            self._free.put(slot)

    @contextmanager
    def search_tables(self) -> Iterator[Tables]:
        """The tables on a connection of their own for the search index (built once, then cached by the query layer)."""
        with self._search_lock:
            yield self._search.tables()

    def search_index(self, filters: Filters) -> SearchIndex:
        """``index_for`` the items ``filters`` select, on the search connection. The store's contents are read
        once (``store_tag``): the app holds the store read-only, and reading them costs a query every call."""
        with self._search_lock:
            items = self._search.tables().items
            if self._search_tag is None:
                self._search_tag = store_tag(items)
            return index_for(items, filters, tag=self._search_tag)

    def prepare(self) -> None:
        """Look up the tables on every cursor now (a few catalog queries each), not on a reader's first visit."""
        taken = []
        try:
            for _ in range(self._slots):
                taken.append(self._free.get(timeout=self.wait_s))
            for slot in taken:
                slot.tables()
            self._search.tables()
        finally:
            for slot in taken:
                self._free.put(slot)

    def has_tag(self) -> bool:
        return self._tag is not None

    def store_tag(self) -> str:
        """What identifies the store's contents: its snapshot ids and digests (for ETags)."""
        if self._tag is None:
            with self._tag_lock:
                if self._tag is None:
                    with self.tables() as t:
                        rows = arrow(t.snapshots.select("snapshot_id", "digest").order_by("snapshot_id"))
                    self._tag = ";".join(f"{r['snapshot_id']}:{r['digest']}" for r in rows.to_pylist())
        return self._tag

    def own_tables(self) -> Tables:
        """The tables on a new connection (a cursor) for one user that serialises its own calls (the rollups);
        it is interrupted and closed with the others."""
        backend = ibis.duckdb.from_connection(self.base.con.cursor())
        self._all.append(backend)
        return tables(backend)

    def interrupt(self) -> None:
        """Stop the queries running now on every connection (at shutdown: background work must not hold it up)."""
        for backend in self._all:
            with contextlib.suppress(Exception):  # a connection with nothing running, or already closed
                backend.con.interrupt()

    def close(self) -> None:
        while True:
            try:
                slot = self._free.get_nowait()
            except queue.Empty:
                break
            if slot.backend is not self.base:
                slot.backend.disconnect()
        for backend in self._all[self._slots :]:  # the search connection and those of ``own_tables``
            backend.disconnect()
        self.base.disconnect()


__all__ = ["DEFAULT_CONNECTIONS", "Backends"]
