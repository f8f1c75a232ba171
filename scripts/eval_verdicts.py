"""Score ``yesan check`` verdicts against a verdict gold set (what a careful fact-checker would say).

The labels live in ``benchmarks/verdicts/*.jsonl`` without any article text: one line per figure with
``article``, ``char_start`` (offset of the figure in the article file), ``amount_krw``, the expected
``verdict``, a short ``reason`` and, where it differs, ``value_verdict``: the verdict of the precision rule
alone when the data's figure is taken as given (a figure whose only source is the article itself is
``확인 불가`` for a fact-checker, ``self_only``, whatever it equals). The texts stay local:

* ``seoul-2026.jsonl``: the Seoul dev corpus (``../shared/corpus/seoul-2026/articles/NN.txt``) and the seed
  (article ``seed``: ``../shared/seed/000_78fbe5355907ade0.txt``), checked against a ``yesan demo`` store (which
  bundles Seoul's reported figures with their sources) as 서울특별시 2026;
* ``external.jsonl``: real non-Seoul articles (``/work/eval/external``), checked against the demo store, with
  the government and year the labels give (when they give them).

Reports the precision of the matching verdicts (일치, 반올림 일치, 근사, 범위 일치: the tool's matching verdicts
whose label is also a matching verdict), the precision of 불일치, every false 불일치 and every wrong match, and
a confusion table (label → verdict). Skips with a message when the texts are absent.

    python scripts/eval_verdicts.py                  # both sets, where their texts are present
    python scripts/eval_verdicts.py --markdown       # a summary for benchmarks/RESULTS.md
    python scripts/eval_verdicts.py --draft seoul    # the tool's verdicts as label lines (to review by hand)
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any, Final

ROOT: Final = Path(__file__).resolve().parents[1]
SHARED: Final = next((p / "shared" for p in ROOT.parents if (p / "shared" / "corpus").is_dir()), ROOT.parent / "shared")
EXTERNAL: Final = Path("/work/eval/external")
SEED: Final = "000_78fbe5355907ade0.txt"
MATCHING: Final = frozenset({"일치", "반올림 일치", "근사", "범위 일치"})
ORDER: Final = ("일치", "반올림 일치", "근사", "범위 일치", "불일치", "모호", "확인 불가", "(not found)")


def _articles(name: str, shared: Path, external: Path) -> dict[str, Path]:
    """Article id → file, for the texts present on this machine."""
    if name == "seoul":
        folder = shared / "corpus" / "seoul-2026" / "articles"
        found = {p.stem: p for p in sorted(folder.glob("*.txt"))} if folder.is_dir() else {}
        if (shared / "seed" / SEED).is_file():
            found["seed"] = shared / "seed" / SEED
        return found
    folder = external / "articles" if (external / "articles").is_dir() else external
    return {p.stem: p for p in sorted(folder.glob("*.txt"))} if folder.is_dir() else {}


def _labels(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _build_store(db: Path, shared: Path) -> None:
    """The ``yesan demo`` store: it carries Seoul's reported figures with their sources (the bundled
    ``seoul-2026-reference``, built from ``../shared/data/seoul-2026/``), so an article's own figures are known as
    its own. Loading ``reference.csv`` again, without its sources, would let them confirm themselves."""
    from yesan.bundled import load_bundled
    from yesan.store import Store

    del shared  # the bundled datasets were built from it
    with Store.open(db) as store:
        load_bundled(store)


def _run(
    t: Any, articles: dict[str, Path], labels: list[dict[str, Any]], seoul: bool
) -> list[tuple[dict[str, Any], dict[str, Any] | None]]:
    """(label, judgement as a dict or None when the figure was not extracted there) for every label."""
    from yesan.claims.article.text import read_document
    from yesan.claims.verdict.check import check_path
    from yesan.errors import YesanError

    by_article: dict[str, list[dict[str, Any]]] = {}
    for label in labels:
        by_article.setdefault(str(label["article"]), []).append(label)
    pairs: list[tuple[dict[str, Any], dict[str, Any] | None]] = []
    for article, path in articles.items():
        wanted = by_article.get(article, [])
        if not wanted and not seoul:
            continue
        first = wanted[0] if wanted else {}
        government = "서울특별시" if seoul else first.get("gov_code") or first.get("government")
        year = 2026 if seoul else first.get("year")
        try:
            report = check_path(path, t, government=government, year=year)
        except YesanError as error:  # e.g. a government the store does not hold: no verdict is given at all
            pairs.extend((label, {"verdict": "확인 불가", "rule": f"refused: {error}"}) for label in wanted)
            continue
        offset = read_document(path).offset or 0
        by_place = {j.claim.start + offset: j.as_dict() for j in report.judgements}
        for label in wanted:
            pairs.append((label, by_place.get(int(label["char_start"]))))
    return pairs


def _draft(t: Any, articles: dict[str, Path], seoul: bool) -> None:
    """Every extracted figure with the tool's verdict, as label lines (the starting point of a hand review)."""
    from yesan.claims.article.text import read_document
    from yesan.claims.verdict.check import check_path

    for article, path in articles.items():
        report = check_path(path, t, government="서울특별시" if seoul else None, year=2026 if seoul else None)
        offset = read_document(path).offset or 0
        for j in report.judgements:
            row = {"article": article, "char_start": j.claim.start + offset, "amount_krw": abs(j.claim.amount_krw),
                   "figure": j.claim.amount_text, "verdict": j.verdict, "rule": str(j.rule)[:160]}  # fmt: skip
            print(json.dumps(row, ensure_ascii=False))


def score(pairs: list[tuple[dict[str, Any], dict[str, Any] | None]], field: str = "verdict") -> dict[str, Any]:
    """Precision of the matching verdicts and of 불일치 against the labels' ``field`` (``verdict``: what a
    fact-checker would publish; ``value_verdict``: the precision rule alone, taking the data's figure as given
    even where its only source is the article itself)."""
    confusion: Counter[tuple[str, str]] = Counter()
    false_mismatch: list[str] = []
    wrong_match: list[str] = []
    for label, judgement in pairs:
        expected = str(label.get(field) or label["verdict"])
        got = judgement["verdict"] if judgement is not None else "(not found)"
        confusion[(expected, got)] += 1
        where = f"{label['article']}@{label['char_start']} {label.get('figure', label['amount_krw'])}"
        rule = judgement["rule"] if judgement is not None else ""
        if got == "불일치" and expected != "불일치":
            false_mismatch.append(f"{where}: labelled {expected} ({label.get('reason', '')}); got 불일치 — {rule}")
        if got in MATCHING and expected not in MATCHING:
            wrong_match.append(f"{where}: labelled {expected} ({label.get('reason', '')}); got {got} — {rule}")
    matched = sum(n for (e, g), n in confusion.items() if g in MATCHING)
    right = sum(n for (e, g), n in confusion.items() if g in MATCHING and e in MATCHING)
    said_mismatch = sum(n for (e, g), n in confusion.items() if g == "불일치")
    true_mismatch = confusion[("불일치", "불일치")]
    return {
        "figures": len(pairs),
        "matching": matched,
        "matching_precision": right / matched if matched else None,
        "mismatch": said_mismatch,
        "mismatch_precision": true_mismatch / said_mismatch if said_mismatch else None,
        "false_mismatch": false_mismatch,
        "wrong_match": wrong_match,
        "confusion": {f"{e} → {g}": n for (e, g), n in sorted(confusion.items(), key=lambda kv: (
            ORDER.index(kv[0][0]) if kv[0][0] in ORDER else 99, ORDER.index(kv[0][1]) if kv[0][1] in ORDER else 99))},
    }  # fmt: skip


def _table(confusion: dict[str, int]) -> list[str]:
    rows: dict[str, Counter[str]] = {}
    for key, n in confusion.items():
        expected, got = key.split(" → ")
        rows.setdefault(expected, Counter())[got] += n
    columns = [v for v in ORDER if any(v in r for r in rows.values())]
    lines = ["| label \\ yesan | " + " | ".join(columns) + " |", "|---" * (len(columns) + 1) + "|"]
    for expected in [v for v in ORDER if v in rows]:
        lines.append(f"| {expected} | " + " | ".join(str(rows[expected][c] or "") for c in columns) + " |")
    return lines


def _share(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def markdown(name: str, result: dict[str, Any]) -> str:
    lines = [
        f"**{name}**: {result['figures']} labelled figures; matching verdicts {result['matching']}, precision "
        f"{_share(result['matching_precision'])}; 불일치 {result['mismatch']}, precision "
        f"{_share(result['mismatch_precision'])}; false 불일치 {len(result['false_mismatch'])}.",
        "",
        *_table(result["confusion"]),
    ]
    for title, key in (("False 불일치", "false_mismatch"), ("Wrong matches", "wrong_match")):
        if result[key]:
            lines += ["", f"{title}:", *(f"- {row}" for row in result[key])]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=SHARED, help="the local data and corpus (not in the repo)")
    parser.add_argument("--external", type=Path, default=EXTERNAL, help="the external articles (not in the repo)")
    parser.add_argument("--labels", type=Path, default=ROOT / "benchmarks" / "verdicts")
    parser.add_argument("--markdown", action="store_true", help="print a summary for RESULTS.md")
    parser.add_argument("--draft", choices=("seoul", "external"), help="print the tool's verdicts as label lines")
    args = parser.parse_args()
    sets = {
        "seoul": (_articles("seoul", args.shared, args.external), args.labels / "seoul-2026.jsonl"),
        "external": (_articles("external", args.shared, args.external), args.labels / "external.jsonl"),
    }
    present = {name: v for name, v in sets.items() if v[0] and (args.draft == name or _labels(v[1]))}
    if args.draft and args.draft not in present:
        print(f"skipped: the {args.draft} texts are not on this machine")
        return 0
    if not present:
        print(f"skipped: no article texts under {args.shared} or {args.external} (they are local only)")
        return 0

    from yesan.query import open_backend, tables

    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "verdicts.duckdb"
        _build_store(db, args.shared)
        backend = open_backend(db)
        try:
            t = tables(backend)
            if args.draft:
                _draft(t, present[args.draft][0], args.draft == "seoul")
                return 0
            results = {}
            for name, (articles, path) in present.items():
                pairs = _run(t, articles, _labels(path), name == "seoul")
                results[name] = score(pairs)
                if any("value_verdict" in label for label, _j in pairs):
                    results[f"{name} (precision rule only, self-citation aside)"] = score(pairs, "value_verdict")
        finally:
            backend.disconnect()
    for name in ("seoul", "external"):
        if name not in present:
            print(f"{name}: skipped (texts or labels absent)")
    if args.markdown:
        print("\n\n".join(markdown(name, result) for name, result in results.items()))
    else:
        print(json.dumps(results, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
