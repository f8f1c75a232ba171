"""Checking an article end to end: text → claims → matches → verdicts, plus the text's own arithmetic.

``check(text, tables, government=..., year=...)`` returns a :class:`CheckReport`; ``check_path`` reads a
file (HTML, plain text or a corpus file with a ``# key: value`` header) first. The government and year
come from the arguments, else from the text (:mod:`yesan.claims.candidates.scope`): the government the text names
(never an everyday word that looks like one) and the year its budget cues and publication date give.
When either is unknown, or the store has nothing for that government and year, every figure is 확인 불가
with the reason: the check never falls back to another government or to the store's latest year.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any, Final

from yesan.claims.article.text import Document, read_document, to_document
from yesan.claims.candidates.match import Match
from yesan.claims.candidates.provenance import Article
from yesan.claims.candidates.reference import Reference, ReportedFigure, government_aliases
from yesan.claims.candidates.reviews import Reviews, candidate_key, review_subject_key
from yesan.claims.candidates.scope import Scope, decide_scope
from yesan.claims.figures.extract import extract_document
from yesan.claims.model import VERDICTS, Claim, Judgement
from yesan.claims.verdict.arithmetic import ArithmeticCheck, DataFigures, check_arithmetic
from yesan.claims.verdict.evidence import TIERS, independent, set_aside_self, with_tiers
from yesan.claims.verdict.judge import judge, judge_claims, with_reason
from yesan.claims.verdict.rules import CONSISTENT, compare_headline
from yesan.claims.wording import Phrase, in_language
from yesan.errors import QueryError, YesanError
from yesan.money.find import find_amounts

__all__ = [
    "MAX_FIGURES",
    "MAX_TEXT_CHARS",
    "CheckReport",
    "CheckTimeout",
    "TooManyFigures",
    "check",
    "check_document",
    "check_path",
    "detect_government",
    "detect_year",
]

#: A text longer than this is refused (characters; about 1 MB of Korean in UTF-8).
MAX_TEXT_CHARS: Final = 400_000
#: A text with more money figures than this is refused before they are matched: judging costs a few ms a figure
#: (1,000 take about 4 s on one core), and no article quotes that many (the 21 Seoul articles: at most 38).
MAX_FIGURES: Final = 1_000


class CheckTimeout(YesanError):
    """Checking took longer than allowed."""


class TooManyFigures(QueryError):
    """The text has more money figures than ``MAX_FIGURES``."""


@dataclass
class CheckReport:
    """Everything ``yesan check`` found in one text."""

    source: str | None
    government: str | None
    government_code: str | None
    year: int | None
    judgements: list[Judgement]
    checks: list[ArithmeticCheck]
    reference: dict[str, Any] = field(default_factory=dict)  # what the claims were checked against
    warnings: list[str] = field(default_factory=list)
    scope: Scope | None = None  # how the government and year were decided, and why
    #: Each claim's candidates (``candidates.match``), for a reviewer to confirm, pick or reject: one entry
    #: per claim, in claim order, with the claim's offsets and the subject it was matched with.
    candidates: list[dict[str, Any]] = field(default_factory=list)

    @property
    def claims(self) -> list[Claim]:
        return [j.claim for j in self.judgements]

    @property
    def government_aliases(self) -> tuple[str, ...]:
        return government_aliases(self.government) if self.government else ()

    def counts(self) -> dict[str, int]:
        """Claims per verdict, every verdict listed (in ``VERDICTS`` order)."""
        found: Counter[str] = Counter(j.verdict for j in self.judgements)
        return {verdict: found[verdict] for verdict in VERDICTS}

    def tier_counts(self) -> dict[str, int]:
        """Verdicts per evidence tier (``claims.evidence.TIERS`` order), every tier listed."""
        found: Counter[str] = Counter(j.evidence_tier or "none" for j in self.judgements)
        return {tier: found[tier] for tier in TIERS}

    def check_counts(self) -> dict[str, int]:
        found: Counter[str] = Counter(c.verdict for c in self.checks)
        return {verdict: found[verdict] for verdict in VERDICTS if found[verdict]}

    def as_dict(self) -> dict[str, Any]:
        return {
            "government": self.government,
            "government_code": self.government_code,
            "year": self.year,
            "detection": self.scope.as_dict() if self.scope else None,
            "source": self.source,
            "counts": self.counts(),
            "tier_counts": self.tier_counts(),
            "judgements": [j.as_dict() for j in self.judgements],
            "checks": [c.as_dict() for c in self.checks],
            "reference": self.reference,
            "warnings": list(self.warnings),
            "warnings_ko": [in_language(w, "ko") for w in self.warnings],
            "candidates": self.candidates,
        }


Extractor = Callable[[str], list[Claim]]


def _extract(document: Document) -> tuple[str, list[Claim]]:
    """The article's body (HTML made plain, a corpus header dropped) and its claims (``claims.extract``).

    The figures are counted first (``find_amounts``: 0.2 s for 300 kB, where extraction takes seconds), so a
    text over ``MAX_FIGURES`` is refused before the work."""
    _bound_figures(len(find_amounts(document.text)))
    return document.text, extract_document(document)


def _bound_figures(count: int) -> None:
    if count > MAX_FIGURES:
        raise TooManyFigures(
            f"the text has {count:,} money figures; at most {MAX_FIGURES:,} are checked at once: "
            "split it into shorter texts"
        )


@dataclass(frozen=True)
class _About:
    """What is known of the text besides its body: its publication date and title."""

    published: date | None = None
    title: str | None = None
    address: str | None = None

    @classmethod
    def of(cls, document: Document, url: str | None = None) -> _About:
        return cls(document.published, document.title, url or document.url)


def _deadline_check(deadline: float | None, what: str) -> None:
    if deadline is not None and time.monotonic() > deadline:
        raise CheckTimeout(f"checking took too long (stopped while {what}); try a shorter text")


def check(
    text: str,
    tables: Any,
    *,
    government: str | None = None,
    year: int | None = None,
    source: str | None = None,
    claims: Sequence[Claim] | None = None,
    extractor: Extractor | None = None,
    deadline: float | None = None,
    url: str | None = None,
    decisions: Mapping[tuple[str, str], Any] | None = None,
) -> CheckReport:
    """Check every money figure of ``text`` (HTML or plain text) against the store behind ``tables``.

    ``tables`` are ``yesan.query.tables(backend)``. ``claims`` skips extraction (claims whose offsets
    index ``text``); ``extractor`` replaces ``yesan.claims.figures.extract`` (it gets the plain text);
    ``deadline`` is a ``time.monotonic()`` value after which a :class:`CheckTimeout` is raised.
    ``url`` is the article's address (else the one its header or page names): a reported figure whose
    only source is this article does not confirm it (``claims.evidence``). ``decisions`` are reviewers'
    decisions by (government code, subject key) (``yesan.store.checks.CheckStore.decisions``).
    """
    if len(text) > MAX_TEXT_CHARS:
        raise QueryError(f"the text has {len(text):,} characters; at most {MAX_TEXT_CHARS:,} are checked at once")
    document = to_document(text, source=source)
    if claims is not None:
        body, found = text, list(claims)
    elif extractor is not None:
        body, found = text, extractor(text)
    else:
        body, found = _extract(document)
    return _check_body(body, found, tables, government=government, year=year, source=source, deadline=deadline,
                       about=_About.of(document, url), article=Article.of(document, url=url),
                       decisions=decisions)  # fmt: skip


def _check_body(
    body: str,
    found: list[Claim],
    tables: Any,
    *,
    government: str | None,
    year: int | None,
    source: str | None,
    deadline: float | None,
    about: _About | None = None,
    article: Article | None = None,
    decisions: Mapping[tuple[str, str], Any] | None = None,
) -> CheckReport:
    _deadline_check(deadline, "extracting claims")
    _bound_figures(len(found))
    about = about or _About()
    scope = decide_scope(body, tables, government=government, year=year, published=about.published,
                         title=about.title, address=about.address)  # fmt: skip
    chosen_year = scope.year
    reference = Reference.build(tables, government=scope.government, year=chosen_year)
    unavailable = _unavailable(scope, reference)
    warnings: list[str] = [unavailable] if unavailable is not None else []
    _deadline_check(deadline, "looking up the data")
    if unavailable is not None:
        return _report_unavailable(found, scope, reference, unavailable, source=source, warnings=warnings)
    gov_code = reference.government.code if reference.government else None
    names = reference.government.aliases if reference.government else ()
    reviews = Reviews.of(gov_code, decisions or {}, names)
    matches, judgements = judge_claims(found, reference, text=body, reviews=reviews)
    # No self-confirmation: sources that are this article are set aside, here and in the arithmetic's data.
    judgements = set_aside_self(judgements, reference, article)
    usable = independent(reference, article)
    _deadline_check(deadline, "matching claims")
    checks = check_arithmetic(
        found,
        year=chosen_year,
        data=[_data_of(j) for j in judgements],
        judged=[j.verdict != "확인 불가" for j in judgements],
        totals=_totals(reference, usable),
        figures=[DataFigures(f"{f.subject} ({f.stage_label})", f.citation(), f.amount) for f in usable
                 if f.kind in ("total", "allocation")],
    )  # fmt: skip
    judgements = with_tiers(_with_checks(matches, judgements, checks), reference)
    judgements = _headlines(body, about.title, judgements)
    gov = reference.government
    named = gov.name if gov else scope.label
    judgements = [with_reason(j, named, chosen_year) for j in judgements]
    return CheckReport(
        source=source,
        government=gov.name if gov else scope.label,
        government_code=gov.code if gov else None,
        year=chosen_year,
        judgements=judgements,
        checks=checks,
        reference=_summary(reference),
        warnings=warnings,
        scope=scope,
        candidates=[_candidates_of(match, names) for match in matches],
    )


#: Candidates kept per claim for a reviewer.
REVIEW_CANDIDATES: Final = 6


def _candidates_of(match: Match, names: tuple[str, ...]) -> dict[str, Any]:
    return {
        "start": match.claim.start,
        "end": match.claim.end,
        "subject": match.subject,
        "subject_key": review_subject_key(match.subject, names) if match.subject else None,
        "candidates": [
            {
                "key": candidate_key(c),
                "label": str(c.evidence.label),
                "label_ko": in_language(c.evidence.label, "ko"),
                "amount_krw": c.evidence.amount_krw,
                "source": c.evidence.source,
                "citation": in_language(c.evidence.citation, "ko"),
                "score": round(c.score, 3),
                "review": c.evidence.details.get("review"),
            }
            for c in match.candidates[:REVIEW_CANDIDATES]
        ],
    }


def _unavailable(scope: Scope, reference: Reference) -> Phrase | None:
    """Why nothing can be checked (no government, no year, no data for them), or None when something can."""
    if scope.government is None:
        return Phrase("warning.no_government")
    label = scope.label or scope.government
    if scope.year is None:
        return Phrase("scope.no_year", government=label)
    if not reference.reported and not reference.has_items:
        return Phrase("scope.no_data", government=label, year=str(scope.year))
    return None


def _report_unavailable(
    found: list[Claim], scope: Scope, reference: Reference, reason: Phrase, *, source: str | None, warnings: list[str]
) -> CheckReport:
    """Every figure 확인 불가 for ``reason``; the text's own arithmetic is listed but decides no verdict."""
    code = "no_government" if scope.government is None else "year_unknown" if scope.year is None else "no_data"
    gov = reference.government
    named = gov.name if gov else scope.label
    judgements = [with_reason(Judgement(c, "확인 불가", reason), named, scope.year, code) for c in found]
    checks = check_arithmetic(found, year=scope.year, data=[None] * len(found), judged=[False] * len(found),
                              totals=[], figures=[])  # fmt: skip
    return CheckReport(
        source=source,
        government=gov.name if gov else scope.label,
        government_code=gov.code if gov else None,
        year=scope.year,
        judgements=judgements,
        checks=checks,
        reference=_summary(reference),
        warnings=warnings,
        scope=scope,
    )


def check_path(
    path: str | Path,
    tables: Any,
    *,
    government: str | None = None,
    year: int | None = None,
    deadline: float | None = None,
    url: str | None = None,
    decisions: Mapping[tuple[str, str], Any] | None = None,
) -> CheckReport:
    """Read a file (HTML or text; ``-`` for standard input; UTF-8 or CP949) and :func:`check` it."""
    return check_document(read_document(path), tables, government=government, year=year, deadline=deadline,
                          url=url, decisions=decisions, source=str(path))  # fmt: skip


def check_document(
    document: Document,
    tables: Any,
    *,
    government: str | None = None,
    year: int | None = None,
    deadline: float | None = None,
    url: str | None = None,
    decisions: Mapping[tuple[str, str], Any] | None = None,
    source: str | None = None,
) -> CheckReport:
    """:func:`check` a document already read (``claims.article.text.read_document``)."""
    body, found = _extract(document)
    return _check_body(body, found, tables, government=government, year=year, source=source or document.source,
                       deadline=deadline, about=_About.of(document, url), article=Article.of(document, url=url),
                       decisions=decisions)  # fmt: skip


# --- what the checks use ---------------------------------------------------------------------------


def _data_of(judgement: Judgement) -> DataFigures | None:
    """What the reported figure a claim agreed with says of its subject (for the text's arithmetic)."""
    if judgement.verdict not in CONSISTENT or not judgement.evidence:
        return None
    evidence = judgement.evidence[0]
    if evidence.source != "reported":
        return None
    details = evidence.details
    label = f"{details.get('subject')} ({details.get('stage') or '기타 단계'})"
    return DataFigures(
        label, evidence.citation, details.get("amount"), details.get("prior_amount"), details.get("change_amount")
    )


def _totals(reference: Reference, usable: Sequence[ReportedFigure]) -> list[DataFigures]:
    totals = [
        DataFigures(f"{f.subject} ({f.stage_label})", f.citation(), f.amount) for f in usable if f.kind == "total"
    ]
    if reference.has_items and reference.government is not None:
        total = reference.level("field").total
        what = f"{reference.government.name} 예산현액 합계"
        totals.append(DataFigures(what, reference.items_citation(what, total.items), total.budget))
    return totals


def _with_checks(matches: Sequence[Any], judgements: list[Judgement], checks: list[ArithmeticCheck]) -> list[Judgement]:
    """Verdicts for claims only the text's arithmetic could check, and notes naming each claim's checks."""
    result = []
    for index, (match, judgement) in enumerate(zip(matches, judgements, strict=True)):
        deciding = [c for c in checks if c.decides == index and c.evidence]
        if judgement.verdict == "확인 불가" and deciding and not judgement.evidence:
            # The text's own figures agreeing (or not) with each other is no evidence from outside it: the
            # check is shown, the figure stays 확인 불가 (docs/verdicts.md).
            decided = judge(match, text_checks=[(c.outcome(), c.evidence[0]) for c in deciding])
            rule = Phrase("judge.text_only", verdict=decided.verdict, rule=decided.rule)
            judgement = replace(judgement, rule=rule, evidence=decided.evidence, reason="text_only")
        notes = [
            Phrase("check.note", kind=c.kind_label, stated=c.stated, verdict=c.verdict, computed=c.computed)
            for c in checks
            if index in c.claims
        ]
        if notes:
            judgement = replace(judgement, notes=(*judgement.notes, *notes))
        result.append(judgement)
    return result


def _headlines(body: str, title: str | None, judgements: list[Judgement]) -> list[Judgement]:
    """A 불일치 on a figure of the headline that the data truncated at its reading unit gives is 근사
    (``rules.compare_headline``: headlines shorten figures)."""
    if not title or not title.strip():
        return judgements
    spans = []
    start = body.find(title.strip())
    while start >= 0:
        spans.append((start, start + len(title.strip())))
        start = body.find(title.strip(), start + 1)
    result = []
    for judgement in judgements:
        claim = judgement.claim
        if judgement.verdict == "불일치" and judgement.evidence and any(a <= claim.start < b for a, b in spans):
            actual = judgement.evidence[0].amount_krw
            signed = claim.kind == "change"
            found = compare_headline(abs(claim.amount_krw) if signed else claim.amount_krw, claim.qualifier,
                                     abs(actual) if signed else actual)  # fmt: skip
            if found is not None:
                judgement = replace(judgement, verdict=found.verdict, rule=found.rule, reason=None)
        result.append(judgement)
    return result


def _summary(reference: Reference) -> dict[str, Any]:
    return {
        "government": reference.government.name if reference.government else None,
        "year": reference.year,
        "reported_figures": len(reference.reported),
        "reported_datasets": sorted({f.dataset for f in reference.reported}),
        "items_snapshot": reference.snapshot_id,
        "items_as_of": reference.snapshot_date,
    }


# --- government and year from the text -------------------------------------------------------------


def detect_government(text: str, tables: Any) -> str | None:
    """How the store knows the government ``text`` is about (its code, or its reported figures' name), or None."""
    return decide_scope(text, tables).government


def detect_year(text: str, published: date | None = None) -> int | None:
    """The fiscal year of ``text``'s budget from its budget-year cues and publication date, or None."""
    from yesan.claims.figures.budget_year import find_budget_year

    return find_budget_year(text, published).year
