"""How a group of a drill-down is named in a page's URL (its name for 분야/부문, its code or name below), and the
key it has in the query layer's answers. The selections themselves are ``yesan.query.selections``."""

from __future__ import annotations

from typing import Any

from yesan.query import LEVELS
from yesan.query.selections import NULL_PARAM


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


__all__ = ["NULL_PARAM", "group_param", "key_of"]
