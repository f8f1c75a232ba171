"""Plumbing shared by the route modules: the pooled store, ETags and the response cache, CSV twins, filters."""

from __future__ import annotations

import threading
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import Field
from starlette.concurrency import run_in_threadpool

from yesan.query import Filters, Tables
from yesan.query.lookup import find_government
from yesan.query.rollup import Rollups
from yesan.web.responses import (
    CSV_MEDIA_TYPE,
    ResponseCache,
    etag_for,
    not_modified,
    not_modified_response,
    wants_csv,
)

if TYPE_CHECKING:
    from yesan.query.pool import Backends

Limit = Annotated[int, Query(ge=1, le=1000, description="rows per page (at most 1000)")]
#: Bounds keep out-of-range numbers at validation (400), before they reach a query as a type error (500).
ID_MAX = 2**31 - 1
Offset = Annotated[int, Query(ge=0, le=ID_MAX, description="rows to skip")]
SnapshotId = Annotated[int, Field(ge=1, le=ID_MAX)]
Snapshot = Annotated[list[SnapshotId] | None, Query(description="snapshot ids (repeat for several); default: all")]
Gov = Annotated[
    list[str] | None,
    Query(description="governments by code or name: 4711000, 포항시, 부산광역시 동구 (repeat or comma-separate)"),
]
Funding = Literal["national", "provincial", "municipal", "other"]

Handler = Callable[..., Response] | Callable[..., Awaitable[Response]]

_CSV_DOC: dict[int | str, dict[str, Any]] = {
    200: {"content": {CSV_MEDIA_TYPE: {}}, "description": "JSON, or CSV for `.csv` / `Accept: text/csv`"}
}


def backends_of(request: Request) -> Backends:
    backends: Backends = request.app.state.backends
    return backends


@contextmanager
def tables_for(request: Request) -> Iterator[Tables]:
    with backends_of(request).tables() as t:
        yield t


_rollups_lock = threading.Lock()


def rollups_for(request: Request) -> Rollups:
    """The store's pre-summed totals, created on first use and kept for the app's life (the store cannot change
    while the app holds it open read-only). They sum each snapshot when first asked about it, on a connection
    of their own (a request holding a pooled one may be waiting for them), and keep a bounded number of rows."""
    state = request.app.state
    if not hasattr(state, "rollups"):
        with _rollups_lock:
            if not hasattr(state, "rollups"):
                t = backends_of(request).own_tables()
                state.rollups = Rollups.build(t.items, t.snapshots)
    rollups: Rollups = state.rollups
    return rollups


def rollups_if_built(request: Request) -> Rollups | None:
    """The rollups if this process has built them (None before): never blocks."""
    rollups: Rollups | None = getattr(request.app.state, "rollups", None)
    return rollups


async def begin_async(request: Request) -> tuple[str, bool, Response | None]:
    """``begin`` for a route on the event loop: the store's tag is looked up in a thread the first time."""
    backends = backends_of(request)
    if not backends.has_tag():
        await run_in_threadpool(backends.store_tag)
    return begin(request)


def begin(request: Request) -> tuple[str, bool, Response | None]:
    """This response's ETag and format, and a 304 if the client already has it (or the answer, if cached)."""
    csv_wanted = wants_csv(request)
    etag = etag_for(request, backends_of(request).store_tag(), csv_wanted)
    if not_modified(request, etag):
        return etag, csv_wanted, not_modified_response(etag)
    return etag, csv_wanted, cache_of(request).get(etag)


def cache_of(request: Request) -> ResponseCache:
    cache: ResponseCache = request.app.state.cache
    return cache


def keep(request: Request, etag: str, response: Response) -> Response:
    return cache_of(request).put(etag, response)


def list_route(router: APIRouter, path: str, summary: str) -> Callable[[Handler], Handler]:
    """Register ``path`` and its ``.csv`` twin for one handler."""

    def register(handler: Handler) -> Handler:
        router.add_api_route(path, handler, methods=["GET"], summary=summary, responses=_CSV_DOC)
        router.add_api_route(
            f"{path}.csv",
            handler,
            methods=["GET"],
            summary=f"{summary} (CSV)",
            operation_id=f"{handler.__name__}_csv",
            response_class=Response,
            responses={200: {"content": {CSV_MEDIA_TYPE: {}}, "description": "CSV, UTF-8 with BOM"}},
        )
        return handler

    return register


def codes(values: list[str] | None) -> tuple[str, ...] | None:
    if not values:
        return None
    codes = tuple(code.strip() for value in values for code in value.split(",") if code.strip())
    return codes or None


def government_codes(request: Request, values: list[str] | None) -> tuple[str, ...] | None:
    """Codes for what the client sent: codes pass through, names are looked up (once per app) and an unknown or
    ambiguous name is a 400 that lists the candidates."""
    wanted = codes(values)
    if wanted is None:
        return None
    known: dict[str, str] | None = getattr(request.app.state, "government_names", None)
    if known is None:
        known = request.app.state.government_names = {}
    found = []
    for value in wanted:
        if value.isdigit():
            found.append(value)
            continue
        if value not in known:
            with tables_for(request) as t:
                known[value] = find_government(t.governments, value).code
        found.append(known[value])
    return tuple(found)


async def item_filters(
    request: Request,
    gov: Gov = None,
    region: Annotated[str | None, Query(description="광역 name, e.g. 전라남도")] = None,
    field: Annotated[str | None, Query(description="분야, e.g. 사회복지")] = None,
    sector: Annotated[str | None, Query(description="부문, e.g. 노인·청소년")] = None,
    account_type: Annotated[str | None, Query(description="일반회계, 특별회계 or 기금")] = None,
    account: Annotated[str | None, Query(description="회계구분 name as published")] = None,
    snapshot: Snapshot = None,
    fiscal_year: Annotated[int | None, Query()] = None,
    stage: Annotated[str | None, Query(description="예산안, 본예산, 추경1, …, 결산, 현액")] = None,
    funding: Annotated[Funding | None, Query(description="only items with this funding source > 0")] = None,
) -> Filters:
    """The query parameters every item selection understands, as ``yesan.query.Filters``.

    ``async`` so that FastAPI runs it on the event loop instead of a worker thread (it only blocks on the first
    lookup of a government name, which is then remembered)."""
    return Filters(
        snapshot_ids=tuple(snapshot) if snapshot else None,
        fiscal_year=fiscal_year,
        stage=stage,
        gov_codes=government_codes(request, gov),
        region=region,
        account_type=account_type,
        account=account,
        field_name=field,
        sector_name=sector,
        funding=funding,
    )
