"""Judging: one verdict per claim from its candidates, with the rule that decided it and the evidence.

The amount rules are in ``claims.rules``; a change is also checked for direction (a rise the data shows
as a fall does not hold). Which candidate decides (``judge``):

1. Candidates whose subject matches (score ≥ ``MATCH_MIN``, not a mere part of a listing subject) and
   are within ``TIE`` of the best are the *contenders*. When they all give the same verdict, that is the
   verdict and they are all evidence (e.g. one subject in the proposal and the enacted budget).
2. When they disagree, the strictest verdict that holds wins: the claim's own figure says which of
   equally good subjects (one subject at several stages, several totals, similarly named programs) it
   is about; the rule names the figure it was read as and the others. When none holds and their
   figures differ, the claim is ``모호`` and the contenders are listed.
3. A ``불일치`` whose subject only says "the budget" is re-read as any other matching figure that holds
   (a different definition of the total), and one whose subject matches another figure nearly as well
   (within ``SWITCH_MARGIN``) that is equal to the won is read as that one; otherwise the rule keeps the
   mismatch and the notes name the other matching figures that would hold and the reported figure's
   other columns (prior year, change) that the claim equals. A rounding or looser match notes another
   matching figure that is equal to the won.
4. Without a matching subject, a weaker subject match (score ≥ ``WEAK_MIN``), a figure named just
   before the claim, or a figure naming only a part of the claim's subject counts only when the figures
   agree closely (``CLOSE``: not a mere bound, which too many figures satisfy); one equal to the won
   counts from ``KEEP_MIN``. A part that disagrees leaves the claim ``확인 불가`` (the data has only a
   part of what the text adds up).
5. Checks inside the text (``claims.arithmetic``) decide claims nothing else could check.
6. Otherwise ``확인 불가``: nothing to check against (the closest names are listed when there are any).

Against line items (the 예산현액 at a snapshot date, which adds 추경 and carry-overs to the 본예산), only a
matching verdict is given: a figure that differs is another quantity, ``확인 불가`` (``other_quantity``).
Against other outlets' reports, a mismatch wider than ``REPORTED_GAP`` is ``확인 불가`` (``reports_disagree``).

Every ``확인 불가`` carries a ``reason`` code (``REASONS``) and ``look_in``, the document that would settle it
(``2026년도 서울특별시 예산서``). A figure that skips a unit as written (``8045억 6100원``) is ``확인 불가``
(``likely_typo``) whatever it equals: the data may have copied the slip. A ``불일치`` one digit or one unit
away from the data says it is likely a typo (``reason == "likely_typo"``).

``judge_claims`` runs this over one text: level figures first, then the change and prior-year figures
with the reported figure their level figure was matched to.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from fractions import Fraction
from typing import Final

from yesan.claims.candidates.match import (
    KEEP_MIN,
    MATCH_MIN,
    TIE,
    WEAK_MIN,
    Candidate,
    Match,
    anchor_of,
    context_of,
    match_claim,
    match_claims,
)
from yesan.claims.candidates.reference import Reference, ReportedFigure
from yesan.claims.candidates.reviews import Reviews, apply_reviews
from yesan.claims.candidates.subjects import similarity
from yesan.claims.model import Claim, Evidence, Judgement
from yesan.claims.verdict.rules import CONSISTENT, Outcome, compare_amount, won_text, written_typo
from yesan.claims.wording import Phrase
from yesan.errors import MoneyError
from yesan.money import parse

__all__ = ["REASONS", "STRICTNESS", "claim_precision", "judge", "judge_claims", "look_in", "outcome", "with_reason"]

#: Verdicts from the strictest to the loosest.
STRICTNESS: Final = ("일치", "반올림 일치", "근사", "범위 일치", "불일치", "모호", "확인 불가")
#: Why a figure could not be confirmed (``Judgement.reason``; the sentences are ``wording`` ``reason.*``).
REASONS: Final = ("no_government", "no_data", "year_unknown", "subject_not_found", "only_parts", "self_only",
                  "likely_typo", "reports_disagree", "other_quantity", "text_only")  # fmt: skip
#: Against another outlet's report, a mismatch wider than this share of the reported figure is more likely
#: another scope (or a slip in either text) than an error in this one: 확인 불가 (``reports_disagree``).
REPORTED_GAP: Final = Fraction(1, 3)
#: How many contenders a 모호 verdict lists.
MAX_LISTED: Final = 6
#: A weak subject match counts only with these verdicts: a bound (``1조원 이상``) fits too many figures.
CLOSE: Final = frozenset({"일치", "반올림 일치", "근사"})
#: A mismatch is re-read as another matching figure equal to the won only if its subject is this close.
SWITCH_MARGIN: Final = 0.25


def claim_precision(claim: Claim) -> int:
    """The precision of the claim's figure as written (``yesan.money``), 1 won when it cannot be re-read."""
    try:
        return parse(claim.amount_text).precision
    except MoneyError:
        try:
            return parse(claim.amount_text.rstrip(" 원") + "원").precision
        except MoneyError:
            return 1


def outcome(claim: Claim, evidence: Evidence, *, role: str = "level") -> Outcome:
    """The amount rules applied to a claim and one figure.

    Changes are compared as magnitudes, then by direction: a rise the data shows as a fall (or the
    reverse) does not hold, whatever the amounts.
    """
    claimed = claim.amount_krw
    actual = evidence.amount_krw
    if role not in ("change", "revision"):
        return compare_amount(claimed, claim_precision(claim), claim.qualifier, actual)
    result = compare_amount(abs(claimed), claim_precision(claim), claim.qualifier, abs(actual))
    direction = _data_direction(evidence)
    if result.verdict in CONSISTENT and claimed != 0 and direction != 0 and (claimed > 0) != (direction > 0):
        key = "direction.data_falls" if claimed > 0 else "direction.data_rises"
        return Outcome("불일치", Phrase(key, rule=result.rule), result.difference)
    return result


def _data_direction(evidence: Evidence) -> int:
    """+1 / -1 when the data says which way a change went, else 0 (a committee's change in review: unknown)."""
    details = evidence.details
    if details.get("compared") == "revision":
        return (evidence.amount_krw > 0) - (evidence.amount_krw < 0)
    amount, prior = details.get("amount"), details.get("prior_amount")
    if details.get("compared") == "change" and amount is not None and prior is not None and amount != prior:
        return 1 if int(amount) > int(prior) else -1
    pct = details.get("change_pct")
    if details.get("compared") == "change" and pct not in (None, "", "0"):
        return -1 if str(pct).startswith("-") else 1
    return 0


def _rank(verdict: str) -> int:
    return STRICTNESS.index(verdict)


def _note(candidate: Candidate) -> Phrase:
    return Phrase("figure", label=candidate.evidence.label, amount=won_text(candidate.evidence.amount_krw))


def _with(evidence: Evidence, result: Outcome, candidate: Candidate) -> Evidence:
    details = {**evidence.details, "verdict": result.verdict, "rule": result.rule}
    return replace(evidence, details=details)


def judge(match: Match, *, text_checks: Sequence[tuple[Outcome, Evidence]] = ()) -> Judgement:
    """The verdict on ``match.claim`` (see the module docstring); ``text_checks`` come from ``claims.arithmetic``."""
    claim = match.claim
    generic = match.generic
    strong = [c for c in match.candidates if c.score >= MATCH_MIN and not c.partial]
    if strong:
        return _from_strong(match, strong, generic)
    weak = [c for c in match.candidates if c.score >= WEAK_MIN or c.partial]
    agreeing = [(c, outcome(claim, c.evidence, role=match.role)) for c in match.candidates]
    agreeing = [
        (c, o)
        for c, o in agreeing
        if (o.verdict in CLOSE and c in weak) or (o.verdict == "일치" and c.score >= KEEP_MIN)
    ]
    if agreeing:
        candidate, result = min(agreeing, key=lambda pair: (_rank(pair[1].verdict), -pair[0].score))
        if candidate.evidence.details.get("named_nearby"):
            rule = Phrase("judge.named_nearby", rule=result.rule)
        else:
            key = "judge.names_a_part" if candidate.partial else "judge.partly_matches"
            rule = Phrase(key, rule=result.rule, score=f"{candidate.score:.2f}")
        return _decided(match, result, rule, (_with(candidate.evidence, result, candidate),))
    parts = [c for c in weak if c.partial]
    if parts:
        rule = Phrase("judge.only_parts", listed=tuple(_note(c) for c in parts[:MAX_LISTED]), sep="; ")
        return Judgement(claim, "확인 불가", rule, tuple(c.evidence for c in parts[:MAX_LISTED]), notes=_notes(match))
    checks = [(o, e) for o, e in text_checks if o.verdict != "확인 불가"]
    if checks:
        result, evidence = min(checks, key=lambda pair: _rank(pair[0].verdict))
        return _decided(match, result, Phrase("judge.in_the_text", rule=result.rule), (evidence,))
    rule = Phrase("judge.nothing_for", subject=match.subject) if match.subject else Phrase("judge.nothing")
    near = [c for c in match.candidates if c.score >= WEAK_MIN and not c.evidence.details.get("as_the_budget")][:3]
    if near:
        rule = Phrase("judge.closest", rule=rule, listed=tuple(_note(c) for c in near))
    return Judgement(claim, "확인 불가", rule, notes=_notes(match))


def _notes(match: Match) -> tuple[str, ...]:
    notes = list(match.notes)
    if match.borrowed and match.subject:
        notes.append(Phrase("judge.borrowed", subject=match.subject))
    return tuple(notes)


def _decided(match: Match, result: Outcome, rule: Phrase, evidence: tuple[Evidence, ...]) -> Judgement:
    # The data's own caveats (e.g. the store holds 예산현액, the text speaks of the 본예산) go with the verdict.
    caveats = tuple(dict.fromkeys(e.details["note"] for e in evidence if e.details.get("note")))
    return Judgement(match.claim, result.verdict, rule, evidence, result.difference, (*_notes(match), *caveats),
                     reason=result.flag)  # fmt: skip


def _from_strong(match: Match, strong: list[Candidate], generic: bool) -> Judgement:
    claim = match.claim
    best = strong[0].score
    contenders = [c for c in strong if c.score >= best - TIE]
    results = [(c, outcome(claim, c.evidence, role=match.role)) for c in contenders]
    verdicts = {r.verdict for _c, r in results}
    if len(verdicts) == 1 and not (verdicts == {"불일치"} and _several_figures(contenders)):
        verdict = verdicts.pop()
        unique = _distinct(results)
        candidate, result = unique[0]
        rule = result.rule
        if len(unique) > 1:
            rule = Phrase("judge.also", rule=rule, listed=tuple(_note(c) for c, _r in unique[1:MAX_LISTED]))
        evidence = tuple(_with(c.evidence, r, c) for c, r in unique[:MAX_LISTED])
        judgement = _decided(match, result, rule, evidence)
        if verdict == "불일치":
            return _second_look(match, judgement, strong, generic)
        if verdict != "일치":
            exact = [
                c for c in strong if c not in contenders and outcome(claim, c.evidence, role=match.role).difference == 0
            ]
            if exact:
                note = Phrase("judge.equal_elsewhere", figure=_note(exact[0]))
                judgement = replace(judgement, notes=(*judgement.notes, note))
        return judgement
    holding = sorted(
        ((c, r) for c, r in results if r.verdict in CONSISTENT),
        key=lambda pair: (_rank(pair[1].verdict), -pair[0].score),
    )
    if holding:
        # Equally good subjects, figures that disagree: the one the claim's figure fits is the one it is about.
        candidate, result = holding[0]
        others = [c for c, _r in results if c is not candidate]
        one_subject = len({c.group for c in contenders}) == 1
        why = Phrase("why.stage" if one_subject else "why.generic" if generic else "why.several")
        names = tuple(_note(c) for c in others[:MAX_LISTED])
        rule = Phrase("judge.read_as", rule=result.rule, label=candidate.evidence.label, why=why, listed=names)
        return _decided(match, result, rule, (_with(candidate.evidence, result, candidate),))
    listed = _distinct(results)[:MAX_LISTED]
    figures = tuple(Phrase("figure.plain", label=c.evidence.label, amount=won_text(c.evidence.amount_krw))
                    for c, _r in listed)  # fmt: skip
    rule = Phrase("judge.ambiguous", listed=figures, sep="; ")
    return Judgement(claim, "모호", rule, tuple(_with(c.evidence, r, c) for c, r in listed), notes=_notes(match))


def _several_figures(contenders: list[Candidate]) -> bool:
    """Contenders of different subjects with different figures (which one the text means is unclear)."""
    return len({c.group for c in contenders}) > 1 and len({c.evidence.amount_krw for c in contenders}) > 1


def _equal(claim: Claim, candidate: Candidate, role: str) -> bool:
    return outcome(claim, candidate.evidence, role=role).verdict == "일치"


def _distinct(results: list[tuple[Candidate, Outcome]]) -> list[tuple[Candidate, Outcome]]:
    """Results ordered strictest first, one per (label, amount)."""
    seen: set[tuple[str, int]] = set()
    unique: list[tuple[Candidate, Outcome]] = []
    for candidate, result in sorted(results, key=lambda pair: (_rank(pair[1].verdict), -pair[0].score)):
        key = (candidate.evidence.label, candidate.evidence.amount_krw)
        if key not in seen:
            seen.add(key)
            unique.append((candidate, result))
    return unique


def _second_look(match: Match, judgement: Judgement, strong: list[Candidate], generic: bool) -> Judgement:
    """A mismatch: is there another matching figure (or another column of the same one) the claim fits?"""
    claim = match.claim
    decided = {(e.label, e.amount_krw) for e in judgement.evidence}
    others = []
    best = strong[0].score
    for candidate in strong:
        if (candidate.evidence.label, candidate.evidence.amount_krw) in decided:
            continue
        result = outcome(claim, candidate.evidence, role=match.role)
        if result.verdict in CONSISTENT:
            others.append((candidate, result))
    others.sort(key=lambda pair: (_rank(pair[1].verdict), -pair[0].score))
    first = judgement.evidence[0]
    close = others and best - others[0][0].score <= SWITCH_MARGIN
    if others and (generic or (others[0][1].verdict == "일치" and close)):
        # A subject that only says "the budget" fits whichever total agrees (a different definition); any
        # other subject switches only to a matching figure equal to the won (a coincidence is unlikely).
        candidate, result = others[0]
        key = "judge.other_definition" if generic else "judge.equal_to_the_won"
        label, amount = candidate.evidence.label, won_text(first.amount_krw)
        rule = Phrase(key, rule=result.rule, label=label, first=first.label, amount=amount)
        return _decided(match, result, rule, (_with(candidate.evidence, result, candidate),))
    notes = list(judgement.notes)
    if others:
        fits = tuple(Phrase("figure.verdict", figure=_note(c), verdict=r.verdict) for c, r in others[:3])
        notes.append(Phrase("judge.fits", listed=fits, sep="; "))
    notes.extend(_other_columns(claim, judgement.evidence[0]))
    return replace(judgement, notes=tuple(notes))


def _other_columns(claim: Claim, evidence: Evidence) -> list[Phrase]:
    """A reported figure's other columns (amount, prior year, change) that the claim equals."""
    if evidence.source != "reported":
        return []
    details = evidence.details
    found = []
    for column, key in (("amount", "column.amount"), ("prior_amount", "column.prior"),
                        ("change_amount", "column.change")):  # fmt: skip
        value = details.get(column)
        if value is None or value == evidence.amount_krw:
            continue
        result = compare_amount(abs(claim.amount_krw), claim_precision(claim), claim.qualifier, int(value))
        if result.verdict in CONSISTENT:
            found.append(Phrase(key, amount=won_text(int(value)), verdict=result.verdict))
    return found


def judge_claims(
    claims: Sequence[Claim], reference: Reference, *, text: str | None = None, reviews: Reviews | None = None
) -> tuple[list[Match], list[Judgement]]:
    """Match and judge every claim of one text: level figures first, then the change and prior-year figures,
    each also compared with the reported figure its level figure was matched to (``match.anchor_of``).
    ``text`` is the body the claims' offsets index (for subjects named just before a figure); ``reviews``
    the reviewers' decisions for the government (``claims.candidates.reviews``)."""
    matches = apply_reviews(match_claims(claims, reference, text=text), reviews)
    judgements: list[Judgement | None] = [None] * len(claims)
    for index, match in enumerate(matches):
        if match.role == "level":
            judgements[index] = judge(match)
    for index, match in enumerate(matches):
        if match.role == "level":
            continue
        anchor = anchor_of(claims, index, reference.year)
        figures = _figures_of(judgements[anchor], reference) if anchor is not None else []
        if figures and anchor is not None:
            names = reference.government.aliases if reference.government else ()
            own, theirs = claims[index].subject or "", claims[anchor].subject or ""
            same = similarity(own, theirs, government_names=names).score >= MATCH_MIN
            match = match_claim(
                claims[index], reference, subject=match.subject, borrowed=match.borrowed, anchors=figures,
                same_subject=same, context=context_of(claims[index], text),
            )  # fmt: skip
            match = apply_reviews([match], reviews)[0]
            matches[index] = match
        judgements[index] = judge(match)
    government = reference.government.name if reference.government else None
    return matches, [with_reason(j, government, reference.year) for j in judgements if j is not None]


def look_in(government: str | None, year: int | None, stage: str | None = None) -> Phrase:
    """The document that would settle a figure: ``2026년도 서울특별시 예산서`` (예산안, 추경, 결산 by stage)."""
    if not government or not year:
        return Phrase("where.unknown")
    key = "where.budget"
    if stage == "예산안":
        key = "where.proposal"
    elif stage and stage.startswith("추경"):
        key = "where.supplementary"
    elif stage == "결산":
        key = "where.settlement"
    return Phrase(key, government=government, year=str(year))


def with_reason(judgement: Judgement, government: str | None, year: int | None, reason: str | None = None) -> Judgement:
    """``judgement`` with its ``reason`` and ``look_in`` filled in where it is 확인 불가 (or a likely typo).

    ``reason`` overrides the one read from the rule (``no_government``, ``no_data`` from ``claims.check``).
    """
    claim = judgement.claim
    typo = written_typo(abs(claim.amount_krw), claim.amount_text)
    if typo is not None:
        rule = Phrase("judge.written_typo", why=typo, rule=judgement.rule) if judgement.verdict != "확인 불가" else typo
        judgement = replace(judgement, verdict="확인 불가", rule=rule, difference_krw=None, reason="likely_typo")
    if judgement.verdict == "불일치" and judgement.evidence and all(e.source == "items" for e in judgement.evidence):
        # Line items hold the 예산현액 at a snapshot date (본예산 + 추경 + carry-overs): a 예산안, 본예산 or 추경
        # figure that differs from it is another quantity, not a wrong one.
        rule = Phrase("judge.other_quantity", rule=judgement.rule)
        judgement = replace(judgement, verdict="확인 불가", rule=rule, reason="other_quantity")
    if judgement.verdict == "불일치" and _only_reported(judgement) and not _close(judgement):
        rule = Phrase("judge.reports_disagree", rule=judgement.rule, gap=f"{float(REPORTED_GAP * 100):.0f}")
        judgement = replace(judgement, verdict="확인 불가", rule=rule, reason="reports_disagree")
    if reason is not None and judgement.verdict == "확인 불가":
        judgement = replace(judgement, reason=reason)
    if judgement.verdict == "확인 불가" and judgement.reason is None:
        key = getattr(judgement.rule, "key", "")
        by_rule = {"judge.only_parts": "only_parts", "judge.self_citation": "self_only"}
        judgement = replace(judgement, reason=by_rule.get(key, "subject_not_found"))
    if judgement.reason is not None and judgement.look_in is None:
        judgement = replace(judgement, look_in=look_in(government, year or claim.year, claim.stage))
    return judgement


def _figures_of(judgement: Judgement | None, reference: Reference) -> list[ReportedFigure]:
    """The reported figures a judgement agreed with."""
    if judgement is None or judgement.verdict not in CONSISTENT:
        return []
    found = []
    for evidence in judgement.evidence:
        if evidence.source == "reported":
            figure = reference.figure(str(evidence.details.get("dataset")), int(evidence.details.get("row") or 0))
            if figure is not None:
                found.append(figure)
    return found


def _only_reported(judgement: Judgement) -> bool:
    return bool(judgement.evidence) and all(e.source == "reported" for e in judgement.evidence)


def _close(judgement: Judgement) -> bool:
    """A mismatch the precision rule can speak to: within ``REPORTED_GAP`` of the figure, not a likely typo."""
    if judgement.reason == "likely_typo" or judgement.difference_krw is None:
        return False
    actual = abs(judgement.evidence[0].amount_krw)
    return actual > 0 and abs(judgement.difference_krw) <= REPORTED_GAP * actual
