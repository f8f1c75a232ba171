"""Helpers shared by the query modules: aggregate metrics, level checks, snapshot guards, integer arithmetic.

Everything here builds portable Ibis expressions (filter, group_by, aggregate, join, mutate, order_by),
so the callers run unchanged on any backend.
"""

from __future__ import annotations

from typing import Any, Final

import ibis

from yesan.errors import QueryError
from yesan.model import AMOUNT_COLUMNS, ITEM_LEVEL_KEY
from yesan.query.compiled import arrow, rows

#: Levels a budget can be broken down by, and the item columns that identify a group at that level.
LEVELS: Final[dict[str, tuple[str, ...]]] = {
    "region": ("parent_name",),  # 광역
    "government": ("gov_code", "gov_name"),
    "account_type": ("account_type",),
    "account": ("account",),
    "field": ("field_name",),  # 분야
    "sector": ("field_name", "sector_name"),  # 부문 within its 분야
    "program": ("program_code", "program_name"),  # 정책사업
    "unit": ("unit_code", "unit_name"),  # 단위사업
    "item": ITEM_LEVEL_KEY,  # 세부사업
}

#: Stand-in for a NULL group key while joining (NULL never equals NULL in a join); mapped back to None.
NULL_KEY: Final = ""


def metrics(table: Any, columns: tuple[str, ...] = AMOUNT_COLUMNS) -> dict[str, Any]:
    """Sums of the amount ``columns`` plus the number of items, as Ibis aggregate expressions."""
    result = {name: table[name].sum() for name in columns}
    result["n_items"] = table.count()
    return result


def check_level(level: str, *, allow: tuple[str, ...] | None = None) -> tuple[str, ...]:
    """The key columns of ``level``, or a QueryError naming the levels that can be used."""
    names = allow if allow is not None else tuple(LEVELS)
    if level not in names:
        raise QueryError(f"unknown level {level!r}; use one of {', '.join(names)}")
    return LEVELS[level]


def check_amount(amount: str) -> str:
    if amount not in AMOUNT_COLUMNS:
        raise QueryError(f"unknown amount {amount!r}; use one of {', '.join(AMOUNT_COLUMNS)}")
    return amount


def check_positive(name: str, value: int | None) -> None:
    if value is not None and value < 0:
        raise QueryError(f"{name} must be zero or more, not {value}")


def records(expr: Any) -> list[dict[str, Any]]:
    """Run ``expr`` (compiled once per shape: ``yesan.query.compiled``) and return its rows as dicts."""
    return rows(expr)


def count_of(expr: Any) -> int:
    """How many rows ``expr`` has (one query)."""
    return int(arrow(expr.count()).as_py())


def won(value: Any) -> int:
    """An aggregated amount as int won (a NULL sum is 0)."""
    return int(value or 0)


def require_one_snapshot_per_government(selected: Any, what: str) -> None:
    """Raise QueryError if the selection holds more than one snapshot of some government.

    Summing the same items from two snapshots would count them twice.
    """
    per_gov = selected.group_by("gov_code").aggregate(n_snapshots=selected.snapshot_id.nunique())
    clash = records(per_gov.filter(per_gov.n_snapshots > 1).order_by("gov_code").limit(1))
    if clash:
        found = records(selected.select("snapshot_id").distinct().order_by("snapshot_id"))
        ids = ", ".join(str(r["snapshot_id"]) for r in found)
        raise QueryError(
            f"{what} needs one snapshot per government, but the selection holds snapshots {ids} "
            f"(e.g. for government {clash[0]['gov_code']}); choose one (--snapshot N; snapshot_ids in Python) "
            "or narrow by fiscal_year and stage"
        )


def keyed(table: Any, columns: tuple[str, ...]) -> dict[str, Any]:
    """Group-key expressions with NULL replaced by NULL_KEY so that keys can be joined."""
    return {name: ibis.coalesce(table[name], NULL_KEY) for name in columns}


def unkey(value: Any) -> Any:
    return None if value == NULL_KEY else value


def key_order(key: dict[str, Any]) -> tuple[str, ...]:
    """A cheap, total sort key for a group key (None sorts first)."""
    return tuple("" if value is None else str(value) for value in key.values())


def ratio(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def floor_div(numerator: int, denominator: int) -> int | None:
    """numerator // denominator in exact integers (floor), None when the denominator is 0."""
    return numerator // denominator if denominator else None


__all__ = [
    "LEVELS",
    "NULL_KEY",
    "check_amount",
    "check_level",
    "check_positive",
    "count_of",
    "floor_div",
    "key_order",
    "keyed",
    "metrics",
    "ratio",
    "records",
    "require_one_snapshot_per_government",
    "unkey",
    "won",
]
