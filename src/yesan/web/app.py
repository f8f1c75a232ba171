"""The web application: ``create_app(db)`` for ASGI servers and tests, ``serve(db)`` for ``yesan serve``/``yesan demo``.

It serves the JSON API (``/api/…``, ``yesan.web.api`` and ``reports``), the explorer's pages (``yesan.web.views``),
and the article check (``yesan.web.check_api``, when installed). Every response carries the security headers
of ``SecurityHeaders``; errors are JSON for the API and an HTML page for the pages.

The store is opened read-only once per app, as a pool of cursors that request threads borrow
(``yesan.query.pool.Backends``). A read-only DuckDB connection holds a shared lock on the file, so no writer
can change the store while the app runs: what the store holds (and so every ETag) is fixed for its lifetime.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, Final
from urllib.parse import parse_qsl, urlencode, urlsplit

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request

from yesan.errors import StoreError, YesanError
from yesan.query.pool import Backends
from yesan.settings import Settings
from yesan.store.checks import CheckStore
from yesan.store.damage import damaged_store
from yesan.web import api, fastpath, reports, views
from yesan.web.checkers import CheckWorkers
from yesan.web.responses import (
    ResponseCache,
    http_error_handler,
    status_for,
    unexpected_error_handler,
    validation_error_handler,
    validation_message,
    yesan_error_handler,
)
from yesan.web.views.catalog import CatalogHolder
from yesan.web.views.common import ResidentsCache, in_background, warm
from yesan.web.views.templating import render_error
from yesan.web.workers import run_workers, server_memory
from yesan.web.writes import read_token

_STOP_S: Final = 60.0  # at most this long to wait for background work at shutdown


#: The pages run no inline script and load nothing from elsewhere. Styles allow 'unsafe-inline' because
#: plotly.js sets style attributes on the SVG it draws; scripts never do.
CONTENT_SECURITY_POLICY: Final = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
#: FastAPI's /docs and /redoc pages load Swagger UI / ReDoc from a CDN with an inline script (they need internet).
DOCS_CONTENT_SECURITY_POLICY: Final = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net https://fonts.googleapis.com; "
    "img-src 'self' data: https://fastapi.tiangolo.com https://cdn.redoc.ly; "
    "font-src 'self' https://fonts.gstatic.com; "
    "worker-src 'self' blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS: Final = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class SecurityHeaders:
    """ASGI middleware: the security headers on every HTTP response (pages, API, static files, errors)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = str(scope.get("path", ""))
        policy = DOCS_CONTENT_SECURITY_POLICY if path in ("/docs", "/redoc") else CONTENT_SECURITY_POLICY

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                for name, value in ((b"content-security-policy", policy.encode()), *SECURITY_HEADERS):
                    if name not in present:
                        headers.append((name, value))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class EmptyParameters:
    """ASGI middleware: a page request with empty parameters (``?gov=&year=`` from a form left blank) is sent
    to the same URL without them, so forms work, URLs stay short and typed parameters never see ``""``."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope.get("method") in ("GET", "HEAD"):
            query = bytes(scope.get("query_string", b"")).decode("latin-1")
            pairs = parse_qsl(query, keep_blank_values=True)
            if any(value.strip() == "" for _, value in pairs) and _page_path(str(scope.get("path", ""))):
                kept = urlencode([(k, v) for k, v in pairs if v.strip() != ""])
                location = str(scope.get("root_path", "")) + str(scope["path"]) + (f"?{kept}" if kept else "")
                await send(
                    {"type": "http.response.start", "status": 303, "headers": [(b"location", location.encode())]}
                )
                await send({"type": "http.response.body", "body": b""})
                return
        await self.app(scope, receive, send)


def create_app(
    db: Path,
    *,
    settings: Settings | None = None,
    connections: int | None = None,
    cache_entries: int | None = None,
    warm_up: bool = True,
    fast_paths: bool = True,
    base_url: str | None = None,
    write_token_file: Path | None = None,
) -> FastAPI:
    """The API and the pages over the store at ``db``, opened read-only now (a StoreError if it cannot be).

    ``settings`` (``yesan.settings``; default: ``Settings.from_environment()``) bound the checks, the store's
    cursors and memory and the response cache; ``connections`` and ``cache_entries`` override those two
    settings. ``warm_up`` builds the catalog and the search index in a background thread as the app starts,
    so the first reader does not wait for them.
    ``fast_paths=False`` leaves out ``yesan.web.fastpath`` (its tests compare the app with and without it).
    ``base_url`` (``https://yesan.example.org``) makes the links the app writes (``next`` pages, URLs in CSV
    downloads) absolute; without it they are relative. They are never built from the ``Host`` header.
    ``write_token_file`` holds the token that allows writes (saving checks, reviews: ``yesan.web.writes``);
    without it the server is read-only.
    """
    base_url = _checked_base_url(base_url)
    write_token = read_token(write_token_file) if write_token_file is not None else None
    settings = settings or Settings.from_environment()
    if connections is not None or cache_entries is not None:
        settings = settings.given(
            (name, str(value))
            for name, value in (("connections", connections), ("cache_entries", cache_entries))
            if value is not None
        )
    backends = Backends(
        db, settings.connections, memory_limit=settings.duckdb_memory_limit, wait_s=settings.connection_wait_s
    )
    checkers = CheckWorkers(db, settings.check_workers, memory_limit=settings.duckdb_memory_limit)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if warm_up:
            in_background(app, "warm-up", lambda: warm(app))
        try:
            yield
        finally:
            stop_background(app)
            checkers.close()
            backends.close()

    app = FastAPI(
        title="yesan",
        summary="Korean public budgets, exactly as published: drill-downs, items and their provenance.",
        description=(
            "Amounts are integer won, each with a `_display` text (e.g. `113조 5,365억원`). "
            "Every list answers JSON or CSV (UTF-8 with BOM): add `.csv` to the path or send `Accept: text/csv`. "
            "Lists are paginated with `limit` (default 100, at most 1000) and `offset`; `next` is the next page. "
            'Errors are always `{"ok": false, "error": "...", "status": 400}`. '
            "The explorer's pages (`/`, `/explore`, `/compare`, `/search`, `/peers`, `/item/…`) answer their data "
            "at the same path with `.json` (tag *pages*)."
        ),
        version=_version(),
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.backends = backends
    app.state.base_url = base_url
    app.state.write_token = write_token
    app.state.checks = CheckStore.of_store(db)  # saved checks and reviews (yesan.store.checks)
    app.state.cards = {}  # rendered PNG cards of saved checks' runs (views.published)
    app.state.checkers = checkers  # article checks run in child processes, killed at their deadline
    app.state.cache = ResponseCache(settings.cache_entries, max_bytes=settings.cache_max_bytes)
    app.state.catalog = CatalogHolder()
    app.state.residents = ResidentsCache()
    app.state.background = {}
    app.state.stopping = threading.Event()  # set at shutdown: background work stops between its steps
    app.include_router(api.router)
    app.include_router(reports.router)
    check_api = _check_api()
    app.state.check_available = check_api is not None
    if check_api is not None:
        app.include_router(check_api.router)
    app.include_router(views.router())
    app.add_exception_handler(YesanError, _for_pages(yesan_error_handler))
    app.add_exception_handler(StarletteHTTPException, _for_pages(http_error_handler))
    app.add_exception_handler(RequestValidationError, _for_pages(validation_error_handler))
    app.add_exception_handler(Exception, _for_pages(unexpected_error_handler))
    if fast_paths:
        app.add_middleware(fastpath.FastDrill)  # innermost of ours: the security headers still apply
    app.add_middleware(EmptyParameters)
    app.add_middleware(SecurityHeaders)
    return app


def stop_background(app: FastAPI, timeout_s: float = _STOP_S) -> None:
    """Ask background work to stop, interrupt its queries until it has, then return (the store can be closed).

    A query still running on a closed connection would crash the process; one interrupted ends with an error
    that the background thread drops (``in_background``), and the work checks ``stopping`` between steps.
    """
    app.state.stopping.set()
    deadline = time.monotonic() + timeout_s
    for thread in list(app.state.background.values()):
        while thread.is_alive() and time.monotonic() < deadline:
            app.state.backends.interrupt()
            thread.join(timeout=0.1)


def _check_api() -> Any:
    """``yesan.web.check_api`` (the article check's API) if this installation has it."""
    if importlib.util.find_spec("yesan.web.check_api") is None:
        return None
    return importlib.import_module("yesan.web.check_api")


def is_page(request: Request) -> bool:
    """A request for an HTML page (not the API, a ``.json``/``.csv`` twin, the docs or a static file)."""
    return _page_path(request.url.path)


def _page_path(path: str) -> bool:
    if path.startswith(("/api", "/static/", "/docs", "/redoc", "/openapi")):
        return False
    return not path.endswith((".json", ".csv"))


def _for_pages(
    json_handler: Callable[[Request, Exception], Awaitable[Response]],
) -> Callable[[Request, Exception], Awaitable[Response]]:
    """An error handler that answers the API's JSON error shape, or an HTML error page for a page."""

    async def handler(request: Request, error: Exception) -> Response:
        if not is_page(request):
            return await json_handler(request, error)
        if isinstance(error, YesanError):
            status, message = status_for(error), str(error)
        elif isinstance(error, StarletteHTTPException):
            status = error.status_code
            message = f"not found: {request.url.path}" if status == 404 else str(error.detail)
        elif isinstance(error, RequestValidationError):
            status, message = 400, validation_message(error.errors())
        elif (damaged := damaged_store(error)) is not None:
            status, message = 503, str(damaged)
        else:
            status, message = 500, f"internal error ({type(error).__name__}); the server log has the details"
        return HTMLResponse(render_error(request, status, message), status_code=status)

    return handler


_SERVE_DB: Final = "YESAN_SERVE_DB"
_SERVE_BASE_URL: Final = "YESAN_SERVE_BASE_URL"
_SERVE_WRITE_TOKEN_FILE: Final = "YESAN_SERVE_WRITE_TOKEN_FILE"


def _checked_base_url(base_url: str | None) -> str | None:
    """``base_url`` without its trailing slash, refused unless it is ``http(s)://host[:port][/path]``."""
    if not base_url:
        return None
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise YesanError(
            f"bad base URL {base_url!r}: give the address the site is reached at, e.g. https://yesan.example.org"
        )
    return base_url.rstrip("/")


def serve(
    db: Path,
    host: str = "127.0.0.1",
    port: int = 8000,
    *,
    quiet: bool = False,
    workers: int = 1,
    base_url: str | None = None,
    write_token_file: Path | None = None,
    settings: Settings | None = None,
) -> None:
    """Serve the pages and the API over the store at ``db`` until interrupted (``yesan serve``, ``yesan demo``).

    ``settings`` default to ``Settings.from_environment()``; the processes of ``workers`` > 1 read them from
    the ``$YESAN_<NAME>`` variables set here.

    With ``workers`` > 1, that many processes (``yesan.web.workers``) each open the store read-only (DuckDB
    allows many readers) with their own rollups and caches, and listen on the port with a socket of their own;
    the store is checked to open before they start.
    """
    import uvicorn

    level = "warning" if quiet else "info"
    if workers <= 1:
        server_memory()
        app = create_app(db, base_url=base_url, settings=settings, write_token_file=write_token_file)
        uvicorn.run(app, host=host, port=port, log_level=level)
        return
    _checked_base_url(base_url)
    if write_token_file is not None:
        read_token(write_token_file)  # a clear error now rather than one per worker
        os.environ[_SERVE_WRITE_TOKEN_FILE] = str(Path(write_token_file).resolve())
    settings = settings or Settings.from_environment()
    Backends(db, 1, memory_limit=settings.duckdb_memory_limit).close()  # a clear StoreError now, not one per worker
    os.environ.update(settings.environment())
    os.environ[_SERVE_DB] = str(Path(db).resolve())
    if base_url:
        os.environ[_SERVE_BASE_URL] = base_url
    status = run_workers("yesan.web.app:app_from_environment", host, port, workers, level)
    if status:
        raise SystemExit(status)


def app_from_environment() -> FastAPI:
    """The app over ``$YESAN_SERVE_DB``: how each of ``serve(workers=N)``'s processes builds its app."""
    token_file = os.environ.get(_SERVE_WRITE_TOKEN_FILE)
    return create_app(Path(os.environ[_SERVE_DB]), base_url=os.environ.get(_SERVE_BASE_URL) or None,
                      write_token_file=Path(token_file) if token_file else None)  # fmt: skip


def available_port(host: str, preferred: int) -> int:
    """``preferred`` if nothing listens there yet, otherwise a free port the system picks."""
    import socket

    for candidate in (preferred, 0):
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
            try:
                probe.bind((host, candidate))
            except OSError:
                continue
            return int(probe.getsockname()[1])
    raise StoreError(f"no free port on {host}; pass --port")


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("yesan")
    except Exception:
        return "0"


__all__ = [
    "CONTENT_SECURITY_POLICY",
    "SecurityHeaders",
    "available_port",
    "create_app",
    "is_page",
    "serve",
]
