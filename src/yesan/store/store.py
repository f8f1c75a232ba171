"""Store: one DuckDB file holding every loaded snapshot, population table and their provenance."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from yesan.errors import LoadError, Problem, StoreError
from yesan.ingest.batch import Batch
from yesan.model import ITEM_COLUMNS
from yesan.store.connection import Transaction, connect, first_line, records, write_hint
from yesan.store.facts import forget_snapshot_facts, record_snapshot_facts
from yesan.store.schema import MIGRATIONS, SCHEMA_VERSION
from yesan.store.sources import write_sources

StepCallback = Callable[[str], None]

_DIGEST_COLUMNS = ", ".join(c for c in ITEM_COLUMNS if c != "row_no")
_Key = tuple[str, int, str, dt.date | None]  # dataset, fiscal year, stage, exe_ymd


@dataclass(frozen=True)
class _Part:
    """The rows of one snapshot found in one staged batch."""

    batch: Batch
    name: str
    rows: int
    hash_sum: int
    budget: int


def default_db_path() -> Path:
    """``$YESAN_DB``, else ``$XDG_DATA_HOME/yesan/yesan.duckdb`` (``~/.local/share`` by default)."""
    configured = os.environ.get("YESAN_DB")
    if configured:
        return Path(configured).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "yesan" / "yesan.duckdb"


@dataclass(frozen=True)
class SnapshotResult:
    snapshot_id: int
    dataset: str
    fiscal_year: int
    stage: str
    exe_ymd: dt.date | None
    rows: int
    status: str  # new / unchanged / replaced

    def as_dict(self) -> dict[str, Any]:
        return {
            "snapshot_id": self.snapshot_id,
            "dataset": self.dataset,
            "fiscal_year": self.fiscal_year,
            "stage": self.stage,
            "exe_ymd": self.exe_ymd.isoformat() if self.exe_ymd else None,
            "rows": self.rows,
            "status": self.status,
        }


@dataclass
class LoadResult:
    snapshots: list[SnapshotResult] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return any(s.status != "unchanged" for s in self.snapshots)

    def as_dict(self) -> dict[str, Any]:
        return {
            "snapshots": [s.as_dict() for s in self.snapshots],
            "counts": self.counts,
            "warnings": [w.as_dict() for w in self.warnings],
        }


#: ``sources.dataset`` of files of reported figures.
REPORTED_DATASET = "reported"
#: The columns of a reported figure that say what it is (everything but where and when it was loaded).
_REPORTED_CONTENT = (
    "row_no", "gov_code", "gov_name", "fiscal_year", "stage", "subject", "kind", "amount", "amount_text",
    "prior_amount", "change_amount", "change_pct", "cited_sources", "prior_sources", "conflicting", "notes",
)  # fmt: skip


@dataclass(frozen=True)
class ReportedResult:
    """What loading reported figures did for one dataset, government and year."""

    dataset: str
    gov_name: str
    fiscal_year: int
    figures: int
    status: str  # new / unchanged / replaced

    def as_dict(self) -> dict[str, Any]:
        return {
            "dataset": self.dataset,
            "gov_name": self.gov_name,
            "fiscal_year": self.fiscal_year,
            "figures": self.figures,
            "status": self.status,
        }


class Store:
    """A yesan store: ``Store.open(path)``; use as a context manager to close it."""

    def __init__(self, connection: duckdb.DuckDBPyConnection, path: Path, read_only: bool) -> None:
        self.con = connection
        self.path = path
        self.read_only = read_only

    # --- opening ---------------------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path | str | None = None, *, read_only: bool = False, wait_s: float = 0.0) -> Store:
        """Open (and for writing, create or migrate) the store at ``path``.

        Only one process may write at a time; another writer waits up to ``wait_s`` seconds for the
        lock, then fails with a StoreError naming the process that holds it.
        """
        db_path = Path(path).expanduser() if path is not None else default_db_path()
        if read_only and not db_path.exists():
            raise StoreError(f"no store at {db_path}; create it with `yesan demo` or `yesan load FILE`")
        if not read_only:
            try:
                db_path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise StoreError(f"cannot create the folder for the store {db_path}: {error.strerror}") from None
        connection = connect(db_path, read_only, wait_s)
        store = cls(connection, db_path, read_only)
        try:
            store._migrate()
        except BaseException:
            connection.close()
            raise
        return store

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def schema_version(self) -> int:
        exists = self._first("SELECT count(*) FROM information_schema.tables WHERE table_name = 'meta'")
        if not exists or not exists[0]:
            return 0
        row = self._first("SELECT value FROM meta WHERE key = 'schema_version'")
        return int(row[0]) if row else 0

    def _first(self, sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        """The first row of a query, reading the result to its end (DuckDB requires that)."""
        rows = self.con.execute(sql, list(params)).fetchall()
        return tuple(rows[0]) if rows else None

    def _migrate(self) -> None:
        version = self.schema_version()
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path} was written by a newer yesan (schema {version}, this yesan knows {SCHEMA_VERSION}); "
                "upgrade yesan to open it"
            )
        if version == SCHEMA_VERSION:
            return
        if self.read_only:
            raise StoreError(
                f"{self.path} has schema {version} and needs migrating to {SCHEMA_VERSION}; "
                "open it once for writing (e.g. `yesan load` or `yesan demo`)"
            )
        with self._transaction():
            for number, statements in enumerate(MIGRATIONS[version:], start=version + 1):
                for statement in statements:
                    self.con.execute(statement)
                self.con.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(number)])

    # --- transactions ----------------------------------------------------------------------------

    def _transaction(self) -> Transaction:
        return Transaction(self.con, self.path)

    def _checkpoint(self) -> None:
        """Merge the committed write-ahead log into the store file; a failure here loses nothing already committed."""
        try:
            self.con.execute("CHECKPOINT")
        except duckdb.Error as error:
            raise StoreError(
                f"{self.path}: the load is complete and safe in the store's write-ahead log ({self.path.name}.wal), "
                f"but merging it into the store file failed: {first_line(error)}. {write_hint(self.path, error)}; "
                "then load the same files again (they are reported unchanged) to finish the merge"
            ) from None

    def _unregister(self, *names: str) -> None:
        # After a fatal write error DuckDB refuses every call; that must not hide the error itself.
        for name in names:
            with contextlib.suppress(duckdb.Error):
                self.con.unregister(name)

    def _require_writable(self) -> None:
        if self.read_only:
            raise StoreError(f"{self.path} is open read-only")

    # --- loading ---------------------------------------------------------------------------------

    def load(
        self, batches: Sequence[Batch], *, replace: bool = False, on_step: StepCallback | None = None
    ) -> LoadResult:
        """Load validated batches in one transaction: all of them, or (on any error) none.

        Rows are grouped into snapshots by (dataset, fiscal year, stage, exe_ymd); pages of one
        snapshot may come from several files. A snapshot already in the store with the same rows is
        left alone ("unchanged"); one with different rows is refused unless ``replace``.
        """
        self._require_writable()
        step = on_step or (lambda _message: None)
        result = LoadResult()
        for batch in batches:
            result.warnings.extend(batch.warnings)
            for count_name, value in batch.counts.items():
                result.counts[count_name] = result.counts.get(count_name, 0) + value
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
        staged = [f"_yesan_staging_{index}" for index in range(len(batches))]
        for name, batch in zip(staged, batches, strict=True):
            self.con.register(name, batch.items)
        try:
            with self._transaction():
                step("comparing with the snapshots already stored")
                groups = self._group_snapshots(batches, staged)
                targets: dict[str, list[tuple[_Key, int, int]]] = {}
                for key, parts in groups.items():
                    snapshot = self._prepare_snapshot(key, parts, now, replace)
                    result.snapshots.append(snapshot)
                    if snapshot.status != "unchanged":
                        for part in parts:
                            source_id = self._source_id(part.batch, now)
                            targets.setdefault(part.name, []).append((key, snapshot.snapshot_id, source_id))
                keys_per_batch: dict[str, int] = {}
                for parts in groups.values():
                    for part in parts:
                        keys_per_batch[part.name] = keys_per_batch.get(part.name, 0) + 1
                for name, entries in targets.items():
                    step(f"writing the rows of {batches[staged.index(name)].source_file}")
                    self._insert_items(name, entries, whole_batch=keys_per_batch[name] == len(entries) == 1)
                self._upsert_governments(staged)
                record_snapshot_facts(self.con)
            step("checkpoint")
            self._checkpoint()
        finally:
            self._unregister(*staged)
        return result

    def _group_snapshots(self, batches: Sequence[Batch], staged: Sequence[str]) -> dict[_Key, list[_Part]]:
        """One pass over each batch: its snapshot keys with row count, content hash and budget total."""
        groups: dict[_Key, list[_Part]] = {}
        for batch, name in zip(batches, staged, strict=True):
            rows = self.con.execute(
                f"SELECT fiscal_year, stage, exe_ymd, count(*), "
                f"coalesce(sum(hash({_DIGEST_COLUMNS})::HUGEINT), 0), coalesce(sum(budget), 0) "
                f"FROM {name} GROUP BY ALL ORDER BY ALL"
            ).fetchall()
            for fiscal_year, stage, exe_ymd, count, hash_sum, budget in rows:
                key = (batch.dataset, int(fiscal_year), str(stage), exe_ymd)
                groups.setdefault(key, []).append(_Part(batch, name, int(count), int(hash_sum), int(budget)))
        return groups

    def _prepare_snapshot(self, key: _Key, parts: list[_Part], now: dt.datetime, replace: bool) -> SnapshotResult:
        dataset, fiscal_year, stage, exe_ymd = key
        rows = sum(p.rows for p in parts)
        new_digest = f"{rows}:{sum(p.hash_sum for p in parts)}"
        existing = self._first(
            "SELECT snapshot_id FROM snapshots WHERE dataset = ? AND fiscal_year = ? AND stage = ? "
            "AND exe_ymd IS NOT DISTINCT FROM ?",
            [dataset, fiscal_year, stage, exe_ymd],
        )
        status = "new"
        if existing:
            old_id = int(existing[0])
            if self._digest("(SELECT * FROM items WHERE snapshot_id = ?)", [old_id]) == new_digest:
                return SnapshotResult(old_id, dataset, fiscal_year, stage, exe_ymd, rows, "unchanged")
            if not replace:
                files = ", ".join(sorted({part.batch.source_file for part in parts}))
                raise LoadError(
                    f"{files}: {dataset} {fiscal_year} {stage} {exe_ymd or ''} is already in the store "
                    f"(snapshot {old_id}) with different rows; nothing was loaded",
                    hint="pass --replace to replace it, or load it under another dataset name",
                )
            self.con.execute("DELETE FROM items WHERE snapshot_id = ?", [old_id])
            self.con.execute("DELETE FROM snapshots WHERE snapshot_id = ?", [old_id])
            forget_snapshot_facts(self.con, old_id)
            status = "replaced"
        snapshot_id = self._next_id("snapshots", "snapshot_id")
        self.con.execute(
            "INSERT INTO snapshots VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                snapshot_id, dataset, parts[0].batch.description, fiscal_year, stage, exe_ymd, new_digest, rows,
                sum(p.budget for p in parts), now,
            ],
        )  # fmt: skip
        return SnapshotResult(snapshot_id, dataset, fiscal_year, stage, exe_ymd, rows, status)

    def _insert_items(self, name: str, entries: list[tuple[_Key, int, int]], *, whole_batch: bool) -> None:
        """Copy a staged batch into ``items`` in one pass, tagging each row with its snapshot and source."""
        columns = ", ".join(ITEM_COLUMNS)
        if whole_batch:
            _key, snapshot_id, source_id = entries[0]
            self.con.execute(
                f"INSERT INTO items (snapshot_id, source_id, {columns}) SELECT ?, ?, {columns} FROM {name}",
                [snapshot_id, source_id],
            )
            return
        values = ", ".join("(?, ?, ?, ?, ?)" for _ in entries)
        params: list[Any] = []
        for (_dataset, fiscal_year, stage, exe_ymd), snapshot_id, source_id in entries:
            params.extend([fiscal_year, stage, exe_ymd, snapshot_id, source_id])
        staged_columns = ", ".join(f"s.{c}" for c in ITEM_COLUMNS)
        self.con.execute(
            f"INSERT INTO items (snapshot_id, source_id, {columns}) "
            f"SELECT m.snapshot_id, m.source_id, {staged_columns} FROM {name} s "
            f"JOIN (VALUES {values}) m(fiscal_year, stage, exe_ymd, snapshot_id, source_id) "
            "ON s.fiscal_year = m.fiscal_year AND s.stage = m.stage AND s.exe_ymd IS NOT DISTINCT FROM m.exe_ymd::DATE",
            params,
        )

    def _digest(self, relation: str, params: list[Any]) -> str:
        row = self._first(
            f"SELECT count(*), coalesce(sum(hash({_DIGEST_COLUMNS})::HUGEINT), 0) FROM {relation} AS r", params
        )
        assert row is not None
        return f"{row[0]}:{row[1]}"

    def _source_id(self, batch: Batch, now: dt.datetime) -> int:
        found = self._first(
            "SELECT source_id FROM sources WHERE dataset = ? AND sha256 = ? AND file = ?",
            [batch.dataset, batch.sha256, batch.source_file],
        )
        if found:
            return int(found[0])
        source_id = self._next_id("sources", "source_id")
        self.con.execute(
            "INSERT INTO sources VALUES (?, ?, ?, ?, ?, ?)",
            [source_id, batch.dataset, batch.source_file, batch.sha256, now, batch.items.num_rows],
        )
        return source_id

    def _next_id(self, table: str, column: str) -> int:
        row = self._first(f"SELECT coalesce(max({column}), 0) + 1 FROM {table}")
        assert row is not None
        return int(row[0])

    def _upsert_governments(self, staged: Sequence[str]) -> None:
        union = " UNION ALL ".join(f"SELECT gov_code, gov_name, parent_name FROM {name}" for name in staged)
        self.con.execute(
            f"""
            INSERT OR IGNORE INTO governments
            SELECT gov_code, any_value(gov_name),
                   CASE WHEN length(gov_code) = 7 AND substr(gov_code, 3, 3) = '000' THEN '광역' ELSE '기초' END,
                   CASE WHEN length(gov_code) = 7 AND substr(gov_code, 3, 3) <> '000'
                             AND any_value(parent_name) IS NOT NULL
                        THEN substr(gov_code, 1, 2) || '00000' END,
                   any_value(parent_name)
            FROM ({union}) GROUP BY gov_code
            """
        )
        self.con.execute(
            f"""
            INSERT OR IGNORE INTO governments
            SELECT DISTINCT substr(gov_code, 1, 2) || '00000', parent_name, '광역', NULL, NULL
            FROM ({union})
            WHERE parent_name IS NOT NULL AND length(gov_code) = 7 AND substr(gov_code, 3, 3) <> '000'
            """
        )

    def load_population(self, table: pa.Table, governments: pa.Table | None, *, source_file: str, sha256: str) -> int:
        """Add or update population figures for the (government, year, source) rows given; all or nothing.

        Returns how many figures were new or changed.

        ``table`` has columns gov_code, year, population, source; ``governments`` (optional) has
        code, name, level, parent_code, parent_name for governments not yet known.
        """
        self._require_writable()
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
        self.con.register("_yesan_population", table)
        if governments is not None:
            self.con.register("_yesan_governments", governments)
        try:
            with self._transaction():
                if governments is not None:
                    self.con.execute(
                        "INSERT OR IGNORE INTO governments "
                        "SELECT code, name, level, parent_code, parent_name FROM _yesan_governments"
                    )
                # Only figures that are new or differ are written, so loading the same table twice is a no-op.
                self.con.execute(
                    "DELETE FROM population p USING _yesan_population n "
                    "WHERE p.gov_code = n.gov_code AND p.year = n.year AND p.source = n.source "
                    "AND (p.population <> n.population OR p.sha256 <> ?)",
                    [sha256],
                )
                changed = self._first(
                    "SELECT count(*) FROM _yesan_population n WHERE NOT EXISTS (SELECT 1 FROM population p "
                    "WHERE p.gov_code = n.gov_code AND p.year = n.year AND p.source = n.source)"
                )
                self.con.execute(
                    "INSERT INTO population SELECT gov_code, year, population, source, ?, ?, ? "
                    "FROM _yesan_population n "
                    "WHERE NOT EXISTS (SELECT 1 FROM population p "
                    "WHERE p.gov_code = n.gov_code AND p.year = n.year AND p.source = n.source)",
                    [source_file, sha256, now],
                )
            self._checkpoint()
        finally:
            self._unregister("_yesan_population", *(["_yesan_governments"] if governments is not None else []))
        return int(changed[0]) if changed else 0

    def load_reported(
        self,
        figures: pa.Table,
        *,
        dataset: str,
        source_file: str,
        sha256: str,
        replace: bool = False,
        sources: pa.Table | None = None,
    ) -> list[ReportedResult]:
        """Load reported figures (``yesan.ingest.reported.REPORTED_SCHEMA``) in one transaction: all or nothing.

        The figures of one dataset for one government and year are a unit: loading the same figures
        again changes nothing ("unchanged", whatever file they come from); different figures under a
        loaded dataset, government and year are refused unless ``replace``. ``sources`` (who published
        each cited figure: ``ingest.reported_sources``) are stored with them, under the same rules.
        """
        self._require_writable()
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
        columns = ", ".join(_REPORTED_CONTENT)
        results: list[ReportedResult] = []
        self.con.register("_yesan_reported", figures)
        try:
            with self._transaction():
                keys = self.con.execute(
                    "SELECT gov_name, fiscal_year, count(*) FROM _yesan_reported GROUP BY ALL ORDER BY ALL"
                ).fetchall()
                source_id: int | None = None
                if sources is not None:
                    write_sources(self.con, dataset, sources, replace=replace)
                for gov_name, fiscal_year, count in keys:
                    where = "dataset = ? AND gov_name = ? AND fiscal_year = ?"
                    params = [dataset, gov_name, int(fiscal_year)]
                    existing = self._first(f"SELECT count(*) FROM reported_figures WHERE {where}", params)
                    status = "new"
                    if existing and existing[0]:
                        differ = self._first(
                            f"SELECT count(*) FROM ((SELECT {columns} FROM reported_figures WHERE {where} "
                            f"EXCEPT ALL SELECT {columns} FROM _yesan_reported WHERE gov_name = ? AND fiscal_year = ?) "
                            f"UNION ALL (SELECT {columns} FROM _yesan_reported WHERE gov_name = ? AND fiscal_year = ? "
                            f"EXCEPT ALL SELECT {columns} FROM reported_figures WHERE {where}))",
                            [*params, gov_name, int(fiscal_year), gov_name, int(fiscal_year), *params],
                        )
                        if not differ or not differ[0]:
                            results.append(ReportedResult(dataset, gov_name, int(fiscal_year), int(count), "unchanged"))
                            continue
                        if not replace:
                            raise LoadError(
                                f"reported figures {dataset!r} for {gov_name} {fiscal_year} are already in the store "
                                "with different figures; nothing was loaded",
                                hint="pass --replace to replace them, or load them under another --dataset name",
                            )
                        self.con.execute(f"DELETE FROM reported_figures WHERE {where}", params)
                        status = "replaced"
                    if source_id is None:
                        source_id = self._reported_source(source_file, sha256, figures.num_rows, now)
                    self.con.execute(
                        f"INSERT INTO reported_figures (source_id, dataset, {columns}) "
                        f"SELECT ?, ?, {columns} FROM _yesan_reported WHERE gov_name = ? AND fiscal_year = ?",
                        [source_id, dataset, gov_name, int(fiscal_year)],
                    )
                    results.append(ReportedResult(dataset, gov_name, int(fiscal_year), int(count), status))
            self._checkpoint()
        finally:
            self._unregister("_yesan_reported")
        return results

    def _reported_source(self, source_file: str, sha256: str, rows: int, now: dt.datetime) -> int:
        found = self._first(
            "SELECT source_id FROM sources WHERE dataset = ? AND sha256 = ? AND file = ?",
            [REPORTED_DATASET, sha256, source_file],
        )
        if found:
            return int(found[0])
        source_id = self._next_id("sources", "source_id")
        self.con.execute(
            "INSERT INTO sources VALUES (?, ?, ?, ?, ?, ?)",
            [source_id, REPORTED_DATASET, source_file, sha256, now, rows],
        )
        return source_id

    # --- reading ---------------------------------------------------------------------------------

    def is_empty(self) -> bool:
        row = self._first("SELECT count(*) FROM snapshots")
        return not row or row[0] == 0

    def snapshots(self) -> list[dict[str, Any]]:
        return self._dicts(
            """
            SELECT s.snapshot_id, s.dataset, s.description, s.fiscal_year, s.stage, s.exe_ymd, s.row_count AS rows,
                   s.budget_total, s.loaded_at,
                   (SELECT list(DISTINCT src.file ORDER BY src.file) FROM items i JOIN sources src USING (source_id)
                    WHERE i.snapshot_id = s.snapshot_id) AS source_files
            FROM snapshots s ORDER BY s.dataset, s.fiscal_year, s.stage, s.exe_ymd
            """
        )

    def items_arrow(self, snapshot_ids: Sequence[int] | None = None) -> pa.Table:
        """Items with their provenance columns, in source order."""
        base = "SELECT * FROM item_provenance"
        if snapshot_ids:
            marks = ", ".join("?" for _ in snapshot_ids)
            query = f"{base} WHERE snapshot_id IN ({marks}) ORDER BY snapshot_id, source_id, row_no"
            return self.con.sql(query, params=list(snapshot_ids)).to_arrow_table()
        return self.con.sql(f"{base} ORDER BY snapshot_id, source_id, row_no").to_arrow_table()

    def snapshot_meta(self, snapshot_id: int) -> dict[str, Any]:
        rows = self._dicts("SELECT * FROM snapshots WHERE snapshot_id = ?", [snapshot_id])
        if not rows:
            raise StoreError(f"no snapshot {snapshot_id} in {self.path}; `yesan info` lists them")
        return rows[0]

    def _dicts(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        return records(self.con, sql, params)
