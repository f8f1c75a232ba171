"""The ledger of checked figures (``yesan.publish.ledger``): a page, its JSON and CSV, and ``/api/ledger``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from yesan.publish.ledger import COLUMNS, ledger, ledger_csv, reported_ledger_rows
from yesan.query.reported import reported_rows, reported_source_rows
from yesan.web.responses import CSV_MEDIA_TYPE, error_response, plain
from yesan.web.routing import tables_for
from yesan.web.views.contents import Page
from yesan.web.views.templating import render

router = APIRouter()
_NO_STORE = {"Cache-Control": "no-store"}


def _reported(request: Request) -> list[dict[str, Any]]:
    """The store's reported figures as ledger rows, read once (the store does not change while the app runs)."""
    kept: list[dict[str, Any]] | None = getattr(request.app.state, "ledger_reported", None)
    if kept is None:
        with tables_for(request) as t:
            kept = reported_ledger_rows(reported_rows(t), reported_source_rows(t))
        request.app.state.ledger_reported = kept
    return [dict(row) for row in kept]


def _rows(request: Request) -> list[dict[str, Any]] | Response:
    params = request.query_params
    year: int | None = None
    if params.get("year"):
        try:
            year = int(params["year"])
        except ValueError:
            return error_response(400, f"bad value for year: {params['year']!r} (a year such as 2026)")
    reported = _reported(request) if params.get("reported", "1") not in ("0", "false") else []
    return ledger(request.app.state.checks, reported=reported, government=params.get("government") or None, year=year,
                  subject=params.get("subject") or None, flagged=params.get("flagged") in ("1", "true"))  # fmt: skip


@router.get("/ledger.json", summary="Every checked figure of the saved checks, flagged", tags=["checks"])
@router.get("/api/ledger", summary="Every checked figure of the saved checks, flagged", tags=["checks"])
def ledger_json(request: Request) -> Response:
    rows = _rows(request)
    if isinstance(rows, Response):
        return rows
    return JSONResponse(plain({"ok": True, "columns": list(COLUMNS), "rows": rows, "count": len(rows)}),
                        headers=_NO_STORE)  # fmt: skip


@router.get("/ledger.csv", include_in_schema=False)
def ledger_download(request: Request) -> Response:
    rows = _rows(request)
    if isinstance(rows, Response):
        return rows
    headers = {**_NO_STORE, "Content-Disposition": 'attachment; filename="yesan-ledger.csv"'}
    return Response(ledger_csv(rows), media_type=CSV_MEDIA_TYPE, headers=headers)


@router.get("/ledger", response_class=HTMLResponse, include_in_schema=False)
def ledger_page(request: Request) -> Response:
    rows = _rows(request)
    if isinstance(rows, Response):
        return rows
    params = request.query_params
    filters = {k: params.get(k, "") for k in ("government", "year", "subject")}
    data = {"page": "ledger", "rows": rows, "filters": filters,
            "flagged": params.get("flagged") in ("1", "true"),
            "csv_url": "/ledger.csv" + (f"?{request.url.query}" if request.url.query else "")}  # fmt: skip
    return HTMLResponse(render(request, Page("ledger.html", data)), headers=_NO_STORE)
