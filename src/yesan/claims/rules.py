"""The rules that turn "a figure in the text" and "a figure in the data" into a verdict, with their tolerances.

Amounts are compared in exact integer won; percentages as exact fractions. The rules, strictest first:

``일치``
    the two figures are equal to the won.
``반올림 일치``
    equal at the claim's own precision. The precision is the smallest unit the text writes
    (``yesan.money.Amount.precision``: ``15조6256억`` → 억, ``8천억``/``51.5조`` → 천억), and failing that the
    unit of its last non-zero digit, reading trailing zeros as rounding but keeping two significant
    digits (``15조6000억`` → 천억, ``4,500억`` → 백억; a lone ``20억`` or ``8000억`` stays exact to the 억 and
    the 백억). The data's figure must *round* to the claim at that precision (halves away from zero) or
    be *truncated* to it (cut towards zero: ``8601억`` → ``8천억``); the rule says which. A mismatch that
    rounding or truncation to one significant digit would explain says so in its rule.
``근사``
    the claim carries a qualifier of approximation (``APPROXIMATE``: 약, 대략, 가량, 정도, 안팎, 내외, 쯤)
    and the data's figure is within ``APPROX_TOLERANCE`` (5 %) of it; or the qualifier says "a little
    more" (``A_LITTLE_MORE``: 여, 남짓, 넘짓) and the figure is at least the claim and less than
    ``A_LITTLE_MORE_SHARE`` (10 %) more (``100억여`` → 100억 up to, not including, 110억).
``범위 일치``
    a bound (``LOWER_BOUNDS``: 이상, 넘게, 초과, 최소 …; ``UPPER_BOUNDS``: 이하, 미만, 이내, 최대 …) holds:
    ``1조원 이상`` vs 1조2000억. 초과, 미만 are strict; 넘게 is read as "at least", as it is used. A bound that
    fails is ``불일치``.
``불일치``
    none of the above; both figures and the difference (claim − data) are given.

Stated percentages (``7%``, ``5.8%``) hold when the computed percentage rounds (halves up) or truncates
to the stated one at the stated number of decimals: 48조1145억 → 51조5060억 is +7.049…%, so "7%" holds
by rounding (truncation counts too, and is named). ``약 7%`` allows one unit of the last written digit
either way (6–8 %).
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
    "compare_percent",
    "loose_precision",
    "percent_change",
    "unit_name",
    "won_text",
]

#: Qualifiers of approximation and how far the data may be from the stated figure.
APPROXIMATE: Final = frozenset({"약", "대략", "가량", "정도", "안팎", "내외", "쯤", "수"})
APPROX_TOLERANCE: Final = Fraction(5, 100)
#: "The figure and a little more": at least the figure, less than one more unit of its last digit.
A_LITTLE_MORE: Final = frozenset({"여", "남짓", "넘짓", "약간"})
A_LITTLE_MORE_SHARE: Final = Fraction(10, 100)
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
    """The verdict on a claimed amount (with its written ``precision`` and ``qualifier``) against ``actual``."""
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
    little_more = next((word for word in words if word in A_LITTLE_MORE), None)
    if little_more is not None:  # "100억여": the qualifier is the range, rounding does not apply
        if claimed <= actual < claimed + A_LITTLE_MORE_SHARE * claimed:
            more = str(A_LITTLE_MORE_SHARE * 100)
            rule = Phrase("amount.little_more_holds", word=little_more, actual=data, claimed=said, share=more)
            return Outcome("근사", rule, difference)
        return Outcome("불일치", Phrase("amount.little_more_fails", word=little_more, actual=data, claimed=said),
                       difference)  # fmt: skip
    rounding = _rounding(claimed, precision, actual)
    if rounding is not None:
        return Outcome("반올림 일치", rounding, difference)
    if any(word in APPROXIMATE for word in words):
        word = next(word for word in words if word in APPROXIMATE)
        if abs(difference) <= APPROX_TOLERANCE * abs(claimed):
            share = Fraction(abs(difference), abs(claimed)) if claimed else Fraction(0)
            rule = Phrase(
                "amount.approximate", word=word, tolerance=str(APPROX_TOLERANCE * 100), claimed=said, actual=data,
                share=f"{float(share):.1%}",
            )  # fmt: skip
            return Outcome("근사", rule, difference)
    hint = _coarse_hint(claimed, actual)
    rule = Phrase("amount.mismatch", claimed=said, actual=data, difference=won_text(difference), hint=hint)
    return Outcome("불일치", rule, difference)


def _coarse_hint(claimed: int, actual: int) -> Phrase | str:
    """``; 8,601억원 truncated to 천억 would give 8,000억원`` when one significant digit explains a mismatch."""
    value = abs(claimed)
    if value == 0:
        return ""
    unit = 10 ** (len(str(value)) - 1)
    if value % unit:
        return ""
    for key, near in (
        ("amount.hint_rounded", round_won(actual, unit)),
        ("amount.hint_truncated", _truncate(actual, unit)),
    ):
        if near == claimed:
            return Phrase(key, actual=won_text(actual), unit=unit_name(unit), claimed=won_text(claimed))
    return ""


def _rounding(claimed: int, precision: int, actual: int) -> Phrase | None:
    """How ``actual`` becomes ``claimed`` at the claim's precision (rounding or truncation), or None."""
    written = max(precision, 1)
    loose = loose_precision(claimed, written)
    units = [written] if loose == written else [written, loose]
    for unit in units:
        if unit == 1 or claimed % unit:
            continue
        how = "" if unit == written else Phrase("amount.trailing_zeros", claimed=won_text(claimed))
        shown = {"actual": won_text(actual), "claimed": won_text(claimed), "unit": unit_name(unit), "how": how}
        if round_won(actual, unit) == claimed:
            return Phrase("amount.rounds", **shown)
        if _truncate(actual, unit) == claimed:
            return Phrase("amount.truncates", **shown, rounded=won_text(round_won(actual, unit)))
    return None


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
    if _quantize(magnitude, places, truncate=True) == claimed:
        return said("반올림 일치", f"percent.truncates{whole}")
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
    return said("불일치", "percent.mismatch")
