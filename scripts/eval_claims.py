"""Evaluate claim extraction on the local dev corpus (``../shared/corpus/seoul-2026``), with details.

``yesan claims eval`` prints the scores and the mistakes; this script adds, per article, the counts
and the matched pairs whose subjects agree least, for development. It skips with a message when the
corpus is not on this machine (it is never part of the repository).

    python scripts/eval_claims.py              # summary, per article, 15 weakest subjects
    python scripts/eval_claims.py --weakest 50
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path
from typing import Final

CORPUS: Final = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "seoul-2026"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--weakest", type=int, default=15, help="how many low-agreement subjects to list")
    args = parser.parse_args()
    gold_path = args.corpus / "gold.jsonl"
    if not gold_path.exists():
        print(f"skipped: no dev corpus at {args.corpus} (it is only on the development machine)")
        return 0

    from yesan.claims import evaluate, extract_document, read_document
    from yesan.claims.figures.evaluate import article_file, load_gold, match_claims, subject_agreement

    result = evaluate(args.corpus, gold_path)
    print(
        f"F1 {result.f1:.3f} (precision {result.precision:.3f}, recall {result.recall:.3f}) · "
        f"kind {result.kind_accuracy:.3f} · subject {result.subject_agreement:.3f} · stage {result.stage_accuracy:.3f}"
        f" · year {result.year_accuracy:.3f} · change % {result.change_pct_accuracy:.3f}"
    )
    golds = load_gold(gold_path)
    by_article = defaultdict(list)
    for gold in golds:
        by_article[gold.article].append(gold)
    weak: list[tuple[float, str, str, str | None, str | None]] = []
    print("\narticle  gold  predicted  matched")
    for article in sorted(by_article):
        document = read_document(article_file(args.corpus, article))
        claims = extract_document(document)
        pairs = match_claims(document.text, by_article[article], claims, document.offset)
        print(f"{article:>7}  {len(by_article[article]):>4}  {len(claims):>9}  {len(pairs):>7}")
        for g, c in pairs:
            gold, claim = by_article[article][g], claims[c]
            score = subject_agreement(claim.subject, gold.subject)
            weak.append((score, article, claim.amount_text, claim.subject, gold.subject))
    print(f"\n{args.weakest} weakest subjects (agreement, article, figure, predicted | gold):")
    for score, article, text, predicted, gold_subject in sorted(weak)[: args.weakest]:
        print(f"  {score:.2f}  {article}  {text:<14} {predicted!s} | {gold_subject!s}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
