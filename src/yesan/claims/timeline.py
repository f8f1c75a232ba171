"""Which budget an article is about: the fiscal year, what 올해 means, and the stage (예산안, 본예산, 추경, 결산).

* The budget year is the year most often written next to 예산/살림/추경/결산 ("2026년도 예산안");
  without one, the publication date (plus one when the text speaks of 내년).
* 올해 is the publication year when known; otherwise the budget year, or the year before it when the
  text speaks of 내년 (a proposal article in the autumn).
* The stage: 추경 or 결산 when the text is about one; 본예산 when it reports a vote (의결, 본회의,
  통과, 가결) or an enacted budget (예산이 … 확정); 예산안 when it reports a proposal; none for a
  committee's preliminary review (예비심사, 소관 예산안) whose figures are not final.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Final

__all__ = ["Timeline", "nearest_stage", "stage_in", "timeline"]


@dataclass(frozen=True)
class Timeline:
    budget_year: int | None
    current_year: int | None  # the year 올해 refers to
    stage: str | None  # canonical (yesan.model.normalize_stage) stage of the article's current figures
    committee: bool = False


_BUDGET_YEAR: Final = re.compile(
    r"(?<![0-9])(20[0-9]{2})\s?(?:년도?|(?:회계)?\s?연도)(?!\s?[0-9])[^.\n,()]{0,20}?"
    r"(?:예산|살림|추경|추가경정|결산|세출|세입)"
)
_ANY_YEAR: Final = re.compile(r"(?<![0-9])(20[0-9]{2})\s?년")
_COMMITTEE_NAME: Final = re.compile(r"예산결산특별위원회|예결특위|예결위")
_CHOO: Final = re.compile(r"(?:제\s?)?([0-9]+)\s?(?:회|차)\s?추(?:가\s?)?경(?:정)?|추가\s?경정|추경")
_CHOO_PHRASE: Final = re.compile(
    r"(?:제\s?[0-9]+\s?회\s?)?(?:추가\s?경정|추경)\s?(?:예산)?안?(?:을|를|이|은)?\s?(?:편성|제출)?\S*"
)
_SETTLED: Final = re.compile(r"결산")
_ENACTED: Final = re.compile(r"의결|본회의|가결|통과|예산(?:이|은|을)?\s?[^.\n]{0,30}확정(?:됐|되었|돼|된|했)")
_PROPOSAL_ONLY: Final = re.compile(r"예산안을?\s?확정\s?발표")
_PROPOSAL: Final = re.compile(r"예산안|정부안|요구안|(?:편성|제출)(?:해|했|한다|합니다|할|하고|하겠)")
#: The council has voted: "본회의를 열어 … 의결했다", "서울시의회는 16일 … 예산 51조원을 의결했다".
_PLENARY_VOTE: Final = re.compile(r"본회의[^.\n]{0,40}?(?:의결했|의결됐|통과했|통과됐|통과시켰|가결|확정했|확정됐)")
_COUNCIL_VOTE: Final = re.compile(r"의회(?:는|가|에서)\s[^.\n]{0,60}?(?:의결했|확정했|가결했|통과시켰)")
#: A committee has: "예산결산특별위원회가 … 수정 의결했다" (the plenary vote is still to come).
_COMMITTEE_VOTE: Final = re.compile(
    r"(?:예산결산특별위원회|예결특위|예결위|상임위원회|상임위)[^.\n]{0,40}?(?:의결|심사)"
)
_PROPOSAL_WORD: Final = re.compile(r"예산안|정부안|요구안")
_COMMITTEE: Final = re.compile(r"예비\s?심사|소관\s?(?:[0-9]{4}년도?\s?)?예산안?")


def stage_in(text: str) -> str | None:
    """The stage a phrase or a column header names ("제2회 추경" → 추경2, "2026년 예산안" → 예산안)."""
    cleaned = _COMMITTEE_NAME.sub("", text)
    choo = _CHOO.search(cleaned)
    if choo is not None:
        return f"추경{int(choo.group(1))}" if choo.group(1) else "추경1"
    if _SETTLED.search(cleaned):
        return "결산"
    if "본예산" in cleaned or "확정" in cleaned:
        return "본예산"
    if _PROPOSAL.search(cleaned) or "당초" in cleaned or "제출" in cleaned or "원안" in cleaned:
        return "예산안"
    return None


_NEAREST: Final = re.compile(
    r"(?P<choo>(?:제\s?(?P<n>[0-9]+)\s?(?:회|차)\s?)?(?:추가\s?경정|추경)(?:\s?예산)?안?)|(?P<settled>결산)"
    r"|(?P<enacted>본예산|확정|당초\s?예산|기정\s?예산)|(?P<proposal>예산안|정부안|요구안|당초|제출|원안)"
)


def nearest_stage(text: str) -> str | None:
    """The stage named last in ``text`` (the words right before a figure: "이번 추경으로 … 본예산 15조원")."""
    found = None
    for match in _NEAREST.finditer(_COMMITTEE_NAME.sub("", text)):
        found = match
    if found is None:
        return None
    if found.group("choo"):
        return f"추경{int(found.group('n'))}" if found.group("n") else "추경1"
    if found.group("settled"):
        return "결산"
    return "본예산" if found.group("enacted") else "예산안"


def timeline(text: str, published: date | None = None) -> Timeline:
    """The article's :class:`Timeline` (see the module docstring)."""
    years = Counter(int(y) for y in _BUDGET_YEAR.findall(text))
    budget_year: int | None = None
    if years:
        top = max(years.values())
        budget_year = max(year for year, count in years.items() if count == top)
    elif published is not None:
        # Budgets are proposed in the autumn and voted in December for the next year.
        autumn = published.month >= 9 and not _CHOO.search(text) and not _SETTLED.search(text)
        budget_year = published.year + 1 if "내년" in text or autumn else published.year
    else:
        loose = Counter(int(y) for y in _ANY_YEAR.findall(text))
        if loose:
            budget_year = loose.most_common(1)[0][0]
    if published is not None:
        current_year: int | None = published.year
    elif budget_year is not None:
        current_year = budget_year - 1 if "내년" in text else budget_year
    else:
        current_year = None
    cleaned = _COMMITTEE_NAME.sub("", text)
    voted = _PLENARY_VOTE.search(text) is not None or _COUNCIL_VOTE.search(text) is not None
    committee = not voted and (_COMMITTEE.search(cleaned) is not None or _COMMITTEE_VOTE.search(text) is not None)
    stage: str | None
    choo = len(_CHOO.findall(cleaned))
    # a 추경 is also 편성 and 제출: only other budget bills (예산안) compete with it
    if choo and choo >= len(_PROPOSAL_WORD.findall(_CHOO_PHRASE.sub("", cleaned))):
        stage = stage_in(cleaned)
    elif _SETTLED.search(cleaned) and not _PROPOSAL.search(cleaned):
        stage = "결산"
    elif committee:
        stage = None
    elif voted or _ENACTED.search(_PROPOSAL_ONLY.sub("", cleaned)):
        stage = "본예산"
    elif _PROPOSAL.search(cleaned):
        stage = "예산안"
    else:
        stage = None
    return Timeline(budget_year, current_year, stage, committee)
