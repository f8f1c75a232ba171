"""Routes for the analyses: compare, execution, funding mix, peers and per-resident amounts, search."""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any, Literal, get_args

from fastapi import APIRouter, Depends, Query, Request

from yesan.errors import QueryError
from yesan.model import FUNDING_COLUMNS
from yesan.query import Filters, compare, execution, execution_trend, funding_mix, peers, per_resident
from yesan.query.compare import CompareRow
from yesan.query.execution import ExecutionRow, TrendPoint
from yesan.query.funding import FUNDING_SORTS, FundingRow
from yesan.query.peers import PEER_GROUPS, PerResident
from yesan.query.selections import source_rows
from yesan.web.answers import Listing, list_api, object_api
from yesan.web.api import Level
from yesan.web.responses import plain, with_display
from yesan.web.routing import Limit, Offset, Snapshot, backends_of, item_filters, tables_for

router = APIRouter(prefix="/api")

ItemFilters = Annotated[Filters, Depends(item_filters)]
Amount = Literal["budget", "national", "provincial", "municipal", "other", "spent", "allocated"]
FundingSort = Literal["budget", "gap", "national", "provincial", "municipal", "other"]
PeerGroup = Literal["region", "type", "band"]
assert set(get_args(FundingSort)) == set(FUNDING_SORTS), "web.reports.FundingSort is out of step with the query"
assert set(get_args(PeerGroup)) == set(PEER_GROUPS), "web.reports.PeerGroup is out of step with the query"

Top = Annotated[int, Query(ge=0, le=1000, description="how many to list in the top lists")]


def _filters_shown(filters: Filters) -> dict[str, Any]:
    return {k: v for k, v in plain(vars(filters)).items() if v is not None}


# --- compare --------------------------------------------------------------------------------------


def _compare_row(row: CompareRow, amount: str) -> dict[str, Any]:
    return {
        **row.key,
        **with_display({"before": row.before, "after": row.after, "delta": row.delta}, ["before", "after", "delta"]),
        "delta_pct": row.delta_pct,
        "status": row.status,
        "match": row.match,
    }


@list_api(router, "/compare", "Two selections side by side (snapshots, years or stages), reconciled to the won")
def compare_route(
    request: Request,
    filters: ItemFilters,
    before_snapshot: Snapshot = None,
    after_snapshot: Snapshot = None,
    before_year: Annotated[int | None, Query()] = None,
    after_year: Annotated[int | None, Query()] = None,
    before_stage: Annotated[str | None, Query()] = None,
    after_stage: Annotated[str | None, Query()] = None,
    level: Annotated[Level, Query()] = "item",
    amount: Annotated[Amount, Query()] = "budget",
    top: Top = 10,
    limit: Limit = 100,
    offset: Offset = 0,
) -> Listing:
    if not (before_snapshot or before_year or before_stage) or not (after_snapshot or after_year or after_stage):
        raise QueryError(
            "compare needs a before and an after: before_snapshot and after_snapshot, "
            "or before_year and after_year, or before_stage and after_stage"
        )
    before = dataclasses.replace(
        filters,
        snapshot_ids=tuple(before_snapshot) if before_snapshot else filters.snapshot_ids,
        fiscal_year=before_year if before_year is not None else filters.fiscal_year,
        stage=before_stage if before_stage is not None else filters.stage,
    )
    after = dataclasses.replace(
        filters,
        snapshot_ids=tuple(after_snapshot) if after_snapshot else filters.snapshot_ids,
        fiscal_year=after_year if after_year is not None else filters.fiscal_year,
        stage=after_stage if after_stage is not None else filters.stage,
    )
    with tables_for(request) as t:
        result = compare(t.items, before, after, level, amount=amount, top=top)
    fed_before, fed_after = list(result.before_snapshot_ids), list(result.after_snapshot_ids)
    totals = {"total_before": result.total_before, "total_after": result.total_after, "difference": result.difference}
    body = {
        "level": level,
        "amount": amount,
        "before": {"filters": _filters_shown(before), "snapshot_ids": fed_before},
        "after": {"filters": _filters_shown(after), "snapshot_ids": fed_after},
        "snapshot_ids": sorted({*fed_before, *fed_after}),
        "notes": list(result.notes),
        **with_display(totals, list(totals)),
        "unreconciled": result.unreconciled,
        "exact": result.exact,
        "counts": result.counts,
        "matched_by": result.matched_by,
        "increases": [_compare_row(r, amount) for r in result.increases],
        "cuts": [_compare_row(r, amount) for r in result.cuts],
    }
    return Listing.page_of(body, result.rows, lambda r: _compare_row(r, amount), limit=limit, offset=offset)


# --- execution ------------------------------------------------------------------------------------


def _execution_row(row: ExecutionRow) -> dict[str, Any]:
    return {
        **row.key,
        "items": row.items,
        **with_display({"budget": row.budget, "spent": row.spent}, ["budget", "spent"]),
        "rate": row.rate,
    }


@list_api(router, "/execution", "Execution rate (지출액 / 예산현액) per group, with the lowest and highest")
def execution_route(
    request: Request,
    filters: ItemFilters,
    level: Annotated[Level, Query()] = "item",
    min_budget: Annotated[int, Query(ge=0, description="won; smaller groups are not ranked")] = 0,
    top: Top = 10,
    limit: Limit = 100,
    offset: Offset = 0,
) -> Listing:
    with tables_for(request) as t:
        result = execution(t.items, filters, level=level, min_budget=min_budget, top=top, limit=limit, offset=offset)
    body = {
        "level": level,
        "filters": _filters_shown(filters),
        "min_budget": min_budget,
        "snapshot_ids": list(result.snapshot_ids),
        "parent": {**_execution_row(result.total), "snapshot_ids": list(result.snapshot_ids)},
        "note": result.note,
        "lowest": [_execution_row(r) for r in result.lowest],
        "highest": [_execution_row(r) for r in result.highest],
    }
    return Listing(body, [_execution_row(r) for r in result.rows], result.row_count, limit, offset)


def _trend_point(point: TrendPoint) -> dict[str, Any]:
    return {
        "snapshot_id": point.snapshot_id,
        "exe_ymd": point.exe_ymd,
        "stage": point.stage,
        "items": point.items,
        **with_display({"budget": point.budget, "spent": point.spent}, ["budget", "spent"]),
        "rate": point.rate,
    }


@list_api(router, "/execution/trend", "Execution per snapshot of one fiscal year (rows: one per snapshot)")
def execution_trend_route(
    request: Request,
    filters: ItemFilters,
    level: Annotated[Level | None, Query(description="also one series per group at this level")] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> Listing:
    with tables_for(request) as t:
        result = execution_trend(t.items, filters, level=level)
    points = [_trend_point(p) for p in result.points]
    body = {
        "fiscal_year": result.fiscal_year,
        "level": level,
        "filters": _filters_shown(filters),
        "snapshot_ids": [p.snapshot_id for p in result.points],
        "series": [{"key": s.key, "points": [_trend_point(p) for p in s.points]} for s in result.series],
    }
    return Listing(body, points[offset : offset + limit], len(points), limit, offset)


# --- funding --------------------------------------------------------------------------------------


def _funding_row(row: FundingRow) -> dict[str, Any]:
    amounts = {"budget": row.budget, **row.funding, "funded": row.funded, "gap": row.gap}
    return {
        **row.key,
        "items": row.items,
        **with_display(amounts, list(amounts)),
        **{f"share_{name}": share for name, share in row.shares.items()},
        "balanced": row.balanced,
        "items_unbalanced": row.items_unbalanced,
        "items_incomplete": row.items_incomplete,
    }


@list_api(router, "/funding", "Funding mix (국비, 시도비, 시군구비, 기타) per group, with rows that do not add up")
def funding_route(
    request: Request,
    filters: ItemFilters,
    level: Annotated[Level, Query()] = "government",
    sort: Annotated[FundingSort, Query(description="largest first; a source sorts by its share")] = "budget",
    limit: Limit = 100,
    offset: Offset = 0,
) -> Listing:
    with tables_for(request) as t:
        result = funding_mix(t.items, filters, level=level, sort=sort)
    fed = list(result.snapshot_ids)
    body = {
        "level": level,
        "filters": _filters_shown(filters),
        "sort": sort,
        "sources": list(FUNDING_COLUMNS),
        "snapshot_ids": fed,
        "parent": {**_funding_row(result.total), "snapshot_ids": fed},
        "note": result.note,
        "balanced": result.balanced,
        "flagged": [_funding_row(r) for r in result.flagged[:100]],
        "flagged_total": len(result.flagged),
    }
    rows = [_funding_row(r) for r in result.rows[offset : offset + limit]]
    return Listing(body, rows, result.groups, limit, offset)


# --- per resident and peers -----------------------------------------------------------------------


def _resident(row: PerResident) -> dict[str, Any]:
    per = row.per_resident
    return {
        "gov_code": row.gov_code,
        "gov_name": row.gov_name,
        "region": row.region,
        "gov_type": row.gov_type,
        **with_display({"amount": row.amount}, ["amount"]),
        "population": row.population,
        "population_year": row.population_year,
        "population_source": row.population_source,
        "band": row.band,
        "per_resident": per,
        "per_resident_display": None if per is None else f"{per:,}원",
    }


@list_api(router, "/per-resident", "An amount per resident for each government, citing the population used")
def per_resident_route(
    request: Request,
    filters: ItemFilters,
    amount: Annotated[Amount, Query()] = "budget",
    of_field: Annotated[str | None, Query(description="count only this 분야's amount")] = None,
    year: Annotated[int | None, Query(ge=1900, le=2100, description="latest population up to this year")] = None,
    source: Annotated[str | None, Query(description="population source")] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> Listing:
    with tables_for(request) as t:
        report = per_resident(t, filters, amount=amount, field_name=of_field, year=year, source=source)
    body = {
        "measure": report.measure,
        "filters": _filters_shown(filters),
        "snapshot_ids": list(report.snapshot_ids),
        "note": report.note,
        "without_population": list(report.without_population),
    }
    return Listing.page_of(body, report.rows, _resident, limit=limit, offset=offset)


@object_api(router, "/peers", "Rank a government among its peers by an amount per resident")
def peers_route(
    request: Request,
    filters: ItemFilters,
    of: Annotated[str, Query(description="the government's code, e.g. 4711000")],
    group: Annotated[PeerGroup, Query(description="same 광역 (region), kind (type) or population band")] = "type",
    amount: Annotated[Amount, Query()] = "budget",
    of_field: Annotated[str | None, Query(description="count only this 분야's amount")] = None,
    year: Annotated[int | None, Query(ge=1900, le=2100)] = None,
    source: Annotated[str | None, Query()] = None,
) -> dict[str, Any]:
    with tables_for(request) as t:
        result = peers(
            t, of, group=group, filters=filters, amount=amount, field_name=of_field, year=year, source=source
        )
    body = {
        "group": result.group,
        "group_value": result.group_value,
        "measure": result.measure,
        "snapshot_ids": list(result.snapshot_ids),
        "note": result.note,
        "government": _resident(result.government),
        "rank": result.rank,
        "group_size": result.group_size,
        "median_per_resident": result.median_per_resident,
        "median_exact": f"{result.median.numerator}/{result.median.denominator}",
        "peers": [_resident(r) for r in result.peers],
        "without_population": list(result.without_population),
    }
    return body


# --- search ---------------------------------------------------------------------------------------


@list_api(router, "/search", "Find items by name (Korean-aware: spacing, particles, synonyms, one-syllable typos)")
def search_route(
    request: Request,
    q: Annotated[str, Query(min_length=1, description="words to look for, e.g. 경로당 or 청년 일자리")],
    gov: Annotated[list[str] | None, Query(description="government codes")] = None,
    region: Annotated[str | None, Query(description="광역 name")] = None,
    field: Annotated[str | None, Query(description="분야")] = None,
    snapshot: Snapshot = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> Listing:
    codes = tuple(c.strip() for value in gov or [] for c in value.split(",") if c.strip()) or None
    backends = backends_of(request)
    index = backends.search_index(Filters(snapshot_ids=tuple(snapshot) if snapshot else None))  # built once
    with backends.search_tables() as t:
        sources = source_rows(t)
    hits = index.search(q, limit=None, gov_codes=codes, region=region, field=field)
    rows = []
    for hit in hits[offset : offset + limit]:
        source = sources.get(hit.source_id, {})
        rows.append(
            {
                "item_name": hit.item_name,
                "gov_code": hit.gov_code,
                "gov_name": hit.gov_name,
                "parent_name": hit.parent_name,
                "field_name": hit.field_name,
                "sector_name": hit.sector_name,
                "account": hit.key[1],
                "item_code": hit.key[2],
                **with_display({"budget": hit.budget}, ["budget"]),
                "score": hit.score,
                "snapshot_id": hit.snapshot_id,
                "source_id": hit.source_id,
                "row_no": hit.row_no,
                "source_file": source.get("file"),
                "source_sha256": source.get("sha256"),
                "url": f"/api/items/{hit.snapshot_id}/{hit.source_id}/{hit.row_no}",
            }
        )
    body = {"q": q, "snapshot_ids": sorted({h.snapshot_id for h in hits})}
    return Listing(body, rows, len(hits), limit, offset)
