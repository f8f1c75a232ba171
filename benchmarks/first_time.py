"""Answers asked for the first time: every list endpoint of a real ``yesan serve``, fresh URLs, against raw SQL.

Caches make repeated questions fast; a journalist's questions are mostly new. For each question this
starts from a server that has never seen its URLs (each request differs in one parameter: a government, a
threshold, a search word), measures p50/p95 of those first-time answers, asks the same URLs again (cached),
and runs the same answer as hand-written DuckDB SQL on the same store file (the statements that give every
part of the response: totals, the page, the rankings). Ratios are taken within the run, so the machine's
load cancels out as far as it can.

    python benchmarks/first_time.py                      # builds a demo store in a temporary folder
    python benchmarks/first_time.py --db STORE --requests 20 --record

``--record`` appends the table to ``benchmarks/RESULTS.md``. Targets (issue: first-time speed): first-time
p50 ≤ 3× the raw SQL of the same answer.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
K = "gov_code, gov_name, account, item_code, item_name"


@dataclass(frozen=True)
class Question:
    name: str
    url: Callable[[int, Sequence[str]], str]  # request number, government codes → path and query
    sql: Callable[[int, Sequence[str]], list[tuple[str, list[Any]]]]  # the statements of the same answer


def _execution_sql(i: int, govs: Sequence[str]) -> list[tuple[str, list[Any]]]:
    floor = 100_000_000 + i * 1_000
    ranked = f"FROM items WHERE budget > 0 AND budget >= {floor}"
    rate = "spent::DOUBLE / budget"
    return [
        ("SELECT sum(budget), sum(spent), count(*), list(DISTINCT snapshot_id) FROM items", []),
        (f"SELECT {K}, budget, spent FROM items ORDER BY budget DESC, {K} LIMIT 100", []),
        (f"SELECT {K}, budget, spent {ranked} ORDER BY {rate} ASC, budget DESC, {K} LIMIT 20", []),
        (f"SELECT {K}, budget, spent {ranked} ORDER BY {rate} DESC, budget DESC, {K} LIMIT 20", []),
    ]


# A funding row says how many of its items do not add up and how many lack a source (the answer's "flagged"
# rows come from them): the raw SQL counts them too.
_ALL_SOURCES = "national IS NOT NULL AND provincial IS NOT NULL AND municipal IS NOT NULL AND other IS NOT NULL"
_FUNDING_FLAGS = (
    f"sum(CASE WHEN {_ALL_SOURCES} AND coalesce(budget, 0) <> coalesce(national, 0) + coalesce(provincial, 0) + "
    f"coalesce(municipal, 0) + coalesce(other, 0) THEN 1 ELSE 0 END), sum(CASE WHEN {_ALL_SOURCES} THEN 0 ELSE 1 END)"
)

QUESTIONS: tuple[Question, ...] = (
    Question(
        "drill 분야, one government",
        lambda i, govs: f"/api/drilldown?gov={govs[i % len(govs)]}&level=field",
        lambda i, govs: [
            (
                "SELECT field_name, sum(budget), sum(spent), count(*) FROM items WHERE gov_code = ? "
                "GROUP BY ALL ORDER BY 2 DESC",
                [govs[i % len(govs)]],
            )
        ],
    ),
    Question(
        "drill 부문, one government",
        lambda i, govs: f"/api/drilldown?gov={govs[i % len(govs)]}&level=sector",
        lambda i, govs: [
            (
                "SELECT field_name, sector_name, sum(budget), sum(spent), count(*) FROM items WHERE gov_code = ? "
                "GROUP BY ALL ORDER BY 3 DESC",
                [govs[i % len(govs)]],
            )
        ],
    ),
    Question(
        "lowest execution ≥ 1억 (items)",
        lambda i, govs: f"/api/execution?level=item&min_budget={100_000_000 + i * 1_000}&top=20",
        _execution_sql,
    ),
    Question(
        "execution by government",
        lambda i, govs: f"/api/execution?level=government&min_budget={i}&top=20",
        lambda i, govs: [
            (
                "SELECT gov_code, gov_name, sum(budget) b, sum(spent) s, count(*) FROM items GROUP BY ALL "
                "ORDER BY b DESC LIMIT 100",
                [],
            )
        ],
    ),
    Question(
        "funding mix, one government by 분야",
        lambda i, govs: f"/api/funding?gov={govs[i % len(govs)]}&level=field",
        lambda i, govs: [
            (
                "SELECT field_name, sum(budget), sum(national), sum(provincial), sum(municipal), sum(other), "
                f"count(*), {_FUNDING_FLAGS} FROM items WHERE gov_code = ? GROUP BY ALL ORDER BY 2 DESC",
                [govs[i % len(govs)]],
            )
        ],
    ),
    Question(
        "items of one government (page 1)",
        lambda i, govs: f"/api/items?gov={govs[i % len(govs)]}&limit=100",
        lambda i, govs: [
            ("SELECT count(*) FROM items WHERE gov_code = ?", [govs[i % len(govs)]]),
            (
                "SELECT i.*, s.file, s.sha256 FROM items i JOIN sources s USING (source_id) WHERE gov_code = ? "
                "ORDER BY snapshot_id, source_id, row_no LIMIT 100",
                [govs[i % len(govs)]],
            ),
        ],
    ),
    Question(
        "search (a different word each time)",
        lambda i, govs: "/api/search?q=" + urllib.parse.quote(SEARCH_WORDS[i % len(SEARCH_WORDS)]) + "&limit=20",
        lambda i, govs: [
            (
                f"SELECT {K}, budget FROM items WHERE item_name LIKE ? ORDER BY budget DESC LIMIT 20",
                [f"%{SEARCH_WORDS[i % len(SEARCH_WORDS)]}%"],
            )
        ],
    ),
    Question(
        "per resident, by government",
        lambda i, govs: f"/api/per-resident?limit={50 + i}",
        lambda i, govs: [
            (
                "SELECT gov_code, sum(budget) / any_value(p.population) FROM items JOIN population p USING (gov_code) "
                "GROUP BY gov_code ORDER BY 2 DESC",
                [],
            )
        ],
    ),
)
SEARCH_WORDS = (
    "경로당", "도로", "상수도", "청년", "관광", "축제", "하천", "농업", "어린이집", "보건소",
    "체육관", "도서관", "주차장", "쓰레기", "산림", "문화", "일자리", "귀농", "복지관", "소방",
)  # fmt: skip


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(base: str, path: str) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(base + path, timeout=120) as response:
        response.read()
        if response.status != 200:
            raise RuntimeError(f"{path}: HTTP {response.status}")
    return (time.perf_counter() - started) * 1000


def _quantiles(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95


def _serve(db: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("YESAN_")}
    exe = Path(sys.executable).with_name("yesan")
    command = [str(exe)] if exe.exists() else [sys.executable, "-c", "from yesan.cli import main; main()"]
    server = subprocess.Popen(
        [*command, "serve", "--db", str(db), "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            _get(base, "/api/snapshots")
            break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                raise RuntimeError("yesan serve did not start") from None
            time.sleep(0.2)
    time.sleep(3)  # the warm-up (rollups, search index) runs in the background: let it finish
    return server, base


def run(db: Path, requests: int) -> list[dict[str, Any]]:
    raw = duckdb.connect(str(db), read_only=True)
    govs = [r[0] for r in raw.execute("SELECT DISTINCT gov_code FROM items ORDER BY 1").fetchall()]
    server, base = _serve(db)
    results = []
    try:
        for question in QUESTIONS:
            paths = [question.url(i, govs) for i in range(requests)]
            first = [_get(base, path) for path in paths]
            cached = [_get(base, path) for path in paths]
            sql = []
            for i in range(requests):
                started = time.perf_counter()
                for statement, params in question.sql(i, govs):
                    raw.execute(statement, params).fetchall()
                sql.append((time.perf_counter() - started) * 1000)
            (f50, f95), (c50, c95), (s50, s95) = _quantiles(first), _quantiles(cached), _quantiles(sql)
            results.append(
                {"question": question.name, "first_p50": f50, "first_p95": f95, "cached_p50": c50,
                 "cached_p95": c95, "sql_p50": s50, "sql_p95": s95, "ratio_p50": f50 / s50 if s50 else None}
            )  # fmt: skip
            print(f"{question.name:40} first {f50:8.1f} / {f95:8.1f} ms   cached {c50:6.1f} / {c95:6.1f} ms   "
                  f"sql {s50:7.1f} / {s95:7.1f} ms   first/sql {f50 / s50:5.2f}×", flush=True)  # fmt: skip
    finally:
        server.terminate()
        server.wait(timeout=30)
        raw.close()
    return results


def _table(results: list[dict[str, Any]], requests: int) -> str:
    load = os.getloadavg()
    lines = [
        f"\n### First-time answers ({dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, `python benchmarks/first_time.py`)\n",
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, DuckDB "
        f"{duckdb.__version__}; load average at the end {load[0]:.1f}/{load[1]:.1f}; {requests} fresh URLs per "
        "question against one `yesan serve` on the bundled store; raw SQL = the same answer's statements on a "
        "read-only DuckDB connection to the same file, in the same run.\n",
        "| question | first p50 / p95 (ms) | cached p50 / p95 (ms) | raw SQL p50 / p95 (ms) | first ÷ SQL (p50) |",
        "|---|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r['question']} | {r['first_p50']:.1f} / {r['first_p95']:.1f} | {r['cached_p50']:.1f} / "
            f"{r['cached_p95']:.1f} | {r['sql_p50']:.1f} / {r['sql_p95']:.1f} | {r['ratio_p50']:.2f}× |"
        )
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="a store (default: build the demo store in a temporary folder)")
    parser.add_argument("--requests", type=int, default=15, help="fresh URLs per question")
    parser.add_argument("--record", action="store_true", help="append the table to benchmarks/RESULTS.md")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="yesan-first-time-") as tmp:
        db = args.db
        if db is None:
            db = Path(tmp) / "yesan.duckdb"
            subprocess.run(
                [sys.executable, "-c", "from yesan.cli import main; main()", "demo", "--no-serve", "--db", str(db)],
                check=True,
                stdout=subprocess.DEVNULL,
            )
        results = run(db, args.requests)
    table = _table(results, args.requests)
    print(table)
    if args.record:
        with RESULTS.open("a", encoding="utf-8") as handle:
            handle.write(table)


if __name__ == "__main__":
    main()
