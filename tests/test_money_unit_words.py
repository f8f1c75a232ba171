"""Amounts written with a table unit after the number: 1,234천원, 12,345백만원 (public-finance documents)."""

from __future__ import annotations

import pytest

from yesan.errors import MoneyError
from yesan.money import find_amounts, parse


@pytest.mark.parametrize(
    ("text", "won", "precision"),
    [
        ("1,234천원", 1_234_000, 1000),
        ("1234천원", 1_234_000, 1000),
        ("12,345백만원", 12_345_000_000, 1_000_000),
        ("2,500천만원", 25_000_000_000, 10_000_000),
        ("1,234천 원", 1_234_000, 1000),
        ("5천원", 5000, 1000),
    ],
)
def test_parse_unit_words_after_the_number(text: str, won: int, precision: int) -> None:
    amount = parse(text)
    assert (amount.won, amount.precision, amount.has_won) == (won, precision, True)


def test_find_unit_words_in_running_text() -> None:
    text = "예산액은 1,234,567천원이며 국비는 12,345백만원이다."
    found = [(text[m.start : m.end], m.amount.won) for m in find_amounts(text)]
    assert found == [("1,234,567천원", 1_234_567_000), ("12,345백만원", 12_345_000_000)]


@pytest.mark.parametrize("text", ["12천억", "1,234천", "1,2천원"])
def test_a_number_before_천_still_needs_a_unit_word(text: str) -> None:
    with pytest.raises(MoneyError):
        parse(text)
