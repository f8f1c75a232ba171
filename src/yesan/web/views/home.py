"""Home: pick a government and a year; the headline numbers (total, per resident, change, execution) and 분야 bars."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from yesan.query import compare, drilldown
from yesan.query.common import ratio
from yesan.web.routing import rollups_for, tables_for
from yesan.web.views.catalog import Catalog, Scope
from yesan.web.views.common import GovParam, LangParam, SnapshotParam, YearParam, catalog_of, link, residents_of
from yesan.web.views.contents import Column, Page, Table, lang_of
from yesan.web.views.i18n import text
from yesan.web.views.page import page_route

router = APIRouter()


@page_route(router, "/", summary="Home: headline numbers of a government (or all) in a year")
def home(
    request: Request,
    gov: GovParam = None,
    year: YearParam = None,
    snapshot: SnapshotParam = None,
    lang: LangParam = None,
) -> Page | Response:
    catalog = catalog_of(request)
    candidates: list[dict[str, Any]] = []
    if gov and gov not in catalog.governments:
        with tables_for(request) as t:
            found = catalog.resolve(t, gov)
        if not isinstance(found, list):
            keep = [(k, v) for k, v in request.query_params.multi_items() if k != "gov"]
            return RedirectResponse(link("/", {"gov": found.code}, keep), status_code=303)
        candidates = [g.as_dict() for g in found]
        gov = None
    scope = catalog.scope(gov, year, snapshot)
    data: dict[str, Any] = {
        "page": "home",
        "scope": scope.as_dict(),
        "query": {"gov": request.query_params.get("gov"), "year": year, "snapshot": snapshot},
        "candidates": candidates,
        "choices": catalog.choices(),
        "snapshots_of_gov": [s.as_dict() for s in catalog.snapshots_of(scope.gov)],
    }
    data.update(_headline(request, catalog, scope))
    tables = [_field_table(request, data)]
    if scope.gov is None:
        tables.append(_region_table(request, scope, data))
    return Page("home.html", data, tables)


def _headline(request: Request, catalog: Catalog, scope: Scope) -> dict[str, Any]:
    previous = catalog.previous(scope)
    rollups = rollups_for(request)
    with tables_for(request) as t:
        fields = drilldown(t.items, "field", scope.filters(), rollups=rollups)
        everyone = residents_of(request, t, scope.snapshot_ids)
        regions = drilldown(t.items, "region", scope.filters(), rollups=rollups) if scope.gov is None else None
        change = compare(t.items, previous.filters(), scope.filters(), "field", top=0) if previous else None
    total = fields.total
    chosen = [r for r in everyone.rows if scope.gov is None or r.gov_code == scope.gov.code]
    counted = [r for r in chosen if r.population]
    people = sum(r.population or 0 for r in counted)
    amount = sum(r.amount for r in counted)
    population = {
        "people": people,
        "governments": len(counted),
        "without": sorted(r.gov_code for r in chosen if not r.population),
        "years": sorted({r.population_year for r in counted if r.population_year}),
        "sources": sorted({r.population_source for r in counted if r.population_source}),
    }
    deltas = {row.key["field_name"]: row for row in change.rows} if change else {}
    return {
        "total": {
            "budget": total.budget,
            "spent": total.amounts["spent"],
            "items": total.items,
            "execution_rate": total.execution_rate,
            "governments": len(chosen),
        },
        "per_resident": {"won": amount // people if people else None, "amount": amount, **population},
        "previous": (
            {
                "snapshot": previous.snapshot.as_dict(),
                "budget": change.total_before,
                "delta": change.difference,
                "delta_pct": ratio(change.difference, change.total_before),
            }
            if previous and change
            else None
        ),
        "fields": [
            {
                "name": row.key["field_name"] or "—",
                "budget": row.budget,
                "share": row.share,
                "spent": row.amounts["spent"],
                "execution_rate": row.execution_rate,
                "items": row.items,
                "delta": deltas[row.key["field_name"]].delta if row.key["field_name"] in deltas else None,
            }
            for row in fields.rows
        ],
        "regions": (
            [
                {
                    "name": row.key["parent_name"] or "—",
                    "budget": row.budget,
                    "share": row.share,
                    "execution_rate": row.execution_rate,
                    "items": row.items,
                }
                for row in regions.rows
            ]
            if regions
            else []
        ),
    }


def _field_table(request: Request, data: dict[str, Any]) -> Table:
    scope = data["scope"]
    keep = {"gov": scope["gov"]["code"] if scope["gov"] else None, "snapshot": scope["snapshot"]["snapshot_id"]}
    rows = [{**r, "url": link("/explore", {**keep, "field": r["name"]})} for r in data["fields"]]
    columns = [
        Column("name", "field", link="url"),
        Column("budget", "budget", "won"),
        Column("share", "share", "bar"),
        Column("execution_rate", "execution", "pct"),
    ]
    if data["previous"]:
        columns.insert(2, Column("delta", "delta", "signed_won"))
    return Table("fields", text(lang_of(request), "home.by_field"), columns, rows)


def _region_table(request: Request, scope: Scope, data: dict[str, Any]) -> Table:
    keep = {"snapshot": scope.snapshot.id}
    rows = [{**r, "url": link("/explore", {**keep, "region": r["name"]})} for r in data["regions"]]
    columns = [
        Column("name", "region", link="url"),
        Column("budget", "budget", "won"),
        Column("share", "share", "bar"),
        Column("execution_rate", "execution", "pct"),
        Column("items", "items", "int"),
    ]
    return Table("regions", text(lang_of(request), "home.by_region"), columns, rows)
