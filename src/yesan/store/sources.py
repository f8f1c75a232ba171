"""The sources of reported figures in the store (schema version 3): written with their figures, in one transaction."""

from __future__ import annotations

from typing import Final

import duckdb
import pyarrow as pa

from yesan.errors import LoadError

__all__ = ["SOURCE_CONTENT", "write_sources"]

#: The columns of ``reported_sources`` besides ``dataset``, in ``ingest.reported_sources.SOURCES_SCHEMA`` order.
SOURCE_CONTENT: Final = (
    "source_key", "outlet", "url", "other_urls", "published", "tier", "kind", "hosts", "fingerprint", "notes",
)  # fmt: skip


def write_sources(con: duckdb.DuckDBPyConnection, dataset: str, sources: pa.Table, *, replace: bool) -> str:
    """Store ``dataset``'s sources (inside the caller's transaction): ``new``, ``unchanged`` or ``replaced``.

    Different sources under a dataset that has some are refused unless ``replace``.
    """
    columns = ", ".join(SOURCE_CONTENT)
    con.register("_yesan_sources", sources.select(list(SOURCE_CONTENT)))
    try:
        existing = con.execute("SELECT count(*) FROM reported_sources WHERE dataset = ?", [dataset]).fetchall()
        status = "new"
        if existing[0][0]:
            differ = con.execute(
                f"SELECT count(*) FROM ((SELECT {columns} FROM reported_sources WHERE dataset = ? "
                f"EXCEPT ALL SELECT {columns} FROM _yesan_sources) UNION ALL (SELECT {columns} FROM _yesan_sources "
                f"EXCEPT ALL SELECT {columns} FROM reported_sources WHERE dataset = ?))",
                [dataset, dataset],
            ).fetchall()
            if not differ[0][0]:
                return "unchanged"
            if not replace:
                raise LoadError(
                    f"the sources of reported figures {dataset!r} are already in the store and differ; "
                    "nothing was loaded",
                    hint="pass --replace to replace them, or load them under another --dataset name",
                )
            con.execute("DELETE FROM reported_sources WHERE dataset = ?", [dataset])
            status = "replaced"
        con.execute(f"INSERT INTO reported_sources (dataset, {columns}) SELECT ?, {columns} FROM _yesan_sources",
                    [dataset])  # fmt: skip
        return status
    finally:
        con.unregister("_yesan_sources")
