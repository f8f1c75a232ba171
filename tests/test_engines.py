"""The same questions give the same answers on DuckDB (the store), PostgreSQL and Spark.

The data is the bundled real snapshot (181,076 items, 2026-07-05) plus a second snapshot derived
from it (2026-03-31: a third of the spending, some budgets raised, some items gone, some codes
changed), so that comparisons match by code and by name and trends have two points.

PostgreSQL is a throwaway server (``pg_cluster``) holding ``copy_store_to_postgres``'s copy; Spark
runs locally (``local[2]``) over the Parquet layout written by ``export_partitioned``. Each engine is
compared with DuckDB on its own, so a missing engine skips only its half; the skip messages say what
to install. Answers are compared in full: every row, every won, every float to 1e-12.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterator
from dataclasses import asdict, is_dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from conftest import run_cli
from yesan.bundled import load_bundled
from yesan.errors import QueryError
from yesan.ingest.lofin365 import read_qwgjk
from yesan.query import Filters, Tables, compare, drilldown, execution, execution_trend, funding_mix, tables
from yesan.query.engine import open_backend
from yesan.query.items import find_items
from yesan.query.lookup import find_government
from yesan.query.peers import peers, per_resident
from yesan.query.rollup import Rollups
from yesan.query.search import search
from yesan.store import Store

BUNDLED = Path(__file__).resolve().parents[1] / "src" / "yesan" / "data" / "qwgjk_fyr2026_exe20260705.parquet"
#: Snapshot ids: the bundled QWGJK snapshot is loaded first, then the bundled fund figures (one GJSCS snapshot a
#: year, 2024-2026), then the March snapshot made here (the store fixture checks that it gets this id).
JULY, MARCH = 1, 5
BATCH_ROWS = 1_000  # PostgreSQL gets the store in small COPY batches, so every answer below rests on the batching


def march_snapshot(path: Path) -> Path:
    """The bundled rows as of 2026-03-31: a third of 지출액, every 7th budget +1,000,000 won (시군구비),
    every 50th item missing, and every 97th item under another code (same name)."""
    table = pq.read_table(BUNDLED).replace_schema_metadata(None)
    table = table.set_column(table.schema.get_field_index("exe_ymd"), "exe_ymd", pa.array(["20260331"] * len(table)))
    row = pc.subtract(table.column("_row"), 1).to_numpy()
    raised = pa.array((row % 7 == 0).astype("int64") * 1_000_000)
    for name in ("bdg_cash_amt", "sggep"):
        table = table.set_column(table.schema.get_field_index(name), name, pc.add(table.column(name), raised))
    spent = pc.divide(table.column("ep_amt"), 3)
    table = table.set_column(table.schema.get_field_index("ep_amt"), "ep_amt", spent)
    codes = table.column("dbiz_cd").to_pylist()
    renamed = [f"{code[:11]}9{code[12:]}" if i % 97 == 0 and code else code for i, code in zip(row, codes, strict=True)]
    table = table.set_column(table.schema.get_field_index("dbiz_cd"), "dbiz_cd", pa.array(renamed, pa.string()))
    table = table.filter(pa.array(row % 50 != 49))
    pq.write_table(table.drop_columns(["_row"]), path)
    return path


@pytest.fixture(scope="module")
def store_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("engines")
    db = folder / "yesan.duckdb"
    with Store.open(db) as store:
        load_bundled(store)
        march = store.load([read_qwgjk(march_snapshot(folder / "qwgjk_fyr2026_exe20260331.parquet"))])
    assert [s.snapshot_id for s in march.snapshots] == [MARCH], "the March snapshot should get the id MARCH"
    return db


@pytest.fixture(scope="module")
def duck(store_db: Path) -> Iterator[Tables]:
    backend = open_backend(store_db)
    yield tables(backend)
    backend.disconnect()


@pytest.fixture(scope="module")
def postgres_url(store_db: Path) -> Iterator[str]:
    """A throwaway PostgreSQL database holding a copy of the store."""
    from pg_cluster import create_database, pg_cluster
    from yesan.query.postgres import copy_store_to_postgres

    with pg_cluster() as url:
        database = create_database(url, "engines")
        copy_store_to_postgres(store_db, database, batch_rows=BATCH_ROWS)
        yield database


@pytest.fixture(scope="module")
def postgres(postgres_url: str) -> Iterator[Tables]:
    from yesan.query.postgres import open_postgres

    backend = open_postgres(postgres_url)
    yield tables(backend)
    backend.disconnect()


@pytest.fixture(scope="module")
def spark(store_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Tables]:
    from test_spark import spark_or_skip
    from yesan.query.spark import open_spark
    from yesan.store.layout import export_partitioned

    session = spark_or_skip()
    root = tmp_path_factory.mktemp("layout") / "yesan"
    export_partitioned(store_db, root)
    backend = open_spark(root, session=session)
    yield tables(backend)
    backend.disconnect()


@pytest.fixture(params=["postgres", "spark"])
def other(request: pytest.FixtureRequest) -> tuple[str, Tables]:
    """(name, tables) of an engine that must answer like DuckDB."""
    return request.param, request.getfixturevalue(request.param)


def plain(value: Any) -> Any:
    """A result as nested dicts/lists/scalars, for comparing across engines."""
    if is_dataclass(value) and not isinstance(value, type):
        return plain(asdict(value))
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    return value


def assert_same(duck: Any, other: Any, engine: str, path: str = "result") -> None:
    """Equal everywhere: integers and text exactly, floats (shares, rates) to 1e-12."""
    where = f"{path}: {duck!r} (DuckDB) vs {other!r} ({engine})"
    if isinstance(duck, float) or isinstance(other, float):
        assert isinstance(duck, float) and isinstance(other, float), where
        assert math.isclose(duck, other, rel_tol=0, abs_tol=1e-12), where
    elif isinstance(duck, dict) and isinstance(other, dict):
        assert list(duck) == list(other), f"{path}: keys {list(duck)} (DuckDB) vs {list(other)} ({engine})"
        for key in duck:
            assert_same(duck[key], other[key], engine, f"{path}.{key}")
    elif isinstance(duck, list) and isinstance(other, list):
        assert len(duck) == len(other), f"{path}: {len(duck)} entries (DuckDB) vs {len(other)} ({engine})"
        for index, (left, right) in enumerate(zip(duck, other, strict=True)):
            assert_same(left, right, engine, f"{path}[{index}]")
    else:
        assert type(duck) is type(other) and duck == other, where


JULY_ONLY = Filters(snapshot_ids=(JULY,))
JEONNAM = Filters(snapshot_ids=(JULY,), region="전라남도")
Query = Callable[[Tables], Any]
CASES: list[Any] = [
    pytest.param(lambda t: drilldown(t.items, "region", JULY_ONLY), id="drill-region"),
    pytest.param(lambda t: drilldown(t.items, "field", Filters(region="경상북도")), id="drill-latest-snapshot"),
    pytest.param(
        lambda t: drilldown(t.items, "sector", Filters(region="전라남도"), rollups=Rollups.build(t.items)),
        id="drill-from-rollups",
    ),
    pytest.param(lambda t: drilldown(t.items, "field", JULY_ONLY, sort="execution"), id="drill-field-by-execution"),
    pytest.param(
        lambda t: drilldown(t.items, "sector", Filters(snapshot_ids=(MARCH,), field_name="사회복지")), id="drill-sector"
    ),
    pytest.param(lambda t: drilldown(t.items, "government", JEONNAM, sort="name"), id="drill-gov-in-region"),
    pytest.param(lambda t: drilldown(t.items, "item", JEONNAM, limit=40), id="drill-items-in-region"),
    pytest.param(
        lambda t: drilldown(t.items, "account_type", Filters(snapshot_ids=(JULY,), funding="provincial")),
        id="drill-account-type-provincial",
    ),
    pytest.param(
        lambda t: compare(
            t.items,
            Filters(snapshot_ids=(MARCH,), region="전라남도"),
            Filters(snapshot_ids=(JULY,), region="전라남도"),
            "item",
            top=15,
        ),
        id="compare-items-march-july",
    ),
    pytest.param(
        lambda t: compare(
            t.items, Filters(snapshot_ids=(MARCH,)), Filters(snapshot_ids=(JULY,)), "sector", amount="spent"
        ),
        id="compare-sectors-spent",
    ),
    pytest.param(
        lambda t: compare(
            t.items,
            Filters(snapshot_ids=(JULY,), region="전라남도"),
            Filters(snapshot_ids=(JULY,), region="경상북도"),
            "field",
        ),
        id="compare-two-regions",
    ),
    pytest.param(lambda t: execution(t.items, JEONNAM, level="government"), id="execution-gov"),
    pytest.param(
        lambda t: execution(t.items, Filters(snapshot_ids=(MARCH,), field_name="환경"), min_budget=10**9),
        id="execution-items",
    ),
    pytest.param(lambda t: execution_trend(t.items, Filters(region="전라남도"), level="field"), id="trend-fields"),
    pytest.param(lambda t: execution_trend(t.items, Filters(fiscal_year=2026)), id="trend-national"),
    pytest.param(lambda t: funding_mix(t.items, JEONNAM), id="funding-gov"),
    pytest.param(lambda t: funding_mix(t.items, Filters(snapshot_ids=(MARCH,)), level="field"), id="funding-field"),
    pytest.param(lambda t: search(t.items, "경로당 난방", filters=JEONNAM, limit=30), id="search"),
    pytest.param(lambda t: search(t.items, "청년일자리", filters=JULY_ONLY, limit=25), id="search-spacing"),
    pytest.param(lambda t: per_resident(t, JULY_ONLY), id="per-resident"),
    pytest.param(lambda t: peers(t, "4684000", filters=JULY_ONLY), id="peers"),
    pytest.param(lambda t: peers(t, "4684000", group="region", amount="spent"), id="peers-latest-snapshots"),
    pytest.param(lambda t: find_government(t.governments, "장성군"), id="find-government"),
    pytest.param(lambda t: find_items(t, item_code="3250000200730001", gov_code="2611000"), id="find-items"),
]


@pytest.mark.parametrize("query", CASES)
def test_same_answer_as_duckdb(duck: Tables, other: tuple[str, Tables], query: Query) -> None:
    engine, other_tables = other
    expected = plain(query(duck))
    assert expected, "the case should select something"
    assert_same(expected, plain(query(other_tables)), engine)


def test_two_snapshots_of_one_government_are_refused_alike(duck: Tables, other: tuple[str, Tables]) -> None:
    engine, other_tables = other
    both = Filters(snapshot_ids=(JULY, MARCH), region="전라남도")
    with pytest.raises(QueryError) as on_duck:
        drilldown(duck.items, "field", both)
    with pytest.raises(QueryError) as on_other:
        drilldown(other_tables.items, "field", both)
    assert f"snapshots {JULY}, {MARCH}" in str(on_duck.value)
    assert str(on_other.value) == str(on_duck.value), engine


def test_every_row_and_every_type_is_the_same(duck: Tables, other: tuple[str, Tables]) -> None:
    engine, other_tables = other
    for name in ("items", "snapshots", "sources", "governments", "population"):
        left, right = getattr(duck, name), getattr(other_tables, name)
        assert list(right.columns) == list(left.columns), f"{name} on {engine}"
        for column, dtype in left.schema().items():
            got = right.schema()[column]
            if dtype.is_timestamp():  # Spark does not keep the precision in the type; the values are checked below
                assert got.is_timestamp(), f"{name}.{column} on {engine}: {got}"
            else:
                assert got.copy(nullable=True) == dtype.copy(nullable=True), f"{name}.{column} on {engine}: {got}"
        if name == "items" and engine == "postgres":  # every row: tests/test_query_postgres.py; here one 광역
            left, right = left.filter(left.parent_name == "전라남도"), right.filter(right.parent_name == "전라남도")
        order = ["snapshot_id", "source_id", "row_no"] if name == "items" else list(left.columns)
        expected = left.order_by(order).to_pyarrow()
        found = right.order_by(order).to_pyarrow().cast(expected.schema)
        assert found.equals(expected), f"{name} differs on {engine}"


def test_a_copy_in_small_batches_holds_every_row_of_every_snapshot(duck: Tables, postgres: Tables) -> None:
    order = ["snapshot_id", "source_id", "row_no"]
    expected = duck.items.order_by(order).to_pyarrow()
    assert expected.num_rows > 300 * BATCH_ROWS, "the copy should take hundreds of batches"
    assert pc.count_distinct(expected.column("snapshot_id")).as_py() == 2
    assert postgres.items.order_by(order).to_pyarrow().equals(expected)


def test_cli_engine_option_answers_from_postgres(store_db: Path, postgres_url: str) -> None:
    args = ("tree", "--level", "region", "--snapshot", str(MARCH), "--json")
    on_duck = run_cli(*args, db=store_db)
    on_pg = run_cli("--engine", postgres_url, *args)
    assert on_duck.returncode == 0 and on_pg.returncode == 0, on_pg.stderr
    assert json.loads(on_pg.stdout) == json.loads(on_duck.stdout)
    assert json.loads(on_pg.stdout)["rows"], "the tree should have rows"


def test_cli_engine_option_with_a_bad_url_says_what_failed() -> None:
    result = run_cli("--engine", "postgresql://nobody:secret@127.0.0.1:1/none", "tree")
    assert result.returncode == 1
    assert "cannot connect to postgres postgresql://nobody:***@127.0.0.1:1/none" in result.stderr
    assert "secret" not in result.stderr


def test_cli_engine_named_without_its_url_says_what_to_give() -> None:
    result = run_cli("--engine", "postgres", "tree")
    assert result.returncode == 1
    assert "needs the database's URL: --engine postgresql://" in result.stderr
    assert "no store at postgres" not in result.stderr
