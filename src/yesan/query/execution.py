"""Execution (집행률): 지출액 / 예산현액 by item or any drill-down level, and its trend over snapshots."""

from __future__ import annotations

import datetime as dt
import heapq
from dataclasses import dataclass
from typing import Any

import ibis

from yesan.errors import QueryError
from yesan.query.common import (
    check_level,
    check_positive,
    key_order,
    ratio,
    records,
    won,
)
from yesan.query.compiled import rows_over
from yesan.query.drilldown import Filters
from yesan.query.snapshots import one_snapshot, settle, snapshot_check, snapshot_span, unique_item_snapshots


@dataclass(frozen=True)
class ExecutionRow:
    key: dict[str, Any]
    items: int
    budget: int  # 예산현액, won
    spent: int  # 지출액, won

    @property
    def rate(self) -> float | None:
        """spent / budget; None when the budget is 0."""
        return ratio(self.spent, self.budget)


@dataclass(frozen=True)
class Execution:
    level: str
    filters: Filters
    min_budget: int
    rows: tuple[ExecutionRow, ...]  # largest budget first: all of them, or the page asked for
    total: ExecutionRow
    lowest: tuple[ExecutionRow, ...]  # lowest rate first, among rows with budget ≥ max(min_budget, 1)
    highest: tuple[ExecutionRow, ...]  # highest rate first, same rows
    snapshot_ids: tuple[int, ...]
    note: str | None = None  # how yesan chose the snapshots, when it did
    row_count: int = 0  # every group at ``level``, also when ``rows`` is one page of them
    offset: int = 0  # the position of ``rows[0]`` among them


def execution(
    items: Any,
    filters: Filters | None = None,
    *,
    level: str = "item",
    min_budget: int = 0,
    top: int = 10,
    limit: int | None = None,
    offset: int = 0,
) -> Execution:
    """Execution rate per group at ``level``, with the ``top`` lowest and highest executors.

    ``min_budget`` (won) keeps tiny groups out of the lowest/highest lists (they stay in ``rows``).
    Groups with a budget of 0 have no rate and are never ranked. ``limit``/``offset`` fetch one page of
    ``rows`` (largest budget first); ``row_count`` says how many groups there are in all.

    The engine groups, ranks and pages: only the rows asked for come back to Python, so asking for the 20
    lowest of 180,000 items costs a query, not 180,000 Python objects.
    """
    keys = list(check_level(level))
    check_positive("min_budget", min_budget)
    check_positive("top", top)
    check_positive("limit", limit)
    check_positive("offset", offset)
    chosen = filters or Filters()
    selected = chosen.apply(items)
    if level != "item":  # groups, most often of one snapshot: one grouped query answers (see ``one_snapshot``)
        spanned = rows_over(_spanned_groups, selected, tuple(keys))
        if (single := one_snapshot(spanned)) is not None:
            total = _row({}, {name: sum(won(r[name]) for r in spanned) for name in ("budget", "spent", "n_items")})
            found = _rank_here(spanned, keys, min_budget=min_budget, top=top, limit=limit, offset=offset)
            return Execution(
                level=level, filters=chosen, min_budget=min_budget, rows=found[0], total=total, lowest=found[1],
                highest=found[2], snapshot_ids=single.snapshot_ids, note=single.note, row_count=len(spanned),
                offset=offset if limit is not None else 0,
            )  # fmt: skip
    record = records(selected.aggregate(**_sums(selected), **snapshot_check(selected)))[0]
    selected, choice, changed = settle(selected, record, chosen, "execution")
    aggregates = _sums(selected)
    total = _row({}, records(selected.aggregate(**aggregates))[0] if changed else record)
    grouped, one_per_row = _grouped(selected, keys, level, choice.snapshot_ids, aggregates)
    if one_per_row:  # a row per item: the engine ranks and pages (top-N), only the rows shown come back
        row_count = total.items
        found = _fetch_parts(grouped, keys, min_budget=min_budget, top=top, limit=limit, offset=offset)
    else:  # groups: one query fetches them all, ranked here (fewer queries to compile than three top-Ns)
        grouped_rows = records(grouped.order_by(keys))
        row_count = len(grouped_rows)
        found = _rank_here(grouped_rows, keys, min_budget=min_budget, top=top, limit=limit, offset=offset)
    return Execution(
        level=level,
        filters=chosen,
        min_budget=min_budget,
        rows=found[0],
        total=total,
        lowest=found[1],
        highest=found[2],
        snapshot_ids=choice.snapshot_ids,
        note=choice.note,
        row_count=row_count,
        offset=offset if limit is not None else 0,
    )


_Parts = tuple[tuple[ExecutionRow, ...], tuple[ExecutionRow, ...], tuple[ExecutionRow, ...]]


def _fetch_parts(grouped: Any, keys: list[str], *, min_budget: int, top: int, limit: int | None, offset: int) -> _Parts:
    """The page (largest budget first) and the lowest and highest rates, each a top-N in the engine.

    Equal budgets, and equal rates, keep the key order, as ``_rank_here`` does: the order is total, so a page is
    the same slice of the list whichever way and whichever engine answers.
    """
    by_key = [ibis.asc(k) for k in keys]
    with_rate = grouped.mutate(rate_=grouped.spent.cast("float64") / grouped.budget.cast("float64"))
    ranked = with_rate.filter((with_rate.budget > 0) & (with_rate.budget >= min_budget))

    def fetch(table: Any, order: list[Any], n: int | None, skip: int) -> tuple[ExecutionRow, ...]:
        if n == 0:
            return ()
        ordered = table.order_by(order)
        return tuple(
            _row({k: r[k] for k in keys}, r) for r in records(ordered if n is None else ordered.limit(n, offset=skip))
        )

    return (
        fetch(grouped, [ibis.desc("budget"), *by_key], limit, offset),
        fetch(ranked, [ibis.asc("rate_"), ibis.desc("budget"), *by_key], top, 0),
        fetch(ranked, [ibis.desc("rate_"), ibis.desc("budget"), *by_key], top, 0),
    )


def _rank_here(
    grouped: list[dict[str, Any]], keys: list[str], *, min_budget: int, top: int, limit: int | None, offset: int
) -> _Parts:
    """The same three parts from every group, fetched in key order (sorts are stable)."""
    rows = sorted((_row({k: r[k] for k in keys}, r) for r in grouped), key=lambda r: -r.budget)
    ranked = [r for r in rows if r.budget > 0 and r.budget >= min_budget]
    lowest = heapq.nsmallest(top, ranked, key=lambda r: (r.spent / r.budget, -r.budget))
    highest = heapq.nsmallest(top, ranked, key=lambda r: (-r.spent / r.budget, -r.budget))
    page = rows[offset:] if limit is None else rows[offset : offset + limit]
    return tuple(page), tuple(lowest), tuple(highest)


def _grouped(
    selected: Any, keys: list[str], level: str, snapshot_ids: tuple[int, ...], aggregates: dict[str, Any]
) -> tuple[Any, bool]:
    """One row per group at ``level``, and whether that is one row per selected row.

    At the item level of snapshots whose rows are already one per item (the store records it at load), the
    rows are taken as they are, without a GROUP BY over every item.
    """
    if level == "item" and set(snapshot_ids) <= unique_item_snapshots(selected):
        one = ibis.literal(1, "int64")
        return selected.select(*keys, budget=selected.budget, spent=selected.spent, n_items=one), True
    return selected.group_by(keys).aggregate(**aggregates), False


def _spanned_groups(selected: Any, keys: tuple[str, ...]) -> Any:
    """The sums per group at ``keys``, in key order, with the snapshots each group spans."""
    return selected.group_by(list(keys)).aggregate(**_sums(selected), **snapshot_span(selected)).order_by(list(keys))


def _sums(selected: Any) -> dict[str, Any]:
    return {"budget": selected.budget.sum(), "spent": selected.spent.sum(), "n_items": selected.count()}


def _row(key: dict[str, Any], record: dict[str, Any]) -> ExecutionRow:
    return ExecutionRow(key=key, items=int(record["n_items"]), budget=won(record["budget"]), spent=won(record["spent"]))


@dataclass(frozen=True)
class TrendPoint:
    snapshot_id: int
    exe_ymd: dt.date | None
    stage: str
    items: int
    budget: int
    spent: int

    @property
    def rate(self) -> float | None:
        return ratio(self.spent, self.budget)


@dataclass(frozen=True)
class TrendSeries:
    key: dict[str, Any]
    points: tuple[TrendPoint, ...]  # by exe_ymd


@dataclass(frozen=True)
class ExecutionTrend:
    fiscal_year: int | None  # None when nothing is selected
    filters: Filters
    level: str | None
    points: tuple[TrendPoint, ...]  # the whole selection, one point per snapshot, by exe_ymd
    series: tuple[TrendSeries, ...]  # per group at ``level`` (empty without a level), largest last budget first


def execution_trend(items: Any, filters: Filters | None = None, *, level: str | None = None) -> ExecutionTrend:
    """Execution per snapshot (exe_ymd) of one fiscal year, overall and, with ``level``, per group."""
    keys = check_level(level) if level is not None else ()
    chosen = filters or Filters()
    selected = chosen.apply(items)
    years = sorted(int(r["fiscal_year"]) for r in records(selected.select("fiscal_year").distinct()))
    if len(years) > 1:
        raise QueryError(
            f"an execution trend is over the snapshots of one fiscal year, but the selection holds "
            f"{', '.join(map(str, years))}; choose one with Filters(fiscal_year=…)"
        )
    snapshot_keys = ["snapshot_id", "exe_ymd", "stage"]
    aggregates = {"budget": selected.budget.sum(), "spent": selected.spent.sum(), "n_items": selected.count()}
    points = sorted(
        (_point(r) for r in records(selected.group_by(snapshot_keys).aggregate(**aggregates))), key=_by_date
    )
    series: list[TrendSeries] = []
    if keys:
        per_group: dict[tuple[Any, ...], list[TrendPoint]] = {}
        for r in records(selected.group_by([*snapshot_keys, *keys]).aggregate(**aggregates)):
            per_group.setdefault(tuple(r[k] for k in keys), []).append(_point(r))
        for values, group_points in per_group.items():
            series.append(
                TrendSeries(key=dict(zip(keys, values, strict=True)), points=tuple(sorted(group_points, key=_by_date)))
            )
        series.sort(key=lambda s: (-s.points[-1].budget, key_order(s.key)))
    return ExecutionTrend(
        fiscal_year=years[0] if years else None,
        filters=chosen,
        level=level,
        points=tuple(points),
        series=tuple(series),
    )


def _by_date(point: TrendPoint) -> tuple[bool, dt.date, int]:
    return (point.exe_ymd is None, point.exe_ymd or dt.date.min, point.snapshot_id)


def _point(record: dict[str, Any]) -> TrendPoint:
    return TrendPoint(
        snapshot_id=int(record["snapshot_id"]),
        exe_ymd=record["exe_ymd"],
        stage=str(record["stage"]),
        items=int(record["n_items"]),
        budget=won(record["budget"]),
        spent=won(record["spent"]),
    )


__all__ = ["Execution", "ExecutionRow", "ExecutionTrend", "TrendPoint", "TrendSeries", "execution", "execution_trend"]
