"""Reading lofin365 QWGJK rows from every container the API and its mirrors produce."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from conftest import SMALL_BUDGET_TOTAL, SMALL_ROWS, dump, envelope, qwgjk_rows, write_gz
from yesan.errors import LoadError
from yesan.ingest import detect_kind, read_path
from yesan.ingest.lofin365 import DATASET, read_qwgjk
from yesan.model import matches_item_schema


def budget_total(path: Path) -> int:
    return sum(read_qwgjk(path).items.column("budget").to_pylist())


def test_csv_rows_become_items_in_yesan_columns(small_csv: Path) -> None:
    batch = read_qwgjk(small_csv)
    assert batch.dataset == DATASET
    assert matches_item_schema(batch.items.schema)
    assert batch.items.num_rows == SMALL_ROWS
    first = batch.items.slice(0, 1).to_pylist()[0]
    assert first["gov_code"] == "4711000"
    assert first["parent_name"] == "가나도"
    assert first["fiscal_year"] == 2026
    assert first["exe_ymd"] == dt.date(2026, 7, 5)
    assert first["stage"] == "현액"
    assert first["item_name"] == "경로당 난방비 지원"
    assert (first["budget"], first["national"], first["provincial"], first["municipal"]) == (
        120_000_000, 60_000_000, 30_000_000, 30_000_000,
    )  # fmt: skip
    assert first["row_no"] == 1


def test_quoted_names_with_commas_and_newlines_survive(small_csv: Path) -> None:
    names = read_qwgjk(small_csv).items.column("item_name").to_pylist()
    assert "생활폐기물 수거, 운반" in names
    assert "군정 홍보\n(소식지 발간)" in names


def test_account_types_are_classified(small_csv: Path) -> None:
    types = read_qwgjk(small_csv).items.column("account_type").to_pylist()
    assert types == ["일반회계", "일반회계", "일반회계", "특별회계", "일반회계", "기금"]


def test_gzip_csv_reads_the_same(small_csv: Path, tmp_path: Path) -> None:
    gz = write_gz(tmp_path / "small.csv.gz", small_csv.read_text(encoding="utf-8"))
    assert budget_total(gz) == SMALL_BUDGET_TOTAL


def test_cp949_csv_reads_the_same(small_csv: Path, tmp_path: Path) -> None:
    cp = tmp_path / "cp949.csv"
    cp.write_bytes(small_csv.read_text(encoding="utf-8").encode("cp949"))
    batch = read_qwgjk(cp)
    assert batch.items.column("item_name").to_pylist()[0] == "경로당 난방비 지원"


def test_json_array_and_json_lines(tmp_path: Path) -> None:
    rows = qwgjk_rows()
    array = dump(tmp_path / "rows.json", rows)
    lines = tmp_path / "rows.jsonl"
    lines.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    assert budget_total(array) == SMALL_BUDGET_TOTAL
    assert budget_total(lines) == SMALL_BUDGET_TOTAL


def test_json_amounts_may_be_numbers(tmp_path: Path) -> None:
    rows = [{**r, "bdg_cash_amt": int(r["bdg_cash_amt"]), "fyr": 2026} for r in qwgjk_rows()]
    assert budget_total(dump(tmp_path / "numbers.json", rows)) == SMALL_BUDGET_TOTAL


def test_paged_envelopes_are_joined_and_counted(tmp_path: Path) -> None:
    rows = qwgjk_rows()
    pages = [envelope(rows[:4], total=6), envelope(rows[4:], total=6)]
    as_array = dump(tmp_path / "pages.json", pages)
    as_lines = tmp_path / "pages.jsonl"
    as_lines.write_text("\n".join(json.dumps(p, ensure_ascii=False) for p in pages), encoding="utf-8")
    assert budget_total(as_array) == SMALL_BUDGET_TOTAL
    assert budget_total(as_lines) == SMALL_BUDGET_TOTAL
    assert read_qwgjk(as_array).items.column("row_no").to_pylist() == [1, 2, 3, 4, 5, 6]


def test_a_missing_page_is_refused(tmp_path: Path) -> None:
    rows = qwgjk_rows()
    path = dump(tmp_path / "page1.json", envelope(rows[:4], total=6))
    with pytest.raises(LoadError, match=r"announced 6 rows .* hold 4"):
        read_qwgjk(path)


@pytest.mark.parametrize(
    ("code", "advice"),
    [("337", "quota"), ("ERROR-300", "required request parameter")],
)
def test_api_error_pages_are_named_with_advice(tmp_path: Path, code: str, advice: str) -> None:
    page = {"QWGJK": [{"head": [{"list_total_count": 0}, {"RESULT": {"CODE": code, "MESSAGE": "오류"}}]}]}
    with pytest.raises(LoadError, match=advice) as caught:
        read_qwgjk(dump(tmp_path / "error.json", page))
    assert code in str(caught.value)


def test_bad_amount_names_file_row_column_and_value(tmp_path: Path, small_csv: Path) -> None:
    text = small_csv.read_text(encoding="utf-8").replace("300000000,0,100000000", "3억abc,0,100000000", 1)
    bad = tmp_path / "bad.csv"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(LoadError) as caught:
        read_qwgjk(bad)
    problem = caught.value.problems[0]
    assert (problem.file, problem.row, problem.column, problem.value) == (str(bad), 2, "bdg_cash_amt", "3억abc")
    assert "row 2" in str(caught.value) and "bdg_cash_amt" in str(caught.value)


def test_thousands_separators_and_triangle_negatives_in_amounts(tmp_path: Path) -> None:
    rows = qwgjk_rows()[:1]
    rows[0] = {**rows[0], "bdg_cash_amt": "120,000,000", "ep_amt": "△5,000"}
    batch = read_qwgjk(dump(tmp_path / "odd.json", rows))
    assert batch.items.column("budget").to_pylist() == [120_000_000]
    assert batch.items.column("spent").to_pylist() == [-5_000]


def test_every_bad_row_is_reported_not_just_the_first(tmp_path: Path, small_csv: Path) -> None:
    lines = small_csv.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace("4711000", "47110")
    lines[3] = lines[3].replace(",20260705,", ",20261340,")
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(LoadError) as caught:
        read_qwgjk(bad)
    found = {(p.row, p.column) for p in caught.value.problems}
    assert found == {(1, "laf_cd"), (3, "exe_ymd")}


def test_duplicate_items_are_refused_naming_both_rows(tmp_path: Path) -> None:
    rows = qwgjk_rows()
    rows.append({**rows[1], "bdg_cash_amt": "999"})
    with pytest.raises(LoadError, match="first at row 2") as caught:
        read_qwgjk(dump(tmp_path / "dupes.json", rows))
    assert caught.value.problems[0].row == 7


def test_missing_required_column_is_named(tmp_path: Path) -> None:
    rows = [{k: v for k, v in r.items() if k != "bdg_cash_amt"} for r in qwgjk_rows()]
    with pytest.raises(LoadError, match="bdg_cash_amt"):
        read_qwgjk(dump(tmp_path / "nocol.json", rows))


def test_truncated_gzip_is_a_clear_error(tmp_path: Path, small_csv: Path) -> None:
    gz = write_gz(tmp_path / "t.csv.gz", small_csv.read_text(encoding="utf-8"))
    gz.write_bytes(gz.read_bytes()[:60])
    with pytest.raises(LoadError, match="damaged or truncated"):
        read_qwgjk(gz)


def test_unknown_columns_are_warned_about(tmp_path: Path) -> None:
    rows = [{**r, "note": "x"} for r in qwgjk_rows()]
    batch = read_qwgjk(dump(tmp_path / "extra.json", rows))
    assert any(w.column == "note" for w in batch.warnings)


def test_kind_is_detected_from_content(small_csv: Path, tmp_path: Path) -> None:
    assert detect_kind(small_csv) == "qwgjk"
    assert detect_kind(dump(tmp_path / "a.json", qwgjk_rows())) == "qwgjk"
    assert len(read_path(small_csv)) == 1
