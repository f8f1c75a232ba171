"""What a figure is: a change, an earlier figure, not budget money at all, a whole budget, or an allocation.

The rules read the words right around the amount (Korean puts the verb of a change right after it):

* **change** — a change verb follows, possibly after a percentage or a particle
  (``8601억원(5.8%) 늘어난``, ``282억 원이 줄어든``, ``916억원, 3.7% 증가``, ``3조 이상 늘어``,
  ``3조 3915억↑``), a change noun precedes (``증감 △282억원``), or the amount carries a sign;
* **prior** — the amount is the base of a comparison (``올해(48조원)보다``, ``2025년 예산 43조원 대비``,
  ``61억원에서``) or is dated before the budget year (``2025년도 특별 편성한 … 2800억원``). A base
  that is the same year's proposal (``제출한 예산안(51조원) 대비``) is a level, not a prior;
* **other** — debt, revenue, prices, amounts per person (``1인당``, ``씩``) and components that are
  subtracted out (``중복 계상된 5조원을 제외하면``);
* **total** — the subject is a whole budget: a government, a budget word and nothing but scope, time
  and stage words (``서울시 내년 예산``, ``순계예산 규모``, ``교육청``, ``정책 사업비``), an account
  (``일반회계``, ``특별회계``, ``교육비특별회계``), or a ministry's budget or 총지출 (``복지부 내년 예산``,
  ``2025년도 부처 예산``, ``총지출 기준``);
* **allocation** — everything else.
"""

from __future__ import annotations

import re
from typing import Final

from yesan.claims.article.morph import (
    BUDGET_HEADS,
    BUDGET_NEUTRAL,
    CONTENT,
    PAST_WORDS,
    TIME_WORDS,
    Token,
    is_gov,
    words,
)
from yesan.claims.figures.figure import Figure
from yesan.claims.figures.phrases import Phrase

__all__ = [
    "base_kind",
    "change_direction",
    "is_other",
    "is_whole_budget",
    "not_budget_subject",
    "past_reference",
    "sized_budget",
]

#: ▲ and ▼ are arrows only when no item name follows: "▲연풍면 도시재생사업 72억 원 ▲교육발전특구 …" is a list.
_ARROW_END: Final = r"(?!\s?[가-힣A-Za-z'‘\"“(\[])"
INCREASE: Final = (
    r"늘(?:어|었|린|려|렸|리|릴|은|고)|증가|증액|확대|상향|상승|불(?:어|었|린|려|은)|많(?:은|다|아|이|게|고)|순증"
    rf"|인상|오른|올랐|올려|올린|↑|▲{_ARROW_END}"
)
DECREASE: Final = (
    r"감소|감액|삭감|줄(?:어|었|인|여|일|은|고)|축소|하향|깎(?:였|인|아|여|은|고)|적(?:은|다|게)|하락|인하|절감"
    rf"|순감|내린|내렸|낮(?:은|아|춘|췄|게)|↓|▼{_ARROW_END}"
)
_CHANGE_AFTER: Final = re.compile(
    r"(?P<close>\s?\))?"
    r"(?:\s?\([^()]{0,24}\)|\s?,\s?(?:약\s?)?[-+]?[0-9][0-9.,]*\s?%)?"
    r"\s?(?:이|가|을|를|은|는|이나|씩|만큼)?"
    r"(?:\s?(?:더|가량|정도|넘게|소폭|대폭|크게|각각|모두|약|가까이|이상|전액|일부|추가로|추가|새로))*"
    rf"\s?(?:(?P<up>{INCREASE})|(?P<down>{DECREASE})|(?P<adjust>조정))"
)
_CHANGE_BEFORE: Final = re.compile(
    r"(?P<word>증가분|증액분|감액분|감소분|증감액|증감|순증|순감|삭감액|감액 규모|증액 규모"
    r"|(?<![가-힣])(?:증액|감액|삭감)(?=은|는|:))"  # "증액은 4조2900억원이다": the change as a topic
    r"\s?(?:은|는|이|가|:|：)?\s?(?:총|약)?\s?$"
)
_BASE_AFTER: Final = re.compile(r"\s?\)?\s?(?:보다|대비|에\s?비해|에\s?비하|에서|과\s?비교|와\s?비교|에\s?견줘|比)")
#: A base that is the same year's proposal ("제출한 예산안(51조원) 대비 282억원"): a level, not a prior.
#: 당초예산 / 본예산 / 기정예산 bases in a 추경 article are earlier figures: priors.
_SAME_YEAR_BASE: Final = re.compile(r"예산안|정부안|요구안|요구액|신청액|제출|원안")
_SUPPLEMENTARY_WORD: Final = re.compile(r"(?:추가\s?경정|추경)\s?(?:예산)?안?")
_FROM_TO: Final = re.compile(r"\s?(?:약\s?)?[0-9][0-9,.]*\s?[조억만천]")
_CHANGE_LATER: Final = re.compile(rf"{INCREASE}|{DECREASE}|%")
_EXCLUDED_AFTER: Final = re.compile(r"\s?\)?\s?(?:을|를)?\s?(?:제외|뺀|빼)")
_PER_UNIT_BEFORE: Final = re.compile(
    r"(?:[0-9]?인당|가구당|명당|세대당|개당|건당|회당|㎡당|평당|당)\s?(?:최대|최고|평균|월|연)?\s?$"
)
_MONTHLY_BEFORE: Final = re.compile(r"(?:^|[\s(])(?:월|매월|월평균)\s?(?:최대|평균|약)?\s?$")
#: Revenue a government receives (not what it spends): "지방교부세 증가분 1,200억원".
REVENUE_WORDS: Final = words(
    "지방교부세 교부세 보통교부세 특별교부세 세외수입 지방세수 세수 순세계잉여금 세계잉여금 잉여금 국고보조금"
)
_COMPARING: Final = frozenset({"보다", "대비", "비해", "비하", "비교"})
_PER_UNIT_WORD: Final = re.compile(r"(?:[0-9]인|가구|명|세대)당")
_EACH_AFTER: Final = re.compile(r"\s?씩")
#: Money that is not a budget appropriation: debt, revenue, prices, wages.
OTHER_WORDS: Final = words(
    "채무 부채 빚 지방채 이자 적자 잔액 세수 지방세 요금 가격 이용료 입장료 운임 수수료 단가 "
    "연봉 월급 시급 임금 최저임금 집값 매매가 전셋값 시세 공시가격 보증금 월세 전세금 손실 피해액 "
    "매출 매출액 시가총액 수익 잉여금 세계잉여금 순세계잉여금 이월액 이월금 불용액 집행잔액 보조금반납 부담액"
)


#: "… 9460억원 규모로 편성", "40조 규모 2026년 경기도 예산안": the amount is the size of a whole budget.
_SIZE_AFTER: Final = re.compile(
    r"\s?(?:의\s?)?규모(?:로|의|인)?\s?(?:(?P<verb>편성|제출|확정|의결|짜|마련|책정)"
    r"|(?P<noun>(?:[0-9]{2,4}년도?\s?)?(?:[가-힣]{1,6}(?:도|시|군|구|청)\s?)?(?:제\s?[0-9]회\s?)?"
    r"(?:추가\s?경정|추경|본|당초|내년도?|새해)?\s?예산안?))"
)
#: The budget a sentence sizes, as its object: "의성군은 2026년도 제1회 추가경정예산안을 … 규모로 편성".
_BUDGET_OBJECT: Final = re.compile(
    r"(?P<object>(?:[0-9]{2,4}년도?\s?)?(?:제\s?[0-9]회\s?)?(?:추가\s?경정|추경|본|당초)?\s?예산안?)(?:을|를)\s"
)


def sized_budget(text: str, clause_start: int, figure: Figure) -> str | None:
    """The whole budget an amount gives the size of, or None.

    "… 추가경정예산안을 … 9460억원 규모로 편성해": the budget the sentence sizes ("2026년도 제1회
    추가경정예산안"); "40조 규모 2026년 경기도 예산안": the budget named right after (returned as "").
    """
    size = _SIZE_AFTER.match(text, figure.full_end)
    if size is None:
        return None
    if size.group("noun"):
        return ""
    objects = list(_BUDGET_OBJECT.finditer(text, clause_start, figure.full_start))
    return objects[-1].group("object").strip() if objects else None


def change_direction(text: str, figure: Figure, *, after_percent: bool) -> int | None:
    """+1 / -1 for an increase / a decrease, 0 for a change of unknown direction, None for no change.

    ``after_percent``: the figure sits in a parenthesis right after a percentage ("23%(약 1200억원) 감소").
    """
    if figure.column is not None:
        return None
    first = text[figure.start]
    if first in "+-△▽" and figure.won != 0:
        return -1 if figure.won < 0 else 1
    match = _CHANGE_AFTER.match(text, figure.full_end)
    if match is not None and (after_percent or not match.group("close")):
        if match.group("up"):
            return 1
        if match.group("down"):
            return -1
        return 0
    line_start = text.rfind("\n", 0, figure.full_start) + 1
    before = _CHANGE_BEFORE.search(text, max(line_start, figure.full_start - 16), figure.full_start)
    if before is not None:
        word = before.group("word")
        if "감" in word and word != "증감" and word != "증감액":
            return -1
        if word.startswith("증감"):
            return -1 if figure.won < 0 else 1
        return 1
    return None


def base_kind(text: str, figure: Figure, clause_start: int, sentence_end: int, past: bool) -> str | None:
    """For the base of a comparison: "prior" (an earlier year), "level" (the same year's proposal), else None."""
    match = _BASE_AFTER.match(text, figure.full_end)
    if match is None:
        return None
    # the words naming the base, right before it ("제출한 예산안(", "당초예산 "), without a 추경예산안 further left
    before = _SUPPLEMENTARY_WORD.sub(" ", text[max(clause_start, figure.full_start - 14) : figure.full_start])
    if _SAME_YEAR_BASE.search(before) and not past:
        return "level"
    if past or _CHANGE_LATER.search(text, match.end(), sentence_end):
        return "prior"
    if "에서" in match.group() and _FROM_TO.match(text, match.end()):
        return "prior"  # "61억원에서 132억원으로"
    return None


def past_reference(
    tokens: list[Token], start: int, end: int, budget_year: int | None, current_year: int | None
) -> bool:
    """Tokens ``start..end`` date what follows before the budget year ("2025년도 …", "지난해 …", "올해 …").

    A time word that dates an event ("지난해 10월") or names the base of a comparison ("전년도 예산액
    대비", "올해보다") does not.
    """
    for k in range(start, end):
        t = tokens[k]
        nxt = tokens[k + 1] if k + 1 < len(tokens) else None
        follow = tokens[k + 2] if k + 2 < len(tokens) else None
        if t.form in PAST_WORDS or (
            t.form in ("올해", "금년")
            and budget_year is not None
            and current_year is not None
            and current_year < budget_year
        ):
            dated = nxt is not None and nxt.tag == "SN" and follow is not None and follow.form in ("월", "일")
            compared = any(u.form in _COMPARING for u in tokens[k + 1 : min(k + 4, end)])
            if dated or compared or (nxt is not None and nxt.form in ("에", "과", "와")):
                continue
            return True
        if t.tag == "SN" and len(t.form) == 4 and t.form.isdigit() and nxt is not None and nxt.form in ("년", "년도"):
            if follow is not None and (follow.tag == "SN" or follow.form in ("보다", "대비", "에", "까지", "부터")):
                continue
            if budget_year is not None and int(t.form) < budget_year:
                return True
    return False


def is_other(text: str, figure: Figure, subject: Phrase | None, sentence: str) -> bool:
    """Not budget money: debt, revenue, prices, amounts per person, subtracted components.

    ``text`` is the whole text (``figure`` indexes it); ``sentence`` the sentence ``subject`` indexes.
    """
    if _EXCLUDED_AFTER.match(text, figure.full_end):
        return True
    if abs(figure.won) < 10**8 and _EACH_AFTER.match(text, figure.full_end):
        return True  # "20만원씩" per person; "자치구에 50억원씩" is an allocation
    if figure.column is None and abs(figure.won) < 1_000_000:
        return True  # below 100만원: a price, a fee or a benefit per person, not a budget line
    line_start = text.rfind("\n", 0, figure.full_start) + 1
    window = max(line_start, figure.full_start - 12)
    if _PER_UNIT_BEFORE.search(text, window, figure.full_start):
        return True
    if abs(figure.won) < 10**8 and _MONTHLY_BEFORE.search(text, window, figure.full_start):
        return True
    return not_budget_subject(subject, sentence)


def not_budget_subject(subject: Phrase | None, sentence: str) -> bool:
    """The subject is debt, revenue, a price or an amount per person ("1인당 지방세 부담액", "버스 요금")."""
    if subject is None:
        return False
    head = subject.head
    words = sentence[head[0].start : head[-1].end].split() if head else []
    # the last word whole ("이월액", which Kiwi splits as 이월 + 액), and any revenue word in the phrase
    last = re.sub(r"[^가-힣A-Za-z0-9]", "", words[-1]) if words else ""
    phrase = sentence[subject.start : subject.end]
    if last in OTHER_WORDS or any(word in phrase for word in REVENUE_WORDS):
        return True
    content = [t for t in head if t.tag in CONTENT]
    if content and content[-1].form in OTHER_WORDS:
        return True
    return _PER_UNIT_WORD.search(sentence, subject.start, subject.end) is not None


def _eojeol_ends(tokens: tuple[Token, ...]) -> list[int]:
    """For each token, the index of the last token of its eojeol (the space-separated word)."""
    ends = [0] * len(tokens)
    k = len(tokens) - 1
    last = k
    while k >= 0:
        if k < len(tokens) - 1 and tokens[k].end != tokens[k + 1].start:
            last = k
        ends[k] = last
        k -= 1
    return ends


_WHEN: Final = r"(?:(?:올해|내년|내년도|새해|금년|[0-9]{4}\s?년도?)\s?)?"
#: An account's whole budget: "일반회계", "특별회계는", "교육비특별회계 예산", "·특별회계".
_ACCOUNT_TOTAL: Final = re.compile(
    rf"^[·ㆍ,\s]*{_WHEN}(?:일반|(?:교육비|기타|공기업)?\s?특별)\s?회계\s?{_WHEN}(?:예산안?|세출(?:예산)?|규모)?$|^기금$"
)
#: Ministries and agencies (a closed list): their budget or 총지출 is a whole budget.
MINISTRIES: Final = (
    "행정안전부",
    "행안부",
    "보건복지부",
    "복지부",
    "교육부",
    "국토교통부",
    "국토부",
    "기획재정부",
    "기재부",
    "산업통상자원부",
    "산업부",
    "과학기술정보통신부",
    "과기정통부",
    "과기부",
    "환경부",
    "기후에너지환경부",
    "고용노동부",
    "고용부",
    "노동부",
    "농림축산식품부",
    "농식품부",
    "해양수산부",
    "해수부",
    "문화체육관광부",
    "문체부",
    "중소벤처기업부",
    "중기부",
    "여성가족부",
    "여가부",
    "성평등가족부",
    "국방부",
    "외교부",
    "법무부",
    "통일부",
    "국가보훈부",
    "보훈부",
    "경찰청",
    "소방청",
    "국세청",
    "관세청",
    "조달청",
    "통계청",
    "산림청",
    "기상청",
    "농촌진흥청",
    "문화재청",
    "국가유산청",
    "특허청",
    "해양경찰청",
    "질병관리청",
    "식품의약품안전처",
    "식약처",
    "인사혁신처",
    "법제처",
    "방위사업청",
    "병무청",
    "부처",
    "정부",
)
_MINISTRY_TOTAL: Final = re.compile(
    rf"^{_WHEN}(?:{'|'.join(MINISTRIES)})(?:의)?\s?{_WHEN}"
    r"(?:예산안?|총지출|예산\s?및\s?기금(?:운용계획)?)(?:의)?(?:\s?총지출)?(?:\s?(?:규모|기준))?$"
    r"|^총지출(?:\s?(?:규모|기준))?$"
)


def is_whole_budget(subject: Phrase | None, sentence: str) -> bool:
    """The subject names a whole budget (see the module docstring)."""
    if subject is None:
        return False
    named = re.sub(r"\s+", " ", sentence[subject.start : subject.end]).strip()
    if _ACCOUNT_TOTAL.match(named) or _MINISTRY_TOTAL.match(named):
        return True
    tokens = subject.head
    words = sentence[tokens[0].start : tokens[-1].end] if tokens else ""
    if re.search(r"정책\s?사업비", words):
        return True
    ends = _eojeol_ends(tokens)
    heads: list[str] = []
    govs = 0
    others = 0
    for k, t in enumerate(tokens):
        if tokens[ends[k]].form == "별" and ends[k] != k:
            others += 1
            continue  # 분야·부문별, 회계별: the sum over all of them
        if t.tag not in CONTENT:
            others += t.tag in ("SN", "MM", "XPN", "NNB")
            continue
        if t.form in BUDGET_HEADS:
            heads.append(t.form)
        elif is_gov(t):
            govs += 1
        elif t.form in TIME_WORDS or t.form in BUDGET_NEUTRAL:
            others += 1
        else:
            return False
    if heads:
        bare = all(h in ("예산", "예산액") for h in heads) and not govs and not others
        return not bare
    # "서울시 51조원", "교육청 예산은": the government's budget; "자치구에 50억원": money for it
    return govs > 0 and subject.how != "adverbial"
