"""Noun phrases of Korean sentences, over Kiwi tokens: where they start and end, and clauses.

A noun phrase runs over nouns, numbers, Latin letters, 의, 와/과, 및, ·, quotes and brackets; it
stops at verbs, other particles, superlatives (역대 최대), 등/중 ("A 등 B" is B), dates and counters
after a number ("두 차례"). A clause ends at a connective ending, a comma, or the 등 of "…하는 등".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from yesan.claims.article.morph import (
    CONTENT,
    COUNTERS_AFTER_NUMBER,
    GENERIC_MONEY,
    NOUNISH,
    STOP_NOUNS,
    TIME_WORDS,
    Token,
)

__all__ = [
    "Phrase",
    "SentenceView",
    "clause_start",
    "content_tokens",
    "ends_clause",
    "is_boundary",
    "is_generic",
    "np_left",
    "np_right",
    "span",
]


@dataclass(frozen=True)
class Phrase:
    """A stretch of a sentence (character offsets into it) and its tokens."""

    start: int
    end: int
    tokens: tuple[Token, ...]
    how: str
    core: tuple[Token, ...] = ()  # the noun phrase itself, without a modifying clause added in front

    @property
    def head(self) -> tuple[Token, ...]:
        return self.core or self.tokens

    def text(self, sentence: str) -> str:
        return sentence[self.start : self.end].strip()


@dataclass(frozen=True)
class SentenceView:
    """One sentence, its tokens, and which tokens belong to which money figure."""

    text: str
    tokens: list[Token]
    figures: list[tuple[int, int]]  # per figure: first and last token index (inclusive); (-1, -1) if none
    blocked: frozenset[int]

    @staticmethod
    def build(text: str, tokens: list[Token], spans: list[tuple[int, int]]) -> SentenceView:
        figures: list[tuple[int, int]] = []
        blocked: set[int] = set()
        for start, end in spans:
            inside = [k for k, t in enumerate(tokens) if t.start < end and t.end > start]
            figures.append((inside[0], inside[-1]) if inside else (-1, -1))
            blocked.update(inside)
        return SentenceView(text, tokens, figures, frozenset(blocked))


_JOINERS: Final = frozenset({"JKG", "JC", "SP", "SO", "SW", "MAJ"})
_JOINER_FORMS: Final = frozenset(
    {"의", "와", "과", "및", "·", "/", "-", "~", "∼", "&", "+", "ㆍ", "이나", "나", "또는"}
)
_BOUNDARY_TAGS: Final = frozenset({"EC", "EF", "SF", "SE"})


def is_boundary(t: Token) -> bool:
    return t.tag in _BOUNDARY_TAGS or (t.tag == "SP" and t.form == ",")


def ends_clause(tokens: list[Token], j: int) -> bool:
    """Token ``j`` ends a clause: a connective ending, a comma, or the 등 of "…를 증액하는 등"."""
    t = tokens[j]
    return is_boundary(t) or (t.form == "등" and t.tag == "NNB" and j > 0 and tokens[j - 1].tag == "ETM")


def _matching_open(tokens: list[Token], close: int, lo: int) -> int | None:
    depth = 0
    for k in range(close, lo - 1, -1):
        if tokens[k].tag == "SSC":
            depth += 1
        elif tokens[k].tag == "SSO":
            depth -= 1
            if depth == 0:
                return k
    return None


#: Tags a written word may not be walked back over: punctuation, brackets, bullets, particles, clause endings.
_WORD_BREAKS: Final = frozenset({"SW", "SSO", "SSC", "SF", "SE", "SO", "EC", "EF"})


def _glued(before: Token, after: Token) -> bool:
    """Two tokens of one written word (Kiwi's ᆫ/ᆷ endings overlap the syllable before them)."""
    return before.end >= after.start


def _glued_word_start(view: SentenceView, j: int, lo: int) -> int | None:
    """The first token of the written word that token ``j`` ends, glued to the phrase after it, when that word
    starts with a noun and holds no amount, punctuation, particle or clause ending (Kiwi splits "그린리모델링"
    into 그리/VV ᆫ/ETM 리모델링 and "1,2호선" at the comma); None otherwise."""
    tokens = view.tokens
    if not _glued(tokens[j], tokens[j + 1]) or tokens[j + 1].tag not in (*CONTENT, "SN"):
        return None
    k = j
    while k > lo and _glued(tokens[k - 1], tokens[k]) and tokens[k - 1].tag not in _WORD_BREAKS:
        k -= 1  # back to the word's start, or to the bullet or bracket glued to it
    for m in range(k, j + 1):
        t = tokens[m]
        if m in view.blocked or t.tag in _WORD_BREAKS or t.tag.startswith("J") or (t.tag == "SP" and t.form != ","):
            return None
    while k <= j and tokens[k].form in STOP_NOUNS:
        k += 1  # "최대복지예산": a superlative glued in front is no part of the name ("선천성이상아" keeps 이상)
    if k > j:
        return None
    if tokens[k].tag in CONTENT:
        return k
    # Kiwi's "그리/VV ᆫ/ETM 리모델링": a modifier glued to the noun it modifies is a syllable of one noun
    return k if j == k + 1 and tokens[k].tag in ("VV", "VA") and tokens[j].tag == "ETM" else None


def _nominalised_word(view: SentenceView, j: int, lo: int) -> int | None:
    """The first token of the word that token ``j`` ends when that word is a noun made with -ㅁ from a noun and
    a verb ("온기나눔" = 온기/NNG 나누/VV ᆷ/ETN), else None."""
    tokens = view.tokens
    if tokens[j].tag != "ETN" or j - 2 < lo or _glued(tokens[j], tokens[j + 1]):
        return None
    verb = j - 1
    if tokens[verb].tag not in ("VV", "VA") or not _glued(tokens[verb], tokens[j]):
        return None
    k = verb
    while k > lo and _glued(tokens[k - 1], tokens[k]) and tokens[k - 1].tag not in _WORD_BREAKS:
        k -= 1
    if k == verb or any(m in view.blocked or tokens[m].tag not in CONTENT for m in range(k, verb)):
        return None
    return k


def _example_before(view: SentenceView, j: int, lo: int) -> int | None:
    """The first token of the one written word before the 등 or 외 at token ``j`` ("도서관 등 노후시설",
    "가나항 외 3개소", "교육·문화 등 5개 분야"), or None: after an amount or a list ("…억원 등"), or when the
    example is a phrase of its own ("도서관 보수 등 …", which names other work than the program after it)."""
    tokens = view.tokens
    if tokens[j].form not in ("등", "외") or j - 1 < lo or _glued(tokens[j - 1], tokens[j]):
        return None
    k = j - 1
    while (
        k > lo
        and tokens[k - 1].tag not in _WORD_BREAKS
        and (_glued(tokens[k - 1], tokens[k]) or tokens[k].form in ("·", "ㆍ"))
    ):
        k -= 1  # the word (after a bullet glued to it), and words joined to it by a middle dot
    if tokens[k].form in ("·", "ㆍ"):
        return None
    word = tokens[k:j]
    if any(m in view.blocked for m in range(k, j)) or not all(t.tag in CONTENT or t.form in ("·", "ㆍ") for t in word):
        return None
    if k > lo and (tokens[k - 1].tag in NOUNISH or tokens[k - 1].tag == "SSC"):
        return None
    return k


def np_left(view: SentenceView, i: int, lo: int = 0) -> int | None:
    """First token of the noun phrase that ends at token ``i``, or None when none ends there."""
    tokens, blocked = view.tokens, view.blocked
    start: int | None = None
    j = i
    while j >= lo:
        t = tokens[j]
        if j in blocked:
            break
        if start == j + 1 and (word := _glued_word_start(view, j, lo)) is not None:
            start, j = word, word - 1  # "그린리모델링", "선천성이상아": a phrase starts where its written word does
            continue
        if start is not None and (word := _nominalised_word(view, j, lo)) is not None:
            start, j = word, word - 1  # "돌봄 센터", "온기나눔 캠페인": a noun made of a verb is a noun
            continue
        if t.tag == "SSC":
            if t.form in ("]", "】", "〕"):
                break  # "[헤럴드경제=…기자]": a dateline, not part of a name
            k = _matching_open(tokens, j, lo)
            if k is None or any(m in blocked for m in range(k, j + 1)) or tokens[j].end - tokens[k].start > 60:
                break
            start, j = k, k - 1
            continue
        if t.tag == "MM" and start == j + 1 and (t.end == tokens[j + 1].start or t.form == "총"):
            start, j = j, j - 1  # "총 규모"; Kiwi's "세/MM 입": a syllable of the noun read as a determiner
            continue
        if t.tag in NOUNISH:
            if t.form in STOP_NOUNS:
                break
            if t.tag == "NNB" and t.form in ("등", "중", "외") and j != i:
                example = _example_before(view, j, lo)
                if example is None:
                    break
                start = example  # "도서관 등 노후시설 보수": a one-word example names the program with it
                break
            if t.form in ("월", "일") and j > lo and tokens[j - 1].tag == "SN":
                break
            if t.form in COUNTERS_AFTER_NUMBER and j > lo and tokens[j - 1].tag in ("MM", "SN"):
                break
            start, j = j, j - 1
            continue
        if start is not None and j > lo:
            before = tokens[j - 1]
            after = tokens[j + 1]
            nounish_before = before.tag in NOUNISH or before.tag == "SSC"
            joiner = (t.tag in _JOINERS or t.form == "및") and t.form in _JOINER_FORMS
            comitative = (
                t.tag == "JKB" and t.form in ("와", "과") and (after.form == "의" or after.tag in ("NNG", "NNP"))
            )
            # "총규모", and Kiwi's odd "가치/동/행일자리" (a determiner glued inside a word)
            inner = t.tag in ("MM", "XPN") and (t.form == "총" or (before.end == t.start and t.end == after.start))
            genitive_pair = joiner and before.form in ("와", "과") and t.form == "의"
            if ((joiner or comitative or inner) and nounish_before) or genitive_pair:
                start, j = j, j - 1
                continue
        break
    if start is None:
        return None
    if start > 0 and tokens[start - 1].tag == "ETM":
        # "저렴한 비용의 '서울형 안심조리원'": the clause modifies the first noun, which modifies the rest.
        depth = 0
        for k in range(start, i):
            depth += (tokens[k].tag == "SSO") - (tokens[k].tag == "SSC")
            if depth == 0 and tokens[k].form == "의" and tokens[k].tag == "JKG":
                start = k + 1
                break
    while start <= i and (tokens[start].tag in _JOINERS or tokens[start].tag == "JKB" or tokens[start].tag == "NNB"):
        start += 1
    if start <= i and tokens[start].form == "규모" and start < i:
        start += 1
    if start > i or not any(t.tag in CONTENT for t in tokens[start : i + 1]):
        return None
    return start


def np_right(view: SentenceView, k: int, hi: int) -> int | None:
    """Last token of the noun phrase that starts at token ``k``, or None."""
    tokens, blocked = view.tokens, view.blocked
    end: int | None = None
    j = k
    while j <= hi and j not in blocked:
        t = tokens[j]
        if t.tag in NOUNISH and t.form not in STOP_NOUNS:
            end = j
        elif t.tag == "SSO" and t.form != "(":
            close = next((m for m in range(j + 1, hi + 1) if tokens[m].tag == "SSC"), None)
            if close is None:
                break
            end, j = close, close
        elif not (end is not None and t.form in _JOINER_FORMS and t.tag in _JOINERS):
            break
        j += 1
    if end is None or not any(t.tag in CONTENT for t in tokens[k : end + 1]):
        return None
    return end


def span(view: SentenceView, a: int, b: int, how: str) -> Phrase:
    tokens = view.tokens
    return Phrase(tokens[a].start, tokens[b].end, tuple(tokens[a : b + 1]), how)


def content_tokens(phrase: Phrase) -> list[Token]:
    return [t for t in phrase.tokens if t.tag in CONTENT]


def is_generic(phrase: Phrase) -> bool:
    """Only money and time words ("예산", "내년 예산", "총사업비"): another phrase may say what it is for."""
    return all(t.form in GENERIC_MONEY or t.form in TIME_WORDS for t in content_tokens(phrase))


def clause_start(view: SentenceView, i: int) -> int:
    """Index of the first token of the clause that holds token ``i``."""
    k = i
    while k > 0 and not ends_clause(view.tokens, k - 1):
        k -= 1
    while k < i and view.tokens[k].tag in ("MAG", "MAJ", "SP", "SS", "SSO", "SSC", "SW"):
        k += 1
    return k
