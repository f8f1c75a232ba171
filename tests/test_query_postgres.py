"""The query layer gives identical answers on DuckDB (the store) and PostgreSQL (a throwaway server).

The PostgreSQL server is a real one started by these tests (``pg_cluster``: initdb + pg_ctl in a
temp dir on a free loopback port). The tests are skipped only when no PostgreSQL binaries exist.

Other query functions (compare, execution, funding, lookup, items) are checked the same way in
``OTHER_CASES``; a case is skipped while its module or function does not exist yet.
TODO(#3): query functions added later need a case there too.
"""

from __future__ import annotations

import importlib
import math
import shutil
from collections.abc import Callable, Iterator
from dataclasses import asdict, is_dataclass
from pathlib import Path
from typing import Any

import duckdb
import psycopg
import pytest

from conftest import run_cli
from pg_cluster import create_database, pg_cluster
from yesan.errors import StoreError
from yesan.ingest.lofin365 import read_qwgjk
from yesan.model import AMOUNT_COLUMNS
from yesan.query import Filters, drilldown, items_table, open_backend, tables
from yesan.query.postgres import STORE_TABLES, copy_store_to_postgres, open_postgres
from yesan.store import Store

SMALL_QWGJK = Path(__file__).parent / "data" / "qwgjk" / "small.csv"


@pytest.fixture(scope="module")
def pg_url() -> Iterator[str]:
    with pg_cluster() as url:
        yield url


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("demo") / "yesan.duckdb"
    run_cli("demo", db=db, check=True)
    return db


@pytest.fixture(scope="module")
def demo_backends(demo_db: Path, pg_url: str) -> Iterator[tuple[Any, Any]]:
    """(DuckDB, PostgreSQL) backends holding the bundled real snapshot (181,076 items)."""
    url = create_database(pg_url, "demo")
    copy_store_to_postgres(demo_db, url)
    duck, pg = open_backend(demo_db), open_postgres(url)
    yield duck, pg
    duck.disconnect()
    pg.disconnect()


@pytest.fixture(scope="module")
def small_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding tests/data/qwgjk/small.csv (7 items of 3 governments)."""
    db = tmp_path_factory.mktemp("small") / "yesan.duckdb"
    with Store.open(db) as store:
        store.load([read_qwgjk(SMALL_QWGJK)])
    return db


@pytest.fixture(scope="module")
def small_backends(small_db: Path, pg_url: str) -> Iterator[tuple[Any, Any]]:
    """(DuckDB, PostgreSQL) backends holding tests/data/qwgjk/small.csv."""
    url = create_database(pg_url, "small")
    copy_store_to_postgres(small_db, url)
    duck, pg = open_backend(small_db), open_postgres(url)
    yield duck, pg
    duck.disconnect()
    pg.disconnect()


def plain(value: Any) -> Any:
    """A result as nested dicts/lists/scalars, for comparing across backends."""
    if is_dataclass(value) and not isinstance(value, type):
        return plain(asdict(value))
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    return value


def assert_same(duck: Any, pg: Any, path: str = "result") -> None:
    """Equal everywhere: integers and text exactly, floats (shares, rates) to 1e-12."""
    if isinstance(duck, float) or isinstance(pg, float):
        assert isinstance(duck, float) and isinstance(pg, float), f"{path}: {duck!r} (DuckDB) vs {pg!r} (PostgreSQL)"
        assert math.isclose(duck, pg, rel_tol=0, abs_tol=1e-12), f"{path}: {duck!r} (DuckDB) vs {pg!r} (PostgreSQL)"
    elif isinstance(duck, dict) and isinstance(pg, dict):
        assert list(duck) == list(pg), f"{path}: keys {list(duck)} (DuckDB) vs {list(pg)} (PostgreSQL)"
        for key in duck:
            assert_same(duck[key], pg[key], f"{path}.{key}")
    elif isinstance(duck, list) and isinstance(pg, list):
        assert len(duck) == len(pg), f"{path}: {len(duck)} entries (DuckDB) vs {len(pg)} (PostgreSQL)"
        for index, (left, right) in enumerate(zip(duck, pg, strict=True)):
            assert_same(left, right, f"{path}[{index}]")
    else:
        assert type(duck) is type(pg) and duck == pg, f"{path}: {duck!r} (DuckDB) vs {pg!r} (PostgreSQL)"


def test_copy_keeps_every_row_and_every_type(demo_backends: tuple[Any, Any]) -> None:
    duck, pg = demo_backends
    for name in STORE_TABLES:
        left, right = duck.table(name), pg.table(name)
        assert right.schema() == left.schema(), name
        ordered = ["snapshot_id", "source_id", "row_no"] if name == "items" else list(left.columns)
        assert right.order_by(ordered).to_pyarrow().equals(left.order_by(ordered).to_pyarrow()), name
    assert all(pg.table("items")[name].type().is_int64() for name in AMOUNT_COLUMNS)
    snapshots = pg.table("snapshots").filter(lambda s: s.dataset == "lofin365.QWGJK")  # not the figures by government
    budget_total = snapshots.budget_total.sum().to_pyarrow().as_py()
    assert budget_total == items_table(duck).budget.sum().to_pyarrow().as_py() == 113_536_525_211_692


def spoiled_copy(db: Path, folder: Path, update: str) -> Path:
    """A copy of the store ``db`` with ``update`` applied (a NUL character: DuckDB keeps it, PostgreSQL refuses it)."""
    spoiled = folder / "spoiled.duckdb"
    shutil.copyfile(db, spoiled)
    with duckdb.connect(str(spoiled)) as connection:
        connection.execute(update)
    return spoiled


def public_tables(url: str) -> list[str]:
    with psycopg.connect(url) as connection:
        rows = connection.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1"
        ).fetchall()
    return [row[0] for row in rows]


def test_a_copy_that_fails_in_its_last_batch_leaves_no_tables(small_db: Path, pg_url: str, tmp_path: Path) -> None:
    last_item = "row_no = (SELECT max(row_no) FROM items)"
    bad = spoiled_copy(small_db, tmp_path, f"UPDATE items SET item_name = item_name || chr(0) WHERE {last_item}")
    url = create_database(pg_url, "failed_first_copy")
    with pytest.raises(StoreError, match=r"COPY items, line 7.*nothing was changed in PostgreSQL"):
        copy_store_to_postgres(bad, url, batch_rows=2)  # 7 items: the 4th batch fails, after 3 were sent
    assert public_tables(url) == []


def test_a_failed_copy_keeps_the_previous_copy_whole(small_db: Path, pg_url: str, tmp_path: Path) -> None:
    url = create_database(pg_url, "failed_second_copy")
    copy_store_to_postgres(small_db, url, batch_rows=2)
    # governments is copied after items, snapshots and sources: they are complete when the error comes
    bad = spoiled_copy(small_db, tmp_path, "UPDATE governments SET name = name || chr(0)")
    with pytest.raises(StoreError, match=r"COPY governments.*nothing was changed in PostgreSQL"):
        copy_store_to_postgres(bad, url, batch_rows=2)
    assert public_tables(url) == sorted(STORE_TABLES)
    duck, pg = open_backend(small_db), open_postgres(url)
    try:
        for name in STORE_TABLES:
            order = list(duck.table(name).columns)
            assert pg.table(name).order_by(order).to_pyarrow().equals(duck.table(name).order_by(order).to_pyarrow())
    finally:
        duck.disconnect()
        pg.disconnect()


def test_no_binaries_is_a_clear_skip(monkeypatch: pytest.MonkeyPatch) -> None:
    import pg_cluster as module

    monkeypatch.setattr(module, "find_bin_dir", lambda: None)
    with pytest.raises(pytest.skip.Exception, match="no PostgreSQL binaries"), module.pg_cluster():
        pass


DEMO_CASES = [
    pytest.param("field", Filters(), {}, id="field"),
    pytest.param("region", Filters(), {"sort": "execution"}, id="region-by-execution"),
    pytest.param("sector", Filters(field_name="사회복지"), {}, id="sector-in-field"),
    pytest.param("government", Filters(), {}, id="government"),
    pytest.param("government", Filters(region="전라남도"), {"sort": "name"}, id="government-in-region-by-name"),
    pytest.param("item", Filters(region="전라남도"), {"limit": 25}, id="item-in-region-limit"),
    pytest.param("item", Filters(funding="national", field_name="환경"), {"sort": "spent"}, id="item-national-env"),
    pytest.param("field", Filters(funding="provincial"), {}, id="field-provincial-funding"),
    pytest.param("account_type", Filters(gov_codes=("4684000", "2611000")), {}, id="account-type-of-governments"),
    pytest.param("program", Filters(region="경상북도"), {"sort": "items", "limit": 50}, id="program-in-region"),
    pytest.param("unit", Filters(fiscal_year=2026, stage="현액"), {"limit": 100}, id="unit-year-stage"),
]


@pytest.mark.parametrize(("level", "filters", "options"), DEMO_CASES)
def test_drilldown_is_identical_on_duckdb_and_postgres(
    demo_backends: tuple[Any, Any], level: str, filters: Filters, options: dict[str, Any]
) -> None:
    duck, pg = demo_backends
    on_duck = drilldown(items_table(duck), level, filters, **options)
    on_pg = drilldown(items_table(pg), level, filters, **options)
    assert on_duck.rows, "the case should select something"
    assert on_duck.exact and on_pg.exact
    assert_same(plain(on_duck), plain(on_pg))


@pytest.mark.parametrize("level", ["region", "government", "field", "sector", "account", "item"])
def test_drilldown_on_the_small_fixture_is_identical(small_backends: tuple[Any, Any], level: str) -> None:
    duck, pg = small_backends
    for filters in (Filters(), Filters(field_name="환경"), Filters(funding="national"), Filters(account_type="기금")):
        on_duck = drilldown(items_table(duck), level, filters)
        on_pg = drilldown(items_table(pg), level, filters)
        assert_same(plain(on_duck), plain(on_pg), f"{level} {filters}")


Call = Callable[[Callable[..., Any], Any], Any]  # (the query function, the backend's Tables) -> result
JEONNAM = Filters(region="전라남도")
OTHER_CASES: list[Any] = [
    pytest.param(
        "compare",
        "compare",
        lambda f, t: f(
            t.items, Filters(region="전라남도", funding="national"), Filters(region="전라남도", funding="provincial")
        ),
        id="compare-items-by-code-and-name",
    ),
    pytest.param(
        "compare",
        "compare",
        lambda f, t: f(t.items, JEONNAM, Filters(region="경상북도"), level="sector", amount="spent", top=5),
        id="compare-sectors-of-two-regions",
    ),
    pytest.param("execution", "execution", lambda f, t: f(t.items, JEONNAM, level="government"), id="execution-gov"),
    pytest.param(
        "execution",
        "execution",
        lambda f, t: f(t.items, Filters(field_name="환경"), level="item", min_budget=10**9),
        id="execution-items",
    ),
    pytest.param("execution", "execution_trend", lambda f, t: f(t.items, JEONNAM, level="field"), id="execution-trend"),
    pytest.param("funding", "funding_mix", lambda f, t: f(t.items, JEONNAM), id="funding-mix-gov"),
    pytest.param("funding", "funding_mix", lambda f, t: f(t.items, None, level="field"), id="funding-mix-field"),
    pytest.param("search", "search", lambda f, t: f(t.items, "경로당 난방", filters=JEONNAM, limit=30), id="search"),
    pytest.param("peers", "per_resident", lambda f, t: f(t, JEONNAM), id="per-resident"),
    pytest.param("peers", "per_resident", lambda f, t: f(t, None, field_name="사회복지"), id="per-resident-welfare"),
    pytest.param("peers", "peers", lambda f, t: f(t, "4684000"), id="peers-of-jangseong"),
    pytest.param("lookup", "find_government", lambda f, t: f(t.governments, "장성군"), id="find-government"),
    pytest.param(
        "items", "find_items", lambda f, t: f(t, item_code="3250000200730001", gov_code="2611000"), id="find-items"
    ),
]


@pytest.mark.parametrize(("module", "function", "call"), OTHER_CASES)
def test_other_queries_are_identical_on_duckdb_and_postgres(
    demo_backends: tuple[Any, Any], module: str, function: str, call: Call
) -> None:
    try:
        query = getattr(importlib.import_module(f"yesan.query.{module}"), function)
    except (ImportError, AttributeError):
        pytest.skip(f"yesan.query.{module}.{function} does not exist yet")
    duck, pg = demo_backends
    on_duck = call(query, tables(duck))
    on_pg = call(query, tables(pg))
    assert plain(on_duck), "the case should select something"
    assert_same(plain(on_duck), plain(on_pg))
