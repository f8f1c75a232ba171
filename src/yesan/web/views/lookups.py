"""Small selections the query layer does not offer, written as Ibis expressions (no SQL) on top of it.

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
from typing import Any, Final

from yesan.query import LEVELS
from yesan.query.common import records

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


def group_param(level: str, key: dict[str, Any]) -> str:
    """The URL value that selects a group at ``level`` (its name for 분야/부문, code or name below)."""
    if level in ("field", "sector"):
        value = key.get(f"{level}_name")
        return NULL_PARAM if value is None else str(value)
    code, name = key.get(f"{level}_code"), key.get(f"{level}_name")
    if code is not None:
        return str(code)
    return NULL_PARAM if name is None else str(name)


def key_of(level: str, key: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(key.get(column) for column in LEVELS[level])


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


__all__ = ["NULL_PARAM", "group_param", "item_history", "item_row", "key_of", "narrowed", "row_refs"]
