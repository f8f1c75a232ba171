"""The partitioned Parquet layout (``yesan.store.layout``) and the Spark engine (``yesan.query.spark``).

Spark runs in this process (``local[2]``, two shuffle partitions): one JVM for the whole test session,
shared through ``spark_or_skip``; each layout gets its own ``newSession()``. The Spark tests are
skipped only when pyspark or Java is missing, with a message saying which.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from conftest import SMALL_BUDGET_TOTAL, SMALL_QWGJK, SMALL_ROWS, run_cli
from yesan.errors import StoreError
from yesan.ingest.lofin365 import read_qwgjk
from yesan.query import Filters, drilldown, open_backend, tables
from yesan.query.engine import open_engine, parse_engine
from yesan.store import Store
from yesan.store.layout import (
    LAYOUT_VERSION,
    MANIFEST,
    NULL_PARTITION,
    decode_segment,
    encode_segment,
    export_partitioned,
    read_manifest,
)

SPARK_TEST_CONFIG = {"spark.sql.shuffle.partitions": "2", "spark.default.parallelism": "2"}


def spark_or_skip() -> Any:
    """The test session's SparkSession (local[2]); skips the calling test when pyspark or Java is missing."""
    from yesan.query.spark import missing_requirement, spark_session

    problem = missing_requirement()
    if problem is not None:
        pytest.skip(problem)
    return spark_session("local[2]", config=SPARK_TEST_CONFIG)


#: Two more rows for tests/data/qwgjk/small.csv: a government in another 광역, and a 광역 본청 (no 광역 above it).
EXTRA_ROWS = (
    "2026,20260705,마바도,4811000,사아시,일반회계,교통및물류,도로,3000000000000001,마을 안길 포장,"
    "25000000,0,5000000,20000000,0,1000000,25000000\n"
    "2026,20260705,,4700000,가나도,일반회계,사회복지,노인·청소년,4000000000000001,노인 일자리 지원,"
    "8000000,4000000,4000000,0,0,2000000,8000000\n"
)
ROWS = SMALL_ROWS + 2
BUDGET_TOTAL = SMALL_BUDGET_TOTAL + 25_000_000 + 8_000_000


def write_small(path: Path, exe_ymd: str = "20260705") -> Path:
    """small.csv plus EXTRA_ROWS, as of ``exe_ymd``."""
    text = SMALL_QWGJK.read_text(encoding="utf-8") + EXTRA_ROWS
    path.write_text(text.replace("20260705", exe_ymd), encoding="utf-8")
    return path


@pytest.fixture
def small_db(tmp_path: Path) -> Path:
    db = tmp_path / "small.duckdb"
    with Store.open(db) as store:
        store.load([read_qwgjk(write_small(tmp_path / "small.csv"))])
    return db


def load_september(db: Path, folder: Path) -> None:
    with Store.open(db) as store:
        store.load([read_qwgjk(write_small(folder / "september.csv", "20260930"))])


def partition_dirs(root: Path) -> list[str]:
    return sorted(str(p.parent.relative_to(root)) for p in (root / "items").rglob("*.parquet"))


# --- the layout ------------------------------------------------------------------------------------


def test_items_are_partitioned_by_year_snapshot_and_region(small_db: Path, tmp_path: Path) -> None:
    root = tmp_path / "layout"
    report = export_partitioned(small_db, root)
    assert report.written == [1] and report.rows_written == ROWS
    assert partition_dirs(root) == [
        "items/fiscal_year=2026/snapshot_id=1/parent_name=__HIVE_DEFAULT_PARTITION__",
        "items/fiscal_year=2026/snapshot_id=1/parent_name=가나도",
        "items/fiscal_year=2026/snapshot_id=1/parent_name=마바도",
    ]
    for name in ("snapshots", "sources", "governments", "population"):
        assert (root / name / "part-0.parquet").is_file(), name
    assert not [p for p in (root / "_staging").iterdir() if p.name != ".lock"]


def test_partition_columns_live_in_the_paths_and_rows_are_ordered_by_government(small_db: Path, tmp_path: Path) -> None:
    root = tmp_path / "layout"
    export_partitioned(small_db, root)
    one = pq.read_table(next((root / "items").rglob("parent_name=가나도/*.parquet")))
    assert not {"fiscal_year", "snapshot_id", "parent_name"} & set(one.column_names)
    codes = one.column("gov_code").to_pylist()
    assert codes == sorted(codes) and len(set(codes)) == 2
    assert one.schema.field("budget").type == "int64"


def test_duckdb_and_pyarrow_read_the_layout_back_exactly(small_db: Path, tmp_path: Path) -> None:
    root = tmp_path / "layout"
    export_partitioned(small_db, root)
    with duckdb.connect() as con:
        rows = con.sql(
            f"SELECT parent_name, fiscal_year, snapshot_id, count(*), sum(budget) FROM "
            f"read_parquet('{root}/items/**/*.parquet', hive_partitioning = true) GROUP BY ALL ORDER BY ALL"
        ).fetchall()
    assert sum(r[3] for r in rows) == ROWS and sum(r[4] for r in rows) == BUDGET_TOTAL
    assert {r[0] for r in rows} == {"가나도", "마바도", None} and {(r[1], r[2]) for r in rows} == {(2026, 1)}
    table = ds.dataset(root / "items", format="parquet", partitioning="hive").to_table()
    assert table.num_rows == ROWS
    assert sorted(table.column("parent_name").to_pylist(), key=str) == sorted(
        ["가나도"] * 6 + ["마바도", None], key=str
    )


def test_manifest_records_version_schemas_and_snapshot_totals(small_db: Path, tmp_path: Path) -> None:
    root = tmp_path / "layout"
    export_partitioned(small_db, root)
    manifest = read_manifest(root)
    assert manifest["version"] == LAYOUT_VERSION
    assert manifest["partitioning"] == ["fiscal_year", "snapshot_id", "parent_name"]
    assert manifest["tables"]["items"]["schema"]["budget"] == "int64"
    assert manifest["tables"]["snapshots"]["schema"]["budget_total"] == "decimal(38, 0)"
    [snapshot] = manifest["snapshots"]
    assert snapshot["rows"] == ROWS and snapshot["budget_total"] == BUDGET_TOTAL
    assert snapshot["path"] == "items/fiscal_year=2026/snapshot_id=1" and snapshot["regions"] == 3


def test_a_second_export_writes_only_new_snapshots(small_db: Path, tmp_path: Path) -> None:
    root = tmp_path / "layout"
    export_partitioned(small_db, root)
    before = {p: p.stat().st_mtime_ns for p in (root / "items").rglob("*.parquet")}
    again = export_partitioned(small_db, root)
    assert again.written == [] and again.unchanged == [1] and again.rows_written == 0
    assert {p: p.stat().st_mtime_ns for p in (root / "items").rglob("*.parquet")} == before
    load_september(small_db, tmp_path)
    third = export_partitioned(small_db, root)
    assert third.written == [2] and third.unchanged == [1]
    assert {s["snapshot_id"] for s in read_manifest(root)["snapshots"]} == {1, 2}


def test_snapshots_gone_from_the_store_are_removed_from_the_layout(small_db: Path, tmp_path: Path) -> None:
    root = tmp_path / "layout"
    export_partitioned(small_db, root)
    other = tmp_path / "other.duckdb"
    load_september(other, tmp_path)  # a different store whose snapshot 1 has other rows
    report = export_partitioned(other, root)
    assert report.written == [1] and report.unchanged == []
    assert [s["digest"] for s in read_manifest(root)["snapshots"]] == [
        r["digest"] for r in open_backend(other).table("snapshots").to_pyarrow().to_pylist()
    ]


def test_only_the_chosen_snapshots_are_written(small_db: Path, tmp_path: Path) -> None:
    load_september(small_db, tmp_path)
    root = tmp_path / "layout"
    report = export_partitioned(small_db, root, snapshot_ids=[2])
    assert report.written == [2]
    assert [s["snapshot_id"] for s in read_manifest(root)["snapshots"]] == [2]
    assert pq.read_table(root / "snapshots" / "part-0.parquet").column("snapshot_id").to_pylist() == [2]
    with pytest.raises(StoreError, match="no snapshot 7"):
        export_partitioned(small_db, root, snapshot_ids=[7])


def test_a_directory_that_is_not_a_layout_is_never_overwritten(small_db: Path, tmp_path: Path) -> None:
    root = tmp_path / "mine"
    root.mkdir()
    (root / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(StoreError, match="not a yesan layout"):
        export_partitioned(small_db, root)
    assert (root / "notes.txt").read_text(encoding="utf-8") == "keep me"


def test_a_manifest_of_another_version_is_refused(small_db: Path, tmp_path: Path) -> None:
    root = tmp_path / "layout"
    export_partitioned(small_db, root)
    manifest = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
    manifest["version"] = LAYOUT_VERSION + 1
    (root / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(StoreError, match=f"layout version {LAYOUT_VERSION + 1}"):
        read_manifest(root)


@pytest.mark.parametrize(
    ("value", "segment"),
    [
        ("전라남도", "전라남도"),
        ("강원특별자치도", "강원특별자치도"),
        ("a/b=c%", "a%2Fb%3Dc%25"),
        ("x:y?*", "x%3Ay%3F%2A"),
        (None, NULL_PARTITION),
    ],
)
def test_partition_values_keep_hangul_and_escape_only_unsafe_ascii(value: str | None, segment: str) -> None:
    assert encode_segment(value) == segment
    assert decode_segment(segment) == value


def test_cli_exports_the_layout(small_db: Path, tmp_path: Path) -> None:
    root = tmp_path / "cli-layout"
    result = run_cli("export", str(root), "--format", "partitioned", "--json", db=small_db)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["written"] == [1] and data["rows_written"] == ROWS
    assert read_manifest(root)["snapshots"][0]["rows"] == ROWS


# --- engine specs ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "kind", "target"),
    [
        (None, "duckdb", "/data/yesan.duckdb"),
        ("duckdb", "duckdb", "/data/yesan.duckdb"),
        ("duckdb:/other.duckdb", "duckdb", "/other.duckdb"),
        ("/other.duckdb", "duckdb", "/other.duckdb"),
        ("postgresql://yesan@db:5432/yesan", "postgres", "postgresql://yesan@db:5432/yesan"),
        ("spark:local[2]", "spark", "local[2]"),
        ("spark://master:7077", "spark", "spark://master:7077"),
        ("spark", "spark", "local[*]"),
    ],
)
def test_engine_specs(spec: str | None, kind: str, target: str) -> None:
    parsed = parse_engine(spec, db="/data/yesan.duckdb", parquet="/data/layout")
    assert (parsed.kind, parsed.target) == (kind, target)


def test_spark_without_a_layout_says_what_to_give() -> None:
    with pytest.raises(StoreError, match="--parquet DIR"):
        parse_engine("spark:local[2]", db=None)


def test_unknown_engine_scheme_is_named_without_the_password() -> None:
    with pytest.raises(StoreError) as error:
        parse_engine("mysql://root:secret@db/yesan")
    assert "mysql://" in str(error.value) and "secret" not in str(error.value)


def test_duckdb_engine_has_a_memory_limit(small_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    backend = open_engine(None, db=small_db)
    try:
        [(limit,)] = backend.con.sql("SELECT current_setting('memory_limit')").fetchall()
    finally:
        backend.disconnect()
    assert limit.endswith(("MiB", "MB")) and 900 <= float(limit.split()[0]) <= 1000
    monkeypatch.setenv("YESAN_DUCKDB_MEMORY_LIMIT", "512MB")
    backend = open_engine(f"duckdb:{small_db}")
    try:
        [(limit,)] = backend.con.sql("SELECT current_setting('memory_limit')").fetchall()
    finally:
        backend.disconnect()
    assert 480 <= float(limit.split()[0]) <= 512


# --- Spark -----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def spark() -> Any:
    return spark_or_skip()


@pytest.fixture
def small_spark(small_db: Path, tmp_path: Path, spark: Any) -> Iterator[Any]:
    from yesan.query.spark import open_spark

    root = tmp_path / "layout"
    export_partitioned(small_db, root)
    backend = open_spark(root, session=spark)
    yield backend
    backend.disconnect()


def test_spark_reads_the_store_types(small_db: Path, small_spark: Any) -> None:
    store = tables(open_backend(small_db))
    on_spark = tables(small_spark)
    for name in ("items", "snapshots", "governments", "population", "sources"):
        left, right = getattr(store, name).schema(), getattr(on_spark, name).schema()
        assert list(right.names) == list(left.names), name
        for column in left.names:
            if not left[column].is_timestamp():
                assert right[column].copy(nullable=True) == left[column].copy(nullable=True), f"{name}.{column}"
    assert on_spark.snapshots.budget_total.type().is_decimal()


def test_spark_sums_are_exact_int64_won(small_spark: Any) -> None:
    result = drilldown(tables(small_spark).items, "region")
    assert result.total.budget == BUDGET_TOTAL and result.exact
    assert {row.key["parent_name"] for row in result.rows} == {"가나도", "마바도", None}
    assert all(isinstance(row.budget, int) for row in result.rows)


def test_spark_reads_only_the_partitions_a_filter_selects(small_spark: Any) -> None:
    items = tables(small_spark).items
    plan = small_spark.session.sql(small_spark.compile(Filters(region="가나도").apply(items)))._jdf
    assert "PartitionFilters: [isnotnull(parent_name" in plan.queryExecution().executedPlan().toString()
    root = Path(read_manifest_root(small_spark))
    broken = next((root / "items").rglob("parent_name=마바도/part-0.parquet"))
    broken.write_bytes(b"not a parquet file")  # a scan that opened it would fail
    result = drilldown(items, "government", Filters(region="가나도"))
    assert result.total.items == SMALL_ROWS
    with pytest.raises(Exception, match=r"(?i)parquet"):
        drilldown(items, "government", Filters(region="마바도"))


def read_manifest_root(backend: Any) -> str:
    """The layout root a Spark backend reads (from the items view's files)."""
    files = backend.session.table("items").inputFiles()
    return files[0].removeprefix("file://").split("/items/")[0]


def test_spark_null_amounts_stay_null_not_float(small_spark: Any) -> None:
    items = tables(small_spark).items
    table = items.select("budget", nothing=items.budget.nullif(items.budget)).to_pyarrow()
    assert str(table.schema.field("budget").type) == "int64"
    assert table.column("nothing").null_count == table.num_rows


def test_two_layouts_open_at_once_keep_their_own_tables(small_db: Path, tmp_path: Path, spark: Any) -> None:
    from yesan.query.spark import open_spark

    empty_db = tmp_path / "empty.duckdb"
    Store.open(empty_db).close()
    first, second = tmp_path / "first", tmp_path / "second"
    export_partitioned(small_db, first)
    export_partitioned(empty_db, second)
    one, two = open_spark(first, session=spark), open_spark(second, session=spark)
    try:
        assert tables(one).items.count().to_pyarrow().as_py() == ROWS
        assert tables(two).items.count().to_pyarrow().as_py() == 0
    finally:
        one.disconnect()
        two.disconnect()
    assert spark.range(1).count() == 1  # disconnecting a backend leaves a shared session running


def test_open_engine_with_a_spark_spec(small_db: Path, tmp_path: Path, spark: Any) -> None:
    root = tmp_path / "layout"
    export_partitioned(small_db, root)
    backend = open_engine("spark:local[2]", parquet=root)  # joins this process's running session
    try:
        assert drilldown(tables(backend).items, "field").total.budget == BUDGET_TOTAL
    finally:
        backend.disconnect()


def test_open_spark_on_a_missing_layout_says_how_to_make_one(tmp_path: Path, spark: Any) -> None:
    from yesan.query.spark import open_spark

    with pytest.raises(StoreError, match="yesan export --format partitioned"):
        open_spark(tmp_path / "nowhere", session=spark)


def test_cli_answers_the_same_on_spark(small_db: Path, tmp_path: Path) -> None:
    spark_or_skip()
    root = tmp_path / "layout"
    export_partitioned(small_db, root)
    on_duck = run_cli("tree", "--level", "government", "--json", db=small_db)
    on_spark = run_cli(
        "--engine", "spark:local[1]", "--parquet", str(root), "tree", "--level", "government", "--json", timeout=240
    )
    assert on_duck.returncode == 0 and on_spark.returncode == 0, on_spark.stderr
    assert json.loads(on_spark.stdout) == json.loads(on_duck.stdout)


def test_missing_java_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("pyspark", reason="pyspark is not installed; pip install 'yesan[spark]'")
    from yesan.query import spark as module

    monkeypatch.setattr(module, "java_executable", lambda: None)
    problem = module.missing_requirement()
    assert problem is not None and "Java 17" in problem
    with pytest.raises(StoreError, match="needs Java"):
        module.spark_session("local[1]")


def test_missing_pyspark_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "pyspark.py"
    blocker.write_text("raise ImportError('pyspark is blocked for this test')\n", encoding="utf-8")
    code = (
        "from yesan.query.spark import missing_requirement, open_spark\n"
        "print(missing_requirement())\n"
        "try:\n    open_spark('.')\nexcept Exception as e:\n    print(type(e).__name__, e)\n"
    )
    env = {**os.environ, "PYTHONPATH": f"{tmp_path}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False)
    assert result.returncode == 0, result.stderr
    assert "pip install 'yesan[spark]'" in result.stdout
    assert "StoreError" in result.stdout
