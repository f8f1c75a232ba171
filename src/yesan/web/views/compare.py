"""Two snapshots (dates, years or stages) side by side: totals, the biggest increases and cuts, new and removed items.

Items are matched by code, then by name (``yesan.query.compare``); the changes add up to the difference of
the totals, to the won, and the page says so.
"""

from __future__ import annotations

from typing import Annotated, Any, Final, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from yesan.errors import QueryError
from yesan.query import LEVELS, compare
from yesan.query.common import ratio
from yesan.query.compare import CompareRow
from yesan.query.selections import row_refs
from yesan.web.routing import tables_for
from yesan.web.views.catalog import Scope
from yesan.web.views.common import GovParam, LangParam, catalog_of, find_gov, item_url, link
from yesan.web.views.contents import Column, Page, Table, lang_of
from yesan.web.views.i18n import signed_won, text
from yesan.web.views.lookups import group_param, key_of
from yesan.web.views.page import page_route

router = APIRouter()

Level = Literal["item", "field", "sector", "government", "region"]
TOP: Final = 10
LISTED: Final = 20


@page_route(router, "/compare", summary="Two snapshots side by side: biggest increases and cuts, new and removed")
def compare_page(
    request: Request,
    gov: GovParam = None,
    before: Annotated[int | None, Query(description="snapshot id of the earlier side (default: the previous)")] = None,
    after: Annotated[int | None, Query(description="snapshot id of the later side (default: the latest)")] = None,
    level: Annotated[Level | None, Query(description="item (세부사업; default with a government) or a group")] = None,
    field: Annotated[str | None, Query(description="only this 분야")] = None,
    lang: LangParam = None,
) -> Page | Response:
    catalog = catalog_of(request)
    found = find_gov(request, catalog, gov)
    if isinstance(found, Response):
        return found
    lang = lang_of(request)
    available = catalog.snapshots_of(found)
    chosen_level: str = level or ("item" if found else "field")
    data: dict[str, Any] = {
        "page": "compare",
        "query": {"gov": gov, "before": before, "after": after, "level": chosen_level, "field": field},
        "choices": catalog.choices(),
        "gov": found.as_dict() if found else None,
        "snapshots": [s.as_dict() for s in available],
        "result": None,
    }
    if len(available) < 2 and before is None:
        return Page("compare.html", data, [])
    after_scope = catalog.scope(found.code if found else None, None, after)
    before_scope = (
        catalog.scope(found.code if found else None, None, before) if before else catalog.previous(after_scope)
    )
    if before_scope is None:  # nothing earlier than the chosen "after": the oldest other snapshot of its dataset
        others = [s for s in available if s.id != after_scope.snapshot.id and s.dataset == after_scope.snapshot.dataset]
        if not others:
            return Page("compare.html", data, [])
        before_scope = catalog.scope(found.code if found else None, None, others[0].id)
    if before_scope.snapshot.figures != after_scope.snapshot.figures:
        raise QueryError(
            f"snapshot {before_scope.snapshot.id} ({before_scope.snapshot.dataset}) and snapshot "
            f"{after_scope.snapshot.id} ({after_scope.snapshot.dataset}) are not the same kind of data: one holds "
            "line items, the other one figure a government; compare snapshots of the same dataset"
        )
    narrower = {"field_name": field or None}
    with tables_for(request) as t:
        # Figures by government are left out of t.items; a comparison that names them reads them from all_items.
        items = t.all_items if after_scope.snapshot.figures and t.all_items is not None else t.items
        result = compare(
            items, before_scope.filters(**narrower), after_scope.filters(**narrower), chosen_level, top=TOP
        )
        refs: dict[tuple[Any, ...], tuple[int, int, int]] = {}
        if chosen_level == "item":
            refs = row_refs(before_scope.filters(**narrower).apply(items))
            refs.update(row_refs(after_scope.filters(**narrower).apply(items)))
    rows = [_row(r, chosen_level, refs, after_scope, field) for r in result.rows]
    by_key = {id(r): row for r, row in zip(result.rows, rows, strict=True)}
    new = sorted((row for row in rows if row["status"] == "new"), key=lambda r: -r["after"])[:LISTED]
    removed = sorted((row for row in rows if row["status"] == "removed"), key=lambda r: -r["before"])[:LISTED]
    data["result"] = {
        "before": before_scope.as_dict(),
        "after": after_scope.as_dict(),
        "total_before": result.total_before,
        "total_after": result.total_after,
        "difference": result.difference,
        "difference_rate": ratio(result.difference, result.total_before),
        "exact": result.exact,
        "unreconciled": result.unreconciled,
        "counts": result.counts,
        "matched_by": result.matched_by,
        "same": before_scope.snapshot.id == after_scope.snapshot.id,
    }
    increases = [by_key[id(r)] for r in result.increases]
    cuts = [by_key[id(r)] for r in result.cuts]
    data["chart"] = {
        "bars": [
            {"label": r["name"], "value": r["delta"], "text": signed_won(lang, r["delta"]), "url": r["url"]}
            for r in [*increases, *reversed(cuts)]
        ],
        "diverging": True,
        "lang": lang,
    }
    columns = _columns(chosen_level, found is None)
    tables = [
        Table("increases", text(lang, "compare.increases"), columns, increases),
        Table("cuts", text(lang, "compare.cuts"), columns, cuts),
        Table("new", text(lang, "compare.new"), columns, new),
        Table("removed", text(lang, "compare.removed"), columns, removed),
        Table("all", text(lang, "compare.all"), [*columns, Column("status", "compare.status", "status")], rows,
              paged=True, default_sort=None),
    ]  # fmt: skip
    return Page("compare.html", data, tables, scripts=("plotly", "bars") if data["chart"]["bars"] else ())


def _name(row: CompareRow, level: str) -> str:
    key = row.key
    if level == "item":
        return str(key.get("item_name") or "—")
    if level == "government":
        return str(key.get("gov_name") or "—")
    if level == "region":
        return str(key.get("parent_name") or "—")
    return str(key.get(f"{level}_name") or "—")


def _row(
    row: CompareRow, level: str, refs: dict[tuple[Any, ...], tuple[int, int, int]], after: Scope, field: str | None
) -> dict[str, Any]:
    if level == "item":
        ref = refs.get(key_of(level, row.after_key or row.key)) or refs.get(key_of(level, row.before_key or row.key))
        url = item_url(*ref) if ref else None
    elif level in ("field", "sector"):
        params: dict[str, Any] = {"gov": after.gov.code if after.gov else None, "snapshot": after.snapshot.id}
        params["field"] = row.key.get("field_name") if level == "sector" else group_param("field", row.key)
        if level == "sector":
            params["sector"] = group_param("sector", row.key)
        url = link("/explore", params)
    elif level == "government":
        url = link("/", {"gov": row.key.get("gov_code"), "snapshot": after.snapshot.id})
    else:
        url = link("/explore", {"region": row.key.get("parent_name"), "snapshot": after.snapshot.id})
    return {
        "name": _name(row, level),
        **{k: row.key.get(k) for k in LEVELS[level]},
        "before": row.before,
        "after": row.after,
        "delta": row.delta,
        "delta_rate": row.delta_pct / 100 if row.delta_pct is not None else None,
        "status": row.status,
        "match": row.match,
        "url": url,
    }


def _columns(level: str, all_governments: bool) -> list[Column]:
    return [
        Column("name", level if level in ("item", "field", "sector", "region") else "government", link="url"),
        *([Column("gov_name", "government")] if level == "item" and all_governments else []),
        Column("before", "compare.before", "won"),
        Column("after", "compare.after", "won"),
        Column("delta", "delta", "signed_won"),
        Column("delta_rate", "delta_pct", "signed_pct"),
    ]
