"""Selections the pages and the API ask for: narrowed item tables, links to source rows, one item and its
history, items and governments a page at a time with their provenance.

- ``narrowed``: items of one 정책사업 / 단위사업 (``Filters`` knows 분야 and 부문 but not these), passed
  to ``yesan.query.drilldown``/``compare`` as their items table;
- ``row_refs``: for groups at the 세부사업 level, the (snapshot, source, row) of a row of each, so a table
  row can link to its item page;
- ``item_row`` and ``item_history``: one item by its source row, and the same item in every snapshot —
  what ``yesan.query.items.find_items`` answers, without its joins to the sources and snapshots (the
  catalog already holds those), which made the item page three times slower.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Final

from yesan.errors import QueryError
from yesan.model import AMOUNT_COLUMNS, is_figure_dataset
from yesan.query.common import LEVELS, count_of, records
from yesan.query.compiled import rows_over
from yesan.query.drilldown import Filters
from yesan.query.engine import Tables, figure_snapshot_ids

#: A URL value that stands for "no code and no name" (a NULL group).
NULL_PARAM: Final = "-"


def narrowed(items: Any, program: str | None, unit: str | None) -> Any:
    """``items`` of the 정책사업 and 단위사업 named in the URL (by code, or by name when there is no code)."""
    for prefix, wanted in (("program", program), ("unit", unit)):
        if wanted is None:
            continue
        code, name = items[f"{prefix}_code"], items[f"{prefix}_name"]
        if wanted == NULL_PARAM:
            items = items.filter(code.isnull() & name.isnull())
        else:
            items = items.filter((code == wanted) | (code.isnull() & (name == wanted)))
    return items


def row_refs(
    selected: Any, keys: Iterable[tuple[Any, ...]] | None = None
) -> dict[tuple[Any, ...], tuple[int, int, int]]:
    """For each 세부사업 group of ``selected`` (already filtered), the first row it was read from."""
    columns = list(LEVELS["item"])
    rows = records(selected.select(*columns, "snapshot_id", "source_id", "row_no"))
    wanted = set(keys) if keys is not None else None
    refs: dict[tuple[Any, ...], tuple[int, int, int]] = {}
    for row in rows:
        key = tuple(row[c] for c in columns)
        if wanted is not None and key not in wanted:
            continue
        ref = (int(row["snapshot_id"]), int(row["source_id"]), int(row["row_no"]))
        if key not in refs or ref < refs[key]:
            refs[key] = ref
    return refs


def item_row(items: Any, snapshot_id: int, source_id: int, row_no: int) -> dict[str, Any] | None:
    """Every column of the item read from (snapshot, source, row), or None."""
    found = records(
        items.filter([items.snapshot_id == snapshot_id, items.source_id == source_id, items.row_no == row_no]).limit(1)
    )
    return found[0] if found else None


def item_history(items: Any, gov_code: str, account: str | None, item_code: str) -> list[dict[str, Any]]:
    """The rows of one 세부사업 (government, 회계, code) in every snapshot: where each was read, budget, spent."""
    same = items.filter([items.gov_code == gov_code, items.item_code == item_code])
    same = same.filter(same.account.isnull() if account is None else same.account == account)
    return records(same.select("snapshot_id", "source_id", "row_no", "budget", "spent"))


#: The columns of an item as the API lists it (its amounts follow, then its provenance).
ITEM_COLUMNS: Final = (
    "snapshot_id",
    "source_id",
    "row_no",
    "gov_code",
    "gov_name",
    "parent_name",
    "fiscal_year",
    "stage",
    "exe_ymd",
    "account",
    "account_type",
    "field_code",
    "field_name",
    "sector_code",
    "sector_name",
    "program_code",
    "program_name",
    "unit_code",
    "unit_name",
    "item_code",
    "item_name",
)


def with_provenance(t: Tables, items: Any) -> Any:
    """Items joined to their snapshot's dataset and their source file (name, sha256, load time)."""
    sources = t.sources.select(
        "source_id", source_file=t.sources.file, sha256=t.sources.sha256, loaded_at=t.sources.loaded_at
    )
    snaps = t.snapshots.select("snapshot_id", dataset=t.snapshots.dataset)
    joined = items.join(snaps, "snapshot_id").join(sources, "source_id")
    return joined.select(*ITEM_COLUMNS, *AMOUNT_COLUMNS, "dataset", "source_file", "sha256", "loaded_at")


def items_page(t: Tables, selected: Any, *, limit: int, offset: int) -> tuple[int, list[dict[str, Any]], list[int]]:
    """(how many items ``selected`` holds, one page of them with their provenance, the snapshots they come from)."""
    counted = records(selected.aggregate(n=selected.count(), fed=selected.snapshot_id.collect(distinct=True)))[0]
    found = rows_over(_page_in_load_order, selected, t, limit, offset)
    return int(counted["n"]), found, sorted(int(s) for s in counted["fed"] or [])


def _page_in_load_order(selected: Any, t: Tables, limit: int, offset: int) -> Any:
    return with_provenance(t, selected).order_by(["snapshot_id", "source_id", "row_no"]).limit(limit, offset=offset)


def item_with_provenance(t: Tables, snapshot_id: int, source_id: int, row_no: int) -> dict[str, Any] | None:
    """The item read from (snapshot, source, row), with its provenance, or None."""
    items = t.items
    one = items.filter([items.snapshot_id == snapshot_id, items.source_id == source_id, items.row_no == row_no])
    found = records(with_provenance(t, one).limit(1))
    return found[0] if found else None


@dataclass(frozen=True)
class GovernmentsPage:
    """One page of governments, with what the API lists beside each: item totals, snapshots, population rows."""

    total: int
    governments: list[dict[str, Any]]
    totals: list[dict[str, Any]]  # gov_code, items, budget, national, spent
    fed: list[dict[str, Any]]  # gov_code, snapshot_id
    population: list[dict[str, Any]]


def governments_page(
    t: Tables, *, region: str | None, level: str | None, snapshot_ids: tuple[int, ...] | None, limit: int,
    offset: int,
) -> GovernmentsPage:  # fmt: skip
    """Governments (of ``region``, at ``level``) by code, one page, with their totals in the chosen snapshots."""
    govs = t.governments
    if region is not None:
        govs = govs.filter(govs.parent_name == region)
    if level is not None:
        govs = govs.filter(govs.level == level)
    total = count_of(govs)
    page = records(govs.order_by("code").limit(limit, offset=offset))
    codes = [g["code"] for g in page]
    if not codes:
        return GovernmentsPage(total, page, [], [], [])
    items = Filters(snapshot_ids=snapshot_ids, gov_codes=tuple(codes)).apply(t.items)
    sums = {name: items[name].sum() for name in ("budget", "national", "spent")}
    per_gov = records(items.group_by("gov_code").aggregate(items=items.count(), **sums))
    fed = records(items.select("gov_code", "snapshot_id").distinct())
    pop = t.population
    return GovernmentsPage(total, page, per_gov, fed, records(pop.filter(pop.gov_code.isin(codes))))


def source_rows(t: Tables) -> dict[int, dict[str, Any]]:
    """Every source file by its id: dataset, file, sha256 and load time (what a citation names)."""
    rows = records(t.sources.select("source_id", "dataset", "file", "sha256", "loaded_at"))
    return {int(r["source_id"]): r for r in rows}


def snapshot_files(t: Tables) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(every snapshot's row, in id order; the source files each was read from: snapshot_id, source_id, file,
    sha256), figures by government included."""
    every = t.all_items if t.all_items is not None else t.items
    files = records(
        every.select("snapshot_id", "source_id")
        .distinct()
        .join(t.sources, "source_id")
        .select("snapshot_id", "source_id", "file", "sha256")
        .order_by(["snapshot_id", "file"])
    )
    return records(t.snapshots.order_by("snapshot_id")), files


@dataclass(frozen=True)
class StoreContents:
    """What a server's catalog is built from: each snapshot's row and the governments it covers, the
    governments, the 분야 by budget, whether 정책사업/단위사업 are filled in, and the source files."""

    snapshots: list[dict[str, Any]]
    covered: dict[int, set[str]]
    governments: list[dict[str, Any]]  # by 광역, then name
    fields: list[str]  # 분야 names, the largest budget first
    has_program: bool
    has_unit: bool
    sources: dict[int, dict[str, Any]]


def store_contents(t: Tables) -> StoreContents:
    """The store's contents, read once (a few aggregate queries)."""
    items = t.items
    covered: dict[int, set[str]] = {}
    for row in records(items.group_by(["snapshot_id", "gov_code"]).aggregate(n=items.count())):
        covered.setdefault(int(row["snapshot_id"]), set()).add(str(row["gov_code"]))
    snapshots = records(t.snapshots)
    # Figures by government are not in ``t.items``; their coverage is counted apart.
    figure_ids = [int(s["snapshot_id"]) for s in snapshots if is_figure_dataset(str(s["dataset"]))]
    if figure_ids and t.all_items is not None:
        every = t.all_items.filter(t.all_items.snapshot_id.isin(figure_ids))
        for row in records(every.group_by(["snapshot_id", "gov_code"]).aggregate(n=every.count())):
            covered.setdefault(int(row["snapshot_id"]), set()).add(str(row["gov_code"]))
    fields = records(items.group_by("field_name").aggregate(budget=items.budget.sum()))
    fields.sort(key=lambda r: -int(r["budget"] or 0))
    present = records(
        items.aggregate(
            programs=(items.program_code.notnull() | items.program_name.notnull()).sum(),
            units=(items.unit_code.notnull() | items.unit_name.notnull()).sum(),
        )
    )[0]
    return StoreContents(
        snapshots=snapshots,
        covered=covered,
        governments=records(t.governments.order_by(["parent_name", "name"])),
        fields=[str(r["field_name"]) for r in fields if r["field_name"] is not None],
        has_program=bool(present["programs"]),
        has_unit=bool(present["units"]),
        sources=source_rows(t),
    )


def compared_items(tables: Tables, dataset: str | None, *named: int | None) -> Any:
    """The items a comparison reads: one dataset's (``--dataset``), or line items unless it names figure snapshots."""
    if dataset:
        snapshots = tables.snapshots
        ids = [r["snapshot_id"] for r in records(snapshots.filter(snapshots.dataset == dataset))]
        if not ids:
            known = sorted({r["dataset"] for r in records(snapshots.select("dataset"))})
            raise QueryError(f"no snapshots of dataset {dataset!r}; the store holds {', '.join(known) or 'none'}")
        every = tables.all_items if tables.all_items is not None else tables.items
        return every.filter(every.snapshot_id.isin(ids))
    asked = {n for n in named if n}
    figures = asked & set(figure_snapshot_ids(tables.snapshots))
    if not figures:
        return tables.items
    if figures != asked:
        raise QueryError(
            f"snapshot(s) {', '.join(str(n) for n in sorted(figures))} hold figures by government and "
            f"{', '.join(str(n) for n in sorted(asked - figures))} line items: compare snapshots of one dataset"
        )
    return tables.all_items if tables.all_items is not None else tables.items


__all__ = [
    "ITEM_COLUMNS",
    "NULL_PARAM",
    "GovernmentsPage",
    "StoreContents",
    "compared_items",
    "governments_page",
    "item_history",
    "item_row",
    "item_with_provenance",
    "items_page",
    "narrowed",
    "row_refs",
    "snapshot_files",
    "source_rows",
    "store_contents",
    "with_provenance",
]
