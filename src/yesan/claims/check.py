"""Checking an article end to end: text → claims → matches → verdicts, plus the text's own arithmetic.

``check(text, tables, government=..., year=...)`` returns a :class:`CheckReport`; ``check_path`` reads a
file (HTML, plain text or a corpus file with a ``# key: value`` header) first. The government and year
come from the arguments, else from the text: the government (of the store's, or of the loaded reported
figures) named most often, and the year most of the claims are about.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Final

import ibis

from yesan.claims.arithmetic import ArithmeticCheck, DataFigures, check_arithmetic
from yesan.claims.evidence import TIERS, independent, set_aside_self, with_tiers
from yesan.claims.extract import extract_document
from yesan.claims.judge import judge, judge_claims
from yesan.claims.model import VERDICTS, Claim, Judgement
from yesan.claims.provenance import Article
from yesan.claims.reference import Reference, ReportedFigure, government_aliases
from yesan.claims.rules import CONSISTENT
from yesan.claims.text import Document, read_document, to_document
from yesan.claims.wording import Phrase, in_language
from yesan.errors import QueryError, YesanError

__all__ = ["MAX_TEXT_CHARS", "CheckReport", "CheckTimeout", "check", "check_path", "detect_government", "detect_year"]

#: A text longer than this is refused (characters; about 1 MB of Korean in UTF-8).
MAX_TEXT_CHARS: Final = 400_000
_YEAR_IN_TEXT: Final = re.compile(r"((?:19|20)[0-9]{2})\s*년도?\s*(?:예산|본예산|예산안|추경)")


class CheckTimeout(YesanError):
    """Checking took longer than allowed."""


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
            "source": self.source,
            "government": self.government,
            "government_code": self.government_code,
            "year": self.year,
            "counts": self.counts(),
            "tier_counts": self.tier_counts(),
            "judgements": [j.as_dict() for j in self.judgements],
            "checks": [c.as_dict() for c in self.checks],
            "reference": self.reference,
            "warnings": list(self.warnings),
            "warnings_ko": [in_language(w, "ko") for w in self.warnings],
        }


Extractor = Callable[[str], list[Claim]]


def _extract(document: Document) -> tuple[str, list[Claim]]:
    """The article's body (HTML made plain, a corpus header dropped) and its claims (``claims.extract``)."""
    return document.text, extract_document(document)


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
) -> CheckReport:
    """Check every money figure of ``text`` (HTML or plain text) against the store behind ``tables``.

    ``tables`` are ``yesan.query.tables(backend)``. ``claims`` skips extraction (claims whose offsets
    index ``text``); ``extractor`` replaces ``yesan.claims.extract`` (it gets the plain text);
    ``deadline`` is a ``time.monotonic()`` value after which a :class:`CheckTimeout` is raised.
    ``url`` is the article's address (else the one its header or page names): a reported figure whose
    only source is this article does not confirm it (``claims.evidence``).
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
    article = Article.of(document, url=url)
    return _check_body(body, found, tables, government=government, year=year, source=source, deadline=deadline,
                       article=article)  # fmt: skip


def _check_body(
    body: str,
    found: list[Claim],
    tables: Any,
    *,
    government: str | None,
    year: int | None,
    source: str | None,
    deadline: float | None,
    article: Article | None = None,
) -> CheckReport:
    _deadline_check(deadline, "extracting claims")
    warnings: list[str] = []
    gov_text = government or detect_government(body, tables)
    if gov_text is None:
        warnings.append(Phrase("warning.no_government"))
    chosen_year = year or detect_year(found, body)
    reference = Reference.build(tables, government=gov_text, year=chosen_year)
    if gov_text is not None and not reference.reported and not reference.has_items:
        warnings.append(Phrase("warning.nothing_to_check", government=gov_text, year=str(chosen_year or "")))
    _deadline_check(deadline, "looking up the data")
    matches, judgements = judge_claims(found, reference, text=body)
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
    gov = reference.government
    return CheckReport(
        source=source,
        government=gov.name if gov else gov_text,
        government_code=gov.code if gov else None,
        year=chosen_year,
        judgements=judgements,
        checks=checks,
        reference=_summary(reference),
        warnings=warnings,
    )


def check_path(
    path: str | Path,
    tables: Any,
    *,
    government: str | None = None,
    year: int | None = None,
    deadline: float | None = None,
    url: str | None = None,
) -> CheckReport:
    """Read a file (HTML or text; ``-`` for standard input; UTF-8 or CP949) and :func:`check` it."""
    document = read_document(path)
    body, found = _extract(document)
    return _check_body(body, found, tables, government=government, year=year, source=str(path), deadline=deadline,
                       article=Article.of(document, url=url))  # fmt: skip


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
            judgement = judge(match, text_checks=[(c.outcome(), c.evidence[0]) for c in deciding])
        notes = [
            Phrase("check.note", kind=c.kind_label, stated=c.stated, verdict=c.verdict, computed=c.computed)
            for c in checks
            if index in c.claims
        ]
        if notes:
            judgement = replace(judgement, notes=(*judgement.notes, *notes))
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
    """The government the text names most often (of the store's and the reported figures'), or None.

    Names are found longest first, each place in the text counted once (``가나시`` is not also ``가나``, the
    stem of ``가나도``); a tie goes to a government with data to check against.
    """
    names: dict[str, str] = {}  # name → what to look it up by
    governments = tables.governments.select("code", "name", "parent_name").to_pyarrow().to_pylist()
    counts = Counter(g["name"] for g in governments)
    for g in governments:
        if counts[g["name"]] > 1:  # 동구, 중구 …: only with their 광역 named in the text
            if g["parent_name"] and any(alias in text for alias in government_aliases(g["parent_name"])):
                names[g["name"]] = g["code"]
            continue
        names[g["name"]] = g["code"]
    with_data = {str(r["gov_code"]) for r in tables.items.select("gov_code").distinct().to_pyarrow().to_pylist()}
    backend = ibis.get_backend(tables.items)
    try:
        reported = backend.table("reported_figures").select("gov_name").distinct().to_pyarrow().to_pylist()
    except Exception:  # a store without reported figures
        reported = []
    for row in reported:
        names.setdefault(row["gov_name"], row["gov_name"])
        with_data.add(row["gov_name"])
    aliases = sorted(
        ((alias, key) for name, key in names.items() for alias in government_aliases(name) if len(alias) >= 2),
        key=lambda pair: -len(pair[0]),
    )
    hits: Counter[str] = Counter()
    taken = [False] * len(text)
    claimed: dict[tuple[int, int], str] = {}
    for alias, key in aliases:
        for match in re.finditer(re.escape(alias), text):
            span = (match.start(), match.end())
            if span in claimed and claimed[span] != key:  # the same word names two governments: both count
                hits[key] += 1
                continue
            if any(taken[match.start() : match.end()]):
                continue
            hits[key] += 1
            claimed[span] = key
            for i in range(match.start(), match.end()):
                taken[i] = True
    if not hits:
        return None
    return max(hits, key=lambda key: (hits[key], key in with_data, key))


def detect_year(claims: Sequence[Claim], text: str) -> int | None:
    """The year most claims are about (``total``/``allocation`` first), else the first ``YYYY년 예산`` in the text."""
    levels = Counter(c.year for c in claims if c.year is not None and c.kind in ("total", "allocation"))
    if levels:
        return levels.most_common(1)[0][0]
    years = Counter(c.year for c in claims if c.year is not None and c.kind != "prior")
    if years:
        return years.most_common(1)[0][0]
    match = _YEAR_IN_TEXT.search(text)
    return int(match.group(1)) if match else None
