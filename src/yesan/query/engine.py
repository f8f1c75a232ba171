"""Where the query layer gets its tables: an Ibis backend over the store (DuckDB by default)."""

from __future__ import annotations

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
    try:
        return backend.table("items")
    except Exception as error:  # backends raise their own "table not found" types
        raise StoreError(f"the database has no yesan items table ({error}); is it a yesan store?") from None
