"""Checks inside one text: do its own figures add up, and do its percentages follow from the figures?

Each check names the claims it uses, what the text states, what the figures give, a verdict (the rules
of ``claims.rules``) and its evidence (the text's own figures, or the data's where the text lacks one):

``percent``
    a stated change (``7% 늘어난 51조5060억원``, ``8601억원(5.8%) 늘어``) against the change computed from
    the level and the prior figure — the text's own prior figure, else the data's (a reported figure's
    prior-year amount), else level − change.
``difference``
    level − prior against the stated change (``46조547억원으로 … 43조6949억원 대비 2조3598억원``). Each figure
    is itself rounded at its written precision, so their difference may be off by up to half a unit of
    each (``4309억`` − ``4664억`` = −355억 against a stated 356억 holds within those 1억).
``implied prior``
    ``X원 늘린 총 Y원`` with no prior figure in the text: Y − X against the data's prior-year figure (or the
    data's level − change).
``share``
    ``전체의 30%``, ``32.4%를 차지``, ``비중은 … 5.6%로``: the level figure it refers to over the total — the text's
    own totals and the data's totals are tried, and the rule says which one fits; a share that fits none
    is ``불일치``, with any other reported figure that would give it.
``parts``
    a figure followed (in its sentence or the next) by two or more smaller figures that add up to it
    (``2651억 … 1718억, 933억 … 각각``), exactly or within the rounding of the figures (half a reading unit
    of each, ``rules.reading_unit``). Parts that do not add up are not reported: nothing in the text says
    which figures were meant as parts. A whole with a qualifier follows its own rule: ``1조원 이상`` holds
    when the parts reach 1조; parts below it (9,300억) leave it unchecked, since other parts may exist.

Arithmetic is only between quantities of the same kind: a change against the difference of its own
prior and new figure, parts against their stated whole, shares against totals. A council's cuts and
additions (``구의회가 25억원을 삭감``) are revisions of the proposal (``match.role_of``), never compared
with the change over last year.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any, Final

from yesan.claims.candidates.match import anchor_of, role_of
from yesan.claims.model import Claim, Evidence, Verdict
from yesan.claims.verdict.judge import claim_precision
from yesan.claims.verdict.rules import (
    CONSISTENT,
    UPPER_BOUNDS,
    Outcome,
    compare_amount,
    compare_percent,
    percent_change,
    percent_text,
    reading_unit,
    won_text,
)
from yesan.claims.wording import Phrase
from yesan.money import find_percents

__all__ = ["ArithmeticCheck", "DataFigures", "check_arithmetic"]

#: Words around a percentage that make it a share of the total: before it, after it, and 비중 … X%.
_SHARE_BEFORE: Final = re.compile(
    r"(?:전체|총\s*예산|예산\s*총액|총액)\s*(?:예산)?\s*(?:의|에서|대비|중)?\s*(?:약\s*)?$"
)
_SHARE_AFTER: Final = re.compile(r"^\s*(?:를|을|가|이)?\s*(?:차지|에\s*달하|에\s*해당)")
_SHARE_RATIO: Final = re.compile(
    r"비중(?:은|이|도|을)?\s*(?:전년도?|지난해|올해|작년)?\s*(?:[0-9.]+\s*%\s*에서\s*)?(?:약\s*)?$"
)


@dataclass(frozen=True)
class DataFigures:
    """What the data says about a claim's subject (from its matched reported figure), for the checks."""

    label: str
    citation: str
    amount: int | None = None
    prior: int | None = None
    change: int | None = None


@dataclass(frozen=True)
class ArithmeticCheck:
    """One check of the text's own arithmetic."""

    kind: str  # percent / difference / implied prior / share / parts
    claims: tuple[int, ...]  # indices of the claims it uses, in text order
    stated: str  # what the text states, e.g. "7%" or "8000억원"
    computed: Phrase  # what the figures give, e.g. "+7.05% (51조 5,060억원 over 48조 1,145억원)"
    verdict: Verdict
    rule: Phrase
    evidence: tuple[Evidence, ...] = ()
    decides: int | None = None  # the claim whose figure this check states (for claims nothing else checks)
    difference_krw: int | None = None

    @property
    def kind_label(self) -> Phrase:
        """The kind for people: as text the kind itself (``"share"``), ``비중`` in Korean."""
        return Phrase(f"kind.{self.kind}")

    def as_dict(self) -> dict[str, Any]:
        """The fields (English texts), plus ``kind_ko``, ``computed_ko`` and ``rule_ko``: the same in Korean."""
        return {
            "kind": self.kind_label,
            "claims": list(self.claims),
            "stated": self.stated,
            "computed": self.computed,
            "verdict": self.verdict,
            "rule": self.rule,
            "evidence": [e.as_dict() for e in self.evidence],
            "decides": self.decides,
            "difference_krw": self.difference_krw,
            "kind_ko": self.kind_label.render("ko"),
            "computed_ko": self.computed.render("ko"),
            "rule_ko": self.rule.render("ko"),
        }

    def outcome(self) -> Outcome:
        return Outcome(self.verdict, Phrase("check.rule", kind=self.kind_label, rule=self.rule), self.difference_krw)


@dataclass
class _Text:
    """The claims of one text with their sentences in order and what the data knows of each."""

    claims: Sequence[Claim]
    year: int | None
    data: Sequence[DataFigures | None]
    judged: Sequence[bool]  # the data already gave the claim a verdict (its own figure was checked)
    sentences: list[str] = field(default_factory=list)
    sentence_of: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        for claim in self.claims:
            if not self.sentences or self.sentences[-1] != claim.sentence:
                self.sentences.append(claim.sentence)
            self.sentence_of.append(len(self.sentences) - 1)

    def role(self, index: int) -> str:
        return role_of(self.claims[index], self.year)

    def in_sentence(self, number: int) -> list[int]:
        return [i for i, s in enumerate(self.sentence_of) if s == number]

    def cite(self, *indices: int) -> Phrase:
        spans = tuple(
            Phrase("citation.span", amount=self.claims[i].amount_text, offset=f"{self.claims[i].start:,}")
            for i in indices
        )
        return Phrase("citation.same_text", spans=spans)


def check_arithmetic(
    claims: Sequence[Claim],
    *,
    year: int | None = None,
    data: Sequence[DataFigures | None] | None = None,
    judged: Sequence[bool] | None = None,
    totals: Sequence[DataFigures] = (),
    figures: Sequence[DataFigures] = (),
) -> list[ArithmeticCheck]:
    """Every arithmetic check the claims of one text allow (claims in text order; see the module docstring).

    ``data[i]`` is what the data says about claim ``i``'s subject (None when nothing matched);
    ``judged[i]``: the data already checked claim ``i``'s own figure (its implied prior is then not checked
    again); ``totals`` are the data's totals for the government and year (denominators for shares) and
    ``figures`` all its level figures (to say which one a share that does not hold would fit).
    """
    none = [None] * len(claims)
    text = _Text(
        claims, year, data if data is not None else none, judged if judged is not None else [False] * len(claims)
    )
    checks: list[ArithmeticCheck] = []
    for number in range(len(text.sentences)):
        members = text.in_sentence(number)
        previous = text.in_sentence(number - 1) if number else []
        checks.extend(_changes(text, members))
        checks.extend(_shares(text, number, members, previous, totals, figures))
        checks.extend(_parts(text, number, members))
    return _unique(checks)


def _unique(checks: list[ArithmeticCheck]) -> list[ArithmeticCheck]:
    seen: set[tuple[str, str, str]] = set()
    kept = []
    for check in checks:
        key = (check.kind, check.stated, check.computed)
        if key not in seen:
            seen.add(key)
            kept.append(check)
    return kept


# --- changes and percentages ---------------------------------------------------------------------


def _slack(*claims: Claim) -> int:
    """How far a figure computed from rounded figures may be from the exact one: half a reading unit of each
    (``rules.reading_unit``: ``1조`` is read to 천억, so it brings ±500억, not ±5,000억)."""
    return sum(reading_unit(c.amount_krw) for c in claims if reading_unit(c.amount_krw) > 1) // 2


def _derived(stated: Claim, computed: int, slack: int) -> Outcome:
    """A stated amount against one computed from other (rounded) figures."""
    result = compare_amount(abs(stated.amount_krw), claim_precision(stated), stated.qualifier, abs(computed))
    if result.verdict in CONSISTENT or slack == 0:
        return result
    if abs(abs(stated.amount_krw) - abs(computed)) <= slack:
        rule = Phrase(
            "check.within_rounding", computed=won_text(abs(computed)), stated=won_text(abs(stated.amount_krw)),
            slack=won_text(slack),
        )  # fmt: skip
        return Outcome("반올림 일치", rule, abs(stated.amount_krw) - abs(computed))
    return result


def _percent_of(claim: Claim) -> tuple[Decimal, str | None, str] | None:
    """The stated percentage of a claim as written in its sentence (signed value, qualifier, text)."""
    if claim.change_pct is None:
        return None
    wanted = Decimal(str(claim.change_pct))
    for found in find_percents(claim.sentence):
        value = abs(found.percent.value)
        if not found.percent.points and value == abs(wanted):
            return (-value if wanted < 0 else value), found.percent.qualifier, found.percent.text
    written = f"{claim.change_pct:g}"  # not found as written: as many decimals as the number needs
    return Decimal(written), None, f"{written}%"


def _changes(text: _Text, members: list[int]) -> list[ArithmeticCheck]:
    claims = text.claims
    levels = [i for i in members if text.role(i) == "level"]
    priors = [i for i in members if text.role(i) == "prior"]
    changes = [i for i in members if text.role(i) == "change"]  # not revisions: their base is the proposal
    checks: list[ArithmeticCheck] = []
    for c in changes:
        level = anchor_of(claims, c, text.year)
        if level is not None and not _same_subject(text, level, c):
            level = None
        prior = _nearest(priors, c, claims) if priors else None
        if level is not None and prior is not None:
            checks.append(_difference(text, level, prior, c))
        elif level is not None and not text.judged[c]:
            found = _implied_prior(text, level, c)
            if found is not None:
                checks.append(found)
        stated = _percent_of(claims[c])
        if stated is not None:
            found = _change_percent(text, c, level, prior, stated)
            if found is not None:
                checks.append(found)
    for lv in levels:
        stated = _percent_of(claims[lv])
        if stated is None:
            continue
        if any(claims[c].change_pct == claims[lv].change_pct for c in changes):
            continue  # the same percentage is checked on the change
        prior = _nearest(priors, lv, claims) if priors else None
        found = _level_percent(text, lv, prior, stated)
        if found is not None:
            checks.append(found)
    return checks


def _same_subject(text: _Text, level: int, change: int) -> bool:
    """False when the data matched the two figures to different subjects."""
    a, b = text.data[level], text.data[change]
    return a is None or b is None or a.label == b.label


def _nearest(candidates: list[int], index: int, claims: Sequence[Claim]) -> int:
    before = [i for i in candidates if claims[i].start < claims[index].start]
    return before[-1] if before else candidates[0]


def _signed_change(text: _Text, c: int) -> int:
    return text.claims[c].amount_krw


def _difference(text: _Text, level: int, prior: int, change: int) -> ArithmeticCheck:
    claims = text.claims
    computed = claims[level].amount_krw - claims[prior].amount_krw
    result = _derived(claims[change], computed, _slack(claims[level], claims[prior]))
    result = _direction(result, claims[change], computed)
    evidence = Evidence(
        computed, f"{claims[level].amount_text} − {claims[prior].amount_text}", "text", text.cite(level, prior, change)
    )
    return ArithmeticCheck(
        "difference", (prior, level, change), claims[change].amount_text,
        Phrase("check.difference", level=won_text(claims[level].amount_krw), prior=won_text(claims[prior].amount_krw),
               computed=won_text(computed)),
        result.verdict, result.rule, (evidence,), change, result.difference,
    )  # fmt: skip


def _direction(result: Outcome, change: Claim, computed: int) -> Outcome:
    """A change stated as an increase that the figures show as a decrease (or the reverse) does not hold."""
    if change.amount_krw == 0 or computed == 0 or (change.amount_krw > 0) == (computed > 0):
        return result
    if result.verdict not in CONSISTENT:
        return result
    key = "direction.figures_fall" if change.amount_krw > 0 else "direction.figures_rise"
    return Outcome("불일치", Phrase(key, rule=result.rule), result.difference)


def _implied_prior(text: _Text, level: int, change: int) -> ArithmeticCheck | None:
    claims = text.claims
    known = text.data[change] or text.data[level]
    if known is None:
        return None
    if known.prior is not None:
        prior, how = known.prior, Phrase("evidence.prior_year", label=known.label)
    elif known.amount is not None and known.change is not None:
        signed = known.change if claims[change].amount_krw >= 0 else -known.change
        prior = known.amount - signed
        how = Phrase(
            "evidence.computed_prior", label=known.label, amount=won_text(known.amount), change=won_text(signed)
        )
    else:
        return None
    implied = claims[level].amount_krw - claims[change].amount_krw
    unit = max(claim_precision(claims[level]), claim_precision(claims[change]))
    result = compare_amount(implied, unit, None, prior)
    if result.verdict not in CONSISTENT and abs(implied - prior) <= _slack(claims[level], claims[change]):
        rule = Phrase("check.prior_within_rounding", prior=won_text(prior), implied=won_text(implied))
        result = Outcome("반올림 일치", rule, implied - prior)
    evidence = Evidence(prior, how, "reported", known.citation)
    return ArithmeticCheck(
        "implied prior", (level, change), f"{claims[level].amount_text} − {claims[change].amount_text}",
        Phrase("check.implied", implied=won_text(implied), prior=won_text(prior)),
        result.verdict, result.rule, (evidence,), None, result.difference,
    )  # fmt: skip


def _change_percent(
    text: _Text, change: int, level: int | None, prior: int | None, stated: tuple[Decimal, str | None, str]
) -> ArithmeticCheck | None:
    claims = text.claims
    value, qualifier, written = stated
    amount = _signed_change(text, change)
    evidence: tuple[Evidence, ...] = ()
    shown: dict[str, str] = {"amount": won_text(amount)}
    if prior is not None:
        base, how = claims[prior].amount_krw, "check.percent_over"
        shown["base"] = won_text(base)
        used: tuple[int, ...] = (prior, change)
    else:
        known = text.data[change] or (text.data[level] if level is not None else None)
        if known is not None and known.prior is not None:
            base, how = known.prior, "check.percent_over_prior"
            shown["base"] = won_text(base)
            label = Phrase("evidence.prior_year", label=known.label)
            evidence = (Evidence(known.prior, label, "reported", known.citation),)
            used = (change,)
        elif level is not None:
            base = claims[level].amount_krw - amount
            how, used = "check.percent_over_difference", (level, change)
            shown["level"] = won_text(claims[level].amount_krw)
        else:
            return None
    if base <= 0:
        return None
    actual = Fraction(amount, base) * 100
    result = compare_percent(value, qualifier, actual)
    return ArithmeticCheck(
        "percent", tuple(sorted(used)), written, Phrase(how, percent=percent_text(actual), **shown),
        result.verdict, result.rule, evidence,
    )  # fmt: skip


def _level_percent(
    text: _Text, level: int, prior: int | None, stated: tuple[Decimal, str | None, str]
) -> ArithmeticCheck | None:
    claims = text.claims
    value, qualifier, written = stated
    evidence: tuple[Evidence, ...] = ()
    used: tuple[int, ...] = (level,)
    if prior is not None:
        before, how, used = claims[prior].amount_krw, "check.percent_from_text", (prior, level)
    else:
        known = text.data[level]
        if known is None or known.prior is None:
            return None
        before, how = known.prior, "check.percent_from_data"
        label = Phrase("evidence.prior_year", label=known.label)
        evidence = (Evidence(known.prior, label, "reported", known.citation),)
    actual = percent_change(before, claims[level].amount_krw)
    if actual is None:
        return None
    result = compare_percent(value, qualifier, actual)
    computed = Phrase(
        how, percent=percent_text(actual), before=won_text(before), after=won_text(claims[level].amount_krw)
    )
    return ArithmeticCheck("percent", used, written, computed, result.verdict, result.rule, evidence)


# --- shares ----------------------------------------------------------------------------------------


def _shares(
    text: _Text,
    number: int,
    members: list[int],
    previous: list[int],
    totals: Sequence[DataFigures],
    figures: Sequence[DataFigures],
) -> list[ArithmeticCheck]:
    if not members:
        return []
    claims = text.claims
    sentence = text.sentences[number]
    stated_changes = {abs(Decimal(str(claims[i].change_pct))) for i in members if claims[i].change_pct is not None}
    checks = []
    base = _sentence_base(text, members)
    for found in find_percents(sentence):
        if found.percent.points or abs(found.percent.value) in stated_changes:
            continue
        before, after = sentence[max(0, found.full_start - 24) : found.full_start], sentence[found.end :]
        if not (_SHARE_BEFORE.search(before) or _SHARE_AFTER.match(after) or _SHARE_RATIO.search(before)):
            continue
        if re.match(r"\s*에서", after):  # "5.7%에서 5.6%로": the earlier share of a pair (prior year)
            continue
        numerator = _share_numerator(text, members, previous, base + found.start)
        if numerator is None:
            continue
        percent = found.percent
        check = _share(text, numerator, percent.value, percent.qualifier, percent.text, totals, figures)
        if check is not None:
            checks.append(check)
    return checks


def _sentence_base(text: _Text, members: list[int]) -> int:
    """Where the sentence starts in the text (from a claim's offset and its place in the sentence)."""
    claim = text.claims[members[0]]
    where = claim.sentence.find(claim.amount_text)
    return claim.start - where if where >= 0 else claim.start


def _share_numerator(text: _Text, members: list[int], previous: list[int], at: int) -> int | None:
    levels = [i for i in members if text.role(i) == "level"]
    before = [i for i in levels if text.claims[i].start < at]
    if before:
        return before[-1]
    after = [i for i in levels if text.claims[i].start > at]
    if after and not any(text.role(i) != "level" and text.claims[i].start < at for i in members):
        return after[0]
    earlier = [i for i in previous if text.role(i) == "level"]
    return earlier[-1] if earlier else (after[0] if after else None)


def _denominators(text: _Text, numerator: int, totals: Sequence[DataFigures]) -> list[tuple[int, str, Evidence]]:
    claims = text.claims
    found: list[tuple[int, str, Evidence]] = []
    for i, claim in enumerate(claims):
        if claim.kind == "total" and text.role(i) == "level" and claim.amount_krw > claims[numerator].amount_krw:
            label = Phrase("evidence.text_total", amount=claim.amount_text)
            evidence = Evidence(claim.amount_krw, label, "text", text.cite(i))
            found.append((claim.amount_krw, claim.amount_text, evidence))
    for total in totals:
        if total.amount is not None and total.amount > claims[numerator].amount_krw:
            evidence = Evidence(total.amount, total.label, "reported", total.citation)
            found.append((total.amount, total.label, evidence))
    unique: dict[int, tuple[int, str, Evidence]] = {}
    for entry in found:
        unique.setdefault(entry[0], entry)
    return list(unique.values())


def _share(
    text: _Text,
    numerator: int,
    value: Decimal,
    qualifier: str | None,
    written: str,
    totals: Sequence[DataFigures],
    figures: Sequence[DataFigures],
) -> ArithmeticCheck | None:
    claims = text.claims
    part = claims[numerator].amount_krw
    tried = []
    for amount, label, evidence in _denominators(text, numerator, totals):
        actual = Fraction(part, amount) * 100
        tried.append((compare_percent(value, qualifier, actual), amount, label, evidence, actual))
    if not tried:
        return None
    holding = [t for t in tried if t[0].verdict in CONSISTENT]
    result, amount, label, evidence, actual = holding[0] if holding else tried[0]
    rule = Phrase("check.share_rule", rule=result.rule, label=label)
    if not holding:
        others = tuple(Phrase("check.share_tried_one", percent=percent_text(t[4], 1), label=t[2]) for t in tried[1:4])
        if others:
            rule = Phrase("check.share_tried", rule=rule, listed=others)
        fits = [f for f in figures if f.amount and _fits(Fraction(f.amount, amount) * 100, value, qualifier)]
        if fits:
            rule = Phrase("check.share_fits", rule=rule, stated=written, label=fits[0].label,
                          amount=won_text(fits[0].amount or 0))  # fmt: skip
    computed = Phrase("check.share_of", percent=percent_text(actual), part=won_text(part), total=won_text(amount))
    return ArithmeticCheck("share", (numerator,), written, computed, result.verdict, rule, (evidence,))


def _fits(actual: Fraction, value: Decimal, qualifier: str | None) -> bool:
    return compare_percent(value, qualifier, actual).verdict in CONSISTENT


# --- parts of a total ------------------------------------------------------------------------------


def _parts(text: _Text, number: int, members: list[int]) -> list[ArithmeticCheck]:
    """A level figure and the level figures after it (its sentence and the next) that add up to it."""
    claims = text.claims
    following = members + text.in_sentence(number + 1)
    levels = [i for i in following if text.role(i) == "level"]
    checks = []
    for position, whole in enumerate(levels):
        if whole not in members:
            continue
        rest = [i for i in levels[position + 1 : position + 7] if claims[i].amount_krw < claims[whole].amount_krw]
        for end in range(len(rest), 1, -1):
            parts = rest[:end]
            total = sum(claims[i].amount_krw for i in parts)
            difference = claims[whole].amount_krw - total
            slack = _slack(claims[whole], *(claims[i] for i in parts))
            listed = " + ".join(claims[i].amount_text for i in parts)
            result = _parts_outcome(claims[whole], total, difference, slack, listed)
            if result is None:
                continue
            evidence = Evidence(total, listed, "text", text.cite(*parts))
            checks.append(ArithmeticCheck(
                "parts", (whole, *parts), claims[whole].amount_text,
                Phrase("check.parts", listed=listed, total=won_text(total)),
                result.verdict, result.rule, (evidence,), whole, result.difference,
            ))  # fmt: skip
            break
    return checks


def _parts_outcome(whole: Claim, total: int, difference: int, slack: int, listed: str) -> Outcome | None:
    """Parts against their whole, or None when the text does not show that they are the whole.

    A whole with a qualifier follows its own rule (``rules.compare_amount``): ``1조원 이상`` is borne out by
    parts that reach 1조, but parts that fall short say nothing (there may be other parts), and rounding
    never stretches a bound.
    """
    if whole.qualifier:
        if any(word in UPPER_BOUNDS for word in whole.qualifier.split()):
            return None  # parts at most X say nothing of a whole at most X
        result = compare_amount(whole.amount_krw, claim_precision(whole), whole.qualifier, total)
        if result.verdict not in CONSISTENT:
            return None
        rule = Phrase("check.parts_rule", listed=listed, total=won_text(total), rule=result.rule)
        return Outcome(result.verdict, rule, result.difference)
    if difference == 0:
        return Outcome("일치", Phrase("check.parts", listed=listed, total=won_text(total)), 0)
    if abs(difference) <= slack:
        rule = Phrase("check.parts_rounding", listed=listed, total=won_text(total), slack=won_text(slack))
        return Outcome("반올림 일치", rule, difference)
    return None
