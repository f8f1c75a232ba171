"""Claim extraction speed: articles per second on one core, after start-up (target ≥ 50).

The articles are the dev corpus (``../shared/corpus/seoul-2026/articles``, 21 excerpts) when it is
there, else a set of articles written for this benchmark. The process is pinned to one CPU
(``sched_setaffinity``); start-up (imports and loading Kiwi, about 1.5 s) is timed apart; then every
article is extracted ``--rounds`` times and the median round gives articles/s — per CPU-second of
this process (what one core does, whatever else runs on the machine) and per wall-clock second (what
it did here, under the machine's load at the time). Also reported: sentences and figures per
article, and the share of CPU time spent in Kiwi.

    python benchmarks/bench_claims.py            # prints the table
    python benchmarks/bench_claims.py --record   # and appends it to benchmarks/RESULTS.md
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import sys
import time
from pathlib import Path
from typing import Final

BENCH_DIR: Final = Path(__file__).resolve().parent
RESULTS: Final = BENCH_DIR / "RESULTS.md"
CORPUS: Final = BENCH_DIR.parent.parent / "shared" / "corpus" / "seoul-2026" / "articles"
TARGET: Final = 50.0

#: Written for this benchmark (no article text): a proposal, a council vote, a supplementary budget.
OWN_ARTICLES: Final = (
    "부산시 내년 예산 17.3조…복지 7조 투입\n"
    "부산시는 2026년도 예산안을 17조3280억원 규모로 편성해 시의회에 제출했다고 4일 밝혔다. "
    "올해 본예산(16조4560억원)보다 8720억원(5.3%) 늘어난 규모다.\n"
    "분야별로는 사회복지에 7조1200억원을 배정했다. 교통 분야에는 1조4500억원, 문화관광 분야에는 6200억원을 "
    "각각 편성했다. 시는 북항 재개발 2단계(420억원), 기념공원 조성(95억원) 등에 예산을 반영했다.\n"
    "청년 월세 지원은 1인당 월 20만원씩 지원한다. 시 채무는 4조2000억원 수준으로 관리한다.",
    "대구시의회, 내년 예산 11조6000억 확정…원안보다 95억 삭감\n"
    "대구시의회는 15일 본회의를 열고 2026년도 대구시 예산 11조6095억원을 의결했다. "
    "이는 시가 제출한 예산안 11조6190억원보다 95억원 줄어든 규모다. 예결위는 신청사 설계비 30억원을 전액 "
    "삭감하는 대신 경로당 냉난방비 지원 예산을 12억원 늘렸다. 시 교육청 예산은 4조3210억원으로 확정됐다.",
    "경기도, 1조2500억원 규모 제1회 추경안 편성\n"
    "경기도는 1조2500억원 규모의 2026년도 제1회 추가경정예산안을 편성해 도의회에 제출했다. "
    "이로써 전체 예산은 본예산 38조7000억원에서 39조9500억원으로 늘어난다. 민생경제 회복 지원에 3200억원, "
    "재난안전 인프라 확충에 1700억원, 지역화폐 발행 지원에 850억원을 반영했다. 도로 사업비는 210억원 감액했다.",
)


def _articles() -> tuple[str, list[str]]:
    if CORPUS.is_dir():
        files = sorted(CORPUS.glob("*.txt"))
        if files:
            return f"dev corpus ({len(files)} articles)", [f.read_text(encoding="utf-8") for f in files]
    return f"own articles ({len(OWN_ARTICLES)})", list(OWN_ARTICLES)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--record", action="store_true", help="append the result to benchmarks/RESULTS.md")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})

    started = time.perf_counter()
    from yesan.claims import extract, to_document
    from yesan.claims.article import morph
    from yesan.claims.article.sentences import split_sentences

    morph.warm_up()
    startup = time.perf_counter() - started

    label, articles = _articles()
    documents = [to_document(text) for text in articles]
    sentences = sum(len(split_sentences(d.text)) for d in documents)
    figures = sum(len(extract(text)) for text in articles)

    # Time spent in Kiwi: wrap the tokenizer for one round.
    kiwi_seconds = 0.0
    original = morph.tokenize

    def timed(text: str) -> list[morph.Token]:
        nonlocal kiwi_seconds
        t0 = time.process_time()
        try:
            return original(text)
        finally:
            kiwi_seconds += time.process_time() - t0

    rounds: list[float] = []
    walls: list[float] = []
    for k in range(args.rounds):
        if k == 0:
            extract_module = sys.modules["yesan.claims.figures.extract"]
            extract_module.tokenize = timed  # type: ignore[attr-defined]
        t0, w0 = time.process_time(), time.perf_counter()
        for text in articles:
            extract(text)
        rounds.append(time.process_time() - t0)
        walls.append(time.perf_counter() - w0)
        if k == 0:
            extract_module.tokenize = original  # type: ignore[attr-defined]
    median = statistics.median(rounds)
    rate = len(articles) / median
    wall_rate = len(articles) / statistics.median(walls)
    kiwi_share = kiwi_seconds / rounds[0] if rounds[0] else 0.0
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    lines = [
        f"### Claim extraction — {dt.date.today().isoformat()}, {os.cpu_count()} cores ({cpu}), pinned to 1 core",
        "",
        "| articles | sentences/article | figures/article | start-up | CPU per article (median of "
        f"{args.rounds}) | articles per CPU-second | articles per wall second (load {load:.1f}) | Kiwi share "
        "| target ≥ 50/s per core |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
        f"| {label} | {sentences / len(articles):.1f} | {figures / len(articles):.1f} | {startup:.2f} s | "
        f"{median / len(articles) * 1000:.1f} ms | **{rate:.0f}** | {wall_rate:.0f} | {kiwi_share:.0%} | "
        f"{'met' if rate >= TARGET else 'NOT met'} |",
        "",
    ]
    print("\n".join(lines))
    if args.record:
        with RESULTS.open("a", encoding="utf-8") as handle:
            handle.write("\n" + "\n".join(lines))
    return 0 if rate >= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
