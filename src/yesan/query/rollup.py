"""Pre-summed totals for fast drill-downs: the store's items summed per snapshot × government × 회계 × 분야 × 부문.

A long-running process (the web app, a benchmark) builds ``Rollups`` once from the items (one grouped
query through Ibis, so any backend works) and keeps them in memory as Arrow tables sorted by
snapshot and government. A drill-down at the 광역, government, 회계, 분야 or 부문 level is then answered
from a few hundred pre-summed rows instead of millions of items, with no SQL compiled per call.
Levels below 부문 (정책/단위/세부사업) and the funding filter need the items and are not answered here.

Sums stay exact: the rollup refuses to build (``Rollups.build`` returns None) if its int64 sums could
overflow, and every answer is summed again in Python integers for the parent total.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from yesan.model import AMOUNT_COLUMNS
from yesan.query.common import metrics
from yesan.query.snapshots import Choice, SnapshotInfo, choose

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
_MAX_SAFE: Final = 2**62


@dataclass(frozen=True)
class RollupAnswer:
    """Group records (key columns + AMOUNT_COLUMNS + n_items, Python ints) and the snapshots they came from."""

    records: list[dict[str, Any]]
    choice: Choice


class Rollups:
    """In-memory pre-summed totals of one store (see the module docstring)."""

    def __init__(self, fine: pa.Table, infos: dict[int, SnapshotInfo]) -> None:
        self.infos = infos
        self.fine = fine.sort_by([("snapshot_id", "ascending"), ("gov_code", "ascending")])
        self.coarse = _sum_by(self.fine, COARSE_KEYS).sort_by([("snapshot_id", "ascending")])
        self._fine_ranges = _ranges(self.fine, ("snapshot_id", "gov_code"))
        self._fine_snapshots = _ranges(self.fine, ("snapshot_id",))
        self._coarse_snapshots = _ranges(self.coarse, ("snapshot_id",))
        self._govs: dict[int, tuple[str, ...]] = {}
        self._region_of: dict[str, str | None] = {}
        for snapshot_id, gov in self._fine_ranges:
            self._govs.setdefault(snapshot_id, ())
            self._govs[snapshot_id] += (gov,)
        for record in self.fine.select(["gov_code", "parent_name"]).to_pylist():
            self._region_of[record["gov_code"]] = record["parent_name"]

    @classmethod
    def build(cls, items: Any) -> Rollups | None:
        """Sum ``items`` (an Ibis table) once; None if the int64 sums could overflow (callers then use SQL)."""
        keys = [*FINE_KEYS, "fiscal_year", "stage", "exe_ymd"]
        table = items.group_by(keys).aggregate(**metrics(items)).to_pyarrow()
        for name in AMOUNT_COLUMNS:
            # Every answer sums a subset of these group sums, so Σ|group sum| bounds it (float: a margin of 2×).
            values = pc.fill_null(table[name], 0).to_numpy(zero_copy_only=False).astype(np.float64)
            if float(np.abs(values).sum()) >= _MAX_SAFE:
                return None
        infos: dict[int, SnapshotInfo] = {}
        for record in table.select(["snapshot_id", "fiscal_year", "stage", "exe_ymd"]).to_pylist():
            snapshot_id = int(record["snapshot_id"])
            if snapshot_id not in infos:
                infos[snapshot_id] = SnapshotInfo(
                    snapshot_id, int(record["fiscal_year"]), record["stage"], record["exe_ymd"]
                )
        columns = {name: table[name] for name in FINE_KEYS}
        for name in SUMS:
            columns[name] = pc.cast(pc.fill_null(table[name], 0), pa.int64())
        return cls(pa.table(columns), infos)

    @property
    def rows(self) -> int:
        return int(self.fine.num_rows)

    def answers(self, keys: Sequence[str], filters: Any) -> bool:
        """Whether a drill-down grouped by ``keys`` under ``filters`` can be answered from the rollup."""
        return set(keys) <= set(FINE_KEYS) and filters.funding is None

    def drill(self, keys: Sequence[str], filters: Any, *, what: str = "a drill-down") -> RollupAnswer:
        """Group the rows ``filters`` select by ``keys``, one snapshot per government (``yesan.query.snapshots``)."""
        snapshots = [s for s in sorted(self.infos) if self._snapshot_matches(s, filters)]
        wanted_govs = set(filters.gov_codes) if filters.gov_codes else None
        govs_by_snapshot: dict[int, list[str]] = {}
        for snapshot_id in snapshots:
            for gov in self._govs.get(snapshot_id, ()):
                if wanted_govs is not None and gov not in wanted_govs:
                    continue
                if filters.region is not None and self._region_of.get(gov) != filters.region:
                    continue
                govs_by_snapshot.setdefault(snapshot_id, []).append(gov)
        choice = choose(govs_by_snapshot, self.infos, explicit=bool(filters.snapshot_ids), what=what)
        part = self._rows_for(keys, filters, choice, govs_by_snapshot)
        mask = _mask(part, filters)
        if mask is not None:
            part = part.filter(mask)
        return RollupAnswer(_group(part, keys), choice)

    def _snapshot_matches(self, snapshot_id: int, filters: Any) -> bool:
        info = self.infos[snapshot_id]
        if filters.snapshot_ids and snapshot_id not in filters.snapshot_ids:
            return False
        if filters.fiscal_year is not None and info.fiscal_year != filters.fiscal_year:
            return False
        return filters.stage is None or info.stage == filters.stage

    def _rows_for(
        self, keys: Sequence[str], filters: Any, choice: Choice, govs_by_snapshot: dict[int, list[str]]
    ) -> pa.Table:
        pairs = choice.pairs if choice.pairs is not None else {s: tuple(g) for s, g in govs_by_snapshot.items()}
        per_government = choice.pairs is not None or filters.gov_codes is not None
        needs_fine = per_government or bool(set(keys) - set(COARSE_KEYS)) or filters.account is not None
        if not needs_fine:
            return _slices(self.coarse, (self._coarse_snapshots.get((s,)) for s in sorted(pairs)))
        if not per_government:
            return _slices(self.fine, (self._fine_snapshots.get((s,)) for s in sorted(pairs)))
        return _slices(self.fine, (self._fine_ranges.get((s, g)) for s in sorted(pairs) for g in pairs[s]))


def _ranges(table: pa.Table, keys: tuple[str, ...]) -> dict[tuple[Any, ...], tuple[int, int]]:
    """(start, stop) row ranges of each run of equal ``keys`` in a table sorted by them."""
    n = table.num_rows
    if n == 0:
        return {}
    change = np.zeros(n, dtype=bool)
    change[0] = True
    for key in keys:
        column = table[key].combine_chunks()
        if pa.types.is_integer(column.type):
            values = column.to_numpy(zero_copy_only=False)
            change[1:] |= values[1:] != values[:-1]
        else:
            values = np.asarray(column.to_pylist(), dtype=object)
            change[1:] |= values[1:] != values[:-1]
    starts = np.flatnonzero(change).tolist()
    stops = [*starts[1:], n]
    key_columns = [table[key].take(pa.array(starts)).to_pylist() for key in keys]
    return {tuple(k): (a, b) for k, a, b in zip(zip(*key_columns, strict=True), starts, stops, strict=True)}


def _slices(table: pa.Table, ranges: Iterable[tuple[int, int] | None]) -> pa.Table:
    parts = [table.slice(a, b - a) for r in ranges if r is not None for a, b in (r,)]
    if not parts:
        return table.slice(0, 0)
    return parts[0] if len(parts) == 1 else pa.concat_tables(parts)


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


def _sum_by(table: pa.Table, keys: Sequence[str]) -> pa.Table:
    grouped = table.group_by(list(keys), use_threads=False).aggregate([(name, "sum") for name in SUMS])
    summed = {f"{name}_sum": name for name in SUMS}
    return grouped.rename_columns([summed.get(name, name) for name in grouped.column_names])


def _group(part: pa.Table, keys: Sequence[str]) -> list[dict[str, Any]]:
    if part.num_rows == 0:
        return []
    grouped = part.group_by(list(keys), use_threads=False).aggregate([(name, "sum") for name in SUMS])
    records: list[dict[str, Any]] = grouped.to_pylist()
    for record in records:
        for name in SUMS:
            record[name] = int(record.pop(f"{name}_sum") or 0)
    return records


__all__ = ["COARSE_KEYS", "FINE_KEYS", "RollupAnswer", "Rollups"]
