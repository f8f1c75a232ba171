"""Where the money goes: a treemap of one level of the hierarchy (분야 → 부문 → 정책 → 단위 → 세부사업) that drills
down on click, with breadcrumbs and its table (amount, share, Δ against the previous snapshot, 집행률).

Each view is one URL: ``/explore?gov=4674000&field=사회복지&sector=노인``. Levels with no data at all
(QWGJK has no 정책/단위사업) are skipped, and so is a level whose only group has no code and no name.
Across all governments the level below 부문 is the governments (who spends it), then that government's
items: thousands of items of a hundred governments in one treemap would say nothing.
"""

from __future__ import annotations

from typing import Annotated, Any, Final

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from yesan.query import LEVELS, compare, drilldown
from yesan.query.drilldown import DrillDown
from yesan.query.rollup import Rollups
from yesan.query.selections import NULL_PARAM, narrowed, row_refs
from yesan.web.routing import rollups_for, tables_for
from yesan.web.views.catalog import Catalog, Scope
from yesan.web.views.common import GovParam, LangParam, SnapshotParam, YearParam, catalog_of, find_gov, item_url, link
from yesan.web.views.contents import Column, Page, Table, lang_of
from yesan.web.views.i18n import percent, signed_won, text, won
from yesan.web.views.lookups import group_param, key_of
from yesan.web.views.page import page_route

router = APIRouter()

#: The hierarchy the page walks down, and the URL parameter that selects a group at each level.
PATH: Final = ("field", "sector", "program", "unit", "item")
#: Across all governments: 분야 → 부문 → government (whose page continues with 정책 → 단위 → 세부사업).
ALL_PATH: Final = ("field", "sector", "government")
#: At most this many tiles in the treemap (the rest are one grey tile; the table lists every row).
TILES: Final = 150

Text = Annotated[str | None, Query()]


@page_route(router, "/explore", summary="Where the money goes: one level of the hierarchy, with shares and changes")
def explore(
    request: Request,
    gov: GovParam = None,
    year: YearParam = None,
    snapshot: SnapshotParam = None,
    region: Annotated[str | None, Query(description="광역 name (all its governments)")] = None,
    field: Annotated[str | None, Query(description="분야")] = None,
    sector: Annotated[str | None, Query(description="부문 (with field)")] = None,
    program: Annotated[str | None, Query(description="정책사업 code or name (with sector)")] = None,
    unit: Annotated[str | None, Query(description="단위사업 code or name (with program or sector)")] = None,
    lang: LangParam = None,
) -> Page | Response:
    catalog = catalog_of(request)
    found = find_gov(request, catalog, gov)
    if isinstance(found, Response):
        return found
    scope = catalog.scope(found.code if found else None, year, snapshot)
    chosen = _chosen_path(field, sector, program, unit)
    previous = catalog.previous(scope)
    # Pre-summed totals answer levels down to 부문; below (정책/단위/세부사업) the items are narrowed here.
    rollups = rollups_for(request) if "program" not in chosen and "unit" not in chosen else None
    with tables_for(request) as t:
        items = narrowed(t.items, chosen.get("program"), chosen.get("unit"))
        filters = scope.filters(
            region=region,
            field_name=_value(chosen.get("field")),
            sector_name=_value(chosen.get("sector")),
        )
        path = PATH if scope.gov else ALL_PATH
        level, result = _level_below(catalog, items, filters, chosen, rollups, path)
        deltas: dict[tuple[Any, ...], Any] = {}
        if previous is not None:
            before = previous.filters(
                region=region, field_name=_value(chosen.get("field")), sector_name=_value(chosen.get("sector"))
            )
            change = compare(items, before, filters, level, top=0)
            deltas = {key_of(level, row.key): row for row in change.rows}
        refs = row_refs(filters.apply(items)) if level == "item" else {}
    lang = lang_of(request)
    keep = {"gov": scope.gov.code if scope.gov else None, "snapshot": snapshot, "year": year, "region": region}
    labels = {code: g.label for code, g in catalog.governments.items()}
    rows = _rows(request, level, result, deltas, refs, chosen, keep, scope, labels)
    data: dict[str, Any] = {
        "page": "explore",
        "scope": scope.as_dict(),
        "query": {"gov": gov, "year": year, "snapshot": snapshot, "region": region, **chosen},
        "choices": catalog.choices(),
        "level": level,
        "region": region,
        "path": chosen,
        "breadcrumbs": _breadcrumbs(request, scope, region, chosen, keep, lang),
        "parent": {
            "items": result.total.items,
            "budget": result.total.budget,
            "spent": result.total.amounts["spent"],
            "execution_rate": result.total.execution_rate,
        },
        "previous": previous.snapshot.as_dict() if previous else None,
        "exact": result.exact,
        "chart": _chart(rows, lang, level == "item" and scope.gov is None),
        "api": link("/api/drilldown", {**_api_params(scope, region, chosen), "level": level}),
    }
    columns = [
        Column("name", level, link="url"),
        *([Column("gov_name", "government")] if level == "item" and scope.gov is None else []),
        Column("budget", "budget", "won"),
        Column("share", "share", "pct"),
        *(
            [Column("delta", "delta", "signed_won"), Column("delta_rate", "delta_pct", "signed_pct")]
            if previous
            else []
        ),
        Column("execution_rate", "execution", "pct"),
        Column("spent", "spent", "won"),
        *([Column("items", "items", "int")] if level != "item" else []),
    ]
    caption = text(lang, "explore.table", level=text(lang, level))
    table = Table("rows", caption, columns, rows, paged=True, default_sort="budget")
    return Page("explore.html", data, [table], scripts=("plotly", "treemap"))


def _chosen_path(field: str | None, sector: str | None, program: str | None, unit: str | None) -> dict[str, str]:
    """The groups the URL selects, top down; a level named without its parent is ignored."""
    chosen: dict[str, str] = {}
    for name, value in (("field", field), ("sector", sector), ("program", program), ("unit", unit)):
        if value is None or value == "":
            if name in ("program", "unit"):
                continue  # 정책/단위사업 may be missing from a source altogether
            break
        if name == "sector" and "field" not in chosen:
            break
        chosen[name] = value
    return chosen


def _value(param: str | None) -> str | None:
    return None if param is None or param == NULL_PARAM else param


def _level_below(
    catalog: Catalog,
    items: Any,
    filters: Any,
    chosen: dict[str, str],
    rollups: Rollups | None,
    path: tuple[str, ...],
) -> tuple[str, DrillDown]:
    """The first level of ``path`` below the chosen groups that splits them (or the last level)."""
    deepest = max((PATH.index(name) for name in chosen), default=-1)
    below = [level for level in path if level not in PATH or PATH.index(level) > deepest]
    for level in below:
        if level in ("program", "unit") and not catalog.has_level[level]:
            continue
        result = drilldown(items, level, filters, rollups=rollups)
        only_nameless = result.groups == 1 and all(v is None for v in result.rows[0].key.values())
        if level in ("item", "government") or not only_nameless:
            return level, result
    return "item", drilldown(items, "item", filters)


def _name(level: str, key: dict[str, Any]) -> str | None:
    if level == "sector":
        return key.get("sector_name")
    if level in ("program", "unit"):
        return key.get(f"{level}_name") or key.get(f"{level}_code")
    return key.get(f"{level}_name")


def _rows(
    request: Request,
    level: str,
    result: DrillDown,
    deltas: dict[tuple[Any, ...], Any],
    refs: dict[tuple[Any, ...], tuple[int, int, int]],
    chosen: dict[str, str],
    keep: dict[str, Any],
    scope: Scope,
    labels: dict[str, str],
) -> list[dict[str, Any]]:
    rows = []
    for row in result.rows:
        key = key_of(level, row.key)
        change = deltas.get(key)
        if level == "item":
            ref = refs.get(key)
            url = item_url(*ref) if ref else None
        else:
            url = link("/explore", {**keep, **chosen, level: group_param(level, row.key)})
        if level == "government":
            url = link("/explore", {**keep, **chosen, "gov": row.key["gov_code"]})
        name = labels.get(str(row.key.get("gov_code"))) if level == "government" else _name(level, row.key)
        rows.append(
            {
                "name": name or "—",
                **{k: row.key[k] for k in LEVELS[level]},
                "budget": row.budget,
                "share": row.share,
                "delta": change.delta if change else None,
                "delta_rate": change.delta_pct / 100 if change and change.delta_pct is not None else None,
                "status": change.status if change else None,
                "execution_rate": row.execution_rate,
                "spent": row.amounts["spent"],
                "items": row.items,
                "url": url,
            }
        )
    return rows


def _breadcrumbs(
    request: Request, scope: Scope, region: str | None, chosen: dict[str, str], keep: dict[str, Any], lang: str
) -> list[dict[str, Any]]:
    crumbs = [
        {"label": region or text(lang, "all_govs"), "level": None, "url": link("/explore", {**keep, "gov": None})}
    ]
    if scope.gov:
        crumbs.append({"label": scope.gov.label, "level": None, "url": link("/explore", keep)})
    walked: dict[str, str] = {}
    for name, value in chosen.items():
        walked[name] = value
        label = "—" if value == NULL_PARAM else value
        crumbs.append({"label": label, "level": name, "url": link("/explore", {**keep, **walked})})
    return crumbs


def _chart(rows: list[dict[str, Any]], lang: str, with_gov: bool) -> dict[str, Any]:
    """Tiles for the treemap: the largest positive rows, and one tile for the rest (texts in ``lang``)."""
    positive = sorted((r for r in rows if r["budget"] > 0), key=lambda r: -r["budget"])
    shown, rest = positive[:TILES], positive[TILES:]
    tiles = [_tile(lang, r["name"] + (f" · {r['gov_name']}" if with_gov else ""), r) for r in shown]
    if rest:
        budget, spent = sum(r["budget"] for r in rest), sum(r["spent"] for r in rest)
        others = {
            "budget": budget,
            "share": sum(r["share"] or 0 for r in rest),
            "execution_rate": spent / budget,
            "delta": None,
            "url": None,
        }
        tiles.append(_tile(lang, text(lang, "explore.others", n=f"{len(rest):,}"), others))
    return {"tiles": tiles}


def _tile(lang: str, label: str, row: dict[str, Any]) -> dict[str, Any]:
    return {
        "label": label,
        "value": row["budget"],
        "url": row["url"],
        "rate": row["execution_rate"],
        "text": [
            won(lang, row["budget"]),
            percent(row["share"]),
            percent(row["execution_rate"]),
            signed_won(lang, row["delta"]) if row["delta"] is not None else "",
        ],
    }


def _api_params(scope: Scope, region: str | None, chosen: dict[str, str]) -> dict[str, Any]:
    return {
        "gov": scope.gov.code if scope.gov else None,
        "snapshot": scope.snapshot.id,
        "region": region,
        "field": _value(chosen.get("field")),
        "sector": _value(chosen.get("sector")),
    }
