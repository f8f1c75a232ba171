"""Screenshots of every explorer page for the README (docs/screenshots/*.png), taken in headless Chromium.

    python scripts/screenshots.py                 # the store yesan demo builds (in a temp dir)
    python scripts/screenshots.py --out /tmp/shots
    python scripts/screenshots.py --only 07-peers.png --db ~/.local/share/yesan/yesan.duckdb

Needs Debian's ``chromium`` (/usr/bin/chromium) and ``fonts-nanum`` for the Korean glyphs, and the
``playwright`` Python package (its own browser download is not used). Every page uses the store
`yesan demo` builds: the compare page sets two real years of the bundled 지방소멸대응기금 figures side by
side (지방재정365 GJSCS 2025 → 2026, by government); every other page uses the 2026 QWGJK snapshot.
"""

from __future__ import annotations

import argparse
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
GOHEUNG = "4674000"  # 전라남도 고흥군

# (file name, store, path, full page?)
SHOTS = (
    ("01-home.png", "bundled", f"/?gov={GOHEUNG}", False),
    ("02-home-all-en.png", "bundled", "/?lang=en", False),
    ("03-explore.png", "bundled", f"/explore?gov={GOHEUNG}", False),
    ("04-explore-items.png", "bundled", f"/explore?gov={GOHEUNG}&field=사회복지&sector=노인", False),
    ("05-item.png", "bundled", "item:경로당 시설 지원", False),
    ("06-search.png", "bundled", "/search?q=경노당&region=전라남도", False),
    ("07-peers.png", "bundled", f"/peers?gov={GOHEUNG}", False),
    ("08-compare.png", "bundled", "compare:lofin365.GJSCS:2025:2026", False),
    ("09-check.png", "bundled", "check:", False),
)


def cli(db: Path, *args: str, capture: bool = True) -> subprocess.CompletedProcess[bytes]:
    command = [sys.executable, "-c", "from yesan.cli import main; main()", "--db", str(db), *args]
    return subprocess.run(command, check=True, capture_output=capture)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serving(db: Path) -> Iterator[str]:
    port = free_port()
    command = [
        sys.executable,
        "-c",
        "from yesan.cli import main; main()",
        "--db",
        str(db),
        "serve",
        "--port",
        str(port),
    ]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(f"{base}/api/snapshots", timeout=5).close()
                break
            except OSError:
                time.sleep(0.1)
        time.sleep(3)  # let the app warm up (search index) before the first picture
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def compare_path(base: str, spec: str) -> str:
    """``compare:DATASET:YEAR:YEAR`` → the compare page of those two snapshots, by government."""
    import json

    _, dataset, before, after = spec.split(":")
    with urllib.request.urlopen(f"{base}/api/snapshots", timeout=30) as response:
        listed = json.load(response)
    rows = listed["rows"] if isinstance(listed, dict) else listed
    ids = {str(r["fiscal_year"]): r["snapshot_id"] for r in rows if r["dataset"] == dataset}
    return f"/compare?before={ids[before]}&after={ids[after]}&level=government"


def item_path(page: object, base: str, name: str) -> str:
    """The item page of the first search hit for ``name`` in 고흥군."""
    page.goto(f"{base}/search?q={name}&gov={GOHEUNG}", wait_until="networkidle")  # type: ignore[attr-defined]
    href = page.locator("#table-results tbody a").first.get_attribute("href")  # type: ignore[attr-defined]
    return str(href)


# Our own sentences (never an article's), quoting figures the way the news does.
ARTICLE = (
    "전라남도 고흥군은 올해 경로당 시설 지원에 38억6545만원을 편성했다. 사회복지 분야에는 2644억원이 "
    "배정돼 전체 예산 1조3928억원의 19%를 차지한다.\n노인일자리 및 사회활동 지원 확대 사업에는 약 200억원이 "
    "들어간다. 군은 청년 정착 지원에도 50억원을 쓰겠다고 밝혔다."
)


def fill_check(page: object, base: str) -> None:
    """The check page after checking ``ARTICLE`` for 고흥군, with the second figure's evidence open."""
    page.goto(f"{base}/check", wait_until="networkidle")  # type: ignore[attr-defined]
    page.fill("#text", ARTICLE)  # type: ignore[attr-defined]
    page.fill("#government", "고흥군")  # type: ignore[attr-defined]
    page.click("button[type=submit]")  # type: ignore[attr-defined]
    page.wait_for_selector("a.claim", timeout=120_000)  # type: ignore[attr-defined]
    page.locator("a.claim").nth(1).click()  # type: ignore[attr-defined]
    page.locator("#verdicts").scroll_into_view_if_needed()  # type: ignore[attr-defined]


def take(out: Path, bases: dict[str, str], only: list[str] | None = None) -> list[Path]:
    from playwright.sync_api import sync_playwright

    written = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM)
        page = browser.new_page(viewport={"width": 1280, "height": 1000}, device_scale_factor=1)
        problems: list[str] = []
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(str(e)))
        for name, store, path, full in SHOTS:
            if only and name not in only:
                continue
            base = bases[store]
            if path.startswith("item:"):
                path = item_path(page, base, path.removeprefix("item:"))
            if path.startswith("compare:"):
                path = compare_path(base, path)
            if path == "check:":
                fill_check(page, base)
                path = "/check (an example text, checked)"
            else:
                page.goto(f"{base}{path}", wait_until="networkidle")
            page.wait_for_timeout(400)  # plotly's transitions
            target = out / name
            page.screenshot(path=str(target), full_page=full)
            written.append(target)
            print(f"{target}  ←  {path}")
        browser.close()
    if problems:
        raise SystemExit("the pages reported errors:\n" + "\n".join(problems))
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--db", type=Path, help="a store with the bundled data (default: built in a temp dir)")
    parser.add_argument("--only", action="append", metavar="NAME", help="take only this shot, e.g. 07-peers.png")
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"{CHROMIUM} is missing: apt-get install chromium fonts-nanum")
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        db = args.db
        if db is None:
            db = Path(folder) / "demo.duckdb"
            cli(db, "demo", "--no-serve")
        with serving(db) as bundled:
            take(args.out, {"bundled": bundled}, args.only)


if __name__ == "__main__":
    main()
