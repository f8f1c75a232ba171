"""The yesan command as people use it: real processes, real store files."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyarrow.parquet as pq

from conftest import SMALL_BUDGET_TOTAL, SMALL_ROWS, run_cli


def test_load_then_info_reports_rows_and_totals(small_csv: Path, db_path: Path) -> None:
    loaded = run_cli("load", str(small_csv), db=db_path, check=True)
    assert "snapshot 1: lofin365.QWGJK 2026 현액 2026-07-05 — 6 rows loaded" in loaded.stdout
    info = json.loads(run_cli("info", "--json", db=db_path, check=True).stdout)
    assert info["totals"]["items"] == SMALL_ROWS
    assert info["snapshots"][0]["budget_total"] == SMALL_BUDGET_TOTAL
    table = run_cli("info", db=db_path, check=True).stdout
    assert "가나군" in table and "19억 3,500만원"[:3] in table


def test_loading_again_says_unchanged(small_csv: Path, db_path: Path) -> None:
    run_cli("load", str(small_csv), db=db_path, check=True)
    again = run_cli("load", str(small_csv), db=db_path, check=True)
    assert "already loaded, unchanged" in again.stdout


def test_check_validates_without_writing(small_csv: Path, db_path: Path) -> None:
    result = run_cli("load", "--check", str(small_csv), db=db_path, check=True)
    assert "nothing was written" in result.stdout
    assert not db_path.exists()


def test_bad_input_is_one_line_and_a_nonzero_exit(tmp_path: Path, small_csv: Path, db_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(small_csv.read_text(encoding="utf-8").replace(",45000000,0,0,", ",--5,0,0,", 1), encoding="utf-8")
    result = run_cli("load", str(bad), db=db_path)
    assert result.returncode == 1
    assert result.stderr.startswith("error: ")
    assert "row 5" in result.stderr and "bdg_cash_amt" in result.stderr and "'--5'" in result.stderr
    assert "Traceback" not in result.stderr


def test_debug_shows_the_traceback(tmp_path: Path, db_path: Path) -> None:
    result = run_cli("--debug", "load", str(tmp_path / "missing.csv"), db=db_path)
    assert result.returncode != 0
    assert "Traceback" in result.stderr and "LoadError" in result.stderr


def test_missing_store_is_explained(tmp_path: Path) -> None:
    result = run_cli("info", db=tmp_path / "none.duckdb")
    assert result.returncode == 1
    assert "yesan demo" in result.stderr


def test_export_csv_has_a_bom_and_provenance(small_csv: Path, db_path: Path, tmp_path: Path) -> None:
    run_cli("load", str(small_csv), db=db_path, check=True)
    target = tmp_path / "out" / "items.csv"
    run_cli("export", str(target), "--format", "csv", db=db_path, check=True)
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert len(rows) == SMALL_ROWS
    assert sum(int(r["budget"]) for r in rows) == SMALL_BUDGET_TOTAL
    assert rows[0]["source_file"] == str(small_csv) and rows[0]["row_no"] == "1"


def test_export_parquet_keeps_integer_won(small_csv: Path, db_path: Path, tmp_path: Path) -> None:
    run_cli("load", str(small_csv), db=db_path, check=True)
    target = tmp_path / "items.parquet"
    run_cli("export", str(target), "--format", "parquet", db=db_path, check=True)
    table = pq.read_table(target)
    assert str(table.schema.field("budget").type) == "int64"
    assert sum(table.column("budget").to_pylist()) == SMALL_BUDGET_TOTAL


def test_exported_package_loads_back_into_a_new_store(small_csv: Path, db_path: Path, tmp_path: Path) -> None:
    run_cli("load", str(small_csv), db=db_path, check=True)
    package = tmp_path / "package"
    run_cli("export", str(package), "--format", "fdp", db=db_path, check=True)
    assert (package / "datapackage.json").exists()
    other = tmp_path / "other.duckdb"
    run_cli("load", str(package), db=other, check=True)
    info = json.loads(run_cli("info", "--json", db=other, check=True).stdout)
    assert info["totals"]["items"] == SMALL_ROWS
    assert info["snapshots"][0]["budget_total"] == SMALL_BUDGET_TOTAL


def test_every_command_has_help_with_an_example() -> None:
    for command in ("load", "info", "export", "demo"):
        result = run_cli(command, "--help", check=True)
        assert "Example: yesan" in result.stdout


TABLE_CP949 = """2026년도 세출예산 사업명세서
(단위: 천원)
분야,부문,세부사업명,예산액,국비,시군구비
사회복지,노인·청소년,경로당 냉난방 지원,"1,200",600,600
사회복지,노인·청소년,어르신 일자리,"3,000","1,500","1,500"
사회복지 소계,,,"4,200","2,100","2,100"
환경,폐기물,재활용품 수거,800,0,800
합계,,,"5,000","2,100","2,900"
"""


def test_a_korean_spreadsheet_export_loads_in_won(tmp_path: Path, db_path: Path) -> None:
    source = tmp_path / "세출예산.csv"
    source.write_bytes(TABLE_CP949.encode("cp949"))
    run_cli("load", str(source), "--government", "4711000:가나군", "--stage", "본예산", db=db_path, check=True)
    info = json.loads(run_cli("info", "--json", db=db_path, check=True).stdout)
    assert info["totals"]["items"] == 3  # the 소계 and 합계 rows were checked, not loaded
    assert info["snapshots"][0]["budget_total"] == 5_000_000
    assert info["snapshots"][0]["stage"] == "본예산"


def test_a_subtotal_that_does_not_add_up_is_refused(tmp_path: Path, db_path: Path) -> None:
    source = tmp_path / "wrong.csv"
    source.write_bytes(TABLE_CP949.replace('합계,,,"5,000"', '합계,,,"5,100"').encode("cp949"))
    result = run_cli("load", str(source), "--government", "4711000:가나군", db=db_path)
    assert result.returncode == 1
    assert "row 5" in result.stderr and "합계" in result.stderr and "difference 10만원" in result.stderr
    assert (
        not db_path.exists()
        or json.loads(run_cli("info", "--json", db=db_path).stdout or "{}").get("totals", {}).get("items", 0) == 0
    )


def test_export_takes_the_filters_of_tree(small_csv: Path, db_path: Path, tmp_path: Path) -> None:
    run_cli("load", str(small_csv), db=db_path, check=True)
    out = tmp_path / "gana-env.csv"
    run_cli("export", str(out), "--gov", "가나군", "--field", "환경", db=db_path, check=True)
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert sorted(r["item_name"] for r in rows) == ["생활폐기물 수거, 운반", "하수관로 정비"]
    assert sum(int(r["budget"]) for r in rows) == 500_000_000 + 900_000_000
    tree = json.loads(run_cli("tree", "--gov", "가나군", "--field", "환경", "--json", db=db_path, check=True).stdout)
    assert tree["total"]["budget"] == 500_000_000 + 900_000_000  # export what you see
    parquet = tmp_path / "dara.parquet"
    run_cli("export", str(parquet), "--format", "parquet", "--gov", "다라", db=db_path, check=True)
    assert set(pq.read_table(parquet).column("gov_name").to_pylist()) == {"다라군"}
    package = tmp_path / "pkg"
    run_cli(
        "export", str(package), "--format", "fdp", "--region", "가나도", "--field", "사회복지", db=db_path, check=True
    )
    [data] = [p for p in package.iterdir() if p.suffix == ".csv"]
    assert "경로당 난방비 지원" in data.read_text(encoding="utf-8") and "하수관로" not in data.read_text(
        encoding="utf-8"
    )


def test_export_of_a_selection_with_no_items_writes_nothing(small_csv: Path, db_path: Path, tmp_path: Path) -> None:
    run_cli("load", str(small_csv), db=db_path, check=True)
    out = tmp_path / "none.csv"
    result = run_cli("export", str(out), "--gov", "가나군", "--field", "국방", db=db_path)
    assert result.returncode == 1 and "no items for government '가나군', 분야 '국방'" in result.stderr
    assert not out.exists()
    layout = run_cli("export", str(tmp_path / "layout"), "--format", "partitioned", "--gov", "가나군", db=db_path)
    assert layout.returncode == 1 and "--snapshot" in layout.stderr


def test_demo_without_a_terminal_says_how_to_open_the_web_explorer(small_csv: Path, db_path: Path) -> None:
    run_cli("load", str(small_csv), db=db_path, check=True)
    text = run_cli("demo", db=db_path, check=True).stdout  # no terminal: it prints and does not serve
    assert "web explorer: run `yesan serve`" in text and "http://127.0.0.1:8000/" in text
