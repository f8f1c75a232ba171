"""Digit words written with spaces or a line break inside one amount (issue 15): "32억 6천 1백만 원" and
"2조4천5백53억2천3백\\n만원" read like their unspaced forms. Hypothesis writes the same amount with the spaces
and line breaks in different places."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from yesan.claims.figures.extract import extract
from yesan.money import find_amounts, parse

CASES = settings(
    max_examples=int(os.environ.get("YESAN_FUZZ_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)
WORD_DIGITS = "일이삼사오육칠팔구"


def digit_words(n: int, *, arabic: bool, gap: str) -> str:
    """1 ≤ n ≤ 9999 as digit words ("6천1백", "6천 1백", "육천일백"), ``gap`` between the parts."""
    parts = []
    for value, unit in ((1000, "천"), (100, "백"), (10, "십"), (1, "")):
        digit = n // value % 10
        if digit:
            written = str(digit) if arabic else WORD_DIGITS[digit - 1]
            parts.append(f"{written}{unit}")
    return gap.join(parts)


def test_spaced_digit_words_inside_an_amount() -> None:
    assert parse("32억 6천 1백만 원").won == 3_261_000_000
    assert parse("2조4천5백53억2천3백\n만원").won == 2_455_323_000_000


@CASES
@given(
    eok=st.integers(min_value=1, max_value=9999),
    man=st.integers(min_value=1, max_value=9999),
    arabic=st.booleans(),
    gap=st.sampled_from(["", " "]),
    before_unit=st.sampled_from(["", " ", "\n"]),
)
def test_digit_words_read_the_same_with_spaces(eok: int, man: int, arabic: bool, gap: str, before_unit: str) -> None:
    if man < 10:
        before_unit = ""  # "5 만원" is not a way of writing; "5천 만원" is
    text = f"{eok}억 {digit_words(man, arabic=arabic, gap=gap)}{before_unit}만원"
    assert parse(text).won == eok * 10**8 + man * 10**4


@CASES
@given(man=st.integers(min_value=1, max_value=9999), gap=st.sampled_from([" ", "  "]))
def test_a_spaced_amount_is_found_whole_in_running_text(man: int, gap: str) -> None:
    text = f"예결위는 본예산안에서 12억 {digit_words(man, arabic=True, gap=gap)}만 원을 삭감했다."
    found = find_amounts(text)
    assert [m.amount.won for m in found] == [12 * 10**8 + man * 10**4]
    assert [c.amount_krw for c in extract(text)] == [-(12 * 10**8 + man * 10**4)]


def test_a_count_after_a_spaced_amount_stays_apart() -> None:
    assert [m.amount.won for m in find_amounts("예산 3억 원, 참가자 2천 명")] == [300_000_000]
