"""schema.org ``ClaimReview`` for every judged claim of a saved check (JSON-LD).

yesan's verdicts map onto a 1–5 ``Rating`` (``RATINGS``; ``bestRating`` 5, ``worstRating`` 1). The rating's
``alternateName`` is the verdict as read against its evidence tier (``다른 보도와 일치`` says the figure agrees
with other reports, not with an official line item), and ``ratingExplanation`` gives the rule that decided it.
A figure yesan could not judge (확인 불가, 모호) gets no ClaimReview: no rating is better than a guessed one.
The evidence figures go in as ``citation``: what each is, its amount and where it comes from (file and row).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from yesan.claims.wording import in_language
from yesan.money.format import format_won

__all__ = ["RATINGS", "SCALE", "claim_reviews", "graph"]

#: Verdict → (ratingValue, English name). 일치/반올림 일치: the figure is the data's, as written or rounded.
RATINGS: Final[Mapping[str, tuple[int, str]]] = {
    "일치": (5, "True: equal to the data"),
    "반올림 일치": (5, "True: the data's figure, rounded as written"),
    "범위 일치": (4, "Mostly true: within the range the text states"),
    "근사": (3, "Half true: close to the data, not equal"),
    "불일치": (1, "False: the data says otherwise"),
}
SCALE: Final = (
    "5 일치/반올림 일치 (equal to the data, or its rounding), 4 범위 일치 (within the stated range), "
    "3 근사 (close), 1 불일치 (the data says otherwise); 확인 불가 and 모호 are not rated"
)
CONTEXT: Final = "https://schema.org"


def claim_reviews(saved: Mapping[str, Any], run: Mapping[str, Any], permalink: str) -> list[dict[str, Any]]:
    """One ClaimReview per rated claim of ``run`` (a run of ``saved``, both ``CheckStore`` dicts)."""
    report = run["report"]
    appearance = _appearance(saved)
    reviewed_on = str(run["created_at"])[:10]
    reviews = []
    for index, judgement in enumerate(report.get("judgements", [])):
        rating = RATINGS.get(judgement["verdict"])
        if rating is None:
            continue
        claim = judgement["claim"]
        anchor = f"{permalink}#claim-{index + 1}"
        review: dict[str, Any] = {
            "@type": "ClaimReview",
            "@id": anchor,
            "url": anchor,
            "datePublished": reviewed_on,
            "inLanguage": "ko",
            "author": {"@type": "Organization", "name": "yesan (예산)", "description": "automated budget check"},
            "claimReviewed": str(claim.get("sentence") or claim["amount_text"]).strip(),
            "itemReviewed": {
                "@type": "Claim",
                "name": f"{claim.get('subject') or ''} {claim['amount_text']}".strip(),
                "appearance": [appearance] if appearance else [],
                **({"datePublished": saved["published"]} if saved.get("published") else {}),
            },
            "reviewRating": {
                "@type": "Rating",
                "ratingValue": rating[0],
                "bestRating": 5,
                "worstRating": 1,
                "alternateName": str(judgement.get("verdict_label_ko") or judgement["verdict"]),
                "name": rating[1],
                "ratingExplanation": in_language(judgement.get("rule_ko") or judgement["rule"], "ko"),
            },
            "citation": [_citation(e) for e in judgement.get("evidence", [])],
        }
        reviews.append(review)
    return reviews


def graph(saved: Mapping[str, Any], run: Mapping[str, Any], permalink: str) -> dict[str, Any]:
    """The JSON-LD document: every ClaimReview of the run in one ``@graph``."""
    return {"@context": CONTEXT, "@graph": claim_reviews(saved, run, permalink)}


def _appearance(saved: Mapping[str, Any]) -> dict[str, Any] | None:
    if not (saved.get("url") or saved.get("title")):
        return None
    work: dict[str, Any] = {"@type": "NewsArticle"}
    if saved.get("url"):
        work["url"] = saved["url"]
    if saved.get("title"):
        work["headline"] = saved["title"]
    if saved.get("published"):
        work["datePublished"] = saved["published"]
    if saved.get("publisher"):
        work["publisher"] = {"@type": "Organization", "name": saved["publisher"]}
    return work


def _citation(evidence: Mapping[str, Any]) -> dict[str, Any]:
    label = evidence.get("label_ko") or evidence.get("label")
    return {
        "@type": "Dataset" if evidence.get("source") == "items" else "CreativeWork",
        "name": f"{label}: {format_won(int(evidence['amount_krw']))}",
        "description": evidence.get("citation_ko") or evidence.get("citation"),
    }
