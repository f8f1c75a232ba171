"""Matching: which figures in the data could each claim be about, and how well do their subjects agree.

A claim is matched on its *subject* (``claims.subjects``); the amount decides the verdict (``claims.judge``),
and lets a weakly matching figure count only when the two agree. What a claim is compared with depends on
its role (``role_of``):

* a level (``total``, ``allocation``, ``other``) — a reported figure's amount, an item's 예산현액, a 분야/부문
  total of the government's items, or the government's total;
* a ``change`` on the prior year — a reported figure's change (or a reported ``change`` row);
* a ``revision``, a change against the proposal (``예산안 대비 282억원 감액``) — the enacted figure minus the
  proposed one of the same subject, a reported ``change`` row, or a council committee's change in review;
* a ``prior`` (or a level of the year before the budget's year) — a reported figure's prior-year amount
  (or a reported ``prior`` row).

Subjects that say nothing: a change or prior figure (``올해보다 늘어난 금액``) borrows the subject of the level
figure it qualifies (``anchor_of``) and, once that figure is judged, is compared with the same reported
figure's change or prior-year column (score ``ANCHORED``). A total whose subject only says "the budget"
(``내년 예산안``) matches the reported totals, the one named 총계/총예산 best (``GENERIC_TOTAL``); a total
that names no total in the data is read the same way, and any other figure matching nothing may be a
total weakly. A reported figure named just before a claim rather than in its subject (``약자와의 동행 사업
… 총 15조6000억원을 투입해 취약계층 돌봄과 보호를``) is a weak candidate (``NEARBY``). Weak candidates count
only when the figures agree (``claims.judge``). Scores and thresholds: ``MATCH_MIN``, ``WEAK_MIN``, ``KEEP_MIN``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from yesan.claims.candidates.reference import Reference, ReportedFigure
from yesan.claims.candidates.subjects import TOTAL_WORDS, Similarity, alternates, compact, is_generic, similarity
from yesan.claims.model import Claim, Evidence
from yesan.claims.wording import Phrase
from yesan.model import AMOUNT_LABELS_KO
from yesan.query.korean import normalize

__all__ = [
    "KEEP_MIN",
    "MATCH_MIN",
    "TIE",
    "WEAK_MIN",
    "Candidate",
    "Match",
    "anchor_of",
    "context_of",
    "match_claim",
    "match_claims",
    "role_of",
]

#: A subject scoring at least this is a match; from ``WEAK_MIN`` it counts only when the figures agree.
MATCH_MIN: Final = 0.5
WEAK_MIN: Final = 0.25
#: Candidates below this are dropped; from here to ``WEAK_MIN`` one counts only when equal to the won.
KEEP_MIN: Final = 0.2
#: Candidates within this of the best score are equally good.
TIE: Final = 0.08
#: Scores of a subject that only says "the budget" against reported totals (총계-like, other totals).
GENERIC_TOTAL: Final = 0.75
GENERIC_OTHER_TOTAL: Final = 0.55
#: A change or prior-year figure (or a figure not called a total) whose subject says nothing is the budget's
#: only when the figures agree.
GENERIC_CHANGE_DISCOUNT: Final = 0.3
#: The score of a reported figure that the level figure a change/prior figure qualifies was matched to.
ANCHORED: Final = 0.85
#: Penalties: a figure of another kind (total vs allocation), another stage, a stage the data does not name.
KIND_PENALTY: Final = 0.1
STAGE_PENALTY: Final = 0.15
NO_STAGE_PENALTY: Final = 0.1
#: A reported figure named just before a claim (not in its subject) counts only when the figures agree.
NEARBY: Final = 0.45
NAME_MIN: Final = 3
CONTEXT_CHARS: Final = 240
#: Item hits read from the search index per claim.
ITEM_HITS: Final = 12
_LEVEL_KINDS: Final = ("total", "allocation", "other")
#: A change joined to the level figure after it: ``8000억원 늘린 총 15조6000억원``, ``7% 늘어난 51조5060억원``.
_CHANGE_WORD: Final = re.compile(
    r"^\s*원?\s*(?:\([^()]{0,12}\))?\s*(?:을|를|이|가)?\s*"
    r"(?:늘어난|늘린|증가한|증가된|증액된|증액한|감소한|줄어든|줄인|삭감된|감액된|오른|인상된|확대된|축소된)"
    r"\s*(?:총|모두|전체)?\s*(?:예산|규모)?\s*(?:은|는|이|가)?\s*$"
)
GAP_CHARS: Final = 30
#: A topic before the figure (``예산은``, ``교육청도``): the sentence says what it is about itself (not ``이는``).
_OWN_TOPIC: Final = re.compile(r"(?:^|\s)[가-힣]{2,}(?:은|는|도)\s")
#: A change measured against the proposal: ``제출한 예산안(…) 대비``, ``원안보다``, ``예산안 51조5060억원보다``.
_REVISION: Final = re.compile(
    r"(?:예산안|제출안|원안|정부안|당초안|편성안)\s*(?:\([^()]*\)|[0-9][0-9조억만천,. ]*원?)?\s*"
    r"(?:대비|보다|에\s*비해|에서)"
    r"|(?:심사|심의|예비심사)\s*(?:과정)?에서"
    # a council's cuts and additions are revisions of the proposal, not changes over last year
    r"|(?:의회|국회|예결위|예결특위|예산결산특별위원회|상임위원회|상임위)[^.。]*?(?:삭감|감액|증액|순증|순감|조정)"
)
_TOTAL_WORDS: Final = tuple(normalize(word) for word in TOTAL_WORDS)


@dataclass(frozen=True)
class Candidate:
    """One figure a claim may be about. ``group`` is the same for one subject at several stages."""

    evidence: Evidence
    score: float
    partial: bool = False
    group: str = ""


@dataclass(frozen=True)
class Match:
    """A claim's candidates, best first, and the subject they were found with."""

    claim: Claim
    candidates: tuple[Candidate, ...]
    subject: str | None
    borrowed: bool = False  # the subject is a nearby level figure's (see the module docstring)
    role: str = "level"  # level / change / revision / prior
    generic: bool = False  # the subject only says "the budget"
    notes: tuple[str, ...] = field(default=())


def role_of(claim: Claim, year: int | None) -> str:
    """``level``, ``change``, ``revision`` or ``prior``: which figure of the data the claim is compared with.

    A ``revision`` is a change against the proposal rather than the year before (``예산안 대비 282억원
    감액``): it is compared with the enacted figure minus the proposed one.
    """
    if claim.kind == "change":
        return "revision" if _REVISION.search(claim.sentence) else "change"
    if claim.kind == "prior":
        return "prior"
    if claim.year is not None and year is not None and claim.year == year - 1:
        return "prior"
    return "level"


def match_claims(claims: Sequence[Claim], reference: Reference, *, text: str | None = None) -> list[Match]:
    """Candidates for every claim of one text (claims in text order; ``text`` the body their offsets index)."""
    names = _gov_names(reference)
    subjects = _subjects(claims, reference.year, names)
    return [
        match_claim(claim, reference, subject=subject, borrowed=borrowed, context=context_of(claim, text))
        for claim, (subject, borrowed) in zip(claims, subjects, strict=True)
    ]


def context_of(claim: Claim, text: str | None) -> str:
    """The text just before a claim (``CONTEXT_CHARS``) and its sentence: where its subject may be named."""
    if text is None or text[claim.start : claim.end] != claim.amount_text:
        return claim.sentence
    return text[max(0, claim.start - CONTEXT_CHARS) : claim.start] + " " + claim.sentence


def match_claim(
    claim: Claim,
    reference: Reference,
    *,
    subject: str | None = None,
    borrowed: bool = False,
    anchors: Sequence[ReportedFigure] = (),
    same_subject: bool = False,
    context: str | None = None,
) -> Match:
    """Candidates for one claim, best first (``subject`` overrides the claim's own).

    ``anchors``: the reported figures the level figure this claim qualifies was matched to; their
    change or prior-year column is a candidate with score ``ANCHORED`` when the claim's subject says
    nothing, resembles the figure's, or (``same_subject``) resembles the level figure's own subject.
    """
    wanted = subject if subject is not None else claim.subject
    role = role_of(claim, reference.year)
    candidates = list(_reported(claim, wanted, role, reference, anchors, same_subject))
    if reference.has_items and role == "level":
        candidates.extend(_items(claim, wanted, reference))
    if context and not any(c.score >= MATCH_MIN and not c.partial for c in candidates):
        candidates.extend(_named_nearby(claim, role, reference, context, candidates))
    candidates.sort(key=lambda c: (-c.score, c.partial, c.evidence.label))
    generic = is_generic(wanted, government_names=_gov_names(reference))
    return Match(claim, tuple(candidates), wanted, borrowed, role, generic)


# --- subjects ------------------------------------------------------------------------------------


def _gov_names(reference: Reference) -> tuple[str, ...]:
    return reference.government.aliases if reference.government else ()


def _subjects(claims: Sequence[Claim], year: int | None, names: tuple[str, ...]) -> list[tuple[str | None, bool]]:
    """Each claim's subject, or for a change/prior with a subject that says nothing, its level figure's."""
    result: list[tuple[str | None, bool]] = []
    for index, claim in enumerate(claims):
        own = claim.subject
        if role_of(claim, year) == "level" or not is_generic(own, government_names=names):
            result.append((own, False))
            continue
        anchor = anchor_of(claims, index, year)
        usable = anchor is not None and not is_generic(claims[anchor].subject, government_names=names)
        result.append((claims[anchor].subject, True) if anchor is not None and usable else (own, False))
    return result


def _position(claim: Claim) -> int:
    """Where the claim's figure starts in its sentence (-1 when the sentence does not hold it)."""
    return claim.sentence.find(claim.amount_text)


def anchor_of(claims: Sequence[Claim], index: int, year: int | None) -> int | None:
    """The level figure a change or prior figure qualifies (its index), or None.

    The nearest level figure before it in its sentence (``15조6256억원으로 지난해보다 8601억원``); else one
    right after it joined by a word of change (``8000억원 늘린 총 15조6000억원``); else, when nothing before
    it in its sentence names a subject (``올해보다 8601억원(5.8%) 늘어난 …``), the last level figure of the
    sentence before.
    """
    claim = claims[index]
    if role_of(claim, year) == "level":
        return None
    same = [i for i, c in enumerate(claims) if c.sentence == claim.sentence and i != index]
    levels = [i for i in same if role_of(claims[i], year) == "level"]
    before = [i for i in levels if claims[i].start < claim.start]
    if before:
        return before[-1]
    at = _position(claim)
    for i in levels:
        if claims[i].start > claim.start and at >= 0:
            gap = claim.sentence[at + len(claim.amount_text) : max(at, _position(claims[i]))]
            if len(gap) <= GAP_CHARS and _CHANGE_WORD.match(gap):
                return i
    if at < 0 or _OWN_TOPIC.search(claim.sentence[:at]):
        return None  # the sentence names its own subject ("2026년도 서울시 예산은 올해 본예산 … 대비")
    earlier = [i for i in range(index) if claims[i].sentence != claim.sentence]
    if earlier:
        previous = claims[earlier[-1]].sentence
        found = [i for i in earlier if claims[i].sentence == previous and role_of(claims[i], year) == "level"]
        if found:
            return found[-1]
    return None


# --- reported figures ----------------------------------------------------------------------------


def _figures(figure: ReportedFigure, role: str) -> list[tuple[int, str, str]]:
    """(amount, what it is, which column) of a reported figure that a claim in ``role`` compares with."""
    found: list[tuple[int, str, str]] = []
    if role == "level" and figure.kind in _LEVEL_KINDS:
        found.append((figure.amount, figure.subject, "amount"))
    elif role == "change":
        if figure.kind == "change":
            found.append((figure.amount, figure.subject, "amount"))
        elif figure.change_amount is not None:
            what = Phrase("evidence.change_on", subject=figure.subject, year=str(figure.fiscal_year - 1))
            found.append((figure.change_amount, what, "change"))
    elif role == "prior":
        if figure.kind == "prior":
            found.append((figure.amount, figure.subject, "amount"))
        elif figure.prior_amount is not None:
            found.append((figure.prior_amount, f"{figure.subject}: {figure.fiscal_year - 1}", "prior"))
    elif role == "revision":
        if figure.kind == "change":
            found.append((figure.amount, figure.subject, "amount"))
        elif figure.stage is None and figure.change_amount is not None:
            # A figure of another stage (a council committee's) records its change against the proposal.
            found.append((figure.change_amount, Phrase("evidence.change_in_review", subject=figure.subject), "review"))
    return found


def _revisions(reference: Reference) -> list[tuple[ReportedFigure, ReportedFigure]]:
    """(proposed, enacted) pairs of one subject's reported level figure."""
    proposed = {(f.dataset, f.subject, f.kind): f for f in reference.reported if f.stage == "예산안"}
    pairs = []
    for figure in reference.reported:
        if figure.stage == "본예산" and figure.kind in _LEVEL_KINDS:
            before = proposed.get((figure.dataset, figure.subject, figure.kind))
            if before is not None:
                pairs.append((before, figure))
    return pairs


def _is_total_name(subject: str) -> bool:
    value = normalize(subject)
    return any(word in value for word in _TOTAL_WORDS)


def _reported(
    claim: Claim,
    subject: str | None,
    role: str,
    reference: Reference,
    anchors: Sequence[ReportedFigure] = (),
    same_subject: bool = False,
) -> list[Candidate]:
    names = _gov_names(reference)
    generic = is_generic(subject, government_names=names)
    own_generic = is_generic(claim.subject, government_names=names)  # the subject may be borrowed
    scored: list[tuple[ReportedFigure, int, str, str, Similarity]] = []
    as_total: set[int] = set()  # places in ``scored`` scored as "the budget" rather than by name
    for figure in reference.reported:
        for amount, what, column in _figures(figure, role):
            if generic:
                match = _generic_score(claim, role, figure)
                as_total.add(len(scored))
            else:
                assert subject is not None
                match = similarity(subject, figure.subject, government_names=names)
                if role == "level" and figure.kind != claim.kind:
                    match = Similarity(match.score - KIND_PENALTY, match.partial)
            if figure in anchors and (own_generic or same_subject or match.score >= WEAK_MIN):
                match = Similarity(max(match.score, ANCHORED), False)
            scored.append((figure, amount, what, column, match))
    if role == "revision":
        for before, after in _revisions(reference):
            if generic:
                match = _generic_score(claim, "revision", after)
                as_total.add(len(scored))
            else:
                match = similarity(subject or "", after.subject, government_names=names)
            if after in anchors or before in anchors:
                match = Similarity(max(match.score, ANCHORED), False)
            what = f"{after.subject}: 본예산 − 예산안"
            scored.append((after, after.amount - before.amount, what, "revision", match))
    if not generic and role == "level":
        # A total whose subject names no total in the data ("분야·부문별 세출예산 총규모") is read as the budget;
        # any other figure that matches nothing may still be a total under another name (weakly: only if equal).
        totals = [m.score for f, *_rest, m in scored if f.kind == "total"]
        anything = [m.score for *_rest, m in scored if not m.partial]
        best = max(totals if claim.kind == "total" else anything, default=0.0)
        if best < MATCH_MIN:
            for place, (f, a, w, c, m) in enumerate(scored):
                total = _generic_score(claim, role, f).score
                if total > m.score:
                    scored[place] = (f, a, w, c, Similarity(total, m.partial))
                    as_total.add(place)
    found: list[Candidate] = []
    for place, (figure, amount, what, column, match) in enumerate(scored):
        score = match.score - (0.0 if column == "revision" else _stage_penalty(claim.stage, figure.stage))
        if score < KEEP_MIN and not match.partial:
            continue
        stage = "" if column == "revision" else f" {figure.stage_label}"
        label = Phrase("evidence.reported", government=figure.gov_name, year=str(figure.fiscal_year), stage=stage,
                       what=what)  # fmt: skip
        details = {**figure.details(), "compared": column, "subject_score": round(score, 3)}
        if place in as_total:
            details["as_the_budget"] = True
        citation = figure.citation(prior=column == "prior")
        if column == "revision":
            citation = f"{citation}; minus the 예산안 row of the same subject"
        evidence = Evidence(amount, label, "reported", citation, details)
        found.append(Candidate(evidence, score, match.partial, f"reported:{figure.dataset}:{figure.subject}"))
    return found


def _generic_score(claim: Claim, role: str, figure: ReportedFigure) -> Similarity:
    """How well a subject that only says "the budget" fits a reported figure (only totals fit)."""
    if figure.kind != "total" and not (role == "prior" and figure.kind == "prior"):
        return Similarity(0.0)
    score = GENERIC_TOTAL if _is_total_name(figure.subject) or figure.kind == "prior" else GENERIC_OTHER_TOTAL
    if role != "level" or claim.kind != "total":
        # "올해보다 늘어난 규모", or "내년 예산 2.5조" not called a total: the budget's figure only if they agree.
        score -= GENERIC_CHANGE_DISCOUNT
    return Similarity(score)


def _named_nearby(
    claim: Claim, role: str, reference: Reference, context: str, found: list[Candidate]
) -> list[Candidate]:
    """Reported figures whose name (``_names_of``) is written just before the claim or in its sentence:
    candidates at ``NEARBY``, which count only when the figures agree closely."""
    names = _gov_names(reference)
    window = compact(context, government_names=names)
    taken = {(c.evidence.label, c.evidence.amount_krw) for c in found}
    nearby: list[Candidate] = []
    for figure in reference.reported:
        if not any(word in window for word in _names_of(figure.subject, names)):
            continue
        for amount, what, column in _figures(figure, role):
            label = Phrase("evidence.reported", government=figure.gov_name, year=str(figure.fiscal_year),
                           stage=f" {figure.stage_label}", what=what)  # fmt: skip
            if (label, amount) in taken:
                continue
            score = NEARBY - _stage_penalty(claim.stage, figure.stage)
            details = {**figure.details(), "compared": column, "subject_score": round(score, 3), "named_nearby": True}
            evidence = Evidence(amount, label, "reported", figure.citation(prior=column == "prior"), details)
            nearby.append(Candidate(evidence, score, False, f"reported:{figure.dataset}:{figure.subject}"))
    return nearby


def _names_of(subject: str, government_names: tuple[str, ...]) -> set[str]:
    """How a data name may be written in running text: each alternate whole (three syllables or more) and
    its longest word when that has four or more (``환경수자원위원회`` for ``환경수자원위원회 소관 예산``)."""
    found: set[str] = set()
    for alternate in alternates(subject):
        whole = compact(alternate, government_names=government_names)
        if len(whole) >= NAME_MIN:
            found.add(whole)
        words = [compact(word, government_names=government_names) for word in alternate.split()]
        longest = max(words, key=len, default="")
        if len(longest) >= NAME_MIN + 1:
            found.add(longest)
    return found


def _stage_penalty(claimed: str | None, data: str | None) -> float:
    if claimed is None:
        return 0.0
    if data is None:
        return NO_STAGE_PENALTY
    return 0.0 if claimed == data else STAGE_PENALTY


# --- items -----------------------------------------------------------------------------------------


def _items(claim: Claim, subject: str | None, reference: Reference) -> list[Candidate]:
    names = _gov_names(reference)
    assert reference.government is not None
    gov = reference.government.name
    definition = _definition_note(claim, reference)
    found: list[Candidate] = []
    if is_generic(subject, government_names=names):
        if claim.kind == "total":
            total = reference.level("field").total
            what = f"{gov} 예산현액 합계"
            details = {"level": "government", "items": total.items, "note": definition}
            evidence = Evidence(total.budget, what, "items", reference.items_citation(what, total.items), details)
            found.append(Candidate(evidence, GENERIC_TOTAL, group=f"items:total:{gov}"))
        return found
    assert subject is not None
    for level, name_key, word in (("field", "field_name", "분야"), ("sector", "sector_name", "부문")):
        for row in reference.level(level).rows:
            name = row.key.get(name_key)
            if not name or len(compact(name)) < 2:
                continue
            match = similarity(subject, name, government_names=names)
            if match.score < MATCH_MIN or match.partial:
                continue
            what = f"{gov} {name} {word} 예산현액"
            details = {"level": level, **{k: v for k, v in row.key.items()}, "items": row.items, "note": definition}
            evidence = Evidence(row.budget, what, "items", reference.items_citation(what, row.items), details)
            found.append(Candidate(evidence, match.score, group=f"items:{level}:{name}"))
    found.extend(_item_hits(claim, subject, reference, definition))
    return found


def _item_hits(claim: Claim, subject: str, reference: Reference, definition: str | None) -> list[Candidate]:
    names = _gov_names(reference)
    index = reference.index()
    query = compact(subject, government_names=names) or subject
    try:
        hits = index.search(query, limit=ITEM_HITS)
    except Exception:  # a subject with nothing to search for
        return []
    by_name: dict[str, list[Any]] = {}
    for hit in hits:
        by_name.setdefault(hit.item_name, []).append(hit)
    found: list[Candidate] = []
    for name, rows in by_name.items():
        match = similarity(subject, name, government_names=names)
        if match.score < KEEP_MIN and not match.partial:
            continue
        records = [reference.item_record(*hit.provenance) for hit in rows]
        for record in records:
            fields = record.fields
            details = {
                "level": "item",
                "item_code": fields.get("item_code"),
                "item_name": fields.get("item_name"),
                "account": fields.get("account"),
                "field_name": fields.get("field_name"),
                "sector_name": fields.get("sector_name"),
                "row": fields.get("row_no"),
                "file": record.source_file,
                "snapshot_id": record.snapshot_id,
                "amounts": record.amounts,
                "note": definition,
            }
            account = fields.get("account") or "회계 미상"
            label = f"{fields.get('gov_name')} {name} ({account}) {AMOUNT_LABELS_KO['budget']}"
            evidence = Evidence(int(fields.get("budget") or 0), label, "items", record.citation(), details)
            found.append(Candidate(evidence, match.score, match.partial, f"items:item:{name}:{fields.get('account')}"))
        if len(records) > 1:  # one program split over accounts: the article may give their sum
            total = sum(int(r.fields.get("budget") or 0) for r in records)
            gov_name = str(records[0].fields.get("gov_name"))
            label = Phrase("evidence.item_sum", government=gov_name, name=name, rows=f"{len(records):,}")
            citation = "; ".join(r.citation() for r in records)
            details = {"level": "item_sum", "item_name": name, "rows": [r.fields.get("row_no") for r in records]}
            found.append(Candidate(Evidence(total, label, "items", citation, details), match.score - 0.01,
                                   match.partial, f"items:sum:{name}"))  # fmt: skip
    return found


def _definition_note(claim: Claim, reference: Reference) -> Phrase | None:
    """The store holds 예산현액 (the budget in force on the snapshot date), not 예산안/본예산 figures."""
    if claim.stage in (None, "현액"):
        return None
    if reference.snapshot_date:
        return Phrase("note.definition_on", date=str(reference.snapshot_date), stage=claim.stage)
    return Phrase("note.definition", stage=claim.stage)
