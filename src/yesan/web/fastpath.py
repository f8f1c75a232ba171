"""``/api/drilldown`` without FastAPI's per-request parameter solving, for the requests where that is safe.

Once a snapshot's sums are in memory, a government's drill-down costs 0.3–0.6 ms of CPU, and FastAPI's
dependency solving (fourteen query parameters through ``item_filters``, each annotation inspected again on
every request) added about 0.2 ms to it. ``FastDrill``, a middleware just outside FastAPI's router, answers
a request itself only when it reads the query string exactly as FastAPI would: every parameter known, a
single-valued one given once, and each value of a plain form (digits within the route's bounds, one of a
Literal's values, a non-empty text, government codes rather than names). Everything else — names to look
up, bad values, unknown parameters, other methods, a path under a root path — goes on to FastAPI's route
untouched, so validation, errors and the OpenAPI schema stay FastAPI's. Both paths build the answer with
``yesan.web.api.drill_response``; ``tests/test_fastpath.py`` checks that two servers, with and without
the fast path, answer generated query strings alike, byte for byte.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any, Final, get_args

from starlette.datastructures import QueryParams
from starlette.requests import Request

from yesan.query import Filters
from yesan.web.api import Level, Sort, drill_response
from yesan.web.routing import ID_MAX, Funding, codes

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

PATH: Final = "/api/drilldown"
_TEXTS: Final = frozenset({"region", "field", "sector", "account_type", "account", "stage"})
_CHOICES: Final = {
    "level": frozenset(get_args(Level)),
    "sort": frozenset(get_args(Sort)),
    "funding": frozenset(get_args(Funding)),
}
#: Integer parameters and their bounds as the FastAPI route declares them (fiscal_year has none there: any
#: year of up to nine digits is read alike by both).
_INTEGERS: Final = {"fiscal_year": (0, 999_999_999), "limit": (1, 1000), "offset": (0, ID_MAX)}
_LISTS: Final = frozenset({"gov", "snapshot"})
_KNOWN: Final = frozenset({*_TEXTS, *_CHOICES, *_INTEGERS, *_LISTS})


def _integer(text: str, low: int, high: int) -> int | None:
    """``text`` as an int if it is plain ASCII digits within [low, high], else None (FastAPI decides)."""
    if not (0 < len(text) <= 10 and text.isascii() and text.isdigit()):
        return None
    value = int(text)
    return value if low <= value <= high else None


def read_query(query_string: bytes) -> dict[str, Any] | None:
    """The drill-down's parameters from a query string, or None where FastAPI must read it (see the module)."""
    single: dict[str, str] = {}
    lists: dict[str, list[str]] = {"gov": [], "snapshot": []}
    for name, value in QueryParams(query_string).multi_items():
        if name not in _KNOWN or not value:
            return None
        if name in _LISTS:
            lists[name].append(value)
        elif name in single:
            return None
        else:
            single[name] = value
    read: dict[str, Any] = {"level": "field", "sort": "budget", "limit": 100, "offset": 0, "fiscal_year": None}
    for name, value in single.items():
        if name in _CHOICES:
            if value not in _CHOICES[name]:
                return None
            read[name] = value
        elif name in _INTEGERS:
            number = _integer(value, *_INTEGERS[name])
            if number is None:
                return None
            read[name] = number
        else:
            read[name] = value
    snapshots = [_integer(value, 1, ID_MAX) for value in lists["snapshot"]]
    if None in snapshots:
        return None
    read["snapshot"] = snapshots
    govs = codes(lists["gov"])
    if govs is not None and not all(code.isdigit() for code in govs):
        return None  # names are looked up (and may be ambiguous): FastAPI's route does that
    read["gov"] = govs
    return read


class FastDrill:
    """ASGI middleware: answers ``GET PATH`` where ``read_query`` reads it, and passes everything else on."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        read = None
        if (
            scope["type"] == "http"
            and scope["path"] == PATH
            and not scope.get("root_path")
            and scope["method"] == "GET"
        ):
            read = read_query(scope.get("query_string", b""))
        if read is not None:
            filters = Filters(
                snapshot_ids=tuple(read["snapshot"]) or None,
                fiscal_year=read["fiscal_year"],
                stage=read.get("stage"),
                gov_codes=read["gov"],
                region=read.get("region"),
                account_type=read.get("account_type"),
                account=read.get("account"),
                field_name=read.get("field"),
                sector_name=read.get("sector"),
                funding=read.get("funding"),
            )
            try:
                response = await drill_response(
                    Request(scope, receive), filters, read["level"], read["sort"], read["limit"], read["offset"]
                )
            except Exception:  # FastAPI's route answers it again, through the app's error handlers
                response = None
            if response is not None:
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


__all__ = ["FastDrill", "read_query"]
