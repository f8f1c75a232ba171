"""The one gateway to the database: opening, schema, atomic loads and what is in the store."""

from __future__ import annotations

from yesan.store.store import LoadResult, SnapshotResult, Store, default_db_path

__all__ = ["LoadResult", "SnapshotResult", "Store", "default_db_path"]
