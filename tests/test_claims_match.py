"""Matching: subjects against reported figures and line items (a real store built from small literal files)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from claims_fixtures import RAMA_TOTAL, RAMA_WELFARE, build_store, claim
from yesan.claims.candidates.match import MATCH_MIN, anchor_of, match_claim, role_of
from yesan.claims.candidates.reference import Reference, government_aliases, load_reported_figures
from yesan.claims.candidates.subjects import compact, is_generic, similarity
from yesan.claims.verdict.judge import judge, judge_claims
from yesan.errors import QueryError
from yesan.query import open_backend, tables

GANA = ("가나시",)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("match")
    return build_store(folder / "s.duckdb", folder)


@pytest.fixture(scope="module")
def store_tables(db: Path) -> Iterator[object]:
    backend = open_backend(db)
    try:
        yield tables(backend)
    finally:
        backend.disconnect()


@pytest.fixture(scope="module")
def gana(store_tables: object) -> Reference:
    return Reference.build(store_tables, government="가나시", year=2026)


@pytest.fixture(scope="module")
def rama(store_tables: object) -> Reference:
    return Reference.build(store_tables, government="라마군", year=2026)


# --- subjects --------------------------------------------------------------------------------------


def test_generic_words_years_particles_and_the_government_are_dropped() -> None:
    assert compact("2026년 가나시의 어르신 무료 급식 예산", government_names=GANA) == "어르신무료급식"
    assert compact("동행사업에", government_names=GANA) == "동행"


def test_a_year_keeps_the_word_after_it() -> None:
    assert compact("2027년 도서관 건립") == compact("2027년도 도서관 건립") == "도서관건립"
    assert compact("1999 년도 도로 포장") == "도로포장"


def test_a_decrease_is_as_generic_as_an_increase() -> None:
    assert compact("하천 정비 감소분") == compact("하천 정비 증가분") == compact("하천정비감소분") == "하천정비"
    assert compact("하천 정비 증감") == "하천정비"


def test_a_subject_that_only_says_the_budget_is_generic() -> None:
    for text in ("내년 예산안", "가나시 살림 규모", "올해보다 늘어난 금액", "시가 당초 제출한 예산안", None):
        assert is_generic(text, government_names=GANA), text
    assert not is_generic("어르신 무료 급식 예산", government_names=GANA)


def test_a_longer_article_subject_still_matches_the_data_name() -> None:
    assert similarity("어르신 무료 급식 지원 예산", "어르신 무료 급식").score >= MATCH_MIN
    assert similarity("청년 월세", "청년 월세 지원").score >= MATCH_MIN


def test_a_parenthesis_in_the_data_name_is_an_alternative_name() -> None:
    assert similarity("노인 돌봄시설 확충", "공공 실버케어센터 확충(노인 돌봄시설 확충)").score == 1.0


def test_the_label_before_a_colon_is_not_part_of_the_subject() -> None:
    assert similarity("분야별 세출", "분야·부문: 공원·환경").score < MATCH_MIN


def test_a_short_name_inside_a_long_subject_is_weak() -> None:
    assert similarity("시민 안전망 강화를 목표로 한 예산", "안전").score < MATCH_MIN


def test_a_data_name_covering_one_item_of_a_list_is_a_part() -> None:
    found = similarity("공공 와이파이 확충, 도로 정비와 하천 복원 등 생활 기반", "공공 와이파이 확충")
    assert found.partial


def test_synonyms_count_slightly_less_than_the_same_word() -> None:
    assert 0.9 <= similarity("노인 무료 급식", "어르신 무료 급식").score < 1.0


def test_government_aliases() -> None:
    assert government_aliases("서울특별시") == ("서울특별시", "서울시", "서울")
    assert government_aliases("라마군") == ("라마군", "라마")


# --- roles and anchors -----------------------------------------------------------------------------


def test_roles() -> None:
    s = "가나시 예산은 2조5120억원으로 예산안 2조5150억원보다 30억원 줄었고 지난해 2조3500억원보다 1620억원 늘었다."
    assert role_of(claim(s, "30억원", None, "change"), 2026) == "revision"
    assert role_of(claim("지난해보다 1620억원 늘었다.", "1620억원", None, "change"), 2026) == "change"
    assert role_of(claim(s, "2조3500억원", None, "allocation", year=2025), 2026) == "prior"


def test_a_change_qualifies_the_level_before_it_or_joined_after_it() -> None:
    s1 = "청년 월세 지원은 315억원으로 지난해보다 40억원 늘었다."
    s2 = "올해보다 40억원 늘린 총 315억원을 청년 월세 지원에 쓴다."
    c1 = [claim(s1, "315억원", "청년 월세 지원"), claim(s1, "40억원", None, "change")]
    c2 = [claim(s2, "40억원", None, "change"), claim(s2, "315억원", "청년 월세 지원")]
    assert anchor_of(c1, 1, 2026) == 0
    assert anchor_of(c2, 0, 2026) == 1


def test_a_change_after_a_sentence_naming_the_program_qualifies_its_figure() -> None:
    s1 = "가나시는 청년 월세 지원에 315억원을 배정했다."
    s2 = "올해보다 40억원(14.5%) 늘어난 금액이다."
    claims = [claim(s1, "315억원", "청년 월세 지원"), claim(s2, "40억원", None, "change", offset=len(s1) + 1)]
    assert anchor_of(claims, 1, 2026) == 0


def test_a_sentence_with_its_own_topic_does_not_borrow_the_previous_one() -> None:
    s1 = "가나시는 청년 월세 지원에 315억원을 배정했다."
    s2 = "교육청 예산은 지난해보다 40억원 늘었다."
    claims = [claim(s1, "315억원", "청년 월세 지원"), claim(s2, "40억원", None, "change", offset=len(s1) + 1)]
    assert anchor_of(claims, 1, 2026) is None


# --- reported figures --------------------------------------------------------------------------------


def test_reported_figures_are_read_with_their_provenance(store_tables: object) -> None:
    figures = load_reported_figures(store_tables, government="가나시", year=2026)
    assert len(figures) == 11
    first = figures[0]
    assert first.subject == "가나시 총예산(총계)" and first.stage == "예산안" and first.row_no == 1
    assert first.citation().startswith("reported figures 'gana_reported' (gana_reported.csv row 1, sha256 ")
    assert first.citation().endswith("sources: A, B")


def test_a_government_is_found_by_alias(store_tables: object) -> None:
    assert Reference.build(store_tables, government="가나", year=2026).government.name == "가나시"  # type: ignore[union-attr]


def test_a_program_matches_its_reported_figure(gana: Reference) -> None:
    c = claim(
        "가나시는 어르신 무료 급식에 42억6000만원을 편성했다.", "42억6000만원", "어르신 무료 급식", stage="예산안"
    )
    match = match_claim(c, gana)
    best = match.candidates[0]
    assert best.evidence.label == "가나시 2026 예산안 어르신 무료 급식"
    assert best.evidence.source == "reported"
    assert judge(match).verdict == "일치"


def test_the_stage_picks_between_two_figures_of_one_subject(gana: Reference) -> None:
    c = claim("가나시 총예산은 2조5120억원으로 확정됐다.", "2조5120억원", "가나시 총예산", "total", stage="본예산")
    [judgement] = judge_claims([c], gana)[1]
    assert judgement.verdict == "일치"
    assert "본예산" in judgement.evidence[0].label


def test_a_stage_the_text_does_not_state_is_settled_by_the_figure(gana: Reference) -> None:
    c = claim("가나시 예산은 2조5150억원이다.", "2조5150억원", "가나시 예산", "total")
    [judgement] = judge_claims([c], gana)[1]
    assert judgement.verdict == "일치"
    assert "예산안" in judgement.evidence[0].label and "the stage is not stated" in judgement.rule


def test_a_prior_year_figure_matches_the_prior_column(gana: Reference) -> None:
    c = claim("지난해 가나시 예산 2조3500억원", "2조3500억원", "지난해 가나시 예산", "prior", year=2025)
    [judgement] = judge_claims([c], gana)[1]
    assert judgement.verdict == "일치"
    assert judgement.evidence[0].details["compared"] == "prior"


def test_a_government_without_data_is_unverifiable(store_tables: object) -> None:
    reference = Reference.build(store_tables, government="없는시", year=2026)
    c = claim("없는시는 도서관에 155억원을 쓴다.", "155억원", "도서관")
    assert judge(match_claim(c, reference)).verdict == "확인 불가"


def test_an_unknown_government_code_is_an_error(store_tables: object) -> None:
    with pytest.raises(QueryError, match="no government 1234567"):
        Reference.build(store_tables, government="1234567", year=2026)


# --- line items and aggregates -------------------------------------------------------------------------


def test_an_item_matches_by_name_with_a_row_citation(rama: Reference) -> None:
    assert rama.has_items and rama.government is not None and rama.government.code == "4799000"
    c = claim("라마군은 경로당 냉난방비 지원에 2억5000만원을 쓴다.", "2억5000만원", "경로당 냉난방비 지원")
    judgement = judge(match_claim(c, rama))
    assert judgement.verdict == "일치"
    evidence = judgement.evidence[0]
    assert evidence.source == "items"
    assert "rama_items.csv row 1" in evidence.citation and "2026-07-05 기준" in evidence.citation
    assert evidence.details["item_code"] == "3000000000000001"


def test_an_item_split_over_accounts_matches_its_sum(rama: Reference) -> None:
    c = claim("마을 방범 CCTV 설치에 5억5000만원이 들어간다.", "5억5000만원", "마을 방범 CCTV 설치")
    judgement = judge(match_claim(c, rama))
    assert judgement.verdict == "일치"
    assert "(2 rows)" in judgement.evidence[0].label
    assert "row 4" in judgement.evidence[0].citation and "row 5" in judgement.evidence[0].citation


def test_a_field_total_comes_from_the_drill_down(rama: Reference) -> None:
    c = claim("라마군 사회복지 분야 예산은 27억5000만원이다.", "27억5000만원", "사회복지 분야")
    judgement = judge(match_claim(c, rama))
    assert judgement.verdict == "일치"
    assert judgement.evidence[0].amount_krw == RAMA_WELFARE
    assert "sum of 3 items" in judgement.evidence[0].citation


def test_the_government_total_is_the_sum_of_its_items(rama: Reference) -> None:
    exact = claim("라마군의 올해 예산은 56억원이다.", "56억원", "라마군의 올해 예산", "total")
    judgement = judge(match_claim(exact, rama))
    assert judgement.verdict == "일치" and judgement.evidence[0].amount_krw == RAMA_TOTAL
    other = claim("라마군의 올해 본예산은 58억원이다.", "58억원", "라마군의 올해 본예산", "total", stage="본예산")
    judgement = judge(match_claim(other, rama))
    assert judgement.verdict == "불일치"
    assert any("예산현액" in note and "본예산" in note for note in judgement.notes)


def test_an_item_figure_that_differs_is_a_mismatch_naming_both(rama: Reference) -> None:
    c = claim("노인 일자리 사업에 20억원을 편성했다.", "20억원", "노인 일자리 사업")
    judgement = judge(match_claim(c, rama))
    assert judgement.verdict == "불일치"
    assert judgement.difference_krw == 200_000_000
    assert "20억원 vs 18억원" in judgement.rule


# --- across sources ------------------------------------------------------------------------------------


def test_figures_of_one_subject_across_sources_are_classed(store_tables: object) -> None:
    from yesan.claims.verdict.check import check
    from yesan.claims.verdict.sources import compare_sources

    def report(name: str, figure: str, sentence: str) -> object:
        return check(sentence, store_tables, government="가나시", year=2026, source=f"{name}.txt",
                     claims=[claim(sentence, figure, "청년 월세 지원", stage="예산안")])  # fmt: skip

    reports = [
        report("a", "315억원", "청년 월세 지원에 315억원을 쓴다."),
        report("b", "320억원", "청년 월세 지원에 320억원을 쓴다."),
        report("c", "400억원", "청년 월세 지원에 400억원을 쓴다."),
    ]
    table = compare_sources(reports)  # type: ignore[arg-type]
    [row] = table.rows
    assert row.reference_krw == 31_500_000_000 and row.reference_from.startswith("data: ")
    assert {f.source: f.relation for f in row.figures} == {"a": "same", "b": "rounding", "c": "different figure"}
    assert row.status == "differs" and table.disagreements() == [row]
