"""Expressions built over a selection once (yesan.query.templates): the expression build gives, for each selection."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import ibis
import pytest

from yesan.query.templates import built_over

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
    first = connect([("4711000", "가나군"), ("4712000", "다라군")])
    second = connect([("4711000", "Gana"), ("4712000", "Dara")])
    yield first, second
    first.disconnect()
    second.disconnect()


def test_each_selection_gets_the_expression_build_gives_built_once(backends: tuple[Any, Any]) -> None:
    backend, _ = backends
    items, names = backend.table("items"), backend.table("names")
    answers = {}
    for gov in ("4711000", "4712000"):
        selected = items.filter(items.gov_code == gov)
        reused = built_over(with_names, selected, names)
        assert reused.equals(with_names(selected, names))
        answers[gov] = reused.to_pyarrow().to_pylist()

    assert answers == {
        "4711000": [
            {"gov_name": "가나군", "item": "도로", "budget": 300},
            {"gov_name": "가나군", "item": "경로당", "budget": 100},
        ],
        "4712000": [{"gov_name": "다라군", "item": "하천", "budget": 200}],
    }
    assert len(BUILT) == 1 + 2  # the template once, then the two direct builds the test compares with


def test_arguments_that_are_objects_keep_templates_of_their_own(backends: tuple[Any, Any]) -> None:
    found = []
    for backend in backends:
        items = backend.table("items")
        selected = items.filter(items.gov_code == "4712000")
        found.append(built_over(with_names, selected, backend.table("names")).to_pyarrow().to_pylist())

    assert found == [
        [{"gov_name": "다라군", "item": "하천", "budget": 200}],
        [{"gov_name": "Dara", "item": "하천", "budget": 200}],
    ]


def test_a_selection_of_other_columns_is_built_again(backends: tuple[Any, Any]) -> None:
    backend, _ = backends
    items, names = backend.table("items"), backend.table("names")
    narrow = items.select("gov_code", "item", "budget")
    wide = items.mutate(double=items.budget * 2)

    built_over(with_names, narrow, names)
    built_over(with_names, wide, names)

    assert BUILT == [("gov_code", "item", "budget"), ("gov_code", "item", "budget", "double")]
