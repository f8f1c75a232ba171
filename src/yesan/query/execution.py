"""Execution (집행률): 지출액 / 예산현액 by item or any drill-down level, and its trend over snapshots."""

from __future__ import annotations

import datetime as dt
import heapq
from dataclasses import dataclass
from typing import Any

from yesan.errors import QueryError
from yesan.query.common import (
    check_level,
    check_positive,
    key_order,
    ratio,
    records,
    won,
)
from yesan.query.drilldown import Filters
from yesan.query.snapshots import one_per_government


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
    rows: tuple[ExecutionRow, ...]  # largest budget first
    total: ExecutionRow
    lowest: tuple[ExecutionRow, ...]  # lowest rate first, among rows with budget ≥ max(min_budget, 1)
    highest: tuple[ExecutionRow, ...]  # highest rate first, same rows
    snapshot_ids: tuple[int, ...]
    note: str | None = None  # how yesan chose the snapshots, when it did


def execution(
    items: Any, filters: Filters | None = None, *, level: str = "item", min_budget: int = 0, top: int = 10
) -> Execution:
    """Execution rate per group at ``level``, with the ``top`` lowest and highest executors.

    ``min_budget`` (won) keeps tiny groups out of the lowest/highest lists (they stay in ``rows``).
    Groups with a budget of 0 have no rate and are never ranked.
    """
    keys = check_level(level)
    check_positive("min_budget", min_budget)
    check_positive("top", top)
    chosen = filters or Filters()
    selected = chosen.apply(items)
    selected, choice = one_per_government(selected, chosen, "execution")
    aggregates = {"budget": selected.budget.sum(), "spent": selected.spent.sum(), "n_items": selected.count()}
    total = _row({}, records(selected.aggregate(**aggregates))[0])
    grouped = records(selected.group_by(list(keys)).aggregate(**aggregates).order_by(list(keys)))
    # Sorts are stable: rows of equal budget (and equal rates below) stay in key order.
    rows = sorted((_row({k: r[k] for k in keys}, r) for r in grouped), key=lambda r: -r.budget)
    ranked = [r for r in rows if r.budget > 0 and r.budget >= min_budget]
    lowest = heapq.nsmallest(top, ranked, key=lambda r: (r.spent / r.budget, -r.budget))
    highest = heapq.nsmallest(top, ranked, key=lambda r: (-r.spent / r.budget, -r.budget))
    return Execution(
        level=level,
        filters=chosen,
        min_budget=min_budget,
        rows=tuple(rows),
        total=total,
        lowest=tuple(lowest),
        highest=tuple(highest),
        snapshot_ids=choice.snapshot_ids,
        note=choice.note,
    )


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
