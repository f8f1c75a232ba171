"""Score extraction against hand-labelled figures (a corpus of articles and a gold JSONL file).

A predicted claim matches a gold figure when their amounts are equal (in absolute value: one gold
set keeps amounts positive and a change's sign in ``direction``, another signs ``amount_krw``) and
the claim's amount lies inside the gold
``sentence``; matching is one-to-one (the claim at the gold ``char_start`` first, then the nearest).

Measures: precision, recall and F1 over figures; over matched pairs, kind accuracy and **subject
agreement** — the mean Dice coefficient of the character bigrams of the two subjects after removing
spaces, quotes, brackets and punctuation (1.0 = the same words, 0.0 = nothing in common or no subject
predicted; "약자와의 동행 사업" vs "'약자와의 동행' 사업 증가분" scores 0.85); also stage, year,
qualifier, change_pct and sign accuracy (the sign of changes against the gold ``direction``, or the
sign of a signed gold amount).

**Subject agreement on the program's words** (``subject_compact``, reported beside the strict one when
``evaluate`` is given a ``compact`` function, as the scripts give it the matching's
``claims.candidates.subjects.compact``): both subjects lose a labeller's note written as a spaced parenthesis
at the end ("지방교부세 (세입)", "… 기본급 (경정)": the role, stage or time, which kind, stage and year
score on their own) and are compared after ``compact`` drops years, particles and the words every budget
subject shares (예산, 올해, 증가분, 감소분 …), the way matching compares a claim with a data name. Two subjects
that both say only "the budget('s change)" agree (1.0); when only one of them is left with words, the strict
score of the two (without their notes) stands.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Final

from yesan.claims.article.text import read_document
from yesan.claims.figures.extract import extract_document
from yesan.claims.model import Claim
from yesan.errors import DocumentError, YesanError

__all__ = [
    "Evaluation",
    "GoldFigure",
    "Mistake",
    "article_file",
    "evaluate",
    "load_gold",
    "match_claims",
    "subject_agreement",
    "subject_agreement_compact",
]

_STAGES: Final = {"proposal": "예산안", "enacted": "본예산"}
#: A labeller's note at the end of a subject: "지방교부세 (세입)" (not "4급(30호봉)", written without a space).
_NOTE: Final = re.compile(r"\s+\([^()]*\)\s*$")
_NOISE: Final = re.compile(r"[\s'\"‘’“”「」『』()\[\]{}<>·ㆍ,.:;!?~\-–—_/]+")


@dataclass(frozen=True)
class GoldFigure:
    article: str
    sentence: str
    amount_krw: int
    kind: str
    subject: str | None = None
    qualifier: str | None = None
    change_pct: float | None = None
    stage: str | None = None
    year: int | None = None
    figure_text: str | None = None
    char_start: int | None = None
    direction: str | None = None


@dataclass(frozen=True)
class Mistake:
    """A gold figure that was missed, a claim that matches no gold figure, or a matched pair that differs."""

    article: str
    text: str
    sentence: str
    detail: str = ""


@dataclass
class Evaluation:
    articles: int
    gold: int
    predicted: int
    matched: int
    precision: float
    recall: float
    f1: float
    kind_accuracy: float
    subject_agreement: float
    subject_half: float  # share of matched pairs with agreement >= 0.5
    stage_accuracy: float
    year_accuracy: float
    qualifier_accuracy: float
    change_pct_accuracy: float
    sign_accuracy: float
    subject_by_kind: dict[str, float] = field(default_factory=dict)  # mean agreement per gold kind
    subject_compact: float | None = None  # agreement on the program's words (module docstring), if asked
    kind_confusion: dict[str, int] = field(default_factory=dict)  # "gold→predicted": count, mismatches only
    misses: list[Mistake] = field(default_factory=list)
    false_alarms: list[Mistake] = field(default_factory=list)
    kind_errors: list[Mistake] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def load_gold(path: str | Path) -> list[GoldFigure]:
    """Gold figures from a JSONL file (one object per line with at least article, sentence, amount_krw, kind)."""
    figures: list[GoldFigure] = []
    names = set(GoldFigure.__dataclass_fields__)
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise DocumentError(f"{path}: cannot read the gold file ({error.strerror})") from None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            figures.append(GoldFigure(**{k: v for k, v in row.items() if k in names}))
        except (json.JSONDecodeError, TypeError) as error:
            raise YesanError(
                f"{path}, line {number}: not a gold figure ({error}); each line must be a JSON object with "
                "article, sentence, amount_krw and kind"
            ) from None
    return figures


def article_file(corpus: Path, article: str) -> Path:
    for folder in (corpus / "articles", corpus):
        for suffix in (".txt", ".html", ".htm", ""):
            candidate = folder / f"{article}{suffix}"
            if candidate.is_file():
                return candidate
    raise DocumentError(f"{corpus}: no file for article {article!r} (looked for articles/{article}.txt and .html)")


def _normal(text: str | None) -> str:
    return _NOISE.sub("", text or "")


def _bigrams(text: str) -> Counter[str]:
    if len(text) < 2:
        return Counter([text]) if text else Counter()
    return Counter(text[k : k + 2] for k in range(len(text) - 1))


def subject_agreement(predicted: str | None, gold: str | None) -> float:
    """Dice coefficient of character bigrams of the normalised subjects (see the module docstring)."""
    a, b = _normal(predicted), _normal(gold)
    if not a and not b:
        return 1.0
    if not a or not b:
        return 0.0
    return _dice(a, b)


def _dice(a: str, b: str) -> float:
    x, y = _bigrams(a), _bigrams(b)
    return 2 * sum((x & y).values()) / (sum(x.values()) + sum(y.values()))


def subject_agreement_compact(predicted: str | None, gold: str | None, compact: Callable[[str], str]) -> float:
    """Agreement on the program's words: notes dropped, then ``compact`` on both (see the module docstring)."""
    a, b = _NOTE.sub("", predicted or ""), _NOTE.sub("", gold or "")
    x, y = _normal(compact(a)), _normal(compact(b))
    if not x and not y:
        return 1.0 if predicted or not gold else 0.0
    if not x or not y:
        return subject_agreement(a, b)
    return _dice(x, y)


def _locate(text: str, gold: GoldFigure, offset: int | None) -> tuple[int, int] | None:
    hint = gold.char_start - offset if gold.char_start is not None and offset is not None else None
    found: list[int] = []
    pos = text.find(gold.sentence)
    while pos >= 0:
        found.append(pos)
        pos = text.find(gold.sentence, pos + 1)
    if not found:
        return None
    if hint is not None:
        for pos in found:
            if pos <= hint < pos + len(gold.sentence):
                return pos, pos + len(gold.sentence)
    return found[0], found[0] + len(gold.sentence)


def match_claims(text: str, golds: list[GoldFigure], claims: list[Claim], offset: int | None) -> list[tuple[int, int]]:
    """(gold index, claim index) pairs, one-to-one."""
    spans = [_locate(text, gold, offset) for gold in golds]
    used: set[int] = set()
    pairs: list[tuple[int, int]] = []
    pending: list[int] = []
    for g, gold in enumerate(golds):
        hint = gold.char_start - offset if gold.char_start is not None and offset is not None else None
        exact = next(
            (
                c
                for c, claim in enumerate(claims)
                if c not in used and claim.start == hint and abs(claim.amount_krw) == abs(gold.amount_krw)
            ),
            None,
        )
        if exact is not None:
            used.add(exact)
            pairs.append((g, exact))
        else:
            pending.append(g)
    for g in pending:
        span = spans[g]
        if span is None:
            continue
        gold = golds[g]
        hint = gold.char_start - offset if gold.char_start is not None and offset is not None else span[0]
        candidates = [
            c
            for c, claim in enumerate(claims)
            if c not in used
            and abs(claim.amount_krw) == abs(gold.amount_krw)
            and span[0] <= claim.start
            and claim.end <= span[1]
        ]
        if candidates:
            best = min(candidates, key=lambda c: abs(claims[c].start - hint))
            used.add(best)
            pairs.append((g, best))
    return pairs


def _decrease(gold: GoldFigure) -> bool:
    return gold.direction == "decrease" or gold.amount_krw < 0


def _qualifier_words(value: str | None) -> frozenset[str]:
    return frozenset((value or "").split())


def evaluate(corpus: str | Path, gold_path: str | Path, *, compact: Callable[[str], str] | None = None) -> Evaluation:
    """Extract every article of ``corpus`` named in the gold file and score it (see the module docstring);
    with ``compact``, also the subject agreement on the program's words."""
    corpus = Path(corpus)
    golds = load_gold(gold_path)
    by_article: dict[str, list[GoldFigure]] = {}
    for gold in golds:
        by_article.setdefault(gold.article, []).append(gold)
    predicted = matched = 0
    tallies: Counter[str] = Counter()
    agreement = compact_agreement = 0.0
    half = 0
    per_kind: dict[str, list[float]] = {}
    confusion: Counter[str] = Counter()
    misses: list[Mistake] = []
    false_alarms: list[Mistake] = []
    kind_errors: list[Mistake] = []
    for article in sorted(by_article):
        document = read_document(article_file(corpus, article))
        claims = extract_document(document)
        article_golds = by_article[article]
        pairs = match_claims(document.text, article_golds, claims, document.offset)
        predicted += len(claims)
        matched += len(pairs)
        paired_golds = {g for g, _ in pairs}
        paired_claims = {c for _, c in pairs}
        for g, gold in enumerate(article_golds):
            if g not in paired_golds:
                misses.append(Mistake(article, gold.figure_text or str(gold.amount_krw), gold.sentence, gold.kind))
        for c, claim in enumerate(claims):
            if c not in paired_claims:
                false_alarms.append(Mistake(article, claim.amount_text, claim.sentence, claim.kind))
        for g, c in pairs:
            gold, claim = article_golds[g], claims[c]
            score = subject_agreement(claim.subject, gold.subject)
            per_kind.setdefault(gold.kind, []).append(score)
            agreement += score
            if compact is not None:
                compact_agreement += subject_agreement_compact(claim.subject, gold.subject, compact)
            half += score >= 0.5
            tallies["kind"] += claim.kind == gold.kind
            if claim.kind != gold.kind:
                confusion[f"{gold.kind}→{claim.kind}"] += 1
                kind_errors.append(
                    Mistake(article, claim.amount_text, claim.sentence, f"gold {gold.kind}, predicted {claim.kind}")
                )
            tallies["stage"] += claim.stage == (_STAGES.get(gold.stage or "", gold.stage))
            tallies["year"] += claim.year == gold.year
            tallies["qualifier"] += _qualifier_words(claim.qualifier) == _qualifier_words(gold.qualifier)
            if gold.change_pct is None or claim.change_pct is None:
                tallies["pct"] += gold.change_pct is None and claim.change_pct is None
            else:
                tallies["pct"] += abs(gold.change_pct - claim.change_pct) <= 0.05
            if gold.kind == "change" and claim.kind == "change":
                tallies["signed"] += 1
                tallies["sign"] += (claim.amount_krw < 0) == _decrease(gold)
    total = len(golds)
    precision = matched / predicted if predicted else 0.0
    recall = matched / total if total else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0

    def share(key: str, over: int | None = None) -> float:
        base = matched if over is None else over
        return tallies[key] / base if base else 0.0

    return Evaluation(
        articles=len(by_article),
        gold=total,
        predicted=predicted,
        matched=matched,
        precision=precision,
        recall=recall,
        f1=f1,
        kind_accuracy=share("kind"),
        subject_agreement=agreement / matched if matched else 0.0,
        subject_half=half / matched if matched else 0.0,
        stage_accuracy=share("stage"),
        year_accuracy=share("year"),
        qualifier_accuracy=share("qualifier"),
        change_pct_accuracy=share("pct"),
        sign_accuracy=share("sign", tallies["signed"]),
        subject_compact=compact_agreement / matched if compact is not None and matched else None,
        subject_by_kind={kind: sum(scores) / len(scores) for kind, scores in sorted(per_kind.items())},
        kind_confusion=dict(confusion.most_common()),
        misses=misses,
        false_alarms=false_alarms,
        kind_errors=kind_errors,
    )
