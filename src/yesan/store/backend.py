"""The store file as an Ibis DuckDB backend, and how much memory DuckDB may take for it: the one place that
opens a store for reading (the query layer, the partitioned export, the copy to PostgreSQL and the server)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Final

import duckdb
import ibis

from yesan.errors import StoreError
from yesan.settings import Settings

#: DuckDB's buffer pool for a store opened read-only: caps what queries hold in memory (a serving process over
#: 100M items stays under 2 GB RSS with it; see docs/scale.md). ``$YESAN_DUCKDB_MEMORY_LIMIT`` overrides it.
DUCKDB_MEMORY_LIMIT: Final = "1GB"
MEMORY_LIMIT_VARIABLE: Final = "YESAN_DUCKDB_MEMORY_LIMIT"
#: ``yesan serve``'s: the ``duckdb_memory_limit`` setting's default (``yesan.settings`` says why it is less).
SERVE_MEMORY_LIMIT: Final = Settings().duckdb_memory_limit


#: DuckDB's errors that say a statement cannot run with placeholders where SQL wants a constant
#: (``yesan.query.compiled`` then runs that shape through Ibis's own path).
UNBINDABLE_ERRORS: Final[tuple[type[Exception], ...]] = (
    duckdb.BinderException,
    duckdb.ParserException,
    duckdb.InvalidInputException,
    duckdb.NotImplementedException,
)


def duckdb_memory_limit() -> str:
    """The memory limit for DuckDB stores opened read-only: ``$YESAN_DUCKDB_MEMORY_LIMIT`` or the default."""
    return os.environ.get(MEMORY_LIMIT_VARIABLE, "").strip() or DUCKDB_MEMORY_LIMIT


def serve_memory_limit() -> str:
    """The memory limit for a server's store: ``$YESAN_DUCKDB_MEMORY_LIMIT`` or SERVE_MEMORY_LIMIT (the
    ``duckdb_memory_limit`` setting)."""
    return Settings.from_environment().duckdb_memory_limit


def open_backend(db: Path | str, *, read_only: bool = True, memory_limit: str | None = None) -> Any:
    """An Ibis DuckDB backend over a yesan store file (read-only ones get ``duckdb_memory_limit()``)."""
    path = Path(db)
    if not path.exists():
        raise StoreError(f"no store at {path}; create it with `yesan demo` or `yesan load FILE`")
    limit = memory_limit or (duckdb_memory_limit() if read_only else None)
    options = {"memory_limit": limit} if limit else {}
    try:
        return ibis.duckdb.connect(str(path), read_only=read_only, **options)
    except Exception as error:  # DuckDB raises its own types (bad limit, lock held, not a database)
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        hint = f"; check ${MEMORY_LIMIT_VARIABLE} (e.g. 1GB)" if "memory" in first.lower() else ""
        raise StoreError(f"cannot open the store {path}: {first}{hint}") from None


def optional_table(backend: Any, name: str) -> Any | None:
    """Table ``name`` of ``backend``, or None when it has none (e.g. a store written by an older yesan).

    Not ``backend.list_tables()``: Ibis 12 calls a DuckDB method there that DuckDB 2.0 no longer has."""
    try:
        return backend.table(name)
    except Exception:  # backends raise their own "table not found" types
        return None


__all__ = [
    "DUCKDB_MEMORY_LIMIT",
    "MEMORY_LIMIT_VARIABLE",
    "SERVE_MEMORY_LIMIT",
    "UNBINDABLE_ERRORS",
    "duckdb_memory_limit",
    "open_backend",
    "optional_table",
    "serve_memory_limit",
]
