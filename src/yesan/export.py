"""Write what is in the store to files other tools read: CSV for Excel, Parquet, Fiscal Data Package."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from yesan.errors import StoreError
from yesan.model import ITEM_COLUMNS
from yesan.store import Store

FORMATS = ("csv", "parquet", "fdp")
PROVENANCE_COLUMNS = ("snapshot_id", "dataset", "source_file", "sha256", "loaded_at")


def export(store: Store, out: Path, *, fmt: str, snapshot_ids: Sequence[int] | None = None) -> Path:
    """Export items (with provenance) to ``out``; files appear whole or not at all."""
    if fmt not in FORMATS:
        raise StoreError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    for snapshot_id in snapshot_ids or ():
        store.snapshot_meta(snapshot_id)
    if fmt == "fdp":
        return _export_fdp(store, out, snapshot_ids)
    table = store.items_arrow(snapshot_ids).select([*PROVENANCE_COLUMNS, *ITEM_COLUMNS])
    if fmt == "csv":
        _atomic_write(out, lambda path: _write_csv_bom(table, path))
    else:
        _atomic_write(out, lambda path: pq.write_table(table, path, compression="zstd"))
    return out


def _write_csv_bom(table: pa.Table, path: Path) -> None:
    with path.open("wb") as handle:
        handle.write(b"\xef\xbb\xbf")  # Excel opens UTF-8 CSV correctly only with a BOM
        pacsv.write_csv(table, handle)


def _atomic_write(out: Path, write: object) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
    os.close(handle)
    temp = Path(temp_name)
    try:
        write(temp)  # type: ignore[operator]
        os.replace(temp, out)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def _export_fdp(store: Store, out: Path, snapshot_ids: Sequence[int] | None) -> Path:
    from yesan.ingest.fdp import write_package

    ids = list(snapshot_ids) if snapshot_ids else [int(s["snapshot_id"]) for s in store.snapshots()]
    resources = []
    for snapshot_id in ids:
        meta = store.snapshot_meta(snapshot_id)
        items = store.items_arrow([snapshot_id])
        sources = sorted(set(items.column("source_file").to_pylist()))
        shas = sorted(set(items.column("sha256").to_pylist()))
        meta_out: dict[str, object] = {
            "name": f"snapshot-{snapshot_id}",
            "dataset": meta["dataset"],
            "description": meta["description"],
            "fiscal_year": meta["fiscal_year"],
            "stage": meta["stage"],
            "exe_ymd": meta["exe_ymd"].isoformat() if meta["exe_ymd"] else None,
            "source_file": sources[0] if len(sources) == 1 else sources,
            "sha256": shas[0] if len(shas) == 1 else shas,
            "loaded_at": meta["loaded_at"].isoformat(),
        }
        resources.append((meta_out, items.select(list(ITEM_COLUMNS))))
    return write_package(out, resources)
