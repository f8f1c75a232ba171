"""Noun phrases, and what a money figure is for: the phrase the sentence ties it to, as written.

Korean attaches the purpose of money to the amount in a handful of constructions; they are tried in
this order, and the first that yields a noun phrase wins:

1. a parenthesis: ``돌봄SOS(361억 원)``; ``'서울형 안심조리원'도 신규 추진(28억원)한다`` → the object;
2. apposition: ``복지예산 15조6686억 원``, ``이공계 인재 장학금 90억원``, ``서울시 51조4778억 원``;
3. an adverbial in 에: ``양재 AI 혁신지구 육성에 175억원을 투입``;
4. a budget in 으로: ``2026년도 예산안으로 51조원을 편성``;
5. what follows: ``1919억원 규모의 주택진흥기금``, ``28억 원을 투입해 서울형 안심조리원을``,
   ``51조원 규모로 내년도 예산안을``, ``15조원이 … 동행 사업에 쓰인다``;
6. purpose: ``'한강버스 사업 활성화'를 위해 … 132억원``, ``한강버스 사업과 관련해``;
7. an object set to the amount: ``사업비를 105억원으로 조정``;
8. the topic: ``장애인 공공일자리 예산은 589억 원으로`` (not agents such as 서울시는, 위원회는);
9. ``…를 확대하는데 4조원``, a clause modifying the amount (``중복 계상된 5조원``), a generic apposition.

Noun phrases run leftwards over nouns, numbers, Latin letters, 의, 와/과, ·, quotes and brackets;
they stop at verbs, other particles, superlatives (역대 최대), 등/중 ("A 등 B" is B) and dates.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from yesan.claims.morph import (
    AGENT_WORDS,
    BUDGET_HEADS,
    CONTENT,
    COUNTERS_AFTER_NUMBER,
    GENERIC_MONEY,
    NON_PURPOSE,
    NOUNISH,
    STOP_NOUNS,
    TIME_WORDS,
    Token,
    is_gov,
    is_time,
    words,
)

__all__ = ["Phrase", "SentenceView", "find_subject"]


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
_SKIP_BEFORE: Final = frozenset(
    {"총", "약", "각각", "모두", "무려", "각", "최대", "최소", "연", "연간", "역대", "사상"}
)
#: Nouns that, in "X(금액)하다", are the action and not the thing funded.
_PREDICATE_NOUNS: Final = words(
    "추진 확대 운영 개선 도입 조성 신설 설치 투입 편성 건립 구축 개관 확충 추가 지원 강화 개최 시행 "
    "착수 마련 제공 공급 보강 정비 교체 증설 신규 재투자 추진해 개편 전환 유지"
)
_SEPARATORS: Final = frozenset({":", "：", "…", "-", "–", "—", "=", "→"})
_PER_UNIT: Final = words("당 월 매월 연 연간 하루 1일 분기 편도 왕복 1회")
_BUDGET_OBJECTS: Final = BUDGET_HEADS | {"사업비"}
_USE_VERBS: Final = words("쓰이 투입 배정 편성 사용 들어가 지원 투자 집중 책정 반영")
_SPEND_VERBS: Final = words("투입 투자 들이 들여 쏟 쏟아붓 편성 배정")


def _is_boundary(t: Token) -> bool:
    return t.tag in _BOUNDARY_TAGS or (t.tag == "SP" and t.form == ",")


def _ends_clause(tokens: list[Token], j: int) -> bool:
    """Token ``j`` ends a clause: a connective ending, a comma, or the 등 of "…를 증액하는 등"."""
    t = tokens[j]
    return _is_boundary(t) or (t.form == "등" and t.tag == "NNB" and j > 0 and tokens[j - 1].tag == "ETM")


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


def np_left(view: SentenceView, i: int, lo: int = 0) -> int | None:
    """First token of the noun phrase that ends at token ``i``, or None when none ends there."""
    tokens, blocked = view.tokens, view.blocked
    start: int | None = None
    j = i
    while j >= lo:
        t = tokens[j]
        if j in blocked:
            break
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


def _without_action(view: SentenceView, a: int, b: int) -> int:
    """Drop a trailing action noun from a phrase read rightwards ("공공일자리 마련" → "공공일자리")."""
    tokens = view.tokens
    while b > a and tokens[b].form in _PREDICATE_NOUNS and tokens[b - 1].tag in NOUNISH:
        b -= 1
    return b


def _phrase(view: SentenceView, a: int, b: int, how: str) -> Phrase:
    tokens = view.tokens
    return Phrase(tokens[a].start, tokens[b].end, tuple(tokens[a : b + 1]), how)


def _content(phrase: Phrase) -> list[Token]:
    return [t for t in phrase.tokens if t.tag in CONTENT]


def is_generic(phrase: Phrase) -> bool:
    """Only money words and time words ("예산", "내년 예산"): says nothing about the purpose."""
    return all(t.form in GENERIC_MONEY or t.form in TIME_WORDS for t in _content(phrase))


def _is_agent(phrase: Phrase) -> bool:
    """A government or a person acting ("서울시는", "오 시장은", "위원들은"), not a thing funded."""
    content = [t for t in _content(phrase) if t.form not in TIME_WORDS]
    if not content:
        return True
    if content[-1].form in AGENT_WORDS:
        return True
    return all(is_gov(t) or t.form in AGENT_WORDS for t in content)


def _clause_start(view: SentenceView, i: int) -> int:
    """Index of the first token of the clause that holds token ``i``."""
    k = i
    while k > 0 and not _ends_clause(view.tokens, k - 1):
        k -= 1
    while k < i and view.tokens[k].tag in ("MAG", "MAJ", "SP", "SS", "SSO", "SSC", "SW"):
        k += 1
    return k


def _usable(phrase: Phrase | None) -> bool:
    if phrase is None:
        return False
    content = _content(phrase)
    return bool(content) and not is_time(list(phrase.tokens)) and content[-1].form not in NON_PURPOSE


def _paren_subject(view: SentenceView, first: int, last: int) -> Phrase | None:
    text, tokens = view.text, view.tokens
    fig_start, fig_end = tokens[first].start, tokens[last].end
    open_at = text.rfind("(", 0, fig_start)
    if open_at < 0 or ")" in text[open_at:fig_start]:
        return None
    close_at = text.find(")", fig_end)
    if close_at < 0 or close_at - fig_end > 12 or "(" in text[fig_end:close_at]:
        return None
    before = [k for k, t in enumerate(tokens) if t.end <= open_at]
    # Inside the parenthesis, only what follows the last comma or amount belongs to this figure.
    inner_start = max(open_at + 1, text.rfind(",", open_at, fig_start) + 1)
    inner_start = max([inner_start] + [tokens[k].end for k in view.blocked if open_at < tokens[k].end <= fig_start])
    inner = text[inner_start:fig_start].strip()
    if before:
        p = before[-1]
        t = tokens[p]
        if t.form == "%" or p in view.blocked:
            return _inner(view, inner_start, fig_start, inner)
        a = np_left(view, p)
        if a is not None:
            phrase = _phrase(view, a, p, "paren")
            after = [k for k, t in enumerate(tokens) if t.start > close_at]
            acts = bool(after) and tokens[after[0]].form in ("하", "되") and tokens[after[0]].tag in ("XSV", "VV")
            if acts and tokens[p].form in _PREDICATE_NOUNS:
                obj = _object_before(view, a)
                if obj is not None:
                    return obj
            return phrase
    return _inner(view, inner_start, fig_start, inner)


def _inner(view: SentenceView, start: int, end: int, inner: str) -> Phrase | None:
    """The words inside the parenthesis before the amount ("(회계 간 … 계상된 5조원 제외)")."""
    tokens = tuple(t for t in view.tokens if t.start >= start and t.end <= end)
    if not any(t.tag in CONTENT for t in tokens) or len(inner) < 2:
        return None
    offset = view.text.index(inner, start)
    return Phrase(offset, offset + len(inner), tokens, "paren-inner")


def _object_before(view: SentenceView, a: int) -> Phrase | None:
    """The object (을/를) or topic (은/는/도) of the clause, left of token ``a``."""
    tokens = view.tokens
    for j in range(a - 1, 0, -1):
        t = tokens[j]
        if _is_boundary(t):
            return None
        if (t.tag == "JKO" or (t.tag == "JX" and t.form in ("은", "는", "도", "ᆫ"))) and j - 1 not in view.blocked:
            b = np_left(view, j - 1)
            if b is not None:
                return _phrase(view, b, j - 1, "paren-object")
    return None


def _apposition(view: SentenceView, first: int) -> Phrase | None:
    tokens = view.tokens
    p = first - 1
    while p >= 0 and (
        (tokens[p].form in _SKIP_BEFORE and tokens[p].tag in ("MM", "MAG", "NNG", "XPN"))
        or tokens[p].form in _PER_UNIT
        or (p + 1 < first and tokens[p + 1].form == "당" and tokens[p].tag in ("SN", "NNB", "NNG"))
    ):
        p -= 1  # "총", "역대 최대", "1인당 월": not part of what the money is for
    if p > 0 and tokens[p].form in _SEPARATORS and (tokens[p - 1].tag in NOUNISH or tokens[p - 1].tag == "SSC"):
        p -= 1  # "청년 일자리 지원: 320억원", "관광 인프라 조성 … 210억원"
    if p < 0 or p in view.blocked or not (tokens[p].tag in NOUNISH or tokens[p].tag == "SSC"):
        return None
    a = np_left(view, p)
    if a is None:
        return None
    phrase = _phrase(view, a, p, "apposition")
    return phrase if _content(phrase) and not is_time(list(phrase.tokens)) else None


def _adverbial(view: SentenceView, first: int, forms: tuple[str, ...], heads: frozenset[str] | None) -> Phrase | None:
    """The nearest "NP에" (or "NP으로" with a budget head) left of the figure, in its clause."""
    tokens = view.tokens
    for j in range(first - 1, 0, -1):
        t = tokens[j]
        if _ends_clause(tokens, j):
            return None
        if t.tag == "JKB" and t.form in forms and j - 1 not in view.blocked:
            a = np_left(view, j - 1)
            if a is None:
                continue
            phrase = _phrase(view, a, j - 1, "adverbial")
            content = _content(phrase)
            # "시의회에 제출": a body the budget goes to; "자치구에 50억원씩" is money for the districts
            if not _usable(phrase) or content[-1].form in AGENT_WORDS:
                continue
            if heads is not None and content[-1].form not in heads:
                continue
            return phrase
    return None


def _following(view: SentenceView, last: int) -> Phrase | None:
    tokens = view.tokens
    n = len(tokens)
    k = last + 1
    if k >= n:
        return None
    # "1919억원 규모의 주택진흥기금", "51조원 규모인 예산안", "51조원 규모로 내년도 예산안을"
    if tokens[k].form == "규모" and k + 1 < n:
        nxt = tokens[k + 1]
        m = k + 2 if nxt.form == "의" else k + 3 if nxt.tag == "VCP" else k + 2 if nxt.form in ("로", "으로") else 0
        direct = m == 0 and (nxt.tag in NOUNISH or nxt.tag == "SSO")
        if direct:
            m = k + 1  # a headline: "1조2500억원 규모 제1회 추경안 편성"
        if m and m < n:
            while m < n and tokens[m].tag in ("MAG", "MM"):
                m += 1
            end = np_right(view, m, n - 1) if m < n else None
            object_follows = end is not None and end + 1 < n and tokens[end + 1].tag == "JKO"
            if end is not None and (nxt.form == "의" or nxt.tag == "VCP" or object_follows or direct):
                return _phrase(view, m, _without_action(view, m, end), "following")
    # "15조원이 … 약자와의 동행 사업에 쓰인다"
    if tokens[k].tag == "JKS":
        for j in range(k + 1, n - 1):
            if _is_boundary(tokens[j]) and tokens[j].form != ",":
                break
            if tokens[j].tag == "JKB" and tokens[j].form == "에" and tokens[j + 1].form in _USE_VERBS:
                a = np_left(view, j - 1, k + 1)
                if a is not None:
                    return _phrase(view, a, j - 1, "following")
    # "28억 원을 투입해 서울형 안심조리원(28억 원)을", "4477억 들여 노후 상하수도 정비"
    m = k + 1 if tokens[k].tag == "JKO" else k
    if m < n and tokens[m].form in _SPEND_VERBS:
        m += 1
        while m < n and tokens[m].tag in ("XSV", "EC", "VV", "MAG"):
            m += 1
        end = np_right(view, m, n - 1) if m < n else None
        if end is not None:
            return _phrase(view, m, _without_action(view, m, end), "following")
    return None


def _purpose(view: SentenceView, first: int) -> Phrase | None:
    """ "NP를 위해", "NP를 목표로 한", "NP과 관련해" left of the figure (nearest first)."""
    tokens = view.tokens
    for j in range(first - 1, 1, -1):
        t = tokens[j]
        if t.tag in ("SF",) or (t.tag == "SP" and t.form == ","):
            return None
        marker = None
        if (
            (t.form == "위하" and t.tag == "VV" and tokens[j - 1].tag == "JKO")
            or (
                t.form == "목표"
                and tokens[j - 1].tag == "JKO"
                and j + 1 < len(tokens)
                and tokens[j + 1].form in ("로", "으로")
            )
            or (t.form == "관련" and tokens[j - 1].form in ("와", "과") and tokens[j - 1].tag in ("JKB", "JC"))
        ):
            marker = j - 1
        if marker is not None and marker - 1 not in view.blocked:
            a = np_left(view, marker - 1)
            if a is not None:
                phrase = _phrase(view, a, marker - 1, "purpose")
                if _usable(phrase):
                    return phrase
    return None


def _object_set_to(view: SentenceView, first: int, last: int) -> Phrase | None:
    """ "사업비를 105억원으로 조정", "2026년도 예산안을 총 51조원 규모로 편성"."""
    tokens = view.tokens
    k = last + 1
    if k < len(tokens) and tokens[k].form == "규모":
        k += 1
    if k >= len(tokens) or tokens[k].form not in ("로", "으로"):
        return None
    for j in range(first - 1, 0, -1):
        t = tokens[j]
        if _ends_clause(tokens, j):
            return None
        if t.tag == "JKO" and j - 1 not in view.blocked:
            a = np_left(view, j - 1)
            if a is not None:
                phrase = _phrase(view, a, j - 1, "object")
                if _content(phrase):
                    return phrase
    return None


def _changed_object(view: SentenceView, first: int) -> Phrase | None:
    """ "경로당 냉난방비 지원 예산을 12억원 늘렸다": the object of a change verb."""
    tokens = view.tokens
    p = first - 1
    while p > 0 and tokens[p].tag in ("MAG", "MM"):
        p -= 1
    if p > 0 and tokens[p].tag == "JKO" and p - 1 not in view.blocked:
        a = np_left(view, p - 1)
        if a is not None:
            phrase = _phrase(view, a, p - 1, "object")
            if _usable(phrase):
                return phrase
    return None


def _topic(view: SentenceView, first: int) -> Phrase | None:
    tokens = view.tokens
    for j in range(first - 1, 0, -1):
        t = tokens[j]
        if t.tag == "SF":
            return None
        topical = (t.tag == "JX" and t.form in ("은", "는", "도", "ᆫ")) or (t.tag == "JKS" and t.form in ("이", "가"))
        if not topical or j - 1 in view.blocked:
            continue
        end = j - 1
        if (
            tokens[end].form in ("과", "와")
            and tokens[end].tag in ("JKB", "JC")
            and tokens[end].start == tokens[end - 1].end
        ):
            a = np_left(view, end - 1)  # "첨단산업과는": Kiwi reads the 과 of a department name as a particle
        elif tokens[end].tag in NOUNISH or tokens[end].tag == "SSC":
            a = np_left(view, end)
        else:
            continue
        if a is not None:
            phrase = _phrase(view, a, end, "topic")
            if _usable(phrase) and not _is_agent(phrase):
                return phrase
    return None


def _of_kind(view: SentenceView, last: int) -> Phrase | None:
    """ "월 29만원의 활동비": what the amount is of, when nothing else says what it is for."""
    tokens = view.tokens
    k = last + 1
    if k + 1 < len(tokens) and tokens[k].form == "의" and tokens[k].tag == "JKG":
        end = np_right(view, k + 1, len(tokens) - 1)
        if end is not None:
            return _phrase(view, k + 1, end, "following")
    return None


def _doing(view: SentenceView, first: int) -> Phrase | None:
    """ "기초생활보장을 확대하는데 4조원": the clause before 하는데 says what the money does."""
    tokens = view.tokens
    p = first - 1
    if p >= 3 and tokens[p].form == "데" and tokens[p - 1].tag == "ETM" and tokens[p - 2].form == "하":
        end = p - 3
    elif p >= 2 and tokens[p].tag == "EC" and tokens[p].form in ("는데", "ᆫ데") and tokens[p - 1].form == "하":
        end = p - 2
    else:
        return None
    if end < 0:
        return None
    a = _clause_start(view, end)
    return _phrase(view, a, end, "doing") if a <= end else None


def _modifying_clause(view: SentenceView, first: int) -> Phrase | None:
    """ "회계 간 전출입으로 중복 계상된 5조원": a relative clause that describes the amount itself."""
    tokens = view.tokens
    p = first - 1
    if p < 1 or tokens[p].tag != "ETM":
        return None
    a = _clause_start(view, p)
    if any(k in view.blocked for k in range(a, p + 1)):
        return None
    phrase = _phrase(view, a, p, "clause")
    words = {t.form for t in phrase.tokens}
    if words & {"최대", "최고", "역대", "사상", "최소", "많", "가장", "%", "대비", "보다"} or not _content(phrase):
        return None
    return phrase


def _with_modifier(view: SentenceView, phrase: Phrase | None) -> Phrase | None:
    """ "시가 당초 제출한 예산안": a bare budget word keeps the clause that says whose budget it is."""
    if phrase is None or phrase.how in ("clause", "doing", "paren-inner"):
        return phrase
    if len(phrase.tokens) > 2 or any(t.form not in BUDGET_HEADS and t.form not in GENERIC_MONEY for t in phrase.tokens):
        return phrase
    tokens = view.tokens
    first = next(k for k, t in enumerate(tokens) if t.start == phrase.tokens[0].start)
    if first == 0 or tokens[first - 1].tag != "ETM":
        return phrase
    a = first - 1
    while a > 0 and not _ends_clause(tokens, a - 1) and not (tokens[a - 1].tag == "JX" or a - 1 in view.blocked):
        a -= 1
    while a < first and tokens[a].tag in ("MAG", "MAJ", "SP", "SSO", "SSC", "SW"):
        a += 1
    last = first + len(phrase.tokens) - 1
    extended = _phrase(view, a, last, phrase.how)
    return Phrase(extended.start, extended.end, extended.tokens, extended.how, phrase.tokens)


def find_subject(view: SentenceView, index: int, *, change: bool = False) -> Phrase | None:
    """The subject of figure ``index`` of ``view`` (see the module docstring), or None."""
    return _with_modifier(view, _find(view, index, change))


def _find(view: SentenceView, index: int, change: bool) -> Phrase | None:
    first, last = view.figures[index]
    if first < 0:
        return None
    found = _paren_subject(view, first, last)
    if found is not None:
        return found
    generic: Phrase | None = None
    found = _apposition(view, first)
    if found is not None:
        if not is_generic(found):
            return found
        generic = found
    forms = ("에", "에서") if change else ("에",)
    if change:
        found = _changed_object(view, first)
        if found is not None:
            return found
    # "예산안으로 51조원을 편성": only when the amount is what is compiled, not "추경으로 … 15조원으로 늘어난다"
    compiled = last + 1 < len(view.tokens) and view.tokens[last + 1].tag in ("JKO", "JKS")
    found = (
        _adverbial(view, first, forms, None)
        or (_adverbial(view, first, ("으로", "로"), _BUDGET_OBJECTS) if compiled else None)
        or _following(view, last)
        or _purpose(view, first)
        or _object_set_to(view, first, last)
        or _topic(view, first)
        or _doing(view, first)
        or _modifying_clause(view, first)
    )
    return found or generic or _of_kind(view, last)
