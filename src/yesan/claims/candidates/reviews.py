"""Reviewers' decisions applied to matching: a confirmed subject → figure link wins, a rejected one is gone.

A reviewer looks at a saved check and, for one claim, confirms the figure it was matched to, picks another of
its candidates, or rejects one (``yesan.store.checks``). Decisions are kept per government and subject, so
they hold for every later check of any article that names the same subject for the same government:

* a **confirmed** candidate scores ``CONFIRMED`` and every other candidate of the claim drops below
  ``WEAK_MIN``: the verdict then rests on the reviewed figure alone, and its evidence says who confirmed it
  (``details["review"]``, shown as "검토자 확인");
* a **rejected** candidate is never offered again for that subject;
* a confirmed candidate that the data no longer offers (a newer snapshot renamed the item) is reported in the
  claim's notes, and the claim is matched as if nothing had been decided.

Candidates are named by :func:`candidate_key`: the candidate's group (one subject of the data) and its label.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Final, Protocol

from yesan.claims.candidates.match import WEAK_MIN, Candidate, Match
from yesan.claims.candidates.subjects import compact
from yesan.claims.wording import Phrase

__all__ = ["CONFIRMED", "Reviews", "apply_reviews", "candidate_key", "review_subject_key"]

#: The score of a reviewer-confirmed candidate (above any computed one).
CONFIRMED: Final = 1.5
_DEMOTED: Final = WEAK_MIN - 0.01


class Reviewed(Protocol):
    """What matching needs of one decision (``yesan.store.checks.Decision`` has these fields)."""

    @property
    def confirmed(self) -> str | None: ...
    @property
    def rejected(self) -> frozenset[str]: ...
    @property
    def decided_by(self) -> str | None: ...
    @property
    def decided_at(self) -> str | None: ...


@dataclass(frozen=True)
class Reviews:
    """Decisions of one government (its code), by ``review_subject_key`` of the subject."""

    gov_code: str
    by_subject: Mapping[str, Reviewed]
    government_names: tuple[str, ...] = ()

    @classmethod
    def of(
        cls, gov_code: str | None, decisions: Mapping[tuple[str, str], Reviewed], government_names: tuple[str, ...] = ()
    ) -> Reviews | None:
        if not gov_code:
            return None
        mine = {subject: d for (code, subject), d in decisions.items() if code == gov_code}
        return cls(gov_code, mine, government_names) if mine else None


def review_subject_key(subject: str, government_names: tuple[str, ...] = ()) -> str:
    """The key a subject's decisions are kept under: the subject as matching compares it (years, particles,
    the government's names and words such as 예산 dropped: ``올해 경로당 시설 지원`` and ``고흥군 경로당 시설
    지원 예산`` are one subject), case folded."""
    return compact(subject, government_names=government_names).casefold()


def candidate_key(candidate: Candidate) -> str:
    """A candidate's stable name across checks: its group and its label (not its score or amount)."""
    return f"{candidate.group or candidate.evidence.source}|{candidate.evidence.label}"


def apply_reviews(matches: Sequence[Match], reviews: Reviews | None) -> list[Match]:
    """``matches`` with the reviewers' decisions for their subjects applied (see the module docstring)."""
    if reviews is None:
        return list(matches)
    return [_apply(match, reviews) for match in matches]


def _apply(match: Match, reviews: Reviews) -> Match:
    if not match.subject:
        return match
    decision = reviews.by_subject.get(review_subject_key(match.subject, reviews.government_names))
    if decision is None:
        return match
    kept = [c for c in match.candidates if candidate_key(c) not in decision.rejected]
    notes = list(match.notes)
    if decision.confirmed is not None:
        confirmed = [c for c in kept if candidate_key(c) == decision.confirmed]
        if confirmed:
            chosen = confirmed[0]
            review = {"status": "confirmed", "by": decision.decided_by, "at": decision.decided_at}
            evidence = replace(chosen.evidence, details={**chosen.evidence.details, "review": review})
            others = [replace(c, score=min(c.score, _DEMOTED), partial=c.partial) for c in kept if c is not chosen]
            kept = [replace(chosen, evidence=evidence, score=CONFIRMED, partial=False), *others]
        else:
            notes.append(Phrase("review.confirmed_missing", subject=match.subject))
    kept.sort(key=lambda c: (-c.score, c.partial, c.evidence.label))
    return replace(match, candidates=tuple(kept), notes=tuple(notes))
