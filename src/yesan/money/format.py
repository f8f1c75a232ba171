"""Exact won to Korean (``51조 5,060억원``) or English (``₩51.5 trillion``) text."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Final

__all__ = ["PRECISIONS", "STYLES", "format_won", "round_won"]

#: ``precision`` names and the unit (in won) they round to.
PRECISIONS: Final[dict[str, int]] = {"won": 1, "man": 10**4, "eok": 10**8, "jo": 10**12}
STYLES: Final = ("ko", "en")
_KO_UNITS: Final = ((10**16, "경"), (10**12, "조"), (10**8, "억"), (10**4, "만"))
_EN_UNITS: Final = ((10**12, "trillion"), (10**9, "billion"), (10**6, "million"))


def round_won(won: int, unit: int) -> int:
    """``won`` rounded to a multiple of ``unit``, halves away from zero (exact integer arithmetic)."""
    q, r = divmod(abs(won), unit)
    if 2 * r >= unit:
        q += 1
    return q * unit if won >= 0 else -q * unit


def _ko(won: int) -> str:
    rest = abs(won)
    parts: list[str] = []
    for unit, name in _KO_UNITS:
        q, rest = divmod(rest, unit)
        if q:
            parts.append(f"{q:,}{name}")
    if rest or not parts:
        parts.append(f"{rest:,}")
    return ("-" if won < 0 else "") + " ".join(parts) + "원"


def _en(won: int) -> str:
    sign = "-" if won < 0 else ""
    value = abs(won)
    for index, (unit, name) in enumerate(_EN_UNITS):
        if value < unit:
            continue
        scaled = Decimal(value).scaleb(-len(str(unit)) + 1)
        places = max(0, 3 - len(str(int(scaled))))
        shown = scaled.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        if shown >= 1000 and index > 0:
            unit, name = _EN_UNITS[index - 1]
            scaled = Decimal(value).scaleb(-len(str(unit)) + 1)
            shown = scaled.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        number = f"{shown:,f}"
        if "." in number:
            number = number.rstrip("0").rstrip(".")
        return f"{sign}₩{number} {name}"
    return f"{sign}₩{value:,}"


def format_won(won: int, *, precision: str = "won", style: str = "ko") -> str:
    """Won as text.

    ``style="ko"``: ``51조 5,060억원``, ``25억 8,660만 8,000원``, ``0원``, ``-3,000억원``; for every
    int64 ``x``, ``parse(format_won(x)).won == x``.
    ``style="en"``: ``₩51.5 trillion``, ``₩2.59 billion``, ``₩1.23 million``, ``₩999,999`` (three
    significant digits, never fewer than the whole part, trailing zeros dropped).
    ``precision`` (``won``, ``man``, ``eok``, ``jo``) rounds halves away from zero to that unit first:
    ``format_won(15_625_600_000_000, precision="eok") == "15조 6,256억원"``.
    """
    if isinstance(won, bool) or not isinstance(won, int):
        raise TypeError(f"won must be an int, not {type(won).__name__}")
    unit = PRECISIONS.get(precision)
    if unit is None:
        raise ValueError(f"precision must be one of {', '.join(PRECISIONS)}, not {precision!r}")
    rounded = won if unit == 1 else round_won(won, unit)
    if style == "ko":
        return _ko(rounded)
    if style == "en":
        return _en(rounded)
    raise ValueError(f"style must be 'ko' or 'en', not {style!r}")
