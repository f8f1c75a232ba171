"""How many verdicts on the Seoul corpus rest only on the article itself (issue 13), with the bundled figures.

Builds a throwaway store with the bundled reported figures, checks every ``../shared/corpus/seoul-2026``
article and the seed as 서울특별시 2026, and prints per article: figures, verdicts that are 확인 불가 for
self-citation, and verdicts that hold after some of their sources were set aside as the article itself.
Skips (exit 0, with a message) when the articles are absent: they are never in the repository.

Usage: python scripts/measure_self_citation.py [--shared PATH]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from yesan.bundled import load_bundled_reported  # noqa: E402
from yesan.claims.verdict.check import check_path  # noqa: E402
from yesan.query import open_backend, tables  # noqa: E402
from yesan.store import Store  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    shared = parser.parse_args().shared
    articles = sorted((shared / "corpus" / "seoul-2026" / "articles").glob("*.txt"))
    articles += sorted((shared / "seed").glob("*.txt"))
    if not articles:
        print(f"skipped: no articles under {shared}/corpus/seoul-2026 or {shared}/seed (give --shared PATH)")
        return 0
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "reported.duckdb"
        with Store.open(db) as store:
            load_bundled_reported(store)
        backend = open_backend(db)
        try:
            judged, self_only, set_aside, tiers = 0, 0, 0, Counter[str]()
            for path in articles:
                report = check_path(path, tables(backend), government="서울특별시", year=2026)
                own = sum(1 for j in report.judgements if str(j.rule).startswith("self-citation"))
                aside = sum(1 for j in report.judgements if any(str(n).startswith("set aside") for n in j.notes))
                judged, self_only, set_aside = judged + len(report.judgements), self_only + own, set_aside + aside
                tiers.update(report.tier_counts())
                print(f"{path.name:>28}  figures {len(report.judgements):>3}  self-citation {own:>3}  "
                      f"sources set aside {aside:>3}")  # fmt: skip
        finally:
            backend.disconnect()
    print(f"{len(articles)} articles, {judged} figures: {self_only} ({self_only / max(judged, 1):.0%}) 확인 불가 "
          f"for self-citation, {set_aside} keep other sources after the article itself was set aside")  # fmt: skip
    print("verdicts per tier: " + ", ".join(f"{tier} {n}" for tier, n in tiers.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
