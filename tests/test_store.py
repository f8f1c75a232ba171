"""The store: atomic, idempotent loads, snapshots, provenance, schema versions and locking."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import SMALL_BUDGET_TOTAL, SMALL_ROWS, dump, qwgjk_rows
from yesan.errors import LoadError, StoreError
from yesan.ingest.lofin365 import read_qwgjk
from yesan.store import Store
from yesan.store.info import store_info
from yesan.store.schema import SCHEMA_VERSION


def content_checksum(store: Store) -> str:
    """A checksum of everything a user can get out of the store."""
    digest = hashlib.sha256()
    for table in ("snapshots", "sources", "items", "governments", "population"):
        rows = store.con.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall()
        digest.update(repr(rows).encode())
    return digest.hexdigest()


def test_loading_creates_one_snapshot_with_all_rows(store: Store, small_csv: Path) -> None:
    result = store.load([read_qwgjk(small_csv)])
    assert [s.status for s in result.snapshots] == ["new"]
    info = store_info(store)
    assert info["totals"]["items"] == SMALL_ROWS
    assert info["snapshots"][0]["budget_total"] == SMALL_BUDGET_TOTAL


def test_every_row_keeps_its_provenance(store: Store, small_csv: Path) -> None:
    store.load([read_qwgjk(small_csv)])
    row = store.con.execute(
        "SELECT dataset, source_file, row_no, sha256, loaded_at FROM item_provenance WHERE item_name = '하수관로 정비'"
    ).fetchone()
    assert row is not None
    assert row[0] == "lofin365.QWGJK"
    assert row[1] == str(small_csv)
    assert row[2] == 4
    assert row[3] == hashlib.sha256(small_csv.read_bytes()).hexdigest()
    assert row[4] is not None


def test_loading_the_same_snapshot_twice_changes_nothing(store: Store, small_csv: Path) -> None:
    store.load([read_qwgjk(small_csv)])
    before = content_checksum(store)
    again = store.load([read_qwgjk(small_csv)])
    assert [s.status for s in again.snapshots] == ["unchanged"]
    assert content_checksum(store) == before


def test_the_same_rows_in_another_format_are_recognised_as_loaded(
    store: Store, small_csv: Path, tmp_path: Path
) -> None:
    store.load([read_qwgjk(small_csv)])
    before = content_checksum(store)
    as_json = dump(tmp_path / "same.json", qwgjk_rows())
    assert [s.status for s in store.load([read_qwgjk(as_json)]).snapshots] == ["unchanged"]
    assert content_checksum(store) == before


def test_a_newer_snapshot_is_a_new_snapshot(store: Store, small_csv: Path, tmp_path: Path) -> None:
    store.load([read_qwgjk(small_csv)])
    newer = tmp_path / "newer.csv"
    newer.write_text(small_csv.read_text(encoding="utf-8").replace("20260705", "20260901"), encoding="utf-8")
    result = store.load([read_qwgjk(newer)])
    assert [s.status for s in result.snapshots] == ["new"]
    assert len(store.snapshots()) == 2
    assert store_info(store)["totals"]["items"] == 2 * SMALL_ROWS


def test_different_rows_for_a_loaded_snapshot_need_replace(store: Store, small_csv: Path, tmp_path: Path) -> None:
    store.load([read_qwgjk(small_csv)])
    before = content_checksum(store)
    changed = tmp_path / "changed.csv"
    changed.write_text(small_csv.read_text(encoding="utf-8").replace("45000000", "46000000"), encoding="utf-8")
    with pytest.raises(LoadError, match="--replace"):
        store.load([read_qwgjk(changed)])
    assert content_checksum(store) == before
    result = store.load([read_qwgjk(changed)], replace=True)
    assert [s.status for s in result.snapshots] == ["replaced"]
    assert store_info(store)["snapshots"][0]["budget_total"] == SMALL_BUDGET_TOTAL + 1_000_000


def test_a_failure_mid_transaction_leaves_the_store_as_it_was(store: Store, small_csv: Path, tmp_path: Path) -> None:
    store.load([read_qwgjk(small_csv)])
    before = content_checksum(store)
    newer = tmp_path / "newer.csv"
    newer.write_text(small_csv.read_text(encoding="utf-8").replace("20260705", "20260901"), encoding="utf-8")
    conflicting = tmp_path / "conflicting.csv"
    conflicting.write_text(small_csv.read_text(encoding="utf-8").replace("45000000", "1"), encoding="utf-8")
    # The first batch is written inside the transaction before the second one fails.
    with pytest.raises(LoadError):
        store.load([read_qwgjk(newer), read_qwgjk(conflicting)])
    assert content_checksum(store) == before


def test_governments_get_level_and_parent(store: Store, small_csv: Path) -> None:
    store.load([read_qwgjk(small_csv)])
    rows = store.con.execute(
        "SELECT code, name, level, parent_code, parent_name FROM governments ORDER BY code"
    ).fetchall()
    assert rows == [
        ("4700000", "가나도", "광역", None, None),
        ("4711000", "가나군", "기초", "4700000", "가나도"),
        ("4712000", "다라군", "기초", "4700000", "가나도"),
    ]


def test_schema_is_versioned(store: Store) -> None:
    assert store.schema_version() == SCHEMA_VERSION


def test_a_store_from_a_newer_yesan_is_refused(db_path: Path) -> None:
    with Store.open(db_path) as store:
        store.con.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(StoreError, match="newer yesan"):
        Store.open(db_path)


def test_reading_a_missing_store_says_how_to_create_one(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="yesan demo"):
        Store.open(tmp_path / "none.duckdb", read_only=True)


def test_a_file_that_is_not_a_store_is_refused(tmp_path: Path) -> None:
    junk = tmp_path / "junk.duckdb"
    junk.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match=r"junk\.duckdb"):
        Store.open(junk)


def test_a_second_writer_is_refused_with_a_clear_message(db_path: Path) -> None:
    Store.open(db_path).close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import sys, time
                from yesan.store import Store
                store = Store.open({str(db_path)!r})
                print("ready", flush=True)
                sys.stdin.readline()
                """
            ),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        with pytest.raises(StoreError, match="in use by another yesan process"):
            Store.open(db_path, wait_s=0.5)
    finally:
        holder.communicate("\n", timeout=30)


def test_one_file_with_two_snapshot_dates_makes_two_snapshots(store: Store, small_csv: Path, tmp_path: Path) -> None:
    lines = small_csv.read_text(encoding="utf-8").split("\n")
    mixed = tmp_path / "mixed.csv"
    mixed.write_text("\n".join([lines[0], lines[1].replace("20260705", "20260901"), *lines[2:]]), encoding="utf-8")
    result = store.load([read_qwgjk(mixed)])
    assert sorted((str(s.exe_ymd), s.rows) for s in result.snapshots) == [("2026-07-05", 5), ("2026-09-01", 1)]
    per_snapshot = store.con.execute(
        "SELECT s.exe_ymd::VARCHAR, count(*), min(i.row_no) FROM items i JOIN snapshots s USING (snapshot_id) "
        "GROUP BY ALL ORDER BY 1"
    ).fetchall()
    assert per_snapshot == [("2026-07-05", 5, 2), ("2026-09-01", 1, 1)]
