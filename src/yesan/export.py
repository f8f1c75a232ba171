"""Write what is in the store to files other tools read: CSV for Excel, Parquet, Fiscal Data Package."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from yesan.errors import StoreError
from yesan.model import ITEM_COLUMNS
from yesan.store import Store

FORMATS = ("csv", "parquet", "fdp")
PROVENANCE_COLUMNS = ("snapshot_id", "dataset", "source_file", "sha256", "loaded_at")


@dataclass(frozen=True)
class ExportFilter:
    """Which items to export, as ``yesan tree`` and ``top`` choose them: a government (code, name or part of
    one), a 광역, a 분야, a 부문. Snapshots are chosen by ``snapshot_ids``."""

    gov: str | None = None
    region: str | None = None
    field: str | None = None
    sector: str | None = None

    def __bool__(self) -> bool:
        return any((self.gov, self.region, self.field, self.sector))

    def describe(self) -> str:
        named = (("government", self.gov), ("광역", self.region), ("분야", self.field), ("부문", self.sector))
        return ", ".join(f"{label} {value!r}" for label, value in named if value)

    def apply(self, items: pa.Table) -> pa.Table:
        """The rows of ``items`` (with ``gov_code``, ``gov_name``, ``parent_name``, ``field_name``,
        ``sector_name``) these filters keep."""
        masks = []
        if self.gov:
            masks.append(pc.equal(items["gov_code"], _government_code(items, self.gov)))
        for column, value in (("parent_name", self.region), ("field_name", self.field), ("sector_name", self.sector)):
            if value:
                masks.append(pc.fill_null(pc.equal(items[column], value), False))
        if not masks:
            return items
        mask = masks[0]
        for more in masks[1:]:
            mask = pc.and_(mask, more)
        return items.filter(mask)


def _government_code(items: pa.Table, text: str) -> str:
    from yesan.query.lookup import GovernmentRef, pick_government

    seen = items.select(["gov_code", "gov_name", "parent_name"]).group_by(["gov_code", "gov_name", "parent_name"])
    refs = [
        GovernmentRef(code=r["gov_code"], name=r["gov_name"], level="", parent_name=r["parent_name"])
        for r in seen.aggregate([]).to_pylist()
    ]
    return pick_government(refs, text).code


def export(
    store: Store,
    out: Path,
    *,
    fmt: str,
    snapshot_ids: Sequence[int] | None = None,
    only: ExportFilter | None = None,
) -> Path:
    """Export items (with provenance) to ``out``; files appear whole or not at all.

    ``only`` keeps the items of one government, 광역, 분야 or 부문; a selection with no items is refused.
    """
    if fmt not in FORMATS:
        raise StoreError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    for snapshot_id in snapshot_ids or ():
        store.snapshot_meta(snapshot_id)
    only = only or ExportFilter()
    if fmt == "fdp":
        return _export_fdp(store, out, snapshot_ids, only)
    table = _selected(store.items_arrow(snapshot_ids), only).select([*PROVENANCE_COLUMNS, *ITEM_COLUMNS])
    if fmt == "csv":
        _atomic_write(out, lambda path: _write_csv_bom(table, path))
    else:
        _atomic_write(out, lambda path: pq.write_table(table, path, compression="zstd"))
    return out


def _selected(items: pa.Table, only: ExportFilter) -> pa.Table:
    if not only:
        return items
    chosen = only.apply(items)
    if chosen.num_rows == 0:
        raise StoreError(f"no items for {only.describe()} in the snapshots chosen; nothing was written")
    return chosen


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


def _export_fdp(store: Store, out: Path, snapshot_ids: Sequence[int] | None, only: ExportFilter) -> Path:
    from yesan.ingest.fdp import write_package

    ids = list(snapshot_ids) if snapshot_ids else [int(s["snapshot_id"]) for s in store.snapshots()]
    resources = []
    for snapshot_id in ids:
        meta = store.snapshot_meta(snapshot_id)
        items = only.apply(store.items_arrow([snapshot_id])) if only else store.items_arrow([snapshot_id])
        if items.num_rows == 0 and only:
            continue
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
    if not resources:
        raise StoreError(f"no items for {only.describe()} in the snapshots chosen; nothing was written")
    return write_package(out, resources)
