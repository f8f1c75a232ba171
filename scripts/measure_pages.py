"""Time to first byte of every explorer page, against a running `yesan serve` or one started here.

    python scripts/measure_pages.py                      # builds the bundled store in a temp dir, serves it
    python scripts/measure_pages.py --url http://127.0.0.1:8000

Each URL is asked ``--repeat`` times with a throw-away parameter (so neither the browser's ETag nor the
app's response cache answers) and once more as is, twice (the second answer comes from the cache).
Reported: the first (cold) answer, the median uncached answer and the cached answer, in milliseconds.
"""

from __future__ import annotations

import argparse
import http.client
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote, urlparse

GOHEUNG = "4674000"
PAGES = (
    ("home, all governments", "/"),
    ("home, one government", f"/?gov={GOHEUNG}"),
    ("explore, 분야 (all)", "/explore"),
    ("explore, 분야", f"/explore?gov={GOHEUNG}"),
    ("explore, 부문", f"/explore?gov={GOHEUNG}&field={quote('사회복지')}"),
    ("explore, 세부사업", f"/explore?gov={GOHEUNG}&field={quote('농림해양수산')}&sector={quote('농업ㆍ농촌')}"),
    ("compare (one snapshot)", "/compare"),
    ("item", "/item/1/1/103607"),
    ("search", f"/search?q={quote('경로당')}"),
    ("search, typo + 광역", f"/search?q={quote('경노당')}&region={quote('전라남도')}"),
    ("peers", f"/peers?gov={GOHEUNG}"),
    ("explore .json", f"/explore.json?gov={GOHEUNG}"),
    ("plotly.min.js (gzip)", "/static/vendor/plotly.min.js?v=1"),
    ("check (form)", "/check"),  # last: opening it starts the article check's warm-up (CPU for seconds)
)


def first_byte_ms(base: str, path: str) -> tuple[float, int, int]:
    """(ms until the status line and headers arrived, status, body bytes)."""
    url = urlparse(base)
    connection = http.client.HTTPConnection(url.hostname or "127.0.0.1", url.port or 80, timeout=120)
    try:
        start = time.perf_counter()
        connection.request("GET", path, headers={"Accept-Encoding": "gzip"})
        response = connection.getresponse()
        elapsed = (time.perf_counter() - start) * 1000
        body = response.read()
        return elapsed, response.status, len(body)
    finally:
        connection.close()


@contextmanager
def bundled_server() -> Iterator[str]:
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "demo.duckdb"
        cli = [sys.executable, "-c", "from yesan.cli import main; main()", "--db", str(db)]
        subprocess.run([*cli, "demo", "--no-serve"], check=True, capture_output=True)
        server = subprocess.Popen(
            [*cli, "serve", "--port", "8791"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            base = "http://127.0.0.1:8791"
            for _ in range(300):
                try:
                    first_byte_ms(base, "/api/snapshots")
                    break
                except OSError:
                    time.sleep(0.1)
            yield base
        finally:
            server.terminate()
            server.wait(timeout=30)


def measure(base: str, repeat: int, settle_s: float) -> None:
    time.sleep(settle_s)  # the app builds its catalog, rollups and search index in the background at start
    print(f"{'page':28} {'status':>6} {'KB':>7} {'cold':>7} {'median':>7} {'cached':>7}  (ms to first byte)")
    for name, path in PAGES:
        cold, status, size = first_byte_ms(base, path)
        joiner = "&" if "?" in path else "?"
        uncached = [first_byte_ms(base, f"{path}{joiner}_={i}")[0] for i in range(repeat)]
        first_byte_ms(base, path)
        cached, _, _ = first_byte_ms(base, path)
        print(
            f"{name:28} {status:>6} {size / 1024:>7.1f} {cold:>7.1f} {statistics.median(uncached):>7.1f} {cached:>7.1f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help="a running yesan serve (default: start one over the bundled data)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--settle", type=float, default=5.0, help="seconds to let the app warm up first")
    args = parser.parse_args()
    if args.url:
        measure(args.url.rstrip("/"), args.repeat, 0)
        return
    with bundled_server() as base:
        measure(base, args.repeat, args.settle)


if __name__ == "__main__":
    main()
