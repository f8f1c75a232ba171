"""The store as a partitioned Parquet layout that Spark, DuckDB, pyarrow or Trino read directly.

``export_partitioned(store_db, root)`` makes ``root`` mirror the store::

    root/
      yesan-layout.json                      the manifest (LAYOUT, LAYOUT_VERSION): tables, schemas, snapshots
      items/fiscal_year=2026/snapshot_id=1/parent_name=전라남도/part-0.parquet
      items/fiscal_year=2026/snapshot_id=1/parent_name=__HIVE_DEFAULT_PARTITION__/part-0.parquet  (no 광역)
      snapshots/part-0.parquet   sources/…   governments/…   population/…
      reported_figures/…   reported_sources/… (if in the store)

Items are Hive-partitioned by fiscal year, snapshot and 광역 (``parent_name``); the three partition
columns live in the directory names, not in the files. Inside a partition rows are ordered by
government, then source file and record, so Parquet statistics let readers skip row groups by
government. Amounts stay int64 won; ``snapshots.budget_total`` is decimal(38, 0).

Partition values are UTF-8 text as is (``parent_name=전라남도``); only characters unsafe in a path
(``SEGMENT_ESCAPES``) become ``%XX`` of their one ASCII byte, and NULL is ``__HIVE_DEFAULT_PARTITION__``.
Spark decodes ``%XX`` byte by byte, DuckDB and pyarrow as UTF-8, so percent-encoded Hangul would read
back garbled in Spark; raw UTF-8 reads the same everywhere.

Exports are incremental and safe for readers: a snapshot already in the layout with the same digest
is left alone, a new or changed one is written to ``root/_staging`` and renamed into place whole,
snapshots no longer in the store are removed, the small tables are replaced file by file and the
manifest is written last. One export at a time per root (a lock file under ``_staging``).
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from yesan.errors import StoreError
from yesan.store.backend import open_backend, optional_table

LAYOUT: Final = "yesan-partitioned-parquet"
LAYOUT_VERSION: Final = 1
MANIFEST: Final = "yesan-layout.json"
ITEMS: Final = "items"
PARTITION_COLUMNS: Final = ("fiscal_year", "snapshot_id", "parent_name")
#: Store tables written whole next to the items, when the store has them (``snapshots`` is always there).
SMALL_TABLES: Final = ("snapshots", "sources", "governments", "population", "reported_figures", "reported_sources")
#: Sort keys of each small table, so that the files are the same for the same store.
_SMALL_ORDER: Final = {
    "snapshots": ("snapshot_id",),
    "sources": ("source_id",),
    "governments": ("code",),
    "population": ("gov_code", "year", "source"),
    "reported_figures": ("dataset", "gov_name", "fiscal_year", "row_no"),
    "reported_sources": ("dataset", "source_key"),
}
ITEM_ORDER: Final = ("gov_code", "source_id", "row_no")
NULL_PARTITION: Final = "__HIVE_DEFAULT_PARTITION__"
#: Characters written as %XX in a partition value: what Spark escapes, plus the ones unsafe in file names.
SEGMENT_ESCAPES: Final = frozenset("\"#%'*/:=?\\[]^{}<>|") | frozenset(chr(c) for c in range(0x20)) | {"\x7f"}
ROW_GROUP_ROWS: Final = 131_072
STAGING: Final = "_staging"

Step = Callable[[str], None]


def encode_segment(value: str | None) -> str:
    """A partition value as a directory name (see the module docstring)."""
    if value is None:
        return NULL_PARTITION
    if value == "" or value in (".", ".."):
        raise StoreError(f"cannot use {value!r} as a partition value (empty or a path name)")
    return "".join(f"%{ord(ch):02X}" if ch in SEGMENT_ESCAPES else ch for ch in value)


def decode_segment(text: str) -> str | None:
    """The partition value of a directory name written by ``encode_segment``."""
    if text == NULL_PARTITION:
        return None
    out: list[str] = []
    index = 0
    while index < len(text):
        if text[index] == "%" and _is_hex(text[index + 1 : index + 3]):
            out.append(chr(int(text[index + 1 : index + 3], 16)))
            index += 3
        else:
            out.append(text[index])
            index += 1
    return "".join(out)


def _is_hex(text: str) -> bool:
    return len(text) == 2 and all(ch in "0123456789abcdefABCDEF" for ch in text)


def snapshot_dir(fiscal_year: int, snapshot_id: int) -> str:
    """The items directory of one snapshot, relative to the layout root."""
    return f"{ITEMS}/fiscal_year={int(fiscal_year)}/snapshot_id={int(snapshot_id)}"


@dataclass(frozen=True)
class SnapshotPartition:
    """One snapshot in the layout, as recorded in the manifest."""

    snapshot_id: int
    fiscal_year: int
    digest: str  # the store's snapshot digest: rows and content hash
    rows: int
    budget_total: int  # Σ 예산현액 in won, checked against the rows written
    regions: int  # partitions (광역, plus one for items without a 광역)
    path: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "snapshot_id": self.snapshot_id,
            "fiscal_year": self.fiscal_year,
            "digest": self.digest,
            "rows": self.rows,
            "budget_total": self.budget_total,
            "regions": self.regions,
            "path": self.path,
        }


@dataclass
class PartitionedExport:
    """What ``export_partitioned`` did."""

    root: Path
    written: list[int] = field(default_factory=list)  # snapshot ids written now
    unchanged: list[int] = field(default_factory=list)  # already in the layout with the same digest
    removed: list[int] = field(default_factory=list)  # partitions of snapshots the store no longer has
    rows_written: int = 0
    files_written: int = 0
    bytes_written: int = 0
    seconds: float = 0.0
    tables: dict[str, int] = field(default_factory=dict)  # small table → rows

    def as_dict(self) -> dict[str, Any]:
        return {
            "root": str(self.root),
            "written": self.written,
            "unchanged": self.unchanged,
            "removed": self.removed,
            "rows_written": self.rows_written,
            "files_written": self.files_written,
            "bytes_written": self.bytes_written,
            "seconds": round(self.seconds, 3),
            "tables": self.tables,
        }


def read_manifest(root: Path | str) -> dict[str, Any]:
    """The manifest of the layout at ``root``, checked to be one this yesan can read."""
    path = Path(root) / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise StoreError(
            f"{root} is not a yesan Parquet layout (no {MANIFEST}); write one with "
            "`yesan export --format partitioned DIR`"
        ) from None
    except (OSError, ValueError) as error:
        raise StoreError(f"cannot read {path}: {error}") from None
    return check_manifest(data, str(path))


def check_manifest(data: Any, where: str) -> dict[str, Any]:
    """``data`` if it is a manifest of LAYOUT_VERSION, else a StoreError saying what to do."""
    if not isinstance(data, dict) or data.get("layout") != LAYOUT:
        raise StoreError(f'{where} is not a yesan layout manifest (expected "layout": "{LAYOUT}")')
    version = data.get("version")
    if version != LAYOUT_VERSION:
        raise StoreError(
            f"{where} is layout version {version}, this yesan reads version {LAYOUT_VERSION}; "
            "export the store again with this yesan (`yesan export --format partitioned DIR`)"
        )
    return data


def export_partitioned(
    store_db: Path | str,
    root: Path | str,
    *,
    snapshot_ids: Sequence[int] | None = None,
    on_step: Step | None = None,
) -> PartitionedExport:
    """Write the store at ``store_db`` to the partitioned layout at ``root`` (see the module docstring).

    ``snapshot_ids`` limits the items written to those snapshots (others already in the layout and
    unchanged in the store are kept). Returns what was written, kept and removed.
    """
    started = time.perf_counter()
    step = on_step or (lambda _message: None)
    target = Path(root).expanduser()
    backend = open_backend(store_db)
    try:
        store_snapshots = _store_snapshots(backend)
        wanted = _wanted(store_snapshots, snapshot_ids, store_db)
        with _locked(target):
            previous = _previous(target)
            report = PartitionedExport(root=target)
            kept: dict[int, SnapshotPartition] = {}
            for snapshot_id, meta in sorted(store_snapshots.items()):
                old = previous.get(snapshot_id)
                if old is not None and old.digest == meta["digest"] and (target / old.path).is_dir():
                    kept[snapshot_id] = old
                    report.unchanged.append(snapshot_id)
                elif snapshot_id in wanted:
                    step(f"snapshot {snapshot_id}: writing {meta['rows']:,} items")
                    kept[snapshot_id] = _write_snapshot(backend, target, meta, report)
                    report.written.append(snapshot_id)
            report.removed = _remove_stale(target, kept)
            step("writing the small tables")
            schemas = {ITEMS: _schema_text(backend.table(ITEMS).schema())}
            for name in SMALL_TABLES:
                if optional_table(backend, name) is not None:
                    table = _small_table(backend, name, set(kept))
                    _write_file(target / name / "part-0.parquet", table, target)
                    schemas[name] = _schema_text(backend.table(name).schema())
                    report.tables[name] = table.num_rows
                else:
                    _remove_tree(target / name, target)
            _write_manifest(target, kept, schemas, report)
    finally:
        backend.disconnect()
    report.seconds = time.perf_counter() - started
    return report


# --- reading the store -------------------------------------------------------------------------


def _store_snapshots(backend: Any) -> dict[int, dict[str, Any]]:
    snapshots = backend.table("snapshots")
    rows = snapshots.select("snapshot_id", "fiscal_year", "digest", "row_count", "budget_total").to_pyarrow()
    return {
        int(r["snapshot_id"]): {
            "snapshot_id": int(r["snapshot_id"]),
            "fiscal_year": int(r["fiscal_year"]),
            "digest": str(r["digest"]),
            "rows": int(r["row_count"]),
            "budget_total": int(r["budget_total"] or 0),
        }
        for r in rows.to_pylist()
    }


def _wanted(store_snapshots: dict[int, dict[str, Any]], snapshot_ids: Sequence[int] | None, db: Path | str) -> set[int]:
    if not snapshot_ids:
        return set(store_snapshots)
    missing = sorted(set(snapshot_ids) - set(store_snapshots))
    if missing:
        raise StoreError(
            f"no snapshot {', '.join(map(str, missing))} in {db}; `yesan info` lists the snapshots "
            f"({', '.join(map(str, sorted(store_snapshots))) or 'none'})"
        )
    return set(snapshot_ids)


def _small_table(backend: Any, name: str, snapshot_ids: set[int]) -> pa.Table:
    table = backend.table(name)
    if name == "snapshots":
        table = table.filter(table.snapshot_id.isin(sorted(snapshot_ids))) if snapshot_ids else table.limit(0)
    order = [column for column in _SMALL_ORDER.get(name, ()) if column in table.columns]
    result: pa.Table = (table.order_by(order) if order else table).to_pyarrow()
    return result


def _schema_text(schema: Any) -> dict[str, str]:
    """An Ibis schema as {name: type} in column order (``!int32`` is a NOT NULL int32), for the manifest."""
    return {name: str(dtype) for name, dtype in schema.items()}


# --- writing -----------------------------------------------------------------------------------


def _write_snapshot(backend: Any, root: Path, meta: dict[str, Any], report: PartitionedExport) -> SnapshotPartition:
    items = backend.table(ITEMS)
    snapshot_id = meta["snapshot_id"]
    selected = items.filter(items.snapshot_id == snapshot_id).order_by(["parent_name", *ITEM_ORDER])
    data = selected.to_pyarrow()
    columns = [name for name in items.columns if name not in PARTITION_COLUMNS]
    budget = pc.sum(data.column("budget")).as_py() or 0
    if data.num_rows != meta["rows"] or int(budget) != meta["budget_total"]:
        raise StoreError(
            f"snapshot {snapshot_id} reads back as {data.num_rows:,} rows and {budget:,} won of 예산현액, but the "
            f"store's snapshots table says {meta['rows']:,} rows and {meta['budget_total']:,} won; nothing was "
            "written for it (is the store being loaded right now?)"
        )
    staging = root / STAGING / f"snapshot-{snapshot_id}-{uuid.uuid4().hex[:8]}"
    staging.mkdir(parents=True)
    regions = 0
    try:
        for region, part in _split_by_region(data):
            path = staging / f"parent_name={encode_segment(region)}" / "part-0.parquet"
            path.parent.mkdir()
            pq.write_table(part.select(columns), path, compression="zstd", row_group_size=ROW_GROUP_ROWS)
            report.files_written += 1
            report.bytes_written += path.stat().st_size
            regions += 1
        relative = snapshot_dir(meta["fiscal_year"], snapshot_id)
        _replace_dir(staging, root / relative, root)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    report.rows_written += data.num_rows
    return SnapshotPartition(
        snapshot_id=snapshot_id,
        fiscal_year=meta["fiscal_year"],
        digest=meta["digest"],
        rows=data.num_rows,
        budget_total=int(budget),
        regions=regions,
        path=relative,
    )


def _split_by_region(data: pa.Table) -> Iterator[tuple[str | None, pa.Table]]:
    """(광역, its rows) for each 광역 in ``data`` (sorted by it), and (None, rows without one) last."""
    regions = data.column("parent_name")
    for value in sorted(v for v in pc.unique(regions).to_pylist() if v is not None):
        yield value, data.filter(pc.equal(regions, value))
    if regions.null_count:
        yield None, data.filter(pc.is_null(regions))


def _write_file(path: Path, table: pa.Table, root: Path) -> None:
    """Write one Parquet file whole: to a temp file in _staging, then renamed over ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(prefix=f"{path.parent.name}-", suffix=".parquet", dir=root / STAGING)
    os.close(handle)
    try:
        pq.write_table(table, temp_name, compression="zstd")
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


def _replace_dir(new: Path, target: Path, root: Path) -> None:
    """Put directory ``new`` at ``target``; an older ``target`` is moved aside first, then deleted."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        _remove_tree(target, root)
    os.rename(new, target)


def _remove_tree(path: Path, root: Path) -> None:
    """Delete ``path`` after renaming it into _staging, so that readers never see half of it."""
    if not path.exists():
        return
    trash = root / STAGING / f"trash-{uuid.uuid4().hex[:8]}"
    os.rename(path, trash)
    shutil.rmtree(trash, ignore_errors=True)


def _remove_stale(root: Path, kept: dict[int, SnapshotPartition]) -> list[int]:
    """Remove snapshot directories that are not in ``kept`` (and empty fiscal_year directories)."""
    removed: list[int] = []
    keep = {part.path for part in kept.values()}
    items = root / ITEMS
    if not items.is_dir():
        return removed
    for year_dir in sorted(items.iterdir()):
        if not year_dir.is_dir():
            continue
        for snapshot in sorted(year_dir.iterdir()):
            relative = f"{ITEMS}/{year_dir.name}/{snapshot.name}"
            if relative not in keep:
                _remove_tree(snapshot, root)
                name = snapshot.name.partition("=")[2]
                if name.isdigit():
                    removed.append(int(name))
        if not any(year_dir.iterdir()):
            year_dir.rmdir()
    return sorted(set(removed))


def _write_manifest(
    root: Path, kept: dict[int, SnapshotPartition], schemas: dict[str, dict[str, str]], report: PartitionedExport
) -> None:
    from yesan import __version__

    manifest = {
        "layout": LAYOUT,
        "version": LAYOUT_VERSION,
        "written_at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "yesan_version": __version__,
        "partitioning": list(PARTITION_COLUMNS),
        "null_partition": NULL_PARTITION,
        "tables": {
            name: {
                "path": name,
                "schema": schema,
                "rows": sum(p.rows for p in kept.values()) if name == ITEMS else report.tables.get(name, 0),
            }
            for name, schema in schemas.items()
        },
        "snapshots": [kept[snapshot_id].as_dict() for snapshot_id in sorted(kept)],
    }
    temp = root / STAGING / f"{MANIFEST}.{uuid.uuid4().hex[:8]}"
    temp.write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    os.replace(temp, root / MANIFEST)


def _previous(root: Path) -> dict[int, SnapshotPartition]:
    """The snapshots recorded in an existing manifest at ``root`` (none for a new or empty directory)."""
    if not (root / MANIFEST).exists():
        others = [p.name for p in root.iterdir() if p.name != STAGING] if root.is_dir() else []
        if others:
            raise StoreError(
                f"{root} is not empty and holds no {MANIFEST}: it is not a yesan layout; "
                "export to a new or empty directory"
            )
        return {}
    manifest = read_manifest(root)
    found: dict[int, SnapshotPartition] = {}
    for entry in manifest.get("snapshots", []):
        partition = SnapshotPartition(**entry)
        found[partition.snapshot_id] = partition
    return found


@contextmanager
def _locked(root: Path) -> Iterator[None]:
    """Hold ``root/_staging/.lock`` for the export: a second export of the same root fails at once."""
    staging = root / STAGING
    try:
        staging.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise StoreError(f"cannot create the layout directory {root}: {error.strerror}") from None
    with (staging / ".lock").open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise StoreError(f"another export is writing {root} right now; wait for it to finish") from None
        try:
            _clear_staging(staging)  # what an export that was killed left: nothing in _staging is referenced
            yield
        finally:
            _clear_staging(staging)
            fcntl.flock(handle, fcntl.LOCK_UN)


def _clear_staging(staging: Path) -> None:
    for leftover in staging.iterdir():
        if leftover.name == ".lock":
            continue
        if leftover.is_dir():
            shutil.rmtree(leftover, ignore_errors=True)
        else:
            leftover.unlink(missing_ok=True)


__all__ = [
    "ITEMS",
    "LAYOUT",
    "LAYOUT_VERSION",
    "MANIFEST",
    "NULL_PARTITION",
    "PARTITION_COLUMNS",
    "SMALL_TABLES",
    "PartitionedExport",
    "SnapshotPartition",
    "check_manifest",
    "decode_segment",
    "encode_segment",
    "export_partitioned",
    "read_manifest",
    "snapshot_dir",
]
