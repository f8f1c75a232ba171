"""How alike two budget subjects are: what an article says the money is for vs a name in the data.

Both are compared in ``yesan.query.korean.normalize``'s compact form (no spaces or punctuation), after
dropping years, particles, the government's names and the words every budget subject shares
(``GENERIC_WORDS``: 예산, 사업비, 규모, 올해, 늘어난 …; ``TOTAL_WORDS``: 총계, 살림 …). A data name with
a parenthesis (``AI 연구·서비스 지원(국내외 연구기관 협력)``) is tried whole, without the parenthesis and
as the parenthesis alone. The score (0–1):

* one contains the other: 0.5–1.0 by how much of the longer one it covers (a two-syllable name
  inside a longer one: 0.3–0.7);
* otherwise syllable-bigram overlap: the mean of Dice and the overlap coefficient, with
  synonyms (``yesan.query.korean.SYNONYMS``: 어르신 = 노인 …) tried on the article's side; a synonym of
  one sense only (AI = 인공지능) only when the data name is in that sense (not ``AI 긴급방역``).

A data name that covers little of an article subject listing several things (``A, B 등 C``) is a
*part* of it (``Similarity.partial``): its figure cannot confirm or refute the article's total.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from yesan.query.korean import bigrams, normalize, strip_particle, synonyms

__all__ = ["GENERIC_WORDS", "TOTAL_WORDS", "Similarity", "alternates", "compact", "is_generic", "similarity"]

#: Words that say "budget", "change" or "when" rather than what the money is for; dropped before comparing
#: (whole words, after a trailing particle is dropped).
GENERIC_WORDS: Final = frozenset(
    {
        *("예산", "예산안", "본예산", "예산액", "세출", "세출예산", "사업", "사업비", "재원", "규모", "금액", "액수"),
        *("수준", "총액", "총", "전체", "편성", "투입", "배정", "관련", "확정", "최종", "당초", "정부안"),
        *("올해", "내년", "내년도", "새해", "지난해", "전년", "전년도", "작년", "금년", "올", "이번"),
        *(
            "증가분",
            "감소분",
            "증감",
            "증가",
            "증액",
            "감액",
            "감소",
            "늘어",
            "늘어난",
            "늘린",
            "늘었다",
            "상향",
            "하향",
            "상승",
        ),
        *("줄어든", "줄인", "삭감", "소폭", "조정", "조정된", "많은", "적은", "대비", "보다", "비해", "대비해"),
        *("제출한", "제출", "의결", "의결한", "통과", "시", "등", "및", "중", "그", "이", "해당"),
        *("시가", "시는", "시의", "시와", "시도", "군은", "군의", "구는", "구의"),
    }
)
#: Words that name a government's overall budget (총계) when nothing more specific is said.
TOTAL_WORDS: Final = frozenset({"총계", "총예산", "총규모", "예산총액", "전체예산", "살림", "살림살이"})
#: Endings that make a word generic-plus-something (``복지예산`` → 복지, ``동행사업`` → 동행).
_GENERIC_ENDINGS: Final = (
    "예산안",
    "예산액",
    "예산",
    "사업비",
    "사업",
    "규모",
    "금액",
    "재원",
    "증가분",
    "감소분",
    "증액",
    "감액",
)
#: Spellings made equal before comparing (article → data).
_EQUIVALENTS: Final = (("합한", "합계"), ("합친", "합계"), ("합산", "합계"), ("더한", "합계"))
_YEAR: Final = re.compile(r"(?:19|20)[0-9]{2}(?:\s*년도?)?")  # not the 도 of "2027년 도서관"
_SPLIT: Final = re.compile(r"[\s,·・()\[\]{}/:;'\"‘’“”…~+]+")
_PAREN: Final = re.compile(r"\(([^()]*)\)")
_LIST_MARK: Final = re.compile(r",|、| 및 |등\s")
#: A data name covering less than this share of a listing subject is only a part of it.
PART_COVERAGE: Final = 0.5


@dataclass(frozen=True)
class Similarity:
    score: float
    partial: bool = False  # the data name is one of several things the article's subject lists


def _word(token: str, government_names: tuple[str, ...]) -> str:
    """One word of a subject without its particle, government name and generic ending ("" if nothing is left)."""
    word = normalize(token)
    if word not in GENERIC_WORDS:
        word = strip_particle(word) or word
    for name in sorted(government_names, key=len, reverse=True):
        key = normalize(name)
        if key and word.startswith(key) and len(word) > len(key) + 1:
            word = word[len(key) :]
            break
    if word in GENERIC_WORDS or word in TOTAL_WORDS or normalize(token) in GENERIC_WORDS:
        return ""
    if any(normalize(name) == word for name in government_names):
        return ""
    for ending in _GENERIC_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 2:
            return word[: -len(ending)]
    if word.startswith("총") and len(word) >= 3 and word[1:] in GENERIC_WORDS:
        return ""
    return word


@lru_cache(maxsize=8192)
def compact(text: str, *, government_names: tuple[str, ...] = ()) -> str:
    """``text`` normalised: years, particles, government names and ``GENERIC_WORDS`` dropped, words joined."""
    cleaned = _YEAR.sub(" ", text)
    for source, target in _EQUIVALENTS:
        cleaned = cleaned.replace(source, target)
    words = [_word(token, government_names) for token in _SPLIT.split(cleaned) if token]
    return "".join(word for word in words if word)


def is_generic(text: str | None, *, government_names: tuple[str, ...] = ()) -> bool:
    """Whether a subject says nothing beyond "the budget" (``내년 예산안``, ``서울시 예산 규모``)."""
    if not text:
        return True
    return len(compact(text, government_names=government_names)) < 2


def alternates(name: str) -> list[str]:
    """The ways a data name is compared: whole, without its parenthesis, the parenthesis alone."""
    inner = _PAREN.findall(name)
    outer = _PAREN.sub(" ", name).strip()
    if ":" in outer:  # 분야·부문: 공원·환경 → 공원·환경 (the label before the colon is not the subject)
        name = outer = outer.rsplit(":", 1)[1].strip()
    found = [name]
    if outer and outer != name:
        found.append(outer)
    found.extend(part for part in inner if len(part.strip()) >= 2 and ":" not in part)
    return list(dict.fromkeys(found))


def _bigram_score(a: str, b: str) -> float:
    grams_a, grams_b = set(bigrams(a)), set(bigrams(b))
    if not grams_a or not grams_b:
        return 0.0
    common = len(grams_a & grams_b)
    dice = 2 * common / (len(grams_a) + len(grams_b))
    overlap = common / min(len(grams_a), len(grams_b))
    return (dice + overlap) / 2


def _pair(article: str, data: str, listing: bool) -> Similarity:
    if not article or not data:
        return Similarity(0.0)
    if article == data:
        return Similarity(1.0)
    if data in article:
        coverage = len(data) / len(article)
        partial = listing and coverage < PART_COVERAGE
        return Similarity(_contained(len(data), coverage), partial)
    if article in data:
        return Similarity(_contained(len(article), len(article) / len(data)))
    return Similarity(_bigram_score(article, data))


def _contained(length: int, coverage: float) -> float:
    """One name inside the other: more when it covers more of it; a two-syllable name says little."""
    return 0.5 + 0.5 * coverage if length >= 3 else 0.3 + 0.4 * coverage


def similarity(article_subject: str, data_name: str, *, government_names: tuple[str, ...] = ()) -> Similarity:
    """How alike an article's subject and a data name are (see the module docstring)."""
    listing = _LIST_MARK.search(article_subject) is not None
    article = compact(article_subject, government_names=government_names)
    if len(article) < 2:
        return Similarity(0.0)
    best = Similarity(0.0)
    for alternate in alternates(data_name):
        data = compact(alternate, government_names=government_names)
        # synonyms of one sense only where the data name has that sense: 인공지능 ≠ the AI of "AI 긴급방역"
        for variant in [article, *synonyms(article, limit=4, context=data)]:
            found = _pair(variant, data, listing)
            if variant is not article:
                found = Similarity(found.score * 0.95, found.partial)
            if found.score > best.score or (found.score == best.score and best.partial and not found.partial):
                best = found
    return best
