"""The one precision rule (docs/verdicts.md): reading units, rounding vs truncation, 약/이상/이하/여, headlines,
likely typos, arithmetic between like quantities, and why a figure is 확인 불가.

The sentences are written for these tests; the governments are made up (가나시, 라마군).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claims_fixtures import build_store, claim
from yesan.claims.candidates.match import role_of
from yesan.claims.model import Claim
from yesan.claims.verdict.arithmetic import check_arithmetic
from yesan.claims.verdict.check import check
from yesan.claims.verdict.rules import (
    compare_amount,
    compare_headline,
    last_digit_unit,
    likely_typo,
    reading_unit,
    written_typo,
)
from yesan.money import round_won
from yesan.query import open_backend, tables

EOK = 10**8
JO = 10**12
MATCHING = ("일치", "반올림 일치", "근사", "범위 일치")

amounts = st.integers(min_value=10**6, max_value=10**15)
units = st.sampled_from([10**4, 10**5, 10**6, 10**7, EOK, 10**9, 10**10, 10**11, JO])


def _truncate(won: int, unit: int) -> int:
    return won // unit * unit


# --- the reading unit ------------------------------------------------------------------------------


def test_a_figure_is_read_at_its_last_digit_but_never_coarser_than_two_significant_digits() -> None:
    assert reading_unit(51_500_000_000_000) == 10**11  # 51.5조: ±500억
    assert reading_unit(15_600_000_000_000) == 10**11  # 15조6000억
    assert reading_unit(800_000_000_000) == 10**10  # 8000억 and 8천억 alike
    assert reading_unit(JO) == 10**11  # 1조 is ±500억, not ±5,000억
    assert reading_unit(62 * JO) == JO
    assert reading_unit(20 * EOK) == EOK


# --- properties over random exact amounts ----------------------------------------------------------


@given(amounts, units)
def test_a_figure_rounded_at_a_two_digit_precision_always_matches(actual: int, unit: int) -> None:
    written = round_won(actual, unit)
    if written < 10 * unit:  # one significant digit: read at two (see the next test)
        return
    assert compare_amount(written, unit, None, actual).verdict in ("일치", "반올림 일치")


@given(amounts, units)
def test_a_truncated_figure_that_rounding_would_not_give_is_a_mismatch(actual: int, unit: int) -> None:
    written = _truncate(actual, unit)
    if written < 10 * unit or written == round_won(actual, reading_unit(written)):  # trailing zeros: rounded
        return
    result = compare_amount(written, unit, None, actual)
    assert result.verdict == "불일치"
    assert "truncation is not rounding" in result.rule


@given(amounts, units)
def test_yak_accepts_any_rounding_of_the_figure_however_coarse(actual: int, unit: int) -> None:
    written = round_won(actual, unit)
    if written == 0:
        return
    assert compare_amount(written, unit, "약", actual).verdict in ("일치", "반올림 일치", "근사")


@given(amounts, units)
def test_yeo_accepts_the_figure_truncated_and_nothing_below_it(actual: int, unit: int) -> None:
    written = _truncate(actual, unit)
    if written < 10 * unit:
        return
    assert compare_amount(written, unit, "여", actual).verdict in ("일치", "근사")
    assert compare_amount(written, unit, "여", written - 1).verdict == "불일치"


@given(amounts, amounts)
def test_bounds_hold_exactly_and_are_never_stretched_by_rounding(claimed: int, actual: int) -> None:
    unit = last_digit_unit(claimed)
    assert (compare_amount(claimed, unit, "이상", actual).verdict == "범위 일치") == (actual >= claimed)
    assert (compare_amount(claimed, unit, "이하", actual).verdict == "범위 일치") == (actual <= claimed)
    assert (compare_amount(claimed, unit, "초과", actual).verdict == "범위 일치") == (actual > claimed)


# --- the cases of the issue ------------------------------------------------------------------------


def test_one_trillion_or_more_against_nine_thousand_three_hundred_billion_is_a_mismatch() -> None:
    result = compare_amount(JO, JO, "이상", 9_300 * EOK)
    assert result.verdict == "불일치" and "'이상' does not hold" in result.rule
    assert compare_amount(JO, JO, None, 9_300 * EOK).verdict == "불일치"  # a plain 1조 is ±500억
    assert compare_amount(JO, JO, "약", 9_300 * EOK).verdict == "근사"  # 약 1조 is ±5,000억


def test_rounding_and_truncation_in_one_sentence_follow_one_rule() -> None:
    rounded = compare_amount(15_600_000_000_000, EOK, None, 15_625_600_000_000)  # 15조6000억 vs 15조6256억
    cut = compare_amount(8_000 * EOK, EOK, None, 8_601 * EOK)  # 8000억 vs 8601억
    assert rounded.verdict == "반올림 일치" and "±500억원" in rounded.rule
    assert cut.verdict == "불일치"
    assert "8,601억원 truncated to 천억 would give 8,000억원, but truncation is not rounding" in cut.rule
    assert compare_amount(8_000 * EOK, 10**11, None, 8_601 * EOK).verdict == "불일치"  # 8천억: the same


def test_the_rule_text_shows_the_tolerance_in_both_languages() -> None:
    result = compare_amount(51_500_000_000_000, 10**11, None, 51_506_000_000_000)
    assert "at 천억 precision (±500억원)" in result.rule
    assert "(허용 ±500억원)" in result.rule.render("ko")


def test_a_headline_may_truncate_but_a_body_sentence_may_not() -> None:
    assert compare_amount(51 * JO, JO, None, 515_060 * EOK).verdict == "불일치"  # 51조 for 51조5060억
    headline = compare_headline(51 * JO, None, 515_060 * EOK)
    assert headline is not None and headline.verdict == "근사" and "headline" in headline.rule
    assert compare_headline(51 * JO, None, 521_000 * EOK) is None  # not 51조 by any cut
    assert compare_headline(51 * JO, "이상", 515_060 * EOK) is None  # a bound keeps its own rule


def test_a_headline_figure_in_a_checked_text_is_read_as_shortened(store_tables: object) -> None:
    title = "가나시, 청년 월세 지원에 310억"
    text = f"# title: {title}\n{title}\n가나시는 내년에 청년 월세 지원 사업을 늘린다.\n"
    headline = check(text, store_tables, government="가나시", year=2026)
    [judgement] = headline.judgements
    assert judgement.verdict == "근사" and "headline" in judgement.rule  # 315억 cut to 310억
    plain = check("가나시는 청년 월세 지원에 310억원을 쓴다.", store_tables, government="가나시", year=2026)
    assert [j.verdict for j in plain.judgements] == ["불일치"]


# --- likely typos ----------------------------------------------------------------------------------


def test_a_figure_one_digit_or_one_unit_off_is_flagged_as_a_likely_typo() -> None:
    digit = compare_amount(16_668_600_000_000, EOK, None, 15_668_600_000_000)  # 16조6686억 vs 15조6686억
    assert digit.verdict == "불일치" and digit.flag == "likely_typo" and "likely a typo" in digit.rule
    assert likely_typo(280 * EOK, 2_800 * EOK) is not None  # a zero missing
    assert likely_typo(8_045 * EOK + 6_100, 8_045 * EOK + 6_100 * 10**4) is not None  # 만 missing
    assert likely_typo(4_510 * EOK, 4_477 * EOK) is None  # just a different figure
    assert compare_amount(4_510 * EOK, EOK, None, 4_477 * EOK).flag is None


def test_a_figure_that_skips_a_unit_as_written_is_not_confirmed_by_a_copy_of_it(store_tables: object) -> None:
    meant = written_typo(8_045 * EOK + 6_100, "8045억 6100원")
    assert meant is not None and "8,045억 6,100만원" in meant
    assert written_typo(8_045 * EOK + 6_100 * 10**4, "8045억 6100만원") is None
    s = "어르신 무료 급식 예산은 42억 6000원이다."
    report = check(s, store_tables, government="가나시", year=2026,
                   claims=[claim(s, "42억 6000원", "어르신 무료 급식")])  # fmt: skip
    [judgement] = report.judgements
    assert judgement.verdict == "확인 불가" and judgement.reason == "likely_typo"
    assert "42억 6,000만원" in judgement.rule


# --- arithmetic between like quantities ------------------------------------------------------------


def test_a_councils_cuts_and_additions_are_revisions_not_the_change_over_last_year(store_tables: object) -> None:
    s1 = "가나시의 내년 예산은 2조5150억원으로 올해보다 1650억원 늘었다."
    s2 = "가나시의회는 25억원을 삭감하고 26억원을 증액했다."
    text = f"{s1} {s2}"
    claims = [
        claim(s1, "2조5150억원", "가나시 예산", "total"),
        claim(s1, "1650억원", "증가분", "change"),
        claim(s2, "25억원", "삭감분", "change", offset=len(s1) + 1, negative=True),
        claim(s2, "26억원", "증액분", "change", offset=len(s1) + 1),
    ]
    assert [role_of(c, 2026) for c in claims[2:]] == ["revision", "revision"]
    report = check(text, store_tables, government="가나시", year=2026, claims=claims)
    verdicts = {j.claim.amount_text: j for j in report.judgements}
    assert verdicts["1650억원"].verdict == "일치"
    for figure in ("25억원", "26억원"):
        assert verdicts[figure].verdict != "불일치"
        assert all(e.details.get("compared") != "change" for e in verdicts[figure].evidence)


def _whole_and_parts(whole: str, *parts: str) -> list[Claim]:
    first = f"가나시는 복지에 {whole}을 쓴다."
    second = f"돌봄에 {parts[0]}, 보육에 {parts[1]}이 들어간다."
    at = len(first) + 1
    return [claim(first, whole, "복지"), claim(second, parts[0], "돌봄", offset=at),
            claim(second, parts[1], "보육", offset=at)]  # fmt: skip


def test_parts_below_a_lower_bound_leave_the_whole_unchecked_and_parts_above_it_bear_it_out() -> None:
    short = _whole_and_parts("1조원 이상", "5000억원", "4300억원")
    assert [c for c in check_arithmetic(short, year=2026) if c.kind == "parts"] == []
    enough = _whole_and_parts("1조원 이상", "5000억원", "5200억원")
    [parts] = [c for c in check_arithmetic(enough, year=2026) if c.kind == "parts"]
    assert parts.verdict == "범위 일치" and "'이상'" in parts.rule


def test_the_rounding_slack_of_parts_comes_from_each_figures_reading_unit() -> None:
    # 1조 is read to 천억 (±500억): 9,300억 of parts is not 1조 "within rounding"
    assert [c for c in check_arithmetic(_whole_and_parts("1조원", "5000억원", "4300억원"), year=2026)
            if c.kind == "parts"] == []  # fmt: skip
    [near] = [c for c in check_arithmetic(_whole_and_parts("1조원", "5000억원", "4980억원"), year=2026)
              if c.kind == "parts"]  # fmt: skip
    assert near.verdict == "반올림 일치"


def test_the_texts_own_arithmetic_never_confirms_a_figure(store_tables: object) -> None:
    s = "다바동 축제 예산은 12억원으로 지난해 10억원보다 2억원 늘었다."
    claims = [claim(s, "12억원", "다바동 축제"), claim(s, "10억원", "지난해", "prior", year=2025),
              claim(s, "2억원", "증가분", "change")]  # fmt: skip
    report = check(s, store_tables, government="가나시", year=2026, claims=claims)
    [difference] = [c for c in report.checks if c.kind == "difference"]
    assert difference.verdict == "일치"  # the check itself holds …
    change = report.judgements[2]
    assert change.verdict == "확인 불가" and change.reason == "text_only"  # … but confirms nothing outside


# --- 확인 불가: why and where to look --------------------------------------------------------------


def test_each_unverifiable_figure_says_why_and_names_the_document(store_tables: object) -> None:
    s = "가나시는 우주 정거장 건설에 77억원을 쓴다."
    report = check(s, store_tables, government="가나시", year=2026, claims=[claim(s, "77억원", "우주 정거장 건설")])
    [judgement] = report.judgements
    assert judgement.verdict == "확인 불가" and judgement.reason == "subject_not_found"
    data = judgement.as_dict()
    assert data["reason"] == "subject_not_found" and data["reason_text"] and data["reason_text_ko"]
    assert data["look_in_ko"] == "2026년도 가나시 예산서"
    proposal = claim(s, "77억원", "우주 정거장 건설", stage="예산안")
    [staged] = check(s, store_tables, government="가나시", year=2026, claims=[proposal]).judgements
    assert staged.as_dict()["look_in_ko"] == "2026년도 가나시 예산안"


def test_a_government_without_data_for_the_year_gives_no_data_for_every_figure(store_tables: object) -> None:
    s = "가나시는 청년 월세 지원에 315억원을 쓴다."
    report = check(s, store_tables, government="가나시", year=2030, claims=[claim(s, "315억원", "청년 월세 지원")])
    assert [(j.verdict, j.reason) for j in report.judgements] == [("확인 불가", "no_data")]


def test_a_wide_gap_against_another_report_is_not_called_wrong(store_tables: object) -> None:
    s = "가나시는 청년 월세 지원에 900억원을 쓴다."
    report = check(s, store_tables, government="가나시", year=2026, claims=[claim(s, "900억원", "청년 월세 지원")])
    [judgement] = report.judgements
    assert judgement.verdict == "확인 불가" and judgement.reason == "reports_disagree"
    assert judgement.evidence and judgement.evidence[0].amount_krw == 315 * EOK


@pytest.fixture(scope="module")
def store_tables(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    folder = tmp_path_factory.mktemp("precision")
    db: Path = build_store(folder / "s.duckdb", folder)
    backend = open_backend(db)
    try:
        yield tables(backend)
    finally:
        backend.disconnect()
