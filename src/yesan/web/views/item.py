"""One 세부사업: amounts, funding mix, execution, its history across snapshots, items with similar names in other
governments, and where it came from — with a citation to paste.

The URL names the source row itself (``/item/{snapshot_id}/{source_id}/{row_no}``, as ``/api/items/…``),
so a link to an item page is a citation too.
"""

from __future__ import annotations

from typing import Annotated, Any, Final

from fastapi import APIRouter, Path, Request

from yesan.model import FUNDING_COLUMNS
from yesan.query import Filters
from yesan.query.common import ratio
from yesan.query.items import ItemRecord
from yesan.query.search import EXACT, SYNONYM
from yesan.query.selections import NULL_PARAM, item_history, item_row
from yesan.web.responses import NotFoundError
from yesan.web.routing import backends_of, tables_for
from yesan.web.views.catalog import Catalog
from yesan.web.views.common import LangParam, catalog_of, item_url, link
from yesan.web.views.contents import Column, Page, Table, lang_of
from yesan.web.views.i18n import precise_won, text
from yesan.web.views.page import page_route

router = APIRouter()

#: Items with similar names: at most this many, one per government, matching at least this well.
PEERS: Final = 12
PEER_MIN_SCORE: Final = SYNONYM / EXACT


@page_route(router, "/item/{snapshot_id}/{source_id}/{row_no}", summary="One line item (세부사업) with its provenance")
def item(
    request: Request,
    snapshot_id: Annotated[int, Path(ge=1)],
    source_id: Annotated[int, Path(ge=1)],
    row_no: Annotated[int, Path(ge=1, description="1-based data record in the source file")],
    lang: LangParam = None,
) -> Page:
    catalog = catalog_of(request)
    with tables_for(request) as t:
        fields = item_row(t.items, snapshot_id, source_id, row_no)
        if fields is None or source_id not in catalog.sources:
            raise NotFoundError(
                f"no item at snapshot {snapshot_id}, source {source_id}, row {row_no}; "
                "search for it at /search, or list the snapshots at /api/snapshots"
            )
        code = fields["item_code"]
        history = item_history(t.items, fields["gov_code"], fields["account"], code) if code else [fields]
    history.sort(key=lambda r: catalog.by_id[r["snapshot_id"]].order if r["snapshot_id"] in catalog.by_id else (0,))
    source = catalog.sources[source_id]
    snapshot = catalog.by_id.get(snapshot_id)
    record = ItemRecord(
        fields=fields,
        snapshot_id=snapshot_id,
        source_id=source_id,
        dataset=snapshot.dataset if snapshot else str(source["dataset"]),
        source_file=str(source["file"]),
        sha256=str(source["sha256"]),
        loaded_at=str(source["loaded_at"]),
    )
    lang = lang_of(request)
    budget = int(fields["budget"] or 0)
    funding = {name: fields[name] for name in FUNDING_COLUMNS}
    funded = sum(int(v or 0) for v in funding.values())
    data: dict[str, Any] = {
        "page": "item",
        "item": dict(fields),
        "gov_label": f"{fields['parent_name']} {fields['gov_name']}" if fields["parent_name"] else fields["gov_name"],
        "snapshot": snapshot.as_dict() if snapshot else None,
        "execution_rate": ratio(int(fields["spent"] or 0), budget),
        "funding": {
            "sources": [
                {"name": name, "won": funding[name], "share": ratio(int(funding[name] or 0), budget)}
                for name in FUNDING_COLUMNS
            ],
            "gap": budget - funded,
            "complete": all(v is not None for v in funding.values()),
        },
        "classification": _classification(request, fields),
        "provenance": {
            "dataset": record.dataset,
            "description": snapshot.description if snapshot else record.dataset,
            "source_file": record.source_file,
            "sha256": record.sha256,
            "row": fields["row_no"],
            "loaded_at": record.loaded_at,
            "exe_ymd": fields["exe_ymd"],
            "url": item_url(snapshot_id, source_id, row_no),
            "api": f"/api/items/{snapshot_id}/{source_id}/{row_no}",
        },
        "citation": {"ko": _citation(record, snapshot, "ko"), "en": _citation(record, snapshot, "en")},
        "citation_short": record.citation(),
    }
    tables = [
        _history_table(lang, catalog, history, record),
        _peer_table(request, lang, catalog, record),
    ]
    return Page("item.html", data, tables, precision="man")  # one item is quoted to the 만원


def _classification(request: Request, fields: dict[str, Any]) -> list[dict[str, Any]]:
    """분야 › 부문 › 정책 › 단위, each linking to that group on the explore page."""
    keep: dict[str, Any] = {"gov": fields["gov_code"], "snapshot": fields["snapshot_id"]}
    crumbs = []
    walked: dict[str, Any] = {}
    for level, value in (
        ("field", fields["field_name"]),
        ("sector", fields["sector_name"]),
        ("program", fields["program_code"] or fields["program_name"]),
        ("unit", fields["unit_code"] or fields["unit_name"]),
    ):
        if value is None and level in ("program", "unit"):
            continue
        walked[level] = NULL_PARAM if value is None else value
        label = fields["program_name"] if level == "program" else fields["unit_name"] if level == "unit" else value
        crumbs.append({"level": level, "label": label or "—", "url": link("/explore", {**keep, **walked})})
    return crumbs


def _citation(record: ItemRecord, snapshot: Any, lang: str) -> str:
    f = record.fields
    where = f"{f['parent_name']} {f['gov_name']}" if f["parent_name"] else f["gov_name"]
    description = snapshot.description if snapshot else record.dataset
    budget = int(f["budget"] or 0)
    date = f["exe_ymd"].isoformat() if f["exe_ymd"] else None
    if lang == "en":
        as_of = f", as of {date}" if date else ""
        return (
            f"{description} ({record.dataset}){as_of}: {where}, “{f['item_name']}”, current budget (예산현액) "
            f"₩{budget:,} — {record.source_file}, row {f['row_no']:,}, sha256 {record.sha256[:12]}"
        )
    as_of = f", {date} 기준" if date else ""
    return (
        f"{description}{as_of}, {where} 「{f['item_name']}」 예산현액 {precise_won('ko', budget)}({budget:,}원) — "
        f"{record.source_file} row {f['row_no']:,}, sha256 {record.sha256[:12]}"
    )


def _history_table(lang: str, catalog: Catalog, history: list[dict[str, Any]], current: ItemRecord) -> Table:
    rows = []
    before: int | None = None
    for r in history:
        snapshot = catalog.by_id.get(int(r["snapshot_id"]))
        budget = int(r["budget"] or 0)
        here = (int(r["snapshot_id"]), int(r["source_id"]), int(r["row_no"]))
        rows.append(
            {
                "snapshot": snapshot.label if snapshot else str(r["snapshot_id"]),
                "budget": budget,
                "delta": None if before is None else budget - before,
                "spent": r["spent"],
                "execution_rate": ratio(int(r["spent"] or 0), budget),
                "url": item_url(*here),
                "highlight": here == (current.snapshot_id, current.source_id, int(current.fields["row_no"])),
            }
        )
        before = budget
    columns = [
        Column("snapshot", "snapshot", link="url"),
        Column("budget", "budget", "won"),
        Column("delta", "delta", "signed_won"),
        Column("spent", "spent", "won"),
        Column("execution_rate", "execution", "pct"),
    ]
    return Table("history", text(lang, "item.history"), columns, rows)


def _peer_table(request: Request, lang: str, catalog: Catalog, record: ItemRecord) -> Table:
    """The best match per other government among its current items (the latest snapshot that holds it)."""
    name = str(record.fields["item_name"])
    index = backends_of(request).search_index(Filters())
    hits = index.search(name, limit=400)
    rows: list[dict[str, Any]] = []
    seen = {record.fields["gov_code"]}
    for hit in hits:
        gov = catalog.governments.get(hit.gov_code)
        if hit.gov_code in seen or hit.score < PEER_MIN_SCORE or gov is None or hit.snapshot_id != gov.snapshot_ids[-1]:
            continue
        seen.add(hit.gov_code)
        rows.append(
            {
                "item_name": hit.item_name,
                "government": gov.label,
                "field_name": hit.field_name,
                "budget": hit.budget,
                "match": "exact" if hit.score >= 1 else "close",
                "url": item_url(hit.snapshot_id, hit.source_id, hit.row_no),
            }
        )
        if len(rows) >= PEERS:
            break
    columns = [
        Column("item_name", "item", link="url"),
        Column("government", "government"),
        Column("field_name", "field"),
        Column("budget", "budget", "won"),
        Column("match", "item.match", "match"),
    ]
    return Table("peers", text(lang, "item.peers"), columns, rows)
