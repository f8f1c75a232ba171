"""Score ``yesan check --json`` on the external evaluation set: government, year and verdicts (issue 13).

The gold is the full set rebuilt by ``scripts/rebuild_external_corpus.py``. Each gold figure carries the
verdict a careful fact-checker would give with the bundled data alone, and ``arithmetic.jsonl`` lists the
genuine in-text relations. This script reads a check report, or runs ``yesan check`` itself when given
``--db``, and prints:

* government and year detection per article;
* every 불일치 and its gold verdict (the gold has none, so each one is false);
* the precision of the matching verdicts (일치, 반올림 일치, 근사, 범위 일치). It is given separately for
  verdicts from the data, which need gold 일치 or a listed ``acceptable_verdicts``, and for verdicts "in
  the text", which need a figure that takes part in a genuine relation.

    python scripts/eval_external_checks.py --db /tmp/demo.duckdb      # runs yesan check on every article
    python scripts/eval_external_checks.py --report check.json        # scores a saved report

It skips with a message when the rebuilt set is not on this machine.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

HERE: Final = Path(__file__).resolve().parents[1] / "benchmarks" / "external"
DEFAULT_SET: Final = Path("/work/eval/external")
MATCHING: Final = frozenset({"일치", "반올림 일치", "근사", "범위 일치"})
IN_TEXT: Final = "in the text"


@dataclass
class Score:
    articles: int = 0
    government_ok: int = 0
    year_ok: int = 0
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)
    mismatches: list[str] = field(default_factory=list)
    data_matches: int = 0
    data_matches_ok: int = 0
    text_matches: int = 0
    text_matches_ok: int = 0
    wrong_matches: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def body_offset(text: str) -> int:
    """Offsets in the check report count from the body; the gold's count from the start of the file."""
    offset = 0
    for line in text.splitlines(keepends=True):
        if not line.startswith("# "):
            break
        offset += len(line)
    return offset


def same_government(detected: str | None, code: str | None, article: dict[str, Any]) -> bool:
    wanted = str(article["government"])
    if not detected:
        return False
    if article.get("gov_code") and code == article["gov_code"]:
        return True
    return detected == wanted or wanted.endswith(" " + detected)


def score(
    reports: list[dict[str, Any]],
    articles: dict[str, dict[str, Any]],
    gold: list[dict[str, Any]],
    relations: list[dict[str, Any]],
    texts: Path,
) -> Score:
    result = Score()
    related = {
        (str(r["article"]), start)
        for r in relations
        if r.get("holds") != "off"
        for start in (r["result_char_start"], *r["part_char_starts"])
    }
    for report in reports:
        article_id = Path(report["source"]).stem
        article = articles.get(article_id)
        if article is None:
            continue
        result.articles += 1
        government_ok = same_government(report.get("government"), report.get("government_code"), article)
        year_ok = report.get("year") == article.get("year")
        result.government_ok += government_ok
        result.year_ok += year_ok
        result.lines.append(
            f"{article_id}: {report.get('government') or '—'} {report.get('year') or '—'}"
            f"  (gold {article['government']} {article['year']})"
            f"{'' if government_ok else '  GOVERNMENT WRONG'}{'' if year_ok else '  YEAR WRONG'}"
        )
        offset = body_offset((texts / f"{article_id}.txt").read_text(encoding="utf-8"))
        figures = [g for g in gold if g["article"] == article_id]
        for judgement in report.get("judgements", []):
            claim, verdict = judgement["claim"], judgement["verdict"]
            start = int(claim["start"]) + offset
            hits = [
                g
                for g in figures
                if abs(int(g["char_start"]) - start) <= 2 and abs(int(g["amount_krw"])) == abs(int(claim["amount_krw"]))
            ]
            gold_figure = hits[0] if hits else None
            gold_verdict = gold_figure["verdict"] if gold_figure else "(not a gold figure)"
            result.confusion[(gold_verdict, verdict)] += 1
            where = (
                f"{article_id} {claim.get('amount_text')!r} (gold {gold_verdict}): {judgement.get('rule', '')[:100]}"
            )
            if verdict == "불일치" and gold_verdict != "불일치":
                result.mismatches.append(where)
            if verdict not in MATCHING:
                continue
            if str(judgement.get("rule", "")).startswith(IN_TEXT):
                result.text_matches += 1
                ok = gold_figure is not None and (article_id, int(gold_figure["char_start"])) in related
                result.text_matches_ok += ok
            else:
                result.data_matches += 1
                acceptable = set(gold_figure.get("acceptable_verdicts") or []) if gold_figure else set()
                ok = gold_verdict == "일치" or verdict in acceptable
                result.data_matches_ok += ok
            if not ok:
                result.wrong_matches.append(f"{verdict} · {where}")
    return result


def run_check(db: Path, files: list[Path]) -> list[dict[str, Any]]:
    yesan = Path(sys.executable).with_name("yesan")  # the console script of the same environment
    command = [str(yesan), "check", *map(str, files), "--db", str(db), "--json"]
    done = subprocess.run(command, capture_output=True, text=True, check=False, env={**os.environ, "COLUMNS": "200"})
    if done.returncode not in (0, 1) or not done.stdout.strip():
        raise SystemExit(f"yesan check failed (exit {done.returncode}): {done.stderr.strip()[-500:]}")
    reports: list[dict[str, Any]] = json.loads(done.stdout)["reports"]
    return reports


def ratio(good: int, total: int) -> str:
    return f"{good}/{total} ({good / total:.3f})" if total else "0/0"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", type=Path, default=Path(os.environ.get("YESAN_EVAL_SET") or DEFAULT_SET))
    parser.add_argument("--report", type=Path, help="a saved `yesan check --json` report")
    parser.add_argument("--db", type=Path, help="run `yesan check` on every article against this store")
    parser.add_argument("--relations", type=Path, default=HERE / "arithmetic.jsonl")
    args = parser.parse_args(argv)
    folder: Path = args.set
    if not (folder / "gold.jsonl").exists() or not (folder / "articles").is_dir():
        print(f"skipped: no rebuilt external set at {folder} (run scripts/rebuild_external_corpus.py first)")
        return 0
    if (args.report is None) == (args.db is None):
        parser.error("give exactly one of --report and --db")
    articles = {str(a["article"]): a for a in read_jsonl(folder / "articles.jsonl")}
    if args.report is not None:
        reports = json.loads(args.report.read_text(encoding="utf-8"))["reports"]
    else:
        reports = run_check(args.db, [folder / "articles" / f"{a}.txt" for a in sorted(articles)])
    result = score(
        reports, articles, read_jsonl(folder / "gold.jsonl"), read_jsonl(args.relations), folder / "articles"
    )
    print("\n".join(result.lines))
    print(f"\ngovernment detection {ratio(result.government_ok, result.articles)}")
    print(f"year detection       {ratio(result.year_ok, result.articles)}")
    print(f"불일치 given         {len(result.mismatches)} (all false: the gold has no 불일치)")
    print(f"matching, from data  {ratio(result.data_matches_ok, result.data_matches)} backed by the gold")
    print(f"matching, in text    {ratio(result.text_matches_ok, result.text_matches)} on a genuine relation")
    print("\nconfusion (gold verdict → tool verdict):")
    for (wanted, given), count in sorted(result.confusion.items()):
        print(f"  {wanted} → {given}: {count}")
    for title, rows in (("false 불일치", result.mismatches), ("matching verdicts not backed", result.wrong_matches)):
        if rows:
            print(f"\n{title}:")
            print("\n".join(f"  {row}" for row in rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
