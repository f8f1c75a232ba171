"""The one idiom of the ``/api`` routes: a handler returns what it found (a ``Listing``, or an object's body) and
``list_api`` / ``object_api`` do the rest the same way for every route.

Around each handler they: look up the ETag (the store's tag and the request), answer a 304 when the client has
it or the cached response when the app has one, else run the handler, write its answer (JSON with ``total``,
``limit``, ``offset`` and ``next``, or CSV at ``<path>.csv`` and for ``Accept: text/csv``), and keep it in the
response cache. The explorer's pages do the same through ``yesan.web.views.page``.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from fastapi import APIRouter, Request
from fastapi.responses import Response

from yesan.web.responses import list_response, object_response
from yesan.web.routing import begin, begin_async, keep, list_route

__all__ = ["Listing", "answer", "answered", "list_api", "object_api"]

Row = TypeVar("Row")


@dataclass(frozen=True)
class Listing:
    """One page of a list: ``rows`` already converted for output, of ``total`` in all, with ``body`` beside them.

    ``csv_row`` writes a row for CSV when it differs from its JSON (nested fields flattened); ``headers`` are
    added to the response."""

    body: dict[str, Any]
    rows: list[dict[str, Any]]
    total: int
    limit: int
    offset: int
    columns: Sequence[str] | None = None
    csv_row: Callable[[dict[str, Any]], dict[str, Any]] | None = None
    headers: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def page_of(
        cls,
        body: dict[str, Any],
        rows: Sequence[Row],
        convert: Callable[[Row], dict[str, Any]],
        *,
        limit: int,
        offset: int,
        **more: Any,
    ) -> Listing:
        """The page at ``offset`` of ``rows`` held in memory, each converted for output."""
        page = [convert(row) for row in rows[offset : offset + limit]]
        return cls(body, page, len(rows), limit, offset, **more)


def answer(request: Request, etag: str, csv_wanted: bool, found: Listing | dict[str, Any]) -> Response:
    """``found`` as the response (a list page as JSON or CSV, an object as JSON), kept in the response cache."""
    if isinstance(found, Listing):
        rows = found.rows
        if csv_wanted and found.csv_row is not None:
            rows = [found.csv_row(row) for row in rows]
        response = list_response(
            request, etag=etag, body=found.body, rows=rows, total=found.total, limit=found.limit,
            offset=found.offset, csv_wanted=csv_wanted, columns=found.columns,
        )  # fmt: skip
        response.headers.update(found.headers)
    else:
        response = object_response(etag=etag, body=found)
    return keep(request, etag, response)


Handler = Callable[..., Any]


def answered(handler: Handler) -> Callable[..., Response] | Callable[..., Awaitable[Response]]:
    """``handler`` (taking ``request`` among its parameters) wrapped in the ETag, 304 and cache steps.

    FastAPI reads the parameters from ``handler``'s own signature; an ``async`` handler runs on the event loop
    (for answers from memory), a plain one in a worker thread."""
    signature = inspect.signature(handler).replace(return_annotation=Response)

    if inspect.iscoroutinefunction(handler):

        @functools.wraps(handler)
        async def on_loop(**params: Any) -> Response:
            request: Request = params["request"]
            etag, csv_wanted, cached = await begin_async(request)
            if cached is not None:
                return cached
            return answer(request, etag, csv_wanted, await handler(**params))

        on_loop.__signature__ = signature  # type: ignore[attr-defined]
        return on_loop

    @functools.wraps(handler)
    def in_thread(**params: Any) -> Response:
        request: Request = params["request"]
        etag, csv_wanted, cached = begin(request)
        if cached is not None:
            return cached
        return answer(request, etag, csv_wanted, handler(**params))

    in_thread.__signature__ = signature  # type: ignore[attr-defined]
    return in_thread


def list_api(router: APIRouter, path: str, summary: str) -> Callable[[Handler], Handler]:
    """Register a handler that returns a ``Listing`` at ``path`` and its ``.csv`` twin."""

    def register(handler: Handler) -> Handler:
        list_route(router, path, summary)(answered(handler))
        return handler

    return register


def object_api(router: APIRouter, path: str, summary: str) -> Callable[[Handler], Handler]:
    """Register a handler that returns one object's body (a dict) at ``path``, as JSON."""

    def register(handler: Handler) -> Handler:
        router.add_api_route(path, answered(handler), methods=["GET"], summary=summary)
        return handler

    return register
