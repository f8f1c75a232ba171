"""Scale benchmark (issue #7): yesan's own queries on DuckDB, Spark (local) and PostgreSQL as the store grows.

National synthetic data: ``generate.py`` makes ``--snapshot-rows`` 세부사업 per fiscal year over ``--years``
(items evolve year to year), and each year is expanded into ``--dates`` execution snapshots (지출액
cumulative, rising through the year), one Parquet file per snapshot. Years are loaded newest first,
in steps (``--steps 1,3,10``: 1 year, then 3, then 10), so the same questions (about 2026) are asked
of a store that grows around them: 10M, 30M and 100M rows with the defaults.

At each step, for each engine:

- load: DuckDB — ``read_qwgjk`` + ``Store.load`` per snapshot file (what ``yesan load`` does);
  Spark — ``export_partitioned`` of the new snapshots (incremental), then ``open_spark`` (file listing);
  PostgreSQL — the new snapshot partitions read from that layout and ``COPY``'d in, small tables by
  ``copy_store_to_postgres``, then a B-tree on (snapshot_id, gov_code), a BRIN on (fiscal_year,
  snapshot_id) and ANALYZE;
- queries (``OPS``), each in a fresh worker process (DuckDB through ``open_engine`` with its memory
  limit; Spark ``local[2]``; PostgreSQL through Ibis), 1 warm-up call then up to ``--calls`` calls or
  ``--budget`` seconds, each call with other parameters. The warm-up call's answer is fingerprinted
  and must be identical on every engine.

After the last step ``yesan serve`` runs over the DuckDB store and answers API requests while its peak
RSS is read from ``/proc`` (the 2 GB target). Results are printed and appended to RESULTS.md.

    python benchmarks/bench_scale.py                       # 10M → 30M → 100M rows (hours on 2 cores)
    python benchmarks/bench_scale.py --quick --no-record   # 3 small steps, a few minutes
"""

from __future__ import annotations

import argparse
import calendar
import contextlib
import datetime as dt
import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Final

BENCH_DIR: Final = Path(__file__).resolve().parent
REPO: Final = BENCH_DIR.parent
RESULTS: Final = BENCH_DIR / "RESULTS.md"
WORK: Final = Path("/tmp/yesan-scale")
sys.path.insert(0, str(BENCH_DIR))
sys.path.insert(0, str(REPO / "tests"))

ENGINES: Final = ("duckdb", "spark", "postgres")
SPARK_CONFIG: Final = {"spark.driver.memory": "4g", "spark.sql.shuffle.partitions": "8"}


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


# --- input ----------------------------------------------------------------------------------------


def snapshot_dates(count: int) -> list[str]:
    """MMDD dates spread over a year: 24 → the 15th and the last day of each month; 12 → month ends."""
    month_ends = [f"{m:02d}{calendar.monthrange(2025, m)[1]:02d}" for m in range(1, 13)]
    if count == 24:
        return sorted([f"{m:02d}15" for m in range(1, 13)] + month_ends)
    step = 12 / count
    return [month_ends[min(11, round((i + 1) * step) - 1)] for i in range(count)]


def base_table(rows_per_year: int, years: Sequence[int], work: Path) -> Any:
    """One execution date (07-05) per year, generated once and cached: items that evolve year to year."""
    import pyarrow.parquet as pq

    from generate import generate

    path = work / f"base_{rows_per_year}_{years[0]}-{years[-1]}.parquet"
    if not path.exists():
        log(f"generating {rows_per_year * len(years):,} base rows ({years[0]}–{years[-1]})")
        table = generate(rows_per_year * len(years), list(years), seed=7, exe_dates=("0705",))
        pq.write_table(table, path, compression="zstd")
    return pq.read_table(path)


def expand(year_rows: Any, year: int, mmdd: str) -> Any:
    """The rows of one year as of ``mmdd``: 지출액 follows 1 − (1 − r)^(day / day of 07-05), r = the 07-05 ratio."""
    import numpy as np
    import pyarrow as pa

    budget = year_rows.column("bdg_cash_amt").to_numpy().astype(np.float64)
    spent = year_rows.column("ep_amt").to_numpy().astype(np.float64)
    ratio = np.divide(spent, budget, out=np.zeros_like(spent), where=budget > 0)
    day = dt.date(2001, int(mmdd[:2]), int(mmdd[2:])).timetuple().tm_yday
    progress = day / dt.date(2001, 7, 5).timetuple().tm_yday
    fraction = np.where(ratio > 1.0, ratio, 1.0 - (1.0 - np.clip(ratio, 0.0, 1.0)) ** progress)
    new_spent = np.floor(budget * fraction).astype(np.int64)
    table = year_rows.set_column(year_rows.schema.get_field_index("ep_amt"), "ep_amt", pa.array(new_spent))
    exe = pa.array([f"{year}{mmdd}"] * table.num_rows, pa.string()).dictionary_encode()
    return table.set_column(table.schema.get_field_index("exe_ymd"), "exe_ymd", exe)


def input_files(base: Any, year: int, dates: Sequence[str], work: Path) -> list[Path]:
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    folder = work / "input"
    folder.mkdir(parents=True, exist_ok=True)
    year_rows = base.filter(pc.equal(base.column("fyr").cast("string"), str(year)))
    files = []
    for mmdd in dates:
        path = folder / f"qwgjk_fyr{year}_exe{year}{mmdd}.parquet"
        if not path.exists():
            pq.write_table(expand(year_rows, year, mmdd), path, compression="zstd")
        files.append(path)
    return files


# --- the questions ----------------------------------------------------------------------------------


def ops() -> dict[str, Callable[[Any, dict[str, Any]], Any]]:
    from yesan.query import Filters, compare, drilldown, execution_trend

    def at(snapshot: str, p: dict[str, Any], **more: Any) -> Any:
        return Filters(snapshot_ids=(p[snapshot],), **more)

    def gov(snapshot: str, p: dict[str, Any]) -> Any:
        return at(snapshot, p, gov_codes=(p["gov"],))

    return {
        "drill-gov": lambda t, p: drilldown(t.items, "field", gov("latest", p)),
        "drill-national": lambda t, p: drilldown(t.items, "region", at("latest", p, field_name=p["field"])),
        "compare-gov-items": lambda t, p: compare(t.items, gov("mid", p), gov("latest", p), "item", amount="spent"),
        "compare-region": lambda t, p: compare(
            t.items, at("mid", p, region=p["region"]), at("latest", p, region=p["region"]), "field", amount="spent"
        ),
        "compare-years": lambda t, p: compare(t.items, gov("last_year", p), gov("latest", p), "item"),
        "trend-region": lambda t, p: execution_trend(
            t.items, Filters(fiscal_year=p["year"], region=p["region"]), level="field"
        ),
        "trend-national": lambda t, p: execution_trend(t.items, Filters(fiscal_year=p["year"])),
    }


def plain(value: Any) -> Any:
    from dataclasses import asdict, is_dataclass

    if is_dataclass(value) and not isinstance(value, type):
        return plain(asdict(value))
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value if isinstance(value, int | float | str | bool) or value is None else str(value)


def fingerprint(result: Any) -> str:
    return hashlib.sha256(json.dumps(plain(result), ensure_ascii=False).encode()).hexdigest()[:16]


def snapshot_choice(db: Path, year: int) -> dict[str, Any]:
    """The snapshots the questions use: ``year``'s latest and mid-year ones, and the previous year's latest."""
    from yesan.query import open_backend

    backend = open_backend(db)
    try:
        snaps = backend.table("snapshots")
        rows = snaps.select("snapshot_id", "fiscal_year", "exe_ymd").order_by("exe_ymd").to_pyarrow().to_pylist()
    finally:
        backend.disconnect()
    this_year = [r["snapshot_id"] for r in rows if r["fiscal_year"] == year]
    before = [r["snapshot_id"] for r in rows if r["fiscal_year"] == year - 1]
    return {
        "year": year,
        "latest": this_year[-1],
        "mid": this_year[len(this_year) // 2 - 1],
        "last_year": before[-1] if before else None,
    }


def choose_params(db: Path, year: int, count: int, seed: int) -> list[dict[str, Any]]:
    """``count`` parameter sets about ``year``: a government, a 광역 and a 분야 (or none)."""
    from yesan.query import open_backend

    latest = snapshot_choice(db, year)["latest"]
    backend = open_backend(db)
    try:
        items = backend.table("items")
        items = items.filter(items.snapshot_id == latest)

        def distinct(column: str) -> list[str]:
            values = items.select(column).distinct().to_pyarrow().column(column).to_pylist()
            return sorted(v for v in values if v is not None)

        govs, regions, fields = distinct("gov_code"), distinct("parent_name"), distinct("field_name")
    finally:
        backend.disconnect()
    rng = random.Random(seed)
    return [
        {"gov": rng.choice(govs), "region": regions[i % len(regions)], "field": rng.choice([None, *fields])}
        for i in range(count)
    ]


# --- workers (each in its own process) -------------------------------------------------------------


def peak_rss_mb(pid: int | str = "self") -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def java_children_rss_mb() -> float:
    """Peak RSS of this process's java children (the Spark driver JVM), MB."""
    total = 0.0
    me = str(os.getpid())
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().split()
            if fields[3] == me and "java" in fields[1]:
                total += peak_rss_mb(stat.parent.name)
        except OSError:
            continue
    return total


def worker_queries(job: dict[str, Any]) -> dict[str, Any]:
    from yesan.query import tables
    from yesan.query.engine import open_engine

    started = time.perf_counter()
    if job["engine"] == "spark":
        backend = open_engine("spark:local[2]", parquet=job["layout"], spark_config=SPARK_CONFIG)
    elif job["engine"] == "postgres":
        backend = open_engine(job["pg_url"])
    else:
        backend = open_engine(None, db=job["db"])
    t = tables(backend)
    out: dict[str, Any] = {"open_s": time.perf_counter() - started, "ops": {}}
    for name, run in ops().items():
        params = [p for p in job["params"] if name != "compare-years" or p["last_year"] is not None]
        if not params:
            continue
        entry: dict[str, Any] = {"samples_ms": [], "error": None}
        try:
            t0 = time.perf_counter()
            entry["fingerprint"] = fingerprint(run(t, params[0]))  # the warm-up call; same params on every engine
            entry["warmup_ms"] = (time.perf_counter() - t0) * 1000
            began = time.perf_counter()
            for p in params[1 : job["calls"] + 1]:
                t0 = time.perf_counter()
                run(t, p)
                entry["samples_ms"].append((time.perf_counter() - t0) * 1000)
                if time.perf_counter() - began > job["budget"] and len(entry["samples_ms"]) >= 2:
                    break
        except Exception as error:  # recorded: one engine failing an operation is a result, not a crash
            entry["error"] = f"{type(error).__name__}: {str(error).strip().splitlines()[0][:300]}"
        out["ops"][name] = entry
        samples = entry["samples_ms"]
        log(f"  {job['engine']:8} {name:18} n={len(samples)} p50 {_median(samples):10.1f} ms {entry['error'] or ''}")
    out["peak_rss_mb"] = peak_rss_mb()
    if job["engine"] == "spark":
        out["jvm_peak_rss_mb"] = java_children_rss_mb()
    backend.disconnect()
    return out


def worker_load_duckdb(job: dict[str, Any]) -> dict[str, Any]:
    from yesan.ingest.lofin365 import read_qwgjk
    from yesan.store import Store

    read_s = write_s = 0.0
    rows = 0
    for path in job["files"]:
        t0 = time.perf_counter()
        batch = read_qwgjk(Path(path))
        t1 = time.perf_counter()
        with Store.open(Path(job["db"])) as store:
            store.load([batch])
        t2 = time.perf_counter()
        read_s, write_s, rows = read_s + t1 - t0, write_s + t2 - t1, rows + batch.items.num_rows
    return {"rows": rows, "read_s": read_s, "write_s": write_s, "peak_rss_mb": peak_rss_mb()}


def worker_export(job: dict[str, Any]) -> dict[str, Any]:
    from yesan.store.layout import export_partitioned

    report = export_partitioned(Path(job["db"]), Path(job["layout"]))
    return {**report.as_dict(), "peak_rss_mb": peak_rss_mb()}


WORKERS: Final = {"queries": worker_queries, "load-duckdb": worker_load_duckdb, "export": worker_export}


def run_worker(kind: str, job: dict[str, Any], work: Path, timeout: float = 6 * 3600) -> dict[str, Any]:
    job_file = work / f"job-{kind}.json"
    job_file.write_text(json.dumps(job, ensure_ascii=False))
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", kind, str(job_file)]
    started = time.perf_counter()
    with (work / "workers.log").open("a") as worker_log:
        result = subprocess.run(command, stdout=subprocess.PIPE, stderr=worker_log, text=True, timeout=timeout)
    if result.returncode != 0:
        raise RuntimeError(f"worker {kind} failed ({result.returncode}); see {work / 'workers.log'}")
    data: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    data["wall_s"] = time.perf_counter() - started
    return data


# --- PostgreSQL -----------------------------------------------------------------------------------


def pg_load(url: str, db: Path, layout: Path, snapshot_ids: Sequence[int], first: bool) -> dict[str, Any]:
    """COPY the layout's partitions of ``snapshot_ids`` into PostgreSQL ``items``; small tables from the store."""
    import psycopg
    import pyarrow as pa
    import pyarrow.dataset as ds

    from yesan.query import open_backend
    from yesan.query.postgres import _copy_rows, copy_store_to_postgres, open_postgres

    started = time.perf_counter()
    store = open_backend(db)
    schema = store.table("items").schema()
    arrow_schema = schema.to_pyarrow()
    store.disconnect()
    target = open_postgres(url)
    if first:
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute("ALTER SYSTEM SET work_mem = '64MB'")
            connection.execute("SELECT pg_reload_conf()")
        target.create_table("items", schema=schema)
    partitioning = ds.partitioning(
        pa.schema([("fiscal_year", pa.int16()), ("snapshot_id", pa.int32()), ("parent_name", pa.string())]),
        flavor="hive",
    )
    dataset = ds.dataset(layout / "items", format="parquet", partitioning=partitioning)
    rows = 0
    for snapshot_id in snapshot_ids:
        table = dataset.to_table(filter=ds.field("snapshot_id") == snapshot_id)
        table = table.select(arrow_schema.names).cast(arrow_schema)
        _copy_rows(target, "items", table)
        rows += table.num_rows
    copy_s = time.perf_counter() - started
    copy_store_to_postgres(db, url, tables=("snapshots", "sources", "governments", "population"))
    t0 = time.perf_counter()
    with target.begin() as cursor:
        if first:
            cursor.execute("CREATE INDEX items_snapshot_gov ON items (snapshot_id, gov_code)")
            cursor.execute("CREATE INDEX items_year_brin ON items USING brin (fiscal_year, snapshot_id)")
        cursor.execute("ANALYZE items")
        cursor.execute("SELECT pg_total_relation_size('items')")
        size = int(cursor.fetchone()[0])
    index_s = time.perf_counter() - t0
    target.disconnect()
    return {"rows": rows, "copy_s": copy_s, "index_s": index_s, "total_s": time.perf_counter() - started, "bytes": size}


# --- serving memory ----------------------------------------------------------------------------------


SERVE_CODE: Final = (
    "import sys, uvicorn\nfrom pathlib import Path\nfrom yesan.web.app import create_app\n"
    "import importlib\nsearch = importlib.import_module('yesan.query.search')\n"
    "app = create_app(Path(sys.argv[1]), warm_up=sys.argv[3] == '1')\n"
    "@app.get('/bench/held')\n"
    "def held():\n"
    "    rollups = getattr(app.state, 'rollups', None)\n"
    "    return {'rollup_rows': rollups.rows if rollups else 0,"
    " 'rollup_snapshots': list(rollups.held) if rollups else [],"
    " 'search_rows': sum(i.rows for i in list(search._cache.values()))}\n"
    "uvicorn.run(app, host='127.0.0.1', port=int(sys.argv[2]), log_level='warning')\n"
)
#: What the serving benchmark asks, in turn: (name, path, query) from one parameter set.
SERVE_REQUESTS: Final[tuple[tuple[str, str, Callable[[dict[str, Any]], dict[str, Any]]], ...]] = (
    ("drill-gov", "/api/drilldown", lambda p: {"gov": p["gov"], "snapshot": p["latest"], "level": "field"}),
    ("drill-national", "/api/drilldown", lambda p: {"snapshot": p["latest"], "level": "region"}),
    (
        "trend-region",
        "/api/execution/trend",
        lambda p: {"fiscal_year": p["year"], "region": p["region"], "level": "field"},
    ),
    (
        "compare-gov",
        "/api/compare",
        lambda p: {"before_snapshot": p["mid"], "after_snapshot": p["latest"], "gov": p["gov"]},
    ),
    ("drill-default", "/api/drilldown", lambda p: {"level": "field"}),  # each government's latest snapshot
    (
        "drill-region-mid",
        "/api/drilldown",
        lambda p: {"region": p["region"], "snapshot": p["mid"], "level": "government"},
    ),
    ("drill-old-year", "/api/drilldown", lambda p: {"fiscal_year": p["year"] - 1 - p["i"] % 5, "level": "sector"}),
    ("search", "/api/search", lambda p: {"q": ("경로당", "청년 일자리", "도로", "어린이집")[p["i"] % 4], "limit": 20}),
    ("search-snapshot", "/api/search", lambda p: {"q": "경로당", "snapshot": p["mid"], "limit": 20}),
    ("page-explore", "/explore", lambda p: {"gov": p["gov"]}),
    ("page-home", "/", lambda p: {}),
)


def serve_memory(
    db: Path, params: list[dict[str, Any]], requests: int, *, warm_up: bool, settle_s: float, limit_mb: float
) -> dict[str, Any]:
    """The API app over the store (``create_app``, as ``yesan serve`` runs it): RSS sampled while it answers
    ``requests`` requests cycling through ``SERVE_REQUESTS`` (API drill-downs at every scope, trends, compares,
    search, pages), then what it holds (rollup rows, indexed rows).

    With ``warm_up`` the app builds its catalog, rollups and search index in the background as it starts
    (``yesan serve``'s default); sampling goes on ``settle_s`` seconds after the last request to see that
    finish. The server is killed if its RSS passes ``limit_mb`` (the machine is shared).
    """
    import socket
    import threading
    import urllib.error
    import urllib.parse
    import urllib.request

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    log_path = db.parent / f"serve-{'warm' if warm_up else 'cold'}.log"
    with log_path.open("w") as server_log:
        server = subprocess.Popen(
            [sys.executable, "-c", SERVE_CODE, str(db), str(port), "1" if warm_up else "0"],
            stdout=server_log,
            stderr=subprocess.STDOUT,
        )
    samples: list[float] = []
    killed = threading.Event()
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set() and server.poll() is None:
            try:
                rss = next(
                    int(line.split()[1]) / 1024
                    for line in Path(f"/proc/{server.pid}/status").read_text().splitlines()
                    if line.startswith("VmRSS:")
                )
            except (OSError, StopIteration):
                break
            samples.append(rss)
            if rss > limit_mb:
                killed.set()
                server.kill()
                break
            stop.wait(0.25)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    base = f"http://127.0.0.1:{port}"
    statuses: dict[str, int] = {}
    latencies: list[float] = []
    by_name: dict[str, list[float]] = {}
    held: dict[str, Any] = {}
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and server.poll() is None:
            try:
                urllib.request.urlopen(f"{base}/api/snapshots?limit=1", timeout=5).read()
                break
            except OSError:
                time.sleep(0.5)
        for i in range(requests):
            name, path, make = SERVE_REQUESTS[i % len(SERVE_REQUESTS)]
            p = {**params[(i // len(SERVE_REQUESTS)) % len(params)], "i": i // len(SERVE_REQUESTS)}
            t0 = time.perf_counter()
            try:
                with urllib.request.urlopen(f"{base}{path}?{urllib.parse.urlencode(make(p))}", timeout=600) as answer:
                    answer.read()
                    status = str(answer.status)
            except urllib.error.HTTPError as error:
                status = str(error.code)
            except OSError as error:  # the server is gone (killed at the limit)
                status = type(error).__name__
            latencies.append((time.perf_counter() - t0) * 1000)
            by_name.setdefault(name, []).append(latencies[-1])
            statuses[status] = statuses.get(status, 0) + 1
            if server.poll() is not None:
                break
        stop.wait(settle_s if warm_up else 1.0)
        if server.poll() is None:
            with contextlib.suppress(OSError, ValueError):
                held = json.loads(urllib.request.urlopen(f"{base}/bench/held", timeout=30).read())
    finally:
        stop.set()
        sampler.join(timeout=5)
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:  # a background query that does not stop: end it
            server.kill()
            server.wait(timeout=30)
    return {
        "warm_up": warm_up,
        "requests": len(latencies),
        "statuses": statuses,
        "peak_rss_mb": max(samples, default=float("nan")),
        "killed_at_mb": limit_mb if killed.is_set() else None,
        "latencies_ms": latencies,
        "by_request_ms": by_name,
        "held": held,
    }


# --- report ---------------------------------------------------------------------------------------


def _ms(value: float) -> str:
    if value != value:  # NaN: no sample
        return "—"
    return f"{value:,.1f}" if value < 100 else f"{value:,.0f}"


def _ratio(value: float, base: float) -> str:
    return f"{value / base:,.1f}×" if base == base and value == value and base > 0 else "—"


def _rows_label(rows: int) -> str:
    return f"{rows / 1e6:,.0f}M rows" if rows >= 1e6 else f"{rows / 1e3:,.0f}k rows"


def _p50(entry: dict[str, Any] | None) -> float:
    if not entry or entry.get("error") or not entry.get("samples_ms"):
        return float("nan")
    return _median(entry["samples_ms"])


def _versions() -> str:
    from importlib.metadata import version

    names = ("duckdb", "pyspark", "ibis-framework", "pyarrow", "psycopg")
    return ", ".join(f"{name} {version(name)}" for name in names) + f"; Python {sys.version.split()[0]}"


def report_lines(info: dict[str, Any], steps: list[dict[str, Any]], started: dt.datetime) -> list[str]:
    from bench_load import machine

    m = machine()
    ops_names = list(ops())
    lines = [
        f"## {started:%Y-%m-%d %H:%M} UTC — scale benchmark (issue #7): DuckDB vs Spark local vs PostgreSQL",
        "",
        f"- machine: {m.get('cpu', '?')}, {m.get('ram', '?')} RAM, shared with other engineers' work: load "
        f"average {info['load_start']} at start, {info['load_end']} at end (per step below)",
        f"- versions: {_versions()}; yesan commit {m.get('commit', '?')}",
        f"- command: `{info['command']}`; finished {info['finished']:%H:%M} UTC",
        f"- data: `generate.py` national rows, {info['snapshot_rows']:,} 세부사업 per snapshot, "
        f"{len(info['dates'])} snapshots per fiscal year ({', '.join(info['dates'][:3])} … {info['dates'][-1]}), "
        f"years loaded newest first; the same questions about {info['years'][-1]} at every step",
        "- engines: DuckDB = the store through `open_engine` (memory limit 1GB); Spark = `open_spark` on the "
        "partitioned layout, `local[2]`, driver 4g, 8 shuffle partitions; PostgreSQL = throwaway cluster "
        "(fsync off, default shared_buffers, work_mem 64MB), B-tree (snapshot_id, gov_code) + "
        "BRIN (fiscal_year, snapshot_id). Each engine's queries run in a fresh process, one after the other.",
        "",
        "Load (per step: the snapshots added at that step)",
        "",
        "| step rows | added | DuckDB load s | rows/s | layout export s | rows/s | PostgreSQL COPY s | index+ANALYZE s "
        "| DuckDB file | layout | PostgreSQL items |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for step in steps:
        load = step["load"]
        duck = load["duckdb"]
        duck_s = duck["read_s"] + duck["write_s"]
        export, pg = load.get("export", {}), load.get("postgres", {})
        lines.append(
            f"| {step['rows']:,} | {duck['rows']:,} | {duck_s:,.0f} | {duck['rows'] / duck_s:,.0f} | "
            f"{export.get('seconds', float('nan')):,.0f} | "
            f"{(export.get('rows_written', 0) / export['seconds']) if export else float('nan'):,.0f} | "
            f"{pg.get('copy_s', float('nan')):,.0f} | {pg.get('index_s', float('nan')):,.0f} | "
            f"{step['duckdb_bytes'] / 1e9:,.2f} GB | {step.get('layout_bytes', 0) / 1e9:,.2f} GB | "
            f"{pg.get('bytes', 0) / 1e9:,.2f} GB |"
        )
    for step in steps:
        queries = step["queries"]
        lines += [
            "",
            f"Queries at {step['rows']:,} rows (load average {step['load_avg']} at the step's start): p50 ms "
            "over the timed calls (n), and each engine against DuckDB",
            "",
            "| operation | DuckDB | n | Spark | n | PostgreSQL | n | Spark / DuckDB | PostgreSQL / DuckDB | same |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
        ]
        for name in ops_names:
            entries = {engine: queries.get(engine, {}).get("ops", {}).get(name) for engine in ENGINES}
            if not any(entries.values()):
                continue
            p50 = {engine: _p50(entry) for engine, entry in entries.items()}
            counts = {engine: len(entry["samples_ms"]) if entry else 0 for engine, entry in entries.items()}
            prints = {entry.get("fingerprint") for entry in entries.values() if entry and not entry.get("error")}
            errors = [f"{engine}: {entry['error']}" for engine, entry in entries.items() if entry and entry["error"]]
            same = "yes" if len(prints) == 1 and not errors else ("**no**" if len(prints) > 1 else "—")
            lines.append(
                f"| {name} | {_ms(p50['duckdb'])} | {counts['duckdb']} | {_ms(p50['spark'])} | {counts['spark']} | "
                f"{_ms(p50['postgres'])} | {counts['postgres']} | {_ratio(p50['spark'], p50['duckdb'])} | "
                f"{_ratio(p50['postgres'], p50['duckdb'])} | {same}{' (' + '; '.join(errors) + ')' if errors else ''} |"
            )
        memory = (
            [f"DuckDB query process peak RSS {queries['duckdb']['peak_rss_mb']:,.0f} MB"] if "duckdb" in queries else []
        )
        if "spark" in queries:
            memory.append(
                f"Spark: Python {queries['spark']['peak_rss_mb']:,.0f} MB + driver JVM "
                f"{queries['spark'].get('jvm_peak_rss_mb', 0):,.0f} MB, session + layout registration "
                f"{queries['spark']['open_s']:,.1f} s"
            )
        lines += ["", "Memory: " + "; ".join(memory) + "."]
    if len(steps) > 1:
        first, last = steps[0], steps[-1]
        lines += [
            "",
            f"Growth: p50 at each size, and the last over the first ({last['rows'] / first['rows']:,.1f}× the rows)",
            "",
            "| operation | engine | " + " | ".join(_rows_label(s["rows"]) for s in steps) + " | last / first |",
            "|---|---|" + "---:|" * (len(steps) + 1),
        ]
        for name in ops_names:
            for engine in ENGINES:
                values = [_p50(s["queries"].get(engine, {}).get("ops", {}).get(name)) for s in steps]
                if all(v != v for v in values):
                    continue
                known = [v for v in values if v == v]
                lines.append(
                    f"| {name} | {engine} | "
                    + " | ".join(_ms(v) for v in values)
                    + f" | {_ratio(known[-1], known[0])} |"
                )
    for serve in info.get("serve", []):
        lines += serve_lines(serve, steps[-1]["rows"] if steps else info.get("rows", 0))
    return lines


def serve_lines(serve: dict[str, Any], rows: int) -> list[str]:
    """One serving measurement: peak RSS, latencies (p50, max, per request kind) and what the app held."""
    lat = serve["latencies_ms"] or [float("nan")]
    what = (
        "as `yesan serve` runs it (catalog, rollups and search index of the latest snapshots built in the "
        "background at start)"
        if serve["warm_up"]
        else "without the background warm-up (`create_app(warm_up=False)`)"
    )
    killed = f", **killed at {serve['killed_at_mb']:,.0f} MB**" if serve["killed_at_mb"] else ""
    held = serve.get("held") or {}
    lines = [
        "",
        f"API app over the DuckDB store at {rows:,} rows, {what}: peak RSS **{serve['peak_rss_mb']:,.0f} MB**"
        f"{killed} over {serve['requests']} requests (statuses {serve['statuses']}; p50 {_ms(_median(lat))} ms, "
        f"max {_ms(max(lat))} ms); held at the end: {held.get('rollup_rows', -1):,} rollup rows of snapshots "
        f"{held.get('rollup_snapshots', '?')}, {held.get('search_rows', -1):,} indexed rows (-1: not read).",
    ]
    per = serve.get("by_request_ms") or {}
    if per:
        lines += ["", "| request | n | first ms | p50 ms | max ms |", "|---|---:|---:|---:|---:|"]
        for name, values in per.items():
            lines.append(f"| {name} | {len(values)} | {_ms(values[0])} | {_ms(_median(values))} | {_ms(max(values))} |")
    return lines


def serve_only(db: Path, requests: int, *, limit_mb: float) -> int:
    """``--serve-only DB``: the serving measurement alone over an existing store (its latest fiscal year)."""
    from yesan.query import open_backend

    backend = open_backend(db)
    try:
        rows = int(backend.table("items").count().to_pyarrow().as_py())
        year = int(backend.table("snapshots").fiscal_year.max().to_pyarrow().as_py())
    finally:
        backend.disconnect()
    params = [{**p, **snapshot_choice(db, year)} for p in choose_params(db, year, 7, seed=11)]
    log(f"serving {db} ({rows:,} rows, load average {load_average()})")
    for warm_up in (False, True):
        result = serve_memory(db, params, requests, warm_up=warm_up, settle_s=60, limit_mb=limit_mb)
        print("\n".join(serve_lines(result, rows)), flush=True)
    log(f"done (load average {load_average()})")
    return 0


# --- main ------------------------------------------------------------------------------------------


def _median(values: Sequence[float]) -> float:
    ordered = sorted(values)
    return ordered[len(ordered) // 2] if ordered else float("nan")


def dir_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--snapshot-rows", type=int, default=416_667, help="rows per snapshot (a national one)")
    parser.add_argument("--years", default="2017-2026", help="fiscal years FIRST-LAST")
    parser.add_argument("--dates", type=int, default=24, help="execution snapshots per year")
    parser.add_argument("--steps", default="1,3,10", help="years loaded at each step (newest first)")
    parser.add_argument("--engines", default=",".join(ENGINES))
    parser.add_argument("--calls", type=int, default=6, help="timed calls per operation (after 1 warm-up)")
    parser.add_argument("--budget", type=float, default=90.0, help="seconds per operation and engine")
    parser.add_argument("--serve-requests", type=int, default=66, help="requests to the API app (6 of each kind)")
    parser.add_argument("--serve-only", type=Path, metavar="DB", help="only the serving measurement, over this store")
    parser.add_argument("--work", type=Path, default=WORK)
    parser.add_argument("--quick", action="store_true", help="20,000 rows per snapshot, 4 dates, steps 1,2,3")
    parser.add_argument("--keep", action="store_true", help="keep the stores, the layout and the inputs")
    parser.add_argument("--no-record", action="store_true", help="do not append to RESULTS.md")
    parser.add_argument("--worker", nargs=2, metavar=("KIND", "JOB"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        kind, job_file = args.worker
        print(json.dumps(WORKERS[kind](json.loads(Path(job_file).read_text())), default=str))
        return 0
    if args.serve_only:
        return serve_only(args.serve_only, args.serve_requests, limit_mb=6000)
    if args.quick:
        args.snapshot_rows, args.dates, args.steps, args.years = 20_000, 4, "1,2,3", "2024-2026"
    first_year, last_year = (int(y) for y in args.years.split("-"))
    years = list(range(first_year, last_year + 1))
    steps = [int(s) for s in args.steps.split(",")]
    engines = [e for e in args.engines.split(",") if e]
    dates = snapshot_dates(args.dates)
    work = args.work / ("quick" if args.quick else "full")
    work.mkdir(parents=True, exist_ok=True)
    db, layout = work / "yesan.duckdb", work / "layout"
    for stale in (db, layout):
        if stale.is_dir():
            shutil.rmtree(stale)
        elif stale.exists():
            stale.unlink()
    started_at = dt.datetime.now(dt.UTC)
    info: dict[str, Any] = {
        "command": "python benchmarks/bench_scale.py " + " ".join(argv if argv is not None else sys.argv[1:]),
        "load_start": load_average(),
        "snapshot_rows": args.snapshot_rows,
        "dates": dates,
        "years": years,
    }
    base = base_table(args.snapshot_rows, years, work)
    steps_out: list[dict[str, Any]] = []
    loaded: list[int] = []
    params: list[dict[str, Any]] = []

    from contextlib import ExitStack

    with ExitStack() as stack:
        pg_url = None
        if "postgres" in engines:
            from pg_cluster import create_database, pg_cluster

            pg_url = create_database(stack.enter_context(pg_cluster()), "scale")
        for number, step_years in enumerate(steps):
            new_years = [y for y in sorted(years, reverse=True)[:step_years] if y not in loaded]
            step: dict[str, Any] = {"years": step_years, "load": {}, "queries": {}, "load_avg": load_average()}
            files = [f for y in new_years for f in input_files(base, y, dates, work)]
            log(f"step {number + 1}: loading {len(files)} snapshots of {new_years} (load average {load_average()})")
            step["load"]["duckdb"] = run_worker("load-duckdb", {"db": str(db), "files": [str(f) for f in files]}, work)
            loaded += new_years
            if not args.keep:
                for f in files:
                    f.unlink()
            step["rows"] = int(_store_rows(db))
            step["duckdb_bytes"] = db.stat().st_size
            if "spark" in engines or "postgres" in engines:
                step["load"]["export"] = run_worker("export", {"db": str(db), "layout": str(layout)}, work)
                step["layout_bytes"] = dir_bytes(layout)
            if pg_url is not None:
                log("postgres: copying the new snapshots")
                step["load"]["postgres"] = pg_load(pg_url, db, layout, step["load"]["export"]["written"], number == 0)
            if not params:
                params = choose_params(db, last_year, args.calls + 1, seed=11)
            step_params = [{**p, **snapshot_choice(db, last_year)} for p in params]
            for engine in engines:
                job = {"engine": engine, "db": str(db), "layout": str(layout), "pg_url": pg_url,
                       "params": step_params, "calls": args.calls, "budget": args.budget}  # fmt: skip
                log(f"step {number + 1}: {engine} queries on {step['rows']:,} rows")
                step["queries"][engine] = run_worker("queries", job, work)
            steps_out.append(step)
            (work / "steps.json").write_text(json.dumps(steps_out, default=str))  # kept if a later step fails
        if "duckdb" in engines and args.serve_requests:
            info["serve"] = []
            for warm_up in (False, True):
                log(f"the API over the store (warm-up {'on' if warm_up else 'off'}): peak RSS under requests")
                try:
                    info["serve"].append(
                        serve_memory(db, step_params, args.serve_requests, warm_up=warm_up, settle_s=180, limit_mb=6000)
                    )
                except Exception as error:  # the measurements above are kept whatever happens here
                    log(f"serve measurement failed: {type(error).__name__}: {error}")
    info["load_end"] = load_average()
    info["finished"] = dt.datetime.now(dt.UTC)
    lines = report_lines(info, steps_out, started_at)
    print("\n".join(lines))
    if not args.no_record:
        with RESULTS.open("a", encoding="utf-8") as handle:
            handle.write("\n" + "\n".join(lines) + "\n")
    if not args.keep:
        shutil.rmtree(layout, ignore_errors=True)
        db.unlink(missing_ok=True)
    return 0


def _store_rows(db: Path) -> int:
    from yesan.query import open_backend

    backend = open_backend(db)
    try:
        return int(backend.table("items").count().to_pyarrow().as_py())
    finally:
        backend.disconnect()


if __name__ == "__main__":
    raise SystemExit(main())
