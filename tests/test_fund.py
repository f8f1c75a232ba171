"""지방소멸대응기금 by year (GJSCS-derived figures): their own snapshots, compared by year, never summed with items."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import SMALL_BUDGET_TOTAL, SMALL_ROWS, run_cli
from yesan.ingest.fund import DATASET, read_fund
from yesan.store import Store

# Our own region table: 가나군 and 다라군 (the small QWGJK fixture's governments) and 마바군, which has no items.
REGIONS = (
    "laf_cd,sido,sigungu,census_code,designation,population_2024_census,"
    "local_extinction_fund_2024,local_extinction_fund_2025,local_extinction_fund_2026\n"
    "4711000,가나도,가나군,47110,감소,30000,0,8000000000,9000000000\n"
    "4712000,가나도,다라군,47120,관심,20000,2000000000,2500000000,2000000000\n"
    "4713000,가나도,마바군,47130,감소,10000,1000000000,1000000000,0\n"
)


@pytest.fixture
def regions(tmp_path: Path) -> Path:
    path = tmp_path / "regions.csv"
    path.write_text(REGIONS, encoding="utf-8")
    return path


@pytest.fixture
def loaded(db_path: Path, small_csv: Path, regions: Path) -> Path:
    run_cli("load", str(small_csv), db=db_path, check=True)
    with Store.open(db_path) as store:
        store.load(read_fund(regions, source_name="regions.csv"))
    return db_path


def test_each_year_is_one_snapshot_of_one_item_a_government_citing_its_row(regions: Path) -> None:
    batches = read_fund(regions, source_name="regions.csv")
    assert [b.dataset for b in batches] == [DATASET] * 3
    by_year = {b.items.column("fiscal_year")[0].as_py(): b.items.to_pylist() for b in batches}
    assert [(r["gov_code"], r["budget"], r["row_no"]) for r in by_year[2025]] == [
        ("4711000", 8_000_000_000, 1), ("4712000", 2_500_000_000, 2), ("4713000", 1_000_000_000, 3),
    ]  # fmt: skip
    # a 0 is not a figure: the table does not say whether it means "no allocation" or "no row"
    assert [r["gov_code"] for r in by_year[2024]] == ["4712000", "4713000"]
    assert {r["item_name"] for rows in by_year.values() for r in rows} == {"지방소멸대응기금"}
    assert all(b.source_file == "regions.csv" for b in batches)


def test_a_bad_amount_names_the_row_and_column(tmp_path: Path) -> None:
    from yesan.errors import LoadError

    bad = tmp_path / "bad.csv"
    bad.write_text(REGIONS.replace("2500000000", "25억"), encoding="utf-8")
    with pytest.raises(LoadError, match=r"row 2, column 'local_extinction_fund_2025', value '25억'"):
        read_fund(bad)


def test_the_figures_are_not_added_to_the_line_items(loaded: Path) -> None:
    info = json.loads(run_cli("info", "--json", db=loaded, check=True).stdout)
    assert info["totals"]["items"] == SMALL_ROWS
    assert [s["dataset"] for s in info["snapshots"]] == ["lofin365.QWGJK"]
    assert [(s["fiscal_year"], s["governments"]) for s in info["figure_snapshots"]] == [(2024, 2), (2025, 3), (2026, 2)]
    assert [g["name"] for g in info["governments_without_items"]] == ["마바군"]
    tree = json.loads(run_cli("tree", "--level", "government", "--json", db=loaded, check=True).stdout)
    assert tree["total"]["budget"] == SMALL_BUDGET_TOTAL and tree["snapshot_ids"] == [1]
    assert {r["gov_code"] for r in tree["rows"]} == {"4711000", "4712000"}


def test_compare_sets_two_years_of_the_figures_side_by_side(loaded: Path) -> None:
    result = run_cli("compare", "--dataset", DATASET, "--before-year", "2025", "--after-year", "2026",
                     "--level", "government", "--json", db=loaded, check=True)  # fmt: skip
    data = json.loads(result.stdout)
    assert data["total_before"] == 8_000_000_000 + 2_500_000_000 + 1_000_000_000
    assert data["total_after"] == 9_000_000_000 + 2_000_000_000
    assert data["unreconciled"] == 0
    rows = {r["gov_code"]: (r["status"], r["delta"]) for r in data["rows"]}
    assert rows == {
        "4711000": ("grown", 1_000_000_000),
        "4712000": ("cut", -500_000_000),
        "4713000": ("removed", -1_000_000_000),
    }


def test_a_figure_snapshot_is_not_compared_with_line_items(loaded: Path) -> None:
    result = run_cli("compare", "--before-snapshot", "3", "--after-snapshot", "1", db=loaded)
    assert result.returncode == 1
    assert "figures by government" in result.stderr and "one dataset" in result.stderr


def test_an_unknown_dataset_names_the_ones_there_are(loaded: Path) -> None:
    result = run_cli("compare", "--dataset", "lofin365.XYZ", "--before-year", "2025", "--after-year", "2026",
                     db=loaded)  # fmt: skip
    assert result.returncode == 1
    assert "lofin365.GJSCS, lofin365.QWGJK" in result.stderr


def test_the_web_compare_page_compares_two_years_with_their_source(loaded: Path) -> None:
    from serving import serving

    with serving(loaded) as client:
        data = client.get("/compare.json", params={"before": 3, "after": 4, "level": "government"}).json()
        home = client.get("/", params={"lang": "en"})
        mixed = client.get("/compare.json", params={"before": 3, "after": 1})
    result = data["result"]
    assert (result["total_before"], result["total_after"]) == (11_500_000_000, 11_000_000_000)
    assert result["after"]["snapshot"]["dataset"] == DATASET
    assert "GJSCS" in result["after"]["snapshot"]["description"]
    assert home.status_code == 200 and "지방소멸대응기금" not in home.text  # the home page shows line items
    assert mixed.status_code == 400 and "same dataset" in mixed.text
