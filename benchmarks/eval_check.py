"""Evaluate `yesan check` over the local Seoul 2026 dev corpus (not shipped: /work/shared, for local runs only).

For every article: extract its figures, match and judge them against the reported figures of
``data/seoul-2026/reference.csv``, and compare with the hand labels of ``gold.jsonl``:

* verdict counts (claims and checks inside the texts);
* extraction coverage: gold figures found at their place in the text;
* matching: for found figures whose gold label names a subject of the reference file, whether the
  decisive evidence is that subject's figure;
* the known conflicts of the corpus README: are they flagged, and how;
* the across-source table: subjects in several articles, disagreements and their classes.

    python benchmarks/eval_check.py [--shared /work/shared] [--markdown]

Skips (exit 0 with a message) when the corpus is absent. Article text is never printed in full.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from yesan.claims.article.text import read_document
from yesan.claims.verdict.check import CheckReport, check_path
from yesan.claims.verdict.sources import compare_sources
from yesan.ingest.reported import read_reported
from yesan.query import open_backend, tables
from yesan.store import Store


def _load_store(db: Path, reference: Path) -> None:
    batch = read_reported(reference, government="서울특별시", fiscal_year=2026)
    with Store.open(db) as store:
        store.load_reported(batch.figures, dataset=batch.dataset, source_file=batch.source_file, sha256=batch.sha256)


def _gold(path: Path) -> dict[str, list[dict[str, Any]]]:
    by_article: dict[str, list[dict[str, Any]]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            by_article.setdefault(row["article"], []).append(row)
    return by_article


def _decisive_subject(judgement: dict[str, Any]) -> str | None:
    evidence = judgement["evidence"]
    if not evidence or judgement["verdict"] in ("확인 불가", "모호"):
        return None
    return evidence[0]["details"].get("subject")


def evaluate(shared: Path) -> dict[str, Any]:
    corpus = shared / "corpus" / "seoul-2026"
    reference = shared / "data" / "seoul-2026" / "reference.csv"
    subjects = {line.split(",", 1)[0] for line in reference.read_text(encoding="utf-8").splitlines()[1:]}
    gold = _gold(corpus / "gold.jsonl")
    reports: list[CheckReport] = []
    found = matched = subject_known = subject_right = 0
    gold_verdicts: Counter[str] = Counter()
    wrong: list[str] = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "eval.duckdb"
        _load_store(db, reference)
        backend = open_backend(db)
        try:
            t = tables(backend)
            for path in sorted((corpus / "articles").glob("*.txt")):
                report = check_path(path, t, government="서울특별시", year=2026)
                reports.append(report)
                offset = read_document(path).offset or 0
                by_place = {(j.claim.start + offset): j.as_dict() for j in report.judgements}
                for label in gold.get(path.stem, []):
                    judgement = by_place.get(label["char_start"])
                    if judgement is None:
                        continue
                    found += 1
                    gold_verdicts[judgement["verdict"]] += 1
                    decided = _decisive_subject(judgement)
                    if decided is not None:
                        matched += 1
                    if label["canonical_subject"] in subjects and decided is not None:
                        subject_known += 1
                        if decided == label["canonical_subject"]:
                            subject_right += 1
                        else:
                            wrong.append(
                                f"{path.stem} {label['figure_text']}: {decided} (gold {label['canonical_subject']})"
                            )
        finally:
            backend.disconnect()
    seconds = time.perf_counter() - started
    verdicts: Counter[str] = Counter()
    checks: Counter[str] = Counter()
    for report in reports:
        verdicts.update(report.counts())
        checks.update(f"{c.kind}: {c.verdict}" for c in report.checks)
    across = compare_sources(reports)
    relations = Counter(f.relation for row in across.rows if len(row.sources) > 1 for f in row.figures)
    return {
        "articles": len(reports),
        "claims": sum(len(r.judgements) for r in reports),
        "gold": sum(len(v) for v in gold.values()),
        "gold_found": found,
        "gold_found_with_evidence": matched,
        "subject_checked": subject_known,
        "subject_right": subject_right,
        "wrong_subjects": wrong,
        "verdicts": dict(verdicts),
        "gold_verdicts": dict(gold_verdicts),
        "checks": dict(checks),
        "conflicts": _conflicts(reports),
        "across": {**{k: v for k, v in across.as_dict().items() if k != "rows"}, "relations": dict(relations)},
        "seconds": round(seconds, 1),
    }


def _conflicts(reports: list[CheckReport]) -> dict[str, list[str]]:
    """How the corpus README's known conflicts come out, figure by figure."""
    wanted = {
        "약자와의 동행 15조6000억 (exact 15조6256억)": ("15조6000억", "15조 6000억", "15조 6천억"),
        "약자와의 동행 +8천억/8000억 (exact 8601억)": ("8천억", "8000억"),
        "노후 상·하수관로 4500억 (exact 4477억)": ("4,500억", "4500억"),
        "total 51.5조 / 51조 (exact 51조5060억 / 51조4778억)": ("51.5조", "51조 ", "51조원"),
        "city+교육청 62조 (exact 62조4200억)": ("62조 원", "62조"),
        "청년취업사관학교 156억 vs 431억": ("156억",),
        "신속통합기획 75억 vs 152억": ("75억",),
    }
    found: dict[str, list[str]] = {name: [] for name in wanted}
    for report in reports:
        source = Path(report.source or "").stem
        for judgement in report.judgements:
            text = judgement.claim.amount_text
            for name, spellings in wanted.items():
                if any(text == s.strip() or text.startswith(s) for s in spellings) and (
                    name.startswith("city") is text.startswith("62조")
                ):
                    found[name].append(f"{source} {text}: {judgement.verdict}")
    found["share 32.4% (fits 16조6686억, not 15조6256억)"] = [
        f"{Path(r.source or '').stem} {c.stated}: {c.verdict} — {c.rule}"
        for r in reports
        for c in r.checks
        if c.kind == "share" and "32.4" in c.stated
    ]
    return found


def markdown(result: dict[str, Any]) -> str:
    lines = [
        f"- {result['articles']} articles, {result['claims']} figures extracted ({result['seconds']} s in all); "
        f"gold figures found at their place: {result['gold_found']}/{result['gold']}",
        f"- verdicts: {', '.join(f'{k} {v}' for k, v in result['verdicts'].items())}",
        f"- found gold figures with evidence: {result['gold_found_with_evidence']}/{result['gold_found']}; decisive "
        f"evidence is the gold subject's figure for {result['subject_right']}/{result['subject_checked']}",
        f"- checks inside the texts: {', '.join(f'{k} {v}' for k, v in sorted(result['checks'].items()))}",
        f"- across sources: {result['across']['subjects']} subjects, {result['across']['in_several_sources']} in "
        f"several articles, {result['across']['disagreements']} with differing figures; figure relations "
        f"{', '.join(f'{k} {v}' for k, v in sorted(result['across']['relations'].items()))}",
    ]
    lines.append("- known conflicts:")
    for name, rows in result["conflicts"].items():
        lines.append(f"  - {name}: {'; '.join(rows) if rows else 'not found'}")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared")
    parser.add_argument("--markdown", action="store_true", help="Print a summary for RESULTS.md.")
    args = parser.parse_args()
    if not (args.shared / "corpus" / "seoul-2026" / "gold.jsonl").exists():
        print(f"skipped: no dev corpus under {args.shared} (it is local only)")
        return 0
    result = evaluate(args.shared)
    print(markdown(result) if args.markdown else json.dumps(result, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
