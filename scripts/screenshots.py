"""Screenshots of every explorer page for the README (docs/screenshots/*.png), taken in headless Chromium.

    python scripts/screenshots.py                 # bundled data (built in a temp dir) + a small example store
    python scripts/screenshots.py --out /tmp/shots
    python scripts/screenshots.py --only 07-peers.png --db ~/.local/share/yesan/yesan.duckdb

Needs Debian's ``chromium`` (/usr/bin/chromium) and ``fonts-nanum`` for the Korean glyphs, and the
``playwright`` Python package (its own browser download is not used). The compare page is shown on a
small made-up store with two snapshots (the bundled data has one); every other page uses the bundled
2026 snapshot of 지방재정365.
"""

from __future__ import annotations

import argparse
import csv
import io
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
    ("08-compare.png", "example", "/compare?gov=4711000", False),
    ("09-check.png", "bundled", "check:", False),
)

FIELDS = [
    "fyr",
    "exe_ymd",
    "wa_laf_hg_nm",
    "laf_cd",
    "laf_hg_nm",
    "acnt_dv_nm",
    "fld_nm",
    "part_nm",
    "dbiz_cd",
    "dbiz_nm",
    "bdg_cash_amt",
    "bdg_ntep",
    "capep",
    "sggep",
    "etc_amt",
    "ep_amt",
    "cpl_amt",
]
# A made-up 가나군 in two snapshots (amounts in 백만원): grown, cut, new, removed and unchanged items.
EXAMPLE = {
    "20260331": [
        ("일반회계", "사회복지", "노인·청소년", "1000000000000001", "경로당 난방비 지원", 100, 50, 25, 25, 20),
        ("일반회계", "사회복지", "노인·청소년", "1000000000000002", "청년 일자리 지원", 300, 0, 100, 200, 60),
        ("일반회계", "환경", "폐기물", "1000000000000003", "생활폐기물 수거", 500, 0, 0, 500, 100),
        ("수질개선특별회계", "환경", "상하수도·수질", "1000000000000004", "하수관로 정비", 200, 100, 0, 100, 0),
        ("일반회계", "교통및물류", "도로", "1000000000000006", "농어촌도로 확포장", 420, 210, 60, 150, 90),
        ("일반회계", "문화및관광", "관광", "1000000000000007", "군립 축제 개최", 90, 0, 20, 70, 10),
    ],
    "20260705": [
        ("일반회계", "사회복지", "노인·청소년", "1000000000000001", "경로당 난방비 지원", 120, 60, 30, 30, 80),
        ("일반회계", "사회복지", "노인·청소년", "1000000000000002", "청년 일자리 지원", 250, 0, 100, 150, 150),
        ("일반회계", "환경", "폐기물", "1000000000000003", "생활폐기물 수거", 500, 0, 0, 500, 410),
        ("일반회계", "사회복지", "노인·청소년", "1000000000000005", "스마트 경로당 구축", 80, 40, 0, 40, 0),
        ("일반회계", "교통및물류", "도로", "1000000000000006", "농어촌도로 확포장", 510, 250, 80, 180, 200),
        ("일반회계", "문화및관광", "관광", "1000000000000007", "군립 축제 개최", 60, 0, 10, 50, 45),
    ],
}


def cli(db: Path, *args: str, capture: bool = True) -> subprocess.CompletedProcess[bytes]:
    command = [sys.executable, "-c", "from yesan.cli import main; main()", "--db", str(db), *args]
    return subprocess.run(command, check=True, capture_output=capture)


def example_store(folder: Path) -> Path:
    db = folder / "example.duckdb"
    files = []
    for exe_ymd, rows in EXAMPLE.items():
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(FIELDS)
        for account, field, sector, code, name, budget, national, provincial, municipal, spent in rows:
            won = [x * 1_000_000 for x in (budget, national, provincial, municipal, 0, spent, budget)]
            writer.writerow([2026, exe_ymd, "가나도", "4711000", "가나군", account, field, sector, code, name, *won])
        path = folder / f"example-{exe_ymd}.csv"
        path.write_text(out.getvalue(), encoding="utf-8")
        files.append(str(path))
    cli(db, "load", *files)
    return db


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
        with serving(db) as bundled, serving(example_store(Path(folder))) as example:
            take(args.out, {"bundled": bundled, "example": example}, args.only)


if __name__ == "__main__":
    main()
