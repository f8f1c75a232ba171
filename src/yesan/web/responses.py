"""How the API answers: JSON or its CSV twin, pagination links, ETags, and one error shape.

Every error, whatever raised it, is ``{"ok": false, "error": "...", "status": 4xx/5xx}``.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, Final
from urllib.parse import urlencode

import orjson
from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from yesan.errors import QueryError, StoreError, YesanError
from yesan.model import AMOUNT_COLUMNS
from yesan.store.damage import damaged_store

CACHE_CONTROL: Final = "public, max-age=60"
CSV_MEDIA_TYPE: Final = "text/csv; charset=utf-8"
BOM: Final = "\ufeff"


class NotFoundError(YesanError):
    """A thing the URL names is not in the store (→ 404)."""


# --- values ---------------------------------------------------------------------------------------


def plain(value: Any) -> Any:
    """``value`` as something ``json.dumps`` writes exactly (HUGEINT Decimals → int, dates → ISO text)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else str(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def json_bytes(content: Any) -> bytes:
    """``content`` as compact UTF-8 JSON, exactly as ``json.dumps(plain(content))`` would write it, but faster.

    orjson writes dates and datetimes as ISO text like ``plain`` does; Decimals go through ``plain``. Integers
    past 64 bits (sums of HUGEINT columns) are beyond orjson, so such a response is written by ``json``.
    """
    try:
        return orjson.dumps(content, default=plain, option=orjson.OPT_NON_STR_KEYS)
    except orjson.JSONEncodeError:
        return json.dumps(plain(content), ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode()


class JSONBytesResponse(JSONResponse):
    """A JSONResponse rendered by ``json_bytes``."""

    def render(self, content: Any) -> bytes:
        return json_bytes(content)


def with_display(amounts: Mapping[str, int | None], names: Sequence[str] = AMOUNT_COLUMNS) -> dict[str, Any]:
    """``{"budget": 113536525211692, "budget_display": "113조 5,365억원", ...}`` for each amount."""
    out: dict[str, Any] = {}
    for name in names:
        if name not in amounts:
            continue
        won = amounts[name]
        out[name] = won
        out[DISPLAY_KEYS.get(name) or f"{name}_display"] = None if won is None else display_won(int(won))
    return out


#: The text field beside each amount column: ``budget`` → ``budget_display``.
DISPLAY_KEYS: Final = {name: f"{name}_display" for name in AMOUNT_COLUMNS}


def display_won(won: int) -> str:
    """To the 억 for large amounts (``113조 5,365억원``), to the 만 below 1억, exact below 1만.

    The same text as ``format_won(won, precision="eok"/"man"/"won")`` (a test compares them), written out
    because an API answer formats every amount of every row: this is about five times faster.
    """
    size = abs(won)
    sign = "-" if won < 0 else ""
    if size >= 100_000_000:
        eok = (size + 50_000_000) // 100_000_000  # halves away from zero, as format_won rounds
        if eok < 10_000:
            return sign + _EOK_TEXT[eok]
        jo, eok = divmod(eok, 10_000)
        if jo < 10_000:
            return f"{sign}{jo:,}조 {_EOK_TEXT[eok]}" if eok else f"{sign}{jo:,}조원"
        return sign + _ko_parts(jo * 10**12 + eok * 10**8)
    if size >= 10_000:
        man = (size + 5_000) // 10_000
        if man < 10_000:
            return sign + _MAN_TEXT[man]
        return f"{sign}1억원"  # 9,999만 5,000원 and up round to 1억
    return f"{won:,}원"


#: "1억원" … "9,999억원" and "1만원" … "9,999만원", written once (about 1 MB): formatting a number with
#: thousands separators is most of what ``display_won`` costs.
_EOK_TEXT: Final = [f"{n:,}억원" for n in range(10_000)]
_MAN_TEXT: Final = [f"{n:,}만원" for n in range(10_000)]


def _ko_parts(rest: int) -> str:
    parts = []
    for scale, name in _KO_UNITS:
        if rest >= scale:
            q, rest = divmod(rest, scale)
            parts.append(f"{q:,}{name}")
    if rest:
        parts.append(f"{rest:,}")
    return " ".join(parts) + "원"


_KO_UNITS: Final = ((10**16, "경"), (10**12, "조"), (10**8, "억"), (10**4, "만"))


# --- formats --------------------------------------------------------------------------------------


def wants_csv(request: Request) -> bool:
    """The ``.csv`` twin of a path, or ``Accept: text/csv`` (and not also JSON first)."""
    if request.scope["path"].endswith(".csv"):  # (request.url would build the whole URL)
        return True
    accept = request.headers.get("accept", "")
    return "text/csv" in accept and "application/json" not in accept.split("text/csv")[0]


def csv_text(rows: Iterable[Mapping[str, Any]], columns: Sequence[str] | None = None) -> str:
    """Rows as CSV text with a UTF-8 byte order mark (so spreadsheet programs read Korean right)."""
    materialized = list(rows)
    if columns is None:
        seen: dict[str, None] = {}
        for row in materialized:
            seen.update(dict.fromkeys(row))
        columns = list(seen)
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for row in materialized:
        writer.writerow([_csv_cell(row.get(c)) for c in columns])
    return buffer.getvalue()


#: A text cell starting with one of these is a formula to spreadsheet programs (OWASP "CSV injection").
FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return _inert_text(";".join(str(_csv_cell(v)) for v in value))
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return _inert_text(value)
    return plain(value)  # numbers stay exact numbers: a negative amount is written -5, not '-5


def _inert_text(text: str) -> str:
    """``text`` with a leading ``'`` if a spreadsheet would run it as a formula (``=HYPERLINK(…)``, ``-2+3``).

    Only the CSV twins do this; JSON and ``yesan export`` give names exactly as published.
    """
    return "'" + text if text.startswith(FORMULA_STARTS) else text


# --- pagination -----------------------------------------------------------------------------------


def next_url(request: Request, *, total: int, limit: int, offset: int) -> str | None:
    """The URL of the next page (same path and parameters, ``offset`` moved on), or None on the last page.

    Relative to the host (``/api/items?…``), or under the app's configured ``base_url``: never built from the
    request's ``Host`` or ``X-Forwarded-Host``, which any client sets (``Host: evil.example``)."""
    if offset + limit >= total:
        return None
    params = [(k, v) for k, v in request.query_params.multi_items() if k not in ("offset", "limit")]
    params += [("limit", str(limit)), ("offset", str(offset + limit))]
    return site_url(request, f"{request.url.path}?{urlencode(params)}")


def site_url(request: Request, path: str) -> str:
    """``path`` (starting with ``/``) under the app's configured base URL (``create_app(base_url=...)``, ``yesan
    serve --base-url``), else as it is: a link relative to the host, never one made from request headers."""
    base = getattr(request.app.state, "base_url", None)
    return f"{base.rstrip('/')}{path}" if base else path


# --- caching --------------------------------------------------------------------------------------


def etag_for(request: Request, store_tag: str, csv_wanted: bool) -> str:
    """A strong ETag for this URL and representation over this store's contents."""
    query = sorted(request.query_params.multi_items())
    basis = f"{store_tag}|{request.scope['path']}|{query}|{'csv' if csv_wanted else 'json'}"
    return '"' + hashlib.sha256(basis.encode("utf-8")).hexdigest()[:32] + '"'


def not_modified(request: Request, etag: str) -> bool:
    header = request.headers.get("if-none-match")
    if not header:
        return False
    if header.strip() == "*":
        return True
    candidates = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    return etag in candidates


def cache_headers(etag: str) -> dict[str, str]:
    return {"ETag": etag, "Cache-Control": CACHE_CONTROL, "Vary": "Accept"}


def list_response(
    request: Request,
    *,
    etag: str,
    body: dict[str, Any],
    rows: list[dict[str, Any]],
    total: int,
    limit: int,
    offset: int,
    csv_wanted: bool,
    columns: Sequence[str] | None = None,
) -> Response:
    """One page of a list as JSON (``body`` plus ``rows``, ``total``, ``limit``, ``offset``, ``next``) or CSV."""
    following = next_url(request, total=total, limit=limit, offset=offset)
    headers = cache_headers(etag)
    if csv_wanted:
        headers["X-Total-Count"] = str(total)
        if following:
            headers["Link"] = f'<{following}>; rel="next"'
        return Response(csv_text(rows, columns), media_type=CSV_MEDIA_TYPE, headers=headers)
    content = {"ok": True, **body, "total": total, "limit": limit, "offset": offset, "next": following, "rows": rows}
    return JSONBytesResponse(content, headers=headers)


def object_response(*, etag: str, body: dict[str, Any]) -> Response:
    return JSONBytesResponse({"ok": True, **body}, headers=cache_headers(etag))


def not_modified_response(etag: str) -> Response:
    return Response(status_code=304, headers=cache_headers(etag))


class ResponseCache:
    """Finished 200 responses by ETag, least recently used dropped first, at most ``entries`` of them and
    ``max_bytes`` of bodies in all (so a server's memory stays flat however large its pages are).

    Sound because the ETag names the store's contents and the request, and the store cannot change
    while the app holds its read-only connection.
    """

    def __init__(self, entries: int = 512, max_body: int = 1 << 20, max_bytes: int = 32 << 20) -> None:
        self.entries = entries
        self.max_body = max_body
        self.max_bytes = max_bytes
        self.bytes = 0
        self._items: OrderedDict[str, tuple[bytes, dict[str, str]]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, etag: str) -> Response | None:
        if not self.entries:
            return None
        with self._lock:
            found = self._items.get(etag)
            if found is None:
                return None
            self._items.move_to_end(etag)
        body, headers = found
        return Response(body, headers=headers)

    def put(self, etag: str, response: Response) -> Response:
        if self.entries and response.status_code == 200 and len(response.body) <= self.max_body:
            headers = {k: v for k, v in response.headers.items() if k.lower() != "content-length"}
            body = bytes(response.body)
            with self._lock:
                previous = self._items.pop(etag, None)
                if previous is not None:
                    self.bytes -= len(previous[0])
                self._items[etag] = (body, headers)
                self.bytes += len(body)
                while len(self._items) > 1 and (len(self._items) > self.entries or self.bytes > self.max_bytes):
                    _, (dropped, _) = self._items.popitem(last=False)
                    self.bytes -= len(dropped)
        return response


# --- errors ---------------------------------------------------------------------------------------


def error_response(status: int, message: str, headers: Mapping[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"ok": False, "error": message, "status": status}, status_code=status, headers=headers)


def status_for(error: YesanError) -> int:
    if isinstance(error, NotFoundError):
        return 404
    if isinstance(error, StoreError):
        return 503
    if isinstance(error, QueryError):
        return 400
    return 400


async def yesan_error_handler(request: Request, error: Exception) -> Response:
    assert isinstance(error, YesanError)
    return error_response(status_for(error), str(error))


async def http_error_handler(request: Request, error: Exception) -> Response:
    assert isinstance(error, StarletteHTTPException)
    if error.status_code == 404:
        message = f"not found: {request.url.path}; the API is described at /docs"
    elif error.status_code == 405:
        message = f"method {request.method} not allowed on {request.url.path}; the API answers GET"
    else:
        message = str(error.detail)
    return error_response(error.status_code, message, getattr(error, "headers", None))


async def validation_error_handler(request: Request, error: Exception) -> Response:
    assert isinstance(error, RequestValidationError)
    return error_response(400, validation_message(error.errors()))


async def unexpected_error_handler(request: Request, error: Exception) -> Response:
    damaged = damaged_store(error)
    if damaged is not None:
        return error_response(503, str(damaged))
    return error_response(500, f"internal error ({type(error).__name__}); the server log has the details")


def validation_message(errors: Sequence[Any]) -> str:
    """Pydantic's errors as one line: ``bad parameter level='town': input should be 'region', ...``."""
    parts = []
    for item in errors:
        location = [str(p) for p in item.get("loc", ()) if p not in ("query", "path", "header", "body")]
        name = ".".join(location) or "request"
        message = str(item.get("msg", "invalid"))
        message = message.replace("Input should", "should").replace("String should", "should")
        if item.get("type") == "missing":
            parts.append(f"missing parameter {name}")
        elif "input" in item and item["input"] is not None:
            parts.append(f"bad parameter {name}={item['input']!r}: {message}")
        else:
            parts.append(f"bad parameter {name}: {message}")
    return "; ".join(parts) or "bad request"
