"""Which fiscal year an article's budget is: budget-year cues and the publication date, never a guess.

A cue is a year said *of a budget*: ``2026년 예산안``, ``2026년도 경기도 예산``, ``2025년도 제4회 추가경정예산안``
(the year itself), or ``내년도 예산`` / ``내년 예산안`` (the publication year + 1), ``올해 본예산`` / ``올해 제1회
추경`` (the publication year), ``새해 예산`` (the next year when published from September, else the same year).
A year that is not said of a budget is no cue: a plan's target (``2030년까지``), a past year in passing
(``2024년 대비``), a table's prefix. The base of a comparison (``올해 예산보다``, ``올해 예산 대비``) is no cue
either. The year most cues give wins; a tie goes to the first. No cue, or only relative cues without a
publication date, gives no year: the check then says so instead of using the store's latest year.

One inference stands in for a missing publication date: a text about 내년 예산 that compares it with one
explicit year (``2014년 대비 … 증가``) was written in that year (its 내년 is the year after).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any, Final

__all__ = ["YearCue", "YearFinding", "find_budget_year"]

_BUDGET: Final = r"(?:[가-힣·]{0,8}예산|추경|추가경정|살림|[가-힣]{0,10}기금)"
#: Words that may stand between a year and its budget: a government, an edition (제2회), a stage.
_BETWEEN: Final = (
    r"(?:\s*(?:제\s*\d{1,2}\s*회|[가-힣]{1,10}(?:특별자치시|특별자치도|특별시|광역시|[시도군구부처청])|정부|중앙정부|국가"
    r"|[가-힣]{1,10}(?:본부|실|국)|[가-힣·]{0,10}회계|소관|당초|최종|본|수정|전체|총|세출))"
)
_EXPLICIT: Final = re.compile(
    rf"((?:19|20)\d\d)\s*(?:년도|년|회계연도)(?=[\s예본추살제])(?:{_BETWEEN}){{0,4}}\s*{_BUDGET}"
)
_RELATIVE: Final = re.compile(rf"(내년도|내년|새해|올해|금년도|금년)(?:{_BETWEEN}){{0,4}}\s*{_BUDGET}")
#: After a cue: it is the base of a comparison, not the budget the article is about.
_COMPARED: Final = re.compile(
    r"[가-힣]*\s*(?:\([^()]{0,30}\)\s*)?(?:[0-9][0-9조억만천백원,.\s]{0,24})?"
    r"(?:보다|대비|에\s*비해|에\s*비하여|와\s*비교|과\s*비교)"
)
#: ``2014년 대비``, ``2014년보다``: a year as the base of a comparison.
_BASE_YEAR: Final = re.compile(r"((?:19|20)\d\d)\s*년도?\s*(?:보다|대비|에\s*비해)")


@dataclass(frozen=True)
class YearCue:
    text: str
    start: int
    end: int
    year: int | None  # None: a relative cue without a publication date (or the base year below)
    where: str = "text"  # "text" (positions into the text checked) or "title"
    note: str = ""  # "base year: the year written in": a comparison base standing for a missing date

    def as_dict(self) -> dict[str, Any]:
        return {"text": self.text, "where": self.where, "start": self.start, "end": self.end, "year": self.year,
                "note": self.note}  # fmt: skip


@dataclass(frozen=True)
class YearFinding:
    """The fiscal year (or None), the cues that gave it, and the publication date they were read with."""

    year: int | None
    cues: tuple[YearCue, ...]
    published: date | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "published": self.published.isoformat() if self.published else None,
            "cues": [c.as_dict() for c in self.cues],
        }


def _relative_year(word: str, published: date | None) -> int | None:
    if published is None:
        return None
    if word.startswith("내년"):
        return published.year + 1
    if word == "새해":
        return published.year + 1 if published.month >= 9 else published.year
    return published.year


def _this_year(text: str) -> tuple[int, re.Match[str]] | None:
    """Without a publication date: the year a text about *next* year's budget compares with (``2014년 대비``),
    which is then the year it was written in; None unless every such base is the same year."""
    bases = list(_BASE_YEAR.finditer(text))
    years = {int(m.group(1)) for m in bases}
    if len(years) != 1 or not _RELATIVE.search(text) or not re.search(r"내년", text):
        return None
    return years.pop(), bases[0]


def find_budget_year(text: str, published: date | None) -> YearFinding:
    """The fiscal year ``text``'s budget is (see the module docstring)."""
    cues: list[YearCue] = []
    if published is None and (base := _this_year(text)) is not None:
        published = date(base[0], 12, 31)
        cues.append(YearCue(base[1].group(), base[1].start(), base[1].end(), None, "base year: the year written in"))
    for pattern in (_EXPLICIT, _RELATIVE):
        for match in pattern.finditer(text):
            if _COMPARED.match(text, match.end()):
                continue
            if match.start() > 0 and re.match(r"[가-힣0-9]", text[match.start() - 1]):
                continue  # 전년도 …, 12026년 …: part of another word or number
            word = match.group(1)
            year = int(word) if word.isdigit() else _relative_year(word, published)
            cues.append(YearCue(match.group(), match.start(), match.end(), year))
    cues.sort(key=lambda c: c.start)
    years = Counter(c.year for c in cues if c.year is not None)
    if not years:
        return YearFinding(None, tuple(cues), published)
    first = {c.year: c.start for c in reversed(cues) if c.year is not None}
    best = max(years, key=lambda y: (years[y], -first[y]))
    return YearFinding(best, tuple(cues), published)
