from __future__ import annotations

from decimal import Decimal

import pytest

from yesan.money import find_amounts, find_percents, parse

JO = 10**12
EOK = 10**8


def found(text: str) -> list[tuple[str, int]]:
    return [(text[m.start : m.end], m.amount.won) for m in find_amounts(text)]


def test_budget_sentence_has_one_amount_not_the_year_or_percent() -> None:
    text = "부산시의 2026년 본예산은 17조3280억원으로 7% 늘었다."
    matches = find_amounts(text)
    assert [(text[m.start : m.end], m.amount.won) for m in matches] == [("17조3280억원", 17_328_000_000_000)]
    assert matches[0].amount.precision == EOK
    assert matches[0].amount.has_won


def test_same_amount_twice_has_two_positions() -> None:
    text = "교육청은 300억원을 요청했고 시의회는 300억원을 그대로 승인했다."
    matches = find_amounts(text)
    assert [m.amount.won for m in matches] == [300 * EOK, 300 * EOK]
    assert matches[0].start != matches[1].start
    for m in matches:
        assert text[m.start : m.end] == "300억원"


def test_amount_after_latin_letters_and_particle() -> None:
    assert found("판교 AI 클러스터 조성에 412억원이 들어간다") == [("412억원", 412 * EOK)]


def test_signed_change_in_parentheses_keeps_its_sign() -> None:
    text = "복지 예산은 21조4000억원(+6000억)으로 증가"
    assert found(text) == [("21조4000억원", 21_400_000_000_000), ("+6000억", 6000 * EOK)]
    minus = "문화 예산은 9000억원(-1500억)으로 줄었다"
    assert found(minus) == [("9000억원", 9000 * EOK), ("-1500억", -1500 * EOK)]


def test_headline_numbers_without_won() -> None:
    assert found("[단독] 도로 보수비 2387억 증액… 5천억 규모 새 사업") == [
        ("2387억", 2387 * EOK),
        ("5천억", 5000 * EOK),
    ]
    assert found("교통 예산 3조7백억 편성") == [("3조7백억", 3_070_000_000_000)]


@pytest.mark.parametrize(
    "text",
    [
        "2026년 3월 15일 제3차 본회의",
        "참석자 120명, 회의실 3개, 현장 5곳",
        "문의는 02-2133-1234 또는 010-9876-5432로",
        "증가율은 7%, 3.5%p 상승",
        "인구 120만 명과 35만 가구",
        "구조조정과 백조의 호수, 사회의 일원으로",
        "지원액은 5천억 달러, 인구 1억 명",
        "제3조에 따라, 헌법 1조 2항",
        "세 가지 원칙: 3원칙",
        "천만 시민의 도시",
        "수조에 물을 채웠다",
    ],
)
def test_not_money(text: str) -> None:
    assert find_amounts(text) == []


def test_bullets_are_not_minus_but_attached_triangle_is() -> None:
    text = "주요 변경: △청년 일자리 △어르신 돌봄 △1,250억원 감액"
    assert found(text) == [("△1,250억원", -1250 * EOK)]


def test_plain_digits_with_won_are_money() -> None:
    text = "입장료 3000원, 지원금 50만원, 총 1,234,567원"
    assert found(text) == [("3000원", 3000), ("50만원", 500_000), ("1,234,567원", 1_234_567)]


def test_spaced_groups_and_won() -> None:
    text = "사업비는 14억 2,350만 6000원이고 전체는 48조 7,120억 원이다"
    assert found(text) == [("14억 2,350만 6000원", 1_423_506_000), ("48조 7,120억 원", 48_712_000_000_000)]


def test_trailing_bare_number_without_won_is_not_taken() -> None:
    assert found("예산 3억 2026년 집행") == [("3억", 3 * EOK)]
    assert found("1억 2천만 명이 살았다") == []


def test_qualifiers_are_reported_apart_from_the_number() -> None:
    text = "약 2천억원 이상이 들고, 1조원 가량의 손실, 300억여 원, 8천여억원, 수천억원을 쓴다"
    matches = find_amounts(text)
    got = [(text[m.start : m.end], text[m.full_start : m.full_end], m.amount.qualifier) for m in matches]
    assert got == [
        ("2천억원", "약 2천억원 이상", "약 이상"),
        ("1조원", "1조원 가량", "가량"),
        ("300억여 원", "300억여 원", "여"),
        ("8천여억원", "8천여억원", "여"),
        ("수천억원", "수천억원", "수"),
    ]
    assert [m.amount.won for m in matches] == [2000 * EOK, JO, 300 * EOK, 8000 * EOK, 1000 * EOK]
    for m in matches:
        assert m.amount.text == text[m.full_start : m.full_end]
        assert parse(m.amount.text) == m.amount


def test_korean_numerals() -> None:
    text = "삼천억원과 십억, 천억, 이천오백만원"
    assert found(text) == [
        ("삼천억원", 3000 * EOK),
        ("십억", 10 * EOK),
        ("천억", 1000 * EOK),
        ("이천오백만원", 25_000_000),
    ]


def test_ranges_are_two_amounts_not_a_negative() -> None:
    assert found("3천억~5천억원 추가") == [("3천억", 3000 * EOK), ("5천억원", 5000 * EOK)]
    assert found("1조-2조원이 더 필요") == [("1조", JO), ("2조원", 2 * JO)]


def test_decimal_amounts_and_fullwidth_digits() -> None:
    assert found("국비 2.75조원 확보") == [("2.75조원", 2_750_000_000_000)]
    assert found("총 １２억원") == [("１２억원", 12 * EOK)]


def test_won_starting_another_word_is_not_currency() -> None:
    assert found("3조 원전 수출") == [("3조", 3 * JO)]


def test_find_percents() -> None:
    text = "예산이 7% 늘고 점유율은 3.2%p 올랐으며 약 1.5%포인트, 2-3% 범위"
    got = [(text[m.start : m.end], m.percent.value, m.percent.points, m.percent.qualifier) for m in find_percents(text)]
    assert got == [
        ("7%", Decimal("7"), False, None),
        ("3.2%p", Decimal("3.2"), True, None),
        ("1.5%포인트", Decimal("1.5"), True, "약"),
        ("3%", Decimal("3"), False, None),
    ]


def test_find_percents_signs() -> None:
    text = "전년 대비 -2.5% 감소, △0.3%p"
    assert [m.percent.value for m in find_percents(text)] == [Decimal("-2.5"), Decimal("-0.3")]


def test_find_nothing_in_empty_text() -> None:
    assert find_amounts("") == []
    assert find_percents("") == []


@pytest.mark.parametrize("text", ["이천", "삼천 명", "수천 명이", "예산이천억원", "구백"])
def test_korean_numerals_that_are_not_money_end_the_search(text: str) -> None:
    assert find_amounts(text) == []
