"""Judging: the amount and percentage rules (exact, rounding, truncation, qualifiers, bounds), and which candidate
decides a claim."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claims_fixtures import build_store, claim
from yesan.claims.candidates.match import Candidate, Match
from yesan.claims.candidates.reference import Reference
from yesan.claims.model import Evidence
from yesan.claims.verdict.judge import judge, judge_claims
from yesan.claims.verdict.rules import compare_amount, compare_percent, loose_precision, reading_unit
from yesan.money import round_won
from yesan.query import open_backend, tables

EOK = 10**8
JO = 10**12


# --- amounts ---------------------------------------------------------------------------------------


def test_equal_to_the_won_is_exact() -> None:
    assert compare_amount(15_625_600_000_000, EOK, None, 15_625_600_000_000).verdict == "일치"


def test_a_figure_rounded_at_its_written_unit_is_a_rounding_match_and_says_so() -> None:
    result = compare_amount(51_500_000_000_000, 10**11, None, 51_506_000_000_000)  # 51.5조 vs 51조5060억
    assert result.verdict == "반올림 일치"
    assert "rounds to" in result.rule and "천억" in result.rule
    assert result.difference == -6_000_000_000


def test_trailing_zeros_are_read_as_rounding_and_the_rule_says_so() -> None:
    result = compare_amount(15_600_000_000_000, EOK, None, 15_625_600_000_000)  # 15조6000억 vs 15조6256억
    assert result.verdict == "반올림 일치"
    assert "at 천억 precision (±500억원)" in result.rule


def test_truncation_is_not_rounding_and_the_rule_names_it() -> None:
    result = compare_amount(800_000_000_000, 10**11, None, 860_100_000_000)  # 8천억 vs 8601억
    assert result.verdict == "불일치"
    assert "truncated to 천억 would give 8,000억원, but truncation is not rounding" in result.rule


def test_a_round_figure_with_one_significant_digit_is_not_read_as_rounded_but_the_rule_says_what_would_fit() -> None:
    result = compare_amount(800_000_000_000, EOK, None, 860_100_000_000)  # "8000억" vs 8601억
    assert result.verdict == "불일치"
    assert "truncated to 천억 would give 8,000억원" in result.rule
    assert compare_amount(20 * EOK, EOK, None, 18 * EOK).verdict == "불일치"


def test_a_figure_off_at_its_own_precision_is_a_mismatch_with_the_difference() -> None:
    result = compare_amount(43_100_000_000, EOK, None, 15_600_000_000)
    assert result.verdict == "불일치"
    assert result.difference == 27_500_000_000
    assert "431억원 vs 156억원" in result.rule


def test_exact_written_amounts_get_no_rounding_slack() -> None:
    assert compare_amount(5_264 * EOK, EOK, None, 5_265 * EOK).verdict == "불일치"


def test_yak_allows_five_percent() -> None:
    assert compare_amount(4_800 * EOK, EOK, "약", 4_620 * EOK).verdict == "근사"  # 3.75 % off
    assert compare_amount(4_800 * EOK, EOK, "약", 4_500 * EOK).verdict == "불일치"  # 6.25 % off


def test_yeo_means_the_figure_and_less_than_one_more_unit() -> None:
    assert compare_amount(100 * EOK, EOK, "여", 107 * EOK).verdict == "근사"
    assert compare_amount(100 * EOK, EOK, "여", 112 * EOK).verdict == "불일치"
    assert compare_amount(100 * EOK, EOK, "여", 98 * EOK).verdict == "불일치"


def test_bounds_hold_or_fail() -> None:
    assert compare_amount(JO, JO, "이상", 1_085_100_000_000).verdict == "범위 일치"
    assert compare_amount(JO, JO, "이상", 985_100_000_000).verdict == "불일치"
    assert compare_amount(200 * EOK, EOK, "넘게", 200 * EOK).verdict == "범위 일치"  # 넘게 is used as "at least"
    assert compare_amount(200 * EOK, EOK, "초과", 200 * EOK).verdict == "불일치"
    assert compare_amount(50 * EOK, EOK, "미만", 49 * EOK).verdict == "범위 일치"


def test_a_bound_is_not_stretched_by_rounding() -> None:
    # 1조원 이상 vs 9800억: rounding would say 1조, but 이상 is a bound.
    assert compare_amount(JO, JO, "이상", 980_000_000_000).verdict == "불일치"


def test_loose_precision_is_the_unit_of_the_last_non_zero_digit() -> None:
    assert loose_precision(15_600_000_000_000, EOK) == 10**11
    assert loose_precision(450_000_000_000, EOK) == 10**10
    assert loose_precision(51_506_000_000_000, EOK) == 10**9
    assert loose_precision(800_000_000_000, EOK) == 10**10  # two significant digits kept
    assert loose_precision(2_000_000_000, EOK) == EOK
    assert loose_precision(0, EOK) == EOK


@given(st.integers(min_value=1, max_value=10**15), st.sampled_from([10**4, 10**8, 10**11, 10**12]))
def test_the_rounded_figure_always_rounding_matches_the_exact_one(actual: int, unit: int) -> None:
    claimed = round_won(actual, unit)
    if claimed == 0 or reading_unit(claimed) < unit:  # one significant digit: read at two (docs/verdicts.md)
        return
    verdict = compare_amount(claimed, unit, None, actual).verdict
    assert verdict in ("일치", "반올림 일치")


# --- percentages -----------------------------------------------------------------------------------


def test_a_stated_percentage_holds_when_the_exact_one_rounds_to_it() -> None:
    actual = Fraction(515_060 - 481_145, 481_145) * 100  # 48조1145억 → 51조5060억: +7.049…%
    assert compare_percent(Decimal("7"), None, actual).verdict == "반올림 일치"
    assert compare_percent(Decimal("7.0"), None, actual).verdict == "반올림 일치"
    assert compare_percent(Decimal("7.1"), None, actual).verdict == "불일치"


def test_a_percentage_in_the_wrong_direction_fails() -> None:
    result = compare_percent(Decimal("7.6"), None, Fraction(-7_63, 100))
    assert result.verdict == "불일치" and "other way" in result.rule


def test_yak_percent_allows_one_unit() -> None:
    assert compare_percent(Decimal("7"), "약", Fraction(62, 10)).verdict == "근사"
    assert compare_percent(Decimal("7"), "약", Fraction(81, 10)).verdict == "불일치"
    assert compare_percent(Decimal("7"), None, Fraction(62, 10)).verdict == "불일치"


def test_a_truncated_percentage_is_not_rounded_and_says_so() -> None:
    result = compare_percent(Decimal("5.8"), None, Fraction(5_89, 100))
    assert result.verdict == "불일치" and "truncation is not rounding" in result.rule


# --- which candidate decides -----------------------------------------------------------------------


def _candidate(amount: int, label: str, score: float, group: str | None = None) -> Candidate:
    return Candidate(Evidence(amount, label, "reported", f"test {label}"), score, False, group or label)


def test_candidates_that_disagree_are_resolved_by_the_one_the_figure_fits() -> None:
    c = claim("동행 사업에 612억원을 쓴다.", "612억원", "동행 사업")
    match = Match(c, (_candidate(849 * EOK, "동행 교통 패스", 0.6), _candidate(612 * EOK, "동행 돌봄 바우처", 0.6)),
                  "동행 사업")  # fmt: skip
    judgement = judge(match)
    assert judgement.verdict == "일치"
    assert judgement.evidence[0].label == "동행 돌봄 바우처"
    assert "동행 교통 패스" in judgement.rule


def test_candidates_that_all_disagree_are_ambiguous_and_listed() -> None:
    c = claim("동행 사업에 700억원을 쓴다.", "700억원", "동행 사업")
    match = Match(c, (_candidate(849 * EOK, "동행 교통 패스", 0.6), _candidate(612 * EOK, "동행 돌봄 바우처", 0.6)),
                  "동행 사업")  # fmt: skip
    judgement = judge(match)
    assert judgement.verdict == "모호"
    assert {e.label for e in judgement.evidence} == {"동행 교통 패스", "동행 돌봄 바우처"}


def test_one_clearly_better_subject_decides_even_against_the_figure() -> None:
    c = claim("청년 월세 지원에 290억원을 쓴다.", "290억원", "청년 월세 지원")
    match = Match(c, (_candidate(315 * EOK, "청년 월세 지원", 1.0), _candidate(290 * EOK, "청년 주거 지원", 0.55)),
                  "청년 월세 지원")  # fmt: skip
    judgement = judge(match)
    assert judgement.verdict == "불일치"
    assert judgement.difference_krw == -25 * EOK
    assert any("청년 주거 지원" in note for note in judgement.notes)


def test_a_mismatch_switches_to_a_close_subject_equal_to_the_won() -> None:
    c = claim("청년 월세 지원에 290억원을 쓴다.", "290억원", "청년 월세 지원")
    match = Match(c, (_candidate(315 * EOK, "청년 월세 지원", 0.7), _candidate(290 * EOK, "청년 주거 지원", 0.55)),
                  "청년 월세 지원")  # fmt: skip
    judgement = judge(match)
    assert judgement.verdict == "일치"
    assert judgement.evidence[0].label == "청년 주거 지원"
    assert "not 청년 월세 지원" in judgement.rule


def test_nothing_to_check_against_is_unverifiable() -> None:
    c = claim("주요 도로 구조개선에 1조원 이상 투자한다.", "1조원 이상", "주요 도로 구조개선")
    judgement = judge(Match(c, (), "주요 도로 구조개선"))
    assert judgement.verdict == "확인 불가"
    assert judgement.evidence == ()


def test_a_part_of_a_listed_subject_does_not_refute_the_total() -> None:
    c = claim("공원, 도서관 등 생활 시설에 1조원 이상 투자한다.", "1조원 이상", "공원, 도서관 등 생활 시설")
    part = Candidate(Evidence(155 * EOK, "시립 도서관 건립", "reported", "test"), 0.6, True, "도서관")
    judgement = judge(Match(c, (part,), c.subject))
    assert judgement.verdict == "확인 불가"
    assert "part" in judgement.rule and judgement.evidence[0].label == "시립 도서관 건립"


# --- against a real store ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Reference]:
    folder = tmp_path_factory.mktemp("judge")
    db = build_store(folder / "s.duckdb", folder)
    backend = open_backend(db)
    try:
        yield Reference.build(tables(backend), government="가나시", year=2026)
    finally:
        backend.disconnect()


def test_a_generic_total_is_read_as_whichever_total_agrees(reference: Reference) -> None:
    c = claim("가나시 전체 살림은 3조1000억원이다.", "3조1000억원", "가나시 전체 살림", "total", stage="본예산")
    [judgement] = judge_claims([c], reference)[1]
    assert judgement.verdict == "일치"
    assert "가나시+교육청 합계 예산" in judgement.evidence[0].label
    assert "different definition" in judgement.rule


def test_a_change_is_checked_against_its_level_figures_data(reference: Reference) -> None:
    sentence = "시립 도서관 건립에 155억원을 편성해 지난해보다 35억원 늘렸다."
    level = claim(sentence, "155억원", "시립 도서관 건립")
    change = claim(sentence, "35억원", "지난해보다 늘어난 금액", "change")
    _matches, (first, second) = judge_claims([level, change], reference)
    assert first.verdict == "일치"
    assert second.verdict == "일치"
    assert second.evidence[0].details["compared"] == "change"


def test_a_change_in_the_other_direction_than_the_data_does_not_hold(reference: Reference) -> None:
    sentence = "시립 도서관 건립에 155억원을 편성해 지난해보다 35억원 줄였다."
    level = claim(sentence, "155억원", "시립 도서관 건립")
    cut = claim(sentence, "35억원", "지난해보다 줄어든 금액", "change", negative=True)
    judgement = judge_claims([level, cut], reference)[1][1]
    assert judgement.verdict == "불일치"
    assert "the text states a decrease and the data an increase" in judgement.rule


def test_a_revision_against_the_proposal_is_checked_against_enacted_minus_proposed(reference: Reference) -> None:
    sentence = "가나시 예산은 2조5120억원으로 제출한 예산안 2조5150억원보다 30억원 줄었다."
    claims = [
        claim(sentence, "2조5120억원", "가나시 예산", "total", stage="본예산"),
        claim(sentence, "2조5150억원", "제출한 예산안", "total", stage="예산안"),
        claim(sentence, "30억원", "줄어든 금액", "change", negative=True),
    ]
    _matches, judgements = judge_claims(claims, reference)
    assert [j.verdict for j in judgements] == ["일치", "일치", "일치"]
    assert "본예산 − 예산안" in judgements[2].evidence[0].label
