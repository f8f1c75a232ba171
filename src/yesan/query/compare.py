"""Compare two selections (snapshots, years or stages): what is new, removed, grown, cut or unchanged.

At the item level (세부사업) items are matched by (gov_code, account, item_code); the items left over
on both sides are then matched by (gov_code, account, normalized item_name), for items whose code
changed: one statement over both sides, in the backend. At any other drill-down level, groups are
matched by the level's key columns. Totals reconcile exactly: Σ Δ over all rows == total_after −
total_before, in integer won.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, overload

import ibis
import pyarrow.compute as pc

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
from yesan.query.compiled import table_over
from yesan.query.drilldown import Filters
from yesan.query.matching import KEY_COLUMNS, Matched, match_items
from yesan.query.snapshots import Choice, settle, snapshot_check

STATUSES: Final = ("new", "removed", "grown", "cut", "unchanged")

#: Characters dropped when normalizing an item name for matching: whitespace and punctuation
#: (ASCII and the CJK/Korean marks seen in 세부사업 names). The same class is used in Python and in the
#: backend's regular expression, which every Ibis SQL backend understands.
_NAME_NOISE: Final = r"""[\s.,·ㆍ・‧•\-–—_()\[\]{}<>〈〉《》「」『』【】"'‘’“”`/\\:;!?~&+*#%=|]"""
_NAME_NOISE_RE: Final = re.compile(_NAME_NOISE)

_ITEM_SIDE_COLUMNS: Final = KEY_COLUMNS
#: Item comparisons of selections up to this many items a side fetch the items and match them here (one query);
#: larger ones match in the backend with joins.
LOCAL_ITEMS: Final = 200_000


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


class BuiltWhenRead(Sequence[CompareRow]):
    """A sequence of rows that ``build`` makes the first time any of them is read."""

    def __init__(self, size: int, build: Callable[[], tuple[CompareRow, ...]]) -> None:
        self._size = size
        self._build: Callable[[], tuple[CompareRow, ...]] | None = build
        self._rows: tuple[CompareRow, ...] = ()

    def _all(self) -> tuple[CompareRow, ...]:
        build = self._build
        if build is not None:
            self._rows = build()
            self._build = None
        return self._rows

    def __len__(self) -> int:
        return self._size

    @overload
    def __getitem__(self, index: int) -> CompareRow: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[CompareRow, ...]: ...
    def __getitem__(self, index: int | slice) -> CompareRow | tuple[CompareRow, ...]:
        return self._all()[index]

    def __iter__(self) -> Iterator[CompareRow]:
        return iter(self._all())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and tuple(self) == tuple(other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"BuiltWhenRead({len(self)} rows)"


@dataclass(frozen=True)
class Comparison:
    level: str
    amount: str
    before_filters: Filters
    after_filters: Filters
    #: Every row, largest |Δ| first (then by key); ``increases`` and ``cuts`` are among them. An item comparison's
    #: rows are built the first time they are read (``BuiltWhenRead``): its totals, counts and movers come from
    #: columns, and most questions read a page of rows at most.
    rows: Sequence[CompareRow]
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
    if level == "item":
        return _compare_items(items, before, after, amount, top)
    selected_before, total_before, _, choice_before = _side(items, before, amount, "the before side")
    selected_after, total_after, _, choice_after = _side(items, after, amount, "the after side")
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
    every = tuple(rows)
    return Comparison(
        level=level,
        amount=amount,
        before_filters=before,
        after_filters=after,
        total_before=total_before,
        total_after=total_after,
        increases=tuple(increases),
        cuts=tuple(cuts),
        counts=counts,
        matched_by=matched_by,
        before_snapshot_ids=choice_before.snapshot_ids,
        after_snapshot_ids=choice_after.snapshot_ids,
        notes=_notes(choice_before, choice_after),
        rows=every,
    )


def _notes(before: Choice, after: Choice) -> tuple[str, ...]:
    return tuple(f"{name}: {choice.note}" for name, choice in (("before", before), ("after", after)) if choice.note)


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


# --- items: match by code, then the leftovers by normalized name -------------------


def _both_sides(before: Any, after: Any, amount: str) -> Any:
    """The two selections as one table, told apart by ``side`` (0 before, 1 after)."""
    columns = [*_ITEM_SIDE_COLUMNS, "snapshot_id"]
    return before.select(*columns, side=ibis.literal(0), value=before[amount]).union(
        after.select(*columns, side=ibis.literal(1), value=after[amount])
    )


def _matched_items(both: Any) -> Any:
    """Every item of either side in one row of the answer, matched in the backend (for selections too large to
    fetch), by the rules ``query.matching`` follows.

    Items are summed per (side, government, 회계, code), items without a code per normalized name instead, with the
    largest value of each key column (SQL's max()); those groups are matched by code, and the groups left over on
    either side, summed per normalized name, by (government, 회계, normalized name). Each row says whether each side
    is present, its key and its sum.
    """
    t = both.mutate(
        k_account=ibis.coalesce(both.account, NULL_KEY),
        k_name=both.item_name.lower().re_replace(_NAME_NOISE, ""),
    )
    t = t.mutate(k_uncoded=ibis.ifelse(t.item_code.isnull(), t.k_name, NULL_KEY))
    groups = t.group_by(["side", "gov_code", "k_account", "item_code", "k_uncoded"]).aggregate(
        value=t.value.sum(),
        gov_name=t.gov_name.max(),
        account=t.account.max(),
        item_name=t.item_name.max(),
        k_name=t.k_name.max(),
    )
    sides = {p: groups.filter(groups.side == n).drop("side") for p, n in (("b_", 0), ("a_", 1))}
    b, a = (sides[p].rename({f"{p}{c}": c for c in sides[p].columns}) for p in ("b_", "a_"))
    same_code = [b.b_gov_code == a.a_gov_code, b.b_k_account == a.a_k_account, b.b_item_code == a.a_item_code]
    summed = ["value", "gov_name", "account", "item_code", "item_name"]
    by_code = b.join(a, same_code, how="inner").select(
        *(f"{p}{c}" for p in ("b_", "a_") for c in ("gov_code", *summed)),
        b_present=ibis.literal(True),
        a_present=ibis.literal(True),
        match=ibis.literal("code"),
    )

    def by_name(side: Any, p: str) -> Any:
        return side.group_by([f"{p}gov_code", f"{p}k_account", f"{p}k_name"]).aggregate(
            **{f"{p}{c}": getattr(side[f"{p}{c}"], "sum" if c == "value" else "max")() for c in summed},
            **{f"{p}n": side.count()},
        )

    nb = by_name(b.anti_join(a, same_code), "b_")
    na = by_name(a.anti_join(b, [a.a_gov_code == b.b_gov_code, a.a_k_account == b.b_k_account,
                                 a.a_item_code == b.b_item_code]), "a_")  # fmt: skip
    same_name = [nb.b_gov_code == na.a_gov_code, nb.b_k_account == na.a_k_account, nb.b_k_name == na.a_k_name]
    by_names = nb.join(na, same_name, how="outer")
    by_names = by_names.select(
        *(f"{p}{c}" for p in ("b_", "a_") for c in ("gov_code", *summed)),
        b_present=by_names.b_n.notnull(),
        a_present=by_names.a_n.notnull(),
        match=ibis.literal("name"),
    )
    return by_code.union(by_names)


def _limited(both: Any) -> Any:
    return both.limit(2 * LOCAL_ITEMS + 1)


def _fetched(before: Any, after: Any, amount: str) -> tuple[dict[str, list[Any]], dict[str, list[Any]]] | None:
    """The two selections' items as columns (one query), or None when they are more than ``LOCAL_ITEMS`` a side
    on average."""
    table = table_over(_limited, _both_sides(before, after, amount))
    if table.num_rows > 2 * LOCAL_ITEMS:
        return None
    sides = (table.filter(pc.equal(table["side"], n)).to_pydict() for n in (0, 1))
    b, a = sides
    return b, a


def _one_snapshot(ids: list[Any]) -> Choice | None:
    """The choice of a side whose rows come from one snapshot (or none), else None (``settle`` decides)."""
    found = set(ids)
    return Choice(None, tuple(sorted(int(i) for i in found))) if len(found) <= 1 and None not in found else None


def _matched_in_backend(before: Any, after: Any, amount: str) -> list[Matched]:
    table = table_over(_matched_items, _both_sides(before, after, amount))
    return [
        (
            tuple(r[f"b_{c}"] for c in KEY_COLUMNS) if r["b_present"] else None,
            tuple(r[f"a_{c}"] for c in KEY_COLUMNS) if r["a_present"] else None,
            r["b_value"],
            r["a_value"],
            r["match"],
        )
        for r in table.to_pylist()
    ]


def _compare_items(items: Any, before: Filters, after: Filters, amount: str, top: int) -> Comparison:
    """The item-level comparison: both sides' items in one query, matched here (``query.matching``), or for
    selections too large to fetch, in the backend; ``CompareRow``s are built when the rows are read."""
    selected_before, selected_after = before.apply(items), after.apply(items)
    found = _fetched(selected_before, selected_after, amount)
    choice_before = choice_after = None
    if found is not None:
        choice_before, choice_after = _one_snapshot(found[0]["snapshot_id"]), _one_snapshot(found[1]["snapshot_id"])
    if found is not None and choice_before is not None and choice_after is not None:
        matched = match_items(*found, normalize_item_name)
    else:  # too many items, or some side holds several snapshots: settle chooses, and counts them
        selected_before, _, n_before, choice_before = _side(items, before, amount, "the before side")
        selected_after, _, n_after, choice_after = _side(items, after, amount, "the after side")
        found = _fetched(selected_before, selected_after, amount) if max(n_before, n_after) <= LOCAL_ITEMS else None
        if found is not None:
            matched = match_items(*found, normalize_item_name)
        else:
            matched = _matched_in_backend(selected_before, selected_after, amount)
    return _item_comparison(matched, before, after, amount, top, (choice_before, choice_after))


def _movers(deltas: list[int], sign: int, top: int, order: Any) -> list[int]:
    """The rows of the ``top`` largest Δ of ``sign`` (ties by key), without sorting every row."""
    if top <= 0:
        return []  # only the totals are wanted (the explore page's change asks top=0)
    picked = [i for i, d in enumerate(deltas) if d * sign > 0]
    if len(picked) > top:
        least = heapq.nlargest(top, (deltas[i] * sign for i in picked))[-1]
        picked = [i for i in picked if deltas[i] * sign >= least]
    picked.sort(key=lambda i: (-deltas[i] * sign, order(i)))
    return picked[:top]


def _item_comparison(
    matched: list[Matched], before: Filters, after: Filters, amount: str, top: int, choices: tuple[Choice, Choice]
) -> Comparison:
    befores = [m[2] or 0 for m in matched]  # a NULL sum is 0 won, as ``won`` makes it
    afters = [m[3] or 0 for m in matched]
    deltas = [a - b for b, a in zip(befores, afters, strict=True)]
    statuses = [
        "new" if m[0] is None else "removed" if m[1] is None else "grown" if d > 0 else "cut" if d < 0 else "unchanged"
        for m, d in zip(matched, deltas, strict=True)
    ]  # as ``_status``
    matched_by: dict[str, int] = {}
    for m in matched:
        if m[0] is not None and m[1] is not None:
            matched_by[m[4]] = matched_by.get(m[4], 0) + 1

    def order(i: int) -> tuple[str, ...]:  # ``key_order`` of the row's key
        key = matched[i][1] if matched[i][1] is not None else matched[i][0]
        assert key is not None
        return tuple("" if v is None else str(v) for v in key)

    def built(i: int) -> CompareRow:
        b, a, _, _, how = matched[i]
        before_key = None if b is None else dict(zip(KEY_COLUMNS, b, strict=True))
        after_key = None if a is None else dict(zip(KEY_COLUMNS, a, strict=True))
        key = after_key if after_key is not None else before_key
        assert key is not None
        both = before_key is not None and after_key is not None
        return CompareRow(key, befores[i], afters[i], statuses[i], how if both else None, before_key, after_key)

    up, down = _movers(deltas, 1, top, order), _movers(deltas, -1, top, order)
    movers = {i: built(i) for i in (*up, *down)}

    def every_row() -> tuple[CompareRow, ...]:
        ranked = sorted(range(len(matched)), key=lambda i: (-abs(deltas[i]), order(i)))
        return tuple(movers[i] if i in movers else built(i) for i in ranked)  # the movers are rows of the list

    choice_before, choice_after = choices
    return Comparison(
        level="item",
        amount=amount,
        before_filters=before,
        after_filters=after,
        total_before=sum(befores),
        total_after=sum(afters),
        increases=tuple(movers[i] for i in up),
        cuts=tuple(movers[i] for i in down),
        counts={status: statuses.count(status) for status in STATUSES},
        matched_by=matched_by,
        before_snapshot_ids=choice_before.snapshot_ids,
        after_snapshot_ids=choice_after.snapshot_ids,
        notes=_notes(choice_before, choice_after),
        rows=BuiltWhenRead(len(matched), every_row),
    )


__all__ = ["STATUSES", "BuiltWhenRead", "CompareRow", "Comparison", "compare", "normalize_item_name"]
