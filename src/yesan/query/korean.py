"""Korean text helpers for search: normalisation, particles, n-grams, synonyms and typo patterns.

Item names are compared in a *normalised* form: NFKC, lower case, with every space, bracket and
punctuation mark removed, so ``청년 일자리 지원(국비)`` becomes ``청년일자리지원국비``. Hangul is
matched by syllable bigrams over that form; Latin words and numbers (``AI``, ``CCTV``, ``2026``) are
matched as whole tokens taken from the name *before* spaces and punctuation are dropped, so ``AI``
finds ``AI·IoT 기반`` and ``AI활용`` but not ``HIV/AIDS``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Final

_DROP_RE: Final = re.compile(r"[\W_]+")
_TOKEN_RE: Final = re.compile(r"[a-z]+|[0-9]+")
_LATIN_ONLY_RE: Final = re.compile(r"[a-z0-9]+")
_HANGUL_RE: Final = re.compile(r"[가-힣]")

#: Particles (조사) and similar endings dropped from the end of a query word when the whole word is
#: not found, so ``어르신의`` searches ``어르신`` and ``노인들에게`` searches ``노인``. Longest first.
PARTICLES: Final[tuple[str, ...]] = tuple(
    sorted(
        (
            "들에게",
            "에게서",
            "으로서",
            "으로써",
            "에서는",
            "에서의",
            "으로의",
            "에게",
            "에서",
            "으로",
            "로서",
            "로써",
            "까지",
            "부터",
            "처럼",
            "보다",
            "이랑",
            "하고",
            "에는",
            "에도",
            "와의",
            "과의",
            "들의",
            "들을",
            "들이",
            "들은",
            "은",
            "는",
            "이",
            "가",
            "을",
            "를",
            "의",
            "에",
            "로",
            "와",
            "과",
            "도",
            "만",
            "및",
            "들",
            "께",
            "랑",
        ),
        key=len,
        reverse=True,
    )
)

#: Groups of words that mean the same in budget item names. A query word (or a part of one) in a
#: group also finds the other members, ranked just below exact matches. Written as people spell
#: them; they are normalised when used. Groups whose words mean the same only in one sense of a
#: homonym are in ``SENSED_SYNONYMS``.
SYNONYMS: Final[tuple[tuple[str, ...], ...]] = (
    ("CCTV", "폐쇄회로"),
    ("R&D", "연구개발"),
    ("ICT", "정보통신기술"),
    ("SOC", "사회기반시설", "사회간접자본"),
    ("ASF", "아프리카돼지열병"),
    ("ESG", "환경사회지배구조"),
    ("DMZ", "비무장지대"),
    ("IoT", "사물인터넷"),
    ("어르신", "노인", "고령자", "시니어"),
    ("독거노인", "홀몸노인", "홀로어르신", "독거어르신"),
    ("저출산", "저출생"),
    ("임산부", "임신부"),
    ("장애인", "장애우"),
    ("폐기물", "쓰레기"),
    ("전통시장", "재래시장"),
    ("전기차", "전기자동차"),
    ("수소차", "수소자동차"),
    ("드론", "무인비행장치", "무인기"),
    ("LED", "엘이디"),
    ("WiFi", "와이파이", "무선인터넷"),
    ("반려동물", "애완동물"),
    ("농업인", "농민"),
    ("어업인", "어민"),
    ("체육", "스포츠"),
    ("코로나", "COVID"),
    ("소상공인", "자영업자"),
    ("어린이", "아동"),
    ("일자리", "고용"),
)


@dataclass(frozen=True)
class Sense:
    """One sense of a homonym, recognised from the other words of a name.

    A name is in the sense when its normalised form contains one of ``cues`` and none of ``against``
    (words that settle the other sense, e.g. ``인공지능`` or ``기반`` for AI the technology).
    """

    name: str
    cues: tuple[str, ...]
    against: tuple[str, ...] = ()

    def holds(self, normalized_name: str) -> bool:
        """Whether a normalised name reads in this sense."""
        return any(cue in normalized_name for cue in self.cues) and not any(
            word in normalized_name for word in self.against
        )


#: AI in livestock and disease items is avian influenza (조류인플루엔자): ``고병원성 AI 긴급방역``,
#: ``구제역 및 AI 예방약품``, ``AI 현장검사비``. Cues are the words of animal-disease control; a name that
#: also says 인공지능 or 기반/플랫폼/데이터… (``인공지능(AI) 기반 가축 이상 징후 탐지``) is technology.
ANIMAL_DISEASE: Final = Sense(
    "animal_disease",
    cues=(
        *("방역", "구제역", "병원성", "전염병", "질병", "백신", "예방약품", "약품", "인플루엔자", "조류독감"),
        *("살처분", "가금", "asf", "돼지열병", "소독", "차단", "통제초소", "휴지기", "시료채취", "현장활동"),
        *("검사", "진단", "사육제한", "발생대비", "오리", "산란계", "철새", "상황실"),
    ),
    against=(
        *("인공지능", "기반", "빅데이터", "데이터", "플랫폼", "디지털", "스마트", "로봇", "소프트웨어"),
        *("챗봇", "스피커", "돌봄", "안부", "고독사", "학습", "교육", "창업", "서비스", "솔루션", "반도체"),
    ),
)


@dataclass(frozen=True)
class SensedGroup:
    """Words that mean the same only where a name is (``inside``) or is not in ``sense``."""

    words: tuple[str, ...]
    sense: Sense
    inside: bool

    def applies(self, normalized_name: str) -> bool:
        return self.sense.holds(normalized_name) == self.inside


#: Synonyms that hold in one sense only: AI = 인공지능 outside animal-disease items, AI = 조류인플루엔자
#: (조류독감) inside them. ``yesan search 인공지능`` thus finds ``AI 기반 …`` but not ``AI 긴급방역``.
SENSED_SYNONYMS: Final[tuple[SensedGroup, ...]] = (
    SensedGroup(("AI", "인공지능"), ANIMAL_DISEASE, inside=False),
    SensedGroup(("AI", "조류인플루엔자", "조류독감"), ANIMAL_DISEASE, inside=True),
)


def fold(text: str) -> str:
    """NFKC and lower case: the form Latin tokens are taken from."""
    return unicodedata.normalize("NFKC", text).lower()


def normalize(text: str) -> str:
    """The compact form names are matched in: folded, without spaces, punctuation or symbols."""
    return _DROP_RE.sub("", fold(text))


def latin_tokens(text: str) -> list[str]:
    """Latin words and numbers of ``text`` (folded), in order: ``AI·IoT 2026`` → ai, iot, 2026."""
    return _TOKEN_RE.findall(fold(text))


def is_latin(term: str) -> bool:
    """Whether a normalised term is only Latin letters and digits (matched as whole tokens)."""
    return _LATIN_ONLY_RE.fullmatch(term) is not None


def has_hangul(text: str) -> bool:
    return _HANGUL_RE.search(text) is not None


def bigrams(term: str) -> list[str]:
    """Adjacent character pairs of a normalised term: ``경로당`` → 경로, 로당."""
    return [term[i : i + 2] for i in range(len(term) - 1)]


def skip_bigrams(term: str) -> list[str]:
    """Characters two apart (one skipped): ``경로당`` → 경당. They let a wrong syllable match."""
    return [term[i] + term[i + 2] for i in range(len(term) - 2)]


#: Query words that are only a particle or conjunction (``노인 및 장애인``) are dropped from longer queries.
STOP_WORDS: Final = frozenset({"및", "의", "등", "과", "와", "을", "를", "이", "가", "은", "는", "에", "도", "또는"})


def query_terms(query: str) -> list[str]:
    """The normalised words of a query, split where the query has spaces; empty words and (when
    other words remain) ``STOP_WORDS`` dropped."""
    terms = [term for term in (normalize(word) for word in query.split()) if term]
    kept = [term for term in terms if term not in STOP_WORDS]
    return kept or terms


def strip_particle(term: str) -> str | None:
    """``term`` without a trailing particle, if at least two syllables remain; else ``None``."""
    for particle in PARTICLES:
        if term.endswith(particle) and len(term) - len(particle) >= 2:
            return term[: -len(particle)]
    return None


def _synonym_groups(groups: Iterable[tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    table: dict[str, tuple[str, ...]] = {}
    for group in groups:
        members = tuple(dict.fromkeys(normalize(word) for word in group))
        for member in members:
            table[member] = tuple(dict.fromkeys((*table.get(member, ()), *(m for m in members if m != member))))
    return table


#: English words for what budget item names say in Korean, so an English query finds them
#: (``library`` → 도서관). Names in the data are Korean; these are one-way in practice.
ENGLISH: Final[tuple[tuple[str, ...], ...]] = (
    ("library", "도서관"),
    ("youth", "청년"),
    ("elderly", "노인", "어르신"),
    ("senior", "시니어", "노인", "어르신"),
    ("child", "아동", "어린이"),
    ("children", "아동", "어린이"),
    ("childcare", "보육"),
    ("daycare", "어린이집"),
    ("dementia", "치매"),
    ("disabled", "장애인"),
    ("disability", "장애인"),
    ("welfare", "복지"),
    ("health", "보건", "건강"),
    ("hospital", "병원"),
    ("parking", "주차"),
    ("park", "공원"),
    ("road", "도로"),
    ("bridge", "교량"),
    ("river", "하천"),
    ("port", "항만"),
    ("harbor", "항만"),
    ("railway", "철도"),
    ("bus", "버스"),
    ("taxi", "택시"),
    ("bicycle", "자전거"),
    ("drone", "드론"),
    ("smart", "스마트"),
    ("city", "시티", "도시"),
    ("village", "마을"),
    ("housing", "주거", "주택"),
    ("job", "일자리"),
    ("jobs", "일자리"),
    ("startup", "창업"),
    ("farm", "농장", "팜"),
    ("agriculture", "농업"),
    ("fishery", "어업", "수산"),
    ("forest", "산림", "숲"),
    ("wildfire", "산불"),
    ("fire", "소방", "화재"),
    ("disaster", "재난"),
    ("safety", "안전"),
    ("environment", "환경"),
    ("waste", "폐기물", "쓰레기"),
    ("sewage", "하수"),
    ("water", "상수도", "수도"),
    ("energy", "에너지"),
    ("solar", "태양광"),
    ("hydrogen", "수소"),
    ("tourism", "관광"),
    ("festival", "축제"),
    ("culture", "문화"),
    ("museum", "박물관"),
    ("school", "학교"),
    ("education", "교육"),
    ("market", "시장"),
    ("pet", "반려동물"),
    ("vaccine", "백신"),
    ("population", "인구"),
)

SYNONYM_TABLE: Final[dict[str, tuple[str, ...]]] = _synonym_groups((*SYNONYMS, *ENGLISH))


def _sensed_table(groups: Iterable[SensedGroup]) -> dict[str, tuple[tuple[str, SensedGroup], ...]]:
    table: dict[str, tuple[tuple[str, SensedGroup], ...]] = {}
    for group in groups:
        members = tuple(dict.fromkeys(normalize(word) for word in group.words))
        for member in members:
            table[member] = (*table.get(member, ()), *((m, group) for m in members if m != member))
    return table


SENSED_TABLE: Final = _sensed_table(SENSED_SYNONYMS)


def _replacements(term: str, table: dict[str, tuple[Any, ...]]) -> list[tuple[str, Any]]:
    """(member, other) pairs of ``table`` whose member is ``term`` or a part of it (Latin: a whole word)."""
    found: list[tuple[str, Any]] = [(term, other) for other in table.get(term, ())]
    for member, others in table.items():
        if member == term or member not in term:
            continue
        if is_latin(member) and not _latin_word_in(member, term):
            continue
        found.extend((member, other) for other in others)
    return found


def sensed_synonyms(term: str, *, limit: int = 12) -> list[tuple[str, SensedGroup | None]]:
    """Other spellings of a normalised term, each with the sense a name must have for it to hold
    (``None``: in any name). See ``synonyms`` for how parts of a term are replaced."""
    found: list[tuple[str, SensedGroup | None]] = []
    for member, other in _replacements(term, SYNONYM_TABLE):
        found.append((term.replace(member, other) if member != term else other, None))
    for member, (other, group) in _replacements(term, SENSED_TABLE):
        found.append((term.replace(member, other) if member != term else other, group))
    seen: dict[str, SensedGroup | None] = {}
    for word, group in found:
        if word and word != term and (word not in seen or group is None):
            seen[word] = group
    return list(seen.items())[:limit]


def synonyms(
    term: str,
    *,
    table: dict[str, tuple[str, ...]] = SYNONYM_TABLE,
    limit: int = 12,
    context: str | None = None,
) -> list[str]:
    """Other spellings of a normalised term: the whole term's synonyms, then ``term`` with a synonym
    replacing a part of it (``노인복지`` → ``어르신복지``). A Latin-only part is replaced only when it
    is a whole word of ``term`` (``ai`` in ``ai돌봄``, not in ``maintenance``).

    Synonyms of one sense only (``SENSED_SYNONYMS``) are included when ``context`` (the normalised name
    the term is compared with) is in that sense, or when no ``context`` is given: ``synonyms("인공지능",
    context="ai긴급방역")`` has no ``ai``.
    """
    found: list[str] = []
    for member, other in _replacements(term, table):
        found.append(term.replace(member, other) if member != term else other)
    if table is SYNONYM_TABLE:
        for member, (other, group) in _replacements(term, SENSED_TABLE):
            if context is None or group.applies(context):
                found.append(term.replace(member, other) if member != term else other)
    unique = [word for word in dict.fromkeys(found) if word and word != term]
    return unique[:limit]


def korean_terms(query: str, *, table: dict[str, tuple[str, ...]] = SYNONYM_TABLE) -> dict[str, list[str]]:
    """For each Latin word of ``query`` that the synonym table knows, its Korean members: ``AI`` → 인공지능.

    Item names are Korean; this is what to suggest when a query in Latin letters finds nothing.
    """
    found: dict[str, list[str]] = {}
    for word in query.split():
        term = normalize(word)
        if not term or has_hangul(term):
            continue
        korean = [other for other in table.get(term, ()) if has_hangul(other)]
        if table is SYNONYM_TABLE:  # words of one sense only (AI = 인공지능, AI = 조류인플루엔자) are offered too
            korean += [other for other, _group in SENSED_TABLE.get(term, ()) if has_hangul(other)]
        korean = list(dict.fromkeys(korean))
        if korean:
            found[word] = korean
    return found


def _latin_word_in(word: str, term: str) -> bool:
    return any(token == word for token in _TOKEN_RE.findall(term))


_SYLLABLE_FIRST: Final = 0xAC00
_SYLLABLE_LAST: Final = 0xD7A3
_CHOSEONG_FIRST: Final = 0x1100  # NFKC turns the compatibility jamo a person types (ㄱ, U+3131) into these
_CHOSEONG_LAST: Final = 0x1112


def is_chosung(term: str) -> bool:
    """Whether a normalised term is only initial consonants (초성), at least two: ``ㄱㄹㄷ``."""
    return len(term) >= 2 and all(_CHOSEONG_FIRST <= ord(char) <= _CHOSEONG_LAST for char in term)


def chosung(text: str) -> str:
    """``text`` with every Hangul syllable replaced by its initial consonant (in the NFKC form of a
    query's ``ㄱ``), other characters kept, so positions line up: ``경로당1`` → ``ᄀᄅᄃ1``."""
    return "".join(
        chr(_CHOSEONG_FIRST + (ord(char) - _SYLLABLE_FIRST) // 588)
        if _SYLLABLE_FIRST <= ord(char) <= _SYLLABLE_LAST
        else char
        for char in text
    )


def typo_patterns(term: str) -> list[tuple[str | None, ...]]:
    """Every spelling one syllable away from ``term``, as sequences of characters with ``None`` for
    "any one character": a wrong syllable, a missing syllable and an extra one.

    Short words are fuzzy only inside: for three syllables the first and last must be right
    (``경?당``, ``경당``, ``경?로당``, ``경로?당``), otherwise ``경로?`` would find every ``경로``.
    Terms shorter than three characters get no patterns.
    """
    n = len(term)
    if n < 3:
        return []
    edge = 0 if n >= 4 else 1  # first position that may change
    chars: list[str | None] = list(term)
    patterns: list[tuple[str | None, ...]] = []
    for i in range(edge, n - edge):  # wrong syllable
        patterns.append((*chars[:i], None, *chars[i + 1 :]))
    for i in range(edge, n - edge):  # a syllable missing from the name
        if n - 1 >= 3 or (0 < i < n - 1):
            patterns.append((*chars[:i], *chars[i + 1 :]))
    for i in range(1, n):  # an extra syllable in the name
        patterns.append((*chars[:i], None, *chars[i:]))
    return list(dict.fromkeys(patterns))


def pattern_grams(pattern: tuple[str | None, ...]) -> tuple[list[str], list[str]]:
    """The bigrams and skip-bigrams every name matching ``pattern`` must contain."""
    pairs: list[str] = []
    skips: list[str] = []
    for i in range(len(pattern) - 1):
        a, b = pattern[i], pattern[i + 1]
        if a is not None and b is not None:
            pairs.append(a + b)
        elif a is not None and b is None and i + 2 < len(pattern):
            c = pattern[i + 2]
            if c is not None:
                skips.append(a + c)
    return pairs, skips


def pattern_regex(pattern: tuple[str | None, ...]) -> str:
    """A regular expression (RE2 and Python syntax) for one typo pattern."""
    return "".join("." if char is None else re.escape(char) for char in pattern)


__all__ = [
    "ANIMAL_DISEASE",
    "ENGLISH",
    "PARTICLES",
    "SENSED_SYNONYMS",
    "SENSED_TABLE",
    "STOP_WORDS",
    "SYNONYMS",
    "SYNONYM_TABLE",
    "Sense",
    "SensedGroup",
    "bigrams",
    "chosung",
    "fold",
    "has_hangul",
    "is_chosung",
    "is_latin",
    "korean_terms",
    "latin_tokens",
    "normalize",
    "pattern_grams",
    "pattern_regex",
    "query_terms",
    "sensed_synonyms",
    "skip_bigrams",
    "strip_particle",
    "synonyms",
    "typo_patterns",
]
