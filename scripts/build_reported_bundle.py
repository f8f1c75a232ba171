"""Rebuild the bundled reported-figures datasets of Seoul 2026 from ../shared (run by maintainers, not at install).

Reads ``data/seoul-2026/reference.csv``, ``data/seoul-2026/lofin365-aggregates/`` and the headers of the
Seoul corpus articles (``corpus/seoul-2026/articles/NN.txt``), and writes to ``src/yesan/data/reported/``:

``seoul-2026-reference.csv`` + ``.sources.csv``
    Seoul's 2026 figures as announced (예산안) and enacted (본예산), one row per subject and stage, citing
    sources by key; each source (a corpus article) as outlet, address, date, tier and the fingerprint of its
    sentences (``yesan.claims.candidates.fingerprint``: hashes only, no text).
``seoul-bunya-regional-flat.csv`` + ``.sources.csv``
    Seoul 본청 by 분야, 2023–2026, from the regional-flat transcription of lofin365 QWGJK (백만원 → 원).
``seoul-bunya-bada17.csv`` + ``.sources.csv``
    Seoul 본청 by 분야, 2026, from the bada17 transcription (원).

The two transcriptions disagree for some 분야; both are shipped, each as its own dataset.
Facts and figures only: no article text, no headline, is written.

Usage: python scripts/build_reported_bundle.py [--shared PATH]
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "yesan" / "data" / "reported"
sys.path.insert(0, str(ROOT / "src"))

from yesan.claims.article.text import read_document  # noqa: E402
from yesan.claims.candidates.fingerprint import fingerprint, format_fingerprint  # noqa: E402

GOVERNMENT = "서울특별시"
SOURCE_COLUMNS = ("source", "outlet", "url", "other_urls", "published", "tier", "kind", "hosts", "fingerprint", "notes")

#: Corpus article → (outlet, kind, hosts that identify the outlet, date, notes). Outlets and dates are from the
#: corpus README's source table and the articles' ``# source:``/``# date:`` headers (a date the header gives
#: only as "30일" is the one the README resolves it to).
ARTICLES: dict[str, tuple[str, str, str, str, str]] = {
    "01": ("뉴데일리", "news report", "newdaily.co.kr", "2025-10-30", ""),
    "02": ("국민일보", "news report", "kmib.co.kr", "2025-10-31", ""),
    "03": ("SBS", "news report", "sbs.co.kr sbsnews.co.kr", "2025-10-30", ""),
    "04": ("SBS", "repost", "sbs.co.kr sbsnews.co.kr", "2025-10-30", "the same story as 03 on another SBS address"),
    "05": ("서울앤", "news report", "seouland.com", "2026-01-08", ""),
    "06": ("아시아투데이", "news report", "asiatoday.co.kr", "2025-10-30", "section listing teaser"),
    "07": ("뉴데일리", "news report", "newdaily.co.kr", "2025-12-16", ""),
    "08": ("뉴스1", "news report", "news1.kr", "2025-12-16", ""),
    "09": ("이투데이", "news report", "etoday.co.kr", "2025-10-30", ""),
    "10": ("세계일보", "news report", "segye.com", "2025-10-31", ""),
    "11": ("경향신문", "news report", "khan.co.kr", "2025-10-30", ""),
    "12": ("전자신문", "repost", "etnews.com peoplentools.com", "2025-10-30", "an etnews story republished"),
    "13": ("헤럴드경제", "news report", "heraldcorp.com", "2025-11-01", ""),
    "14": ("서울신문", "news report", "seoul.co.kr", "2025-12-03", "committee stage (session of 2025-12-02)"),
    "15": ("서울신문", "news report", "seoul.co.kr", "2025-12-22", "committee stage"),
    "16": ("비즈나와", "repost", "biznawa.com", "2025-10-30", "aggregator repost; the original outlet is not named"),
    "17": ("YTN", "news report", "ytn.co.kr", "2025-10-30", ""),
    "18": ("동아일보", "news report", "donga.com", "2025-10-31", ""),
    "19": ("서울신문", "news report", "seoul.co.kr", "2025-10-31", ""),
    "20": ("서울특별시의회", "council webzine", "smc.seoul.kr", "2026-01", "the council's own publication"),
    "21": ("전자신문", "repost", "etnews.com 11free.net", "2025-11-12", "aggregator repost of an etnews story"),
}
#: The government's own publications: what they state is a figure the government announced.
ANNOUNCED_KINDS = frozenset({"council webzine", "press release", "budget speech"})
#: 분야 names as lofin365 writes them; the transcriptions spell two of them differently.
FIELD_NAMES = {"산업중소기업및에너지": "산업ㆍ중소기업및에너지", "예비비기타": "예비비"}
FIGURE_HEADER = (
    "subject_ko", "amount_krw", "stage", "kind", "prior_year_amount_krw", "change_pct", "sources", "conflicting",
    "amount_ko", "change_krw", "prior_sources", "notes", "government", "fiscal_year",
)  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = parser.parse_args()
    shared: Path = args.shared
    if not (shared / "data" / "seoul-2026").is_dir():
        print(f"no {shared}/data/seoul-2026: give --shared PATH (the folder with data/ and corpus/)", file=sys.stderr)
        return 1
    OUT.mkdir(parents=True, exist_ok=True)
    reference(shared)
    regional_flat(shared / "data" / "seoul-2026" / "lofin365-aggregates")
    bada17(shared / "data" / "seoul-2026" / "lofin365-aggregates")
    for path in sorted(OUT.glob("*.csv")):
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


def _write(name: str, header: tuple[str, ...], rows: list[dict[str, str]]) -> None:
    with (OUT / name).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def reference(shared: Path) -> None:
    with (shared / "data" / "seoul-2026" / "reference.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        row["government"], row["fiscal_year"] = GOVERNMENT, "2026"
    _write("seoul-2026-reference.csv", FIGURE_HEADER, rows)
    sources = []
    for key, (outlet, kind, hosts, published, notes) in ARTICLES.items():
        path = shared / "corpus" / "seoul-2026" / "articles" / f"{key}.txt"
        header = _header(path)
        urls = re.findall(r"https?://\S+", header.get("source", ""))
        sources.append(
            {
                "source": key, "outlet": outlet, "url": urls[0], "other_urls": " ".join(urls[1:]),
                "published": published, "tier": "announced" if kind in ANNOUNCED_KINDS else "reported",
                "kind": kind, "hosts": hosts, "fingerprint": format_fingerprint(fingerprint(read_document(path).text)),
                "notes": notes,
            }
        )  # fmt: skip
    _write("seoul-2026-reference.sources.csv", SOURCE_COLUMNS, sources)


def _header(path: Path) -> dict[str, str]:
    fields = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("# "):
            break
        key, _, value = line[2:].partition(":")
        fields[key.strip()] = value.strip()
    return fields


def _figure(subject: str, amount: int, kind: str, year: int, source: str, notes: str) -> dict[str, str]:
    return {
        "subject_ko": subject, "amount_krw": str(amount), "stage": "", "kind": kind, "sources": source,
        "notes": notes, "government": GOVERNMENT, "fiscal_year": str(year),
    }  # fmt: skip


def regional_flat(folder: Path) -> None:
    meta = json.loads((folder / "regional-metadata.json").read_text(encoding="utf-8"))
    rows, sources = [], []
    for year in meta["availableYears"]:
        records = json.loads((folder / f"regional-flat-{year}.SEOUL_BONCHUNG_EXCERPT.json").read_text(encoding="utf-8"))
        by_field: dict[str, int] = defaultdict(int)
        for record in records:
            by_field[FIELD_NAMES.get(record["functionName"], record["functionName"])] += int(record["amount"])
        as_of = meta["asOf"][str(year)]
        key = f"regional-flat-{year}"
        day = f"{as_of[:4]}-{as_of[4:6]}-{as_of[6:]}"
        basis = f"예산현액 (bdg_cash_amt) {day} 기준, 본청, 내부거래·보전지출 제외, 백만원 단위"
        for name, amount in by_field.items():
            original = next((k for k, v in FIELD_NAMES.items() if v == name and k in _names(records)), name)
            spelled = f"; the transcription spells it {original}" if original != name else ""
            rows.append(_figure(f"분야: {name}", amount * 1_000_000, "allocation", year, key, basis + spelled))
        total = sum(by_field.values()) * 1_000_000
        rows.append(_figure("본청 예산현액 합계(내부거래·보전지출 제외)", total, "total", year, key, basis))
        sources.append(
            {
                "source": key, "outlet": "regional-flat (제3자의 지방재정365 QWGJK 집계)", "url": "", "other_urls": "",
                "published": f"{as_of[:4]}-{as_of[4:6]}-{as_of[6:]}", "tier": "official_aggregate",
                "kind": "transcription", "hosts": "", "fingerprint": "",
                "notes": f"third-party aggregation of lofin365 QWGJK, last updated {meta['lastUpdated']}; "
                "transcribed by hand",
            }
        )  # fmt: skip
    _write("seoul-bunya-regional-flat.csv", FIGURE_HEADER, rows)
    _write("seoul-bunya-regional-flat.sources.csv", SOURCE_COLUMNS, sources)


def _names(records: list[dict[str, object]]) -> set[str]:
    return {str(r["functionName"]) for r in records}


def bada17(folder: Path) -> None:
    spending = json.loads((folder / "bada17-spending-202610.SEOUL_BONCHUNG_EXCERPT.json").read_text(encoding="utf-8"))
    basis = "예산현액 2026-10 기준, 본청, 원 단위"
    rows = []
    for record in spending:
        name = str(record["fld_nm"])
        rows.append(_figure(f"분야: {name}", int(record["예산현액"]), "allocation", 2026, "bada17-spending", basis))
    rows.append(_figure("본청 예산현액 합계", sum(int(r["예산현액"]) for r in spending), "total", 2026,
                        "bada17-spending", basis))  # fmt: skip
    sources = [
        {
            "source": "bada17-spending", "outlet": "bada17/local-finance (제3자의 지방재정365 집계)",
            "url": "https://github.com/bada17/local-finance", "other_urls": "", "published": "2026-10",
            "tier": "official_aggregate", "kind": "transcription", "hosts": "", "fingerprint": "",
            "notes": "spending by 분야, 2026-10 snapshot; transcribed by hand",
        },
    ]  # fmt: skip
    _write("seoul-bunya-bada17.csv", FIGURE_HEADER, rows)
    _write("seoul-bunya-bada17.sources.csv", SOURCE_COLUMNS, sources)


if __name__ == "__main__":
    sys.exit(main())
