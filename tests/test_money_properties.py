from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from yesan.errors import MoneyError
from yesan.money import (
    PRECISIONS,
    find_amounts,
    find_percents,
    format_won,
    parse,
    parse_cell,
    parse_percent,
    parse_unit,
    round_won,
)

INT64_MAX = 2**63 - 1
won_values = st.integers(min_value=-INT64_MAX, max_value=INT64_MAX)
#: Mostly realistic budget sizes, plus the whole int64 range.
amounts = st.one_of(won_values, st.integers(min_value=-(10**15), max_value=10**15))

_PIECES = [
    "0", "1", "5", "9", "12", "305", "1,234", "5,060", "1,2", ".5", ".", ",", " ", "  ",
    "조", "억", "만", "천", "백", "십", "경", "원", "일", "이", "삼", "구", "수", "여",
    "△", "▽", "▲", "-", "+", "(", ")", "%", "%p", "약", "약 ", "이상", " 이상", "가량", "제",
    "년", "명", "개", "달러", "원칙", "e", "abc", "—", "₩", "１", "\u3000", "\n",
]  # fmt: skip
grammarish = st.lists(st.sampled_from(_PIECES), max_size=14).map("".join)
any_text = st.one_of(st.text(max_size=40), grammarish)


@settings(max_examples=400)
@given(won_values)
def test_format_parse_round_trip(won: int) -> None:
    text = format_won(won)
    amount = parse(text)
    assert amount.won == won
    assert amount.has_won
    assert amount.qualifier is None


@settings(max_examples=300)
@given(amounts, st.sampled_from(sorted(PRECISIONS)))
def test_rounded_format_round_trips_to_the_rounded_value(won: int, precision: str) -> None:
    unit = PRECISIONS[precision]
    rounded = round_won(won, unit)
    assert rounded % unit == 0
    assert 2 * abs(rounded - won) <= unit
    if abs(rounded) <= INT64_MAX:
        assert parse(format_won(won, precision=precision)).won == rounded


@settings(max_examples=200)
@given(amounts)
def test_english_style_never_fails(won: int) -> None:
    text = format_won(won, style="en")
    assert text.lstrip("-").startswith("₩")
    assert (won < 0) == text.startswith("-")


@settings(max_examples=300)
@given(amounts)
def test_formatted_amount_is_found_in_a_sentence(won: int) -> None:
    written = format_won(won)
    text = f"올해 시 예산은 {written}으로 확정됐다."
    matches = find_amounts(text)
    assert [(text[m.start : m.end], m.amount.won) for m in matches] == [(written, won)]


@settings(max_examples=300)
@given(amounts, st.sampled_from([1, 1000, 1_000_000]))
def test_parse_cell_reads_grouped_and_negative_numbers(won: int, scale: int) -> None:
    base = abs(won) // scale * (-1 if won < 0 else 1)
    assert parse_cell(f"{base:,}", scale) == base * scale
    assert parse_cell(str(base), scale) == base * scale
    if base > 0:
        assert parse_cell(f"({base:,})", scale) == -base * scale
        assert parse_cell(f"△{base:,}", scale) == -base * scale


@settings(max_examples=500)
@given(any_text)
def test_parsers_raise_only_money_errors(text: str) -> None:
    for call in (parse, parse_cell, parse_percent):
        try:
            call(text)
        except MoneyError as error:
            assert error.text == text
            assert error.reason
    unit = parse_unit(text)
    assert unit is None or unit >= 1


@settings(max_examples=500)
@given(any_text)
def test_parsed_amounts_are_in_range(text: str) -> None:
    try:
        amount = parse(text)
    except MoneyError:
        return
    assert -INT64_MAX <= amount.won <= INT64_MAX
    assert amount.precision >= 1
    assert amount.text == text


@settings(max_examples=500)
@given(
    st.lists(
        st.one_of(any_text, st.sampled_from(["예산 ", "51조 5,060억원", "약 3천억원 이상", "2026년 "])),
        max_size=5,
    )
)
def test_find_positions_slice_to_the_match(parts: list[str]) -> None:
    text = "".join(parts)
    matches = find_amounts(text)
    previous_end = 0
    for m in matches:
        assert previous_end <= m.full_start <= m.start < m.end <= m.full_end <= len(text)
        previous_end = m.full_end
        assert m.amount.text == text[m.full_start : m.full_end]
        assert parse(m.amount.text) == m.amount
        assert parse(text[m.start : m.end]).won == m.amount.won
    for p in find_percents(text):
        assert 0 <= p.full_start <= p.start < p.end <= p.full_end <= len(text)
        assert p.percent.text == text[p.full_start : p.full_end]
        assert parse_percent(p.percent.text) == p.percent
