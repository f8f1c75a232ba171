"""The bundled real snapshot: what a fresh install shows, exactly, and how loads fail safely at scale."""

from __future__ import annotations

import csv
import gzip
import json
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from conftest import SHARED, run_cli
from test_store import content_checksum
from yesan.bundled import SNAPSHOT_FILE, data_path, load_bundled
from yesan.ingest.lofin365 import FIELDS
from yesan.store import Store
from yesan.store.info import store_info

SHARED_CSV = SHARED / "data" / "lofin365" / "qwgjk_fyr2026_exe20260705.csv.gz"
BUNDLED_ROWS = 181_076


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store built by `yesan demo`, shared by the read-only tests of this module."""
    db = tmp_path_factory.mktemp("demo") / "yesan.duckdb"
    run_cli("demo", db=db, check=True)
    return db


def bundled_as_csv(target: Path, *, exe_ymd: str | None = None) -> Path:
    """The bundled rows written back as a QWGJK CSV file (optionally as another snapshot date)."""
    table = pq.read_table(data_path(SNAPSHOT_FILE)).select(list(FIELDS))
    table = table.cast(pa.schema([pa.field(name, pa.string()) for name in FIELDS]))
    if exe_ymd:
        table = table.set_column(1, "exe_ymd", pa.array([exe_ymd] * table.num_rows))
    pacsv.write_csv(table, target)
    return target


def test_demo_reports_every_bundled_item(demo_db: Path) -> None:
    info = json.loads(run_cli("info", "--json", db=demo_db, check=True).stdout)
    assert info["totals"]["items"] == BUNDLED_ROWS
    # 107 governments are in the region table; one of them (인천 동구) has no rows in this snapshot.
    assert info["totals"]["governments_known_basic"] == 107
    assert info["totals"]["governments_with_items"] == 106
    assert [g["name"] for g in info["governments_without_items"]] == ["동구"]
    assert info["population"][0]["governments"] == 107


def test_bundled_total_equals_the_parquet_summed_independently(demo_db: Path) -> None:
    expected = sum(pq.read_table(data_path(SNAPSHOT_FILE)).column("bdg_cash_amt").to_pylist())
    info = json.loads(run_cli("info", "--json", db=demo_db, check=True).stdout)
    assert info["snapshots"][0]["budget_total"] == expected == 113_536_525_211_692


@pytest.mark.skipif(not SHARED_CSV.exists(), reason="../shared/data/lofin365 is not here")
def test_bundled_total_equals_the_published_csv(demo_db: Path) -> None:
    with gzip.open(SHARED_CSV, "rt", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    info = json.loads(run_cli("info", "--json", db=demo_db, check=True).stdout)
    assert len(rows) == info["totals"]["items"]
    assert sum(int(r["bdg_cash_amt"]) for r in rows) == info["snapshots"][0]["budget_total"]
    per_gov: dict[str, int] = {}
    for r in rows:
        per_gov[r["laf_cd"]] = per_gov.get(r["laf_cd"], 0) + int(r["bdg_cash_amt"])
    assert {g["code"]: g["budget"] for g in info["governments"]} == per_gov


@pytest.mark.skipif(not SHARED_CSV.exists(), reason="../shared/data/lofin365 is not here")
def test_loading_the_published_csv_after_the_demo_changes_nothing(demo_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "copy.duckdb"
    db.write_bytes(demo_db.read_bytes())
    result = run_cli("load", str(SHARED_CSV), "--json", db=db, check=True)
    assert [s["status"] for s in json.loads(result.stdout)["snapshots"]] == ["unchanged"]


def test_a_bad_row_deep_in_the_file_is_named_and_nothing_changes(demo_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "copy.duckdb"
    db.write_bytes(demo_db.read_bytes())
    with Store.open(db, read_only=True) as store:
        before = content_checksum(store)
    source = bundled_as_csv(tmp_path / "good.csv", exe_ymd="20260801")
    bad = tmp_path / "bad.csv"
    rows = list(csv.reader(source.open(encoding="utf-8", newline="")))
    rows[150_000][FIELDS.index("bdg_cash_amt")] = "12억abc"  # rows[0] is the header
    with bad.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    result = run_cli("load", str(bad), db=db)
    assert result.returncode == 1
    assert "row 150,000" in result.stderr and "bdg_cash_amt" in result.stderr and "12억abc" in result.stderr
    assert "Traceback" not in result.stderr
    with Store.open(db, read_only=True) as store:
        assert content_checksum(store) == before


def test_sigkill_mid_load_leaves_the_old_store_or_the_whole_new_snapshot(demo_db: Path, tmp_path: Path) -> None:
    newer = bundled_as_csv(tmp_path / "newer.csv", exe_ymd="20260801")
    db = tmp_path / "killed.duckdb"
    rng = random.Random(20260705)
    outcomes = {"old": 0, "new": 0}
    for _ in range(4):
        db.write_bytes(demo_db.read_bytes())
        wal = db.with_name(db.name + ".wal")
        wal.unlink(missing_ok=True)
        process = subprocess.Popen(
            [sys.executable, "-c", "from yesan.cli import main; main()", "--db", str(db), "load", str(newer)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.5, 3.0))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        with Store.open(db) as store:
            info = store_info(store)
            rows = sorted(s["rows"] for s in info["snapshots"])
            assert rows in ([BUNDLED_ROWS], [BUNDLED_ROWS, BUNDLED_ROWS]), rows
            assert info["totals"]["items"] == sum(rows)
            outcomes["old" if len(rows) == 1 else "new"] += 1
        finished = run_cli("load", str(newer), "--json", db=db, check=True)
        assert json.loads(finished.stdout)["snapshots"][0]["rows"] == BUNDLED_ROWS
    assert sum(outcomes.values()) == 4


def test_load_bundled_is_idempotent(tmp_path: Path) -> None:
    with Store.open(tmp_path / "twice.duckdb") as store:
        load_bundled(store)
        before = content_checksum(store)
        again = load_bundled(store)
        assert [s.status for s in again.snapshots] == ["unchanged"]
        assert content_checksum(store) == before


def test_the_demo_compares_two_real_years_of_the_fund_figures(demo_db: Path) -> None:
    with data_path("regions_107.csv").open(encoding="utf-8", newline="") as handle:
        regions = list(csv.DictReader(handle))
    result = run_cli("compare", "--dataset", "lofin365.GJSCS", "--before-year", "2025", "--after-year", "2026",
                     "--level", "government", "--json", db=demo_db, check=True)  # fmt: skip
    data = json.loads(result.stdout)
    assert data["total_before"] == sum(int(r["local_extinction_fund_2025"]) for r in regions) == 461_119_067_000
    assert data["total_after"] == sum(int(r["local_extinction_fund_2026"]) for r in regions) == 467_382_064_000
    assert data["unreconciled"] == 0
    info = json.loads(run_cli("info", "--json", db=demo_db, check=True).stdout)
    assert [s["fiscal_year"] for s in info["figure_snapshots"]] == [2024, 2025, 2026]
    assert all(s["source_files"] == ["regions_107.csv"] for s in info["figure_snapshots"])
