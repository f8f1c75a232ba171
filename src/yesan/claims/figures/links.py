"""Links between the figures of one article: percentages, changes, the levels they describe, rounded totals.

* A percentage is a rate of change when a change verb follows it (``5.4% 증가``) or it sits next to a
  change amount (``8601억원(5.8%) 늘어난``, ``916억원, 3.7% 증가``, ``23%(약 1200억원) 감소``); a
  share (``전체의 30%``, ``비중은 5.6%``) is not. The rate goes to the change next to it and to the
  level it describes: the level it modifies (``5.7% 증가한 28조원``), else a level earlier in the same
  sentence, else — when the sentence only compares (``올해(48조원)보다 7.0% 증가한 것으로``) — the
  earlier level that the arithmetic confirms (prior + change = level, or prior × (1 + rate) = level),
  and without a prior in the sentence, the nearest earlier level without a rate.
  A rate in parentheses right after an amount ("지방세 5조3508억원(4.3%↑)") is that amount's alone;
  a rate named as such ("증가율은 4.1%다") is the rate of the change stated before it.
* An 조정 of unknown direction takes it from the figures (base and level differ by exactly the
  amount), else it is a cut.
* A change without a subject of its own is about that level ("올해보다 8601억원이 증액된 것으로"),
  and is named after it ("'약자와의 동행' 사업 증가분").
* An amount without a specific subject that equals, or rounds from, a total is that total
  (the headline "51.5조" of a 51조5060억 budget); a supplementary budget's size, next to a whole
  budget more than five times larger, is an increase.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

from yesan.claims.article.morph import SUPPLEMENTARY_HEADS
from yesan.claims.figures.figure import Figure
from yesan.claims.figures.kind import DECREASE, INCREASE
from yesan.claims.figures.phrases import Phrase, is_generic
from yesan.money import PercentMatch, find_percents

__all__ = [
    "Draft",
    "link_percentages",
    "ministry_grants",
    "name_changes",
    "name_unnamed_levels",
    "propagate_totals",
    "resolve_adjustments",
    "revenue_siblings",
    "share_subjects",
    "sums_of_accounts",
    "supplementary_increments",
]


@dataclass
class Draft:
    """A claim being built: the figure, where it is, and what has been decided so far."""

    figure: Figure
    sentence: int
    kind: str
    direction: int = 0
    subject: Phrase | None = None
    subject_text: str | None = None
    generic_subject: bool = False
    change_pct: Decimal | None = None
    base: str | None = None  # "prior"/"level" when the figure is the base of a comparison

    @property
    def level(self) -> bool:
        return self.kind in ("total", "allocation")


_RATE_VERB: Final = re.compile(
    r"\)?\s?(?:\([^()]{0,24}\))?\s?(?:이|가|을|를|씩)?\s?(?:더\s?|가량\s?|정도\s?|소폭\s?|대폭\s?)?"
    rf"(?:(?P<up>{INCREASE})|(?P<down>{DECREASE})|(?P<adjust>조정))"
)
_RATE_WORD: Final = re.compile(r"(?:증가|증감|인상|감소|상승|하락|증액|감액)(?:율|률)\s?(?:은|는|이|가|:)?\s?$")
_MODIFIES: Final = re.compile(r"[가-힣]{0,3}(?:한|된|난|린|은)\s?(?:총\s?|약\s?)?$")
_ADJACENT: Final = frozenset({"(", " (", ",", ", ", ", 약 "})


def _decimals(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _adjacent(text: str, pct: PercentMatch, figure: Figure, offset: int) -> bool:
    p_start, p_end = pct.full_start + offset, pct.full_end + offset
    if 0 <= p_start - figure.full_end <= 4 and text[figure.full_end : p_start] in _ADJACENT:
        return True
    between = text[p_end : figure.full_start]
    return 0 <= figure.full_start - p_end <= 4 and between in _ADJACENT


def _in_parenthesis_after(text: str, figure: Figure, pct: PercentMatch, offset: int) -> bool:
    return text[figure.full_end : pct.full_start + offset] in ("(", " (")


def _rate_matches(prior: int, level: int, rate: Decimal) -> bool:
    if prior <= 0:
        return False
    actual = (Decimal(level) - Decimal(prior)) * 100 / Decimal(prior)
    tolerance = Decimal(1).scaleb(-_decimals(rate)) + Decimal("0.0001")
    return bool(abs(actual - rate) <= tolerance)


def link_percentages(text: str, sentences: list[tuple[int, int]], drafts: list[Draft]) -> None:
    """Set ``change_pct`` on changes and the levels they describe (see the module docstring)."""
    by_sentence: dict[int, list[Draft]] = {}
    for draft in drafts:
        by_sentence.setdefault(draft.sentence, []).append(draft)
    for index, (start, end) in enumerate(sentences):
        if "%" not in text[start:end] and "퍼센트" not in text[start:end]:
            continue
        here = by_sentence.get(index, [])
        for pct in find_percents(text[start:end]):
            if pct.percent.points:
                continue
            _link_one(text, start, end, index, pct, here, drafts)


def _link_one(
    text: str, start: int, end: int, index: int, pct: PercentMatch, here: list[Draft], drafts: list[Draft]
) -> None:
    value = pct.percent.value
    change = next((d for d in here if d.kind == "change" and _adjacent(text, pct, d.figure, start)), None)
    verb = _RATE_VERB.match(text, pct.full_end + start)
    named = _RATE_WORD.search(text, max(start, pct.full_start + start - 12), pct.full_start + start)
    if change is None and verb is None and named is None:
        return
    owner = next((d for d in here if d.kind != "change" and _in_parenthesis_after(text, d.figure, pct, start)), None)
    if change is None and owner is not None and verb is not None:
        # "지방세 5조3508억원(4.3%↑)": the rate of the amount it follows, and of nothing else
        if owner.change_pct is None:
            owner.change_pct = -abs(value) if verb.group("down") else abs(value)
        return
    if change is None and named is not None:
        # "4,100억원 늘어난 것으로, 증가율은 4.1%다": the rate of the change stated before it
        change = next(
            (d for d in reversed(here) if d.kind == "change" and d.figure.end <= pct.full_start + start), None
        )
    if change is not None:
        sign = -1 if change.direction < 0 else 1
    else:
        assert verb is not None
        sign = -1 if verb.group("down") else 1
    rate = -abs(value) if sign < 0 or value < 0 else abs(value)
    if change is not None and change.change_pct is None:
        change.change_pct = rate
    target = _target(text, start, index, pct, here, drafts, verb, change, rate)
    if target is not None and target.change_pct is None:
        target.change_pct = rate


def _target(
    text: str,
    start: int,
    index: int,
    pct: PercentMatch,
    here: list[Draft],
    drafts: list[Draft],
    verb: re.Match[str] | None,
    change: Draft | None,
    rate: Decimal,
) -> Draft | None:
    p_start = pct.full_start + start
    if verb is not None:
        # "5.7% 증가한 28조7683억 원": the level right after the verb.
        for draft in here:
            gap = draft.figure.full_start - verb.end()
            if 0 <= gap <= 8 and draft.level and _MODIFIES.search(text, verb.start(), draft.figure.full_start):
                return draft
    before = [d for d in here if d.level and d.figure.full_end <= p_start and d.base is None]
    if len(before) > 1 and change is not None:
        return None  # "일반회계 …, 특별회계 … 각각 311억원(7.73%), 59억원(21.77%)": which is whose is not said
    if before:
        return before[-1]
    if any(d.level and d.base is None for d in here):
        return None  # the sentence's own level comes after the rate: not ours to guess
    priors = [d for d in here if d.kind == "prior"]
    earlier = [d for d in reversed(drafts) if d.sentence < index and d.level and d.base is None]
    if priors:
        prior = abs(priors[0].figure.won)
        if change is not None:
            moved = abs(change.figure.won) * (-1 if change.direction < 0 else 1)
            exact = next((d for d in earlier if abs(d.figure.won) == prior + moved), None)
            if exact is not None:
                return exact
        return next((d for d in earlier if _rate_matches(prior, abs(d.figure.won), rate)), None)
    for draft in earlier:
        if draft.sentence < index - 4:
            break
        if draft.change_pct is None:
            return draft
    return None


def share_subjects(drafts: list[Draft]) -> None:
    """A change without a subject of its own takes the subject of the level it describes.

    That level is the only one before it in its sentence, else the last one of the sentence before;
    with two levels before it ("서울시 51조원·교육청 10조원, 올해보다 3.5조 증가") it stays unnamed.
    """
    for k, draft in enumerate(drafts):
        if draft.kind != "change" or (draft.subject_text and not draft.generic_subject):
            continue
        levels = [d for d in drafts[:k] if d.level and d.base is None and d.sentence >= draft.sentence - 1]
        same = [d for d in levels if d.sentence == draft.sentence]
        if len(same) > 1:
            continue
        source = same[0] if same else (levels[-1] if levels else None)
        if source is not None and source.subject_text:
            draft.subject_text = source.subject_text
            draft.generic_subject = source.generic_subject


def resolve_adjustments(drafts: list[Draft]) -> None:
    """ "예산안(51조5060억원) 대비 282억원 조정": the direction of an 조정 from the figures themselves.

    When the base of the comparison and a level elsewhere in the article differ by exactly the amount,
    the level says which way it went; otherwise an 조정 in budget news is a cut.
    """
    for draft in drafts:
        if draft.kind != "change" or draft.direction != 0:
            continue
        amount = abs(draft.figure.won)
        bases = [d for d in drafts if d.sentence == draft.sentence and (d.base is not None or d.kind == "prior")]
        draft.direction = -1
        for base in bases:
            for level in drafts:
                if level is base or not level.level or level.base is not None:
                    continue
                difference = abs(level.figure.won) - abs(base.figure.won)
                if abs(difference) == amount:
                    draft.direction = 1 if difference > 0 else -1
                    break


#: The base a whole budget's change is measured from, written right before it: "정부안 대비 1655억원",
#: "본예산 5600억 원보다 1464억 원", "기정예산보다 6,782억 원", "제1회 추경예산 대비 820억 원".
_BASE_BEFORE: Final = re.compile(
    r"(?<![가-힣0-9])(?P<base>(?:(?:올해|지난해|전년도?|당초|금년|기존)\s)?[가-힣]+)\s?(?:[0-9][0-9,.]*\s?[조억만천]\s?[0-9,조억만천\s]*원?\s?)?"
    r"(?:\([^()]{0,20}\)\s?)?(?:대비|보다|에\s?비해)(?:로는|로|는)?\s?(?:총\s?|약\s?)?$"
)
_GOVERNMENT_NAME: Final = re.compile(r"(?:[가-힣]+(?:시|군|구|도|청|부|처))$")


def name_changes(drafts: list[Draft], text: str = "") -> None:
    """ "'약자와의 동행' 사업 증가분": a change is named after what changed.

    An item of a revision list ("A 7억원, B 18억원 등을 삭감했다": several changes of one sentence, each with
    its own subject) is named by its program alone, as the list names it; an account's or a whole budget's
    change keeps the word ("일반회계 증가분").
    """
    listed: dict[int, set[str]] = {}
    for draft in drafts:
        if draft.kind == "change" and draft.subject_text and draft.figure.column is None:
            listed.setdefault(draft.sentence, set()).add(draft.subject_text)
    for draft in drafts:
        if draft.kind == "change" and draft.subject_text and draft.figure.column is None:
            if re.search(r"(?:증가|증액|감액|감소|증감|삭감)분?$", draft.subject_text):
                continue
            if len(listed[draft.sentence]) >= 2 and not _names_an_account(draft.subject_text):
                continue
            word = "증가분" if draft.direction > 0 else "감소분" if draft.direction < 0 else "증감분"
            draft.subject_text = f"{draft.subject_text} {word}"
    for draft in drafts:
        if draft.kind == "change" and draft.figure.column is None and text:
            based = _measured_from(text, draft)
            if based is not None:
                draft.subject_text = based


def _measured_from(text: str, draft: Draft) -> str | None:
    """ "정부안 대비 감액": a whole budget's change named by the base it is measured from (None if not)."""
    subject = (draft.subject_text or "").removesuffix("증가분").removesuffix("감소분").strip()
    # only where nothing better names it: no subject, or the government alone ("경북 의성군")
    whole = draft.subject is not None and is_generic(draft.subject)  # "내년도 예산": the whole budget
    if subject and not whole and _GOVERNMENT_NAME.search(subject.split()[-1]) is None:
        return None
    line_start = text.rfind("\n", 0, draft.figure.full_start) + 1
    found = _BASE_BEFORE.search(text, max(line_start, draft.figure.full_start - 40), draft.figure.full_start)
    if found is None:
        return None
    verb = re.match(
        r"[^.,]{0,12}?(증액|감액|삭감|증가|감소|늘|줄)", text[draft.figure.full_end : draft.figure.full_end + 16]
    )
    said = verb.group(1) if verb else ""
    word = {"늘": "증가", "줄": "감소", "삭감": "감액"}.get(said, said) or ("증가" if draft.direction > 0 else "감소")
    return f"{found.group('base')} 대비 {word}"


_ACCOUNT_WORDS: Final = re.compile(r"회계|예산|기금|총액|총규모|규모|세입|세출|사업비$")


def _names_an_account(subject: str) -> bool:
    """ "일반회계", "특별회계", "내년도 예산안", "사업비": an account or a whole budget, not one program."""
    return _ACCOUNT_WORDS.search(subject.replace(" ", "")) is not None


def _rounds_to(total: int, figure: Figure) -> bool:
    if figure.won == total:
        return True
    precision = figure.precision
    if precision < 10**8 or figure.won % precision:
        return False
    nearest = (total + precision // 2) // precision * precision
    return figure.won in (nearest, total // precision * precision)


def _supplementary(draft: Draft) -> bool:
    if draft.subject is None:
        return False
    forms = {t.form for t in draft.subject.head}
    return bool(forms & SUPPLEMENTARY_HEADS) and not forms & {"총", "전체", "총액", "총규모"}


def supplementary_increments(drafts: list[Draft]) -> None:
    """ "1조2500억원 규모의 제1회 추경안": a supplementary budget's size adds to the year's budget.

    When the article also gives a whole budget more than five times larger, the 추경 figure is that
    increase (a change), not the budget's size.
    """
    totals = [abs(d.figure.won) for d in drafts if d.kind == "total" and not _supplementary(d)]
    for draft in drafts:
        larger = any(total > 5 * abs(draft.figure.won) for total in totals)
        if draft.kind in ("total", "allocation") and _supplementary(draft) and larger:
            draft.kind, draft.direction = "change", 1


_ACCOUNT: Final = re.compile(r"(?:일반|특별|교육비\s?특별)\s?회계|기금$")


def sums_of_accounts(drafts: list[Draft]) -> None:
    """An amount that is the sum of two or three accounts' totals of the article is the whole budget:
    "10조7044억원(일반회계 9조5956억원·특별회계 1조1088억원)", "일반회계 …, 특별회계 … 등 총 2조4553억원"."""
    accounts = [
        abs(d.figure.won) for d in drafts if d.kind == "total" and d.subject_text and _ACCOUNT.search(d.subject_text)
    ]
    if len(accounts) < 2:
        return
    sums = {a + b for a, b in itertools.combinations(accounts, 2)}
    sums |= {a + b + c for a, b, c in itertools.combinations(accounts, 3)}
    for draft in drafts:
        if draft.kind == "allocation" and draft.figure.column is None and abs(draft.figure.won) in sums:
            draft.kind = "total"


#: A predicate that ends a list of revenue sources ("… 448억원을 확보했고, 복지관 건립에 …"); the copula
#: ("…원이며, …") does not.
_VERB_BREAK: Final = re.compile(r"(?:했|됐|였|한|된|해|돼|하|되)(?:고|며|다|으며|서)?[\s,.]|[가-힣]다[.\s]")


#: The name of revenue (as opposed to a price or a debt's interest, the other kinds of ``other``).
_REVENUE_NAME: Final = re.compile(
    r"교부세|교부금|세외\s?수입|지방세|지방채|세수|잉여금|보조금|양여금|자체\s?수입|이전\s?수입"
)


def revenue_siblings(text: str, drafts: list[Draft]) -> None:
    """Amounts listed with revenue are revenue: "지방교부세 448억원, 조정교부금 110억원, 국·도비 보조금 138억원
    등 가용재원" — each amount after a revenue amount of its sentence, with no predicate between, is ``other``.
    """
    revenue = [d.kind == "other" and _REVENUE_NAME.search(d.subject_text or "") is not None for d in drafts]
    for k in range(1, len(drafts)):
        draft = drafts[k]
        if draft.kind not in ("allocation", "change") or draft.figure.column is not None:
            continue
        for j in range(k - 1, -1, -1):
            before = drafts[j]
            if before.sentence != draft.sentence or _VERB_BREAK.search(
                text, before.figure.full_end, draft.figure.full_start
            ):
                break
            if revenue[j]:
                draft.kind, draft.direction = "other", 0
                revenue[k] = True
                break


#: A ministry's own budget ("2025년도 행안부 예산", "부처 예산"): the ministry pays out 교부세, it does not receive it.
_MINISTRY_BUDGET: Final = re.compile(r"(?:행안부|행정안전부|[가-힣]{1,6}부|부처)\s?(?:내년도?\s?|소관\s?)?예산")
_GRANT: Final = re.compile(r"교부세|교부금")


def ministry_grants(drafts: list[Draft]) -> None:
    """In an article on a ministry's budget, 지방교부세 is what the ministry spends: an allocation (or its
    prior or change), not revenue as it is for the 지자체 that receive it."""
    if not any(d.kind == "total" and _MINISTRY_BUDGET.search(d.subject_text or "") for d in drafts):
        return
    for draft in drafts:
        if draft.kind != "other" or draft.figure.column is not None or not _GRANT.search(draft.subject_text or ""):
            continue
        if draft.direction:
            draft.kind = "change"
        elif draft.base == "prior":
            draft.kind = "prior"
        else:
            draft.kind = "allocation"


def propagate_totals(drafts: list[Draft]) -> None:
    """An amount with no specific subject that equals or rounds from a total is that total."""
    totals = [d.figure.won for d in drafts if d.kind == "total"]
    if not totals:
        return
    for draft in drafts:
        if draft.kind != "allocation" or (draft.subject_text and not draft.generic_subject):
            continue
        if any(_rounds_to(total, draft.figure) for total in totals):
            draft.kind = "total"


_TIME_BEFORE: Final = re.compile(r"(?<![가-힣])(?P<when>올해|지난해|전년도?|금년|작년)\s?(?:예산\s?)?$")


def name_unnamed_levels(drafts: list[Draft], text: str) -> None:
    """A whole budget's level that its own clause leaves unnamed is named as a reader would name it.

    A total ("원안대로 10조원 유지", "…대비 증가한 33조원을 편성") is the budget the article names in its nearest
    total that is not an account (before it, else after it); a prior written only with its time ("올해 8조원
    대비") is that year's budget ("올해 예산").
    """
    named = [d for d in drafts if d.kind == "total" and d.subject_text and not _ACCOUNT.search(d.subject_text)]
    for k, draft in enumerate(drafts):
        if draft.subject_text or draft.figure.column is not None:
            continue
        if draft.kind == "total":
            before = [d for d in named if drafts.index(d) < k]
            source = before[-1] if before else next(iter(named), None)
            if source is not None:
                draft.subject_text = source.subject_text
                draft.generic_subject = source.generic_subject
        elif draft.kind == "prior":
            line_start = text.rfind("\n", 0, draft.figure.full_start) + 1
            when = _TIME_BEFORE.search(text, max(line_start, draft.figure.full_start - 12), draft.figure.full_start)
            if when is not None:
                draft.subject_text = f"{when.group('when')} 예산"
