"""Check every drill-down aggregate the API serves against sums recomputed from the raw rows.

Independent of yesan's query layer: the expected figures come from Python's ``csv`` module over the
published QWGJK file (or, when ../shared is absent, the bundled Parquet read with pyarrow), the
actual ones from a running ``yesan serve`` over HTTP. Exits 1 and lists every mismatch.

    python scripts/verify_api_aggregates.py --url http://127.0.0.1:8000 [--csv PATH]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import sys
import urllib.parse
import urllib.request
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PUBLISHED = ROOT.parent / "shared" / "data" / "lofin365" / "qwgjk_fyr2026_exe20260705.csv.gz"
BUNDLED = ROOT / "src" / "yesan" / "data" / "qwgjk_fyr2026_exe20260705.parquet"

AMOUNTS = {
    "bdg_cash_amt": "budget",
    "bdg_ntep": "national",
    "capep": "provincial",
    "sggep": "municipal",
    "etc_amt": "other",
    "ep_amt": "spent",
    "cpl_amt": "allocated",
}

#: API level → the raw QWGJK fields that make its group key, and the API key fields in the same order.
LEVELS = {
    "region": (("wa_laf_hg_nm",), ("parent_name",)),
    "government": (("laf_cd",), ("gov_code",)),
    "account": (("acnt_dv_nm",), ("account",)),
    "field": (("fld_nm",), ("field_name",)),
    "sector": (("fld_nm", "part_nm"), ("field_name", "sector_name")),
}


def raw_rows(path: Path | None) -> Iterator[dict[str, str]]:
    if path is not None and path.exists():
        with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
            yield from csv.DictReader(handle)
        return
    import pyarrow.parquet as pq

    for row in pq.read_table(BUNDLED).to_pylist():
        yield {key: "" if value is None else str(value) for key, value in row.items()}


def expected_totals(rows: list[dict[str, str]], fields: tuple[str, ...]) -> dict[tuple[str, ...], dict[str, int]]:
    totals: dict[tuple[str, ...], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        # yesan trims text cells on load (the raw file has e.g. both '청사건립기금' and '청사건립기금 '),
        # so the recomputation applies the same documented rule and nothing else.
        group = totals[tuple(row[f].strip() for f in fields)]
        group["items"] += 1
        for raw, name in AMOUNTS.items():
            group[name] += int(row[raw] or 0)
    return totals


def fetch_all(url: str, level: str) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    next_url: str | None = f"{url}/api/drilldown?{urllib.parse.urlencode({'level': level, 'limit': 1000})}"
    while next_url:
        with urllib.request.urlopen(next_url, timeout=60) as response:
            page = json.load(response)
        rows.extend(page["rows"])
        next_url = page.get("next")
    return rows


def verify(url: str, source: Path | None) -> list[str]:
    rows = list(raw_rows(source))
    problems: list[str] = []
    for level, (raw_fields, api_fields) in LEVELS.items():
        expected = expected_totals(rows, raw_fields)
        actual = {}
        for row in fetch_all(url, level):
            key = tuple(str(row["key"][f]) if isinstance(row.get("key"), dict) else str(row[f]) for f in api_fields)
            actual[key] = row
        if set(actual) != set(expected):
            problems.append(f"{level}: groups differ: {sorted(set(expected) ^ set(actual))[:5]}")
        for key, sums in expected.items():
            got = actual.get(key)
            if got is None:
                continue
            for name, value in sums.items():
                if int(got[name]) != value:  # type: ignore[call-overload]
                    problems.append(f"{level} {key} {name}: API {got[name]} ≠ recomputed {value}")
        print(f"{level}: {len(expected)} groups checked", file=sys.stderr)
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--url", required=True, help="base URL of a running `yesan serve`")
    parser.add_argument("--csv", type=Path, default=PUBLISHED, help="published QWGJK CSV(.gz)")
    args = parser.parse_args()
    source = args.csv if args.csv.exists() else None
    if source is None:
        print(f"{args.csv} is not here; recomputing from the bundled Parquet instead", file=sys.stderr)
    problems = verify(args.url.rstrip("/"), source)
    for problem in problems:
        print(problem)
    print("all aggregates agree" if not problems else f"{len(problems)} mismatches", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
