"""Every amount of money (and every percentage) in running Korean text, with character positions.

Rules that keep counts, years and dates out:

* a number needs a money unit: ``원`` after it, or a big unit of at least 억 (``1549억``, ``3천억``);
  ``120만 명``, ``2026년``, ``7%``, ``3개``, ``제3차`` and phone numbers are not money;
* an amount without 원 followed by a counter or another currency (``1억 명``, ``5천억 달러``) is not
  money, nor is ``제3조`` / ``헌법 1조 2항``;
* amounts written only in Korean numerals need a 십/백/천 (``삼천억원``, ``십억``, ``수천억원``), and
  without 원 they need 억 (``천억``) — so 구조, 백조, 일원 are words, not money;
* ``△``/``▽`` directly before digits is a minus; ``-``/``+`` are signs unless they join two numbers
  (``1조-2조``). ``△청년`` (a list bullet) is not a number at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from yesan.money._scan import (
    BIG,
    EOK,
    PREFIX_QUALIFIERS,
    SIGNS,
    SMALL,
    Fail,
    finish,
    is_hangul,
    join_qualifiers,
    normalize,
    scan_body,
    suffix_qualifier_at,
    won_after,
)
from yesan.money.parse import PERCENT_BODY, Amount, Percent, percent_value

__all__ = ["MoneyMatch", "PercentMatch", "find_amounts", "find_percents"]


@dataclass(frozen=True, slots=True)
class MoneyMatch:
    """One amount found in a text.

    ``text[start:end]`` is the amount as written: sign, number, units, and ``원`` when it follows
    (``+8000억``, ``51조 5,060억 원``, ``100억여 원``). ``text[full_start:full_end]`` adds the
    qualifier words written around it (``약 3천억원``, ``1조원 이상``) and equals ``amount.text``;
    the qualifiers themselves are in ``amount.qualifier``.
    """

    start: int
    end: int
    amount: Amount
    full_start: int
    full_end: int


@dataclass(frozen=True, slots=True)
class PercentMatch:
    """One percentage found in a text; positions as in :class:`MoneyMatch`."""

    start: int
    end: int
    percent: Percent
    full_start: int
    full_end: int


#: Where an amount may start. The first character is a plain class so the regex engine can skip
#: ahead fast; a Korean numeral before 십/백/천 (``삼천억``) is picked up by ``find_amounts``.
_CANDIDATE: Final = re.compile(
    r"[0-9십백천수](?:"
    r"(?<=[0-9])(?<![0-9A-Za-z.,][0-9])(?=[0-9,.]*[ ]?(?:[십백천만억조경원]|[일이삼사오육칠팔구][십백천]))"
    r"|(?<=[십백천])(?:(?<![가-힣0-9.,][십백천])|(?<=[일이삼사오육칠팔구수][십백천]))"
    r"(?=[일이삼사오육칠팔구십백천만억조경원여]|[ ]원)"
    r"|(?<=수)(?<![가-힣0-9.,]수)(?=[십백천만억조경]))"
)
_KOREAN_LEAD: Final = frozenset("수일이삼사오육칠팔구")
_NOT_BEFORE_KOREAN: Final = frozenset("0123456789.,")
_PARTICLE: Final = (
    r"(?:이|가|을|를|은|는|의|에|에서|에게|도|만|과|와|씩|당"
    r"|으로|로|까지|이나|나|간|째|여|분|이상|이하|가량|정도)?"
)
#: Counters and other currencies after an amount written without 원.
_NOT_WON: Final = re.compile(
    r"[ ]?(?:(?:명|개|곳|건|가구|그루|마리|톤|회|번|배|년|살|채|표|주|장|권|부|병|벌|척"
    r"|화소|광년|배럴|뷰|세대|달러|불|엔|엔화|위안|위안화|유로|파운드|루피|루블|페소|바트)" + _PARTICLE + r"(?![가-힣])"
    r"|(?:km|kg|kWh|kW|MW|GW|TB|GB|USD|t|m)(?![A-Za-z]))"
)
#: ``1조 2항``: an article of a law, not money.
_ARTICLE: Final = re.compile(r"[ ]?(?:제[ ]?)?[0-9]+[ ]?(?:항|호)")
_NOT_SIGN_AFTER: Final = frozenset("0123456789원" + "".join(BIG) + "".join(SMALL) + SIGNS)
_PERCENT_FIND: Final = re.compile(r"(?<![0-9A-Za-z.,])" + PERCENT_BODY)


def _sign_before(s: str, p: int) -> int:
    """The sign written directly before position ``p`` (a digit): -1, +1, or 0 for none."""
    if p == 0:
        return 0
    ch = s[p - 1]
    if ch in "△▽":
        return -1
    if ch not in "+-":
        return 0
    k = p - 2
    while k >= 0 and s[k] == " ":
        k -= 1
    if k >= 0 and (s[k] in _NOT_SIGN_AFTER or (s[k].isascii() and s[k].isalpha())):
        return 0
    return -1 if ch == "-" else 1


def _prefix_before(s: str, start: int) -> tuple[int, str] | None:
    k = start - 1 if start > 0 and s[start - 1] == " " else start
    for word in PREFIX_QUALIFIERS:
        a = k - len(word)
        if a >= 0 and s.startswith(word, a) and (a == 0 or not is_hangul(s[a - 1])):
            return a, word
    return None


def _suffix_after(s: str, end: int) -> tuple[int, str] | None:
    j = end + 1 if end < len(s) and s[end] == " " else end
    word = suffix_qualifier_at(s, j)
    return None if word is None else (j + len(word), word)


def _amount_at(text: str, s: str, p: int) -> MoneyMatch | None:
    n = len(s)
    start = p
    sign = 1
    if "0" <= s[p] <= "9":
        found = _sign_before(s, p)
        if found:
            sign = found
            start = p - 1
        elif p and s[p - 1] == "제":
            return None
    try:
        body = scan_body(s, p, False)
    except Fail:
        return None
    if body is None:
        return None
    end = body.end
    won_end = won_after(s, end, n)
    has_won = won_end is not None
    if won_end is not None:
        end = won_end
    elif body.max_big < EOK or _NOT_WON.match(s, end) or _ARTICLE.match(s, end):
        return None
    if not body.arabic and not (body.small or body.su):
        return None
    if not body.arabic and not has_won and not body.has_eok:
        return None
    try:
        won, precision = finish(body, sign, 1)
    except Fail:
        return None
    qualifiers: list[str] = []
    full_start, full_end = start, end
    before = _prefix_before(s, start)
    if before is not None:
        full_start = before[0]
        qualifiers.append(before[1])
    if body.su:
        qualifiers.append("수")
    if body.yeo:
        qualifiers.append("여")
    after = _suffix_after(s, end)
    if after is not None:
        full_end = after[0]
        qualifiers.append(after[1])
    amount = Amount(won, text[full_start:full_end], join_qualifiers(qualifiers), precision, has_won)
    return MoneyMatch(start, end, amount, full_start, full_end)


def find_amounts(text: str) -> list[MoneyMatch]:
    """Every amount of money in ``text``, in order, with positions (see :class:`MoneyMatch`)."""
    s = normalize(text)
    found: list[MoneyMatch] = []
    search = _CANDIDATE.search
    pos = 0
    while (candidate := search(s, pos)) is not None:
        hit = candidate.start()
        pos = hit + 1
        p = hit
        if s[p] in SMALL and p and s[p - 1] in _KOREAN_LEAD:
            p -= 1
            if p and (is_hangul(s[p - 1]) or s[p - 1] in _NOT_BEFORE_KOREAN):
                continue
        match = _amount_at(text, s, p)
        if match is not None:
            found.append(match)
            pos = max(match.full_end, pos)
    return found


def find_percents(text: str) -> list[PercentMatch]:
    """Every percentage (``7%``) and percentage-point change (``3.2%p``) in ``text``, with positions."""
    s = normalize(text)
    found: list[PercentMatch] = []
    for m in _PERCENT_FIND.finditer(s):
        sign = m.group("sign")
        start = m.start()
        if sign is not None and sign in "+-" and not _sign_before(s, m.start("num")):
            sign = None
            start = m.start("num")
        end = m.end()
        qualifiers: list[str] = []
        full_start, full_end = start, end
        before = _prefix_before(s, start)
        if before is not None:
            full_start = before[0]
            qualifiers.append(before[1])
        after = _suffix_after(s, end)
        if after is not None:
            full_end = after[0]
            qualifiers.append(after[1])
        unit = m.group("unit")
        percent = Percent(
            percent_value(sign, m.group("num")),
            unit not in ("%", "퍼센트"),
            text[full_start:full_end],
            join_qualifiers(qualifiers),
        )
        found.append(PercentMatch(start, end, percent, full_start, full_end))
    return found
