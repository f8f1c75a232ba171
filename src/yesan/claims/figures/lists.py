"""Amounts in lists: the predicate or the lead that governs them, and amounts given to several subjects.

Council and budget stories list the programs a revision touched and say once what happened to all of
them: "A 1억 원, B 1억 원, C 2000만원 등 행사 예산을 삭감했다", "주요 삭감 내용은 A(7억원), B(18억원)
등이다", "▲A(652억) ▲B(214억) 등이 증액됐다". Two rules decide such amounts, which read as plain
levels on their own:

* **the governing predicate** — the first change verb after the amount in its clause (before a clause
  ending such as ``-하고``, ``-이며``, ``반면``, ``-다.`` or another predicate: ``배정해``, ``투입한``,
  ``확대된`` — a program that expands is not a budget change) gives its sign: 삭감/감액/줄어/깎 → a cut,
  증액/증가/늘어 → an increase. A verb-like noun counts only as a predicate (``증액됐다``, ``삭감한``,
  ``감액``), not inside a program's name (``일자리 확대 지원``);
* **the lead** — without such a verb, a topic that names the change ("주요 삭감 내용은", "감액한 주요
  예산은", "반면 감액된 사업들은") gives the sign to every amount listed after it.

An amount that is a level in its own clause (``6448억 원으로 1323억 원 증액``, the base of a
comparison) is left alone.

**Distribution**: "A와 B에 각 1억 원씩" gives each coordinated subject the amount: one claim per subject.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Final

from yesan.claims.figures.links import Draft

__all__ = ["distribute", "governed_changes", "governing_direction", "qualify_cross_lists", "split_coordinated"]

_NOUN_UP: Final = r"증가|증액|상향|상승|순증|추가\s?반영|신규\s?반영"  # not 확대: a program "expands"
_NOUN_DOWN: Final = r"감소|감액|삭감|축소|하향|하락|인하|절감|순감|전액\s?삭감"
_VERB_SUFFIX: Final = r"(?:하|되|했|됐|된|한|해|돼|시키|시켰|(?=\s?(?:$|[.…,]|등)))"
_UP: Final = rf"(?:{_NOUN_UP}){_VERB_SUFFIX}|늘(?:어|었|린|려|렸|리|릴|고)|불(?:어|었|린|려|렸)"
_DOWN: Final = rf"(?:{_NOUN_DOWN}){_VERB_SUFFIX}|줄(?:어|었|인|여|였|일|고)|깎(?:였|인|아|았|여|고)"
_CLAUSE_END: Final = (
    r"(?:하고|되고|하며|되며|이며|이고|했고|됐고|였고|했으며|됐으며|였으며|이다|입니다|했다|됐다|였다|한다|된다"
    r"|반면|지만|으나|는데)(?=[\s,.…]|$)"
    # a predicate that is not a change ("4조원을 배정해 … 확대하고"): the amount is a level
    r"|(?:배정|투입|편성|지원|확보|배분|마련|포함|책정|집행|계상|반영|확대|소요)(?:하|되|했|됐|된|한|해|돼)|들여|들인"
)
_SCAN: Final = re.compile(rf"(?P<up>{_UP})|(?P<down>{_DOWN})|(?P<end>{_CLAUSE_END})")
#: A topic naming the change: "주요 삭감 내용은", "감액한 주요 예산은", "반면 감액된 사업들은", "증액 사업:".
#: The change word opens its word: in "인구감소지역은" 감소 is inside a name, not a lead.
_LEAD: Final = re.compile(
    rf"(?<![가-힣])(?:(?P<up>{_NOUN_UP}|늘린|늘어난)|(?P<down>{_NOUN_DOWN}|줄인|줄어든|깎인))"
    r"[가-힣]{0,2}\s?(?:[가-힣]{1,6}\s?){0,3}?(?:들)?(?:은|는|으로는|로는|:|：)\s"
)
#: A level in its own clause ("6448억 원으로 1323억 원 증액"), the base of a comparison, or a share.
_LEVEL_AFTER: Final = re.compile(r"\s?\)?\s?(?:으로|로|에서|보다|대비|에\s?비해|중|가운데|의\s?[0-9])")
_EACH_BEFORE: Final = re.compile(r"(?:각각|각)\s?(?:약\s?)?$")
_EACH_AFTER: Final = re.compile(r"\s?씩")
_PAIRED: Final = re.compile(r"\s?(?:\([^()]{0,24}\))?\s?(?:,|와|과|및|그리고)\s?")
#: The recipients listed before "에 각 …": "시는 도서관 건립, 공원 조성에 각 1억 원씩".
_RECIPIENTS: Final = re.compile(
    r"(?:^|[은는]\s)(?P<names>(?:(?![은는]\s)[^.!?\n]){2,60}?)에게?\s?(?:(?:각각|각)\s?)?(?:약\s?)?$"
)
#: The names before "은/는/이/가/에 각각" that a paired list's amounts go to, in order.
_NAMED_EACH: Final = re.compile(
    r"(?:^|[.!?\n]\s?|[은는]\s)(?P<names>[^.!?\n]{2,60}?)(?:[은는이가]|에게?|에는)\s?(?:각각|각)\s?(?:약\s?)?$"
)
#: A clause in front of the names ("자체 수입인 지방세, 세외수입"): what the names are, not one of them.
_MODIFIER: Final = re.compile(r"^.*?[가-힣](?:인|한|된|할|의)\s(?=[^,]*,)")
_COARSE_COORDINATOR: Final = re.compile(r"(?<=[가-힣A-Za-z0-9)'’”])(?:와|과)\s|\s?,\s?|\s및\s")
_COORDINATOR: Final = re.compile(r"(?<=[가-힣A-Za-z0-9)'’”])(?:와|과)\s|\s?,\s?|\s및\s|\s?[·ㆍ]\s?")


#: A percentage between an amount and the verb: "노인(27조원)과 … 예산도 각각 7.0%, 4.1% 증가했다".
_PERCENT: Final = re.compile(r"(?<![(0-9.])[0-9]+(?:\.[0-9]+)?\s?%(?!\s?\))")


def governing_direction(text: str, start: int, end: int) -> int | None:
    """+1 / -1 when the first predicate in ``text[start:end]`` is an increase / a cut, before the clause ends.

    When a percentage stands between the amount and that verb, the verb measures the change in percent
    and the amount is a level: None.
    """
    match = _SCAN.search(text, start, end)
    if match is None or match.group("end"):
        return None
    if _PERCENT.search(text, start, match.start()):
        return None
    return 1 if match.group("up") else -1


def _lead_direction(text: str, start: int, end: int) -> int | None:
    leads = list(_LEAD.finditer(text, start, end))
    if not leads:
        return None
    return 1 if leads[-1].group("up") else -1


def governed_changes(text: str, sentences: list[tuple[int, int]], drafts: list[Draft]) -> None:
    """Allocations that a following change verb or a change-naming lead governs become changes (in place)."""
    first_of: dict[int, int] = {}
    for draft in drafts:
        first_of.setdefault(draft.sentence, draft.figure.full_start)
    for draft in drafts:
        figure = draft.figure
        if draft.kind != "allocation" or figure.column is not None or draft.base is not None:
            continue
        if _LEVEL_AFTER.match(text, figure.full_end):
            continue
        start, end = sentences[draft.sentence]
        direction = governing_direction(text, figure.full_end, end)
        if direction is None:
            direction = _lead_direction(text, start, first_of[draft.sentence])
        if direction is not None:
            draft.kind, draft.direction = "change", direction


def split_coordinated(subject: str) -> list[str]:
    """The coordinated parts of a subject: "도서관 건립과 공원 조성" → 도서관 건립, 공원 조성 ([] if one)."""
    parts = [part.strip(" '‘’\"“”") for part in _COORDINATOR.split(subject)]
    parts = [part for part in parts if len(part) >= 2]
    return parts if len(parts) >= 2 else []


def _split_into(subject: str, count: int) -> list[str]:
    """``subject``'s coordinated parts when there are ``count`` of them: split at 와/과/및/commas first, and at
    middle dots only if that is what makes ``count`` ("교통·물류 분야와 보건 분야" is two, not three)."""
    coarse = [part.strip(" '‘’\"“”") for part in _COARSE_COORDINATOR.split(subject)]
    coarse = [part for part in coarse if len(part) >= 2]
    if len(coarse) == count:
        return coarse
    fine = split_coordinated(subject)
    return fine if len(fine) == count else []


def _bind_pairs(text: str, drafts: list[Draft]) -> list[Draft]:
    """ "A와 B는 각각 N, M": the subjects of a paired list bound to its amounts in order (one each)."""
    result = list(drafts)
    k = 0
    while k < len(result):
        draft = result[k]
        start = draft.figure.full_start
        run = [k]
        if _EACH_BEFORE.search(text, max(0, start - 6), start) is not None:
            while run[-1] + 1 < len(result):
                a, b = result[run[-1]], result[run[-1] + 1]
                if (
                    b.sentence != draft.sentence
                    or _PAIRED.fullmatch(text, a.figure.full_end, b.figure.full_start) is None
                ):
                    break
                run.append(run[-1] + 1)
        if len(run) >= 2 and draft.figure.column is None:
            named = _NAMED_EACH.search(text, max(0, start - 80), start)
            names = re.split(r"[은는]\s", named.group("names"))[-1] if named else ""
            choices = [draft.subject_text or "", _MODIFIER.sub("", names)]
            parts = next((found for name in choices if (found := _split_into(name, len(run)))), [])
            for j, part in zip(run, parts, strict=False):
                result[j] = replace(result[j], subject_text=part)
        k = run[-1] + 1
    return result


def distribute(text: str, drafts: list[Draft]) -> list[Draft]:
    """Drafts with an amount given to each of several subjects ("A와 B에 각 1억 원씩") repeated per subject; a
    paired list ("A와 B는 각각 N, M") gives one amount to each subject, in order."""
    drafts = _bind_pairs(text, drafts)
    result: list[Draft] = []
    for k, draft in enumerate(drafts):
        figure = draft.figure
        each = _EACH_BEFORE.search(text, max(0, figure.full_start - 6), figure.full_start) is not None
        spread = each or _EACH_AFTER.match(text, figure.full_end) is not None
        later = drafts[k + 1] if k + 1 < len(drafts) else None
        if each and later is not None and later.sentence == draft.sentence:
            # "A 분야와 B 분야는 각각 78억원(28% 증가), 68억원": a paired list, one amount per subject in order
            spread = _PAIRED.fullmatch(text, figure.full_end, later.figure.full_start) is None
        # an amount per person ("20만원씩", kind other) stays one figure: it is not a budget line
        if figure.column is None and draft.kind != "other" and draft.subject_text and spread:
            parts = split_coordinated(draft.subject_text)
            listed = _RECIPIENTS.search(text, max(0, figure.full_start - 80), figure.full_start)
            if len(parts) < 2 and listed is not None:  # "A, B에 각 1억 원": the subject found was only B
                parts = split_coordinated(listed.group("names"))
            if parts:
                result.extend(replace(draft, subject_text=part) for part in parts)
                continue
        result.append(draft)
    return result


#: The topic a list's items are under: "도시지역은 우수 지역 50억원, …" (a word or two before 은/는).
_LIST_TOPIC: Final = re.compile(
    r"(?:^|(?<=[\s,.]))(?P<topic>[가-힣A-Za-z0-9·]{2,12}(?:\s[가-힣A-Za-z0-9·]{2,8})?)[은는]\s"
)


def qualify_cross_lists(text: str, sentences: list[tuple[int, int]], drafts: list[Draft]) -> None:
    """A sentence that lists the same items under two topics ("도시지역은 우수 지역 50억원, A등급 30억원,
    농촌지역은 우수 지역 20억원, A등급 15억원") is a cross table: each item is named with its topic
    ("도시지역 우수 지역"), or the two 우수 지역 could not be told apart."""
    by_sentence: dict[int, list[Draft]] = {}
    for draft in drafts:
        # a total or a prior ("서울시 예산은 2025년 본예산 …") is a budget at a time, not an item of a table
        if draft.subject_text and draft.figure.column is None and draft.kind in ("allocation", "change", "other"):
            by_sentence.setdefault(draft.sentence, []).append(draft)
    for index, listed in by_sentence.items():
        start, end = sentences[index]
        topics = [(m.end(), m.group("topic")) for m in _LIST_TOPIC.finditer(text, start, end)]
        if len(topics) < 2:
            continue
        under: dict[str, list[Draft]] = {}
        for draft in listed:
            before = [topic for at, topic in topics if at <= draft.figure.full_start]
            if before:
                under.setdefault(before[-1], []).append(draft)
        names = [{d.subject_text for d in items} for items in under.values()]
        if len(names) < 2 or not any(a & b for k, a in enumerate(names) for b in names[k + 1 :]):
            continue
        for topic, items in under.items():
            for draft in items:
                if draft.subject_text and topic not in draft.subject_text:
                    draft.subject_text = f"{topic} {draft.subject_text}"
