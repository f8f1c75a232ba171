"""PostgreSQL as a backend for the query layer: open it, and copy a yesan store (DuckDB) into it.

The query functions take Ibis table expressions, so once the store's tables are in PostgreSQL
``drilldown(items_table(open_postgres(url)), ...)`` gives the same answers as over the DuckDB file.

Types are kept exact. Each table is created through Ibis from the DuckDB table's Ibis schema, so
integers keep their width (``SMALLINT`` → ``smallint``, ``INTEGER`` → ``integer``, ``BIGINT`` won →
``bigint``) and ``snapshots.budget_total`` (DuckDB ``HUGEINT``, which Ibis reads as
``decimal(38, 0)``) becomes ``numeric(38, 0)``: exact for any sum of BIGINT amounts, where a cast to
``bigint`` would be exact only while the total fits in 2⁶³−1 won. After the copy the PostgreSQL
schema and row counts are compared with the store's, and any difference is an error.

Rows stream: each table is read from DuckDB in record batches of ``batch_rows`` rows (in the store's
order, so ``items`` arrives snapshot by snapshot) and written with PostgreSQL's ``COPY`` on the Ibis
backend's own connection, one batch at a time, so memory does not grow with the table: the process holds
a batch or two plus DuckDB's cache, capped by the store's memory limit (a 10M-row store: 0.9 GB peak RSS,
where reading whole tables took 3.7 GB; docs/scale.md). Ibis's ``create_table(obj=...)`` would insert
row by row.

The copy is one PostgreSQL transaction. Each table is written under a staging name
(``_yesan_copy_items``…), checked, and only when every table is in place are the old tables dropped
and the staged ones renamed: until then readers see the previous copy, and an error (or a killed
process, which PostgreSQL rolls back) leaves PostgreSQL exactly as it was, with no partial table.
The old tables are locked only for the final swap.

With ibis 12 and sqlglot ≥ 28 the PostgreSQL backend's ``drop_table`` and
``create_table(overwrite=True)`` emit ``DROP TABLE IF EXISTS`` without a table name, so tables are
dropped here with SQL of our own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Final

import ibis
import pyarrow as pa
import pyarrow.csv as pacsv

from yesan.errors import StoreError
from yesan.store.backend import open_backend

STORE_TABLES: Final = ("items", "snapshots", "sources", "governments", "population")
#: Rows per COPY batch: about 15 MB of Arrow data and 10 MB of CSV for items.
BATCH_ROWS: Final = 50_000
_STAGING_PREFIX: Final = "_yesan_copy_"
_IDENTIFIER: Final = re.compile(r"[a-z_][a-z0-9_]*")


def open_postgres(url: str) -> Any:
    """An Ibis PostgreSQL backend for ``postgresql://user[:password]@host:port/database``."""
    if not url.startswith(("postgresql://", "postgres://")):
        raise StoreError(f"not a PostgreSQL URL: {url!r} (expected postgresql://user@host:port/database)")
    return ibis.connect(url)


def copy_store_to_postgres(
    store_db: Path, pg_url: str, *, tables: Iterable[str] = STORE_TABLES, batch_rows: int = BATCH_ROWS
) -> None:
    """Copy the named tables of the yesan store ``store_db`` into PostgreSQL, replacing tables of the same name.

    All or nothing: on any error PostgreSQL keeps the tables it had (raised as ``StoreError``). Memory
    use follows ``batch_rows``, not the size of the store.
    """
    import psycopg

    names = list(tables)
    for name in names:
        if not _IDENTIFIER.fullmatch(name):
            raise StoreError(f"not a yesan table name: {name!r}")
    if batch_rows < 1:
        raise ValueError(f"batch_rows must be at least 1, not {batch_rows}")
    # The store's usual read-only settings: DuckDB refuses a second connection to a file with other settings in
    # one process, and a scan streams under any memory limit (the buffer pool caps what DuckDB caches).
    source = open_backend(store_db)
    try:
        schemas = {name: _store_schema(source, name) for name in names}
        target = open_postgres(pg_url)
        try:
            with target.con.transaction():  # ibis's own begin() blocks inside become savepoints
                for name in names:
                    _copy_table(source, target, name, schemas[name], batch_rows)
                _swap_in(target, names)
        except psycopg.Error as error:
            raise StoreError(
                f"PostgreSQL refused the copy of {store_db}: {_describe(error)}; "
                "nothing was changed in PostgreSQL (the copy is one transaction)"
            ) from None
        finally:
            target.disconnect()
    finally:
        source.disconnect()


def _store_schema(source: Any, name: str) -> Any:
    try:
        return source.table(name).schema()
    except Exception as error:  # DuckDB raises its own catalog error types
        raise StoreError(f"the store has no {name} table ({error}); is it a yesan store?") from None


def _copy_table(source: Any, target: Any, name: str, schema: Any, batch_rows: int) -> None:
    staged = _STAGING_PREFIX + name
    _drop_table(target, staged)
    target.create_table(staged, schema=schema)
    written = _copy_rows(target, staged, _read_batches(source, name, batch_rows))
    copied = target.table(staged)
    if copied.schema() != schema:
        raise StoreError(f"PostgreSQL changed the types of {name}: {schema} became {copied.schema()}")
    count = int(copied.count().to_pyarrow().as_py())
    if count != written:
        raise StoreError(f"copied {count:,} rows of {name} to PostgreSQL, expected {written:,}")


def _read_batches(source: Any, name: str, batch_rows: int) -> pa.RecordBatchReader:
    """The store's table as a stream of record batches, read as they are written (DuckDB streams the scan)."""
    relation = source.con.sql(source.compile(source.table(name)))
    if hasattr(relation, "to_arrow_reader"):  # duckdb ≥ 1.4; fetch_record_batch is deprecated from 2.0
        return relation.to_arrow_reader(batch_rows)
    return relation.fetch_record_batch(batch_rows)


def _swap_in(target: Any, names: list[str]) -> None:
    with target.begin() as cursor:
        for name in names:
            cursor.execute(f"DROP TABLE IF EXISTS {_quote(name)}")
            cursor.execute(f"ALTER TABLE {_quote(_STAGING_PREFIX + name)} RENAME TO {_quote(name)}")


def _describe(error: Exception) -> str:
    """psycopg's message and, for COPY, where in the data (``COPY items, line 7``: the table's 7th row)."""
    lines = str(error).strip().splitlines()
    text = lines[0] if lines else type(error).__name__
    context = getattr(getattr(error, "diag", None), "context", None)
    if context:
        text += f" ({context.splitlines()[0].replace(_STAGING_PREFIX, '')})"
    return text


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _drop_table(backend: Any, name: str) -> None:
    with backend.begin() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {_quote(name)}")


def _copy_rows(backend: Any, name: str, data: pa.Table | pa.RecordBatchReader) -> int:
    """``COPY name FROM STDIN`` as CSV written by Arrow, one batch at a time; returns the rows written.

    Every non-null value is quoted and nulls are left empty, so PostgreSQL tells NULL from ``''``.
    """
    columns = ", ".join(_quote(column) for column in data.schema.names)
    options = pacsv.WriteOptions(include_header=False, quoting_style="all_valid")
    batches = data.to_batches(max_chunksize=BATCH_ROWS) if isinstance(data, pa.Table) else data
    sql = f"COPY {_quote(name)} ({columns}) FROM STDIN (FORMAT csv)"
    rows = 0
    with backend.begin() as cursor, cursor.copy(sql) as copy:
        for batch in batches:
            sink = pa.BufferOutputStream()
            pacsv.write_csv(batch, sink, write_options=options)
            copy.write(memoryview(sink.getvalue()))
            rows += batch.num_rows
    return rows


__all__ = ["BATCH_ROWS", "STORE_TABLES", "copy_store_to_postgres", "open_postgres"]
