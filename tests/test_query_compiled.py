"""Queries compiled once per shape (yesan.query.compiled): the same answers as Ibis's own path, values bound right."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import ibis
import pytest

from yesan.query.compiled import arrow, cache_info, clear_cache, rows

ROWS = {
    "gov_code": ["4711000", "4711000", "4711000", "4712000", "4712000", "4713000"],
    "item_name": ["경로당 난방비", "청년 일자리", "O'Brien 사업", "군정 홍보", "경로당 보수", "도로 정비"],
    "budget": [100_000_000, 300_000_000, 5, 45_000_000, 5, 9_007_199_254_740_993],
    "spent": [10_000_000, 150_000_000, 6, 9_000_000, 5, 1],
}


@pytest.fixture
def items() -> Iterator[Any]:
    backend = ibis.duckdb.connect()
    backend.con.execute("CREATE TABLE items (gov_code VARCHAR, item_name VARCHAR, budget BIGINT, spent BIGINT)")
    backend.con.executemany("INSERT INTO items VALUES (?, ?, ?, ?)", list(zip(*ROWS.values(), strict=True)))
    clear_cache()
    yield backend.table("items")
    backend.disconnect()


def by_government(items: Any, gov: str) -> Any:
    selected = items.filter(items.gov_code == gov)
    return selected.group_by("gov_code").aggregate(budget=selected.budget.sum(), n=selected.count())


def test_a_question_asked_with_other_values_compiles_once_and_answers_for_its_own_values(items: Any) -> None:
    answers = {gov: arrow(by_government(items, gov)).to_pylist() for gov in ("4711000", "4712000", "4713000")}

    assert answers == {
        "4711000": [{"gov_code": "4711000", "budget": 400_000_005, "n": 3}],
        "4712000": [{"gov_code": "4712000", "budget": 45_000_005, "n": 2}],
        "4713000": [{"gov_code": "4713000", "budget": 9_007_199_254_740_993, "n": 1}],
    }
    assert cache_info() == {"shapes": 1, "hits": 2, "misses": 1}


def test_the_compiled_answer_is_the_plain_answer_with_the_same_types(items: Any) -> None:
    expr = by_government(items, "4711000")
    compiled = arrow(expr)

    assert compiled.equals(expr.to_pyarrow())
    assert compiled.schema == expr.to_pyarrow().schema


def test_a_value_equal_in_two_places_and_values_that_differ_are_each_bound_where_they_stand(items: Any) -> None:
    def rich(floor_budget: int, floor_spent: int) -> Any:
        chosen = items.filter((items.budget >= floor_budget) & (items.spent >= floor_spent))
        return chosen.select("item_name").order_by("item_name")

    for floors in [(5, 5), (5, 6), (6, 5), (100_000_000, 5), (5, 100_000_000)]:
        expr = rich(*floors)
        assert arrow(expr).to_pylist() == expr.to_pyarrow().to_pylist(), floors
    names = {floors: [r["item_name"] for r in arrow(rich(*floors)).to_pylist()] for floors in [(5, 5), (5, 6), (6, 5)]}
    assert names == {
        (5, 5): ["O'Brien 사업", "경로당 난방비", "경로당 보수", "군정 홍보", "청년 일자리"],
        (5, 6): ["O'Brien 사업", "경로당 난방비", "군정 홍보", "청년 일자리"],
        (6, 5): ["경로당 난방비", "군정 홍보", "청년 일자리"],
    }


def test_a_string_with_quotes_is_a_value_not_sql(items: Any) -> None:
    def named(name: str) -> Any:
        return items.filter(items.item_name == name).select("gov_code")

    assert arrow(named("O'Brien 사업")).to_pylist() == [{"gov_code": "4711000"}]
    assert arrow(named("x' OR '1'='1")).to_pylist() == []


def test_a_scalar_and_a_column_come_back_as_ibis_gives_them(items: Any) -> None:
    count = items.filter(items.budget > 1_000).count()
    column = items.filter(items.gov_code == "4712000").order_by("item_name").item_name

    assert arrow(count).as_py() == count.to_pyarrow().as_py() == 4
    assert arrow(column).to_pylist() == column.to_pyarrow().to_pylist() == ["경로당 보수", "군정 홍보"]


def test_pages_of_a_list_bind_the_filter_and_keep_their_own_limit_and_offset(items: Any) -> None:
    ordered = items.filter(items.budget >= 5).order_by([ibis.desc("budget"), "item_name"]).select("item_name")

    assert [r["item_name"] for r in arrow(ordered.limit(2)).to_pylist()] == ["도로 정비", "청년 일자리"]
    assert [r["item_name"] for r in arrow(ordered.limit(2, offset=2)).to_pylist()] == ["경로당 난방비", "군정 홍보"]


def test_an_expression_over_an_in_memory_table_runs_through_ibis_and_is_not_kept(items: Any) -> None:
    names = ibis.memtable({"gov_code": ["4712000"]})
    joined = items.join(names, "gov_code").select("item_name").order_by("item_name")

    assert arrow(joined).to_pylist() == [{"item_name": "경로당 보수"}, {"item_name": "군정 홍보"}]
    assert cache_info()["shapes"] == 0


def test_rows_are_the_values_of_the_arrow_answer_for_every_kind_of_column(items: Any) -> None:
    backend = ibis.get_backend(items)
    backend.con.execute(
        "CREATE TABLE kinds AS SELECT * FROM (VALUES "
        "(1, DATE '2026-07-05', TIMESTAMP '2026-07-05 09:30:00', 0.25, 12.5::DECIMAL(9, 4),"
        " 170141183460469231731687303715884105727::HUGEINT, true),"
        "(2, NULL, NULL, NULL, NULL, NULL, NULL)) t(k, day, loaded_at, share, pct, huge, ok)"
    )
    kinds = backend.table("kinds")
    wide = kinds.mutate(half=kinds.k * 0.5, ids=kinds.k.collect().over(), names=kinds.k.cast("string").collect().over())
    plain = wide.drop("pct", "huge")  # fetched as Python values; decimals and HUGEINT take the Arrow path
    for expr in (wide.order_by("k"), plain.order_by("k"), plain.filter(plain.k == 2), kinds.aggregate(n=kinds.count())):
        assert rows(expr) == expr.to_pyarrow().to_pylist()
    first = rows(plain.filter(plain.k == 1).select("half", "ids"))
    assert first == [{"half": 0.5, "ids": [1, 2]}]
    assert type(first[0]["half"]) is float  # DuckDB answers k * 0.5 as a DECIMAL; Ibis declares float64
