"""Facts about each snapshot that the query layer uses to take shortcuts, written when the snapshot is loaded.

``unique_items:<snapshot_id>`` in ``meta`` is ``true`` when no two rows of the snapshot share a 세부사업 key
(government, account, item code and name): then a question at the item level needs no GROUP BY, and the
engine can rank or page the rows as they are. A snapshot without the fact is grouped, as before.
"""

from __future__ import annotations

from typing import Any

from yesan.model import ITEM_LEVEL_KEY, UNIQUE_ITEMS_META_PREFIX


def record_snapshot_facts(con: Any) -> None:
    """Write the facts of every snapshot that has none yet (inside the caller's transaction).

    ``SELECT DISTINCT`` treats NULL keys as equal, as ``GROUP BY`` does, so "unique" here means "grouping
    would not merge two rows".
    """
    keys = ", ".join(ITEM_LEVEL_KEY)
    missing = con.execute(
        "SELECT snapshot_id FROM snapshots WHERE ? || CAST(snapshot_id AS VARCHAR) NOT IN (SELECT key FROM meta)",
        [UNIQUE_ITEMS_META_PREFIX],
    ).fetchall()
    for (snapshot_id,) in missing:
        rows, distinct = con.execute(
            f"SELECT (SELECT count(*) FROM items WHERE snapshot_id = $1), "
            f"(SELECT count(*) FROM (SELECT DISTINCT {keys} FROM items WHERE snapshot_id = $1))",
            [snapshot_id],
        ).fetchone()
        con.execute(
            "INSERT OR REPLACE INTO meta VALUES (?, ?)",
            [f"{UNIQUE_ITEMS_META_PREFIX}{snapshot_id}", "true" if rows == distinct else "false"],
        )


def forget_snapshot_facts(con: Any, snapshot_id: int) -> None:
    """Drop the facts of a snapshot whose rows are replaced."""
    con.execute("DELETE FROM meta WHERE key = ?", [f"{UNIQUE_ITEMS_META_PREFIX}{snapshot_id}"])


__all__ = ["forget_snapshot_facts", "record_snapshot_facts"]
