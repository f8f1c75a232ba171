"""What a money figure is for: the noun phrase the sentence ties it to, as written.

Korean attaches the purpose of money to the amount in a handful of constructions; they are tried in
this order, and the first that yields a noun phrase wins:

1. a parenthesis: ``돌봄SOS(361억 원)``; ``'서울형 안심조리원'도 신규 추진(28억원)한다`` → the object;
2. apposition: ``복지예산 15조6686억 원``, ``이공계 인재 장학금 90억원``, ``서울시 51조4778억 원``,
   ``청년 일자리 지원: 320억원``;
3. for a change, its object: ``경로당 냉난방비 지원 예산을 12억원 늘렸다``;
4. an adverbial in 에 (에서 for a change): ``양재 AI 혁신지구 육성에 175억원을 투입``;
5. a budget in 으로 when the amount is what is compiled: ``2026년도 예산안으로 51조원을 편성``;
6. what follows: ``1919억원 규모의 주택진흥기금``, ``28억 원을 투입해 서울형 안심조리원을``,
   ``51조원 규모로 내년도 예산안을``, ``15조원이 … 동행 사업에 쓰인다``;
7. purpose: ``'한강버스 사업 활성화'를 위해 … 132억원``, ``한강버스 사업과 관련해``;
8. an object set to the amount: ``사업비를 105억원으로 조정``;
9. the topic: ``장애인 공공일자리 예산은 589억 원으로`` (not agents such as 서울시는, 위원회는);
10. ``…를 확대하는데 4조원``, a clause modifying the amount (``중복 계상된 5조원``), a generic
    apposition (``예산 132억원``), what the amount is of (``월 29만원의 활동비``).

A bare budget word keeps the clause that says whose it is ("시가 당초 제출한 예산안").
"""

from __future__ import annotations

from typing import Final

from yesan.claims.article.morph import (
    AGENT_WORDS,
    BUDGET_HEADS,
    CONTENT,
    GENERIC_MONEY,
    NON_PURPOSE,
    NOUNISH,
    TIME_WORDS,
    Token,
    is_gov,
    is_time,
    words,
)
from yesan.claims.figures.phrases import (
    Phrase,
    SentenceView,
    clause_start,
    content_tokens,
    ends_clause,
    is_boundary,
    is_generic,
    np_left,
    np_right,
    span,
)

__all__ = ["find_subject"]

_SKIP_BEFORE: Final = frozenset(
    {"총", "약", "각각", "모두", "무려", "각", "최대", "최소", "연", "연간", "역대", "사상"}
)
#: Nouns that, in "X(금액)하다", are the action and not the thing funded.
_PREDICATE_NOUNS: Final = words(
    "추진 확대 운영 개선 도입 조성 신설 설치 투입 편성 건립 구축 개관 확충 추가 지원 강화 개최 시행 "
    "착수 마련 제공 공급 보강 정비 교체 증설 신규 재투자 추진해 개편 전환 유지"
)
#: A clause with these words praises or compares the amount ("역대 최대인 51조원"); it does not describe it.
_NOT_DESCRIBING: Final = frozenset({"최대", "최고", "역대", "사상", "최소", "많", "가장", "%", "대비", "보다"})
_SEPARATORS: Final = frozenset({":", "：", "…", "-", "–", "—", "=", "→"})
_PER_UNIT: Final = words("당 월 매월 연 연간 하루 1일 분기 편도 왕복 1회")
_BUDGET_OBJECTS: Final = BUDGET_HEADS | {"사업비"}
_USE_VERBS: Final = words("쓰이 투입 배정 편성 사용 들어가 지원 투자 집중 책정 반영")
_SPEND_VERBS: Final = words("투입 투자 들이 들여 쏟 쏟아붓 편성 배정")


def _without_action(view: SentenceView, a: int, b: int) -> int:
    """Drop a trailing action noun from a phrase read rightwards ("공공일자리 마련" → "공공일자리")."""
    tokens = view.tokens
    while b > a and tokens[b].form in _PREDICATE_NOUNS and tokens[b - 1].tag in NOUNISH:
        b -= 1
    return b


def _is_agent(phrase: Phrase) -> bool:
    """A government or a person acting ("서울시는", "오 시장은", "위원들은"), not a thing funded."""
    depth = 0
    content: list[Token] = []
    for t in phrase.tokens:  # "부산시(시장 박형준)는": the parenthesis is an aside
        depth += (t.tag == "SSO") - (t.tag == "SSC")
        if depth == 0 and t.tag in CONTENT and t.form not in TIME_WORDS:
            content.append(t)
    if not content:
        return True
    if content[-1].form in AGENT_WORDS:
        return True
    return all(is_gov(t) or t.form in AGENT_WORDS for t in content)


def _usable(phrase: Phrase | None) -> bool:
    if phrase is None:
        return False
    content = content_tokens(phrase)
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
            phrase = span(view, a, p, "paren")
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
        if is_boundary(t):
            return None
        if (t.tag == "JKO" or (t.tag == "JX" and t.form in ("은", "는", "도", "ᆫ"))) and j - 1 not in view.blocked:
            b = np_left(view, j - 1)
            if b is not None:
                return span(view, b, j - 1, "paren-object")
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
    phrase = span(view, a, p, "apposition")
    if tokens[p].form == "중" and tokens[p].tag == "NNB":
        return None  # "필요경비 중 월 1만원의": the whole it is part of, not what it is
    return phrase if content_tokens(phrase) and not is_time(list(phrase.tokens)) else None


def _adverbial(
    view: SentenceView, first: int, forms: tuple[str, ...], heads: frozenset[str] | None, *, topics: bool = False
) -> Phrase | None:
    """The nearest "NP에" (or "NP으로" with a budget head) left of the figure, in its clause.

    With ``topics``, a topic met first wins ("예결특위에 제출된 부산시 예산안은 17조원으로": the 에
    belongs to the clause that modifies the topic).
    """
    tokens = view.tokens
    for j in range(first - 1, 0, -1):
        t = tokens[j]
        if ends_clause(tokens, j):
            return None
        marked = (t.tag == "JX" and t.form in ("은", "는", "도")) or (t.tag == "JKS" and t.form in ("이", "가"))
        if topics and marked and tokens[j - 1].tag != "JKB":
            topic = _topic_at(view, j)
            if topic is not None and not is_generic(topic):
                return topic
        if t.tag == "JKB" and t.form in forms and j - 1 not in view.blocked:
            a = np_left(view, j - 1)
            if a is None:
                continue
            phrase = span(view, a, j - 1, "adverbial")
            content = content_tokens(phrase)
            # "시의회에 제출": a body the budget goes to; "자치구에 50억원씩" is money for the districts
            if not _usable(phrase) or content[-1].form in AGENT_WORDS:
                continue
            if heads is not None and content[-1].form not in heads and _last_word(view, phrase) not in heads:
                continue
            return phrase
    return None


def _last_word(view: SentenceView, phrase: Phrase) -> str:
    """The phrase's last word, whole ("본예산안", which Kiwi splits as 본예산 + 안)."""
    text = view.text[phrase.start : phrase.end].split()
    return "".join(ch for ch in text[-1] if "가" <= ch <= "힣") if text else ""


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
                return span(view, m, _without_action(view, m, end), "following")
    # "15조원이 … 약자와의 동행 사업에 쓰인다"
    if tokens[k].tag == "JKS":
        for j in range(k + 1, n - 1):
            if is_boundary(tokens[j]) and tokens[j].form != ",":
                break
            if tokens[j].tag == "JKB" and tokens[j].form == "에" and tokens[j + 1].form in _USE_VERBS:
                a = np_left(view, j - 1, k + 1)
                if a is not None:
                    return span(view, a, j - 1, "following")
    # "28억 원을 투입해 서울형 안심조리원(28억 원)을", "4477억 들여 노후 상하수도 정비"
    m = k + 1 if tokens[k].tag == "JKO" else k
    if m < n and tokens[m].form in _SPEND_VERBS:
        m += 1
        connected = False
        while m < n and tokens[m].tag in ("XSV", "EC", "VV", "MAG"):
            connected = connected or tokens[m].tag == "EC"
            m += 1
        end = np_right(view, m, n - 1) if m < n and connected else None
        if end is not None:
            return span(view, m, _without_action(view, m, end), "following")
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
                phrase = span(view, a, marker - 1, "purpose")
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
        if ends_clause(tokens, j):
            return None
        if t.tag == "JKO" and j - 1 not in view.blocked:
            a = np_left(view, j - 1)
            if a is not None:
                phrase = span(view, a, j - 1, "object")
                if content_tokens(phrase):
                    return phrase
    return None


def _changed_object(view: SentenceView, first: int) -> Phrase | None:
    """ "경로당 냉난방비 지원 예산을 12억원 늘렸다": the object of a change verb."""
    tokens = view.tokens
    p = first - 1
    while p > 0 and (
        tokens[p].tag in ("MAG", "MM")
        or tokens[p].form in ("보다", "대비", "비해")
        or (tokens[p].form in TIME_WORDS and tokens[p + 1].form in ("보다", "대비"))
    ):
        p -= 1  # "본예산을 올해보다 1조원 늘려": the comparison sits between the object and the amount
    if p > 0 and tokens[p].tag == "JKO" and p - 1 not in view.blocked:
        a = np_left(view, p - 1)
        if a is not None:
            phrase = span(view, a, p - 1, "object")
            if _usable(phrase):
                return phrase
    return None


def _topic_at(view: SentenceView, j: int) -> Phrase | None:
    """The topic or subject phrase marked by the particle at token ``j``, unless it is an agent."""
    tokens = view.tokens
    end = j - 1
    if end < 1 or end in view.blocked:
        return None
    if (
        tokens[end].form in ("과", "와")
        and tokens[end].tag in ("JKB", "JC")
        and tokens[end].start == tokens[end - 1].end
    ):
        a = np_left(view, end - 1)  # "첨단산업과는": Kiwi reads the 과 of a department name as a particle
    elif tokens[end].tag in NOUNISH or tokens[end].tag == "SSC":
        a = np_left(view, end)
    else:
        return None
    if a is None:
        return None
    phrase = span(view, a, end, "topic")
    return phrase if _usable(phrase) and not _is_agent(phrase) else None


def _topic(view: SentenceView, first: int) -> Phrase | None:
    tokens = view.tokens
    for j in range(first - 1, 0, -1):
        t = tokens[j]
        if t.tag == "SF":
            return None
        topical = (t.tag == "JX" and t.form in ("은", "는", "도", "ᆫ")) or (t.tag == "JKS" and t.form in ("이", "가"))
        if topical and (phrase := _topic_at(view, j)) is not None:
            return phrase
    return None


def _of_kind(view: SentenceView, last: int) -> Phrase | None:
    """ "월 29만원의 활동비": what the amount is of, when nothing else says what it is for."""
    tokens = view.tokens
    k = last + 1
    if k + 1 < len(tokens) and tokens[k].form == "의" and tokens[k].tag == "JKG":
        end = np_right(view, k + 1, len(tokens) - 1)
        if end is not None:
            return span(view, k + 1, end, "following")
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
    a = clause_start(view, end)
    return span(view, a, end, "doing") if a <= end else None


def _modifying_clause(view: SentenceView, first: int) -> Phrase | None:
    """ "회계 간 전출입으로 중복 계상된 5조원": a relative clause that describes the amount itself."""
    tokens = view.tokens
    p = first - 1
    if p < 1 or tokens[p].tag != "ETM":
        return None
    a = clause_start(view, p)
    if any(k in view.blocked for k in range(a, p + 1)):
        return None
    phrase = span(view, a, p, "clause")
    if {t.form for t in phrase.tokens} & _NOT_DESCRIBING or not content_tokens(phrase):
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
    while a > 0 and not ends_clause(tokens, a - 1) and not (tokens[a - 1].tag == "JX" or a - 1 in view.blocked):
        a -= 1
    while a < first and tokens[a].tag in ("MAG", "MAJ", "SP", "SSO", "SSC", "SW"):
        a += 1
    last = first + len(phrase.tokens) - 1
    extended = span(view, a, last, phrase.how)
    return Phrase(extended.start, extended.end, extended.tokens, extended.how, phrase.tokens)


def find_subject(view: SentenceView, index: int, *, change: bool = False, prior: bool = False) -> Phrase | None:
    """The subject of figure ``index`` of ``view`` (see the module docstring), or None.

    ``change``: the figure is a change (its object and 에서 phrases count); ``prior``: an earlier
    figure, for which a dated apposition ("2025년 예산 43조원 대비") is the subject.
    """
    return _with_modifier(view, _find(view, index, change, prior))


def _find(view: SentenceView, index: int, change: bool, prior: bool) -> Phrase | None:
    first, last = view.figures[index]
    if first < 0:
        return None
    found = _paren_subject(view, first, last)
    if found is not None:
        return found
    generic: Phrase | None = None
    found = _apposition(view, first)
    if found is not None:
        dated = any(t.tag == "SN" or t.form in TIME_WORDS for t in found.tokens)
        if not is_generic(found) or (prior and dated):
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
        _adverbial(view, first, forms, None, topics=True)
        or (_adverbial(view, first, ("으로", "로"), _BUDGET_OBJECTS) if compiled else None)
        or _following(view, last)
        or _purpose(view, first)
        or _object_set_to(view, first, last)
        or _topic(view, first)
        or _doing(view, first)
        or _modifying_clause(view, first)
        or (_adverbial(view, first, ("으로", "로"), None) if compiled else None)
    )
    return found or generic or _of_kind(view, last)
