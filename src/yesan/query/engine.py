"""Where the query layer gets its tables: an Ibis backend over the store (DuckDB by default).

Every query function takes Ibis table expressions, never a connection or SQL, so the same code
runs on any backend that holds yesan's tables (DuckDB file, PostgreSQL, Spark).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ibis

from yesan.errors import StoreError


def open_backend(db: Path | str, *, read_only: bool = True) -> Any:
    """An Ibis DuckDB backend over a yesan store file."""
    path = Path(db)
    if not path.exists():
        raise StoreError(f"no store at {path}; create it with `yesan demo` or `yesan load FILE`")
    return ibis.duckdb.connect(str(path), read_only=read_only)


def items_table(backend: Any) -> Any:
    """The ``items`` table of a yesan store as an Ibis table expression."""
    return _table(backend, "items")


@dataclass(frozen=True)
class Tables:
    """The store's tables as Ibis expressions (see ``yesan.store.schema`` for their columns)."""

    items: Any
    snapshots: Any
    sources: Any
    governments: Any
    population: Any


def tables(backend: Any) -> Tables:
    return Tables(*(_table(backend, name) for name in ("items", "snapshots", "sources", "governments", "population")))


def _table(backend: Any, name: str) -> Any:
    try:
        return backend.table(name)
    except Exception as error:  # backends raise their own "table not found" types
        raise StoreError(f"the database has no yesan {name} table ({error}); is it a yesan store?") from None
