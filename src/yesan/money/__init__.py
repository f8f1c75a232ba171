"""Korean money expressions ⇄ exact integer won.

``parse("51조5060억원").won == 51_506_000_000_000``; ``format_won(51_506_000_000_000) == "51조 5,060억원"``;
``find_amounts(text)`` lists every amount in running text with positions; ``parse_cell`` and
``parse_unit`` read spreadsheet cells and ``(단위: 천원)`` declarations. Money is always ``int``
won (``decimal.Decimal`` for percentages), never a float. Errors are :class:`yesan.errors.MoneyError`.
"""

from __future__ import annotations

from yesan.money.find import MoneyMatch, PercentMatch, find_amounts, find_percents
from yesan.money.format import PRECISIONS, format_won, round_won
from yesan.money.parse import Amount, Percent, parse, parse_cell, parse_percent, parse_unit

__all__ = [
    "PRECISIONS",
    "Amount",
    "MoneyMatch",
    "Percent",
    "PercentMatch",
    "find_amounts",
    "find_percents",
    "format_won",
    "parse",
    "parse_cell",
    "parse_percent",
    "parse_unit",
    "round_won",
]
