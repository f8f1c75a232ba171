"""Query benchmark: latency of yesan's drill-down, compare and search on a large store, against baselines.

The input (``--rows`` synthetic QWGJK rows over 2024–2026, default 10,000,000: an existing
``/tmp/yesan-bench/q10m.csv`` is used, else ``generate.py`` writes one) is loaded once into a fresh
yesan store (``read_qwgjk`` + ``Store.load``, timed). Then, with realistic parameters that differ
for every call (random governments, regions, 분야; a few warm-up calls first), each operation is
timed on each engine:

- ``yesan``: the query functions through Ibis on the store (DuckDB, read-only, one connection);
- ``duckdb-sql``: hand-written SQL (the same statements as for SQLite) on the same DuckDB connection;
- ``rollup-sql``: drill-downs answered from a pre-aggregated table (snapshot × government × 분야 ×
  부문 sums, built once in memory from the store; its build time is reported): the design sketch;
- ``pandas``: the rows in a DataFrame indexed by (fiscal_year, gov_code): groupby sums, merge,
  ``str.contains``;
- ``sqlite``: the rows in a SQLite file with an index on (fiscal_year, gov_code); GROUP BY, FULL
  JOIN, LIKE;
- ``postgres``: the yesan functions through Ibis on PostgreSQL (``tests/pg_cluster.py``, store copied
  with ``copy_store_to_postgres`` plus an index on (fiscal_year, gov_code)); skipped when the copy
  takes longer than ``--pg-timeout`` seconds.

Operations: ``drill-field`` (one government's 분야), ``drill-sector`` (부문 within one 분야 of one
government), ``drill-region`` (광역 totals across all governments of a year, optionally within one
분야), ``compare-items`` (세부사업 2025→2026 of one government, top 10), ``compare-region`` (one 광역's
분야 2025→2026), ``search`` (``SearchIndex`` over every item name; the baselines scan the rows), and
``api-drilldown`` (``/api/drilldown`` under uvicorn, 50 concurrent httpx clients, if
``yesan.web.app.create_app`` exists), and ``first-time`` (every list endpoint of one ``yesan serve`` on the same
store, each request a URL it has never seen, against the same answer's raw DuckDB SQL: ``first_time.py``'s
harness, so that no cache can hide a slow path). The baselines compare items by code only (yesan also matches
renamed codes by normalised name) and search substrings only (yesan also normalises, strips
particles, expands synonyms and corrects typos).

p50/p95/p99 per operation and engine, yesan / baseline ratios, the targets of issue #3 and where
yesan's time goes (Ibis expression building, SQL compile, DuckDB execution) are printed and
appended to ``benchmarks/RESULTS.md``.

    python benchmarks/bench_query.py              # 10M rows (about 10 minutes on 2 cores)
    python benchmarks/bench_query.py --quick      # 1M rows
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import gc
import heapq
import os
import random
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, TypeVar

import numpy as np

BENCH_DIR: Final = Path(__file__).resolve().parent
REPO: Final = BENCH_DIR.parent
RESULTS: Final = BENCH_DIR / "RESULTS.md"
YEARS: Final = (2024, 2025, 2026)
AMOUNTS: Final = ("budget", "national", "provincial", "municipal", "other", "spent", "allocated")  # yesan.model
BASE_COLUMNS: Final = (
    "snapshot_id",
    "fiscal_year",
    "gov_code",
    "gov_name",
    "parent_name",
    "account",
    "field_name",
    "sector_name",
    "item_code",
    "item_name",
)
#: Issue #3's targets, milliseconds: (operation, percentile) → limit.
TARGETS: Final = {
    ("drill-field", "p50"): 5.0,
    ("drill-field", "p95"): 20.0,
    ("drill-sector", "p50"): 5.0,
    ("drill-sector", "p95"): 20.0,
    ("drill-region", "p50"): 5.0,
    ("drill-region", "p95"): 20.0,
    ("compare-items", "p95"): 200.0,
    ("compare-region", "p95"): 200.0,
    ("search", "p95"): 30.0,
    ("api-drilldown", "p99"): 50.0,
}
SEARCH_WORDS: Final = (
    "청년",
    "경로당",
    "일자리 지원",
    "어르신의",
    "도로 정비",
    "상수도",
    "경노당",
    "청년일자리",
    "출산",
    "하천",
    "문화 축제",
    "공원 조성",
    "LED",
    "방역",
    "농업기술",
    "장애인 복지",
    "CCTV",
    "버스",
    "도서관",
    "주민자치",
)

sys.path.insert(0, str(BENCH_DIR))
sys.path.insert(0, str(REPO / "tests"))


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- measurement ------------------------------------------------------------------------------------


@dataclass
class Timing:
    op: str
    engine: str
    samples: list[float] = field(default_factory=list)  # milliseconds
    note: str = ""

    def pct(self, q: float) -> float:
        return float(np.percentile(self.samples, q)) if self.samples else float("nan")

    @property
    def p50(self) -> float:
        return self.pct(50)

    @property
    def p95(self) -> float:
        return self.pct(95)

    @property
    def p99(self) -> float:
        return self.pct(99)


def _keep_out_of_gc() -> None:
    """What was built so far lives for the whole run: move it out of the garbage collector's full passes, as
    ``yesan serve`` does after its warm-up (``yesan.web.views.common.warm``). Otherwise a full collection
    walks it (70–90 ms, 16 times in one run of the yesan engine) inside whichever timed call triggered it."""
    gc.collect()
    gc.freeze()


def time_calls(
    op: str, engine: str, fn: Callable[[Any], Any], params: Sequence[Any], warmup: int, budget_s: float
) -> Timing:
    """Call ``fn`` on ``params[:warmup]`` untimed, then on each further parameter until ``budget_s`` runs out."""
    for p in params[:warmup]:
        fn(p)
    timing = Timing(op, engine)
    started = time.perf_counter()
    for p in params[warmup:]:
        t0 = time.perf_counter()
        fn(p)
        timing.samples.append((time.perf_counter() - t0) * 1000)
        if time.perf_counter() - started > budget_s and len(timing.samples) >= 5:
            break
    log(
        f"  {op:15} {engine:11} n={len(timing.samples):3} p50 {timing.p50:9.2f} ms  p95 {timing.p95:9.2f} ms"
        f"  p99 {timing.p99:9.2f} ms"
    )
    return timing


# --- parameters -------------------------------------------------------------------------------------


@dataclass
class Params:
    governments: list[str]  # every government with items in 2025 and 2026
    drill_field: list[str]
    drill_sector: list[tuple[str, str]]
    drill_region: list[tuple[int, str | None]]
    compare_items: list[str]
    compare_region: list[str]
    search: list[str]


def choose_params(con: Any, n: int, seed: int) -> Params:
    rng = random.Random(seed)
    both = [
        r[0]
        for r in con.sql(
            "SELECT gov_code FROM items WHERE fiscal_year IN (2025, 2026) GROUP BY gov_code "
            "HAVING count(DISTINCT fiscal_year) = 2 ORDER BY gov_code"
        ).fetchall()
    ]
    pairs = con.sql(
        "SELECT DISTINCT gov_code, field_name FROM items WHERE fiscal_year = 2026 AND field_name IS NOT NULL "
        "ORDER BY ALL"
    ).fetchall()
    fields = [
        r[0]
        for r in con.sql("SELECT DISTINCT field_name FROM items WHERE field_name IS NOT NULL ORDER BY 1").fetchall()
    ]
    regions = [
        r[0]
        for r in con.sql("SELECT DISTINCT parent_name FROM items WHERE parent_name IS NOT NULL ORDER BY 1").fetchall()
    ]
    region_params: list[tuple[int, str | None]] = [(y, f) for y in YEARS for f in [None, *fields]]
    rng.shuffle(region_params)
    names = [r[0] for r in con.sql("SELECT item_name FROM items USING SAMPLE 2000 ROWS").fetchall()]
    searches = list(SEARCH_WORDS)
    for name in names:  # words of real names, as people type them: a word or the start of a name
        words = name.split()
        searches.append(words[0] if words else name[:3])
        searches.append(name.replace(" ", "")[: rng.randint(2, 4)])
    rng.shuffle(searches)
    return Params(
        governments=both,
        drill_field=rng.sample(both, min(n, len(both))),
        drill_sector=[(str(g), str(f)) for g, f in rng.sample(pairs, min(n, len(pairs)))],
        drill_region=region_params[:n],
        compare_items=rng.sample(both, min(n, len(both))),
        compare_region=rng.sample(regions, len(regions)),
        search=list(dict.fromkeys(searches))[: max(n, 60)],
    )


# --- yesan through Ibis (DuckDB or PostgreSQL) ------------------------------------------------------


def yesan_ops(items: Any, rollups: Any = None) -> dict[str, Callable[[Any], Any]]:
    """yesan's functions; with ``rollups`` (as the API holds them) drill-downs read pre-summed rows."""
    from yesan.query import Filters, compare, drilldown

    return {
        "drill-field": lambda g: drilldown(items, "field", Filters(fiscal_year=2026, gov_codes=(g,)), rollups=rollups),
        "drill-sector": lambda p: drilldown(
            items, "sector", Filters(fiscal_year=2026, gov_codes=(p[0],), field_name=p[1]), rollups=rollups
        ),
        "drill-region": lambda p: drilldown(
            items, "region", Filters(fiscal_year=p[0], field_name=p[1]), rollups=rollups
        ),
        "compare-items": lambda g: compare(
            items, Filters(fiscal_year=2025, gov_codes=(g,)), Filters(fiscal_year=2026, gov_codes=(g,)), "item", top=10
        ),
        "compare-region": lambda r: compare(
            items, Filters(fiscal_year=2025, region=r), Filters(fiscal_year=2026, region=r), "field", top=10
        ),
    }


# --- hand-written SQL (SQLite and DuckDB speak the same statements here) ------------------------------

_SUMS: Final = ", ".join(f"sum({a}) AS {a}" for a in AMOUNTS) + ", count(*) AS n_items"


def _drill_sql(where: str, keys: str) -> list[str]:
    """The four questions yesan's drill-down asks: snapshot clash, total, groups, snapshot ids."""
    return [
        f"SELECT gov_code FROM items WHERE {where} GROUP BY gov_code HAVING count(DISTINCT snapshot_id) > 1 LIMIT 1",
        f"SELECT {_SUMS} FROM items WHERE {where}",
        f"SELECT {keys}, {_SUMS} FROM items WHERE {where} GROUP BY {keys}",
        f"SELECT DISTINCT snapshot_id FROM items WHERE {where}",
    ]


def _region_where(field_name: str | None) -> tuple[str, list[Any]]:
    return ("fiscal_year = ?", []) if field_name is None else ("fiscal_year = ? AND field_name = ?", [field_name])


_COMPARE_ITEMS_SQL: Final = """
WITH b AS (SELECT gov_code, account, item_code, sum(budget) AS v FROM items
           WHERE fiscal_year = 2025 AND gov_code = ? GROUP BY gov_code, account, item_code),
     a AS (SELECT gov_code, account, item_code, sum(budget) AS v FROM items
           WHERE fiscal_year = 2026 AND gov_code = ? GROUP BY gov_code, account, item_code)
SELECT coalesce(a.gov_code, b.gov_code), coalesce(a.account, b.account), coalesce(a.item_code, b.item_code),
       b.v, a.v, coalesce(a.v, 0) - coalesce(b.v, 0) AS d
FROM b FULL OUTER JOIN a ON a.gov_code = b.gov_code AND a.account IS NOT DISTINCT FROM b.account
     AND a.item_code IS NOT DISTINCT FROM b.item_code
"""

_COMPARE_REGION_SQL: Final = """
WITH b AS (SELECT field_name, sum(budget) AS v FROM items WHERE fiscal_year = 2025 AND parent_name = ?
           GROUP BY field_name),
     a AS (SELECT field_name, sum(budget) AS v FROM items WHERE fiscal_year = 2026 AND parent_name = ?
           GROUP BY field_name)
SELECT coalesce(a.field_name, b.field_name), b.v, a.v, coalesce(a.v, 0) - coalesce(b.v, 0) AS d
FROM b FULL OUTER JOIN a ON a.field_name IS NOT DISTINCT FROM b.field_name
"""


def _top(rows: list[Any], top: int = 10) -> tuple[list[Any], list[Any]]:
    return (
        heapq.nlargest(top, (r for r in rows if r[-1] > 0), key=lambda r: r[-1]),
        heapq.nsmallest(top, (r for r in rows if r[-1] < 0), key=lambda r: r[-1]),
    )


def sql_ops(run: Callable[[str, list[Any]], list[Any]]) -> dict[str, Callable[[Any], Any]]:
    """Operations as SQL through ``run(sql, params)`` (a SQLite or DuckDB connection)."""

    def drill(where: str, keys: str, params: list[Any]) -> Any:
        return [run(sql, params) for sql in _drill_sql(where, keys)]

    def totals(where: str, params: list[Any]) -> Any:
        return [run(f"SELECT sum(budget) FROM items WHERE {where}", params)]

    def compare_items(g: str) -> Any:
        clash = _drill_sql("fiscal_year = ? AND gov_code = ?", "gov_code")[0]
        checks = [run(clash, [y, g]) for y in (2025, 2026)]
        sums = [totals("fiscal_year = ? AND gov_code = ?", [y, g]) for y in (2025, 2026)]
        return checks, sums, _top(run(_COMPARE_ITEMS_SQL, [g, g]))

    def compare_region(r: str) -> Any:
        sums = [totals("fiscal_year = ? AND parent_name = ?", [y, r]) for y in (2025, 2026)]
        return sums, _top(run(_COMPARE_REGION_SQL, [r, r]))

    def drill_region(p: tuple[int, str | None]) -> Any:
        where, extra = _region_where(p[1])
        return drill(where, "parent_name", [p[0], *extra])

    return {
        "drill-field": lambda g: drill("fiscal_year = 2026 AND gov_code = ?", "field_name", [g]),
        "drill-sector": lambda p: drill(
            "fiscal_year = 2026 AND gov_code = ? AND field_name = ?", "field_name, sector_name", list(p)
        ),
        "drill-region": drill_region,
        "compare-items": compare_items,
        "compare-region": compare_region,
    }


def search_sql(run: Callable[[str, list[Any]], list[Any]]) -> Callable[[str], Any]:
    sql = "SELECT item_name, gov_code, budget FROM items WHERE item_name LIKE ? ORDER BY budget DESC LIMIT 20"
    return lambda q: run(sql, [f"%{q}%"])


# --- the rollup design: drill-downs from snapshot × government × 분야 × 부문 sums ------------------------

_ROLLUP_KEYS: Final = "snapshot_id, fiscal_year, gov_code, gov_name, parent_name, field_name, sector_name"


def build_rollup(con: Any) -> tuple[Any, float, int]:
    """The pre-aggregated table in an in-memory DuckDB (as it would be maintained at load time)."""
    import duckdb

    started = time.perf_counter()
    sums = ", ".join(f"sum({a}) AS {a}" for a in AMOUNTS)
    data = con.sql(f"SELECT {_ROLLUP_KEYS}, {sums}, count(*) AS n_items FROM items GROUP BY ALL").to_arrow_table()
    mem = duckdb.connect()
    mem.register("rollup_data", data)
    mem.execute("CREATE TABLE items AS SELECT * FROM rollup_data ORDER BY fiscal_year, gov_code, field_name")
    mem.unregister("rollup_data")
    return mem, time.perf_counter() - started, data.num_rows


def rollup_ops(mem: Any) -> dict[str, Callable[[Any], Any]]:
    sums = ", ".join(f"sum({a}) AS {a}" for a in AMOUNTS) + ", sum(n_items) AS n_items"

    def run(where: str, keys: str, params: list[Any]) -> Any:
        # one statement: groups, the total (ROLLUP's grand total) and the snapshot check
        sql = (
            f"SELECT {keys}, {sums}, count(DISTINCT snapshot_id) AS snapshots, "
            f"count(DISTINCT gov_code) AS govs FROM items WHERE {where} GROUP BY ROLLUP ({keys})"
        )
        return mem.execute(sql, params).fetchall()

    def drill_region(p: tuple[int, str | None]) -> Any:
        where, extra = _region_where(p[1])
        return run(where, "parent_name", [p[0], *extra])

    return {
        "drill-field": lambda g: run("fiscal_year = 2026 AND gov_code = ?", "field_name", [g]),
        "drill-sector": lambda p: run(
            "fiscal_year = 2026 AND gov_code = ? AND field_name = ?", "field_name, sector_name", list(p)
        ),
        "drill-region": drill_region,
    }


# --- pandas ---------------------------------------------------------------------------------------------


def pandas_ops(frame: Any) -> tuple[dict[str, Callable[[Any], Any]], Callable[[str], Any]]:
    """``frame`` is indexed by (fiscal_year, gov_code), sorted: ``.loc`` finds a government by binary search."""
    amounts = list(AMOUNTS)

    def drill(selected: Any, keys: list[str]) -> Any:
        clash = selected.groupby("gov_code")["snapshot_id"].nunique().gt(1).any()
        total = selected[amounts].sum()
        grouped = selected.groupby(keys, dropna=False)[amounts].sum()
        counts = selected.groupby(keys, dropna=False).size()
        return clash, total, len(selected), grouped, counts, selected["snapshot_id"].unique()

    def gov(year: int, g: str) -> Any:
        return frame.loc[(year, g)]

    def drill_region(p: tuple[int, str | None]) -> Any:
        selected = frame.loc[p[0]]
        if p[1] is not None:
            selected = selected[selected["field_name"] == p[1]]
        return drill(selected, ["parent_name"])

    def drill_sector(p: tuple[str, str]) -> Any:
        selected = gov(2026, p[0])
        return drill(selected[selected["field_name"] == p[1]], ["field_name", "sector_name"])

    def merged(before: Any, after: Any, keys: list[str]) -> Any:
        b = before.groupby(keys, dropna=False)["budget"].sum().rename("b")
        a = after.groupby(keys, dropna=False)["budget"].sum().rename("a")
        both = b.to_frame().join(a, how="outer").fillna(0)
        delta = both["a"] - both["b"]
        return before["budget"].sum(), after["budget"].sum(), delta.nlargest(10), delta.nsmallest(10)

    def compare_items(g: str) -> Any:
        before, after = gov(2025, g), gov(2026, g)
        return merged(before, after, ["gov_code", "account", "item_code"])

    def compare_region(r: str) -> Any:
        before, after = frame.loc[2025], frame.loc[2026]
        return merged(before[before["parent_name"] == r], after[after["parent_name"] == r], ["field_name"])

    names = frame["item_name"]
    budgets = frame["budget"]

    def search(q: str) -> Any:
        hits = budgets[names.str.contains(q, regex=False)]
        return frame.iloc[np.argsort(-hits.to_numpy(), kind="stable")[:20]] if len(hits) else hits

    ops = {
        "drill-field": lambda g: drill(gov(2026, g), ["field_name"]),
        "drill-sector": drill_sector,
        "drill-region": drill_region,
        "compare-items": compare_items,
        "compare-region": compare_region,
    }
    return ops, search


def load_pandas(con: Any) -> Any:
    columns = ", ".join((*BASE_COLUMNS, *AMOUNTS))
    frame = con.sql(f"SELECT {columns} FROM items").df()
    return frame.set_index(["fiscal_year", "gov_code"], drop=False).rename_axis(["_fy", "_gov"]).sort_index()


def load_sqlite(con: Any, path: Path) -> None:
    for stale in (path, path.with_name(path.name + "-journal")):
        stale.unlink(missing_ok=True)
    columns = (*BASE_COLUMNS, *AMOUNTS)
    out = sqlite3.connect(path)
    out.execute("PRAGMA journal_mode = OFF")
    out.execute("PRAGMA synchronous = OFF")
    out.execute(f"CREATE TABLE items ({', '.join(columns)})")
    reader = con.sql(f"SELECT {', '.join(columns)} FROM items").to_arrow_reader(200_000)
    insert = f"INSERT INTO items VALUES ({', '.join('?' * len(columns))})"
    for batch in reader:
        out.executemany(insert, zip(*(col.to_pylist() for col in batch.columns), strict=True))
    out.execute("CREATE INDEX items_year_gov ON items (fiscal_year, gov_code)")
    out.execute("ANALYZE")
    out.commit()
    out.close()


# --- where yesan's time goes ----------------------------------------------------------------------------


class CompileSpy:
    """Times ``backend.compile`` (Ibis → SQL) and keeps the SQL it produced."""

    def __init__(self, backend: Any) -> None:
        self.backend = backend
        self.original = backend.compile
        self.seconds = 0.0
        self.sqls: list[str] = []

    def __enter__(self) -> CompileSpy:
        def spy(expr: Any, /, **kwargs: Any) -> str:
            started = time.perf_counter()
            sql = self.original(expr, **kwargs)
            self.seconds += time.perf_counter() - started
            self.sqls.append(sql)
            return sql

        self.backend.compile = spy
        return self

    def __exit__(self, *exc: object) -> None:
        del self.backend.compile


def breakdown(backend: Any, op: str, fn: Callable[[Any], Any], params: Sequence[Any]) -> dict[str, float]:
    """Per call (ms): total, Ibis compile, DuckDB execution of the same SQL, the rest (expression building, results)."""
    total = compile_s = execute_s = 0.0
    queries = 0
    for p in params:
        with CompileSpy(backend) as spy:
            started = time.perf_counter()
            fn(p)
            total += time.perf_counter() - started
        compile_s += spy.seconds
        queries += len(spy.sqls)
        for sql in spy.sqls:
            started = time.perf_counter()
            backend.con.sql(sql).to_arrow_table()
            execute_s += time.perf_counter() - started
    n = max(len(params), 1)
    result = {
        "total": total * 1000 / n,
        "compile": compile_s * 1000 / n,
        "execute": execute_s * 1000 / n,
        "queries": queries / n,
    }
    result["rest"] = result["total"] - result["compile"] - result["execute"]
    log(
        f"  {op}: total {result['total']:.1f} ms = compile {result['compile']:.1f} + execute "
        f"{result['execute']:.1f} + rest {result['rest']:.1f} ({result['queries']:.1f} queries)"
    )
    return result


# --- API ------------------------------------------------------------------------------------------------


T = TypeVar("T")

#: Server processes for the API benchmark, as `yesan serve --workers 2` (one per core of the benchmark machine).
API_WORKERS: Final = 2


def serve(db: str, port: int) -> None:
    from yesan.web.app import serve as run_server

    run_server(Path(db), port=port, quiet=True, workers=API_WORKERS)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def _get(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, host: str, path: str) -> int:
    """One GET on a kept-alive HTTP/1.1 connection: the status code (the body is read and dropped)."""
    writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nAccept: application/json\r\n\r\n".encode())
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    length = 0
    chunked = False
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.lower() == "content-length":
            length = int(value)
        elif name.lower() == "transfer-encoding" and "chunked" in value.lower():
            chunked = True
    if chunked:
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    else:
        await reader.readexactly(length)
    return status


async def _drive(base: str, paths: list[str], clients: int) -> tuple[list[float], int, float]:
    """``clients`` concurrent keep-alive connections, each sending its next request when the last one is answered.

    A minimal HTTP/1.1 client on asyncio streams: httpx spends more CPU per request than the server does, and
    on a 2-core machine the load generator's CPU is taken from the server.
    """
    host, port = base.removeprefix("http://").split(":")
    queue: asyncio.Queue[str] = asyncio.Queue()
    for path in paths:
        queue.put_nowait(path)
    latencies: list[float] = []
    errors = 0

    async def client() -> None:
        nonlocal errors
        reader, writer = await asyncio.open_connection(host, int(port))
        try:
            while True:
                try:
                    path = queue.get_nowait()
                except asyncio.QueueEmpty:
                    return
                started = time.perf_counter()
                status = await _get(reader, writer, host, path)
                latencies.append((time.perf_counter() - started) * 1000)
                if status != 200:
                    errors += 1
        finally:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    return latencies, errors, time.perf_counter() - started


def api_paths(governments: Sequence[str], count: int, seed: int = 11) -> list[str]:
    """``count`` drill-down URLs, distinct while there are enough (government × year × level × sort: 4,000+ at
    the 10M-row scale), shuffled so that levels and years are mixed as readers mix them."""
    combos = [
        f"/api/drilldown?gov={g}&fiscal_year={year}&level={level}&sort={sort}"
        for g in governments
        for year in YEARS
        for level in ("field", "sector", "account")
        for sort in ("budget", "name", "spent", "execution")
    ]
    rng = random.Random(seed)
    rng.shuffle(combos)
    return [combos[i % len(combos)] for i in range(count)]


def _run_client(work: Coroutine[Any, Any, T]) -> T:
    """Run the load generator on uvloop with the garbage collector held off.

    It shares the two cores with the server, so it should cost as little as it can; and this process holds
    the whole benchmark's data, so one full collection here (100+ ms) would stall all 50 clients at once and
    be counted as the server's latency.
    """
    import uvloop

    gc.collect()
    gc.freeze()
    gc.disable()
    try:
        with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
            return runner.run(work)
    finally:
        gc.enable()
        gc.unfreeze()


def bench_api(db: Path, params: Params, requests: int, clients: int) -> tuple[Timing | None, str]:
    try:
        from yesan.web.app import create_app  # noqa: F401
    except Exception as error:  # the API is being written: skip when it does not import
        return None, f"API skipped: yesan.web.app.create_app does not import ({error})"
    import httpx

    port = _free_port()
    command = [sys.executable, str(Path(__file__).resolve()), "--serve", str(db), str(port)]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 600
        while True:
            try:
                # Every worker must have finished its start-up caches, or their building is timed too.
                answers = [httpx.get(f"{base}/api", timeout=5) for _ in range(4 * API_WORKERS)]
                if all(a.status_code == 200 and a.json().get("ready", True) for a in answers):
                    break
            except httpx.HTTPError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                return None, f"API skipped: the server did not start ({(server.stderr.read() or '')[-300:]})"
            time.sleep(0.2)
        paths = api_paths(params.governments, requests + 50)
        warm, timed = paths[:50], paths[50:]
        _run_client(_drive(base, warm, 10))
        latencies, errors, wall = _run_client(_drive(base, timed, clients))
        timing = Timing("api-drilldown", "yesan", latencies)
        note = (
            f"API: {len(latencies):,} GET /api/drilldown ({len(set(timed)):,} distinct URLs: government × year × "
            f"level × sort, in random order, so the response cache answers only repeats) "
            f"from {clients} concurrent keep-alive connections on loopback, "
            f"`yesan serve --workers {API_WORKERS}`: "
            f"{len(latencies) / wall:.1f} requests/s, {errors} errors"
        )
        log(f"  api-drilldown   p50 {timing.p50:.1f} ms  p95 {timing.p95:.1f}  p99 {timing.p99:.1f}; {note}")
        return timing, note
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


# --- PostgreSQL -----------------------------------------------------------------------------------------


def pg_copy_worker(db: str, url: str) -> None:
    import psycopg

    from yesan.query.postgres import copy_store_to_postgres

    copy_store_to_postgres(Path(db), url)
    with psycopg.connect(url, autocommit=True) as pg:
        pg.execute("CREATE INDEX items_year_gov ON items (fiscal_year, gov_code)")
        pg.execute("ANALYZE items")


def bench_postgres(
    db: Path, params: Params, warmup: int, budget_s: float, timeout_s: float
) -> tuple[list[Timing], list[str]]:
    try:
        from pg_cluster import find_bin_dir, pg_cluster
    except Exception as error:
        return [], [f"PostgreSQL skipped: tests/pg_cluster.py does not import ({error})"]
    if find_bin_dir() is None:
        return [], ["PostgreSQL skipped: no initdb/pg_ctl"]
    from yesan.query.postgres import open_postgres

    timings: list[Timing] = []
    notes: list[str] = []
    with pg_cluster() as url:
        command = [sys.executable, str(Path(__file__).resolve()), "--pg-copy", str(db), url]
        started = time.perf_counter()
        copier = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            _, err = copier.communicate(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            copier.kill()
            copier.communicate()
            return [], [f"PostgreSQL skipped: copying the store took more than {timeout_s:.0f} s"]
        copy_s = time.perf_counter() - started
        if copier.returncode != 0:
            return [], [f"PostgreSQL skipped: the copy failed ({err.strip().splitlines()[-1:]})"]
        notes.append(
            f"PostgreSQL: store copied with copy_store_to_postgres + CREATE INDEX (fiscal_year, gov_code) + "
            f"ANALYZE in {copy_s:.1f} s (fsync off, default settings); the yesan functions through Ibis"
        )
        log(f"  postgres copy + index {copy_s:.1f} s")
        backend = open_postgres(url)
        try:
            items = backend.table("items")
            for op, fn in yesan_ops(items).items():
                timings.append(time_calls(op, "postgres", fn, _op_params(params, op), warmup, budget_s))
        finally:
            backend.disconnect()
    return timings, notes


def _op_params(params: Params, op: str) -> list[Any]:
    return list(getattr(params, op.replace("-", "_")))


# --- report ---------------------------------------------------------------------------------------------


def first_time_lines(db: Path, requests: int) -> list[str]:
    """``first_time.py``'s questions on this store: p50/p95 first-time and cached, against raw SQL, as table lines."""
    import first_time

    results = first_time.run(db, requests)
    lines = [
        "",
        f"API questions asked for the first time ({requests} URLs each that one `yesan serve` on this store has not "
        "seen, then the same URLs again; raw SQL = the same answer's statements on a read-only DuckDB connection; "
        "target ≤ 3× raw SQL):",
        "",
        "| question | first p50 / p95 (ms) | cached p50 / p95 (ms) | raw SQL p50 / p95 (ms) | first ÷ SQL (p50) |",
        "|---|---:|---:|---:|---:|",
    ]
    for r in results:
        ratio = "—" if r["ratio_p50"] is None else f"{r['ratio_p50']:.2f}×"
        lines.append(
            f"| {r['question']} | {r['first_p50']:.1f} / {r['first_p95']:.1f} | {r['cached_p50']:.1f} / "
            f"{r['cached_p95']:.1f} | {r['sql_p50']:.1f} / {r['sql_p95']:.1f} | {ratio} |"
        )
    return lines


def machine() -> dict[str, str]:
    from bench_load import machine as load_machine

    return load_machine()


def _ms(value: float) -> str:
    return f"{value:,.2f}" if value < 100 else f"{value:,.0f}"


def _ratio(value: float) -> str:
    return f"{value:.2f}×" if value >= 0.1 else f"{value:.2g}×"


def table_lines(timings: Sequence[Timing]) -> list[str]:
    ours = {t.op: t for t in timings if t.engine == "yesan"}
    lines = [
        "| operation | engine | n | p50 ms | p95 ms | p99 ms | yesan / this (p50) | yesan / this (p95) |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for t in timings:
        mine = ours.get(t.op)
        if t.engine == "yesan" or mine is None:
            r50 = r95 = "—"
        else:
            r50, r95 = _ratio(mine.p50 / t.p50), _ratio(mine.p95 / t.p95)
        lines.append(
            f"| {t.op} | {t.engine} | {len(t.samples)} | {_ms(t.p50)} | {_ms(t.p95)} | {_ms(t.p99)} | {r50} | {r95} |"
        )
    return lines


def target_lines(timings: Sequence[Timing]) -> list[str]:
    ours = {t.op: t for t in timings if t.engine == "yesan"}
    lines = ["| target | measured | met |", "|---|---:|---|"]
    for (op, q), limit in TARGETS.items():
        t = ours.get(op)
        if t is None:
            lines.append(f"| {op} {q} ≤ {limit:g} ms | not measured | — |")
            continue
        value = getattr(t, q)
        lines.append(f"| {op} {q} ≤ {limit:g} ms | {_ms(value)} ms | {'yes' if value <= limit else '**no**'} |")
    return lines


def breakdown_lines(parts: dict[str, dict[str, float]]) -> list[str]:
    lines = [
        "| operation (yesan on DuckDB) | queries / call | mean total ms | Ibis compile ms | DuckDB execute ms "
        "| rest ms (expression building, pre-execute hooks, Arrow → Python) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for op, p in parts.items():
        lines.append(
            f"| {op} | {p['queries']:.1f} | {p['total']:.1f} | {p['compile']:.1f} ({p['compile'] / p['total']:.0%}) "
            f"| {p['execute']:.1f} ({p['execute'] / p['total']:.0%}) | {p['rest']:.1f} ({p['rest'] / p['total']:.0%}) |"
        )
    return lines


def append_results(section_body: list[str], info: dict[str, str], command: str, load_end: str) -> None:
    now = dt.datetime.now().astimezone()
    section = [
        "",
        f"## {now:%Y-%m-%d %H:%M %Z} — query benchmark",
        "",
        f"- machine: {info['cpu']}, {info['nproc']} CPUs, {info['ram']} RAM, {info['os']}"
        f" (load average at start {info['load']}, at end {load_end})",
        f"- versions: Python {info['python']}, duckdb {info['duckdb']}, pyarrow {info['pyarrow']}, "
        f"pandas {info['pandas']}, numpy {info['numpy']}; yesan commit {info['commit']}",
        f"- command: `{command}`",
        *section_body,
    ]
    with RESULTS.open("a", encoding="utf-8") as handle:
        handle.write("\n".join(section) + "\n")


# --- main -----------------------------------------------------------------------------------------------


def input_file(rows: int, workdir: Path, given: Path | None) -> Path:
    if given is not None:
        return given
    target = workdir / ("q10m.csv" if rows == 10_000_000 else f"q{rows}.csv")
    if not target.exists():
        log(f"generating {target} …")
        command = [sys.executable, str(BENCH_DIR / "generate.py"), "--rows", str(rows), "--years"]
        command += [",".join(map(str, YEARS)), "--out", str(target), "--format", "csv"]
        subprocess.run(command, check=True)
    return target


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="yesan query benchmark")
    parser.add_argument("--rows", type=int, default=10_000_000, help="synthetic rows (default 10,000,000)")
    parser.add_argument("--quick", action="store_true", help="1,000,000 rows")
    parser.add_argument("--input", type=Path, help="use this QWGJK file instead of a synthetic one")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/yesan-bench"))
    parser.add_argument("--calls", type=int, default=60, help="timed calls per operation and engine (default 60)")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--budget", type=float, default=20.0, help="seconds per operation and engine (min 5 calls)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--engines", default="yesan,yesan-items,duckdb-sql,rollup-sql,pandas,sqlite,postgres,api,first-time"
    )
    parser.add_argument("--first-time-requests", type=int, default=15, help="fresh URLs per API question")
    parser.add_argument("--pg-timeout", type=float, default=180.0, help="skip PostgreSQL if the copy takes longer")
    parser.add_argument("--api-requests", type=int, default=2000)
    parser.add_argument("--api-clients", type=int, default=50)
    parser.add_argument("--no-record", action="store_true", help=f"do not append to {RESULTS.name}")
    parser.add_argument("--serve", nargs=2, metavar=("DB", "PORT"), help=argparse.SUPPRESS)
    parser.add_argument("--pg-copy", nargs=2, metavar=("DB", "URL"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        serve(args.serve[0], int(args.serve[1]))
        return 0
    if args.pg_copy:
        pg_copy_worker(*args.pg_copy)
        return 0

    from yesan.ingest.lofin365 import read_qwgjk
    from yesan.query import open_backend
    from yesan.store import Store

    rows = 1_000_000 if args.quick else args.rows
    engines = {e.strip() for e in args.engines.split(",") if e.strip()}
    workdir: Path = args.workdir
    workdir.mkdir(parents=True, exist_ok=True)
    info = machine()
    log(f"machine: {info['cpu']}, {info['nproc']} CPUs, {info['ram']}, load {info['load']}")
    path = input_file(rows, workdir, args.input)
    db = workdir / f"bench_query_{path.stem}.duckdb"
    for stale in (db, db.with_name(db.name + ".wal")):
        stale.unlink(missing_ok=True)

    log(f"loading {path} ({path.stat().st_size / 1e6:,.0f} MB) into {db} …")
    started = time.perf_counter()
    batch = read_qwgjk(path)
    read_s = time.perf_counter() - started
    with Store.open(db) as store:
        store.load([batch])
    load_s = time.perf_counter() - started
    n_rows = batch.items.num_rows
    del batch
    log(f"  {n_rows:,} rows: read {read_s:.1f} s + write {load_s - read_s:.1f} s = {load_s:.1f} s")
    notes = [
        f"input: {path.name} ({path.stat().st_size / 1e6:,.0f} MB), {n_rows:,} rows; loaded into a fresh store "
        f"in {load_s:.1f} s (read_qwgjk {read_s:.1f} s + Store.load {load_s - read_s:.1f} s)",
    ]

    backend = open_backend(db)  # read-only, as the API opens it
    con = backend.con.cursor()  # our own SQL on a cursor of the same connection
    from yesan.query import tables

    items = tables(backend).items
    params = choose_params(con, args.warmup + args.calls, args.seed)
    n_govs = con.execute("SELECT count(DISTINCT gov_code) FROM items").fetchall()[0][0]
    notes.append(
        f"{n_govs:,} governments; each call has different parameters ({args.warmup} warm-up calls, then up to "
        f"{args.calls} timed calls or {args.budget:g} s per operation and engine); drill-region: a year, "
        "optionally one 분야; compare-region: one 광역's 분야 2025→2026"
    )
    timings: list[Timing] = []
    extras: list[str] = []
    w, b = args.warmup, args.budget

    log("yesan (Ibis on DuckDB, drill-downs from in-memory rollups) …")
    from yesan.query.rollup import Rollups

    started = time.perf_counter()
    rollups = Rollups.build(items)
    summed = rollups.prepare_recent(rollups.max_rows)  # every snapshot, as the server's warm-up does while they fit
    rollups_s = time.perf_counter() - started
    _keep_out_of_gc()
    notes.append(
        f"yesan: drill-downs from `Rollups` of {summed} snapshots summed in {rollups_s:.1f} s "
        f"({rollups.rows:,} rows; `yesan serve` sums them in its warm-up); "
        "yesan-items: the same functions without rollups (one SQL statement per call through Ibis)"
    )
    ops = yesan_ops(items, rollups)
    if "yesan" in engines:
        for op, fn in ops.items():
            timings.append(time_calls(op, "yesan", fn, _op_params(params, op), w, b))
    if "yesan-items" in engines:
        for op, fn in yesan_ops(items).items():
            if op.startswith("drill"):
                timings.append(time_calls(op, "yesan-items", fn, _op_params(params, op), w, b))
    if "duckdb-sql" in engines:
        log("hand-written SQL on the same DuckDB connection …")

        def duck(sql: str, p: list[Any]) -> list[Any]:
            return con.execute(sql, p).fetchall()

        for op, fn in sql_ops(duck).items():
            timings.append(time_calls(op, "duckdb-sql", fn, _op_params(params, op), w, b))
    if "rollup-sql" in engines:
        log("rollup table …")
        mem, rollup_s, rollup_rows = build_rollup(con)
        notes.append(
            f"rollup-sql: drill-downs from a snapshot × government × 분야 × 부문 sums table ({rollup_rows:,} rows, "
            f"built in {rollup_s:.1f} s), one `GROUP BY ROLLUP` statement per call on an in-memory DuckDB"
        )
        for op, fn in rollup_ops(mem).items():
            timings.append(time_calls(op, "rollup-sql", fn, _op_params(params, op), w, b))
        mem.close()

    parts: dict[str, dict[str, float]] = {}
    if "yesan" in engines:
        log("where yesan's time goes …")
        for op in ("drill-field", "drill-region", "compare-items"):
            parts[op] = breakdown(backend, op, ops[op], _op_params(params, op)[-20:])
        with CompileSpy(backend) as spy:
            ops["drill-field"](params.drill_field[0])
        extras += ["", "SQL of one drill-field call (as Ibis compiles it):", "", "```sql"]
        extras += [*(s.strip() + ";" for s in spy.sqls), "```"]

    search_timings: list[Timing] = []
    try:
        from yesan.query.search import SearchIndex
    except Exception as error:
        SearchIndex = None  # type: ignore[assignment,misc]
        notes.append(f"search skipped: yesan.query.search does not import ({error})")
    if SearchIndex is not None and "yesan" in engines:
        log("search index …")
        started = time.perf_counter()
        index = SearchIndex.build(items)
        build_s = time.perf_counter() - started
        _keep_out_of_gc()
        notes.append(
            f"search: SearchIndex.build over all {n_rows:,} item rows ({index.n_docs:,} distinct normalised "
            f"names) in {build_s:.1f} s; queries are real words and name prefixes (plus particles, "
            "typos and Latin words), `limit=20`; baselines: substring scan of every row, top 20 by budget"
        )
        search_timings.append(time_calls("search", "yesan", lambda q: index.search(q, limit=20), params.search, w, b))
        del index
    if "duckdb-sql" in engines and search_timings:
        search_timings.append(
            time_calls(
                "search", "duckdb-sql", search_sql(lambda s, p: con.execute(s, p).fetchall()), params.search, w, b
            )
        )

    if "pandas" in engines:
        log("pandas …")
        started = time.perf_counter()
        frame = load_pandas(con)
        notes.append(
            f"pandas: DataFrame of {len(frame):,} rows × {frame.shape[1]} columns, sorted MultiIndex "
            f"(fiscal_year, gov_code), built in {time.perf_counter() - started:.1f} s"
        )
        pops, psearch = pandas_ops(frame)
        for op, fn in pops.items():
            timings.append(time_calls(op, "pandas", fn, _op_params(params, op), w, b))
        if search_timings:
            search_timings.append(time_calls("search", "pandas", psearch, params.search, w, b))
        del frame, pops, psearch
    if "sqlite" in engines:
        log("SQLite …")
        lite_path = workdir / f"bench_query_{path.stem}.sqlite"
        started = time.perf_counter()
        load_sqlite(con, lite_path)
        notes.append(
            f"sqlite: {sqlite3.sqlite_version}, the same rows and columns written in "
            f"{time.perf_counter() - started:.1f} s, index on (fiscal_year, gov_code), ANALYZE; "
            f"{lite_path.stat().st_size / 1e6:,.0f} MB, warm page cache"
        )
        lite = sqlite3.connect(lite_path)

        def run_lite(sql: str, p: list[Any]) -> list[Any]:
            return lite.execute(sql, p).fetchall()

        for op, fn in sql_ops(run_lite).items():
            timings.append(time_calls(op, "sqlite", fn, _op_params(params, op), w, b))
        if search_timings:
            search_timings.append(time_calls("search", "sqlite", search_sql(run_lite), params.search, w, b))
        lite.close()
        lite_path.unlink(missing_ok=True)
    timings += search_timings

    if "api" in engines:
        log("API …")
        api, api_note = bench_api(db, params, args.api_requests, args.api_clients)
        notes.append(api_note)
        if api is not None:
            timings.append(api)
    backend.disconnect()
    first_lines: list[str] = []
    if "first-time" in engines:
        log("API questions asked for the first time …")
        first_lines = first_time_lines(db, args.first_time_requests)
    if "postgres" in engines:
        log("PostgreSQL …")
        pg_timings, pg_notes = bench_postgres(db, params, w, b, args.pg_timeout)
        timings += pg_timings
        notes += pg_notes

    order = {op: i for i, op in enumerate(("drill-field", "drill-sector", "drill-region", "compare-items"))}
    order |= {"compare-region": 4, "search": 5, "api-drilldown": 6}
    engine_order = ["yesan", "yesan-items", "duckdb-sql", "rollup-sql", "pandas", "sqlite", "postgres"]
    timings.sort(key=lambda t: (order.get(t.op, 9), engine_order.index(t.engine)))
    load_end = " ".join(f"{v:.2f}" for v in os.getloadavg())
    body = [
        *(f"- {note}" for note in notes),
        "- yesan / this: yesan's latency divided by the engine's (above 1× = yesan slower)",
        "",
        *table_lines(timings),
        "",
        "Targets of issue #3 (yesan):",
        "",
        *target_lines(timings),
    ]
    if parts:
        body += ["", "Where yesan's time goes (mean of 20 calls; execute = the same SQL run directly):", ""]
        body += breakdown_lines(parts)
    body += first_lines
    body += extras
    print("\n".join(body))
    if not args.no_record:
        command = "python benchmarks/bench_query.py " + " ".join(argv if argv is not None else sys.argv[1:])
        append_results(body, info, command.strip(), load_end)
        log(f"appended to {RESULTS}")
    for stale in (db, db.with_name(db.name + ".wal")):
        stale.unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        raise SystemExit(main())
