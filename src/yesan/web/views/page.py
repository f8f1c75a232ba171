"""One handler, three answers: each page is HTML at ``/path``, its data at ``/path.json``, its tables at ``/path.csv``.

A page handler returns a ``Page``: the template to render, the plain data it shows (the same dict is the
JSON twin, so the interface and the data cannot drift) and its ``Table``s. This module registers the three
routes, sorts and pages the main table from the URL (``sort``, ``order``, ``offset``), answers 304s and
keeps finished answers in the app's response cache (the store cannot change while the app runs).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from yesan.web.responses import CSV_MEDIA_TYPE, cache_headers, csv_text, plain, site_url
from yesan.web.routing import begin, keep
from yesan.web.views.contents import Page, Table, html_path, twin_path
from yesan.web.views.templating import render
from yesan.web.writes import COOKIE

Format = Literal["html", "json", "csv"]

PageHandler = Callable[..., Page | Response]


def page_route(router: APIRouter, path: str, *, summary: str) -> Callable[[PageHandler], PageHandler]:
    """Register ``path`` (HTML) with its ``.json`` and ``.csv`` twins for one page handler."""

    def register(handler: PageHandler) -> PageHandler:
        # The twins first: a bare path parameter would otherwise swallow "5.json".
        router.add_api_route(
            twin_path(path, ".json"),
            _endpoint(handler, "json"),
            methods=["GET"],
            summary=f"{summary} (the page's data)",
            operation_id=f"page_{handler.__name__}_json",
            tags=["pages"],
            response_model=None,
        )
        router.add_api_route(
            twin_path(path, ".csv"),
            _endpoint(handler, "csv"),
            methods=["GET", "HEAD"],
            include_in_schema=False,
            response_class=Response,
            response_model=None,
        )
        router.add_api_route(
            path,
            _endpoint(handler, "html"),
            methods=["GET", "HEAD"],
            include_in_schema=False,
            response_class=HTMLResponse,
            response_model=None,
        )
        return handler

    return register


def _endpoint(handler: PageHandler, fmt: Format) -> Callable[..., Response]:
    @functools.wraps(handler)
    def endpoint(*args: Any, **kwargs: Any) -> Response:
        request: Request = kwargs["request"]
        # A signed-in reviewer's page carries their forms: never shared, cached or kept.
        personal = COOKIE in request.cookies
        etag = ""
        if not personal:
            etag, _, cached = begin(request)
            if cached is not None:
                return cached
        result = handler(*args, **kwargs)
        if isinstance(result, Response):
            return result
        for table in result.tables:
            _arrange(table, request)
        headers = {"Cache-Control": "private, no-store"} if personal else cache_headers(etag)
        if fmt == "json":
            response: Response = JSONResponse(plain(_json_body(result)), headers=headers)
        elif fmt == "csv":
            response = _csv(result, request, headers)
        else:
            response = HTMLResponse(render(request, result), status_code=result.status, headers=headers)
        return keep(request, etag, response) if result.status == 200 and not personal else response

    return endpoint


def _arrange(table: Table, request: Request) -> None:
    """Sort and page the main table as the URL says; other tables are shown whole."""
    table.total = len(table.rows)
    if not table.paged:
        table.shown = table.rows
        return
    params = request.query_params
    keys = {c.key for c in table.columns if c.sortable}
    sort = params.get("sort")
    table.sort = sort if sort in keys else table.default_sort
    order = params.get("order")
    table.order = order if order in ("asc", "desc") else table.default_order
    if sort in keys and order not in ("asc", "desc"):
        table.order = "asc" if _is_text(table, sort) else "desc"
    if table.sort is not None and sort in keys:
        key = table.sort
        present = [r for r in table.rows if r.get(key) is not None]
        missing = [r for r in table.rows if r.get(key) is None]
        present.sort(key=lambda r: r[key], reverse=table.order == "desc")
        table.rows = present + missing  # no figure sorts last either way
    try:
        offset = max(0, int(params.get("offset", "0")))
    except ValueError:
        offset = 0
    table.offset = offset if offset < max(table.total, 1) else 0
    table.shown = table.rows[table.offset : table.offset + table.limit]


def _is_text(table: Table, key: str) -> bool:
    return any(c.key == key and c.kind in ("text", "status", "date") for c in table.columns)


def _json_body(page: Page) -> dict[str, Any]:
    tables = {
        t.name: {
            "caption": t.caption,
            "columns": [c.key for c in t.columns],
            "total": t.total,
            "offset": t.offset,
            "limit": t.limit if t.paged else t.total,
            "rows": t.shown,
        }
        for t in page.tables
    }
    return {"ok": True, **page.data, "tables": tables}


def _csv(page: Page, request: Request, headers: dict[str, str]) -> Response:
    """One table (``?table=name``; the first by default), every row, exact won."""
    wanted = request.query_params.get("table")
    chosen = next((t for t in page.tables if t.name == wanted), page.tables[0] if page.tables else None)
    if chosen is None:
        return Response(csv_text([], ["none"]), media_type=CSV_MEDIA_TYPE, headers=headers)
    columns = [c.key for c in chosen.columns]
    extra = [k for k in ("url",) if any(k in r for r in chosen.rows)]
    headers = dict(headers)
    name = html_path(request.url.path).strip("/") or "index"
    headers["Content-Disposition"] = f'attachment; filename="yesan-{name.replace("/", "-")}-{chosen.name}.csv"'
    rows = [{**r, "url": _absolute(request, r["url"])} if r.get("url") else r for r in chosen.rows]
    return Response(csv_text(rows, [*columns, *extra]), media_type=CSV_MEDIA_TYPE, headers=headers)


def _absolute(request: Request, url: str) -> str:
    return site_url(request, url) if url.startswith("/") else url


__all__ = ["page_route"]
