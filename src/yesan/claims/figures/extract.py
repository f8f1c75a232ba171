"""Extract every money figure of an article as a :class:`~yesan.claims.model.Claim`.

``extract(text)`` takes HTML or plain text; ``extract_file(path)`` reads a file (``-`` for standard
input). The steps: the main text (:mod:`.text`), the figures in it (:mod:`.figures`, :mod:`.tables`),
sentences (:mod:`.sentences`), Kiwi tokens of the sentences that hold money (:mod:`.morph`), then
per figure its kind (:mod:`.kind`) and subject (:mod:`.purpose`, over :mod:`.phrases`), then what links
figures across sentences (:mod:`.links`), and the year and stage (:mod:`.timeline`).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Final

from yesan.claims.article.morph import TIME_WORDS, tokenize
from yesan.claims.article.sentences import sentence_at, split_sentences
from yesan.claims.article.text import Document, read_document, to_document
from yesan.claims.figures.figure import Figure
from yesan.claims.figures.kind import (
    base_kind,
    change_direction,
    is_other,
    is_whole_budget,
    not_budget_subject,
    past_reference,
    sized_budget,
)
from yesan.claims.figures.links import (
    Draft,
    link_percentages,
    ministry_grants,
    name_changes,
    name_unnamed_levels,
    propagate_totals,
    resolve_adjustments,
    revenue_siblings,
    share_subjects,
    sums_of_accounts,
    supplementary_increments,
)
from yesan.claims.figures.lists import distribute, governed_changes, qualify_cross_lists
from yesan.claims.figures.phrases import Phrase, SentenceView, clause_start, is_generic
from yesan.claims.figures.prose import find_figures, normalize_decimal_dots
from yesan.claims.figures.purpose import find_subject
from yesan.claims.figures.timeline import Timeline, figure_stage, figure_year, timeline
from yesan.claims.model import Claim, Kind

__all__ = ["extract", "extract_document", "extract_file", "extract_files"]

_REVENUE_TOPIC: Final = re.compile(r"(?:세입|재원|세입재원)(?:은|는|으로는)\s")


def extract(text: str, *, source: str | None = None) -> list[Claim]:
    """Every money figure in ``text`` (HTML or plain text) as a claim; offsets index the extracted text."""
    return extract_document(to_document(text, source=source))


def extract_file(path: str | Path) -> list[Claim]:
    """Claims of one file (HTML or text; ``-`` reads standard input)."""
    return extract_document(read_document(path))


def extract_files(paths: Iterable[str | Path]) -> list[Claim]:
    """Claims of several files, in order; each claim's ``source`` names its file."""
    claims: list[Claim] = []
    for path in paths:
        claims.extend(extract_file(path))
    return claims


def extract_document(document: Document) -> list[Claim]:
    """Claims of a :class:`~yesan.claims.article.text.Document`; offsets index ``document.text``."""
    original = document.text
    text = normalize_decimal_dots(original)
    line = timeline(text, document.published)
    figures = find_figures(text, budget_year=line.budget_year)
    if not figures:
        return []
    sentences = split_sentences(text)
    grouped: dict[int, list[Figure]] = {}
    for figure in figures:
        grouped.setdefault(sentence_at(sentences, figure.start), []).append(figure)
    drafts: list[Draft] = []
    for index in sorted(grouped):
        drafts.extend(_read_sentence(text, sentences, index, grouped[index], line))
    governed_changes(text, sentences, drafts)
    resolve_adjustments(drafts)
    link_percentages(text, sentences, drafts)
    propagate_totals(drafts)
    sums_of_accounts(drafts)
    ministry_grants(drafts)  # first: a ministry's 교부세 is spending, so what is listed with it is too
    revenue_siblings(text, drafts)
    supplementary_increments(drafts)
    share_subjects(drafts)
    name_changes(drafts, text)
    name_unnamed_levels(drafts, text)
    qualify_cross_lists(text, sentences, drafts)
    drafts = distribute(text, drafts)
    claims: list[Claim] = []
    previous: dict[int, int] = {}
    for draft in drafts:
        sentence_start = sentences[draft.sentence][0]
        previous_end = previous.get(draft.sentence, sentence_start)
        claims.append(_claim(original, text, sentences, draft, line, document.source, previous_end))
        previous[draft.sentence] = draft.figure.full_end
    return claims


def _read_sentence(
    text: str, sentences: list[tuple[int, int]], index: int, figures: list[Figure], line: Timeline
) -> list[Draft]:
    start, end = sentences[index]
    sentence = text[start:end]
    prose = [f for f in figures if f.column is None]
    drafts: list[Draft] = []
    view: SentenceView | None = None
    if prose:
        spans = [(f.full_start - start, f.full_end - start) for f in prose]
        view = SentenceView.build(sentence, tokenize(sentence), spans)
    position = {id(f): k for k, f in enumerate(prose)}
    for figure in figures:
        if figure.column is not None:
            drafts.append(_table_draft(figure, index))
            continue
        assert view is not None
        drafts.append(_prose_draft(text, start, end, index, figure, position[id(figure)], view, line))
    _from_to(text, drafts)
    _coordinated_changes(text, drafts)
    return drafts


def _table_draft(figure: Figure, index: int) -> Draft:
    column = figure.column
    assert column is not None
    if column.kind == "change":
        kind, direction = "change", (-1 if figure.won < 0 else 1)
    elif column.kind in ("prior", "other"):
        kind, direction = column.kind, 0  # "other": a 산출기초 unit price
    else:
        kind, direction = ("total" if column.row_total else "allocation"), 0
    draft = Draft(figure, index, kind, direction)
    draft.subject_text = column.row_label
    if column.change_pct is not None:
        draft.change_pct = _decimal(column.change_pct)
    return draft


def _decimal(value: float) -> Decimal:
    return Decimal(str(value))


def _prose_draft(
    text: str, start: int, end: int, index: int, figure: Figure, k: int, view: SentenceView, line: Timeline
) -> Draft:
    first, _ = view.figures[k]
    tokens = view.tokens
    clause = clause_start(view, first) if first >= 0 else 0
    if k > 0 and view.figures[k - 1][1] >= clause:
        clause = view.figures[k - 1][1] + 1  # "지난해 3조원에서 올해 3조3000억원으로": each its own time
    clause_char = start + (tokens[clause].start if tokens and clause < len(tokens) else 0)
    past = first >= 0 and past_reference(tokens, clause, first, line.budget_year, line.current_year)
    after_percent = bool(re.search(r"%\s?\(\s?$", text[max(start, figure.full_start - 4) : figure.full_start]))
    direction = change_direction(text, figure, after_percent=after_percent)
    kind: str | None = None
    base: str | None = None
    if direction is not None:
        kind = "change"
    else:
        base = base_kind(text, figure, clause_char, end, past)
        if base == "prior" or (base is None and past):
            kind = "prior"
    subject = find_subject(view, k, change=kind == "change", prior=kind == "prior")
    if kind in ("change", "prior") and not_budget_subject(subject, view.text):
        kind = "other"  # a fare that rises, debt that falls: not budget money
    if kind is None:
        if is_other(text, figure, subject, view.text) or _listed_revenue(text, start, figure, subject):
            kind = "other"
        elif is_whole_budget(subject, view.text):
            kind = "total"
        else:
            kind = "allocation"
    sized = sized_budget(text, start, figure) if kind == "allocation" else None
    if sized is not None:
        kind = "total"
    draft = Draft(figure, index, kind, direction or 0, subject, base=base)
    if subject is not None:
        draft.subject_text = subject.text(view.text)
        draft.generic_subject = subject.how == "apposition" and is_generic(subject)
        if kind == "prior" and subject.how not in ("apposition", "paren"):
            when = _time_before(view, first)
            if when and not draft.subject_text.startswith(when):
                draft.subject_text = f"{when} {draft.subject_text}"  # "지난해 2조원에 비해" → "지난해 공원 부문"
    if sized:
        draft.subject_text = sized  # "2026년도 제1회 추가경정예산안을 … 규모로 편성": the budget it sizes
    return draft


def _time_before(view: SentenceView, first: int) -> str | None:
    """The time words written right before a figure ("지난해", "2025년"), if any."""
    tokens = view.tokens
    k = first - 1
    while k >= 0 and (tokens[k].form in TIME_WORDS or tokens[k].tag == "SN"):
        k -= 1
    if k == first - 1:
        return None
    return view.text[tokens[k + 1].start : tokens[first - 1].end]


_COORDINATED: Final = re.compile(r"\s?(?:\([^()]{0,12}\))?\s?(?:과|와|및|,|그리고)\s?[^0-9.,]{0,30}$")
_PARTICLE_COMMA: Final = re.compile(r"\s?(이|가|을|를)\s?,")


def _coordinated_changes(text: str, drafts: list[Draft]) -> None:
    """Amounts that share a change verb: "조경 사업 12억원과 홍보비 5억원을 전액 삭감했다",
    "각각 311억원(7.73%), 59억원(21.77%) 증가", "일반회계는 … 897억원이, 특별회계는 … 97억원이 각각 증액됐다".
    """
    for k in range(len(drafts) - 2, -1, -1):
        first, second = drafts[k], drafts[k + 1]
        if first.kind not in ("allocation", "total") or second.kind != "change" or first.figure.column is not None:
            continue
        between = text[first.figure.full_end : second.figure.full_start]
        new_clause = re.search(r"[다며고서]\s|[가-힣](?:은|는|이|가)\s", between)  # "…원, 특별회계가 6억 증가된"
        if _COORDINATED.match(between) and not new_clause:
            first.kind, first.direction = "change", second.direction
    for k, first in enumerate(drafts):
        marked = _PARTICLE_COMMA.match(text, first.figure.full_end)
        if first.kind not in ("allocation", "total") or first.figure.column is not None or marked is None:
            continue
        for later in drafts[k + 1 :]:
            if later.sentence != first.sentence:
                break
            if later.kind == "change" and text.startswith(marked.group(1), later.figure.full_end):
                first.kind, first.direction = "change", later.direction
                break


def _listed_revenue(text: str, sentence_start: int, figure: Figure, subject: Phrase | None) -> bool:
    """ "주요 세입은 국·도비보조금 16억 원과 특별교부세 6억…": items listed under revenue are not spending."""
    topic = _REVENUE_TOPIC.search(text, sentence_start, figure.full_start)
    return topic is not None and (subject is None or subject.start >= topic.end() - sentence_start)


def _from_to(text: str, drafts: list[Draft]) -> None:
    """ "61억원에서 132억원으로": the second amount has the first one's subject."""
    for before, after in itertools.pairwise(drafts):
        if after.subject_text is None and re.fullmatch(
            r"\s?에서\s?", text[before.figure.full_end : after.figure.full_start]
        ):
            after.subject = before.subject
            after.subject_text = before.subject_text


def _claim(
    original: str,
    text: str,
    sentences: list[tuple[int, int]],
    draft: Draft,
    line: Timeline,
    source: str | None,
    previous_end: int,
) -> Claim:
    figure = draft.figure
    start, end = sentences[draft.sentence]
    won = figure.won
    if draft.kind == "change":
        won = -abs(won) if draft.direction < 0 else abs(won)
    elif figure.column is None:
        won = abs(won)
    pct = float(draft.change_pct) if draft.change_pct is not None else None
    kind: Kind = draft.kind  # type: ignore[assignment]
    return Claim(
        amount_krw=won,
        amount_text=original[figure.start : figure.end],
        start=figure.start,
        end=figure.end,
        sentence=original[start:end],
        subject=draft.subject_text,
        kind=kind,
        qualifier=figure.qualifier,
        change_pct=pct,
        year=figure_year(text, figure, draft.kind, draft.subject_text, max(start, previous_end), line),
        stage=figure_stage(text, figure, draft.kind, max(start, previous_end), line),
        source=source,
    )
