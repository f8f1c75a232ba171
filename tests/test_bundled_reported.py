"""The bundled reported figures (Seoul 2026): loaded by `yesan demo`, each row with its provenance, no article text."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from conftest import SHARED, run_cli
from yesan.bundled import REPORTED_DATASETS, data_path, load_bundled_reported
from yesan.claims.candidates.reference import load_reported_figures
from yesan.query import open_backend, tables
from yesan.store import Store

#: ../shared beside the repository, or beside the folder of worktrees it sits in.
SHARED_DIR = next((p for p in (SHARED, SHARED.parent.parent / "shared") if (p / "corpus").is_dir()), SHARED)
ARTICLES = SHARED_DIR / "corpus" / "seoul-2026" / "articles"
SEED = SHARED_DIR / "seed"
#: Hangul characters in a row: a bundled string this long that also appears in an article is copied text.
COPIED = 30


@pytest.fixture(scope="module")
def bundled_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("bundled") / "reported.duckdb"
    with Store.open(db) as store:
        load_bundled_reported(store)
    return db


def figures(db: Path) -> list[object]:
    backend = open_backend(db)
    try:
        return list(load_reported_figures(tables(backend), government="서울특별시"))
    finally:
        backend.disconnect()


def test_every_bundled_figure_cites_sources_with_outlet_date_and_tier(bundled_db: Path) -> None:
    found = figures(bundled_db)
    assert {f.dataset for f in found} == set(REPORTED_DATASETS)  # type: ignore[attr-defined]
    for figure in found:
        assert figure.sources, f"{figure.dataset} row {figure.row_no}: no source"  # type: ignore[attr-defined]
        for source in figure.sources:  # type: ignore[attr-defined]
            assert source.outlet and source.tier and source.published, f"{figure} cites {source}"
            if source.tier in ("announced", "reported"):
                assert source.url and source.url.startswith("http"), f"{source.key}: no address"
                assert len(source.fingerprint) >= 8, f"{source.key}: no fingerprint of its sentences"


def test_the_two_field_transcriptions_ship_side_by_side_and_disagree(bundled_db: Path) -> None:
    welfare = {(f.dataset, f.fiscal_year): f.amount for f in figures(bundled_db) if f.subject == "분야: 사회복지"}  # type: ignore[attr-defined]
    assert welfare[("seoul-bunya-bada17", 2026)] == 19_376_581_800_290
    assert welfare[("seoul-bunya-regional-flat", 2026)] == 20_953_086_000_000
    assert {y for d, y in welfare if d == "seoul-bunya-regional-flat"} == {2023, 2024, 2025, 2026}


def test_the_seoul_figures_are_the_announced_and_the_enacted_budget(bundled_db: Path) -> None:
    totals = {f.stage: f.amount for f in figures(bundled_db)  # type: ignore[attr-defined]
              if f.dataset == "seoul-2026-reference" and f.subject == "서울시 총예산(총계)"}  # type: ignore[attr-defined]  # fmt: skip
    assert totals == {"예산안": 51_506_000_000_000, "본예산": 51_477_800_000_000}


def test_loading_the_bundle_again_changes_nothing(bundled_db: Path) -> None:
    with Store.open(bundled_db) as store:
        assert {r.status for r in load_bundled_reported(store)} == {"unchanged"}


def _hangul(text: str) -> str:
    return "".join(re.findall(r"[가-힣]+", text))


@pytest.mark.skipif(not ARTICLES.is_dir(), reason="needs ../shared/corpus (the Seoul articles, local only)")
def test_no_bundled_string_is_copied_from_an_article() -> None:
    articles = [_hangul(p.read_text(encoding="utf-8")) for p in sorted(ARTICLES.glob("*.txt"))]
    copied = []
    for path in sorted(data_path("reported").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.reader(handle):
                for cell in row:
                    flat = _hangul(cell)
                    windows = {flat[i : i + COPIED] for i in range(len(flat) - COPIED + 1)}
                    if any(w in article for w in windows for article in articles):
                        copied.append((path.name, cell[:60]))
    assert copied == []


@pytest.mark.skipif(not SEED.is_dir(), reason="needs ../shared/seed (the seed article, local only)")
def test_the_seed_in_a_demo_store_is_judged_with_tiers_and_no_self_confirmation(tmp_path: Path) -> None:
    db = tmp_path / "demo.duckdb"
    run_cli("demo", "--no-serve", db=db, check=True)
    seed = next(SEED.glob("*.txt"))
    result = run_cli("check", str(seed), "--government", "서울특별시", "--year", "2026", "--json", db=db, check=True)
    [report] = json.loads(result.stdout)["reports"]
    judged = report["judgements"]
    assert len(judged) == 18 and all(j["evidence_tier"] for j in judged)
    by_figure = {j["claim"]["amount_text"]: j for j in judged}
    for figure in ("51.5조원", "51조5060억원", "15조6000억원", "8000억원", "5264억원"):
        assert by_figure[figure]["evidence_tier"] in ("announced", "reported"), figure
        assert by_figure[figure]["verdict"] != "확인 불가", figure
    assert any("증감률 7%: 반올림 일치" in n for n in by_figure["51조5060억원"]["notes_ko"])  # +7% on the prior year
    self_cited = [j for j in judged if j["rule"].startswith("self-citation")]
    assert len(self_cited) == 11 and all(j["verdict"] == "확인 불가" for j in self_cited)
    # The seed is a repost of the 전자신문 story (source 12): it is never cited for the verdicts that hold.
    assert all("전자신문" not in j["evidence"][0]["citation"] for j in judged if j["verdict"] != "확인 불가")
