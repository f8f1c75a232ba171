from __future__ import annotations

import pytest

from yesan.money import format_won, parse, round_won


@pytest.mark.parametrize(
    ("won", "text"),
    [
        (51_506_000_000_000, "51조 5,060억원"),
        (2_586_608_000, "25억 8,660만 8,000원"),
        (0, "0원"),
        (-300_000_000_000, "-3,000억원"),
        (1, "1원"),
        (9_999, "9,999원"),
        (10_000, "1만원"),
        (1_234_567, "123만 4,567원"),
        (10**12 + 1, "1조 1원"),
        (2**63 - 1, "922경 3,372조 368억 5,477만 5,807원"),
    ],
)
def test_format_ko(won: int, text: str) -> None:
    assert format_won(won) == text
    assert parse(text).won == won


@pytest.mark.parametrize(
    ("won", "precision", "text"),
    [
        (15_625_600_000_000, "eok", "15조 6,256억원"),
        (15_625_600_000_000, "jo", "16조원"),
        (15_625_600_000_000, "man", "15조 6,256억원"),
        (15_499_999_999_999, "jo", "15조원"),
        (15_500_000_000_000, "jo", "16조원"),
        (-15_500_000_000_000, "jo", "-16조원"),
        (-15_499_999_999_999, "jo", "-15조원"),
        (2_586_608_000, "man", "25억 8,661만원"),
        (2_586_605_000, "man", "25억 8,661만원"),
        (2_586_604_999, "man", "25억 8,660만원"),
        (-4_999, "man", "0원"),
        (49_999_999, "eok", "0원"),
        (50_000_000, "eok", "1억원"),
        (123, "won", "123원"),
    ],
)
def test_format_precision_rounds_half_away_from_zero(won: int, precision: str, text: str) -> None:
    assert format_won(won, precision=precision) == text


@pytest.mark.parametrize(
    ("won", "text"),
    [
        (51_506_000_000_000, "₩51.5 trillion"),
        (51_500_000_000_000, "₩51.5 trillion"),
        (2_586_608_000, "₩2.59 billion"),
        (1_234_567, "₩1.23 million"),
        (1_000_000, "₩1 million"),
        (999_999, "₩999,999"),
        (0, "₩0"),
        (-300_000_000_000, "-₩300 billion"),
        (999_600_000, "₩1 billion"),
        (999_999_999_999, "₩1 trillion"),
        (1_234_500_000_000_000, "₩1,235 trillion"),
        (15_625_600_000_000, "₩15.6 trillion"),
    ],
)
def test_format_en(won: int, text: str) -> None:
    assert format_won(won, style="en") == text


def test_format_en_with_precision() -> None:
    assert format_won(15_625_600_000_000, precision="jo", style="en") == "₩16 trillion"


def test_format_bad_arguments() -> None:
    with pytest.raises(ValueError, match="precision"):
        format_won(1, precision="cheon")
    with pytest.raises(ValueError, match="style"):
        format_won(1, style="jp")
    with pytest.raises(TypeError):
        format_won(1.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        format_won(True)


def test_round_won() -> None:
    assert round_won(5_000, 10_000) == 10_000
    assert round_won(-5_000, 10_000) == -10_000
    assert round_won(4_999, 10_000) == 0
    assert round_won(0, 10**8) == 0
