"""Drill-down through the query layer (Ibis over the store): totals, shares, filters, exactness."""

from __future__ import annotations

import csv
import gzip
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import SHARED, SMALL_BUDGET_TOTAL, run_cli
from yesan.errors import QueryError
from yesan.ingest.lofin365 import read_qwgjk
from yesan.query import Filters, drilldown, items_table, open_backend
from yesan.store import Store


@pytest.fixture
def items(small_csv: Path, db_path: Path) -> Iterator[Any]:
    with Store.open(db_path) as store:
        store.load([read_qwgjk(small_csv)])
    backend = open_backend(db_path)
    yield items_table(backend)
    backend.disconnect()


def test_fields_sum_to_the_whole_budget(items: Any) -> None:
    result = drilldown(items, "field")
    assert result.total.budget == SMALL_BUDGET_TOTAL
    assert [(r.key["field_name"], r.budget) for r in result.rows] == [
        ("환경", 1_400_000_000),
        ("사회복지", 420_000_000),
        ("공공질서및안전", 70_000_000),
        ("일반공공행정", 45_000_000),
    ]
    assert result.exact
    assert sum(r.share or 0 for r in result.rows) == pytest.approx(1.0)
    assert result.snapshot_ids == [1]


def test_sectors_of_one_field_with_execution_rates(items: Any) -> None:
    result = drilldown(items, "sector", Filters(field_name="환경"))
    rows = {r.key["sector_name"]: r for r in result.rows}
    assert rows["폐기물"].budget == 500_000_000
    assert rows["폐기물"].execution_rate == pytest.approx(410 / 500)
    assert rows["상하수도·수질"].execution_rate == 0.0
    assert result.total.budget == 1_400_000_000


def test_filters_narrow_by_government_account_and_funding(items: Any) -> None:
    assert drilldown(items, "item", Filters(gov_codes=("4712000",))).groups == 2
    assert drilldown(items, "item", Filters(account_type="기금")).total.budget == 70_000_000
    national = drilldown(items, "item", Filters(funding="national"))
    assert {r.key["item_name"] for r in national.rows} == {"경로당 난방비 지원", "하수관로 정비"}


def test_unknown_level_is_a_clear_error(items: Any) -> None:
    with pytest.raises(QueryError, match="unknown level 'town'"):
        drilldown(items, "town")


SHARED_CSV = SHARED / "data" / "lofin365" / "qwgjk_fyr2026_exe20260705.csv.gz"


@pytest.mark.skipif(not SHARED_CSV.exists(), reason="../shared/data/lofin365 is not here")
def test_bundled_field_totals_equal_a_recomputation_from_the_published_csv(tmp_path: Path) -> None:
    db = tmp_path / "demo.duckdb"
    run_cli("demo", db=db, check=True)
    expected: dict[str, int] = {}
    with gzip.open(SHARED_CSV, "rt", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["wa_laf_hg_nm"] == "전라남도":
                expected[row["fld_nm"]] = expected.get(row["fld_nm"], 0) + int(row["bdg_cash_amt"])
    backend = open_backend(db)
    try:
        result = drilldown(items_table(backend), "field", Filters(region="전라남도"))
    finally:
        backend.disconnect()
    assert {r.key["field_name"]: r.budget for r in result.rows} == expected
    assert result.exact
