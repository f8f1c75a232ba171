"""nDCG@10 and precision@10 of ``yesan search`` on the judged query set (``search_judged/queries.jsonl``).

The judged set grades every item of the bundled 2026-07-05 snapshot for 48 queries (homonyms,
abbreviations, spacing, typos, 초성, English words, synonyms, particles; see ``search_judged/judge.py``).
nDCG@10 uses the gain 2^grade − 1 and the ideal ranking of all judged items; precision@10 is the share
of the first ten hits with a grade above 0 (fewer than ten hits count the missing ones as misses).

    python benchmarks/eval_search.py                      # builds a store from the bundled data in /tmp
    python benchmarks/eval_search.py --db ~/.local/share/yesan/yesan.duckdb --worst 10
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

JUDGED: Final = Path(__file__).resolve().parent / "search_judged" / "queries.jsonl"
K: Final = 10


@dataclass(frozen=True)
class QueryScore:
    query: str
    kind: str
    ndcg: float
    precision: float
    hits: int
    top: list[tuple[str, int]]  # (item name, grade) of the first hits


def load_judged(path: Path = JUDGED) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def grades_of(line: dict[str, Any]) -> dict[str, int]:
    """Item code → grade of one judged query."""
    return {code: int(grade) for grade, codes in line["grades"].items() for code in codes}


def dcg(gains: list[int]) -> float:
    return sum((2**grade - 1) / math.log2(rank + 2) for rank, grade in enumerate(gains[:K]))


def score_query(index: Any, line: dict[str, Any]) -> QueryScore:
    """Search one judged query on ``index`` (a ``yesan.query.search.SearchIndex``) and score its first ten hits."""
    grades = grades_of(line)
    hits = index.search(line["query"], limit=K)
    got = [grades.get(str(hit.key[2]), 0) for hit in hits]
    ideal = dcg(sorted(grades.values(), reverse=True))
    ndcg = dcg(got) / ideal if ideal else 0.0
    precision = sum(grade > 0 for grade in got) / K
    top = [(hit.item_name, grade) for hit, grade in zip(hits, got, strict=True)]
    return QueryScore(line["query"], line["kind"], ndcg, precision, len(hits), top)


def bundled_index(db: Path | None) -> Any:
    from yesan.bundled import load_bundled
    from yesan.query import items_table, open_backend
    from yesan.query.search import index_for
    from yesan.store import Store

    if db is None:
        db = Path(tempfile.mkdtemp(prefix="yesan-search-eval-")) / "yesan.duckdb"
        store = Store.open(db)
        try:
            load_bundled(store)
        finally:
            store.close()
    return index_for(items_table(open_backend(db)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, help="a store holding the bundled snapshot (default: build one in /tmp)")
    parser.add_argument("--worst", type=int, default=8, help="how many lowest-scoring queries to show with hits")
    args = parser.parse_args()
    index = bundled_index(args.db)
    scores = [score_query(index, line) for line in load_judged()]
    by_kind: dict[str, list[QueryScore]] = defaultdict(list)
    for score in scores:
        by_kind[score.kind].append(score)
    print(f"{'kind':<13} {'queries':>7} {'nDCG@10':>8} {'P@10':>6}")
    for kind, group in by_kind.items():
        ndcg = sum(s.ndcg for s in group) / len(group)
        precision = sum(s.precision for s in group) / len(group)
        print(f"{kind:<13} {len(group):>7} {ndcg:>8.3f} {precision:>6.3f}")
    ndcg = sum(s.ndcg for s in scores) / len(scores)
    precision = sum(s.precision for s in scores) / len(scores)
    print(f"{'all':<13} {len(scores):>7} {ndcg:>8.3f} {precision:>6.3f}")
    print(f"\n{args.worst} lowest nDCG@10:")
    for score in sorted(scores, key=lambda s: (s.ndcg, s.precision))[: args.worst]:
        shown = "; ".join(f"{name} ({grade})" for name, grade in score.top[:5]) or "no hits"
        print(f"  {score.ndcg:.3f}  P@10 {score.precision:.1f}  {score.query} [{score.kind}]: {shown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
