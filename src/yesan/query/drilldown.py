"""Drill-down: totals at one level of the hierarchy, with shares of the parent and an exactness check."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final

from yesan.errors import QueryError
from yesan.model import AMOUNT_COLUMNS
from yesan.query.common import LEVELS, check_level, metrics
from yesan.query.compiled import arrow
from yesan.query.rollup import Rollups
from yesan.query.snapshots import Choice, settle, snapshot_check

SORTS: Final = ("budget", "spent", "items", "execution", "name")


@dataclass(frozen=True)
class Filters:
    """Which items to count. Every field narrows the selection; ``None`` means no restriction."""

    snapshot_ids: tuple[int, ...] | None = None
    fiscal_year: int | None = None
    stage: str | None = None
    gov_codes: tuple[str, ...] | None = None
    region: str | None = None
    account_type: str | None = None
    account: str | None = None
    field_name: str | None = None
    sector_name: str | None = None
    funding: str | None = None  # one of national/provincial/municipal/other: items with that source > 0

    def apply(self, items: Any) -> Any:
        conditions = []
        if self.snapshot_ids:
            conditions.append(items.snapshot_id.isin(list(self.snapshot_ids)))
        if self.fiscal_year is not None:
            conditions.append(items.fiscal_year == self.fiscal_year)
        if self.gov_codes:
            conditions.append(items.gov_code.isin(list(self.gov_codes)))
        for column, value in (
            ("stage", self.stage),
            ("parent_name", self.region),
            ("account_type", self.account_type),
            ("account", self.account),
            ("field_name", self.field_name),
            ("sector_name", self.sector_name),
        ):
            if value is not None:
                conditions.append(items[column] == value)
        if self.funding is not None:
            if self.funding not in ("national", "provincial", "municipal", "other"):
                raise QueryError(
                    f"unknown funding source {self.funding!r}; use national, provincial, municipal or other"
                )
            conditions.append(items[self.funding] > 0)
        return items.filter(conditions) if conditions else items


# Not frozen: a frozen dataclass's __init__ costs ~1 µs against ~0.16 µs, and an API answer makes one per
# group (a government's 부문 drill-down: ~40). Treat it as read-only all the same.
@dataclass(slots=True)
class DrillRow:
    key: dict[str, Any]
    items: int
    amounts: dict[str, int]  # won, per AMOUNT_COLUMNS
    share: float | None  # of the parent's budget
    execution_rate: float | None  # spent / budget

    @property
    def budget(self) -> int:
        return self.amounts["budget"]

    def as_dict(self) -> dict[str, Any]:
        """Key columns, item count, amounts (won), share and execution rate: one flat row for JSON/CSV."""
        return {
            **self.key,
            "items": self.items,
            **self.amounts,
            "share": self.share,
            "execution_rate": self.execution_rate,
        }


@dataclass
class DrillDown:
    level: str
    filters: Filters
    rows: list[DrillRow]
    total: DrillRow  # the parent: everything the filters select
    snapshot_ids: list[int] = field(default_factory=list)
    groups: int = 0  # number of groups before any limit
    difference: dict[str, int] = field(default_factory=dict)  # parent − Σ children, per amount (0 = exact)
    note: str | None = None  # how the snapshots were chosen, when yesan chose them

    @property
    def exact(self) -> bool:
        return not any(self.difference.values())


def _row(key: dict[str, Any], record: dict[str, Any], parent_budget: int | None) -> DrillRow:
    amounts = {name: int(record[name] or 0) for name in AMOUNT_COLUMNS}
    budget = amounts["budget"]
    return DrillRow(
        key=key,
        items=int(record["n_items"]),
        amounts=amounts,
        share=(budget / parent_budget) if parent_budget else None,
        execution_rate=(amounts["spent"] / budget) if budget else None,
    )


def _sort_key(row: DrillRow, sort: str) -> tuple[float, str]:
    """Largest first for amounts and counts, lowest first for execution, then by name."""
    name = str(row.key)
    if sort == "budget":
        return (-row.budget, name)
    if sort == "spent":
        return (-row.amounts["spent"], name)
    if sort == "items":
        return (-row.items, name)
    if sort == "execution":
        return (row.execution_rate if row.execution_rate is not None else 2.0, name)
    return (0.0, name)


def drilldown(
    items: Any,
    level: str,
    filters: Filters | None = None,
    *,
    sort: str = "budget",
    limit: int | None = None,
    rollups: Rollups | None = None,
) -> DrillDown:
    """Totals of the selected items grouped at ``level``, largest first (or by ``sort``).

    Each government is counted from one snapshot (its latest, unless ``filters.snapshot_ids`` names
    them; see ``yesan.query.snapshots``). With ``rollups`` (built once by a long-running process),
    levels down to 부문 are answered from pre-summed rows without a query. Children always sum to the
    parent in integer won; if they ever did not (e.g. a NULL group key lost by a backend),
    ``difference`` says by how much.
    """
    keys = list(check_level(level))
    if sort not in SORTS:
        raise QueryError(f"unknown sort {sort!r}; use one of {', '.join(SORTS)}")
    chosen = filters or Filters()
    if rollups is not None and rollups.answers(keys, chosen):
        answer = rollups.drill(keys, chosen)
        records, choice = answer.records, answer.choice
        total_record = {name: sum(r[name] for r in records) for name in (*AMOUNT_COLUMNS, "n_items")}
    else:
        selected = chosen.apply(items)
        total_record = arrow(selected.aggregate(**metrics(selected), **snapshot_check(selected))).to_pylist()[0]
        selected, choice, changed = settle(selected, total_record, chosen, "a drill-down")
        if changed:
            total_record = arrow(selected.aggregate(**metrics(selected))).to_pylist()[0]
        records = arrow(selected.group_by(keys).aggregate(**metrics(selected))).to_pylist()
    return _answer(level, keys, chosen, records, total_record, choice, sort, limit)


def drilldown_held(
    level: str, filters: Filters | None = None, *, rollups: Rollups, sort: str = "budget", limit: int | None = None
) -> DrillDown | None:
    """``drilldown`` from the sums ``rollups`` hold now, or None where that needs a query (see
    ``Rollups.drill_held``). No query runs, so a server can answer on its event loop without a thread."""
    keys = list(check_level(level))
    if sort not in SORTS:
        raise QueryError(f"unknown sort {sort!r}; use one of {', '.join(SORTS)}")
    chosen = filters or Filters()
    answer = rollups.drill_held(keys, chosen)
    if answer is None:
        return None
    total_record = {name: sum(r[name] for r in answer.records) for name in (*AMOUNT_COLUMNS, "n_items")}
    return _answer(level, keys, chosen, answer.records, total_record, answer.choice, sort, limit)


def _answer(
    level: str,
    keys: list[str],
    chosen: Filters,
    records: list[dict[str, Any]],
    total_record: dict[str, Any],
    choice: Choice,
    sort: str,
    limit: int | None,
) -> DrillDown:
    total = _row({}, total_record, None)
    rows = [_row({k: r[k] for k in keys}, r, total.budget) for r in records]
    difference = {name: total.amounts[name] - sum(r.amounts[name] for r in rows) for name in AMOUNT_COLUMNS}
    rows.sort(key=lambda r: _sort_key(r, sort))
    return DrillDown(
        level=level,
        filters=chosen,
        rows=rows[:limit] if limit else rows,
        total=total,
        snapshot_ids=list(choice.snapshot_ids),
        groups=len(rows),
        difference=difference,
        note=choice.note,
    )


__all__ = ["LEVELS", "SORTS", "DrillDown", "DrillRow", "Filters", "drilldown", "drilldown_held"]
