"""Expressions built over a selection and compiled once (query.compiled.rows_over): build's answer per selection."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import ibis
import pytest

from yesan.query.compiled import clear_cache, rows_over, table_over

BUILT: list[tuple[str, ...]] = []


def with_names(selected: Any, names: Any) -> Any:
    """Items joined to a table of government names, largest budget first."""
    BUILT.append(tuple(selected.columns))
    return selected.join(names, "gov_code").select("gov_name", "item", "budget").order_by(ibis.desc("budget"))


def connect(names: list[tuple[str, str]]) -> Any:
    backend = ibis.duckdb.connect()
    backend.con.execute("CREATE TABLE items (gov_code VARCHAR, item VARCHAR, budget BIGINT)")
    backend.con.executemany(
        "INSERT INTO items VALUES (?, ?, ?)",
        [("4711000", "경로당", 100), ("4711000", "도로", 300), ("4712000", "하천", 200)],
    )
    backend.con.execute("CREATE TABLE names (gov_code VARCHAR, gov_name VARCHAR)")
    backend.con.executemany("INSERT INTO names VALUES (?, ?)", names)
    return backend


@pytest.fixture
def backends() -> Iterator[tuple[Any, Any]]:
    BUILT.clear()
    clear_cache()
    first = connect([("4711000", "가나군"), ("4712000", "다라군")])
    second = connect([("4711000", "Gana"), ("4712000", "Dara")])
    yield first, second
    first.disconnect()
    second.disconnect()


def test_each_selection_gets_the_answer_of_build_which_builds_once(backends: tuple[Any, Any]) -> None:
    backend, _ = backends
    items, names = backend.table("items"), backend.table("names")
    answers = {}
    for gov in ("4711000", "4712000", "4799000"):
        selected = items.filter(items.gov_code == gov)
        answers[gov] = rows_over(with_names, selected, names)
        assert answers[gov] == with_names(selected, names).to_pyarrow().to_pylist()

    assert answers == {
        "4711000": [
            {"gov_name": "가나군", "item": "도로", "budget": 300},
            {"gov_name": "가나군", "item": "경로당", "budget": 100},
        ],
        "4712000": [{"gov_name": "다라군", "item": "하천", "budget": 200}],
        "4799000": [],
    }
    assert len(BUILT) == 1 + 3  # built over the first selection's shape once, then the three the test compares with


def test_arguments_that_are_objects_keep_queries_of_their_own(backends: tuple[Any, Any]) -> None:
    found = []
    for backend in backends:
        items = backend.table("items")
        selected = items.filter(items.gov_code == "4712000")
        found.append(rows_over(with_names, selected, backend.table("names")))

    assert found == [
        [{"gov_name": "다라군", "item": "하천", "budget": 200}],
        [{"gov_name": "Dara", "item": "하천", "budget": 200}],
    ]


def test_plain_arguments_are_part_of_the_shape(backends: tuple[Any, Any]) -> None:
    backend, _ = backends
    items, names = backend.table("items"), backend.table("names")

    def top(n: int) -> list[str]:
        return [r["item"] for r in rows_over(first_items, items.filter(items.budget >= 100), names, n)]

    assert (top(1), top(2), top(1)) == (["도로"], ["도로", "하천"], ["도로"])


def first_items(selected: Any, names: Any, n: int) -> Any:
    return with_names(selected, names).limit(n)


def test_a_selection_of_other_columns_is_built_again(backends: tuple[Any, Any]) -> None:
    backend, _ = backends
    items, names = backend.table("items"), backend.table("names")
    narrow = items.select("gov_code", "item", "budget")
    wide = items.mutate(double=items.budget * 2)

    rows_over(with_names, narrow, names)
    rows_over(with_names, wide, names)

    assert BUILT == [("gov_code", "item", "budget"), ("gov_code", "item", "budget", "double")]


def summed(selected: Any) -> Any:
    """Each government's budget, as an aggregate: DuckDB answers the sum as HUGEINT."""
    BUILT.append(tuple(selected.columns))
    return selected.group_by("gov_code").aggregate(budget=selected.budget.sum()).order_by("gov_code")


def test_table_over_gives_arrow_tables_of_each_selection_building_once(backends: tuple[Any, Any]) -> None:
    backend, _ = backends
    items = backend.table("items")
    answers = []
    for least in (130, 250, 310):  # one literal type (int16), so one shape
        table = table_over(summed, items.filter(items.budget >= least))
        answers.append([(r["gov_code"], int(r["budget"])) for r in table.to_pylist()])
    assert answers == [[("4711000", 300), ("4712000", 200)], [("4711000", 300)], []]
    assert len(BUILT) == 1
