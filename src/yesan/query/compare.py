"""Compare two selections (snapshots, years or stages): what is new, removed, grown, cut or unchanged.

At the item level (세부사업) items are matched by (gov_code, account, item_code); the items left over
on both sides are then matched by (gov_code, account, normalized item_name), for items whose code
changed. At any other drill-down level, groups are matched by the level's key columns. Totals
reconcile exactly: Σ Δ over all rows == total_after − total_before, in integer won.
"""

from __future__ import annotations

import heapq
import re
from dataclasses import dataclass, field
from typing import Any, Final

import ibis

from yesan.errors import QueryError
from yesan.query.common import (
    NULL_KEY,
    check_amount,
    check_level,
    check_positive,
    key_order,
    records,
    unkey,
    won,
)
from yesan.query.drilldown import Filters
from yesan.query.snapshots import Choice, settle, snapshot_check

STATUSES: Final = ("new", "removed", "grown", "cut", "unchanged")
#: Item comparisons of selections up to this many items per side fetch the items and match them here (two
#: simple queries); larger ones match in the backend with joins.
LOCAL_ITEMS: Final = 200_000

#: Characters dropped when normalizing an item name for matching: whitespace and punctuation
#: (ASCII and the CJK/Korean marks seen in 세부사업 names). The same class is used in Python and in the
#: backend's regular expression, which every Ibis SQL backend understands.
_NAME_NOISE: Final = r"""[\s.,·ㆍ・‧•\-–—_()\[\]{}<>〈〉《》「」『』【】"'‘’“”`/\\:;!?~&+*#%=|]"""
_NAME_NOISE_RE: Final = re.compile(_NAME_NOISE)

_ITEM_SIDE_COLUMNS: Final = ("gov_code", "gov_name", "account", "item_code", "item_name")


def normalize_item_name(name: str) -> str:
    """The form of an item name used for matching: lower case, without whitespace and punctuation."""
    return _NAME_NOISE_RE.sub("", name.lower())


@dataclass(frozen=True)
class CompareRow:
    """One item or group in either selection. ``key`` is the after side's key when there is one."""

    key: dict[str, Any]
    before: int  # won; 0 when absent before
    after: int  # won; 0 when absent after
    status: str  # one of STATUSES
    match: str | None  # "code" or "name" for matched items, "key" at other levels, None if on one side only
    before_key: dict[str, Any] | None = None
    after_key: dict[str, Any] | None = None

    @property
    def delta(self) -> int:
        return self.after - self.before

    @property
    def delta_pct(self) -> float | None:
        """Δ as a percentage of ``before``; None when the base is 0."""
        return self.delta * 100 / self.before if self.before else None


@dataclass(frozen=True)
class Comparison:
    level: str
    amount: str
    before_filters: Filters
    after_filters: Filters
    rows: tuple[CompareRow, ...]  # largest |Δ| first
    total_before: int
    total_after: int
    increases: tuple[CompareRow, ...]  # top-N largest Δ > 0
    cuts: tuple[CompareRow, ...]  # top-N most negative Δ
    counts: dict[str, int] = field(default_factory=dict)  # rows per status
    matched_by: dict[str, int] = field(default_factory=dict)  # matched rows per match kind
    before_snapshot_ids: tuple[int, ...] = ()
    after_snapshot_ids: tuple[int, ...] = ()
    notes: tuple[str, ...] = ()  # how yesan chose the snapshots of a side, when it did

    @property
    def difference(self) -> int:
        return self.total_after - self.total_before

    @property
    def unreconciled(self) -> int:
        """(total_after − total_before) − Σ Δ: 0 when the rows account for every won."""
        return self.difference - sum(r.delta for r in self.rows)

    @property
    def exact(self) -> bool:
        return (
            self.unreconciled == 0
            and sum(r.before for r in self.rows) == self.total_before
            and sum(r.after for r in self.rows) == self.total_after
        )


def compare(
    items: Any,
    before: Filters,
    after: Filters,
    level: str = "item",
    *,
    amount: str = "budget",
    top: int = 10,
) -> Comparison:
    """Compare ``amount`` between the items ``before`` selects and the items ``after`` selects, at ``level``."""
    keys = check_level(level)
    check_amount(amount)
    check_positive("top", top)
    if not isinstance(before, Filters) or not isinstance(after, Filters):
        raise QueryError("compare needs two Filters: the before selection and the after selection")
    selected_before, total_before, n_before, choice_before = _side(items, before, amount, "the before side")
    selected_after, total_after, n_after, choice_after = _side(items, after, amount, "the after side")
    if level == "item" and max(n_before, n_after) <= LOCAL_ITEMS:
        rows = _compare_items_here(_item_rows(selected_before, amount), _item_rows(selected_after, amount))
    elif level == "item":
        rows = _compare_items(selected_before, selected_after, amount)
    else:
        rows = _compare_groups(selected_before, selected_after, keys, amount)
    rows.sort(key=lambda r: key_order(r.key))  # ties below keep this order (sorts are stable)
    rows.sort(key=lambda r: -abs(r.delta))
    increases = heapq.nsmallest(top, (r for r in rows if r.delta > 0), key=lambda r: -r.delta)
    cuts = heapq.nsmallest(top, (r for r in rows if r.delta < 0), key=lambda r: r.delta)
    counts = {status: sum(1 for r in rows if r.status == status) for status in STATUSES}
    matched_by: dict[str, int] = {}
    for row in rows:
        if row.match is not None:
            matched_by[row.match] = matched_by.get(row.match, 0) + 1
    return Comparison(
        level=level,
        amount=amount,
        before_filters=before,
        after_filters=after,
        rows=tuple(rows),
        total_before=total_before,
        total_after=total_after,
        increases=tuple(increases),
        cuts=tuple(cuts),
        counts=counts,
        matched_by=matched_by,
        before_snapshot_ids=choice_before.snapshot_ids,
        after_snapshot_ids=choice_after.snapshot_ids,
        notes=tuple(
            f"{name}: {choice.note}"
            for name, choice in (("before", choice_before), ("after", choice_after))
            if choice.note
        ),
    )


def _side(items: Any, filters: Filters, amount: str, what: str) -> tuple[Any, int, int, Choice]:
    """One side's selection (one snapshot per government), its total, its item count and how its snapshots
    were chosen."""
    selected = filters.apply(items)
    sums = {"value": selected[amount].sum(), "n": selected.count()}
    record = records(selected.aggregate(**sums, **snapshot_check(selected)))[0]
    selected, choice, changed = settle(selected, record, filters, f"{what} of a comparison")
    if changed:
        record = records(selected.aggregate(value=selected[amount].sum(), n=selected.count()))[0]
    return selected, won(record["value"]), int(record["n"]), choice


def _status(before: int | None, after: int | None) -> str:
    if before is None:
        return "new"
    if after is None:
        return "removed"
    if after > before:
        return "grown"
    if after < before:
        return "cut"
    return "unchanged"


def _row(before_key: dict[str, Any] | None, after_key: dict[str, Any] | None, b: Any, a: Any, match: str) -> CompareRow:
    """A row from the two sides' sums; a side is absent when its key is None."""
    before = None if before_key is None else won(b)
    after = None if after_key is None else won(a)
    key = after_key if after_key is not None else before_key
    assert key is not None
    both = before_key is not None and after_key is not None
    return CompareRow(
        key=key,
        before=before or 0,
        after=after or 0,
        status=_status(before, after),
        match=match if both else None,
        before_key=before_key,
        after_key=after_key,
    )


# --- other levels: match on the level's key columns ---------------------------------------------------


def _compare_groups(before: Any, after: Any, keys: tuple[str, ...], amount: str) -> list[CompareRow]:
    def side(selected: Any, prefix: str) -> Any:
        grouped = selected.mutate(**{f"{prefix}{k}": ibis.coalesce(selected[k], NULL_KEY) for k in keys})
        return grouped.group_by([f"{prefix}{k}" for k in keys]).aggregate(
            **{f"{prefix}value": grouped[amount].sum(), f"{prefix}n": grouped.count()}
        )

    b = side(before, "b_")
    a = side(after, "a_")
    joined = b.join(a, [b[f"b_{k}"] == a[f"a_{k}"] for k in keys], how="outer")
    rows = []
    for r in records(joined):
        before_key = {k: unkey(r[f"b_{k}"]) for k in keys} if r["b_n"] is not None else None
        after_key = {k: unkey(r[f"a_{k}"]) for k in keys} if r["a_n"] is not None else None
        rows.append(_row(before_key, after_key, r["b_value"], r["a_value"], "key"))
    return rows


# --- items: match by code, then the leftovers by normalized name --------------------------------------


def _item_side(selected: Any, amount: str, prefix: str) -> Any:
    """Items summed per (gov_code, account, item_code); items without a code stay apart by normalized name."""
    t = selected.mutate(
        k_account=ibis.coalesce(selected.account, NULL_KEY),
        k_name=selected.item_name.lower().re_replace(_NAME_NOISE, ""),
    )
    t = t.mutate(k_uncoded=ibis.ifelse(t.item_code.isnull(), t.k_name, NULL_KEY))
    grouped = t.group_by(["gov_code", "k_account", "item_code", "k_uncoded"]).aggregate(
        value=t[amount].sum(),
        gov_name=t.gov_name.max(),
        account=t.account.max(),
        item_name=t.item_name.max(),
        k_name=t.k_name.max(),
    )
    return grouped.rename({f"{prefix}{c}": c for c in grouped.columns})


def _code_predicates(b: Any, a: Any) -> list[Any]:
    return [b.b_gov_code == a.a_gov_code, b.b_k_account == a.a_k_account, b.b_item_code == a.a_item_code]


def _compare_items(before: Any, after: Any, amount: str) -> list[CompareRow]:
    b = _item_side(before, amount, "b_")
    a = _item_side(after, amount, "a_")
    rows = []
    by_code = b.join(a, _code_predicates(b, a), how="inner")
    for r in records(by_code):
        rows.append(_row(_item_key(r, "b_"), _item_key(r, "a_"), r["b_value"], r["a_value"], "code"))
    left_b = b.anti_join(a, _code_predicates(b, a))
    left_a = a.anti_join(
        b, [a.a_gov_code == b.b_gov_code, a.a_k_account == b.b_k_account, a.a_item_code == b.b_item_code]
    )

    def by_name(side: Any, p: str) -> Any:
        return side.group_by([f"{p}gov_code", f"{p}k_account", f"{p}k_name"]).aggregate(
            **{
                f"{p}value": side[f"{p}value"].sum(),
                f"{p}gov_name": side[f"{p}gov_name"].max(),
                f"{p}account": side[f"{p}account"].max(),
                f"{p}item_code": side[f"{p}item_code"].max(),
                f"{p}item_name": side[f"{p}item_name"].max(),
                f"{p}n": side.count(),
            }
        )

    nb = by_name(left_b, "b_")
    na = by_name(left_a, "a_")
    joined = nb.join(
        na,
        [nb.b_gov_code == na.a_gov_code, nb.b_k_account == na.a_k_account, nb.b_k_name == na.a_k_name],
        how="outer",
    )
    for r in records(joined):
        before_key = _item_key(r, "b_") if r["b_n"] is not None else None
        after_key = _item_key(r, "a_") if r["a_n"] is not None else None
        rows.append(_row(before_key, after_key, r["b_value"], r["a_value"], "name"))
    return rows


def _item_key(record: dict[str, Any], prefix: str) -> dict[str, Any]:
    return {c: record[f"{prefix}{c}"] for c in _ITEM_SIDE_COLUMNS}


# --- items, matched here: the same rules as _compare_items, for selections small enough to fetch ----------


def _item_rows(selected: Any, amount: str) -> list[dict[str, Any]]:
    return records(selected.select(*_ITEM_SIDE_COLUMNS, value=selected[amount]))


class _Group:
    """Sums of one side's items that share a key, with the key columns' largest values (as SQL's max())."""

    __slots__ = ("columns", "n", "value")

    def __init__(self) -> None:
        self.value: int | None = None
        self.n = 0
        self.columns: dict[str, Any] = dict.fromkeys((*_ITEM_SIDE_COLUMNS, "k_name"))

    def key(self) -> dict[str, Any]:
        return {c: self.columns[c] for c in _ITEM_SIDE_COLUMNS}

    def add(self, value: int | None, columns: dict[str, Any]) -> None:
        if value is not None:
            self.value = value if self.value is None else self.value + value
        self.n += 1
        for name, seen in columns.items():
            mine = self.columns[name]
            if seen is not None and (mine is None or seen > mine):
                self.columns[name] = seen


def _grouped(rows: list[dict[str, Any]], key: Any) -> dict[Any, _Group]:
    groups: dict[Any, _Group] = {}
    for row in rows:
        k = key(row)
        group = groups.get(k)
        if group is None:
            group = groups[k] = _Group()
        group.add(row["value"], {c: row[c] for c in (*_ITEM_SIDE_COLUMNS, "k_name")})
    return groups


def _compare_items_here(before: list[dict[str, Any]], after: list[dict[str, Any]]) -> list[CompareRow]:
    """Match by (government, 회계, code), then the leftovers by normalized name, as ``_compare_items`` does in SQL."""

    def code_key(row: dict[str, Any]) -> tuple[Any, ...]:
        uncoded = row["k_name"] if row["item_code"] is None else NULL_KEY
        return (row["gov_code"], row["account"] or NULL_KEY, row["item_code"], uncoded)

    for row in (*before, *after):
        row["k_name"] = normalize_item_name(row["item_name"])
    b, a = _grouped(before, code_key), _grouped(after, code_key)
    rows = []
    left_b: list[dict[str, Any]] = []
    left_a: list[dict[str, Any]] = []
    for k, group in b.items():
        match = a.get(k) if k[2] is not None else None  # a NULL code matches nothing, as in SQL
        if match is not None:
            rows.append(_row(group.key(), match.key(), group.value, match.value, "code"))
        else:
            left_b.append({**group.columns, "value": group.value})
    for k, group in a.items():
        if k[2] is None or k not in b:
            left_a.append({**group.columns, "value": group.value})

    def name_key(row: dict[str, Any]) -> tuple[Any, ...]:
        return (row["gov_code"], row["account"] or NULL_KEY, row["k_name"])

    nb, na = _grouped(left_b, name_key), _grouped(left_a, name_key)
    for k in [*nb, *(k for k in na if k not in nb)]:
        gb, ga = nb.get(k), na.get(k)
        rows.append(
            _row(
                gb.key() if gb else None,
                ga.key() if ga else None,
                gb.value if gb else None,
                ga.value if ga else None,
                "name",
            )
        )
    return rows


__all__ = ["STATUSES", "CompareRow", "Comparison", "compare", "normalize_item_name"]
