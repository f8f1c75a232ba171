"""What a verdict rests on: sources with outlets and tiers, no self-confirmation, the evidence tier of every verdict.

The figures, sources and articles are written for these tests (가나시 is made up); the fingerprints are computed
from our own sentences.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from claims_fixtures import claim
from conftest import run_cli
from serving import serving
from yesan.claims.candidates.fingerprint import fingerprint, format_fingerprint, same_story
from yesan.claims.model import Evidence, Judgement
from yesan.claims.verdict.check import check
from yesan.claims.verdict.evidence import tier_of
from yesan.claims.wording import verdict_label
from yesan.errors import LoadError
from yesan.ingest.reported import read_reported
from yesan.query import open_backend, tables
from yesan.store import Store

FIGURES = """subject_ko,amount_krw,stage,kind,sources,amount_ko
가나시 총예산(총계),1250000000000,proposal,total,"P, A",1조2500억원
어르신 무료 급식,4200000000,proposal,allocation,B,42억원
시립 도서관 건립,15500000000,proposal,allocation,"B, C",155억원
"""
#: The story outlet B published (our own sentences): its fingerprint ships, never the text.
STORY_B = (
    "가나시가 내년도 예산안을 1조2500억원 규모로 편성했다고 30일 밝혔다. 올해보다 살림이 커진 것은 복지와 문화 "
    "분야에 힘을 싣기 위해서라고 시는 설명했다. 어르신 무료 급식에는 42억원을 투입해 경로식당을 늘린다. "
    "시립 도서관 건립에는 155억원이 배정돼 원도심 주민들의 오랜 숙원이 풀릴 전망이다. 시는 다음 달 시의회에 "
    "예산안을 제출하고 심의를 받는다."
)
#: Another outlet's story with the same figures, in its own words.
STORY_OTHER = (
    "가나시 살림살이가 처음으로 1조2500억원에 이른다. 시 관계자는 경로식당 확대를 위한 어르신 무료 급식 예산 "
    "42억원과 원도심 시립 도서관 건립비 155억원을 새로 담았다고 전했다. 시의회 심의는 다음 달 시작된다."
)
SOURCES_HEADER = "source,outlet,url,other_urls,published,tier,kind,hosts,fingerprint,notes"


def sources_csv(fingerprint_b: str = "") -> str:
    return "\n".join((
        SOURCES_HEADER,
        "P,가나시,https://www.gana.go.kr/press/101,,2025-10-30,announced,press release,gana.go.kr,,",
        "A,가나일보,https://www.ganailbo.co.kr/news/10,,2025-10-30,reported,news report,ganailbo.co.kr,,",
        "B,나라신문,https://www.narasinmun.co.kr/a/7,,2025-10-31,reported,news report,narasinmun.co.kr,"
        f"{fingerprint_b},",
        "C,다온방송,https://news.daon.co.kr/v/3,,2025-10-31,reported,news report,daon.co.kr,,",
    )) + "\n"  # fmt: skip


@pytest.fixture
def gana(tmp_path: Path) -> Path:
    """A store with 가나시's reported figures and their sources (B with the fingerprint of STORY_B)."""
    figures = tmp_path / "gana.csv"
    figures.write_text(FIGURES, encoding="utf-8")
    (tmp_path / "gana.sources.csv").write_text(sources_csv(format_fingerprint(fingerprint(STORY_B))), encoding="utf-8")
    batch = read_reported(figures, government="가나시", fiscal_year=2026)
    db = tmp_path / "gana.duckdb"
    with Store.open(db) as store:
        store.load_reported(batch.figures, dataset=batch.dataset, source_file=batch.source_file, sha256=batch.sha256,
                            sources=batch.sources)  # fmt: skip
    return db


def verdicts(db: Path, text: str, **options: str) -> dict[str, Judgement]:
    backend = open_backend(db)
    try:
        report = check(text, tables(backend), government="가나시", year=2026, **options)
    finally:
        backend.disconnect()
    return {j.claim.amount_text: j for j in report.judgements}


# --- sources and fingerprints ---------------------------------------------------------------------


def test_a_sources_file_beside_the_figures_is_read_with_them(gana: Path, tmp_path: Path) -> None:
    batch = read_reported(tmp_path / "gana.csv", government="가나시", fiscal_year=2026)
    assert batch.sources is not None and batch.sources.column("outlet").to_pylist()[:2] == ["가나시", "가나일보"]


def test_a_figure_citing_an_unknown_source_is_refused_with_its_row(tmp_path: Path) -> None:
    (tmp_path / "f.csv").write_text(FIGURES.replace('"B, C"', '"B, Z"'), encoding="utf-8")
    (tmp_path / "f.sources.csv").write_text(sources_csv(), encoding="utf-8")
    with pytest.raises(LoadError) as raised:
        read_reported(tmp_path / "f.csv", government="가나시", fiscal_year=2026)
    assert [(p.row, p.column, p.value) for p in raised.value.problems] == [(3, "sources", "Z")]


def test_a_bad_tier_is_refused_with_its_row_and_column(tmp_path: Path) -> None:
    (tmp_path / "f.csv").write_text(FIGURES, encoding="utf-8")
    (tmp_path / "f.sources.csv").write_text(sources_csv().replace(",announced,", ",official,"), encoding="utf-8")
    with pytest.raises(LoadError) as raised:
        read_reported(tmp_path / "f.csv", government="가나시", fiscal_year=2026)
    assert [(p.row, p.column) for p in raised.value.problems] == [(1, "tier")]


def test_the_store_keeps_sources_and_refuses_different_ones_without_replace(gana: Path, tmp_path: Path) -> None:
    (tmp_path / "gana.sources.csv").write_text(sources_csv(), encoding="utf-8")  # B without its fingerprint now
    batch = read_reported(tmp_path / "gana.csv", government="가나시", fiscal_year=2026)
    with Store.open(gana) as store:
        with pytest.raises(LoadError, match="sources of reported figures 'gana'"):
            store.load_reported(batch.figures, dataset="gana", source_file="x", sha256="y", sources=batch.sources)
        outlets = store.con.execute("SELECT outlet FROM reported_sources ORDER BY source_key").fetchall()
    assert [o for (o,) in outlets] == ["가나일보", "나라신문", "다온방송", "가나시"]


def test_a_repost_with_other_whitespace_and_paragraphs_has_the_same_fingerprint() -> None:
    repost = "[속보]\n\n" + STORY_B.replace(". ", ".\n\n").replace(" ", "  ") + "\n무단 전재 금지"
    assert same_story(fingerprint(STORY_B), fingerprint(repost))
    assert not same_story(fingerprint(STORY_B), fingerprint(STORY_OTHER))


# --- no self-confirmation ---------------------------------------------------------------------------


def test_a_figure_whose_only_source_is_the_article_by_its_address_is_self_citation(gana: Path) -> None:
    found = verdicts(gana, STORY_OTHER, url="https://narasinmun.co.kr/a/7/")  # the same address, written otherwise
    meal = found["42억원"]
    assert meal.verdict == "확인 불가" and meal.evidence_tier == "none"
    assert meal.rule.startswith("self-citation") and meal.rule.render("ko").startswith("자기 인용")
    assert any("the same address" in note for note in meal.notes)


def test_a_figure_with_another_source_still_holds_and_names_the_one_set_aside(gana: Path) -> None:
    found = verdicts(gana, STORY_OTHER, url="https://www.narasinmun.co.kr/a/7")
    library = found["155억원"]
    assert library.verdict == "일치" and library.evidence_tier == "reported"
    assert "다온방송, 2025-10-31, https://news.daon.co.kr/v/3" in library.evidence[0].citation
    assert "나라신문" not in library.evidence[0].citation
    assert any(note.startswith("set aside as this article itself: 나라신문") for note in library.notes)


def test_the_same_outlet_on_the_same_day_is_the_article_itself(gana: Path) -> None:
    byline = "# date: 2025-10-31\n" + STORY_OTHER + "\n홍길동 기자 hong@narasinmun.co.kr"
    assert verdicts(gana, byline)["42억원"].verdict == "확인 불가"
    next_day = byline.replace("2025-10-31", "2025-11-02")
    assert verdicts(gana, next_day)["42억원"].verdict == "일치"


def test_a_repost_under_another_address_is_caught_by_its_sentences(gana: Path) -> None:
    repost = STORY_B.replace(". ", ".\n\n")
    found = verdicts(gana, repost, url="https://aggregator.example.com/board/99")
    assert found["42억원"].verdict == "확인 불가"
    assert any("the same sentences" in note for note in found["42억원"].notes)
    assert found["155억원"].verdict == "일치"  # 다온방송 also states it


def test_another_outlets_story_is_corroborated_not_set_aside(gana: Path) -> None:
    found = verdicts(gana, STORY_OTHER)
    assert found["42억원"].verdict == "일치" and found["42억원"].evidence_tier == "reported"
    assert found["1조2500억원"].evidence_tier == "announced"  # the press release is one of its sources


# --- tiers and labels ---------------------------------------------------------------------------------


def _judged(source: str, details: dict[str, object], verdict: str = "일치") -> Judgement:
    a_claim = claim("어르신 무료 급식에 42억원을 쓴다.", "42억원", "어르신 무료 급식")
    evidence = Evidence(4_200_000_000, "어르신 무료 급식", source, "cited", details)
    return Judgement(a_claim, verdict, "rule", (evidence,))  # type: ignore[arg-type]


def test_each_kind_of_evidence_has_its_tier() -> None:
    assert tier_of(_judged("items", {"level": "item", "row": 4})) == "official_item"
    assert tier_of(_judged("items", {"level": "field", "items": 3})) == "official_aggregate"
    assert tier_of(_judged("reported", {"evidence_tier": "announced"})) == "announced"
    assert tier_of(_judged("reported", {"source_records": [{"tier": "official_aggregate"}]})) == "official_aggregate"
    assert tier_of(_judged("reported", {})) == "reported"
    assert tier_of(_judged("text", {})) == "none"
    assert tier_of(_judged("reported", {"evidence_tier": "reported"}, verdict="확인 불가")) == "none"


def test_a_match_against_other_reports_never_reads_as_a_bare_match() -> None:
    assert verdict_label("일치", "reported").render("ko") == "다른 보도와 일치"
    assert str(verdict_label("일치", "reported")) == "matches other reports"
    assert verdict_label("반올림 일치", "announced").render("ko") == "발표와 반올림 일치"
    assert verdict_label("불일치", "official_aggregate").render("ko") == "공식 집계와 불일치"
    assert verdict_label("일치", "official_item").render("ko") == "일치"
    assert verdict_label("확인 불가", "none").render("ko") == "확인 불가"


def test_the_json_carries_each_verdicts_tier_and_the_counts_per_tier(gana: Path, tmp_path: Path) -> None:
    article = tmp_path / "story.txt"
    article.write_text(STORY_OTHER, encoding="utf-8")
    result = run_cli("check", str(article), "--government", "가나시", "--year", "2026", "--json",
                     "--url", "https://www.narasinmun.co.kr/a/7", db=gana, check=True)  # fmt: skip
    [report] = json.loads(result.stdout)["reports"]
    by_figure = {j["claim"]["amount_text"]: j for j in report["judgements"]}
    assert by_figure["42억원"]["evidence_tier"] == "none" and by_figure["42억원"]["verdict"] == "확인 불가"
    assert by_figure["155억원"]["verdict_label_ko"] == "다른 보도와 일치"
    assert by_figure["155억원"]["tier_label"] == "other reports"
    assert report["tier_counts"] == {"official_item": 0, "official_aggregate": 0, "announced": 1, "reported": 1,
                                     "none": 1}  # fmt: skip


def test_the_check_page_shows_each_verdict_with_its_tier_in_both_languages(gana: Path) -> None:
    repost = STORY_B.replace(". ", ".\n\n")
    with serving(gana, timeout_s=60) as client:
        korean = client.post("/check", files={"file": ("", b"")}, data={"text": repost, "government": "가나시",
                                                                       "year": "2026"}).text  # fmt: skip
        english = client.post("/check?lang=en", files={"file": ("", b"")},
                              data={"text": repost, "government": "가나시", "year": "2026"}).text  # fmt: skip
    assert "다른 보도와 일치" in korean and "근거 등급별" in korean and "자기 인용" in korean
    assert 'data-tier="reported"' in korean and 'data-tier="none"' in korean
    assert "matches other reports" in english and "By evidence tier" in english and "self-citation" in english


def test_two_datasets_that_disagree_are_both_shown_and_the_one_used_is_named(gana: Path, tmp_path: Path) -> None:
    header = "subject_ko,amount_krw,kind,sources\n"
    for name, amount in (("copy-one", 350_000_000_000), ("copy-two", 362_000_000_000)):
        (tmp_path / f"{name}.csv").write_text(f"{header}분야: 사회복지,{amount},allocation,T\n", encoding="utf-8")
        (tmp_path / f"{name}.sources.csv").write_text(
            f"{SOURCES_HEADER}\nT,{name} 집계,,,2026-09,official_aggregate,transcription,,,\n", encoding="utf-8"
        )
        batch = read_reported(tmp_path / f"{name}.csv", government="가나시", fiscal_year=2026)
        with Store.open(gana) as store:
            store.load_reported(batch.figures, dataset=name, source_file=batch.source_file, sha256=batch.sha256,
                                sources=batch.sources)  # fmt: skip
    welfare = verdicts(gana, "가나시 사회복지 분야 예산은 3500억원이다.")["3500억원"]
    assert welfare.verdict == "일치" and welfare.evidence_tier == "official_aggregate"
    [note] = [n for n in welfare.notes if n.startswith("the datasets disagree")]
    assert "the verdict used copy-one's 3,500억원" in note and "copy-two 3,620억원" in note
    assert "which is right needs the official data" in note
