"""Pre-summed totals for fast drill-downs: the store's items summed per snapshot × government × 회계 × 분야 × 부문.

A long-running process (the web app, a benchmark) builds ``Rollups`` once. At build it reads only which
governments (and 광역) each snapshot holds: one grouped query, no amounts. A snapshot's sums are computed
the first time an answer needs them (one grouped query through Ibis filtered to that snapshot, so any
backend works; items are stored snapshot after snapshot, so it reads that snapshot's rows) and kept as
Arrow tables in a least-recently-used cache bounded by ``MAX_ROWS`` rollup rows. A drill-down at the
광역, government, 회계, 분야 or 부문 level is then answered from a few thousand pre-summed rows instead of
millions of items, with no SQL compiled per call. Levels below 부문 (정책/단위/세부사업) and the funding
filter need the items and are not answered here.

Sums stay exact: a snapshot whose int64 group sums could overflow is never pre-summed, an answer is given
here only if the snapshots it adds together cannot overflow int64 (``answers`` says no otherwise, and the
caller uses SQL), and every answer is summed again in Python integers for the parent total.
"""

from __future__ import annotations

import operator
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from yesan.errors import QueryError
from yesan.model import AMOUNT_COLUMNS
from yesan.query.common import metrics
from yesan.query.snapshots import Choice, SnapshotInfo, choose, latest_key

#: Columns a rollup row is keyed by (exe_ymd, fiscal_year and stage are constant per snapshot).
FINE_KEYS: Final = (
    "snapshot_id",
    "gov_code",
    "gov_name",
    "parent_name",
    "account_type",
    "account",
    "field_name",
    "sector_name",
)
#: The coarse rollup drops the government and the 회계 name: national and 광역 questions scan it instead.
COARSE_KEYS: Final = ("snapshot_id", "parent_name", "account_type", "field_name", "sector_name")
SUMS: Final = (*AMOUNT_COLUMNS, "n_items")
#: Rollup rows (fine + coarse, over all snapshots) kept in memory at most; the least recently used snapshots
#: are dropped past it (those an answer is being read from are kept until it is done). A row is ≈ 175 bytes
#: in Arrow, so the default holds ≈ 175 MB: ≈ 70 national snapshots of the 100M-row benchmark (≈ 14,000 rows
#: each) — part of a server's 2 GB (docs/scale.md).
MAX_ROWS: Final = 1_000_000
#: Drill-down plans (which snapshots of which governments) remembered for repeated questions.
PLAN_CACHE: Final = 256
#: One government's rollup rows as Python tuples, for ``drill_held`` over at most GOV_ROWS_PAIRS (snapshot,
#: government) pairs: at most this many rows kept (≈ 25 MB; a government has 20–300 rollup rows a snapshot).
GOV_ROWS_CACHE: Final = 100_000
GOV_ROWS_PAIRS: Final = 16
_MAX_SAFE: Final = 2**62
_UNSAFE: Final = float("inf")


@dataclass(frozen=True)
class RollupAnswer:
    """Group records (key columns + AMOUNT_COLUMNS + n_items, Python ints) and the snapshots they came from."""

    records: list[dict[str, Any]]
    choice: Choice


@dataclass(frozen=True)
class _Summed:
    """One snapshot's sums: fine rows sorted by government, each government's row range, and coarse rows."""

    fine: pa.Table
    ranges: dict[str, tuple[int, int]]
    coarse: pa.Table

    @property
    def rows(self) -> int:
        return int(self.fine.num_rows + self.coarse.num_rows)


@dataclass(frozen=True)
class _Plan:
    choice: Choice
    pairs: dict[int, tuple[str, ...]]  # the (snapshot, governments) pairs the answer reads


class Rollups:
    """Pre-summed totals of one store, summed snapshot by snapshot on demand (see the module docstring).

    ``items`` is used by one thread at a time (a lock), so a connection that must not be shared between
    threads can serve it; give the rollups a connection of their own in a multi-threaded server.
    """

    def __init__(
        self,
        items: Any,
        infos: dict[int, SnapshotInfo],
        regions: Mapping[int, Mapping[str, frozenset[str | None]]],
        *,
        max_rows: int = MAX_ROWS,
    ) -> None:
        self.items = items
        self.infos = infos
        self.max_rows = max_rows
        self.loads = 0  # snapshots summed so far (again after being dropped: counted again)
        # snapshot → government → the 광역 names its items carry (one, in practice)
        self._regions = {s: dict(govs) for s, govs in regions.items()}
        self._govs = {s: tuple(sorted(govs)) for s, govs in self._regions.items()}
        # Σ|group sum| per amount column of each snapshot summed so far (kept after the sums are dropped)
        self._bounds: dict[int, tuple[float, ...]] = {}
        self._summed: OrderedDict[int, _Summed] = OrderedDict()
        self._held = 0
        self._plans: OrderedDict[tuple[Any, ...], _Plan] = OrderedDict()
        self._gov_cache: OrderedDict[tuple[int, str], tuple[tuple[Any, ...], ...]] = OrderedDict()
        self._gov_cache_rows = 0
        self._lock = threading.Lock()  # the caches above
        self._load_lock = threading.Lock()  # one load at a time: ``items`` is one connection's

    @classmethod
    def build(cls, items: Any, snapshots: Any = None, *, max_rows: int = MAX_ROWS) -> Rollups:
        """Read which governments each snapshot of ``items`` (an Ibis table) holds; sums come later, on demand.

        ``snapshots`` (the store's snapshots table) saves reading the snapshots' year, stage and date from
        the items.
        """
        pairs = items.group_by(["snapshot_id", "gov_code", "parent_name"]).aggregate(n=items.count())
        regions: dict[int, dict[str, set[str | None]]] = {}
        names: dict[str, str] = {}  # one string object per code and name, not one per snapshot
        for record in pairs.select("snapshot_id", "gov_code", "parent_name").to_pyarrow().to_pylist():
            gov = names.setdefault(record["gov_code"], record["gov_code"])
            parent = record["parent_name"]
            parent = names.setdefault(parent, parent) if parent is not None else None
            regions.setdefault(int(record["snapshot_id"]), {}).setdefault(gov, set()).add(parent)
        source = snapshots if snapshots is not None else items
        described = source.select("snapshot_id", "fiscal_year", "stage", "exe_ymd")
        if snapshots is None:
            described = described.distinct()
        infos: dict[int, SnapshotInfo] = {}
        for record in described.to_pyarrow().to_pylist():
            snapshot_id = int(record["snapshot_id"])
            if snapshot_id in regions and snapshot_id not in infos:
                infos[snapshot_id] = SnapshotInfo(
                    snapshot_id, int(record["fiscal_year"]), record["stage"], record["exe_ymd"]
                )
        frozen = {s: {g: frozenset(p) for g, p in govs.items()} for s, govs in regions.items() if s in infos}
        return cls(items, infos, frozen, max_rows=max_rows)

    @property
    def rows(self) -> int:
        """Rollup rows held in memory now."""
        with self._lock:
            return self._held

    @property
    def held(self) -> tuple[int, ...]:
        """The snapshots whose sums are held now, least recently used first."""
        with self._lock:
            return tuple(self._summed)

    def answers(self, keys: Sequence[str], filters: Any) -> bool:
        """Whether a drill-down grouped by ``keys`` under ``filters`` can be answered from the rollup.

        Sums the snapshots the answer needs if they were never summed (to know that adding them is exact).
        """
        if not set(keys) <= set(FINE_KEYS) or filters.funding is not None:
            return False
        try:
            plan = self._plan(filters, "a drill-down")
        except QueryError:
            return True  # ``drill`` raises it, as SQL would
        for snapshot_id in plan.pairs:
            if snapshot_id not in self._bounds:
                self._sums(snapshot_id)
        with self._lock:
            bounds = [self._bounds[s] for s in plan.pairs]
        return all(sum(column) < _MAX_SAFE for column in zip(*bounds, strict=True))

    def prepare(self, filters: Any) -> int:
        """Sum now the snapshots a drill-down under ``filters`` reads (a server's warm-up); their rollup rows."""
        plan = self._plan(filters, "a drill-down")
        return sum(summed.rows for s in plan.pairs if (summed := self._sums(s)) is not None)

    def drill(self, keys: Sequence[str], filters: Any, *, what: str = "a drill-down") -> RollupAnswer:
        """Group the rows ``filters`` select by ``keys``, one snapshot per government (``yesan.query.snapshots``)."""
        plan = self._plan(filters, what)
        summed: dict[int, _Summed] = {}
        for snapshot_id in plan.pairs:
            found = self._sums(snapshot_id)
            if found is None:
                raise QueryError(
                    f"snapshot {snapshot_id}'s sums are too large to pre-sum exactly in int64; "
                    "ask without rollups (SQL sums them exactly)"
                )
            summed[snapshot_id] = found
        part = self._rows_for(keys, filters, plan, summed)
        mask = _mask(part, filters)
        if mask is not None:
            part = part.filter(mask)
        return RollupAnswer(_group(part, keys), plan.choice)

    def prepare_recent(self, rows: int, stop: Callable[[], bool] = lambda: False) -> int:
        """Sum further snapshots, newest first (year, stage, date), while fewer than ``rows`` rollup rows are
        held: a server's warm-up, so that questions about recent snapshots need no query. Snapshots already
        summed are skipped; nothing held is dropped (``rows`` should stay under ``max_rows``). Returns the
        number of snapshots summed."""
        newest = sorted(self.infos.values(), key=latest_key, reverse=True)
        summed = 0
        for info in newest:
            if self.rows >= rows or stop():
                break
            if self._held_sums(info.snapshot_id) is None and info.snapshot_id not in self._bounds:
                self._sums(info.snapshot_id)
                summed += 1
        return summed

    def drill_held(self, keys: Sequence[str], filters: Any, *, what: str = "a drill-down") -> RollupAnswer | None:
        """``drill`` from the sums held now, or None where that would need a query (a snapshot not summed or
        dropped) or could overflow. Never touches the store, so a server may call it on its event loop."""
        if not set(keys) <= set(FINE_KEYS) or filters.funding is not None:
            return None
        plan = self._plan(filters, what)
        summed: dict[int, _Summed] = {}
        with self._lock:
            for snapshot_id in plan.pairs:
                found = self._summed.get(snapshot_id)
                if found is None:
                    return None
                self._summed.move_to_end(snapshot_id)
                summed[snapshot_id] = found
            bounds = [self._bounds[s] for s in plan.pairs]
        if not all(sum(column) < _MAX_SAFE for column in zip(*bounds, strict=True)):
            return None
        pairs = [(s, g) for s in sorted(plan.pairs) for g in plan.pairs[s]]
        if (plan.choice.pairs is not None or filters.gov_codes is not None) and len(pairs) <= GOV_ROWS_PAIRS:
            rows = [row for s, g in pairs for row in self._gov_rows(s, g, summed[s])]
            return RollupAnswer(_group_rows(rows, keys, filters), plan.choice)
        part = self._rows_for(keys, filters, plan, summed)
        mask = _mask(part, filters)
        if mask is not None:
            part = part.filter(mask)
        return RollupAnswer(_group(part, keys), plan.choice)

    def _gov_rows(self, snapshot_id: int, gov: str, summed: _Summed) -> tuple[tuple[Any, ...], ...]:
        """One government's fine rows of a snapshot as Python tuples (FINE_KEYS + SUMS), kept in a small LRU:
        a reader drilling into one government asks about the same rows level after level."""
        key = (snapshot_id, gov)
        with self._lock:
            found = self._gov_cache.get(key)
            if found is not None:
                self._gov_cache.move_to_end(key)
                return found
        span = summed.ranges.get(gov)
        if span is None:
            rows: tuple[tuple[Any, ...], ...] = ()
        else:
            part = summed.fine.slice(span[0], span[1] - span[0])
            rows = tuple(zip(*(part[name].to_pylist() for name in (*FINE_KEYS, *SUMS)), strict=True))
        with self._lock:
            self._gov_cache[key] = rows
            self._gov_cache_rows += len(rows)
            while self._gov_cache_rows > GOV_ROWS_CACHE and len(self._gov_cache) > 1:
                _, dropped = self._gov_cache.popitem(last=False)
                self._gov_cache_rows -= len(dropped)
        return rows

    # --- which snapshots -------------------------------------------------------------------------

    def _plan(self, filters: Any, what: str) -> _Plan:
        key = (filters.snapshot_ids, filters.fiscal_year, filters.stage, filters.gov_codes, filters.region, what)
        with self._lock:
            if key in self._plans:
                self._plans.move_to_end(key)
                return self._plans[key]
        wanted_govs = set(filters.gov_codes) if filters.gov_codes else None
        govs_by_snapshot: dict[int, list[str]] = {}
        for snapshot_id in sorted(self.infos):
            if not self._snapshot_matches(snapshot_id, filters):
                continue
            regions = self._regions[snapshot_id]
            # the governments asked for, in the same (sorted) order, without walking every government
            candidates = self._govs[snapshot_id] if wanted_govs is None else sorted(wanted_govs & regions.keys())
            for gov in candidates:
                if filters.region is not None and filters.region not in regions[gov]:
                    continue
                govs_by_snapshot.setdefault(snapshot_id, []).append(gov)
        choice = choose(govs_by_snapshot, self.infos, explicit=bool(filters.snapshot_ids), what=what)
        pairs = dict(choice.pairs) if choice.pairs is not None else {s: tuple(g) for s, g in govs_by_snapshot.items()}
        plan = _Plan(choice, {s: pairs[s] for s in sorted(pairs)})
        with self._lock:
            self._plans[key] = plan
            while len(self._plans) > PLAN_CACHE:
                self._plans.popitem(last=False)
        return plan

    def _snapshot_matches(self, snapshot_id: int, filters: Any) -> bool:
        info = self.infos[snapshot_id]
        if filters.snapshot_ids and snapshot_id not in filters.snapshot_ids:
            return False
        if filters.fiscal_year is not None and info.fiscal_year != filters.fiscal_year:
            return False
        return filters.stage is None or info.stage == filters.stage

    def _rows_for(self, keys: Sequence[str], filters: Any, plan: _Plan, summed: dict[int, _Summed]) -> pa.Table:
        per_government = plan.choice.pairs is not None or filters.gov_codes is not None
        needs_fine = per_government or bool(set(keys) - set(COARSE_KEYS)) or filters.account is not None
        order = sorted(plan.pairs)
        if not needs_fine:
            return _concat([summed[s].coarse for s in order], summed)
        if not per_government:
            return _concat([summed[s].fine for s in order], summed)
        parts = [
            summed[s].fine.slice(a, b - a)
            for s in order
            for g in plan.pairs[s]
            if (found := summed[s].ranges.get(g)) is not None
            for a, b in (found,)
        ]
        return _concat(parts, summed)

    # --- sums of one snapshot, on demand ---------------------------------------------------------

    def _sums(self, snapshot_id: int) -> _Summed | None:
        """The snapshot's sums (summed now if not held); None if they could overflow int64."""
        found = self._held_sums(snapshot_id)
        if found is not None or self._bounds.get(snapshot_id) == (_UNSAFE,) * len(AMOUNT_COLUMNS):
            return found
        with self._load_lock:
            found = self._held_sums(snapshot_id)  # another thread may have summed it meanwhile
            if found is not None:
                return found
            summed, bounds = _sum_snapshot(self.items, snapshot_id)
        with self._lock:
            self.loads += 1
            self._bounds[snapshot_id] = bounds
            if summed is None:
                return None
            self._summed[snapshot_id] = summed
            self._held += summed.rows
            while self._held > self.max_rows and len(self._summed) > 1:
                _, dropped = self._summed.popitem(last=False)
                self._held -= dropped.rows
        return summed

    def _held_sums(self, snapshot_id: int) -> _Summed | None:
        with self._lock:
            found = self._summed.get(snapshot_id)
            if found is not None:
                self._summed.move_to_end(snapshot_id)
            return found


def _sum_snapshot(items: Any, snapshot_id: int) -> tuple[_Summed | None, tuple[float, ...]]:
    """One grouped query over one snapshot's items; no sums (None) if they could overflow int64."""
    selected = items.filter(items.snapshot_id == snapshot_id)
    table = selected.group_by(list(FINE_KEYS)).aggregate(**metrics(selected)).to_pyarrow()
    bounds = []
    for name in AMOUNT_COLUMNS:
        # Every answer sums a subset of these group sums, so Σ|group sum| bounds it (float: a margin of 2×).
        values = pc.fill_null(table[name], 0).to_numpy(zero_copy_only=False).astype(np.float64)
        bounds.append(float(np.abs(values).sum()))
    if any(bound >= _MAX_SAFE for bound in bounds):
        return None, (_UNSAFE,) * len(AMOUNT_COLUMNS)
    columns = {name: table[name] for name in FINE_KEYS}
    for name in SUMS:
        columns[name] = pc.cast(pc.fill_null(table[name], 0), pa.int64())
    fine = pa.table(columns).sort_by([("gov_code", "ascending")]).combine_chunks()
    coarse = _sum_by(fine, COARSE_KEYS).combine_chunks()
    return _Summed(fine, _ranges(fine, "gov_code"), coarse), tuple(bounds)


def _ranges(table: pa.Table, key: str) -> dict[str, tuple[int, int]]:
    """(start, stop) row ranges of each run of equal ``key`` values in a table sorted by it."""
    values = table[key].to_pylist()
    ranges: dict[str, tuple[int, int]] = {}
    start = 0
    for i in range(1, len(values) + 1):
        if i == len(values) or values[i] != values[start]:
            ranges[values[start]] = (start, i)
            start = i
    return ranges


def _concat(parts: list[pa.Table], summed: Mapping[int, _Summed]) -> pa.Table:
    if not parts:
        schema = next(iter(summed.values())).fine.schema if summed else _EMPTY_SCHEMA
        return schema.empty_table()
    return parts[0] if len(parts) == 1 else pa.concat_tables(parts)


_EMPTY_SCHEMA: Final = pa.schema(
    [
        *(pa.field(name, pa.int32() if name == "snapshot_id" else pa.string()) for name in FINE_KEYS),
        *(pa.field(name, pa.int64()) for name in SUMS),
    ]
)


def _mask(part: pa.Table, filters: Any) -> Any:
    mask = None
    for column, value in (
        ("parent_name", filters.region),
        ("account_type", filters.account_type),
        ("account", filters.account),
        ("field_name", filters.field_name),
        ("sector_name", filters.sector_name),
    ):
        if value is None:
            continue
        condition = pc.equal(part[column], value)
        mask = condition if mask is None else pc.and_(mask, condition)
    return None if mask is None else pc.fill_null(mask, False)


_FILTERED: Final = (
    ("parent_name", "region"),
    ("account_type", "account_type"),
    ("account", "account"),
    ("field_name", "field_name"),
    ("sector_name", "sector_name"),
)
_INDEX: Final = {name: i for i, name in enumerate((*FINE_KEYS, *SUMS))}


def _group_rows(
    rows: Iterable[tuple[Any, ...]],
    keys: Sequence[str],
    filters: Any = None,
    columns: Sequence[str] = (*FINE_KEYS, *SUMS),
) -> list[dict[str, Any]]:
    """``_group`` over rows as tuples of ``columns`` (which end with SUMS), keeping those that pass ``_mask``'s
    ``filters``: sums in Python integers."""
    index = _INDEX if tuple(columns) == (*FINE_KEYS, *SUMS) else {name: i for i, name in enumerate(columns)}
    wanted = [] if filters is None else [(index[column], getattr(filters, name)) for column, name in _FILTERED]
    conditions = [(i, value) for i, value in wanted if value is not None]
    key_of = operator.itemgetter(*[index[k] for k in keys])
    single = len(keys) == 1
    first_sum = len(columns) - len(SUMS)
    groups: dict[Any, list[tuple[Any, ...]]] = {}
    for row in rows:
        if conditions and any(row[i] != value for i, value in conditions):
            continue
        key = key_of(row)
        found = groups.get(key)
        if found is None:
            groups[key] = [row]
        else:
            found.append(row)
    records = []
    for key, members in groups.items():
        record = dict(zip(keys, (key,) if single else key, strict=True))
        transposed = list(zip(*members, strict=True))  # in C: one tuple per column
        for j, name in enumerate(SUMS, start=first_sum):
            record[name] = sum(transposed[j])
        records.append(record)
    return records


def _sum_by(table: pa.Table, keys: Iterable[str]) -> pa.Table:
    grouped = table.group_by(list(keys), use_threads=False).aggregate([(name, "sum") for name in SUMS])
    summed = {f"{name}_sum": name for name in SUMS}
    return grouped.rename_columns([summed.get(name, name) for name in grouped.column_names])


#: Below this many rows a part is grouped in Python: Acero's per-call set-up costs more than the loop.
_PYTHON_GROUP_ROWS: Final = 20_000


def _group(part: pa.Table, keys: Sequence[str]) -> list[dict[str, Any]]:
    if part.num_rows == 0:
        return []
    if part.num_rows <= _PYTHON_GROUP_ROWS:
        return _group_in_python(part, keys)
    grouped = part.group_by(list(keys), use_threads=False).aggregate([(name, "sum") for name in SUMS])
    records: list[dict[str, Any]] = grouped.to_pylist()
    for record in records:
        for name in SUMS:
            record[name] = int(record.pop(f"{name}_sum") or 0)
    return records


def _group_in_python(part: pa.Table, keys: Sequence[str]) -> list[dict[str, Any]]:
    """``_group`` for small parts: the key and sum columns as Python tuples, grouped by ``_group_rows``."""
    columns = (*keys, *SUMS)
    return _group_rows(zip(*(part[name].to_pylist() for name in columns), strict=True), keys, columns=columns)


__all__ = ["COARSE_KEYS", "FINE_KEYS", "MAX_ROWS", "RollupAnswer", "Rollups"]
