from __future__ import annotations

from decimal import Decimal

import pytest

from yesan.errors import MoneyError
from yesan.money import Amount, Percent, parse, parse_cell, parse_percent, parse_unit

JO = 10**12
EOK = 10**8
MAN = 10**4


@pytest.mark.parametrize(
    ("text", "won"),
    [
        ("51조5060억원", 51_506_000_000_000),
        ("51조 5,060억 원", 51_506_000_000_000),
        ("51.5조원", 51_500_000_000_000),
        ("8천억 원", 800_000_000_000),
        ("3천억", 300_000_000_000),
        ("14조1천8백32억원", 14_183_200_000_000),
        ("2조9백억원", 2_090_000_000_000),
        ("3조2천874억3천만 원", 3_287_430_000_000),
        ("25억 8,660만 8000원", 2_586_608_000),
        ("1,234,567원", 1_234_567),
        ("1549억", 154_900_000_000),
        ("△1,234", -1234),
        ("▽1,234", -1234),
        ("-1,234", -1234),
        ("+1,234", 1234),
        ("(1,234)", -1234),
        ("△1,234억원", -123_400_000_000),
        ("삼천억원", 300_000_000_000),
        ("십억원", 10**9),
        ("천억", 10**11),
        ("백억", 10**10),
        ("이십오억 원", 2_500_000_000),
        ("일조 오천억", 1_500_000_000_000),
        ("만원", 10_000),
        ("만 원", 10_000),
        ("1만2천원", 12_000),
        ("50만원", 500_000),
        ("3000원", 3000),
        ("0원", 0),
        ("1.5억", 150_000_000),
        ("1.23456789억", 123_456_789),
        ("3조 1.5억", 3_000_150_000_000),
        ("1,500억원", 150_000_000_000),
        ("15000억", 1_500_000_000_000),
        ("922경 3372조 368억 5477만 5807원", 2**63 - 1),
        ("9,223,372,036,854,775,807원", 2**63 - 1),
        ("-9223372036854775807원", -(2**63 - 1)),
        ("１,２３４원", 1234),
        ("₩1,234", 1234),
    ],
)
def test_parse_values(text: str, won: int) -> None:
    amount = parse(text)
    assert amount.won == won
    assert amount.text == text
    assert isinstance(amount.won, int)


@pytest.mark.parametrize(
    ("text", "precision"),
    [
        ("51조5060억원", EOK),
        ("51조 5,060억 원", EOK),
        ("51.5조원", 10**11),
        ("51.50조원", 10**10),
        ("1,234,567원", 1),
        ("8천억", 10**11),
        ("천억", 10**11),
        ("3조2천874억3천만 원", 10**7),
        ("14조1천8백32억원", EOK),
        ("2조9백억원", 10**10),
        ("1조원", JO),
        ("25억 8,660만 8000원", 1),
        ("1만2천원", 1000),
        ("1.5억", 10**7),
    ],
)
def test_parse_precision(text: str, precision: int) -> None:
    assert parse(text).precision == precision


@pytest.mark.parametrize(
    ("text", "won", "qualifier"),
    [
        ("1조원 이상", JO, "이상"),
        ("1조원이상", JO, "이상"),
        ("약 3천억원", 3000 * EOK, "약"),
        ("약3천억원", 3000 * EOK, "약"),
        ("1천억여원", 1000 * EOK, "여"),
        ("100억여 원", 100 * EOK, "여"),
        ("1천여억원", 1000 * EOK, "여"),
        ("500억원 가량", 500 * EOK, "가량"),
        ("최대 2조원", 2 * JO, "최대"),
        ("최소 1조원", JO, "최소"),
        ("3억 미만", 3 * EOK, "미만"),
        ("5천만원 초과", 5000 * MAN, "초과"),
        ("10억원 이하", 10 * EOK, "이하"),
        ("1조원 약간", JO, "약간"),
        ("2조 안팎", 2 * JO, "안팎"),
        ("700억원 내외", 700 * EOK, "내외"),
        ("수천억원", 1000 * EOK, "수"),
        ("수조원", JO, "수"),
        ("최소 1조원 이상", JO, "최소 이상"),
    ],
)
def test_parse_qualifiers_are_separate(text: str, won: int, qualifier: str) -> None:
    amount = parse(text)
    assert amount.won == won
    assert amount.qualifier == qualifier


def test_parse_amount_fields() -> None:
    assert parse("8천억 원") == Amount(800_000_000_000, "8천억 원", None, 10**11, True)
    assert parse("1549억").has_won is False
    assert parse("1549억").qualifier is None


@pytest.mark.parametrize(
    ("text", "scale", "won"),
    [
        ("1,234", 1000, 1_234_000),
        ("1234.5", 1000, 1_234_500),
        ("(1,234)", 1000, -1_234_000),
        ("△5", 1_000_000, -5_000_000),
        ("3억", 1000, 300_000_000),
        ("1,234원", 1000, 1234),
    ],
)
def test_parse_scale_applies_to_bare_numbers_only(text: str, scale: int, won: int) -> None:
    amount = parse(text, scale=scale)
    assert amount.won == won


def test_parse_scale_must_be_positive() -> None:
    with pytest.raises(ValueError):
        parse("1", scale=0)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("12억abc", "letters"),
        ("1,2,3", "thousands separators"),
        ("--5", "more than one sign"),
        ("억", "no number"),
        ("", "empty"),
        ("   ", "empty"),
        ("1e20", "letters"),
        ("조억", "no number"),
        ("5억3조", "out of order"),
        ("3억4억", "repeated"),
        ("1.5원", "whole"),
        ("1.234567891억", "whole"),
        ("9223372036854775808원", "too large"),
        ("1000경원", "too large"),
        ("99999999999999999999999999999999999억", "too large"),
        ("7%", "percentage"),
        ("(1,234", "parentheses"),
        ("(-1,234)", "parentheses"),
        ("만", "만"),
        ("1.5조 3000억", "decimal"),
        ("3조 12000억", "too big"),
        ("천5000", "cannot follow"),
        ("12천억", "one digit"),
        ("삼천억원 달러", "unexpected"),
    ],
)
def test_parse_errors_name_the_text(text: str, reason: str) -> None:
    with pytest.raises(MoneyError) as caught:
        parse(text)
    assert caught.value.text == text
    assert reason in caught.value.reason
    assert repr(text) in str(caught.value)


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("(단위: 천원)", 1000),
        ("단위:백만원", 1_000_000),
        ("억원", EOK),
        ("(단위 : 원)", 1),
        ("천원", 1000),
        ("단위: 조원", JO),
        ("(단위: 십억원)", 10**9),
        ("(단위: 백만원, %)", 1_000_000),
        ("2026년 세출예산 (단위: 천원)", 1000),
        ("(백만원)", 1_000_000),
        ("원", 1),
        ("만원", MAN),
        ("(단위: 1,000원)", 1000),
        ("（단위：천원）", 1000),
    ],
)
def test_parse_unit(text: str, unit: int) -> None:
    assert parse_unit(text) == unit


@pytest.mark.parametrize("text", ["사업명", "예산액", "단위: 달러", "(단위: %)", "", "천원 이상", "단위: 0원"])
def test_parse_unit_none(text: str) -> None:
    assert parse_unit(text) is None


@pytest.mark.parametrize(
    ("text", "scale", "won"),
    [
        (None, 1, None),
        ("", 1, None),
        ("  ", 1, None),
        ("-", 1, 0),
        ("—", 1000, 0),
        (" - ", 1, 0),
        ("0", 1, 0),
        ("1,234", 1, 1234),
        ("1,234", 1000, 1_234_000),
        ("△1,234", 1, -1234),
        ("▽1,234", 1, -1234),
        ("(1,234)", 1, -1234),
        ("( 1,234 )", 1000, -1_234_000),
        ("-1,234", 1, -1234),
        ("+1,234", 1, 1234),
        ("1234.5", 1000, 1_234_500),
        ("0.001", 1000, 1),
        ("3억", 1, 300_000_000),
        ("3억", 1000, 300_000_000),
        ("△3억원", 1, -300_000_000),
        ("1,234원", 1000, 1234),
        ("9223372036854775807", 1, 2**63 - 1),
        ("１２３", 1, 123),
    ],
)
def test_parse_cell(text: str | None, scale: int, won: int | None) -> None:
    assert parse_cell(text, scale) == won


@pytest.mark.parametrize(
    ("text", "scale", "reason"),
    [
        ("1,23", 1, "thousands separators in the wrong places"),
        ("12,34,567", 1, "thousands separators in the wrong places"),
        ("1234.5", 1, "not a whole number of won"),
        ("0.0001", 1000, "not a whole number of won"),
        ("12abc", 1, "letters after the number"),
        ("1e5", 1, "letters after the number"),
        ("1 234", 1, "spaces inside the number"),
        ("1.2.3", 1, "more than one decimal point"),
        ("--5", 1, "more than one sign"),
        ("▲1,234", 1, "▲ is ambiguous"),
        ("(-1,234)", 1, "already negative"),
        ("(1,234", 1, "unbalanced parentheses"),
        ("7%", 1, "percentage"),
        ("abc", 1, "not a number"),
        ("12억abc", 1, "letters after the number"),
        ("9223372036854775808", 1, "too large"),
        ("9223372036854775807", 10, "too large"),
    ],
)
def test_parse_cell_errors(text: str, scale: int, reason: str) -> None:
    with pytest.raises(MoneyError) as caught:
        parse_cell(text, scale)
    assert caught.value.text == text
    assert reason in caught.value.reason
    assert repr(text) in str(caught.value)


@pytest.mark.parametrize(
    ("text", "value", "points", "qualifier"),
    [
        ("7%", Decimal("7"), False, None),
        ("3.2%p", Decimal("3.2"), True, None),
        ("3.2%P", Decimal("3.2"), True, None),
        ("7.05 %", Decimal("7.05"), False, None),
        ("약 7%", Decimal("7"), False, "약"),
        ("1.5%포인트", Decimal("1.5"), True, None),
        ("-0.5%", Decimal("-0.5"), False, None),
        ("△2.1%p", Decimal("-2.1"), True, None),
        ("10% 이상", Decimal("10"), False, "이상"),
        ("12퍼센트", Decimal("12"), False, None),
        ("1,250%", Decimal("1250"), False, None),
    ],
)
def test_parse_percent(text: str, value: Decimal, points: bool, qualifier: str | None) -> None:
    assert parse_percent(text) == Percent(value, points, text, qualifier)


@pytest.mark.parametrize("text", ["7", "%", "7%abc", "1,2%", "삼 퍼센트", "", "3억원"])
def test_parse_percent_errors(text: str) -> None:
    with pytest.raises(MoneyError) as caught:
        parse_percent(text)
    assert caught.value.text == text


def test_percent_is_never_an_amount() -> None:
    with pytest.raises(MoneyError, match="percentage"):
        parse("3.2%p")
    with pytest.raises(MoneyError, match="percentage"):
        parse_cell("7%")
