"""Fuzzing the money parser: any text gives an amount or a MoneyError (never another exception), and every
amount formatted by yesan parses back to exactly the same integer won.

Each test draws ``YESAN_FUZZ_EXAMPLES`` cases (default 300: the CI run). The on-demand run::

    YESAN_FUZZ_EXAMPLES=100000 python -m pytest -q -m fuzz tests/test_fuzz_money.py

Text is drawn three ways: any Unicode, pieces of Korean amount grammar glued at random, and yesan's own
formatted amounts with one random edit (a character inserted, deleted or replaced) — near-misses are where a
hand-written scanner breaks.
"""

from __future__ import annotations

import os
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from yesan.errors import MoneyError
from yesan.money import (
    PRECISIONS,
    Amount,
    Percent,
    find_amounts,
    find_percents,
    format_won,
    parse,
    parse_cell,
    parse_percent,
    parse_unit,
    round_won,
)

pytestmark = pytest.mark.fuzz

EXAMPLES = int(os.environ.get("YESAN_FUZZ_EXAMPLES", "300"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=EXAMPLES <= 1000,  # CI: the same cases every run; the long run explores
)
INT64_MAX = 2**63 - 1

won = st.integers(min_value=-INT64_MAX, max_value=INT64_MAX)
realistic = st.integers(min_value=-(10**15), max_value=10**15)
amounts = st.one_of(won, realistic, st.sampled_from([0, 1, -1, 9_999, 10_000, 10**8 - 1, 10**8, 10**12, INT64_MAX]))

PIECES = (
    "0", "1", "5", "9", "12", "305", "1,234", "5,060", "1,2", ",000", ".5", ".", ",", " ", "\u00a0", "\u3000",
    "조", "억", "만", "천", "백", "십", "경", "원", "₩", "￦", "일", "이", "삼", "오", "구", "수", "여", "몇",
    "△", "▽", "▲", "-", "+", "−", "(", ")", "%", "%p", "퍼센트", "포인트", "약", "약 ", "대략", "최대", "이상",
    " 이하", "가량", "남짓", "안팎", "제", "년", "명", "개", "달러", "원칙", "원화", "e", "E", "x", "0x", "abc",
    "—", "１", "２", "，", "．", "\n", "\t", "\x00", "\ufeff", "٣", "𝟙", "억원", "조원", "만원", "천원",
)  # fmt: skip
grammar = st.lists(st.sampled_from(PIECES), max_size=16).map("".join)


@st.composite
def near_misses(draw: st.DrawFn) -> str:
    """A formatted amount with one random edit."""
    text = draw(st.one_of(amounts.map(format_won), amounts.map(lambda x: f"{x:,}"), amounts.map(str)))
    position = draw(st.integers(min_value=0, max_value=len(text)))
    edit = draw(st.sampled_from(["insert", "delete", "replace"]))
    piece = draw(st.one_of(st.sampled_from(PIECES), st.characters()))
    if edit == "insert":
        return text[:position] + piece + text[position:]
    if edit == "delete":
        return text[:position] + text[position + 1 :]
    return text[:position] + piece + text[position + 1 :]


any_text = st.one_of(st.text(max_size=60), grammar, near_misses())


def _in_range(value: int) -> bool:
    return -INT64_MAX <= value <= INT64_MAX


@FUZZ
@given(any_text)
def test_parse_returns_an_amount_or_raises_money_error(text: str) -> None:
    try:
        amount = parse(text)
    except MoneyError as error:
        assert error.text == text and error.reason
        return
    assert isinstance(amount, Amount)
    assert isinstance(amount.won, int) and _in_range(amount.won)
    assert amount.precision >= 1 and amount.text == text
    assert parse(text) == amount  # deterministic


@FUZZ
@given(any_text, st.sampled_from([1, 1000, 1_000_000, 10**8]))
def test_parse_cell_returns_won_none_or_raises_money_error(text: str, scale: int) -> None:
    try:
        value = parse_cell(text, scale)
    except MoneyError as error:
        assert error.reason
        return
    assert value is None or (isinstance(value, int) and _in_range(value))
    if value is None:
        assert not text.strip() or text.strip() == "\ufeff"


@FUZZ
@given(any_text)
def test_parse_percent_and_parse_unit_never_raise_anything_else(text: str) -> None:
    try:
        percent = parse_percent(text)
        assert isinstance(percent, Percent) and isinstance(percent.value, Decimal)
    except MoneyError:
        pass
    unit = parse_unit(text)
    assert unit is None or (isinstance(unit, int) and unit > 0)


@FUZZ
@given(st.one_of(st.text(max_size=200), st.lists(any_text, max_size=8).map(" ".join)))
def test_find_amounts_positions_and_values_are_consistent(text: str) -> None:
    for match in find_amounts(text):
        assert 0 <= match.full_start <= match.start < match.end <= match.full_end <= len(text)
        assert match.amount.text == text[match.full_start : match.full_end]
        assert parse(match.amount.text) == match.amount
    for found in find_percents(text):
        assert 0 <= found.full_start <= found.start < found.end <= found.full_end <= len(text)
        assert parse_percent(found.percent.text).value == found.percent.value


@FUZZ
@given(amounts)
def test_format_then_parse_is_exact(value: int) -> None:
    assert parse(format_won(value)).won == value
    assert parse_cell(format_won(value)) == value
    assert parse_cell(str(value)) == value
    assert parse_cell(f"{value:,}") == value
    assert parse_cell(("△" if value < 0 else "") + f"{abs(value):,}") == value
    if value < 0:
        assert parse_cell(f"({abs(value):,})") == value


@FUZZ
@given(amounts, st.sampled_from(sorted(PRECISIONS)))
def test_rounded_format_parses_to_the_rounded_value(value: int, precision: str) -> None:
    rounded = round_won(value, PRECISIONS[precision])
    if _in_range(rounded):
        assert parse(format_won(value, precision=precision)).won == rounded


@FUZZ
@given(st.integers(min_value=-(10**15), max_value=10**15), st.sampled_from([1, 1000, 1_000_000, 10**8]))
def test_a_scaled_cell_is_exact_or_refused_as_too_large(value: int, scale: int) -> None:
    try:
        result = parse_cell(f"{value:,}", scale)
    except MoneyError as error:
        assert not _in_range(value * scale) and "too large" in error.reason
        return
    assert result == value * scale


@FUZZ
@given(amounts, st.text(alphabet="가나다라 은는이가을를의에서로 ", max_size=12))
def test_an_amount_in_a_sentence_is_found_exactly(value: int, words: str) -> None:
    written = format_won(value)
    text = f"{words}예산 {written}을 편성했다"
    found = [m for m in find_amounts(text) if m.amount.won == value]
    assert found, f"{written!r} not found in {text!r}"
    assert text[found[0].start : found[0].end].strip().endswith("원")
