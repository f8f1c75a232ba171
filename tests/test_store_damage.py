"""A store file cut short or with a damaged block is reported as damaged, with what to do, exit 1: never an
"internal error" (issue 19, item 5)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb
import pytest

from conftest import run_cli
from yesan.errors import StoreError
from yesan.store import Store
from yesan.store.damage import damaged_store

ROWS = 60_000  # about 3 MB of store: enough blocks that a cut lands inside the data, not in free space


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("damage")
    table = folder / "items.csv"
    with table.open("w", encoding="utf-8") as out:
        out.write("사업명,예산액\n")
        out.writelines(f"마을 사업 {n} 지원,{(n * 7919) % 999_983 + 1}\n" for n in range(ROWS))
    db = folder / "yesan.duckdb"
    load = ("load", str(table), "--government", "9990000:가상군", "--year", "2026")
    run_cli(*load, db=db, check=True)
    assert not db.with_name(db.name + ".wal").exists()
    return db


def _damaged_copy(store: Path, tmp_path: Path, how: str, where: float) -> Path:
    copy = tmp_path / "copy.duckdb"
    shutil.copyfile(store, copy)
    size = copy.stat().st_size
    if how == "cut":
        os.truncate(copy, int(size * where))
    else:  # a block overwritten with other bytes, as a bad sector or a stray write would leave it
        with copy.open("r+b") as file:
            file.seek(int(size * where))
            file.write(bytes(range(256)) * 256)
    return copy


@pytest.mark.parametrize(("how", "where"), [("cut", 0.1), ("cut", 0.5), ("cut", 0.8), ("overwritten", 0.5)])
@pytest.mark.parametrize("command", [("info",), ("search", "마을"), ("tree", "--json")])
def test_a_damaged_store_says_so_and_exits_1(
    store: Path, tmp_path: Path, how: str, where: float, command: tuple[str, ...]
) -> None:
    copy = _damaged_copy(store, tmp_path, how, where)
    result = run_cli(*command, db=copy)
    assert result.returncode in (0, 1), result.stderr  # a read that misses the damage may still answer
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr
    if result.returncode == 1:
        assert f"the store file {copy} is damaged or incomplete" in result.stderr
        assert "yesan export" in result.stderr and "nothing was changed" in result.stderr


def test_a_store_cut_in_half_is_refused_by_info(store: Path, tmp_path: Path) -> None:
    result = run_cli("info", db=_damaged_copy(store, tmp_path, "cut", 0.5))
    assert result.returncode == 1 and "is damaged or incomplete" in result.stderr


def test_opening_a_cut_store_raises_a_store_error(store: Path, tmp_path: Path) -> None:
    copy = _damaged_copy(store, tmp_path, "cut", 0.05)
    with pytest.raises(StoreError, match="is damaged or incomplete"), Store.open(copy, read_only=True) as opened:
        opened.info()


def test_other_errors_are_not_called_damage(tmp_path: Path) -> None:
    assert damaged_store(duckdb.CatalogException("Table with name nothing does not exist!")) is None
    assert damaged_store(ValueError("Could not parse")) is None
    not_a_store = tmp_path / "table.duckdb"
    not_a_store.write_text("사업명,예산액\n", encoding="utf-8")
    result = run_cli("info", db=not_a_store)
    assert result.returncode == 1 and "not a valid DuckDB database file" in result.stderr
    assert "damaged" not in result.stderr  # it may never have been a store
