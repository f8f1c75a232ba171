"""Government and year detection on real articles: the Seoul dev corpus + seed, and an external set.

    .venv/bin/python scripts/eval_government.py [--corpus DIR] [--seed DIR] [--external DIR] [--json]

The Seoul corpus (``/work/shared/corpus/seoul-2026/articles``) and the seed are all 서울특별시 2026. The external
set (``/work/eval/external``) lists the expected government (``서울특별시``, ``전라남도 고흥군``, ``행정안전부``,
``중앙정부`` …) and year per article in ``articles.jsonl``. The texts are local only (never in the repository):
a set whose texts are absent is skipped with a message. Detection reads the bundled directory of governments
(no store needed), exactly as ``yesan check`` reads the text; every miss is listed with what was found.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from yesan.claims.article.text import read_document
from yesan.claims.candidates.government import Directory
from yesan.claims.candidates.scope import read_text

SHARED = Path("/work/shared")


@dataclass
class Case:
    set_name: str
    path: Path
    government: str | None
    year: int | None


def _seoul(corpus: Path, seed: Path) -> list[Case]:
    cases = [Case("seoul", p, "서울특별시", 2026) for p in sorted(corpus.glob("*.txt"))]
    cases += [Case("seoul", p, "서울특별시", 2026) for p in sorted(seed.glob("*.txt"))]
    return cases


def _external(folder: Path) -> list[Case]:
    listing = folder / "articles.jsonl"
    cases = []
    for line in listing.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        path = folder / "articles" / f"{row['article']}.txt"
        if path.exists():
            cases.append(Case("external", path, row.get("government"), row.get("year")))
    return cases


def evaluate(cases: list[Case], directory: Directory) -> list[dict[str, Any]]:
    results = []
    for case in cases:
        document = read_document(case.path)
        finding, year = read_text(
            document.text, directory, published=document.published, title=document.title, address=document.url
        )
        found = finding.entry.label if finding else None
        results.append(
            {
                "set": case.set_name,
                "file": str(case.path),
                "expected_government": case.government,
                "government": found,
                "government_ok": found == case.government,
                "expected_year": case.year,
                "year": year.year,
                "year_ok": year.year == case.year,
                "mentions": [m.text for m in finding.mentions][:6] if finding else [],
                "runners_up": list(finding.runners_up) if finding else [],
                "cues": [f"{c.text}→{c.year}" for c in year.cues][:6],
            }
        )
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=SHARED / "corpus/seoul-2026/articles")
    parser.add_argument("--seed", type=Path, default=SHARED / "seed")
    parser.add_argument("--external", type=Path, default=Path("/work/eval/external"))
    parser.add_argument("--json", action="store_true", help="print every result as JSON (the summary to stderr)")
    args = parser.parse_args(argv)
    cases: list[Case] = []
    if args.corpus.is_dir():
        cases += _seoul(args.corpus, args.seed if args.seed.is_dir() else args.corpus / "none")
    else:
        print(f"skipped the Seoul corpus: {args.corpus} is absent (local texts only)", file=sys.stderr)
    if (args.external / "articles.jsonl").exists():
        cases += _external(args.external)
    else:
        print(f"skipped the external set: {args.external}/articles.jsonl is absent", file=sys.stderr)
    if not cases:
        print("no texts to evaluate", file=sys.stderr)
        return 0
    results = evaluate(cases, Directory.bundled())
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=1))
    report = sys.stderr if args.json else sys.stdout  # --json keeps standard output one JSON document
    for name in ("seoul", "external"):
        rows = [r for r in results if r["set"] == name]
        if not rows:
            continue
        gov = sum(r["government_ok"] for r in rows)
        year = sum(r["year_ok"] for r in rows)
        print(f"{name}: government {gov}/{len(rows)} ({gov / len(rows):.0%}), year {year}/{len(rows)} "
              f"({year / len(rows):.0%})", file=report)  # fmt: skip
    for r in results:
        if not (r["government_ok"] and r["year_ok"]):
            print(f"  miss {r['file']}: government {r['government']!r} (expected {r['expected_government']!r}), "
                  f"year {r['year']} (expected {r['expected_year']}); mentions {r['mentions']}, "
                  f"runners-up {r['runners_up']}, cues {r['cues']}", file=report)  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
