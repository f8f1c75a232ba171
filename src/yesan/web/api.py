"""The API's core routes (all GET, under ``/api``). Each list route also answers CSV at ``<path>.csv``."""

from __future__ import annotations

from typing import Annotated, Any, Literal, get_args

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from yesan.model import AMOUNT_COLUMNS
from yesan.query import LEVELS, Filters, drilldown
from yesan.query.drilldown import SORTS, DrillDown, DrillRow, drilldown_held
from yesan.query.selections import (
    ITEM_COLUMNS,
    governments_page,
    item_with_provenance,
    items_page,
    snapshot_files,
)
from yesan.web.answers import Listing, answered, list_api, object_api
from yesan.web.responses import DISPLAY_KEYS, NotFoundError, display_won, plain, with_display
from yesan.web.routing import (
    Limit,
    Offset,
    Snapshot,
    item_filters,
    rollups_for,
    rollups_if_built,
    tables_for,
)

router = APIRouter(prefix="/api")

Level = Literal["region", "government", "account_type", "account", "field", "sector", "program", "unit", "item"]
Sort = Literal["budget", "spent", "items", "execution", "name"]
assert set(get_args(Level)) == set(LEVELS), "web.api.Level is out of step with yesan.query.LEVELS"
assert set(get_args(Sort)) == set(SORTS), "web.api.Sort is out of step with yesan.query.drilldown.SORTS"

ItemFilters = Annotated[Filters, Depends(item_filters)]


# --- routes ---------------------------------------------------------------------------------------


@router.get("", summary="What this API answers", include_in_schema=False)
def index(request: Request) -> dict[str, Any]:
    background = getattr(request.app.state, "background", {})
    warming = "warm-up" in background and background["warm-up"].is_alive()
    return {
        "ok": True,
        "ready": not warming,  # false while this process still builds its caches (rollups, search index) at start
        "docs": "/docs",
        "openapi": "/openapi.json",
        "endpoints": [
            "/api/snapshots",
            "/api/governments",
            "/api/drilldown",
            "/api/items",
            "/api/items/{snapshot_id}/{source_id}/{row_no}",
            "/api/compare",
            "/api/execution",
            "/api/execution/trend",
            "/api/funding",
            "/api/per-resident",
            "/api/peers",
            "/api/search",
        ],
    }


@list_api(router, "/snapshots", "Snapshots in the store, with their source files")
def snapshots(request: Request, limit: Limit = 100, offset: Offset = 0) -> Listing:
    with tables_for(request) as t:
        snapshot_rows, files = snapshot_files(t)  # figures by government have sources too
    rows = []
    for record in snapshot_rows:
        budget_total = record.pop("budget_total")
        mine = [f for f in files if f["snapshot_id"] == record["snapshot_id"]]
        rows.append(
            {
                **record,
                **with_display({"budget_total": None if budget_total is None else int(budget_total)}, ["budget_total"]),
                "source_ids": [f["source_id"] for f in mine],
                "source_files": [f["file"] for f in mine],
            }
        )
    return Listing({}, rows[offset : offset + limit], len(rows), limit, offset)


@list_api(router, "/governments", "Governments, with their latest population (source, year) and budget totals")
def governments(
    request: Request,
    snapshot: Snapshot = None,
    region: Annotated[str | None, Query(description="광역 name, e.g. 전라남도")] = None,
    level: Annotated[Literal["광역", "기초"] | None, Query(description="광역 or 기초")] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> Listing:
    with tables_for(request) as t:
        found = governments_page(
            t, region=region, level=level, snapshot_ids=tuple(snapshot) if snapshot else None,
            limit=limit, offset=offset,
        )  # fmt: skip
    total, page, per_gov, fed, people = found.total, found.governments, found.totals, found.fed, found.population
    totals = {r["gov_code"]: r for r in per_gov}
    latest: dict[str, dict[str, Any]] = {}
    for p in sorted(people, key=lambda p: (p["year"], p["source"])):
        latest[p["gov_code"]] = p
    rows = []
    for gov in page:
        code = gov["code"]
        sums_of = totals.get(code, {})
        person = latest.get(code, {})
        rows.append(
            {
                **gov,
                "population": person.get("population"),
                "population_year": person.get("year"),
                "population_source": person.get("source"),
                "population_file": person.get("source_file"),
                "items": int(sums_of.get("items") or 0),
                **with_display({n: int(sums_of.get(n) or 0) for n in ("budget", "national", "spent")}),
                "snapshot_ids": sorted(int(f["snapshot_id"]) for f in fed if f["gov_code"] == code),
            }
        )
    return Listing({}, rows, total, limit, offset)


def _drill_from_store(request: Request, level: str, filters: Filters, sort: str) -> DrillDown:
    rollups = rollups_for(request)  # built here on a first drill-down if the warm-up has not yet
    with tables_for(request) as t:
        return drilldown(t.items, level, filters, sort=sort, rollups=rollups)


def _drill_row(row: DrillRow) -> dict[str, Any]:
    """``{**row.as_dict(), **with_display(row.amounts)}`` (same keys, same order) without the second dict: an
    answer formats every row, and this is most of a drill-down's cost once its sums are in memory."""
    out = row.as_dict()
    for name, display in DISPLAY_KEYS.items():
        out[display] = display_won(row.amounts[name])
    return out


@list_api(router, "/drilldown", "Totals at one level of the hierarchy, with shares of the parent")
async def drill(
    request: Request,
    filters: ItemFilters,
    level: Annotated[Level, Query(description="what to group by")] = "field",
    sort: Annotated[Sort, Query(description="largest first, execution lowest first, or by name")] = "budget",
    limit: Limit = 100,
    offset: Offset = 0,
) -> Listing:
    rollups = rollups_if_built(request)
    # From sums already in memory (a few hundred rows, well under a millisecond): on the event loop, no thread.
    result = None if rollups is None else drilldown_held(level, filters, sort=sort, rollups=rollups)
    if result is None:
        result = await run_in_threadpool(_drill_from_store, request, level, filters, sort)
    parent = {
        "items": result.total.items,
        **with_display(result.total.amounts),
        "execution_rate": result.total.execution_rate,
        "snapshot_ids": result.snapshot_ids,
    }
    body = {
        "level": level,
        "group_by": list(LEVELS[level]),
        "filters": {k: v for k, v in plain(vars(filters)).items() if v is not None},
        "sort": sort,
        "snapshot_ids": result.snapshot_ids,
        "parent": parent,
        "exact": result.exact,
        "difference": result.difference,
        "note": result.note,
    }
    rows = [_drill_row(r) for r in result.rows[offset : offset + limit]]
    snapshots = ",".join(str(s) for s in result.snapshot_ids)
    return Listing(body, rows, result.groups, limit, offset, headers={"X-Yesan-Snapshots": snapshots})


_drill_answered: Any = answered(drill)


async def drill_response(
    request: Request, filters: Filters, level: str, sort: str, limit: int, offset: int
) -> Response:
    """``/api/drilldown``'s answer to validated parameters, with its ETag and cache steps (``yesan.web.fastpath``)."""
    response: Response = await _drill_answered(
        request=request, filters=filters, level=level, sort=sort, limit=limit, offset=offset
    )
    return response


def _item_row(record: dict[str, Any]) -> dict[str, Any]:
    row = {name: record[name] for name in ITEM_COLUMNS}
    row.update(with_display({name: record[name] for name in AMOUNT_COLUMNS}))
    provenance = {
        "dataset": record["dataset"],
        "source_file": record["source_file"],
        "sha256": record["sha256"],
        "row": record["row_no"],
        "loaded_at": record["loaded_at"],
    }
    url = f"/api/items/{record['snapshot_id']}/{record['source_id']}/{record['row_no']}"
    return {**row, "provenance": provenance, "url": url}


def _flat_item(row: dict[str, Any]) -> dict[str, Any]:
    flat = {k: v for k, v in row.items() if k != "provenance"}
    flat.update({f"source_{k}" if k in ("sha256", "row") else k: v for k, v in row["provenance"].items()})
    return flat


@list_api(router, "/items", "Line items as published, each with its provenance")
def items_list(
    request: Request,
    filters: ItemFilters,
    limit: Limit = 100,
    offset: Offset = 0,
) -> Listing:
    with tables_for(request) as t:
        total, found, fed = items_page(t, filters.apply(t.items), limit=limit, offset=offset)
    rows = [_item_row(r) for r in found]
    return Listing({"snapshot_ids": fed}, rows, total, limit, offset, csv_row=_flat_item)


@object_api(router, "/items/{snapshot_id}/{source_id}/{row_no}", "One line item with its full provenance")
def item(
    request: Request,
    snapshot_id: Annotated[int, Path(ge=1)],
    source_id: Annotated[int, Path(ge=1)],
    row_no: Annotated[int, Path(ge=1, description="1-based data record in the source file")],
) -> dict[str, Any]:
    with tables_for(request) as t:
        found = item_with_provenance(t, snapshot_id, source_id, row_no)
    if found is None:
        raise NotFoundError(
            f"no item at snapshot {snapshot_id}, source {source_id}, row {row_no}; "
            "/api/snapshots lists the snapshots and their sources"
        )
    return {"item": _item_row(found)}
