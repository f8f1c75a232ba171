"""The store file: opening it, its schema and migrations, atomic loads, and what it holds (``store``, ``info``).

Also the store read-only as an Ibis backend (``backend``), its partitioned Parquet copy (``layout``), and what a
damaged file is told apart by (``damage``). Nothing here imports the query layer: it imports this."""

from __future__ import annotations

from yesan.store.store import LoadResult, SnapshotResult, Store, default_db_path

__all__ = ["LoadResult", "SnapshotResult", "Store", "default_db_path"]
