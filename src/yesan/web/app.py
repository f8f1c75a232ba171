"""The HTTP API's application: ``create_app(db)`` for ASGI servers and tests, ``serve(db)`` for ``yesan serve``.

The store is opened read-only once per app. DuckDB connections must not be used by two threads at
once, and FastAPI runs the (sync) endpoints in a thread pool, so each request borrows one of a few
cursors of that connection (each wrapped in its own Ibis backend) and gives it back afterwards.
A read-only DuckDB connection holds a shared lock on the file, so no writer can change the store
while the app runs: what the store holds (and so every ETag) is fixed for the app's lifetime.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any, Final

import ibis
from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from yesan.errors import StoreError, YesanError
from yesan.query import Tables, open_backend, tables
from yesan.web import api, reports
from yesan.web.responses import (
    ResponseCache,
    http_error_handler,
    unexpected_error_handler,
    validation_error_handler,
    yesan_error_handler,
)

#: Cursors shared by the request threads; 1 means one connection behind a lock. On 2 cores, 2 cursors measured
#: best (35 req/s uncached drill-downs vs 30 with a lock and 32 with 4, 50 clients on loopback).
DEFAULT_CONNECTIONS: Final = 2
_WAIT_S: Final = 30.0


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

    def __init__(self, db: Path, connections: int = DEFAULT_CONNECTIONS) -> None:
        if connections < 1:
            raise ValueError("connections must be at least 1")
        self.db = Path(db)
        self.base = open_backend(self.db, read_only=True)
        self._free: queue.LifoQueue[_Slot] = queue.LifoQueue()
        if connections == 1:
            self._free.put(_Slot(self.base))
        else:
            for _ in range(connections):
                self._free.put(_Slot(ibis.duckdb.from_connection(self.base.con.cursor())))
        self._slots = connections
        self._search = _Slot(ibis.duckdb.from_connection(self.base.con.cursor()))
        self._search_lock = threading.Lock()
        self._tag: str | None = None
        self._tag_lock = threading.Lock()

    @contextmanager
    def tables(self) -> Iterator[Tables]:
        """The store's tables, for this thread alone until the block ends."""
        try:
            slot = self._free.get(timeout=_WAIT_S)
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

    def store_tag(self) -> str:
        """What identifies the store's contents: its snapshot ids and digests (for ETags)."""
        if self._tag is None:
            with self._tag_lock:
                if self._tag is None:
                    with self.tables() as t:
                        rows = t.snapshots.select("snapshot_id", "digest").order_by("snapshot_id").to_pyarrow()
                    self._tag = ";".join(f"{r['snapshot_id']}:{r['digest']}" for r in rows.to_pylist())
        return self._tag

    def close(self) -> None:
        while True:
            try:
                slot = self._free.get_nowait()
            except queue.Empty:
                break
            if slot.backend is not self.base:
                slot.backend.disconnect()
        self._search.backend.disconnect()
        self.base.disconnect()


def create_app(db: Path, *, connections: int = DEFAULT_CONNECTIONS, cache_entries: int = 512) -> FastAPI:
    """The API over the store at ``db``, opened read-only now (a StoreError if it cannot be).

    ``cache_entries`` finished responses are kept by ETag (0: none).
    """
    backends = Backends(db, connections)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        try:
            yield
        finally:
            backends.close()

    app = FastAPI(
        title="yesan",
        summary="Korean public budgets, exactly as published: drill-downs, items and their provenance.",
        description=(
            "Amounts are integer won, each with a `_display` text (e.g. `113조 5,365억원`). "
            "Every list answers JSON or CSV (UTF-8 with BOM): add `.csv` to the path or send `Accept: text/csv`. "
            "Lists are paginated with `limit` (default 100, at most 1000) and `offset`; `next` is the next page. "
            'Errors are always `{"ok": false, "error": "...", "status": 400}`.'
        ),
        version=_version(),
        lifespan=lifespan,
    )
    app.state.backends = backends
    app.state.cache = ResponseCache(cache_entries)
    app.include_router(api.router)
    app.include_router(reports.router)
    app.add_api_route("/", _to_docs, methods=["GET"], include_in_schema=False)
    app.add_exception_handler(YesanError, yesan_error_handler)
    app.add_exception_handler(StarletteHTTPException, http_error_handler)
    app.add_exception_handler(RequestValidationError, validation_error_handler)
    app.add_exception_handler(Exception, unexpected_error_handler)
    return app


def _to_docs() -> RedirectResponse:
    return RedirectResponse("/docs")


def serve(db: Path, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve the API over the store at ``db`` until interrupted (``yesan serve``)."""
    import uvicorn

    uvicorn.run(create_app(db), host=host, port=port)


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("yesan")
    except Exception:
        return "0"


__all__ = ["DEFAULT_CONNECTIONS", "Backends", "create_app", "serve"]
