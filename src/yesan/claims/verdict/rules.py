"""The rules that turn "a figure in the text" and "a figure in the data" into a verdict (``docs/verdicts.md``).

Amounts are compared in exact integer won; percentages as exact fractions. A written figure is read at
its **reading unit** (:func:`reading_unit`): the unit of its last non-zero digit, but never coarser than
two significant digits (``15조6000억`` → 천억, ``4,500억`` → 백억, ``8000억``/``8천억`` → 백억, ``1조`` → 천억,
``62조`` → 조, ``20억`` → 억). One rule, strictest first:

``일치``
    the two figures are equal to the won.
``반올림 일치``
    the data's figure, *rounded* (halves away from zero) at the claim's reading unit, is the claim. The
    tolerance is half a reading unit (``51.5조`` → ±500억). Truncation is not rounding: ``8000억`` for
    8601억 is ``불일치``, and the rule says that truncation would give it.
``근사``
    ``약`` and its kin (``APPROXIMATE``: 대략, 가량, 정도, 안팎, 내외, 쯤) allow half a unit of the last non-zero
    digit, however coarse (``약 1조`` → ±5,000억), or ``APPROX_TOLERANCE`` (5 %), whichever is wider;
    ``여`` and its kin (``A_LITTLE_MORE``: 남짓, 넘짓) mean the figure is the data *truncated* at the reading
    unit (``100억여`` → 100억 up to, not including, 110억); a figure in a headline may be truncated at its
    reading unit (``51조`` for 51조5060억), and the rule says so (:func:`compare_headline`).
``범위 일치``
    a bound (``LOWER_BOUNDS``: 이상, 넘게, 초과, 최소 …; ``UPPER_BOUNDS``: 이하, 미만, 이내, 최대 …) holds, exactly:
    ``1조원 이상`` vs 1조2000억. 초과, 미만 are strict; 넘게 is read as "at least", as it is used. A bound that
    fails is ``불일치`` (``1조원 이상`` vs 9,300억), never stretched by rounding.
``불일치``
    none of the above; both figures and the difference (claim − data) are given. A figure one digit or
    one unit away from the data (``16조6686억`` for 15조6686억, ``280억`` for 2800억, ``8045억 6100원`` for
    8045억 6100만원) is flagged as a likely typo (``Outcome.flag == "likely_typo"``).

Stated percentages (``7%``, ``5.8%``) hold when the computed percentage rounds (halves up) to the stated
one at the stated number of decimals: 48조1145억 → 51조5060억 is +7.049…%, so "7%" holds by rounding;
truncation is not rounding here either. ``약 7%`` allows one unit of the last written digit either way
(6–8 %).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Final

from yesan.claims.model import Verdict
from yesan.claims.wording import Phrase
from yesan.money import format_won, round_won

__all__ = [
    "APPROXIMATE",
    "APPROX_TOLERANCE",
    "A_LITTLE_MORE",
    "CONSISTENT",
    "LOWER_BOUNDS",
    "UPPER_BOUNDS",
    "Outcome",
    "compare_amount",
    "compare_headline",
    "compare_percent",
    "last_digit_unit",
    "likely_typo",
    "loose_precision",
    "percent_change",
    "reading_unit",
    "unit_name",
    "won_text",
    "written_typo",
]

#: Qualifiers of approximation; they allow half a unit of the last non-zero digit, or this share if wider.
APPROXIMATE: Final = frozenset({"약", "대략", "가량", "정도", "안팎", "내외", "쯤", "수"})
APPROX_TOLERANCE: Final = Fraction(5, 100)
#: "The figure and a little more": at least the figure, less than one more reading unit.
A_LITTLE_MORE: Final = frozenset({"여", "남짓", "넘짓", "약간"})
#: Lower bounds: (word, strict).
LOWER_BOUNDS: Final[dict[str, bool]] = {
    "이상": False,
    "최소": False,
    "넘게": False,  # "200억 원 넘게" is used loosely for "at least"
    "넘는": False,
    "넘어": False,
    "초과": True,
    "웃도는": True,
}
UPPER_BOUNDS: Final[dict[str, bool]] = {
    "이하": False,
    "이내": False,
    "최대": False,
    "미만": True,
    "못미치는": True,
    "밑도는": True,
}
#: Trailing zeros are read as rounding only down to this many significant digits (a lone "20억" is exact).
MIN_SIGNIFICANT: Final = 2
#: Verdicts that say the claim is borne out by the evidence.
CONSISTENT: Final = frozenset({"일치", "반올림 일치", "근사", "범위 일치"})

_UNIT_NAMES: Final = (
    (10**16, "경"),
    (10**15, "천조"),
    (10**14, "백조"),
    (10**13, "십조"),
    (10**12, "조"),
    (10**11, "천억"),
    (10**10, "백억"),
    (10**9, "십억"),
    (10**8, "억"),
    (10**7, "천만"),
    (10**6, "백만"),
    (10**5, "십만"),
    (10**4, "만"),
    (10**3, "천"),
    (100, "백"),
    (10, "십"),
    (1, "원"),
)


@dataclass(frozen=True)
class Outcome:
    """A verdict, the rule that decided it, and (for amounts) claim − data in won."""

    verdict: Verdict
    rule: Phrase  # the English sentence; ``rule.render("ko")`` the Korean (``claims.wording``)
    difference: int | None = None
    flag: str | None = None  # "likely_typo" when the figure looks like a slip for the data's


def unit_name(unit: int) -> str:
    """``10**11`` → ``천억``; any power of ten from 1 to 10**16."""
    for value, name in _UNIT_NAMES:
        if unit == value:
            return name
    return f"{unit:,}원"


def won_text(won: int) -> str:
    """Exact won for people: ``15조 6,256억원``, ``25억 8,660만 8,000원``."""
    return format_won(won)


def loose_precision(won: int, precision: int) -> int:
    """Trailing zeros read as rounding: the unit of the last non-zero digit of ``won``, but keeping at least
    ``MIN_SIGNIFICANT`` significant digits (``15조6000억`` → 천억, ``4,500억`` → 백억, ``8000억`` → 백억,
    ``20억`` → 억), never below ``precision``."""
    unit = max(precision, 1)
    value = abs(won)
    if value == 0:
        return unit
    widest = max(unit, 10 ** max(0, len(str(value)) - MIN_SIGNIFICANT))
    while unit < widest and value % (unit * 10) == 0:
        unit *= 10
    return unit


def last_digit_unit(won: int) -> int:
    """The unit of the last non-zero digit: ``1조`` → 조, ``15조6000억`` → 천억, ``8045억 6100원`` → 백 (1 for 0)."""
    value, unit = abs(won), 1
    while value and value % (unit * 10) == 0:
        unit *= 10
    return unit


def reading_unit(won: int) -> int:
    """The unit a written figure is read at: its last non-zero digit's, never coarser than ``MIN_SIGNIFICANT``
    significant digits (``1조`` → 천억, ``8천억`` → 백억, ``62조`` → 조, ``51.5조`` → 천억, ``20억`` → 억)."""
    value = abs(won)
    if value == 0:
        return 1
    widest: int = 10 ** max(0, len(str(value)) - MIN_SIGNIFICANT)
    return min(last_digit_unit(value), widest)


def _truncate(won: int, unit: int) -> int:
    """``won`` cut towards zero to a multiple of ``unit``."""
    q = abs(won) // unit * unit
    return q if won >= 0 else -q


def _qualifiers(qualifier: str | None) -> list[str]:
    return qualifier.split() if qualifier else []


def _bound(words: list[str]) -> tuple[str, str, bool] | None:
    """("lower"/"upper", word, strict) for the first bound among the qualifier words."""
    for word in words:
        if word in LOWER_BOUNDS:
            return "lower", word, LOWER_BOUNDS[word]
        if word in UPPER_BOUNDS:
            return "upper", word, UPPER_BOUNDS[word]
    return None


def compare_amount(claimed: int, precision: int, qualifier: str | None, actual: int) -> Outcome:
    """The verdict on a claimed amount (with its ``qualifier``) against ``actual`` (see the module docstring).

    ``precision`` (the written unit, ``yesan.money.Amount.precision``) is kept for callers; the rule reads
    the figure at :func:`reading_unit`, which never depends on how the digits were spelled (``8천억`` and
    ``8000억`` are read alike).
    """
    difference = claimed - actual
    words = _qualifiers(qualifier)
    bound = _bound(words)
    said, data = won_text(claimed), won_text(actual)
    if bound is not None:
        side, word, strict = bound
        if side == "lower":
            holds = actual > claimed if strict else actual >= claimed
            relation = ">" if strict else "≥"
        else:
            holds = actual < claimed if strict else actual <= claimed
            relation = "<" if strict else "≤"
        key = "amount.bound_holds" if holds else "amount.bound_fails"
        rule = Phrase(key, word=word, actual=data, relation=relation, claimed=said)
        return Outcome("범위 일치" if holds else "불일치", rule, difference)
    if difference == 0:
        return Outcome("일치", Phrase("amount.equal", actual=data), 0)
    unit = reading_unit(claimed)
    little_more = next((word for word in words if word in A_LITTLE_MORE), None)
    if little_more is not None:  # "100억여": the data truncated at the reading unit is the figure
        upper = won_text(claimed + unit) if claimed >= 0 else won_text(claimed - unit)
        if claimed != 0 and _truncate(actual, unit) == claimed:
            rule = Phrase("amount.little_more_holds", word=little_more, actual=data, claimed=said, upper=upper)
            return Outcome("근사", rule, difference)
        rule = Phrase("amount.little_more_fails", word=little_more, actual=data, claimed=said, upper=upper)
        return _mismatch_or_typo(claimed, actual, rule, difference)
    if round_won(actual, unit) == claimed:
        how = "" if unit == last_digit_unit(claimed) else Phrase("amount.two_digits", claimed=said)
        rule = Phrase("amount.rounds", actual=data, claimed=said, unit=unit_name(unit), half=won_text(unit // 2),
                      how=how)  # fmt: skip
        return Outcome("반올림 일치", rule, difference)
    approximate = next((word for word in words if word in APPROXIMATE), None)
    if approximate is not None:
        coarse = last_digit_unit(claimed)
        allowed = max(Fraction(coarse, 2), APPROX_TOLERANCE * abs(claimed))
        if abs(difference) <= allowed:
            share = Fraction(abs(difference), abs(claimed)) if claimed else Fraction(0)
            rule = Phrase(
                "amount.approximate", word=approximate, allowed=won_text(int(allowed)), claimed=said, actual=data,
                share=f"{float(share):.1%}",
            )  # fmt: skip
            return Outcome("근사", rule, difference)
    hint = _coarse_hint(claimed, actual, unit)
    rule = Phrase("amount.mismatch", claimed=said, actual=data, difference=won_text(difference), hint=hint,
                  unit=unit_name(unit), half=won_text(unit // 2))  # fmt: skip
    return _mismatch_or_typo(claimed, actual, rule, difference)


def compare_headline(claimed: int, qualifier: str | None, actual: int) -> Outcome | None:
    """A figure in a headline truncated at its reading unit (``51조`` for 51조5060억): ``근사``, else None.

    Headlines shorten figures; a truncated headline figure is not a false figure. Only for a figure
    without a qualifier that the plain rule calls ``불일치``.
    """
    if qualifier or claimed == 0 or claimed == actual:
        return None
    unit = reading_unit(claimed)
    if round_won(actual, unit) == claimed or _truncate(actual, unit) != claimed:
        return None
    rule = Phrase("amount.headline", actual=won_text(actual), claimed=won_text(claimed), unit=unit_name(unit))
    return Outcome("근사", rule, claimed - actual)


def _mismatch_or_typo(claimed: int, actual: int, rule: Phrase, difference: int) -> Outcome:
    typo = likely_typo(claimed, actual)
    if typo is None:
        return Outcome("불일치", rule, difference)
    return Outcome("불일치", Phrase("amount.typo", rule=rule, why=typo), difference, "likely_typo")


def written_typo(won: int, text: str) -> Phrase | None:
    """A figure that skips a unit as written (``8045억 6100원``: 억 then a 4-digit 원 group, no 만): what it
    probably means, else None."""
    if "억" not in text or "만" in text or won % 10**4 == 0 or won % 10**8 >= 10**4:
        return None
    if won % 10**4 < 1000:
        return None
    meant = won - won % 10**4 + (won % 10**4) * 10**4
    return Phrase("amount.written_typo", written=text, literal=f"{won:,}", meant=won_text(meant))


def likely_typo(claimed: int, actual: int) -> Phrase | None:
    """Why ``claimed`` looks like a slip for ``actual``: one digit differs, two neighbouring digits are
    swapped, a zero is missing or extra, or one 4-digit group sits one unit (만/억/조) off; else None."""
    if claimed <= 0 or actual <= 0 or claimed == actual:
        return None
    unit = reading_unit(claimed)
    a, b = str(claimed // unit), str(round_won(actual, unit) // unit)
    if len(a) == len(b) and len(a) >= 3:
        diff = [k for k in range(len(a)) if a[k] != b[k]]
        if len(diff) == 1:
            return Phrase("typo.digit", actual=won_text(actual))
        if len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]:
            return Phrase("typo.swap", actual=won_text(actual))
    if claimed * 10 == actual or claimed == actual * 10:
        return Phrase("typo.zero", actual=won_text(actual))
    groups = [(claimed // 10 ** (4 * k)) % 10**4 for k in range(5)]
    for k, group in enumerate(groups):
        if not group:
            continue
        rest = claimed - group * 10 ** (4 * k)
        for moved in (k - 1, k + 1):
            free = 0 <= moved <= 4 and (rest // 10 ** (4 * moved)) % 10**4 == 0
            if free and rest + group * 10 ** (4 * moved) == actual:
                return Phrase("typo.unit", actual=won_text(actual))
    return None


def _coarse_hint(claimed: int, actual: int, unit: int) -> Phrase | str:
    """``; 8,601억원 truncated to 천억 would give 8,000억원 (truncation is not rounding)`` when cutting or
    rounding the data at a coarser unit than the reading unit would give the claim."""
    value = abs(claimed)
    if value == 0:
        return ""
    for coarse in sorted({unit, last_digit_unit(claimed)}):
        if value % coarse:
            continue
        if _truncate(actual, coarse) == claimed:
            return Phrase("amount.hint_truncated", actual=won_text(actual), unit=unit_name(coarse),
                          claimed=won_text(claimed))  # fmt: skip
        if coarse != unit and round_won(actual, coarse) == claimed:
            return Phrase("amount.hint_rounded", actual=won_text(actual), unit=unit_name(coarse),
                          claimed=won_text(claimed), reading=unit_name(unit))  # fmt: skip
    return ""


def percent_change(before: int, after: int) -> Fraction | None:
    """(after − before) / before in percent, exactly; None when ``before`` is 0."""
    if before == 0:
        return None
    return Fraction(after - before, before) * 100


def _quantize(value: Fraction, places: int, *, truncate: bool) -> Fraction:
    scale = 10**places
    scaled = abs(value) * scale
    whole = scaled.numerator // scaled.denominator
    if not truncate and (scaled - whole) * 2 >= 1:
        whole += 1
    result = Fraction(whole, scale)
    return result if value >= 0 else -result


def percent_text(value: Fraction, places: int = 2) -> str:
    shown = _quantize(value, places, truncate=False)
    return f"{float(shown):.{places}f}%"


def compare_percent(stated: Decimal, qualifier: str | None, actual: Fraction, *, what: str = "") -> Outcome:
    """The verdict on a stated percentage against the exact one (both signed; a sign difference fails)."""
    exponent = stated.as_tuple().exponent
    places = max(0, -exponent) if isinstance(exponent, int) else 0
    target = Fraction(stated)
    shown = {"computed": percent_text(actual, max(places + 1, 2)), "stated": str(stated), "places": str(places)}

    def said(verdict: Verdict, key: str, **more: str) -> Outcome:
        rule = Phrase(key, **shown, **more)
        return Outcome(verdict, Phrase("percent.what", what=what, rule=rule) if what else rule)

    if target != 0 and actual != 0 and (target > 0) != (actual > 0):
        return said("불일치", "percent.other_way")
    magnitude, claimed = abs(actual), abs(target)
    if magnitude == claimed:
        return said("일치", "percent.exact")
    whole = "_whole" if places == 0 else ""  # "rounds to a whole percent" reads better in Korean
    if _quantize(magnitude, places, truncate=False) == claimed:
        return said("반올림 일치", f"percent.rounds{whole}")
    truncated = _quantize(magnitude, places, truncate=True) == claimed
    words = _qualifiers(qualifier)
    unit = Fraction(1, 10**places)
    if any(word in APPROXIMATE for word in words) and abs(magnitude - claimed) <= unit:
        return said("근사", "percent.approximate")
    bound = _bound(words)
    if bound is not None:
        side, word, strict = bound
        holds = (magnitude > claimed if strict else magnitude >= claimed) if side == "lower" else (
            magnitude < claimed if strict else magnitude <= claimed
        )  # fmt: skip
        if holds:
            return said("범위 일치", "percent.bound_holds", word=word)
    if truncated:  # truncation is not rounding (docs/verdicts.md); the rule names it
        return said("불일치", f"percent.truncates{whole}")
    return said("불일치", "percent.mismatch")
