"""Score claim extraction on the dev corpus (Seoul 2026) and the external set (other budgets), with the
mistakes grouped by pattern.

The corpora hold third-party article texts and live only on the development machine, never in the
repository; a corpus that is absent is skipped with a message. Both use the Seoul gold schema (the
external set signs ``amount_krw``; ``yesan.claims.figures.evaluate`` accepts both).

    python scripts/eval_extraction.py                                   # both, default places
    python scripts/eval_extraction.py --dev ../shared/corpus/seoul-2026 --external /work/eval/external
    python scripts/eval_extraction.py --show 5                          # examples per pattern
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any, Final

ROOT: Final = Path(__file__).resolve().parents[1]
DEV: Final = ROOT.parent / "shared" / "corpus" / "seoul-2026"
EXTERNAL: Final = ROOT.parent / "eval" / "external"

#: (pattern, test on the gold line or the mistake's sentence), first match wins.
PATTERNS: Final[tuple[tuple[str, str], ...]] = (
    ("budget-book table (천원)", "table"),
    ("parser: number format", "parser"),
    ("council revision (삭감/감액/증액)", r"삭감|감액|증액|깎|수정\s?(?:의결|가결|안)"),
    ("distributed amount (각/씩)", r"각각|각\s|씩"),
    ("not a budget line (per unit, threshold, revenue)", "other"),
    ("total of an account or a government", "total"),
    ("prior (기정/당초/지난해)", "prior"),
    ("change (증가/감소)", "change"),
)


def pattern_of(sentence: str, gold: dict[str, Any] | None, kind: str | None) -> str:
    """The pattern a mistake belongs to (see ``PATTERNS``)."""
    for name, test in PATTERNS:
        if test == "table":
            if (gold is not None and gold.get("scale") == 1000) or re.search(r"[│|\t]|단위\s?:\s?천원", sentence):
                return name
        elif test == "parser":
            if gold is not None and str(gold.get("parser", "ok")) != "ok":
                return name
        elif test in ("other", "total", "prior", "change"):
            if (gold.get("kind") if gold is not None else kind) == test:
                return name
        elif re.search(test, sentence):
            return name
    return "allocation / subject"


def _golds(path: Path) -> dict[tuple[str, str, int | None], dict[str, Any]]:
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return {(g["article"], g.get("figure_text") or str(g["amount_krw"]), g.get("char_start")): g for g in lines}


def report(name: str, corpus: Path, show: int) -> dict[str, Any] | None:
    gold_path = corpus / "gold.jsonl"
    if not gold_path.exists():
        print(f"{name}: skipped, no corpus at {corpus} (it lives only on the development machine)\n")
        return None
    from yesan.claims import evaluate
    from yesan.claims.candidates.subjects import compact

    result = evaluate(corpus, gold_path, compact=compact)
    golds = _golds(gold_path)
    by_text: dict[tuple[str, str], dict[str, Any]] = {(a, t): g for (a, t, _), g in golds.items()}
    print(
        f"{name}: {result.articles} articles, {result.gold} gold figures, {result.predicted} claims\n"
        f"  F1 {result.f1:.3f} (precision {result.precision:.3f}, recall {result.recall:.3f}) · "
        f"kind {result.kind_accuracy:.3f} · subject {result.subject_agreement:.3f} (program words "
        f"{result.subject_compact or 0.0:.3f}) · sign {result.sign_accuracy:.3f}"
        f" · stage {result.stage_accuracy:.3f} · year {result.year_accuracy:.3f} · change % "
        f"{result.change_pct_accuracy:.3f}"
    )
    print(f"  kind confusion (gold→predicted): {result.kind_confusion}")
    groups: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for miss in result.misses:
        gold = by_text.get((miss.article, miss.text))
        groups[pattern_of(miss.sentence, gold, miss.detail)]["missed"].append(
            f"{miss.article} {miss.text} ({miss.detail})"
        )
    for alarm in result.false_alarms:
        groups[pattern_of(alarm.sentence, None, alarm.detail)]["false alarm"].append(
            f"{alarm.article} {alarm.text} ({alarm.detail})"
        )
    for error in result.kind_errors:
        gold_kind = error.detail.split(",")[0].removeprefix("gold ")
        gold = by_text.get((error.article, error.text))
        groups[pattern_of(error.sentence, gold or {"kind": gold_kind}, gold_kind)]["wrong kind"].append(
            f"{error.article} {error.text} ({error.detail})"
        )
    print("  mistakes by pattern:")
    for pattern, kinds in sorted(groups.items(), key=lambda item: -sum(len(v) for v in item[1].values())):
        counts = ", ".join(f"{what} {len(items)}" for what, items in kinds.items())
        print(f"    {pattern}: {counts}")
        for what, items in kinds.items():
            for item in items[:show]:
                print(f"      {what}: {item}")
    print()
    return result.as_dict()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dev", type=Path, default=DEV, help="the dev corpus (Seoul 2026)")
    parser.add_argument("--external", type=Path, default=EXTERNAL, help="the external set (other budgets)")
    parser.add_argument("--show", type=int, default=3, help="examples listed per pattern and mistake")
    args = parser.parse_args()
    report("dev (Seoul 2026)", args.dev, args.show)
    report("external (other budgets)", args.external, args.show)
    return 0


if __name__ == "__main__":
    sys.exit(main())
