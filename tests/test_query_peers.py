"""Amounts per resident (with the population's year and source) and peer groups: rank and peer median."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from conftest import SMALL_QWGJK, run_cli
from yesan.errors import QueryError
from yesan.ingest.lofin365 import read_qwgjk
from yesan.ingest.population import read_population
from yesan.query import Filters, open_backend, tables
from yesan.query.peers import government_type, peers, per_resident, population_band
from yesan.store import Store

HEADER = SMALL_QWGJK.read_text(encoding="utf-8").splitlines()[0].split(",")

# 광역, gov code, gov name, field, budget
ITEMS = [
    ("가나도", "4711000", "가나군", "사회복지", 60_000_000),
    ("가나도", "4711000", "가나군", "환경", 40_000_000),
    ("가나도", "4712000", "다라군", "사회복지", 200_000_000),
    ("가나도", "4713000", "마바군", "사회복지", 200_000_000),
    ("가나도", "4714000", "사아시", "사회복지", 3_000_000_000),
    ("가나도", "4715000", "자차시", "사회복지", 1_000_000_000),
    ("마바도", "4811000", "카타군", "사회복지", 100_000_000),
    ("마바도", "4812000", "파하군", "사회복지", 10_000_000),
]
SOURCE = "2024 인구총조사 (test)"
POPULATION = """gov_code,year,population,source
4711000,2024,20000,2024 인구총조사 (test)
4711000,2020,25000,2020 인구총조사 (test)
4712000,2024,25000,2024 인구총조사 (test)
4713000,2024,40000,2024 인구총조사 (test)
4714000,2024,150000,2024 인구총조사 (test)
4715000,2024,90000,2024 인구총조사 (test)
4811000,2024,10000,2024 인구총조사 (test)
"""


@pytest.fixture
def t(tmp_path: Path, db_path: Path) -> Iterator[Any]:
    path = tmp_path / "items.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for number, (region, code, gov, field, budget) in enumerate(ITEMS):
            writer.writerow(
                [
                    2026,
                    "20260705",
                    region,
                    code,
                    gov,
                    "일반회계",
                    field,
                    "",
                    f"C{number}",
                    f"사업 {number}",
                    budget,
                    0,
                    0,
                    budget,
                    0,
                    0,
                    budget,
                ]
            )
    population_csv = tmp_path / "population.csv"
    population_csv.write_text(POPULATION, encoding="utf-8")
    population = read_population(population_csv)
    with Store.open(db_path) as store:
        store.load([read_qwgjk(path)])
        store.load_population(
            population.population, population.governments, source_file="population.csv", sha256=population.sha256
        )
    backend = open_backend(db_path)
    yield tables(backend)
    backend.disconnect()


def test_budget_per_resident_cites_population_year_and_source(t: Any) -> None:
    report = per_resident(t)
    rows = {r.gov_name: r for r in report.rows}
    gana = rows["가나군"]
    assert (gana.per_resident, gana.numerator, gana.denominator) == (5_000, 100_000_000, 20_000)
    assert (gana.population_year, gana.population_source, gana.band, gana.gov_type) == (2024, SOURCE, "<30k", "군")
    jacha = rows["자차시"]
    assert (jacha.per_resident, jacha.exact) == (11_111, Fraction(1_000_000_000, 90_000))
    assert report.rows[0].gov_name == "사아시" and report.rows[-1].gov_name == "파하군"
    assert rows["파하군"].per_resident is None and report.without_population == ("4812000",)
    assert report.measure == "budget per resident"


def test_a_field_per_resident_and_an_earlier_population_year(t: Any) -> None:
    report = per_resident(t, field_name="환경")
    rows = {r.gov_name: r for r in report.rows}
    assert rows["가나군"].per_resident == 2_000 and rows["다라군"].per_resident == 0
    assert report.measure == "환경 budget per resident"
    old = {r.gov_name: r for r in per_resident(t, year=2020).rows}
    assert (old["가나군"].population, old["가나군"].population_year, old["가나군"].per_resident) == (
        25_000,
        2020,
        4_000,
    )
    assert old["다라군"].population is None


def test_peers_of_the_same_type_region_and_band(t: Any) -> None:
    by_type = peers(t, "4711000", group="type")
    assert (by_type.group_value, by_type.rank, by_type.group_size) == ("군", 3, 4)
    assert [p.gov_name for p in by_type.peers] == ["카타군", "다라군", "마바군"]
    assert by_type.median == 8_000 and by_type.without_population == ("4812000",)
    by_region = peers(t, "4711000", group="region")
    assert (by_region.group_value, by_region.rank) == ("가나도", 4)
    assert by_region.median == Fraction(8_000 + Fraction(100_000, 9), 2)
    assert by_region.median_per_resident == 9_555
    by_band = peers(t, "4711000", group="band")
    assert (by_band.group_value, by_band.median, by_band.rank) == ("<30k", 9_000, 3)


def test_bad_arguments_are_clear_errors(t: Any) -> None:
    with pytest.raises(QueryError, match="unknown peer group 'size'"):
        peers(t, "4711000", group="size")
    with pytest.raises(QueryError, match="has no items in the selection"):
        peers(t, "9999999")
    with pytest.raises(QueryError, match=r"파하군 \(4812000\) has no population figure"):
        peers(t, "4812000")
    with pytest.raises(QueryError, match="unknown amount"):
        per_resident(t, amount="money")


def test_bands_and_types() -> None:
    assert [population_band(n) for n in (0, 29_999, 30_000, 99_999, 100_000, 299_999, 300_000)] == [
        "<30k",
        "<30k",
        "30–50k",
        "50–100k",
        "100–300k",
        "100–300k",
        "≥300k",
    ]
    assert [government_type(n) for n in ("수원시", "양평군", "중구", "세종특별자치시")] == ["시", "군", "구", "시"]
    assert government_type("경기도", "광역") == "광역" and government_type("경기도") is None


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    db = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    run_cli("demo", db=db, check=True)
    backend = open_backend(db)
    yield tables(backend)
    backend.disconnect()


def test_bundled_per_resident_and_peers(demo: Any) -> None:
    report = per_resident(demo, Filters(region="전라남도"))
    assert report.rows and not report.without_population
    for row in report.rows:
        assert row.population_year == 2024 and row.population_source and "인구총조사" in row.population_source
        assert row.per_resident == row.amount // (row.population or 1)
    subject = report.rows[0]
    comparison = peers(demo, subject.gov_code, group="region")
    assert comparison.rank == 1 and comparison.group_value == "전라남도"
    assert comparison.group_size == len(report.rows)
    by_type = peers(demo, subject.gov_code, group="type", field_name="사회복지")
    assert 1 <= by_type.rank <= by_type.group_size and by_type.median > 0
