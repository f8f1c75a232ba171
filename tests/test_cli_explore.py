"""yesan tree / top / item: the CLI views over the query layer, on a small store we wrote."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from conftest import SMALL_BUDGET_TOTAL, run_cli


@pytest.fixture
def loaded(small_csv: Path, db_path: Path) -> Path:
    run_cli("load", str(small_csv), db=db_path, check=True)
    return db_path


def test_tree_by_field_adds_up_exactly(loaded: Path) -> None:
    data = json.loads(run_cli("tree", "--json", db=loaded, check=True).stdout)
    assert data["total"]["budget"] == SMALL_BUDGET_TOTAL
    assert sum(row["budget"] for row in data["rows"]) == SMALL_BUDGET_TOTAL
    assert data["difference"]["budget"] == 0
    assert data["rows"][0]["field_name"] == "환경"


def test_tree_table_shows_human_amounts_and_exactness(loaded: Path) -> None:
    text = run_cli("tree", "--gov", "가나군", "--level", "sector", db=loaded, check=True).stdout
    assert "환경 · 상하수도·수질" in text and "9억원" in text
    assert "children add up to the total exactly" in text


def test_tree_csv_is_machine_readable(loaded: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(run_cli("tree", "--csv", db=loaded, check=True).stdout)))
    assert {r["field_name"]: int(r["budget"]) for r in rows}["사회복지"] == 420_000_000


def test_top_items_by_budget_name_their_government(loaded: Path) -> None:
    text = run_cli("top", "--limit", "2", db=loaded, check=True).stdout
    assert "가나군 · 하수관로 정비" in text and "가나군 · 생활폐기물 수거, 운반" in text
    assert "재난 대비" not in text


def test_item_shows_amounts_and_its_source_row(loaded: Path, small_csv: Path) -> None:
    text = run_cli("item", "1000000000000004", db=loaded, check=True).stdout
    assert "하수관로 정비" in text and "450,000,000" in text
    assert f"{small_csv} row 4" in text
    data = json.loads(run_cli("item", "1000000000000004", "--json", db=loaded, check=True).stdout)
    assert data[0]["national"] == 450_000_000 and data[0]["row_no"] == 4


def test_ambiguous_or_unknown_government_is_a_clear_error(loaded: Path) -> None:
    result = run_cli("tree", "--gov", "없는군", db=loaded)
    assert result.returncode == 1 and "no government '없는군'" in result.stderr


def test_unknown_item_code_says_how_to_find_one(loaded: Path) -> None:
    result = run_cli("item", "999", db=loaded)
    assert result.returncode == 1 and "yesan search" in result.stderr


def test_compare_two_snapshots_accounts_for_every_won(loaded: Path, small_csv: Path, tmp_path: Path) -> None:
    later = tmp_path / "later.csv"
    text = small_csv.read_text(encoding="utf-8").replace("20260705", "20260901")
    text = text.replace(",45000000,0,0,45000000,", ",55000000,0,0,55000000,")  # 군정 홍보 grows by 1,000만원
    later.write_text("\n".join(line for line in text.split("\n") if "재난 대비" not in line), encoding="utf-8")
    run_cli("load", str(later), db=loaded, check=True)
    data = json.loads(
        run_cli("compare", "--before-snapshot", "1", "--after-snapshot", "2", "--json", db=loaded, check=True).stdout
    )
    assert data["difference"] == 10_000_000 - 70_000_000
    assert data["unreconciled"] == 0
    by_name = {r["item_name"]: r for r in data["rows"]}
    assert by_name["재난 대비 장비 구입"]["status"] == "removed"
    assert by_name["군정 홍보\n(소식지 발간)"]["delta"] == 10_000_000
    latest = run_cli("tree", db=loaded, check=True)
    assert "using the latest 2026 snapshot of each government (2: 2026 현액 2026-09-01)" in latest.stderr
    refused = run_cli("tree", "--snapshot", "1", "--snapshot", "2", db=loaded)
    assert refused.returncode == 1 and "one snapshot per government" in refused.stderr


def test_search_ignores_spacing_and_points_to_the_item(loaded: Path) -> None:
    data = json.loads(run_cli("search", "청년일자리", "--json", db=loaded, check=True).stdout)
    assert data[0]["item_name"] == "청년 일자리 지원" and data[0]["budget"] == 300_000_000
    assert data[0]["row_no"] == 2
    text = run_cli("search", "경노당", db=loaded, check=True).stdout
    assert "경로당 난방비 지원" in text


def test_gov_takes_part_of_a_name_as_the_web_does(loaded: Path) -> None:
    data = json.loads(run_cli("tree", "--gov", "다라", "--json", db=loaded, check=True).stdout)
    assert data["total"]["budget"] == 45_000_000 + 70_000_000
    assert "다라군" in run_cli("top", "--gov", "다 라", db=loaded, check=True).stdout


def test_part_of_a_name_that_fits_several_governments_lists_them(loaded: Path) -> None:
    result = run_cli("tree", "--gov", "가나", db=loaded)
    assert result.returncode == 1
    assert (
        "several governments match '가나': 가나도 (4700000), 가나도 가나군 (4711000), 가나도 다라군 (4712000)"
        in result.stderr
    )


def test_search_takes_every_word_without_quotes(loaded: Path) -> None:
    hits = json.loads(run_cli("search", "경로당", "난방비", "--json", db=loaded, check=True).stdout)
    assert hits[0]["item_name"] == "경로당 난방비 지원"


def test_search_in_english_says_0_results_and_that_names_are_korean(loaded: Path) -> None:
    text = run_cli("search", "senior center", db=loaded, check=True).stdout
    assert "0 results for 'senior center'" in text and "item names are in Korean" in text
    assert "senior → 노인" in text.replace("시니어, ", "")  # the Korean words to try instead
    assert "government" not in text and "예산현액" not in text  # no table of nothing under it
    suggested = run_cli("search", "AI", db=loaded, check=True).stdout
    assert "0 results for 'AI'" in suggested and "AI → 인공지능" in suggested
