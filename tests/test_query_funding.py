"""Funding mix through the query layer: amounts and shares per level, rows whose sources don't add up."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import SMALL_QWGJK, run_cli
from yesan.errors import QueryError
from yesan.ingest.lofin365 import read_qwgjk
from yesan.query import Filters, open_backend, tables
from yesan.query.funding import funding_mix
from yesan.store import Store

HEADER = SMALL_QWGJK.read_text(encoding="utf-8").splitlines()[0].split(",")

# gov code, gov name, field, item code, budget, 국비, 시도비, 시군구비, 기타 ("" = missing)
ROWS: list[tuple[Any, ...]] = [
    ("4711000", "가나군", "사회복지", "A01", 120_000_000, 60_000_000, 30_000_000, 30_000_000, 0),
    ("4711000", "가나군", "사회복지", "A02", 300_000_000, 0, 100_000_000, 200_000_000, 0),
    ("4711000", "가나군", "환경", "A03", 500_000_000, 0, 0, 490_000_000, 0),  # 10M short
    ("4711000", "가나군", "환경", "A04", 100_000_000, 0, 0, 110_000_000, 0),  # 10M over
    ("4712000", "다라군", "일반공공행정", "B11", 45_000_000, "", "", 45_000_000, ""),  # sources missing
    ("4712000", "다라군", "일반공공행정", "B12", 0, 0, 0, 0, 0),
]


@pytest.fixture
def items(tmp_path: Path, db_path: Path) -> Iterator[Any]:
    path = tmp_path / "funding.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for code, gov, field, item_code, budget, *sources in ROWS:
            writer.writerow(
                [
                    2026,
                    "20260705",
                    "가나도",
                    code,
                    gov,
                    "일반회계",
                    field,
                    "",
                    item_code,
                    f"사업 {item_code}",
                    budget,
                    *sources,
                    0,
                    budget,
                ]
            )
    with Store.open(db_path) as store:
        store.load([read_qwgjk(path)])
    backend = open_backend(db_path)
    yield tables(backend).items
    backend.disconnect()


def test_amounts_and_shares_per_government(items: Any) -> None:
    result = funding_mix(items)
    gana, dara = result.rows
    assert gana.key == {"gov_code": "4711000", "gov_name": "가나군"}
    assert gana.budget == 1_020_000_000
    assert gana.funding == {
        "national": 60_000_000,
        "provincial": 130_000_000,
        "municipal": 830_000_000,
        "other": 0,
    }
    assert gana.shares["national"] == pytest.approx(60 / 1020)
    assert sum(s or 0 for s in gana.shares.values()) == pytest.approx(1.0)
    assert gana.gap == 0 and gana.items_unbalanced == 2 and not gana.balanced
    assert dara.items_incomplete == 1 and dara.gap == 0 and dara.balanced
    assert result.total.budget == 1_065_000_000 and result.groups == 2


def test_rows_whose_sources_do_not_add_up_are_flagged(items: Any) -> None:
    result = funding_mix(items, level="item", sort="gap")
    assert [(r.key["item_code"], r.gap) for r in result.flagged] == [("A03", 10_000_000), ("A04", -10_000_000)]
    assert [r.key["item_code"] for r in result.rows[:2]] == ["A03", "A04"]
    fields = funding_mix(items, level="field")
    assert [r.key["field_name"] for r in fields.flagged] == ["환경"]  # sums cancel, items do not
    assert not fields.balanced
    zero = next(r for r in result.rows if r.key["item_code"] == "B12")
    assert zero.shares == {"national": None, "provincial": None, "municipal": None, "other": None}


def test_sort_by_a_source_share_and_limit(items: Any) -> None:
    result = funding_mix(items, Filters(gov_codes=("4711000",)), level="item", sort="national", limit=2)
    assert [r.key["item_code"] for r in result.rows] == ["A01", "A02"]
    assert result.groups == 4


def test_bad_arguments_are_clear_errors(items: Any) -> None:
    with pytest.raises(QueryError, match="unknown sort 'share'"):
        funding_mix(items, sort="share")
    with pytest.raises(QueryError, match="unknown level"):
        funding_mix(items, level="town")


@pytest.fixture(scope="module")
def demo_items(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    db = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    run_cli("demo", db=db, check=True)
    backend = open_backend(db)
    yield tables(backend).items
    backend.disconnect()


def test_bundled_funding_adds_up_per_region(demo_items: Any) -> None:
    result = funding_mix(demo_items, level="region")
    assert result.balanced and not result.flagged
    assert sum(r.budget for r in result.rows) == result.total.budget == 113_536_525_211_692
    for row in result.rows:
        assert sum(row.funding.values()) == row.budget
