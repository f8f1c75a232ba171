"""What a claim is: one money figure found in an article, and the verdict on it.

These dataclasses are the contract between extraction (``claims.extract``), evaluation
(``claims.evaluate``), matching and judging (``claims.match`` / ``claims.judge``) and the CLI/web layers.
Amounts are integer won; offsets are character offsets into the extracted text.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Final, Literal

from yesan.claims.wording import Phrase, in_language, reason_text, verdict_label

Kind = Literal["total", "allocation", "change", "prior", "other"]
KINDS: Final[tuple[str, ...]] = ("total", "allocation", "change", "prior", "other")

#: The JSON fields of a claim, in order (``yesan claims extract --json`` prints exactly these plus ``source``).
CLAIM_FIELDS: Final[tuple[str, ...]] = (
    "amount_krw",
    "amount_text",
    "start",
    "end",
    "sentence",
    "subject",
    "kind",
    "qualifier",
    "change_pct",
    "year",
    "stage",
)


@dataclass(frozen=True)
class Claim:
    """One money figure in the body of an article.

    ``amount_krw`` is exact (signed: a cut is negative for ``kind == "change"``); ``amount_text`` is the
    figure as written; ``start``/``end`` locate it in the extracted text; ``sentence`` is the sentence that
    holds it; ``subject`` what the money is for, as written; ``qualifier`` 약/이상/가량/여/최대… or None;
    ``change_pct`` the percentage the text states for this figure; ``year`` and ``stage`` (canonical stage
    names of ``yesan.model.normalize_stage``: 예산안, 본예산, 추경1…, 결산) when the text states or implies them.
    """

    amount_krw: int
    amount_text: str
    start: int
    end: int
    sentence: str
    subject: str | None
    kind: Kind
    qualifier: str | None = None
    change_pct: float | None = None
    year: int | None = None
    stage: str | None = None
    source: str | None = None

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        return {name: data[name] for name in (*CLAIM_FIELDS, "source")}


Verdict = Literal["일치", "반올림 일치", "근사", "범위 일치", "불일치", "확인 불가", "모호"]
VERDICTS: Final[tuple[str, ...]] = ("일치", "반올림 일치", "근사", "범위 일치", "불일치", "확인 불가", "모호")


@dataclass(frozen=True)
class Evidence:
    """One figure a claim was checked against, with where it comes from (enough to cite it)."""

    amount_krw: int
    label: str  # what the figure is, e.g. "서울특별시 2026 본예산 총계" or an item name (or a wording.Phrase)
    source: str  # "reported" | "items" | "text" (another figure in the same article)
    citation: str  # e.g. "지방재정365 QWGJK, 2026-07-05 기준, row 1234" or a reported figure's sources
    details: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """The fields (English texts), plus ``label_ko`` and ``citation_ko``: the same in Korean."""
        return {
            **asdict(self),
            "label_ko": in_language(self.label, "ko"),
            "citation_ko": in_language(self.citation, "ko"),
        }


@dataclass(frozen=True)
class Judgement:
    """The verdict on one claim: which rule decided it, and the evidence."""

    claim: Claim
    verdict: Verdict
    rule: str  # a short, human explanation, e.g. "equal to the won (38억원)"; a wording.Phrase when yesan built it
    evidence: tuple[Evidence, ...] = ()
    difference_krw: int | None = None  # claim − evidence, when one figure decided it
    notes: tuple[str, ...] = ()  # further remarks: other figures it fits, a borrowed subject, the data's definition
    reason: str | None = None  # why it could not be confirmed: a code of ``claims.judge.REASONS`` (or likely_typo)
    look_in: str | None = None  # the document that would settle a 확인 불가 (a wording.Phrase when yesan built it)
    #: What the verdict rests on (``claims.evidence``): official_item, official_aggregate, announced, reported or
    #: none (nothing outside the article); None until ``claims.evidence.with_tiers`` has stated it.
    evidence_tier: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """The fields, plus ``verdict_label`` (the verdict as read against its tier, e.g. "matches other
        reports"), ``tier_label`` and their Korean ``_ko`` twins (``다른 보도와 일치``, ``다른 보도``)."""
        label = verdict_label(self.verdict, self.evidence_tier)
        tier = Phrase(f"tier.{self.evidence_tier}") if self.evidence_tier else None
        return {
            "claim": self.claim.as_dict(),
            "verdict": self.verdict,
            "evidence_tier": self.evidence_tier,
            "verdict_label": str(label),
            "verdict_label_ko": label.render("ko"),
            "tier_label": in_language(tier, "en") or None,
            "tier_label_ko": in_language(tier, "ko") or None,
            "rule": self.rule,
            "evidence": [e.as_dict() for e in self.evidence],
            "difference_krw": self.difference_krw,
            "notes": list(self.notes),
            "rule_ko": in_language(self.rule, "ko"),
            "notes_ko": [in_language(note, "ko") for note in self.notes],
            "reason": self.reason,
            "reason_text": in_language(reason_text(self.reason), "en") if self.reason else None,
            "reason_text_ko": in_language(reason_text(self.reason), "ko") if self.reason else None,
            "look_in": in_language(self.look_in, "en") if self.look_in else None,
            "look_in_ko": in_language(self.look_in, "ko") if self.look_in else None,
        }
