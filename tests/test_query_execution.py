"""Execution rates (지출액 / 예산현액) by item and level, lowest/highest executors, and the trend over snapshots."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import SMALL_QWGJK, run_cli
from yesan.errors import QueryError
from yesan.ingest.lofin365 import read_qwgjk
from yesan.query import Filters, open_backend, tables
from yesan.query.execution import execution, execution_trend
from yesan.store import Store

HEADER = SMALL_QWGJK.read_text(encoding="utf-8").splitlines()[0].split(",")

# gov code, gov name, field, item code, item name, budget, spent in March, spent in June
ITEMS = [
    ("4711000", "가나군", "사회복지", "A01", "경로당 난방비 지원", 100_000_000, 10_000_000, 60_000_000),
    ("4711000", "가나군", "사회복지", "A02", "청년 일자리 지원", 300_000_000, 150_000_000, 240_000_000),
    ("4711000", "가나군", "환경", "A03", "생활폐기물 수거", 500_000_000, 500_000_000, 500_000_000),
    ("4711000", "가나군", "환경", "A04", "작은 사업", 1_000_000, 0, 0),
    ("4712000", "다라군", "일반공공행정", "B11", "군정 홍보", 45_000_000, 9_000_000, 30_000_000),
    ("4712000", "다라군", "일반공공행정", "B12", "예산 없는 사업", 0, 0, 0),
]


def write_snapshot(path: Path, fyr: int, exe: str, spent_index: int) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for code, gov, field, item_code, name, budget, *spent in ITEMS:
            writer.writerow(
                [
                    fyr,
                    exe,
                    "가나도",
                    code,
                    gov,
                    "일반회계",
                    field,
                    "",
                    item_code,
                    name,
                    budget,
                    0,
                    0,
                    budget,
                    0,
                    spent[spent_index],
                    budget,
                ]
            )
    return path


@pytest.fixture
def items(tmp_path: Path, db_path: Path) -> Iterator[Any]:
    with Store.open(db_path) as store:
        store.load([read_qwgjk(write_snapshot(tmp_path / "june.csv", 2026, "20260630", 1))])  # snapshot 1
        store.load([read_qwgjk(write_snapshot(tmp_path / "march.csv", 2026, "20260331", 0))])  # snapshot 2
        store.load([read_qwgjk(write_snapshot(tmp_path / "last.csv", 2025, "20251231", 1))])  # snapshot 3
    backend = open_backend(db_path)
    yield tables(backend).items
    backend.disconnect()


MARCH = Filters(snapshot_ids=(2,))


def names(rows: Any) -> list[str]:
    return [r.key["item_name"] for r in rows]


def test_item_rates_and_lowest_and_highest_executors(items: Any) -> None:
    result = execution(items, MARCH, top=3)
    rates = {r.key["item_name"]: r.rate for r in result.rows}
    assert rates["경로당 난방비 지원"] == pytest.approx(0.1)
    assert rates["생활폐기물 수거"] == 1.0 and rates["예산 없는 사업"] is None
    assert names(result.lowest) == ["작은 사업", "경로당 난방비 지원", "군정 홍보"]
    assert names(result.highest) == ["생활폐기물 수거", "청년 일자리 지원", "군정 홍보"]
    assert (result.total.budget, result.total.spent, result.total.items) == (946_000_000, 669_000_000, 6)
    assert result.snapshot_ids == (2,)


def test_min_budget_keeps_tiny_items_out_of_the_ranking(items: Any) -> None:
    result = execution(items, MARCH, min_budget=10_000_000)
    assert names(result.lowest) == ["경로당 난방비 지원", "군정 홍보", "청년 일자리 지원", "생활폐기물 수거"]
    assert len(result.rows) == 6


def test_rates_at_government_level(items: Any) -> None:
    result = execution(items, MARCH, level="government")
    assert [(r.key["gov_name"], r.budget, r.spent) for r in result.rows] == [
        ("가나군", 901_000_000, 660_000_000),
        ("다라군", 45_000_000, 9_000_000),
    ]
    assert result.lowest[0].key["gov_name"] == "다라군"


def test_trend_over_snapshots_of_one_year_is_in_date_order(items: Any) -> None:
    trend = execution_trend(items, Filters(fiscal_year=2026), level="government")
    assert trend.fiscal_year == 2026
    assert [(p.exe_ymd, p.snapshot_id, p.spent) for p in trend.points] == [
        (dt.date(2026, 3, 31), 2, 669_000_000),
        (dt.date(2026, 6, 30), 1, 830_000_000),
    ]
    assert trend.points[1].rate == pytest.approx(830 / 946)
    assert [s.key["gov_name"] for s in trend.series] == ["가나군", "다라군"]
    assert [p.spent for p in trend.series[1].points] == [9_000_000, 30_000_000]


def test_without_a_snapshot_the_latest_of_each_government_is_used(items: Any) -> None:
    latest = execution(items, Filters(fiscal_year=2026))
    assert latest.snapshot_ids == (1,)  # exe_ymd 2026-06-30 is later than snapshot 2's 2026-03-31
    assert latest.total.spent == 830_000_000


def test_groups_of_one_snapshot_add_up_to_the_total_of_its_items(items: Any) -> None:
    by_government = execution(items, MARCH, level="government")
    by_item = execution(items, MARCH, level="item")

    totals = [(r.total.budget, r.total.spent, r.total.items) for r in (by_government, by_item)]
    assert totals == [(946_000_000, 669_000_000, 6)] * 2
    assert by_government.snapshot_ids == (2,) and by_government.row_count == 2 and by_government.note is None


def test_groups_over_several_snapshots_of_a_government_count_its_latest_once(items: Any) -> None:
    latest = execution(items, Filters(fiscal_year=2026), level="government")

    assert latest.snapshot_ids == (1,) and latest.note is not None
    assert (latest.total.budget, latest.total.spent, latest.total.items) == (946_000_000, 830_000_000, 6)
    assert [(r.key["gov_name"], r.spent) for r in latest.rows] == [("가나군", 800_000_000), ("다라군", 30_000_000)]


def test_bad_arguments_are_clear_errors(items: Any) -> None:
    with pytest.raises(QueryError, match="one fiscal year, but the selection holds 2025, 2026"):
        execution_trend(items)
    with pytest.raises(QueryError, match="one snapshot per government"):
        execution(items, Filters(snapshot_ids=(1, 2)))
    with pytest.raises(QueryError, match="unknown level"):
        execution(items, MARCH, level="town")
    with pytest.raises(QueryError, match="min_budget must be zero or more"):
        execution(items, MARCH, min_budget=-1)


@pytest.fixture(scope="module")
def demo_items(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    db = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    run_cli("demo", db=db, check=True)
    backend = open_backend(db)
    yield tables(backend).items
    backend.disconnect()


def test_bundled_execution_by_government(demo_items: Any) -> None:
    result = execution(demo_items, level="government", min_budget=100_000_000_000, top=5)
    assert len(result.rows) == 106
    assert sum(r.budget for r in result.rows) == result.total.budget == 113_536_525_211_692
    assert sum(r.spent for r in result.rows) == result.total.spent
    lowest = [r.rate or 0 for r in result.lowest]
    assert lowest == sorted(lowest) and all(r.budget >= 100_000_000_000 for r in result.lowest)
    trend = execution_trend(demo_items)
    assert [p.exe_ymd for p in trend.points] == [dt.date(2026, 7, 5)]
    assert trend.points[0].spent == result.total.spent
