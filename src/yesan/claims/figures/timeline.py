"""Which budget an article is about: the fiscal year, what 올해 means, and the stage (예산안, 본예산, 추경, 결산).

* The budget year is the year most often written next to 예산/살림/추경/결산 ("2026년도 예산안");
  without one, the publication date (plus one when the text speaks of 내년).
* 올해 is the publication year when known; otherwise the budget year, or the year before it when the
  text speaks of 내년 (a proposal article in the autumn).
* The stage: 추경 or 결산 when the text is about one; 본예산 when it reports a vote (의결, 본회의,
  통과, 가결) or an enacted budget (예산이 … 확정); 예산안 when it reports a proposal; none for a
  committee's review (예비심사, 소관 예산안, 예결특위 수정 의결) before the plenary vote.
* Per figure (``figure_stage``, ``figure_year``): the words right around it win — "제출한 예산안(…)",
  "X원으로 확정됐다", "본예산 X원에서", "2025년 예산 X원" — over the article's stage and year; a prior
  is the year before the budget year unless it is an earlier stage of the same year (a 추경's 본예산).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Final

from yesan.claims.figures.figure import Figure

__all__ = ["Timeline", "figure_stage", "figure_year", "nearest_stage", "stage_in", "timeline"]


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


_DECIDED_AFTER: Final = re.compile(r"[^.\n0-9]{0,10}?(확정|의결|통과|가결)")
_SUBMITTED_AFTER: Final = re.compile(r"[^.\n0-9]{0,20}?제출(?:했|해|하고|하며|됐|된다|한다|합니다)")
_COMPARED: Final = re.compile(r"(?:\S+\s)?\S+\s?(?:보다|대비|에\s?비해|과\s?비교해|와\s?비교해)")
_DECIDED_BEFORE: Final = re.compile(r"확정|의결|통과|가결")
_LOCAL_STAGE: Final = re.compile(r"추경|추가\s?경정|결산|본예산|확정|의결|통과|가결|제출|당초|원안|정부안|요구안")
_EARLIER_STAGE: Final = re.compile(r"본예산|당초|기정|예산안|추경")
_PAST: Final = re.compile(r"지난해|작년|전년|올해|금년")
_YEAR_IN: Final = re.compile(r"(?<![0-9])(20[0-9]{2})\s?(?:년|(?:회계)?\s?연도)")


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


def figure_stage(text: str, figure: Figure, kind: str, window_start: int, line: Timeline) -> str | None:
    """The stage of one figure: what its own words say (확정, 제출, 본예산 …), else the article's.

    ``window_start`` is where the words about this figure may begin (its sentence, or the end of the
    amount before it in the sentence).
    """
    if figure.column is not None and figure.column.stage is not None:
        return figure.column.stage
    window_start = max(window_start, figure.full_start - 30)
    # "올해 본예산보다 1조원": the stage of the base of a comparison is not this figure's
    before = _COMPARED.sub(" ", text[window_start : figure.full_start])
    after = _DECIDED_AFTER.match(text, figure.full_end)
    if after is not None and line.committee and after.group(1) != "확정":
        after = None  # a committee's 의결 is not the council's
    local: str | None = None
    supplementary = line.stage is not None and line.stage.startswith("추경")
    if after is not None or (_DECIDED_BEFORE.search(before) and not line.committee):
        local = line.stage if supplementary else "본예산"  # a 추경 that is 확정 is still that 추경
    elif _SUBMITTED_AFTER.match(text, figure.full_end):
        local = line.stage if supplementary else "예산안"  # "110억원을 편성해 의회에 제출했으나"
    elif _LOCAL_STAGE.search(before):
        local = nearest_stage(before)
    if kind == "prior":
        if local is None and line.stage == "결산":
            return "결산"  # a settlement compares settled figures
        return local if local in ("본예산", "결산") or (local or "").startswith("추경") else None
    if local == "본예산" and line.stage == "예산안" and after is None and not _DECIDED_BEFORE.search(before):
        return line.stage  # "본예산을 편성해 제출": the main budget, still a proposal
    return local or line.stage


def figure_year(
    text: str, figure: Figure, kind: str, subject: str | None, window_start: int, line: Timeline
) -> int | None:
    """The fiscal year of one figure: a year written with it, else the budget year (the year before for a prior)."""
    if figure.column is not None and figure.column.year is not None:
        return figure.column.year
    window = text[max(window_start, figure.full_start - 20) : figure.full_start]
    written = [int(y) for y in _YEAR_IN.findall(window)]
    if subject:
        written += [int(y) for y in _YEAR_IN.findall(subject)]
    budget = line.budget_year
    if kind == "prior":
        earlier = [y for y in written if budget is None or y < budget]
        if earlier:
            return earlier[-1]
        if budget is None:
            return None
        # "본예산 38조원에서 39조원으로" in a 추경 article: an earlier stage of the same year.
        same_year = line.stage is not None and (line.stage.startswith("추경") or line.stage == "결산")
        if same_year and _EARLIER_STAGE.search(window) and not _PAST.search(window):
            return budget
        return budget - 1
    return written[-1] if written and (budget is None or written[-1] >= budget) else budget
