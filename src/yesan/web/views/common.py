"""What the page handlers share: the URL parameters that pick a scope, the catalog, links to items."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import threading
from collections import OrderedDict
from collections.abc import Callable
from types import SimpleNamespace
from typing import Annotated, Any, cast
from urllib.parse import urlencode

from fastapi import Query, Request
from fastapi.responses import RedirectResponse

from yesan.query import Filters, PerResidentReport, Tables, per_resident
from yesan.web.routing import rollups_for, tables_for
from yesan.web.views.catalog import Catalog, CatalogHolder, GovernmentInfo

GovParam = Annotated[
    str | None, Query(description="government code (e.g. 4674000), or a name to look up (e.g. 고흥군)")
]
YearParam = Annotated[int | None, Query(description="fiscal year (default: the latest)")]
SnapshotParam = Annotated[int | None, Query(description="snapshot id (default: the latest of the year)")]
LangParam = Annotated[str | None, Query(description="ko (default) or en")]


def catalog_of(request: Request) -> Catalog:
    holder: CatalogHolder = request.app.state.catalog
    with tables_for(request) as t:
        return holder.get(t)


def find_gov(request: Request, catalog: Catalog, gov: str | None) -> GovernmentInfo | RedirectResponse | None:
    """The government a URL names; a redirect to the canonical URL (by code) when it names one by text.

    Text that matches several governments sends the reader to the home page, which lists them.
    """
    if not gov:
        return None
    if gov in catalog.governments:
        return catalog.governments[gov]
    with tables_for(request) as t:
        found = catalog.resolve(t, gov)
    if isinstance(found, list):
        lang = [("lang", "en")] if request.query_params.get("lang") == "en" else []
        return RedirectResponse(link("/", {"gov": gov}, lang), status_code=303)
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "gov"]
    return RedirectResponse(link(request.url.path, {"gov": found.code}, params), status_code=303)


def link(path: str, params: dict[str, Any], keep: list[tuple[str, str]] | None = None) -> str:
    """``path?params`` (empty values dropped) after the ``keep`` pairs; language-neutral (templates add ``lang``)."""
    pairs = list(keep or [])
    pairs += [(k, str(v)) for k, v in params.items() if v is not None and v != ""]
    return f"{path}?{urlencode(pairs)}" if pairs else path


class ResidentsCache:
    """Per-resident reports (``yesan.query.per_resident``) by snapshot, kept for the app's life (the store is
    read-only while it runs): one report per snapshot answers every government's home page."""

    def __init__(self, entries: int = 16) -> None:
        self.entries = entries
        self._reports: OrderedDict[tuple[int, ...], PerResidentReport] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, t: Tables, snapshot_ids: tuple[int, ...]) -> PerResidentReport:
        with self._lock:
            if snapshot_ids in self._reports:
                self._reports.move_to_end(snapshot_ids)
                return self._reports[snapshot_ids]
        report = per_resident(t, Filters(snapshot_ids=snapshot_ids))
        with self._lock:
            self._reports[snapshot_ids] = report
            while len(self._reports) > self.entries:
                self._reports.popitem(last=False)
        return report


def residents_of(request: Request, t: Tables, snapshot_ids: tuple[int, ...]) -> PerResidentReport:
    cache: ResidentsCache = request.app.state.residents
    return cache.get(t, snapshot_ids)


def item_url(snapshot_id: int, source_id: int, row_no: int) -> str:
    return f"/item/{snapshot_id}/{source_id}/{row_no}"


def warm(request_app: Any) -> None:
    """Build the catalog, templates, assets, the rollups and the search index of what the pages show first (each
    government's latest snapshot) before the first reader needs them. Stops between steps once the app stops."""
    from yesan.web.views import assets, templating

    backends = request_app.state.backends
    holder: CatalogHolder = request_app.state.catalog
    stopping: threading.Event = request_app.state.stopping
    backends.prepare()
    backends.store_tag()  # every page's ETag needs it
    with backends.tables() as t:
        catalog = holder.get(t)
        if catalog.snapshots and not stopping.is_set():  # the home page's per-resident figures of the latest snapshot
            request_app.state.residents.get(t, catalog.scope().snapshot_ids)
    environment = templating.environment()
    for name in environment.list_templates(extensions=["html"]):
        environment.get_template(name)  # compiled once, here rather than on a reader's first visit
    for name in assets.names():
        templating.asset_url(name)  # reads (and compresses) plotly.js once
    if stopping.is_set():
        return
    rollups = rollups_for(cast(Request, SimpleNamespace(app=request_app)))
    if not stopping.is_set():
        rollups.prepare(Filters())  # the latest snapshot of each government: other snapshots are summed when asked
    if stopping.is_set():
        return
    backends.search_index(Filters())  # likewise each government's latest snapshot (``yesan.query.search.selection``)
    if not stopping.is_set():
        asyncio.run(_visit(request_app, ("/", "/explore")))
    # Then earlier snapshots, newest first, while they take less than half the rollups' room: recent years
    # and stages are what readers compare, and a snapshot summed on a reader's request costs seconds.
    rollups.prepare_recent(rollups.max_rows // 2, stop=stopping.is_set)
    # What the warm-up built lives as long as the app: keep it out of the garbage collector's full passes,
    # which otherwise walk the search index and catalog (~100 ms at 10M items) every few thousand requests.
    gc.collect()
    gc.freeze()


async def _visit(app: Any, paths: tuple[str, ...]) -> None:
    """GET ``paths`` from the app in-process (plain ASGI calls): the first request through each layer (routing,
    validation, templates, the response cache) costs a few hundred milliseconds that no reader should wait for."""

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Any) -> None:
        return None

    for path in paths:
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": b"",
            "root_path": "",
            "headers": [(b"host", b"warm-up")],
            "client": ("127.0.0.1", 0),
            "server": ("127.0.0.1", 0),
        }
        await app(scope, receive, send)


def in_background(app: Any, name: str, work: Callable[[], None]) -> None:
    """Run ``work`` once in a thread of its own (the app waits for it before closing the store)."""
    started: dict[str, threading.Thread] = app.state.background
    with _background_lock:
        if name in started:
            return
        thread = threading.Thread(target=_quietly, args=(work,), name=f"yesan-{name}", daemon=True)
        started[name] = thread
    thread.start()


_background_lock = threading.Lock()


def _quietly(work: Callable[[], None]) -> None:
    # Background work is an optimisation: if it fails, the request that needs it builds it (and says why).
    with contextlib.suppress(Exception):
        work()


def warm_check(app: Any) -> None:
    """The first check loads the claim extractor's rules and the store's reference figures (seconds): do it
    when someone opens the check page, while they paste their article, rather than at start, when it would
    slow every other page."""
    app.state.checkers.warm()


__all__ = [
    "GovParam",
    "LangParam",
    "SnapshotParam",
    "YearParam",
    "catalog_of",
    "find_gov",
    "item_url",
    "link",
    "warm",
]
