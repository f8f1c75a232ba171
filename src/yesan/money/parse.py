"""Korean money expressions to exact integer won: amounts, table cells, unit declarations, percentages."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

from yesan.errors import MoneyError
from yesan.money._scan import (
    BIG,
    INT64_MAX,
    KDIGITS,
    NEGATIVE_SIGNS,
    SIGNS,
    SMALL,
    Fail,
    finish,
    join_qualifiers,
    normalize,
    number_token,
    prefix_qualifier_at,
    scan_body,
    skip_spaces,
    suffix_qualifier_at,
)

__all__ = ["Amount", "Percent", "parse", "parse_cell", "parse_percent", "parse_unit"]


@dataclass(frozen=True, slots=True)
class Amount:
    """One amount of money, exact.

    ``won``: the value in won (negative for ``△``/``-``/parenthesised amounts).
    ``text``: the text as given to :func:`parse` (for :func:`find_amounts`: the expression with its
    qualifiers, so ``parse(amount.text) == amount``).
    ``qualifier``: 약, 이상, 여, 수, ... as written, never folded into ``won``; several are joined by a
    space in written order (``"최소 이상"``); None when there is none.
    ``precision``: the won value of the smallest unit or digit actually written (``51조5060억원`` →
    10**8, ``51.5조원`` → 10**11, ``8천억`` → 10**11, ``1,234,567원`` → 1); at least 1.
    ``has_won``: the text says 원 (or ₩).
    """

    won: int
    text: str
    qualifier: str | None
    precision: int
    has_won: bool


@dataclass(frozen=True, slots=True)
class Percent:
    """A percentage (``7%``) or percentage points (``3.2%p``, ``1.5%포인트``: ``points=True``)."""

    value: Decimal
    points: bool
    text: str
    qualifier: str | None


def _check_scale(scale: int) -> None:
    if isinstance(scale, bool) or not isinstance(scale, int) or scale < 1:
        raise ValueError(f"scale must be a positive int, not {scale!r}")


def _trailing(s: str, j: int) -> Fail:
    ch = s[j]
    rest = s[j : j + 12]
    if ch == "%" or rest.startswith("퍼센트"):
        return Fail("a percentage is not an amount of money")
    if ch in BIG or ch in SMALL:
        return Fail(f"unit {ch} in the wrong place")
    if ch == ")":
        return Fail("unbalanced parentheses")
    if ch in SIGNS:
        return Fail(f"sign {ch} after the number")
    if ch.isalpha() and ch.isascii():
        return Fail(f"letters after the number ({rest!r})")
    return Fail(f"unexpected {rest!r} after the amount")


def _parse(text: str, s: str, scale: int) -> Amount:
    n = len(s)
    i = skip_spaces(s, 0)
    if i == n:
        raise Fail("empty text")
    qualifiers: list[str] = []
    while (word := prefix_qualifier_at(s, i)) is not None:
        qualifiers.append(word)
        i = skip_spaces(s, i + len(word))
    paren = i < n and s[i] == "("
    if paren:
        i = skip_spaces(s, i + 1)
    sign = 1
    if i < n and s[i] in SIGNS:
        if paren:
            raise Fail("a number in parentheses is already negative; it takes no sign")
        sign = -1 if s[i] in NEGATIVE_SIGNS else 1
        i = skip_spaces(s, i + 1)
        if i < n and s[i] in SIGNS:
            raise Fail("more than one sign")
    has_won = i < n and s[i] == "₩"
    if has_won:
        i = skip_spaces(s, i + 1)
    body = scan_body(s, i, True)
    assert body is not None
    i = body.end
    j = skip_spaces(s, i)
    if j < n and s[j] == "원":
        has_won = True
        i = j + 1
    if paren:
        j = skip_spaces(s, i)
        if j >= n or s[j] != ")":
            raise Fail("unbalanced parentheses")
        sign = -1
        i = j + 1
    if body.su:
        qualifiers.append("수")
    if body.yeo:
        qualifiers.append("여")
    i = _suffix_qualifiers(s, i, qualifiers)
    j = skip_spaces(s, i)
    if j < n:
        raise _trailing(s, j)
    if body.bare_man and not has_won:
        raise Fail("만 needs a number before it (only 만원 stands alone)")
    plain = not has_won and not body.max_big and not body.small
    won, precision = finish(body, sign, scale if plain else 1)
    return Amount(won, text, join_qualifiers(qualifiers), precision, has_won)


def parse(text: str, *, scale: int = 1) -> Amount:
    """One Korean amount of money as exact won.

    ``scale`` multiplies a bare number (no 만/억/조 unit and no 원), as in a table declared
    ``(단위: 천원)``: ``parse("1,234", scale=1000).won == 1_234_000``; written units win over it.
    Raises :class:`MoneyError` (with the text and a reason) for anything that is not exactly one
    amount of whole won within ±(2**63-1).
    """
    _check_scale(scale)
    if not isinstance(text, str):
        raise MoneyError(repr(text), "not text")
    try:
        return _parse(text, normalize(text), scale)
    except Fail as fail:
        raise MoneyError(text, fail.reason) from None


# --- table units ---------------------------------------------------------------------------------

_UNIT_WORD: Final = "[0-9,]*[일이삼사오육칠팔구십백천만억조경]*"
_UNIT_DECLARED: Final = re.compile(rf"단위\s*[:：]?\s*(?P<coef>{_UNIT_WORD})\s*원")
_UNIT_ALONE: Final = re.compile(rf"[(\[<]?\s*(?P<coef>{_UNIT_WORD})\s*원\s*[)\]>]?")


def parse_unit(text: str) -> int | None:
    """The multiplier a table unit declares: ``(단위: 천원)`` → 1000, ``억원`` → 10**8, ``원`` → 1.

    Accepts ``단위`` declarations anywhere in the text (``(단위: 백만원, %)``) and bare units
    (``천원``, ``(백만원)``). Returns None when the text declares no unit in won; never raises.
    """
    if not isinstance(text, str):
        return None
    s = normalize(text).strip()
    match = _UNIT_DECLARED.search(s) if "단위" in s else _UNIT_ALONE.fullmatch(s)
    if match is None:
        return None
    coef = match.group("coef")
    if not coef:
        return 1
    if coef[0] in BIG:
        coef = "1" + coef
    try:
        amount = _parse(coef, coef, 1)
    except Fail:
        return None
    return amount.won if amount.won > 0 and amount.qualifier is None else None


# --- table cells ---------------------------------------------------------------------------------

_ZERO_CELLS: Final = frozenset({"-", "—", "–", "―", "‐", "－"})
_CELL: Final = re.compile(r"(?P<sign>[-+△▽])?[ ]*(?P<int>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.(?P<frac>[0-9]*))?")
_NUMERIC_START: Final = re.compile(r"[-+△▽▲]?[ ]*[0-9][0-9,]*(?:\.[0-9]*)?")
_KOREAN_AMOUNT: Final = frozenset("원₩수" + "".join(KDIGITS) + "".join(SMALL) + "".join(BIG))


#: A date as spreadsheets write one (2026-03-01, 2026.3.1, 2026/03/01, 2026. 3. 1., with a time after it or not).
_DATE_CELL: Final = re.compile(
    r"(?:19|20)[0-9]{2}(?P<sep>[-./]) ?[01]?[0-9](?P=sep) ?[0-3]?[0-9]\.?(?:[ T][0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?)?"
)


def _cell_reason(s: str) -> str:
    if "%" in s:
        return "a percentage is not an amount of money"
    if _DATE_CELL.fullmatch(s.strip()):
        return "a date is not an amount of money (the cell is formatted as a date; format it as a number)"
    if s.count("(") != s.count(")"):
        return "unbalanced parentheses"
    stripped = s.strip("()").strip()
    if s[:1] == "(" and stripped[:1] in tuple(SIGNS):
        return "a number in parentheses is already negative; it takes no sign"
    if stripped[:1] == "▲":
        return "▲ is ambiguous in Korean tables (use △ or - for negatives)"
    if len(stripped) > 1 and stripped[0] in SIGNS and stripped[1:].lstrip()[:1] in tuple(SIGNS):
        return "more than one sign"
    head = _NUMERIC_START.match(stripped)
    if head is None:
        return "not a number"
    rest = stripped[head.end() :]
    token = head.group().lstrip("-+△▽▲ ")
    if "," in token and not re.fullmatch(r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]*)?", token):
        return "thousands separators in the wrong places"
    if rest.startswith("."):
        return "more than one decimal point"
    if rest[:1].isascii() and rest[:1].isalpha():
        return "letters after the number"
    if rest[:1].isspace():
        return "spaces inside the number"
    if rest[:1] in SIGNS:
        return "sign after the number"
    return f"unexpected {rest[:12]!r} after the number"


def parse_cell(text: str | None, scale: int = 1) -> int | None:
    """One spreadsheet/CSV cell as exact won (times ``scale`` for a bare number).

    None or blank → None; ``-`` or ``—`` alone → 0. Negatives: ``△1,234``, ``▽1,234``,
    ``(1,234)``, ``-1,234``. A cell with Korean units or 원 (``3억``) goes through :func:`parse`
    and its written units win over ``scale``. Raises :class:`MoneyError` with a precise reason.
    """
    if text is None:
        return None
    _check_scale(scale)
    s = normalize(text).strip()
    if not s:
        return None
    if s in _ZERO_CELLS:
        return 0
    inner = s
    negative = False
    if s[0] == "(" and s[-1] == ")":
        inner = s[1:-1].strip()
        negative = True
    match = _CELL.fullmatch(inner)
    if match is not None and not (negative and match.group("sign")):
        whole = match.group("int")
        frac = match.group("frac") or ""
        if len(whole) + len(frac) > 30:
            raise MoneyError(text, "too large for 64-bit won")
        num = int(whole.replace(",", "") + frac) * scale
        den: int = 10 ** len(frac)
        if num % den:
            raise MoneyError(text, "not a whole number of won")
        won = num // den
        if negative or match.group("sign") in ("-", "△", "▽"):
            won = -won
        if not -INT64_MAX <= won <= INT64_MAX:
            raise MoneyError(text, "too large for 64-bit won")
        return won
    if any(ch in _KOREAN_AMOUNT for ch in s):
        return parse(text, scale=scale).won
    raise MoneyError(text, _cell_reason(s))


# --- percentages ---------------------------------------------------------------------------------

#: A percentage number and its sign; the unit alternatives are tried longest first.
PERCENT_BODY: Final = (
    r"(?P<sign>[-+△▽])?(?P<num>[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?)"
    r"[ ]?(?P<unit>%[pP](?![A-Za-z])|%[ ]?포인트|%|퍼센트[ ]?포인트|퍼센트)"
)
_PERCENT: Final = re.compile(PERCENT_BODY)


def percent_value(sign: str | None, number: str) -> Decimal:
    value = Decimal(number.replace(",", ""))
    return -value if sign in ("-", "△", "▽") else value


def parse_percent(text: str) -> Percent:
    """``7%``, ``3.2%p``, ``7.05 %``, ``약 7%``, ``1.5%포인트`` → :class:`Percent`; else MoneyError."""
    if not isinstance(text, str):
        raise MoneyError(repr(text), "not text")
    s = normalize(text)
    n = len(s)
    i = skip_spaces(s, 0)
    if i == n:
        raise MoneyError(text, "empty text")
    qualifiers: list[str] = []
    while (word := prefix_qualifier_at(s, i)) is not None:
        qualifiers.append(word)
        i = skip_spaces(s, i + len(word))
    match = _PERCENT.match(s, i)
    if match is None:
        head = re.match(r"[-+△▽]?[0-9][0-9,]*", s[i:])
        if head and "," in head.group():
            try:
                number_token(head.group().lstrip("-+△▽"))
            except Fail as fail:
                raise MoneyError(text, fail.reason) from None
        raise MoneyError(text, "not a percentage (expected e.g. 7% or 3.2%p)")
    i = match.end()
    i = _suffix_qualifiers(s, i, qualifiers)
    j = skip_spaces(s, i)
    if j < n:
        raise MoneyError(text, f"unexpected {s[j : j + 12]!r} after the percentage")
    unit = match.group("unit")
    points = unit != "%" and unit != "퍼센트"
    value = percent_value(match.group("sign"), match.group("num"))
    return Percent(value, points, text, join_qualifiers(qualifiers))


def _suffix_qualifiers(s: str, i: int, qualifiers: list[str]) -> int:
    """Collect qualifier words after position ``i`` (``이상``, ``가량`` …); return where they end."""
    while True:
        j = skip_spaces(s, i)
        word = suffix_qualifier_at(s, j)
        if word is None:
            return i
        qualifiers.append(word)
        i = j + len(word)
