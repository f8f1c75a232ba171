"""Load test: a real ``yesan serve`` process on loopback, many concurrent clients, mixed endpoints.

The server runs over a store built by ``yesan demo`` (the bundled 181,076-row snapshot) unless ``--db`` names
one. URLs are drawn from the store itself (its governments, regions, 분야, items and search words), so the mix
has cache hits and misses: every list endpoint of the API and its CSV twin, the pages and their ``.json``
twins, single items, the article check (``POST /api/check``) and ``If-None-Match`` revalidations (304).

Measured: requests served, errors (any status ≥ 400 or transport error; 304 is a success), latency p50/p90/p99
and max per endpoint group and overall, requests per second, and the server's resident memory (``VmRSS`` from
``/proc/<pid>/status``) sampled every 0.25 s: after a warm-up pass, at its peak and at the end, with the growth
over the second half of the run (a leak shows there). The run fails (exit 1) on any error or when memory grows
more than ``--max-growth-mb`` after warm-up.

    python benchmarks/load_test.py                          # 20,000 requests, 50 concurrent (a few minutes)
    python benchmarks/load_test.py --requests 2000 --concurrency 20 --db ~/.local/share/yesan/yesan.duckdb

Results are printed (a table and one JSON line) and written to ``benchmarks/out/load_test.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx

OUT = Path(__file__).resolve().parent / "out"
ARTICLE = (
    "가나군은 내년 예산을 3,287억원으로 편성했다. 올해보다 5.1% 늘어난 규모다. "
    "경로당 난방비 지원에는 1억2천만원, 청년 일자리 지원에는 3억원을 배정했다."
)


@dataclass
class Sample:
    group: str
    status: int
    seconds: float


@dataclass
class Run:
    samples: list[Sample] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    transport_errors: int = 0
    rss_mb: list[tuple[float, float]] = field(default_factory=list)  # (seconds since start, MB)


# --- the server -----------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def yesan_command() -> list[str]:
    exe = Path(sys.executable).with_name("yesan")
    return [str(exe)] if exe.exists() else [sys.executable, "-c", "from yesan.cli import main; main()"]


def build_demo_store(folder: Path) -> Path:
    db = folder / "demo.duckdb"
    print(f"building the demo store in {db} …", file=sys.stderr)
    subprocess.run([*yesan_command(), "--db", str(db), "demo"], check=True, capture_output=True)
    return db


def start_server(db: Path, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {**os.environ}
    env.pop("YESAN_DB", None)
    with log.open("wb") as output:
        process = subprocess.Popen(
            [*yesan_command(), "--db", str(db), "serve", "--port", str(port)],
            stdout=output,
            stderr=subprocess.STDOUT,
            env=env,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while True:
        try:
            if httpx.get(f"{url}/api/snapshots", timeout=10).status_code == 200:
                return process, url
        except httpx.HTTPError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise SystemExit("yesan serve did not start")
        time.sleep(0.25)


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


# --- what is asked ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Request:
    group: str
    method: str
    url: str
    body: bytes | None = None
    revalidate: bool = False


def url_pool(base: str, rng: random.Random) -> list[Request]:
    """Requests built from what the store holds (several hundred distinct URLs)."""
    with httpx.Client(base_url=base, timeout=120) as client:
        governments = client.get("/api/governments", params={"limit": 1000}).json()["rows"]
        fields = [r["field_name"] for r in client.get("/api/drilldown", params={"level": "field"}).json()["rows"]]
        items = client.get("/api/items", params={"limit": 1000, "offset": 5000}).json()["rows"]
    with_items = [g for g in governments if g["items"]] or governments
    codes = [g["code"] for g in with_items]
    regions = sorted({g["parent_name"] for g in with_items if g.get("parent_name")})
    words = ["경로당", "청년 일자리", "도로", "하수관로", "문화", "AI", "어르신", "체육관", "관광", "농업"]
    levels = ["region", "government", "field", "sector", "account_type"]

    def api(kind: str, path: str, **params: Any) -> Request:
        query = urlencode({k: v for k, v in params.items() if v is not None}, doseq=True)
        return Request(kind, "GET", f"{path}?{query}" if query else path)

    pool: list[Request] = [api("snapshots", "/api/snapshots"), api("governments", "/api/governments", limit=200)]
    for _ in range(60):
        gov = rng.choice(codes)
        field_name = rng.choice(fields)
        pool += [
            api("drilldown", "/api/drilldown", level=rng.choice(levels), gov=rng.choice([gov, None])),
            api("drilldown", "/api/drilldown", level="sector", field=field_name, region=rng.choice(regions)),
            api("items", "/api/items", gov=gov, limit=rng.choice([20, 100]), offset=rng.choice([0, 100])),
            api("search", "/api/search", q=rng.choice(words), region=rng.choice([None, *regions]), limit=20),
            api("execution", "/api/execution", level="field", gov=gov),
            api("funding", "/api/funding", level="sector", gov=gov),
            api("per-resident", "/api/per-resident", region=rng.choice(regions), field=rng.choice([None, field_name])),
            api("peers", "/api/peers", of=gov, group=rng.choice(["region", "type", "band"])),
            api("csv", rng.choice(["/api/drilldown.csv", "/api/items.csv"]), gov=gov, limit=100),
            api("pages", "/explore", gov=gov),
            api("pages", "/explore.json", gov=gov, field=field_name),
            api("pages", "/search", q=rng.choice(words)),
            api("pages", "/", gov=rng.choice([gov, None])),
            api("pages", "/peers", gov=gov),
        ]
    for item in rng.sample(items, min(60, len(items))):
        pool.append(api("item", f"/api/items/{item['snapshot_id']}/{item['source_id']}/{item['row_no']}"))
        pool.append(api("pages", f"/item/{item['snapshot_id']}/{item['source_id']}/{item['row_no']}"))
    check = json.dumps({"text": ARTICLE, "government": "가나군"}, ensure_ascii=False).encode()
    pool += [Request("check", "POST", "/api/check", check)] * 10
    pool += [Request("304", "GET", r.url, revalidate=True) for r in rng.sample(pool, 40) if r.method == "GET"]
    return pool


# --- running ------------------------------------------------------------------------------------------------


async def worker(
    client: httpx.AsyncClient, pool: list[Request], remaining: list[int], run: Run, rng: random.Random
) -> None:
    etags: dict[str, str] = {}
    while remaining[0] > 0:
        remaining[0] -= 1
        request = rng.choice(pool)
        headers = {"content-type": "application/json"} if request.body else {}
        if request.revalidate and request.url in etags:
            headers["if-none-match"] = etags[request.url]
        started = time.perf_counter()
        try:
            response = await client.request(request.method, request.url, content=request.body, headers=headers)
            status = response.status_code
            if "etag" in response.headers:
                etags[request.url] = response.headers["etag"]
        except httpx.HTTPError as error:
            after = time.perf_counter() - started
            run.errors.append(f"{request.method} {request.url}: {type(error).__name__} {error!r} after {after:.2f} s")
            run.transport_errors += 1
            continue
        seconds = time.perf_counter() - started
        run.samples.append(Sample(request.group, status, seconds))
        if status >= 400:
            run.errors.append(f"{request.method} {request.url}: {status} {response.text[:200]}")


async def sample_memory(pid: int, run: Run, started: float, stop: asyncio.Event) -> None:
    while not stop.is_set():
        run.rss_mb.append((time.perf_counter() - started, rss_mb(pid)))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=0.25)


async def load(base: str, pid: int, pool: list[Request], requests: int, concurrency: int, seed: int) -> Run:
    run = Run()
    remaining = [requests]
    # Idle connections are dropped by the client after 2 s, before uvicorn's 5 s keep-alive timeout closes them:
    # with both at 5 s (httpx's and uvicorn's defaults) a request sent on a connection the server is closing at
    # that moment fails with a ReadError (7-9 in 20,000 requests here) — a race of the two timers, which browsers
    # hide by retrying and this test must not count as a server error.
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency, keepalive_expiry=2.0)
    started = time.perf_counter()
    stop = asyncio.Event()
    async with httpx.AsyncClient(base_url=base, timeout=120, limits=limits) as client:
        sampler = asyncio.create_task(sample_memory(pid, run, started, stop))
        await asyncio.gather(
            *(worker(client, pool, remaining, run, random.Random(seed * 1000 + n)) for n in range(concurrency))
        )
        stop.set()
        await sampler
    return run


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def summarise(run: Run, seconds: float, warm_rss: float) -> dict[str, Any]:
    latencies = [s.seconds * 1000 for s in run.samples]
    groups: dict[str, list[float]] = defaultdict(list)
    for sample in run.samples:
        groups[sample.group].append(sample.seconds * 1000)
    rss = [mb for _t, mb in run.rss_mb]
    half = run.rss_mb[len(run.rss_mb) // 2 :]
    return {
        "requests": len(run.samples) + run.transport_errors,
        "served": len(run.samples),
        "errors": len(run.errors),
        "statuses": dict(Counter(str(s.status) for s in run.samples)),
        "seconds": round(seconds, 1),
        "requests_per_s": round(len(run.samples) / seconds, 1),
        "latency_ms": {
            "p50": round(percentile(latencies, 50), 1),
            "p90": round(percentile(latencies, 90), 1),
            "p99": round(percentile(latencies, 99), 1),
            "max": round(max(latencies), 1) if latencies else None,
            "mean": round(statistics.fmean(latencies), 1) if latencies else None,
        },
        "by_group_ms": {
            name: {
                "n": len(values),
                "p50": round(percentile(values, 50), 1),
                "p99": round(percentile(values, 99), 1),
            }
            for name, values in sorted(groups.items())
        },
        "rss_mb": {
            "after_warm_up": round(warm_rss, 1),
            "start": round(rss[0], 1) if rss else None,
            "peak": round(max(rss), 1) if rss else None,
            "end": round(rss[-1], 1) if rss else None,
            "second_half_growth": round(half[-1][1] - half[0][1], 1) if len(half) > 1 else None,
            "samples": len(rss),
        },
        "first_errors": run.errors[:10],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=20_000)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--warm-up", type=int, default=2_000, help="requests sent before memory is measured")
    parser.add_argument("--db", type=Path, help="store to serve (default: a fresh `yesan demo` store)")
    parser.add_argument("--seed", type=int, default=20260705)
    parser.add_argument("--max-growth-mb", type=float, default=50.0, help="allowed RSS growth after warm-up")
    parser.add_argument("--out", type=Path, default=OUT / "load_test.json")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="yesan-load-") as scratch:
        db = args.db or build_demo_store(Path(scratch))
        log = Path(scratch) / "serve.log"
        process, base = start_server(db, log)
        try:
            pool = url_pool(base, rng)
            print(f"{len(pool)} requests in the pool ({len(set(r.url for r in pool))} distinct URLs)", file=sys.stderr)
            asyncio.run(load(base, process.pid, pool, args.warm_up, args.concurrency, args.seed + 1))
            warm_rss = rss_mb(process.pid)
            started = time.perf_counter()
            run = asyncio.run(load(base, process.pid, pool, args.requests, args.concurrency, args.seed))
            seconds = time.perf_counter() - started
            alive = process.poll() is None
        finally:
            process.terminate()
            process.wait(timeout=60)
        answered = (" 200 OK", " 304 Not Modified", "Started server", "Waiting for application", "Application s")
        server_log = [line for line in log.read_text(errors="replace").splitlines() if not line.endswith(answered)]
        server_log = [line for line in server_log if not any(part in line for part in answered[2:])]
    result = summarise(run, seconds, warm_rss)
    result["server_log"] = server_log[:200]
    result.update(
        {
            "concurrency": args.concurrency,
            "warm_up_requests": args.warm_up,
            "pool": len(pool),
            "distinct_urls": len({r.url for r in pool}),
            "server_alive": alive,
            "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
            "date": time.strftime("%Y-%m-%d %H:%M"),
        }
    )
    growth = (result["rss_mb"]["end"] or 0) - warm_rss
    result["rss_mb"]["growth_after_warm_up"] = round(growth, 1)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    latency = result["latency_ms"]
    print(
        f"{result['served']:,} requests served in {result['seconds']} s ({result['requests_per_s']} req/s, "
        f"{args.concurrency} concurrent), errors {result['errors']}; latency p50 {latency['p50']} ms, "
        f"p90 {latency['p90']} ms, p99 {latency['p99']} ms, max {latency['max']} ms"
    )
    memory = result["rss_mb"]
    print(
        f"server RSS: {memory['after_warm_up']} MB after warm-up, peak {memory['peak']} MB, end {memory['end']} MB "
        f"(growth after warm-up {memory['growth_after_warm_up']} MB, second half {memory['second_half_growth']} MB)"
    )
    for name, figures in result["by_group_ms"].items():
        print(f"  {name:<13} n={figures['n']:>6,}  p50 {figures['p50']:>8} ms  p99 {figures['p99']:>8} ms")
    shown = {k: v for k, v in result.items() if k not in ("by_group_ms", "first_errors", "server_log")}
    print(json.dumps(shown, ensure_ascii=False))
    for line in result["server_log"][:40] if result["errors"] else []:
        print(f"server: {line}", file=sys.stderr)
    for error in result["first_errors"]:
        print(f"error: {error}", file=sys.stderr)
    ok = result["errors"] == 0 and alive and growth <= args.max_growth_mb
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
