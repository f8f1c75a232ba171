"""Compare two selections through the query layer: item matching by code then by name, statuses, reconciliation."""

from __future__ import annotations

import csv
import importlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import SMALL_QWGJK, run_cli
from yesan.errors import QueryError
from yesan.ingest.lofin365 import read_qwgjk
from yesan.query import Filters, open_backend, tables
from yesan.query.compare import compare, normalize_item_name
from yesan.store import Store

HEADER = SMALL_QWGJK.read_text(encoding="utf-8").splitlines()[0].split(",")

# fyr, exe_ymd, gov code, gov name, account, field, code, name, budget
BEFORE = [
    (2025, "20251231", "4711000", "가나군", "일반회계", "사회복지", "A01", "경로당 난방비 지원", 100_000_000),
    (2025, "20251231", "4711000", "가나군", "일반회계", "사회복지", "A02", "청년 일자리 지원", 300_000_000),
    (2025, "20251231", "4711000", "가나군", "일반회계", "환경", "A03", "생활폐기물 수거, 운반", 500_000_000),
    (2025, "20251231", "4711000", "가나군", "수질개선특별회계", "환경", "A04", "하수관로 정비", 0),
    (2025, "20251231", "4712000", "다라군", "일반회계", "일반공공행정", "B11", "군정 홍보(소식지 발간)", 45_000_000),
    (2025, "20251231", "4712000", "다라군", "일반회계", "일반공공행정", "B12", "폐지될 사업", 10_000_000),
]
AFTER = [
    (2026, "20260705", "4711000", "가나군", "일반회계", "사회복지", "A01", "경로당 난방비 지원", 120_000_000),
    (2026, "20260705", "4711000", "가나군", "일반회계", "사회복지", "A02", "청년 일자리 지원", 300_000_000),
    (2026, "20260705", "4711000", "가나군", "일반회계", "환경", "A93", "생활폐기물 수거·운반", 450_000_000),
    (2026, "20260705", "4711000", "가나군", "수질개선특별회계", "환경", "A04", "하수관로 정비", 900_000_000),
    (2026, "20260705", "4712000", "다라군", "일반회계", "일반공공행정", "B21", "군정 홍보 (소식지발간)", 45_000_000),
    (2026, "20260705", "4712000", "다라군", "일반회계", "일반공공행정", "B22", "신규 사업", 70_000_000),
]


def write_qwgjk(path: Path, rows: list[tuple[Any, ...]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for fyr, exe, code, gov, account, field, item_code, name, budget in rows:
            writer.writerow(
                [fyr, exe, "가나도", code, gov, account, field, "", item_code, name, budget, 0, 0, budget, 0, 0, budget]
            )
    return path


@pytest.fixture
def items(tmp_path: Path, db_path: Path) -> Iterator[Any]:
    with Store.open(db_path) as store:
        store.load([read_qwgjk(write_qwgjk(tmp_path / "before.csv", BEFORE))])
        store.load([read_qwgjk(write_qwgjk(tmp_path / "after.csv", AFTER))])
    backend = open_backend(db_path)
    yield tables(backend).items
    backend.disconnect()


def by_name(result: Any) -> dict[str, Any]:
    return {r.key["item_name"]: r for r in result.rows}


def test_items_are_matched_by_code_then_by_normalized_name(items: Any) -> None:
    result = compare(items, Filters(fiscal_year=2025), Filters(fiscal_year=2026))
    rows = by_name(result)
    assert (rows["경로당 난방비 지원"].status, rows["경로당 난방비 지원"].match) == ("grown", "code")
    assert rows["경로당 난방비 지원"].delta == 20_000_000
    assert rows["경로당 난방비 지원"].delta_pct == pytest.approx(20.0)
    assert (rows["청년 일자리 지원"].status, rows["청년 일자리 지원"].delta) == ("unchanged", 0)
    waste = rows["생활폐기물 수거·운반"]
    assert (waste.status, waste.match, waste.delta, waste.delta_pct) == ("cut", "name", -50_000_000, -10.0)
    assert waste.before_key is not None and waste.before_key["item_code"] == "A03"
    assert waste.after_key is not None and waste.after_key["item_code"] == "A93"
    sewer = rows["하수관로 정비"]
    assert (sewer.status, sewer.match, sewer.delta, sewer.delta_pct) == ("grown", "code", 900_000_000, None)
    promo = rows["군정 홍보 (소식지발간)"]
    assert (promo.status, promo.match) == ("unchanged", "name")
    assert (rows["신규 사업"].status, rows["신규 사업"].match, rows["신규 사업"].before) == ("new", None, 0)
    assert (rows["폐지될 사업"].status, rows["폐지될 사업"].delta) == ("removed", -10_000_000)
    assert result.counts == {"new": 1, "removed": 1, "grown": 2, "cut": 1, "unchanged": 2}
    assert result.matched_by == {"code": 3, "name": 2}


def test_totals_reconcile_exactly_and_movers_are_split(items: Any) -> None:
    result = compare(items, Filters(fiscal_year=2025), Filters(fiscal_year=2026), top=2)
    assert (result.total_before, result.total_after) == (955_000_000, 1_885_000_000)
    assert sum(r.delta for r in result.rows) == result.difference == 930_000_000
    assert result.exact and result.unreconciled == 0
    assert [r.key["item_name"] for r in result.increases] == ["하수관로 정비", "신규 사업"]
    assert [r.key["item_name"] for r in result.cuts] == ["생활폐기물 수거·운반", "폐지될 사업"]


def test_asked_for_no_movers_a_comparison_still_reconciles_its_totals(items: Any) -> None:
    """The explore page asks ``top=0``: only the change of the total, no increases or cuts."""
    result = compare(items, Filters(fiscal_year=2025), Filters(fiscal_year=2026), top=0)
    assert (result.total_before, result.total_after, result.difference) == (955_000_000, 1_885_000_000, 930_000_000)
    assert not result.increases and not result.cuts and len(result.rows) > 0


def test_compare_at_government_and_field_levels(items: Any) -> None:
    governments = compare(items, Filters(fiscal_year=2025), Filters(fiscal_year=2026), level="government")
    rows = {r.key["gov_name"]: r for r in governments.rows}
    assert (rows["가나군"].before, rows["가나군"].after, rows["가나군"].match) == (900_000_000, 1_770_000_000, "key")
    assert (rows["다라군"].delta, rows["다라군"].status) == (60_000_000, "grown")
    assert governments.exact
    fields = compare(items, Filters(fiscal_year=2025), Filters(fiscal_year=2026), level="field", amount="municipal")
    assert {r.key["field_name"]: r.delta for r in fields.rows} == {
        "사회복지": 20_000_000,
        "환경": 850_000_000,
        "일반공공행정": 60_000_000,
    }
    assert fields.exact


def test_one_side_empty_makes_everything_new(items: Any) -> None:
    result = compare(items, Filters(fiscal_year=2024), Filters(fiscal_year=2026))
    assert result.counts["new"] == 6 and result.total_before == 0 and result.exact


def test_bad_arguments_are_clear_errors(items: Any) -> None:
    with pytest.raises(QueryError, match="unknown level 'town'"):
        compare(items, Filters(), Filters(), level="town")
    with pytest.raises(QueryError, match="unknown amount"):
        compare(items, Filters(), Filters(), amount="bugdet")
    with pytest.raises(QueryError, match="one snapshot per government"):
        compare(items, Filters(snapshot_ids=(1, 2)), Filters(fiscal_year=2026))


def test_normalize_item_name() -> None:
    assert (
        normalize_item_name("군정 홍보\n(소식지 발간)")
        == normalize_item_name("군정홍보 - 소식지발간")
        == "군정홍보소식지발간"
    )
    assert normalize_item_name("생활폐기물 수거, 운반") == normalize_item_name("생활폐기물 수거·운반")


@pytest.fixture(scope="module")
def demo_items(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    db = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    run_cli("demo", db=db, check=True)
    backend = open_backend(db)
    yield tables(backend).items
    backend.disconnect()


def test_bundled_snapshot_compared_with_itself_is_all_unchanged(demo_items: Any) -> None:
    result = compare(demo_items, Filters(region="전라남도"), Filters(region="전라남도"), top=3)
    assert result.counts["unchanged"] == len(result.rows) > 10_000
    assert result.matched_by == {"code": len(result.rows)}
    assert result.exact and result.difference == 0 and not result.increases
    one_gov = compare(demo_items, Filters(region="전라남도"), Filters(gov_codes=("4671000",)), level="government")
    assert one_gov.exact and one_gov.counts["unchanged"] == 1 and one_gov.counts["removed"] == len(one_gov.rows) - 1 > 1


# Tricky cases, with the answer the item matcher gave before it moved into one SQL statement (issue 20): two items
# of one name, a rename with a new code, one code in two accounts, a duplicate code (summed, the larger name
# kept), items without a code matched by name, one name in another account (not a match), items on one side only.
GENERAL, WATER = "일반회계", "상수도특별회계"
OLD = (2025, "20251231")
NEW = (2026, "20260705")
TRICKY_BEFORE = [
    (*OLD, "4711000", "가나군", GENERAL, "환경", "C01", "하천 정비", 100),
    (*OLD, "4711000", "가나군", GENERAL, "환경", "C02", "하천 정비", 40),  # same name, other code
    (*OLD, "4711000", "가나군", GENERAL, "환경", "C03", "공원 관리", 70),  # renamed and recoded
    (*OLD, "4711000", "가나군", WATER, "환경", "C03", "공원 관리", 5),  # same code in another account
    (*OLD, "4711000", "가나군", GENERAL, "복지", "C05", "경로 식당", 30),
    (*OLD, "4711000", "가나군", GENERAL, "복지", "C05", "경로 식당(추가)", 12),  # duplicate code: summed
    (*OLD, "4711000", "가나군", GENERAL, "복지", "", "이름만 사업", 8),  # no code
    (*OLD, "4711000", "가나군", GENERAL, "복지", "", "이름만-사업", 2),  # no code, same normalized name
    (*OLD, "4711000", "가나군", GENERAL, "복지", "C07", "없어질 사업", 9),
    (*OLD, "4712000", "다라군", GENERAL, "환경", "C01", "하천 정비", 60),  # same code elsewhere
    (*OLD, "4712000", "다라군", GENERAL, "환경", "D09", "도로 보수", 0),
]
TRICKY_AFTER = [
    (*NEW, "4711000", "가나군", GENERAL, "환경", "C01", "하천 정비", 110),
    (*NEW, "4711000", "가나군", GENERAL, "환경", "C12", "하천 정비", 30),  # C02's name, new code
    (*NEW, "4711000", "가나군", GENERAL, "환경", "C13", "공원관리", 80),  # C03 renamed by spacing, recoded
    (*NEW, "4711000", "가나군", WATER, "환경", "C03", "공원 관리 사업", 6),  # code matches across a rename
    (*NEW, "4711000", "가나군", GENERAL, "복지", "C05", "경로 식당", 50),
    (*NEW, "4711000", "가나군", GENERAL, "복지", "", "이름만 사업", 11),
    (*NEW, "4711000", "가나군", GENERAL, "복지", "C08", "새 사업", 4),
    (*NEW, "4711000", "가나군", WATER, "복지", "C09", "하천 정비", 3),  # same name, other account: not a match
    (*NEW, "4712000", "다라군", GENERAL, "환경", "C01", "하천 정비", 60),
    (*NEW, "4712000", "다라군", GENERAL, "환경", "D19", "도로-보수", 0),
]


def _item(key: dict[str, Any] | None) -> tuple[Any, ...] | None:
    return None if key is None else (key["gov_code"], key["account"], key["item_code"], key["item_name"])


@pytest.mark.parametrize("matched", ["here", "in the backend"])
def test_tricky_items_keep_the_answer_they_had(
    tmp_path: Path, db_path: Path, matched: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if matched == "in the backend":  # as for selections too large to fetch
        monkeypatch.setattr(importlib.import_module("yesan.query.compare"), "LOCAL_ITEMS", 0)
    with Store.open(db_path) as store:
        store.load([read_qwgjk(write_qwgjk(tmp_path / "before.csv", TRICKY_BEFORE))])
        store.load([read_qwgjk(write_qwgjk(tmp_path / "after.csv", TRICKY_AFTER))])
    backend = open_backend(db_path)
    try:
        result = compare(tables(backend).items, Filters(fiscal_year=2025), Filters(fiscal_year=2026), top=3)
    finally:
        backend.disconnect()
    rows = [(_item(r.before_key), _item(r.after_key), r.before, r.after, r.status, r.match) for r in result.rows]
    assert rows == [
        (
            ("4711000", "일반회계", "C01", "하천 정비"),
            ("4711000", "일반회계", "C01", "하천 정비"),
            100,
            110,
            "grown",
            "code",
        ),
        (
            ("4711000", "일반회계", "C02", "하천 정비"),
            ("4711000", "일반회계", "C12", "하천 정비"),
            40,
            30,
            "cut",
            "name",
        ),
        (
            ("4711000", "일반회계", "C03", "공원 관리"),
            ("4711000", "일반회계", "C13", "공원관리"),
            70,
            80,
            "grown",
            "name",
        ),
        (("4711000", "일반회계", "C07", "없어질 사업"), None, 9, 0, "removed", None),
        (
            ("4711000", "일반회계", "C05", "경로 식당(추가)"),
            ("4711000", "일반회계", "C05", "경로 식당"),
            42,
            50,
            "grown",
            "code",
        ),
        (None, ("4711000", "일반회계", "C08", "새 사업"), 0, 4, "new", None),
        (None, ("4711000", "상수도특별회계", "C09", "하천 정비"), 0, 3, "new", None),
        (
            ("4711000", "상수도특별회계", "C03", "공원 관리"),
            ("4711000", "상수도특별회계", "C03", "공원 관리 사업"),
            5,
            6,
            "grown",
            "code",
        ),
        (
            ("4711000", "일반회계", None, "이름만-사업"),
            ("4711000", "일반회계", None, "이름만 사업"),
            10,
            11,
            "grown",
            "name",
        ),
        (
            ("4712000", "일반회계", "C01", "하천 정비"),
            ("4712000", "일반회계", "C01", "하천 정비"),
            60,
            60,
            "unchanged",
            "code",
        ),
        (
            ("4712000", "일반회계", "D09", "도로 보수"),
            ("4712000", "일반회계", "D19", "도로-보수"),
            0,
            0,
            "unchanged",
            "name",
        ),
    ]
    assert [r.key == (r.after_key or r.before_key) for r in result.rows] == [True] * len(rows)
    assert (result.total_before, result.total_after, result.exact) == (336, 354, True)
    assert result.counts == {"new": 2, "removed": 1, "grown": 5, "cut": 1, "unchanged": 2}
    assert result.matched_by == {"code": 4, "name": 4}
    assert [_item(r.key) for r in result.increases] == [
        ("4711000", "일반회계", "C01", "하천 정비"),
        ("4711000", "일반회계", "C13", "공원관리"),
        ("4711000", "일반회계", "C05", "경로 식당"),
    ]
    assert [_item(r.key) for r in result.cuts] == [
        ("4711000", "일반회계", "C12", "하천 정비"),
        ("4711000", "일반회계", "C07", "없어질 사업"),
    ]
    assert (result.before_snapshot_ids, result.after_snapshot_ids, result.notes) == ((1,), (2,), ())
