"""Funding mix: 국비 / 시도비 / 시군구비 / 기타 amounts and shares of each row's budget, at any level.

A row is flagged when the four sources do not add up to its budget (``gap`` ≠ 0) or when some of its
items do not add up on their own (gaps of opposite sign can cancel in a sum).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

import ibis

from yesan.errors import QueryError
from yesan.model import FUNDING_COLUMNS
from yesan.query.common import (
    check_level,
    check_positive,
    ratio,
    records,
    won,
)
from yesan.query.compiled import rows_over
from yesan.query.drilldown import Filters
from yesan.query.snapshots import one_snapshot, settle, snapshot_check, snapshot_span

FUNDING_SORTS: Final = ("budget", "gap", *FUNDING_COLUMNS)


@dataclass(frozen=True)
class FundingRow:
    key: dict[str, Any]
    items: int
    budget: int  # 예산현액, won
    funding: dict[str, int]  # won per FUNDING_COLUMNS (a NULL source counts as 0)
    items_unbalanced: int  # items with all four sources present whose sum differs from their budget
    items_incomplete: int  # items with at least one source missing (NULL)

    @property
    def funded(self) -> int:
        return sum(self.funding.values())

    @property
    def gap(self) -> int:
        """budget − (national + provincial + municipal + other); 0 when the sources add up."""
        return self.budget - self.funded

    @property
    def shares(self) -> dict[str, float | None]:
        """Each source as a share of this row's budget (None when the budget is 0)."""
        return {name: ratio(amount, self.budget) for name, amount in self.funding.items()}

    @property
    def balanced(self) -> bool:
        return self.gap == 0 and self.items_unbalanced == 0


@dataclass(frozen=True)
class FundingMix:
    level: str
    filters: Filters
    rows: tuple[FundingRow, ...]
    total: FundingRow
    groups: int  # rows before any limit
    flagged: tuple[FundingRow, ...]  # rows (of all groups) that are not balanced, largest |gap| first
    snapshot_ids: tuple[int, ...] = ()  # the snapshots counted (one per government)
    note: str | None = None  # how yesan chose them, when it did

    @property
    def balanced(self) -> bool:
        return not self.flagged and self.total.balanced


def funding_mix(
    items: Any,
    filters: Filters | None = None,
    *,
    level: str = "government",
    sort: str = "budget",
    limit: int | None = None,
) -> FundingMix:
    """Funding sources per group at ``level``: largest budget first, or by gap, or by a source's share."""
    keys = check_level(level)
    if sort not in FUNDING_SORTS:
        raise QueryError(f"unknown sort {sort!r}; use one of {', '.join(FUNDING_SORTS)}")
    check_positive("limit", limit)
    chosen = filters or Filters()
    selected = chosen.apply(items)
    # Most selections hold one snapshot: then the grouped query, spanning the snapshots of each group, answers
    # alone and the total is the sum of the groups. Otherwise the snapshots are settled first, as they must be.
    grouped = rows_over(_spanned_groups, selected, keys)
    choice = one_snapshot(grouped)
    if choice is not None:
        total = _row({}, {name: sum(won(r[name]) for r in grouped) for name in _SUMMED})
    else:
        marked, aggregates = _marked(selected)
        record = records(marked.aggregate(**aggregates, **snapshot_check(marked)))[0]
        selected, choice, changed = settle(selected, record, chosen, "a funding mix")
        if changed:
            marked, aggregates = _marked(selected)
            record = records(marked.aggregate(**aggregates))[0]
            grouped = records(marked.group_by(list(keys)).aggregate(**aggregates).order_by(list(keys)))
        total = _row({}, record)
    rows = [_row({k: r[k] for k in keys}, r) for r in grouped]  # in key order; the stable sorts below keep it for ties
    rows.sort(key=lambda r: _sort_key(r, sort))
    flagged = sorted((r for r in rows if not r.balanced), key=lambda r: (-abs(r.gap), -r.items_unbalanced))
    return FundingMix(
        level=level,
        filters=chosen,
        rows=tuple(rows[:limit] if limit is not None else rows),
        total=total,
        groups=len(rows),
        flagged=tuple(flagged),
        snapshot_ids=choice.snapshot_ids,
        note=choice.note,
    )


_SUMMED: Final = ("budget", *FUNDING_COLUMNS, "n_items", "n_unbalanced", "n_incomplete")


def _spanned_groups(selected: Any, keys: tuple[str, ...]) -> Any:
    """A funding row per group at ``keys``, in key order, with the snapshots each group spans."""
    marked, aggregates = _marked(selected)
    return marked.group_by(list(keys)).aggregate(**aggregates, **snapshot_span(marked)).order_by(list(keys))


def _marked(selected: Any) -> tuple[Any, dict[str, Any]]:
    """The selection with each item marked unbalanced or incomplete, and the sums of a funding row over it."""
    present = ibis.and_(*(selected[name].notnull() for name in FUNDING_COLUMNS))
    funded = sum(
        (ibis.coalesce(selected[name], 0) for name in FUNDING_COLUMNS[1:]), ibis.coalesce(selected.national, 0)
    )
    marked = selected.mutate(
        _unbalanced=ibis.ifelse(present & (ibis.coalesce(selected.budget, 0) != funded), 1, 0),
        _incomplete=ibis.ifelse(present, 0, 1),
    )
    aggregates: dict[str, Any] = {name: marked[name].sum() for name in ("budget", *FUNDING_COLUMNS)}
    aggregates.update(
        n_items=marked.count(), n_unbalanced=marked._unbalanced.sum(), n_incomplete=marked._incomplete.sum()
    )
    return marked, aggregates


def _row(key: dict[str, Any], record: dict[str, Any]) -> FundingRow:
    return FundingRow(
        key=key,
        items=int(record["n_items"]),
        budget=won(record["budget"]),
        funding={name: won(record[name]) for name in FUNDING_COLUMNS},
        items_unbalanced=won(record["n_unbalanced"]),
        items_incomplete=won(record["n_incomplete"]),
    )


def _sort_key(row: FundingRow, sort: str) -> float:
    if sort == "budget":
        return -row.budget
    if sort == "gap":
        return -abs(row.gap)
    share = row.shares[sort]
    return -share if share is not None else 1.0


__all__ = ["FUNDING_SORTS", "FundingMix", "FundingRow", "funding_mix"]
