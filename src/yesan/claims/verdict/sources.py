"""Across sources: several articles on one budget, each subject's figures side by side, disagreements classed.

``compare_sources(reports)`` groups the claims of several :class:`~yesan.claims.verdict.check.CheckReport` by what
they are about — the data's figure a claim was matched to (a reported figure's subject, an item), else the
claim's own subject as written — and by role (level, change, prior year, revision). Each figure is then
classed against the group's reference figure (the data's when there is one, else the most precisely
written figure in the texts):

``same``
    equal to the won;
``rounding`` / ``truncation``
    the reference rounded (or cut) at the figure's precision (``15조6000억`` for 15조6256억);
``qualifier``
    within what its qualifier allows (``약``, ``이상``, ``넘게`` …);
``different definition``
    the checks read the figure as another figure of the data (another total, another stage's);
``different figure``
    none of these: the sources disagree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from yesan.claims.candidates.subjects import compact
from yesan.claims.model import Judgement
from yesan.claims.verdict.check import CheckReport
from yesan.claims.verdict.judge import claim_precision
from yesan.claims.verdict.rules import compare_amount, won_text

__all__ = ["CLASSES", "SourceFigure", "SourceTable", "SubjectRow", "compare_sources", "describe", "reference_text"]

CLASSES: Final = ("same", "rounding", "truncation", "qualifier", "different definition", "different figure")
_ROLE_WORDS: Final = {"level": "", "change": " (change)", "prior": " (prior year)", "revision": " (revision)"}


@dataclass(frozen=True)
class SourceFigure:
    """One source's figure for a subject, and how it relates to the group's reference figure."""

    source: str
    amount_text: str
    amount_krw: int
    subject: str | None  # as the source writes it
    stage: str | None
    verdict: str  # the claim's verdict against the data
    relation: str = "same"  # one of CLASSES

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "amount_text": self.amount_text,
            "amount_krw": self.amount_krw,
            "subject": self.subject,
            "stage": self.stage,
            "verdict": self.verdict,
            "relation": self.relation,
        }


@dataclass
class SubjectRow:
    """One subject (and role) across the sources."""

    subject: str
    role: str
    reference_krw: int | None  # the figure the others are classed against
    reference_from: str  # "data: <label>" or "text: <source>"
    figures: list[SourceFigure] = field(default_factory=list)

    @property
    def sources(self) -> list[str]:
        return sorted({f.source for f in self.figures})

    @property
    def status(self) -> str:
        """``agree`` (every figure the same), ``rounding`` (only rounding, truncation or qualifiers), ``differs``."""
        relations = {f.relation for f in self.figures}
        if relations <= {"same"}:
            return "agree"
        if relations <= {"same", "rounding", "truncation", "qualifier"}:
            return "rounding"
        return "differs"

    def as_dict(self) -> dict[str, Any]:
        return {
            "subject": self.subject,
            "role": self.role,
            "reference_krw": self.reference_krw,
            "reference_from": self.reference_from,
            "status": self.status,
            "sources": self.sources,
            "figures": [f.as_dict() for f in self.figures],
        }


@dataclass
class SourceTable:
    rows: list[SubjectRow]

    def disagreements(self) -> list[SubjectRow]:
        return [row for row in self.rows if row.status != "agree"]

    def as_dict(self) -> dict[str, Any]:
        return {
            "subjects": len(self.rows),
            "in_several_sources": sum(1 for row in self.rows if len(row.sources) > 1),
            "disagreements": len(self.disagreements()),
            "rows": [row.as_dict() for row in self.rows],
        }


def _source_name(report: CheckReport, index: int) -> str:
    return Path(report.source).stem if report.source else f"text {index + 1}"


def _key(judgement: Judgement, names: tuple[str, ...]) -> tuple[str, str, str] | None:
    """(what, role, label) a claim is grouped by, or None for an unmatched claim without a subject."""
    role = judgement.evidence[0].details.get("compared") if judgement.evidence else None
    kind = judgement.claim.kind
    role_name = "change" if kind == "change" else "prior" if kind == "prior" else "level"
    if role == "revision":
        role_name = "revision"
    # a figure too far from another report to be judged still belongs with that report's subject
    judged = judgement.verdict not in ("확인 불가", "모호") or judgement.reason == "reports_disagree"
    if judged and judgement.evidence:
        evidence = judgement.evidence[0]
        if evidence.source in ("reported", "items"):
            # One data figure is one group: a subject's figure at two stages is two groups when they differ.
            subject = str(evidence.details.get("subject") or evidence.details.get("item_name") or evidence.label)
            stages = sorted({str(e.details["stage"]) for e in judgement.evidence
                             if e.details.get("stage") and e.amount_krw == evidence.amount_krw})  # fmt: skip
            label = f"{subject} · {'/'.join(stages)}" if stages and role_name != "revision" else subject
            return (f"data:{subject}:{evidence.amount_krw}", role_name, label)
    written = compact(judgement.claim.subject or "", government_names=names)
    if len(written) < 2:
        return None
    return (f"text:{written}", role_name, judgement.claim.subject or written)


def _relation(judgement: Judgement, reference: int, data_label: str | None) -> str:
    claim = judgement.claim
    claimed = abs(claim.amount_krw) if claim.kind == "change" else claim.amount_krw
    actual = abs(reference) if claim.kind == "change" else reference
    result = compare_amount(claimed, claim_precision(claim), claim.qualifier, actual)
    if result.verdict == "일치":
        return "same"
    if result.verdict == "반올림 일치":
        return "truncation" if "truncated" in result.rule else "rounding"
    if result.verdict in ("근사", "범위 일치"):
        return "qualifier"
    if "different definition" in judgement.rule or (
        data_label is not None and judgement.evidence and judgement.evidence[0].amount_krw != reference
    ):
        return "different definition"  # the checks read it as another figure of the data
    return "different figure"


def compare_sources(reports: Sequence[CheckReport]) -> SourceTable:
    """Each subject's figures across ``reports`` (one per article), disagreements classed (module docstring)."""
    groups: dict[tuple[str, str], tuple[str, list[tuple[str, Judgement]]]] = {}
    for index, report in enumerate(reports):
        names = report.government_aliases
        source = _source_name(report, index)
        for judgement in report.judgements:
            key = _key(judgement, names)
            if key is None:
                continue
            group, role, label = key
            groups.setdefault((group, role), (label, []))[1].append((source, judgement))
    rows = [_row(label, role, group.startswith("data:"), members) for (group, role), (label, members) in groups.items()]
    rows.sort(key=lambda r: (-len(r.sources), r.status != "differs", r.subject, r.role))
    return SourceTable(rows)


def _row(label: str, role: str, from_data: bool, members: list[tuple[str, Judgement]]) -> SubjectRow:
    if from_data:
        # The data's figure: the evidence of the most common consistent judgement, else of the first.
        evidence = [j.evidence[0] for _s, j in members if j.evidence]
        amounts = [e.amount_krw for e in evidence]
        reference = max(set(amounts), key=amounts.count)
        first = next(e for e in evidence if e.amount_krw == reference)
        origin, data_label = f"data: {first.label}", first.label
    else:
        # The most precisely written figure, then the most common.
        best = min(members, key=lambda m: (claim_precision(m[1].claim), -_count(members, m[1].claim.amount_krw)))
        reference, origin, data_label = best[1].claim.amount_krw, f"text: {best[0]}", None
    row = SubjectRow(label + _ROLE_WORDS.get(role, ""), role, reference, origin)
    seen: set[tuple[str, int]] = set()
    for source, judgement in members:
        claim = judgement.claim
        if (source, claim.amount_krw) in seen:
            continue
        seen.add((source, claim.amount_krw))
        relation = _relation(judgement, reference, data_label)
        row.figures.append(
            SourceFigure(
                source, claim.amount_text, claim.amount_krw, claim.subject, claim.stage, judgement.verdict, relation
            )
        )
    return row


def _count(members: list[tuple[str, Judgement]], amount: int) -> int:
    return sum(1 for _s, j in members if j.claim.amount_krw == amount)


def describe(row: SubjectRow) -> str:
    """``01 15조6256억원; 03 15조 6천억 원 (rounding)`` — a row's figures for a table cell."""
    parts = []
    for figure in sorted(row.figures, key=lambda f: (f.source, f.amount_krw)):
        tail = "" if figure.relation == "same" else f" ({figure.relation})"
        parts.append(f"{figure.source} {figure.amount_text}{tail}")
    return "; ".join(parts)


def reference_text(row: SubjectRow) -> str:
    return "—" if row.reference_krw is None else won_text(row.reference_krw)
