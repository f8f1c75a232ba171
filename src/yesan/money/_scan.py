"""The scanner shared by strict parsing (``parse``) and searching running text (``find_amounts``).

An amount is read as groups: a coefficient below 10,000 (``5,060``, ``1천8백32``, ``삼천``, ``51.5``)
followed by a big unit (만 억 조 경), in strictly decreasing order, the last group possibly without a
big unit (``25억 8,660만 8000``). Values are kept as exact fractions ``num / den`` with ``den`` a
power of ten, so ``51.5조`` is exact and nothing ever touches a float.

In strict mode every problem raises :class:`Fail` with a reason for people. In search mode the
scanner stops before the first group that does not fit, and a bare trailing number is only taken
when ``원`` follows it, so ``3억 2026년`` reads as ``3억``.
"""

from __future__ import annotations

import re
from typing import Final

INT64_MAX: Final = 2**63 - 1
EOK: Final = 10**8

#: One-to-one character normalisation (positions are kept, so search results index the original).
NORMALIZE: Final = str.maketrans(
    {
        **{chr(0xFF10 + d): str(d) for d in range(10)},
        "，": ",",
        "．": ".",
        "－": "-",
        "−": "-",
        "＋": "+",
        "（": "(",
        "）": ")",
        "％": "%",
        "￦": "₩",
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
        "\u3000": " ",
        "\t": " ",
    }
)

_TO_NORMALIZE: Final = re.compile("[" + "".join(re.escape(chr(c)) for c in NORMALIZE) + "]")


def normalize(text: str) -> str:
    """``text`` with full-width digits and signs and odd spaces made ASCII, character for character."""
    return text.translate(NORMALIZE) if _TO_NORMALIZE.search(text) else text


KDIGITS: Final[dict[str, int]] = {name: value for value, name in enumerate("일이삼사오육칠팔구", start=1)}
SMALL: Final[dict[str, int]] = {"십": 10, "백": 100, "천": 1000}
BIG: Final[dict[str, int]] = {"만": 10**4, "억": 10**8, "조": 10**12, "경": 10**16}
UNIT_NAME: Final[dict[int, str]] = {value: name for name, value in (SMALL | BIG).items()}
SIGNS: Final = "-+△▽"
NEGATIVE_SIGNS: Final = "-△▽"
#: Qualifiers written before the number (longest first) and after it.
PREFIX_QUALIFIERS: Final = ("최대", "최소", "대략", "약")
SUFFIX_QUALIFIERS: Final = (
    "이상",
    "이하",
    "미만",
    "초과",
    "가량",
    "정도",
    "안팎",
    "내외",
    "남짓",
    "이내",
    "약간",
)
#: Characters that may follow a prefix qualifier (``약간`` is not ``약`` + ``간``).
_AFTER_PREFIX: Final = frozenset(" 0123456789(₩수" + SIGNS + "".join(KDIGITS) + "".join(SMALL))
#: ``원`` followed by one of these starts another word (원칙, 원화, 원전, 원주 ...), not the currency.
_WON_WORDS: Final = frozenset("칙색리소형점론천래료활생주장자전화금안정")
MAX_DIGITS: Final = 30

_NUMBER: Final = re.compile(r"[0-9]+(?:,[0-9]+)*(?:\.[0-9]+)?")
_GROUPED: Final = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?")


class Fail(Exception):
    """Internal: the reason a text is not an amount (turned into ``MoneyError`` by the callers)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def is_hangul(ch: str) -> bool:
    return "가" <= ch <= "힣"


def skip_spaces(s: str, i: int) -> int:
    n = len(s)
    while i < n and s[i].isspace():
        i += 1
    return i


def number_token(token: str) -> tuple[int, int]:
    """``"1,234.5"`` → ``(12345, 10)``; checks the thousands separators."""
    if "," in token and _GROUPED.fullmatch(token) is None:
        raise Fail("thousands separators in the wrong places")
    whole, _, frac = token.replace(",", "").partition(".")
    if len(whole) + len(frac) > MAX_DIGITS:
        raise Fail("too large for 64-bit won")
    return int(whole + frac), 10 ** len(frac)


def add(num: int, den: int, cnum: int, cden: int) -> tuple[int, int]:
    """``num/den + cnum/cden`` where both denominators are powers of ten."""
    if cden == den:
        return num + cnum, den
    if cden > den:
        return num * (cden // den) + cnum, cden
    return num + cnum * (den // cden), den


def prefix_qualifier_at(s: str, i: int) -> str | None:
    for word in PREFIX_QUALIFIERS:
        if s.startswith(word, i):
            after = i + len(word)
            if after < len(s) and s[after] in _AFTER_PREFIX:
                return word
    return None


_SUFFIX_FIRST: Final = frozenset(word[0] for word in SUFFIX_QUALIFIERS)


def suffix_qualifier_at(s: str, i: int) -> str | None:
    if i >= len(s) or s[i] not in _SUFFIX_FIRST:
        return None
    for word in SUFFIX_QUALIFIERS:
        if s.startswith(word, i):
            return word
    return None


def won_after(s: str, k: int, n: int) -> int | None:
    """End of a ``원`` (after at most one space) that belongs to the amount ending at ``k``."""
    if k < n and s[k] == " ":
        k += 1
    if k < n and s[k] == "원":
        if k + 1 < n and s[k + 1] in _WON_WORDS and suffix_qualifier_at(s, k + 1) is None:
            return None
        return k + 1
    return None


_UNIT_WORD: Final = re.compile(r"[천백](?:[ ]?원|만[ ]?원)")


def unit_word_at(s: str, i: int) -> bool:
    """``천원``, ``백만원``, ``천만 원`` … start at ``i``: a unit word, as in ``1,234천원`` (= 1,234,000원)."""
    return _UNIT_WORD.match(s, i) is not None and not (i + 2 < len(s) and s[i + 1] == "원" and s[i + 2] in _WON_WORDS)


class Coef:
    """One coefficient (the number before a big unit): value ``num/den``, precision ``pnum/pden``."""

    __slots__ = ("arabic", "decimal", "den", "end", "num", "pden", "pnum", "small")

    def __init__(self, end: int) -> None:
        self.num = 0
        self.den = 1
        self.pnum = 1
        self.pden = 1
        self.end = end
        self.arabic = False
        self.small = False
        self.decimal = False


def _small_part(c: Coef, last: int, unit: int, digit: int, den: int) -> None:
    if unit >= last:
        raise Fail(f"{UNIT_NAME[unit]} after {UNIT_NAME[last]}: units out of order")
    c.num, c.den = add(c.num, c.den, digit * unit, den)
    c.pnum, c.pden = unit, den
    c.small = True


def _gap_end(s: str, i: int, n: int) -> int:
    """The end of a gap of at most two spaces or one line break at ``i`` inside an amount."""
    j = i
    while j < n and j - i < 2 and s[j] in " \n" and (s[j] == " " or "\n" not in s[i:j]):
        j += 1
    return j


def scan_coef(s: str, i: int, n: int) -> Coef | None:
    """The coefficient starting at ``i``, or None when none starts there."""
    c = Coef(i)
    last = 10_000
    while i < n:
        ch = s[i]
        if ch in " \n" and last < 10_000:
            # "6천 1백만": a space (or a line break) between digit words of one number
            j = _gap_end(s, i, n)
            digit_next = j + 1 < n and (s[j] in "123456789" or s[j] in KDIGITS)
            unit_next = j + 1 < n and s[_gap_end(s, j + 1, n) if s[j + 1] in " \n" else j + 1 :][:1] in BIG
            if digit_next and (SMALL.get(s[j + 1], 10_000) < last or (last > 1 and unit_next)):
                i = j
                continue
            break
        if c.decimal and (ch in KDIGITS or ch in SMALL or "0" <= ch <= "9"):
            if suffix_qualifier_at(s, i) is not None:
                break
            raise Fail("a number with a decimal point must be the last number of its group")
        if "0" <= ch <= "9":
            match = _NUMBER.match(s, i)
            assert match is not None
            token = match.group()
            j = match.end()
            num, den = number_token(token)
            c.arabic = True
            c.decimal = den > 1
            unit = SMALL.get(s[j], 0) if j < n else 0
            if unit and last == 10_000 and c.num == 0 and unit_word_at(s, j):
                # "1,234천원", "12,345백만원": a table unit written after the number multiplies it.
                c.num, c.den = num * unit, den
                c.pnum, c.pden = unit, den
                i = j + 1
                break
            if unit:
                if "," in token or num == 0 or num >= 10 * den:
                    raise Fail(f"only one digit may stand before {s[j]} (got {token}{s[j]})")
                _small_part(c, last, unit, num, den)
                last = unit
                i = j + 1
                continue
            if last < 10_000 and num >= last * den:
                raise Fail(f"{token} cannot follow {UNIT_NAME[last]}")
            c.num, c.den = add(c.num, c.den, num, den)
            c.pnum, c.pden = 1, den
            i = j
            break
        digit = KDIGITS.get(ch, 0)
        if digit:
            unit = SMALL.get(s[i + 1], 0) if i + 1 < n else 0
            if unit:
                _small_part(c, last, unit, digit, 1)
                last = unit
                i += 2
                continue
            c.num, c.den = add(c.num, c.den, digit, 1)
            c.pnum, c.pden = 1, 1
            i += 1
            break
        unit = SMALL.get(ch, 0)
        if unit:
            _small_part(c, last, unit, 1, 1)
            last = unit
            i += 1
            continue
        break
    if i == c.end:
        return None
    c.end = i
    return c


class Body:
    """The number part of an amount: value ``num/den``, precision ``pnum/pden`` (in won)."""

    __slots__ = (
        "arabic",
        "bare",
        "bare_man",
        "den",
        "end",
        "groups",
        "has_eok",
        "max_big",
        "num",
        "pden",
        "pnum",
        "small",
        "su",
        "yeo",
    )

    def __init__(self, end: int) -> None:
        self.num = 0
        self.den = 1
        self.pnum = 1
        self.pden = 1
        self.end = end
        self.groups = 0
        self.max_big = 0
        self.has_eok = False
        self.arabic = False
        self.small = False
        self.bare = False
        self.bare_man = False
        self.su = False
        self.yeo = False


def _no_number(s: str, j: int) -> Fail:
    if j >= len(s):
        return Fail("no number")
    ch = s[j]
    if ch in BIG or ch == "원":
        return Fail(f"no number before {ch}")
    if ch == "%":
        return Fail("a percentage is not an amount of money")
    return Fail(f"no number at {s[j : j + 12]!r}")


def scan_body(s: str, i: int, strict: bool) -> Body | None:
    """Read the groups of an amount starting at ``i``.

    Strict mode raises :class:`Fail` on any problem; search mode returns None when not even one
    group can be read and otherwise stops before the first group that does not fit.
    """
    n = len(s)
    b = Body(i)
    pos = i
    if pos + 1 < n and s[pos] == "수" and (s[pos + 1] in SMALL or s[pos + 1] in BIG):
        b.su = True
        pos += 1
    prev_big = 0
    while True:
        j = pos
        if b.groups:
            if b.su or b.yeo:
                break
            if strict:
                j = skip_spaces(s, j)
            elif j < n and s[j] == " ":
                j += 1
            if j >= n or suffix_qualifier_at(s, j) is not None:
                break
        try:
            c = scan_coef(s, j, n)
        except Fail:
            if strict or not b.groups:
                raise
            break
        if c is None:
            ch = s[j] if j < n else ""
            if not b.groups and ch in BIG and (b.su or (ch == "만" and strict)):
                c = Coef(j)
                c.num = 1
                b.bare_man = not b.su
            elif b.groups:
                break
            else:
                raise _no_number(s, j)
        k = c.end
        if k < n and s[k] in " \n" and c.small:
            gap = _gap_end(s, k, n)
            if gap < n and s[gap] in BIG:
                k = gap  # "2천3백\n만원": the unit of digit words on the next line
        yeo_inside = k + 1 < n and k > j and s[k] == "여" and s[k + 1] in BIG
        if yeo_inside:
            k += 1
        big = BIG.get(s[k], 0) if k < n else 0
        reason = ""
        if b.groups and c.num >= 10_000 * c.den:
            reason = f"{s[j:k]} is too big to follow {UNIT_NAME[prev_big]}"
        elif big and prev_big and big == prev_big:
            reason = f"unit {UNIT_NAME[big]} repeated"
        elif big and prev_big and big > prev_big:
            reason = f"{UNIT_NAME[big]} after {UNIT_NAME[prev_big]}: units out of order"
        if reason:
            if strict:
                raise Fail(reason)
            break
        if not big:
            # a bare number: the last group ("8000" in "25억 8,660만 8000원")
            if not strict and won_after(s, k, n) is None:
                break
            b.num, b.den = add(b.num, b.den, c.num, c.den)
            b.pnum, b.pden = c.pnum, c.pden
            b.arabic = b.arabic or c.arabic
            b.small = b.small or c.small
            b.bare = True
            b.groups += 1
            b.end = k
            break
        b.num, b.den = add(b.num, b.den, c.num * big, c.den)
        b.pnum, b.pden = c.pnum * big, c.pden
        b.arabic = b.arabic or c.arabic
        b.small = b.small or c.small
        b.max_big = max(b.max_big, big)
        b.has_eok = b.has_eok or big == EOK
        b.groups += 1
        prev_big = big
        pos = k + 1
        if yeo_inside or (pos < n and s[pos] == "여"):
            b.yeo = True
            if not yeo_inside:
                pos += 1
        b.end = pos
        if c.decimal:
            if strict:
                j = skip_spaces(s, pos)
                digit_next = j < n and ("0" <= s[j] <= "9" or s[j] in KDIGITS or s[j] in SMALL)
                if digit_next and suffix_qualifier_at(s, j) is None:
                    raise Fail("a number with a decimal point must be the last number of the amount")
            break
    if not b.groups:
        if strict:
            raise _no_number(s, i)
        return None
    return b


def finish(b: Body, sign: int, scale: int) -> tuple[int, int]:
    """Exact won and precision of a scanned body (``scale`` already decided by the caller)."""
    num, den = b.num * scale, b.den
    if num % den:
        raise Fail("not a whole number of won")
    won = sign * (num // den)
    if not -INT64_MAX <= won <= INT64_MAX:
        raise Fail("too large for 64-bit won")
    return won, max(1, b.pnum * scale // b.pden)


def join_qualifiers(words: list[str]) -> str | None:
    return " ".join(words) if words else None
