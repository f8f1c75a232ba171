"""What a verdict rests on: no self-confirmation, and the evidence tier of every verdict (issue 13).

After judging, :func:`set_aside_self` goes through each verdict that rests on reported figures and sets
aside the sources that are the article under check (``claims.provenance.self_reason``: its address, its
outlet on its date, its sentences). A reported figure left with no other source cannot confirm the claim:
the verdict becomes ``확인 불가`` (자기 인용 / self-citation), the figure stays as evidence, marked. Sources set
aside are named in the notes. :func:`independent` gives the reported figures that keep another source, the
only ones the text's own arithmetic may use as data.

:func:`with_tiers` then states each verdict's ``evidence_tier`` (``yesan.model.EVIDENCE_TIERS``, or ``none``):

``official_item``       a line item (dataset, snapshot, row);
``official_aggregate``  a sum of line items, or a figure of a source of that tier (an aggregate published as
                        data, e.g. a transcription of lofin365's 분야 totals);
``announced``           a reported figure one of whose remaining sources is the government's own publication;
``reported``            a reported figure stated only by other outlets: corroboration, not confirmation;
``none``                nothing outside the article: 확인 불가, or the text's own arithmetic.

Where datasets of reported figures disagree on one subject (two transcriptions of one table), the notes
show the other figures and say which one the verdict used and why.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Final

from yesan.claims.candidates.provenance import Article, Source, self_reason, shared_share
from yesan.claims.candidates.reference import Reference, ReportedFigure
from yesan.claims.candidates.subjects import compact
from yesan.claims.model import Evidence, Judgement
from yesan.claims.wording import Phrase
from yesan.model import EVIDENCE_TIERS
from yesan.money import format_won

__all__ = ["NO_TIER", "TIERS", "independent", "set_aside_self", "tier_of", "with_tiers"]

NO_TIER: Final = "none"
#: Every value of ``Judgement.evidence_tier``, strongest first.
TIERS: Final = (*EVIDENCE_TIERS, NO_TIER)
_REASONS: Final = {
    "address": "reason.address",
    "outlet and date": "reason.outlet_date",
    "same sentences": "reason.same",
}


def _figure_of(evidence: Evidence, reference: Reference) -> ReportedFigure | None:
    details = evidence.details
    if evidence.source != "reported" or "dataset" not in details or "row" not in details:
        return None
    return reference.figure(str(details["dataset"]), int(details["row"]))


def _sources(figure: ReportedFigure, evidence: Evidence) -> tuple[Source, ...]:
    return figure.sources_of("prior" if evidence.details.get("compared") == "prior" else "amount")


def _reason(source: Source, article: Article) -> Phrase | None:
    reason = self_reason(source, article)
    if reason is None:
        return None
    share = f"{shared_share(source, article):.0%}" if reason == "same sentences" else ""
    return Phrase(_REASONS[reason], share=share)


def _best_tier(sources: Sequence[Source]) -> str:
    tiers = [s.tier for s in sources if s.tier in EVIDENCE_TIERS]
    return min(tiers, key=EVIDENCE_TIERS.index) if tiers else "reported"


def independent(reference: Reference, article: Article | None) -> list[ReportedFigure]:
    """The reported figures with a source that is not ``article`` (all of them when nothing is known of it)."""
    if article is None:
        return list(reference.reported)
    return [f for f in reference.reported if not f.sources or any(_reason(s, article) is None for s in f.sources)]


def set_aside_self(judgements: Sequence[Judgement], reference: Reference, article: Article | None) -> list[Judgement]:
    """Each verdict without the sources that are ``article`` itself (the module docstring)."""
    if article is None:
        return list(judgements)
    return [_set_aside(j, reference, article) for j in judgements]


def _set_aside(judgement: Judgement, reference: Reference, article: Article) -> Judgement:
    kept: list[Evidence] = []
    selfish: list[Evidence] = []
    notes: list[Phrase] = []
    for evidence in judgement.evidence:
        figure = _figure_of(evidence, reference)
        if figure is None:
            kept.append(evidence)
            continue
        sources = _sources(figure, evidence)
        reasons = [(s, _reason(s, article)) for s in sources]
        aside = [(s, r) for s, r in reasons if r is not None]
        others = tuple(s for s, r in reasons if r is None)
        if not aside:
            kept.append(_tiered(evidence, _best_tier(others)))
            continue
        listed = tuple(Phrase("evidence.aside_one", source=s.cite(), reason=r) for s, r in aside)
        details = {**evidence.details, "set_aside": [{**s.as_dict(), "reason": str(r)} for s, r in aside]}
        if others:
            citation = figure.citation(prior=evidence.details.get("compared") == "prior", sources=others)
            kept.append(_tiered(replace(evidence, citation=citation, details=details), _best_tier(others)))
            notes.append(Phrase("evidence.set_aside", listed=listed, sep="; "))
        else:
            details["self_citation"] = True
            selfish.append(_tiered(replace(evidence, details=details), NO_TIER))
            notes.append(Phrase("evidence.only_self", listed=listed, sep="; "))
    if not selfish and not notes:
        return judgement
    if kept or judgement.verdict in ("확인 불가", "모호"):
        return replace(judgement, evidence=tuple(kept) or judgement.evidence, notes=(*judgement.notes, *notes))
    first = selfish[0]
    rule = Phrase(
        "judge.self_citation", figure=Phrase("figure", label=first.label, amount=format_won(first.amount_krw))
    )
    return replace(judgement, verdict="확인 불가", rule=rule, evidence=tuple(selfish), difference_krw=None,
                   notes=(*judgement.notes, *notes))  # fmt: skip


def _tiered(evidence: Evidence, tier: str) -> Evidence:
    return replace(evidence, details={**evidence.details, "evidence_tier": tier})


def tier_of(judgement: Judgement) -> str:
    """The evidence tier of the verdict (the module docstring): the tier of the evidence that decided it."""
    if judgement.verdict == "확인 불가" or not judgement.evidence:
        return NO_TIER
    first = judgement.evidence[0]
    if first.source == "items":
        return "official_item" if first.details.get("level") == "item" else "official_aggregate"
    if first.source == "reported":
        tier = first.details.get("evidence_tier")
        if tier in TIERS:
            return str(tier)
        records = first.details.get("source_records") or []
        tiers = [str(r.get("tier")) for r in records if r.get("tier") in EVIDENCE_TIERS]
        return min(tiers, key=EVIDENCE_TIERS.index) if tiers else "reported"
    return NO_TIER  # the text's own figures


def with_tiers(judgements: Sequence[Judgement], reference: Reference) -> list[Judgement]:
    """Each verdict with its ``evidence_tier``, and a note where another dataset gives the subject another figure."""
    result = []
    for judgement in judgements:
        tier = tier_of(judgement)
        notes = _disagreements(judgement, reference, tier)
        result.append(replace(judgement, evidence_tier=tier, notes=(*judgement.notes, *notes)))
    return result


def _disagreements(judgement: Judgement, reference: Reference, tier: str) -> list[Phrase]:
    """Other datasets' figures for the same subject, year and stage that differ from the one the verdict used."""
    if tier == NO_TIER or not judgement.evidence:
        return []
    used = _figure_of(judgement.evidence[0], reference)
    if used is None or judgement.evidence[0].details.get("compared") not in ("amount", None):
        return []
    key = compact(used.subject)
    others = [
        f for f in reference.reported
        if f.dataset != used.dataset and f.fiscal_year == used.fiscal_year and f.stage == used.stage
        and f.kind == used.kind and compact(f.subject) == key and f.amount != used.amount
    ]  # fmt: skip
    if not others:
        return []
    listed = tuple(
        Phrase("evidence.other_dataset_one", dataset=f.dataset, amount=format_won(f.amount),
               tier=Phrase(f"tier.{_best_tier(f.sources)}"))
        for f in others
    )  # fmt: skip
    better = all(EVIDENCE_TIERS.index(_best_tier(f.sources)) > EVIDENCE_TIERS.index(tier) for f in others
                 if tier in EVIDENCE_TIERS)  # fmt: skip
    why = Phrase("why.higher_tier") if better else Phrase("why.fits_claim")
    return [Phrase("evidence.datasets_disagree", dataset=used.dataset, amount=format_won(used.amount), why=why,
                   listed=listed, sep="; ")]  # fmt: skip
