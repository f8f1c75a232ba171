"""Search item (세부사업) names across every government, ranked (Korean-aware, see ``yesan.query.search``),
narrowed by 광역, 분야 or government. By default each government's current items (its latest snapshot).
"""

from __future__ import annotations

from typing import Annotated, Any, Final

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from yesan.query import Filters
from yesan.query.search import EXACT, SYNONYM, TYPO
from yesan.web.routing import backends_of
from yesan.web.views.common import GovParam, LangParam, catalog_of, find_gov, item_url, link
from yesan.web.views.contents import Column, Page, Table, lang_of
from yesan.web.views.i18n import text
from yesan.web.views.page import page_route

router = APIRouter()

SEARCH_ROWS: Final = 50
MAX_HITS: Final = 5000


@page_route(router, "/search", summary="Search line items by name across every government")
def search_page(
    request: Request,
    q: Annotated[str | None, Query(description="words to find, e.g. 경로당 or 청년 일자리")] = None,
    gov: GovParam = None,
    region: Annotated[str | None, Query(description="광역 name")] = None,
    field: Annotated[str | None, Query(description="분야")] = None,
    snapshot: Annotated[int | None, Query(description="one snapshot (default: each government's latest)")] = None,
    lang: LangParam = None,
) -> Page | Response:
    catalog = catalog_of(request)
    found = find_gov(request, catalog, gov)
    if isinstance(found, Response):
        return found
    query = (q or "").strip()
    rows: list[dict[str, Any]] = []
    truncated = False
    if query:
        # each government's latest snapshot, or the one asked for (an older one is not in the default index)
        index = backends_of(request).search_index(Filters(snapshot_ids=(snapshot,) if snapshot else None))
        hits = index.search(
            query,
            limit=MAX_HITS,
            gov_codes=[found.code] if found else None,
            region=region or None,
            field=field or None,
            snapshot_ids=[snapshot] if snapshot else None,
        )
        truncated = len(hits) >= MAX_HITS
        for hit in hits:
            government = catalog.governments.get(hit.gov_code)
            if snapshot is None and government is not None and hit.snapshot_id != government.snapshot_ids[-1]:
                continue  # an older snapshot of the same item
            rows.append(
                {
                    "rank": len(rows) + 1,
                    "item_name": hit.item_name,
                    "government": government.label if government else hit.gov_name,
                    "gov_code": hit.gov_code,
                    "field_name": hit.field_name,
                    "sector_name": hit.sector_name,
                    "budget": hit.budget,
                    "match": _match(hit.score),
                    "score": hit.score,
                    "snapshot_id": hit.snapshot_id,
                    "url": item_url(hit.snapshot_id, hit.source_id, hit.row_no),
                }
            )
    lang = lang_of(request)
    data: dict[str, Any] = {
        "page": "search",
        "q": query,
        "query": {"gov": gov, "region": region, "field": field, "snapshot": snapshot},
        "gov": found.as_dict() if found else None,
        "choices": catalog.choices(),
        "total": len(rows),
        "truncated": truncated,
        "api": link("/api/search", {"q": query, "gov": found.code if found else None, "region": region}),
    }
    columns = [
        Column("rank", "peers.rank_col", "int"),
        Column("item_name", "item", link="url"),
        Column("government", "government"),
        Column("field_name", "field"),
        Column("sector_name", "sector"),
        Column("budget", "budget", "won"),
        Column("match", "item.match", "match"),
    ]
    caption = text(lang, "search.results", q=query, total=f"{len(rows):,}") if query else text(lang, "search.title")
    table = Table("results", caption, columns, rows, paged=True, default_sort="rank", default_order="asc")
    table.limit = SEARCH_ROWS
    return Page("search.html", data, [table])


def _match(score: float) -> str:
    """How a hit matched, for people: every word as written, close (particle/synonym), or a typo/partial match."""
    if score >= 1:
        return "exact"
    if score >= SYNONYM / EXACT:
        return "close"
    if score >= TYPO / EXACT:
        return "typo"
    return "partial"
