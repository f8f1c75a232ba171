"""Amounts per resident and peer groups of governments.

Every per-resident value carries the population figure it divides by, with that figure's year and
source, so a report can cite them. Per-resident amounts are floored int won, with the exact
numerator (won) and denominator (people) alongside.

Peer groups of a government (see ``PEER_GROUPS``):
- ``region``: the same 광역 (``parent_name``);
- ``type``: the same kind of government, from the name's suffix (시 / 군 / 구; 광역 for 광역 governments);
- ``band``: the same population band (``POPULATION_BANDS``).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Final

from yesan.errors import QueryError
from yesan.query.common import check_amount, records, won
from yesan.query.drilldown import Filters
from yesan.query.engine import Tables
from yesan.query.snapshots import one_per_government, one_snapshot, snapshot_span

#: Population bands for peer groups: (label, lower bound inclusive, upper bound exclusive or None).
POPULATION_BANDS: Final[tuple[tuple[str, int, int | None], ...]] = (
    ("<30k", 0, 30_000),
    ("30–50k", 30_000, 50_000),
    ("50–100k", 50_000, 100_000),
    ("100–300k", 100_000, 300_000),
    ("≥300k", 300_000, None),
)

PEER_GROUPS: Final = ("region", "type", "band")

#: Kinds of government by the suffix of a 기초 government's name; 광역 governments are their own kind.
GOVERNMENT_TYPES: Final = ("광역", "시", "군", "구")


def population_band(population: int) -> str:
    """The label of the POPULATION_BANDS band ``population`` falls in."""
    for label, lower, upper in POPULATION_BANDS:
        if population >= lower and (upper is None or population < upper):
            return label
    raise QueryError(f"a population must be zero or more, not {population}")


def government_type(name: str, level: str | None = None) -> str | None:
    """광역, or 시 / 군 / 구 from the name's last character; None when the name ends otherwise."""
    if level == "광역":
        return "광역"
    suffix = name.strip()[-1:]
    return suffix if suffix in GOVERNMENT_TYPES[1:] else None


@dataclass(frozen=True)
class PerResident:
    gov_code: str
    gov_name: str
    region: str | None  # 광역 (parent_name)
    gov_type: str | None
    amount: int  # won: the numerator
    population: int | None  # people: the denominator; None when the store has no figure
    population_year: int | None
    population_source: str | None
    band: str | None  # POPULATION_BANDS label

    @property
    def numerator(self) -> int:
        return self.amount

    @property
    def denominator(self) -> int | None:
        return self.population

    @property
    def exact(self) -> Fraction | None:
        """amount / population exactly; None without a (non-zero) population."""
        return Fraction(self.amount, self.population) if self.population else None

    @property
    def per_resident(self) -> int | None:
        """Won per resident, floored."""
        return self.amount // self.population if self.population else None


@dataclass(frozen=True)
class PerResidentReport:
    amount: str
    field_name: str | None  # the 분야 the amount is restricted to, if any
    filters: Filters
    rows: tuple[PerResident, ...]  # highest per resident first; governments without population last
    without_population: tuple[str, ...]  # gov_codes with items but no population figure
    snapshot_ids: tuple[int, ...] = ()  # the snapshots counted (one per government)
    note: str | None = None  # how yesan chose them, when it did

    @property
    def measure(self) -> str:
        return f"{self.field_name + ' ' if self.field_name else ''}{self.amount} per resident"


def per_resident(
    t: Tables,
    filters: Filters | None = None,
    *,
    amount: str = "budget",
    field_name: str | None = None,
    year: int | None = None,
    source: str | None = None,
) -> PerResidentReport:
    """``amount`` (optionally of one 분야 only) per resident for every government the filters select.

    The population used is each government's latest figure in the store up to ``year`` (any year when
    None), from ``source`` if given (otherwise the alphabetically first source of that year). A
    government with items but none in ``field_name`` has amount 0.
    """
    check_amount(amount)
    chosen = filters or Filters()
    selected = chosen.apply(t.items)
    # one query for the governments and their amounts: a government with no items in ``field_name`` sums to NULL, 0;
    # when they come from one snapshot, that query is the snapshot check too (see ``one_snapshot``)

    def by_government(selected: Any, span: dict[str, Any]) -> list[dict[str, Any]]:
        in_field = selected.field_name == field_name if field_name is not None else None
        return records(
            selected.group_by("gov_code").aggregate(
                gov_name=selected.gov_name.max(),
                region=selected.parent_name.max(),
                value=selected[amount].sum(where=in_field),
                **span,
            )
        )

    governments = by_government(selected, snapshot_span(selected))
    choice = one_snapshot(governments)
    if choice is None:
        selected, choice = one_per_government(selected, chosen, "a per-resident amount")
        governments = by_government(selected, {})
    amounts = {r["gov_code"]: won(r["value"]) for r in governments}
    levels = {r["code"]: r for r in records(t.governments.select("code", "name", "level", "parent_name"))}
    population = _population(t.population, year, source)
    rows = []
    for gov in governments:
        code = str(gov["gov_code"])
        known = levels.get(code, {})
        people = population.get(code)
        rows.append(
            PerResident(
                gov_code=code,
                gov_name=str(gov["gov_name"]),
                region=gov["region"] if gov["region"] is not None else known.get("parent_name"),
                gov_type=government_type(str(gov["gov_name"]), known.get("level")),
                amount=amounts.get(code, 0),
                population=people[0] if people else None,
                population_year=people[1] if people else None,
                population_source=people[2] if people else None,
                band=population_band(people[0]) if people else None,
            )
        )
    rows.sort(key=_highest_first)
    return PerResidentReport(
        amount=amount,
        field_name=field_name,
        filters=chosen,
        rows=tuple(rows),
        without_population=tuple(sorted(r.gov_code for r in rows if not r.population)),
        snapshot_ids=choice.snapshot_ids,
        note=choice.note,
    )


def _highest_first(row: PerResident) -> tuple[bool, Fraction, str]:
    value = row.exact
    return (value is None, -(value or Fraction(0)), row.gov_code)


def _population(table: Any, year: int | None, source: str | None) -> dict[str, tuple[int, int, str]]:
    """gov_code → (population, year, source): the latest year up to ``year``, first source within a year."""
    chosen = table
    if year is not None:
        chosen = chosen.filter(chosen.year <= year)
    if source is not None:
        chosen = chosen.filter(chosen.source == source)
    rows = records(chosen.select("gov_code", "year", "population", "source"))
    rows.sort(key=lambda r: (-int(r["year"]), str(r["source"])))
    best: dict[str, tuple[int, int, str]] = {}
    for r in rows:
        best.setdefault(str(r["gov_code"]), (int(r["population"]), int(r["year"]), str(r["source"])))
    return best


@dataclass(frozen=True)
class PeerComparison:
    group: str  # one of PEER_GROUPS
    group_value: str  # the 광역 name, type or band label shared by the group
    measure: str  # e.g. "budget per resident" or "사회복지 budget per resident"
    government: PerResident
    peers: tuple[PerResident, ...]  # the other members with a population, highest per resident first
    rank: int  # 1 = highest per resident in the group (the government and its peers); ties share a rank
    group_size: int  # the government plus its peers
    median: Fraction  # exact median per resident of the peers (the government itself excluded)
    without_population: tuple[str, ...]  # members of the group left out for want of a population figure
    snapshot_ids: tuple[int, ...] = ()
    note: str | None = None

    @property
    def median_per_resident(self) -> int:
        """The peer median in won per resident, floored."""
        return self.median.numerator // self.median.denominator


def peers(
    t: Tables,
    gov_code: str,
    *,
    group: str = "type",
    filters: Filters | None = None,
    amount: str = "budget",
    field_name: str | None = None,
    year: int | None = None,
    source: str | None = None,
) -> PeerComparison:
    """Rank ``gov_code`` within its peer ``group`` by ``amount`` (optionally of one 분야) per resident."""
    if group not in PEER_GROUPS:
        raise QueryError(f"unknown peer group {group!r}; use one of {', '.join(PEER_GROUPS)}")
    report = per_resident(t, filters, amount=amount, field_name=field_name, year=year, source=source)
    subject = next((r for r in report.rows if r.gov_code == gov_code), None)
    if subject is None:
        raise QueryError(f"government {gov_code!r} has no items in the selection; check the code and the filters")
    if subject.population is None:
        raise QueryError(
            f"{subject.gov_name} ({gov_code}) has no population figure in the store"
            f"{f' up to {year}' if year is not None else ''}; load one with `yesan load` (a population table)"
        )
    value = {"region": subject.region, "type": subject.gov_type, "band": subject.band}[group]
    if value is None:
        raise QueryError(f"{subject.gov_name} ({gov_code}) has no {group} to group by")
    members = [r for r in report.rows if getattr(r, "gov_type" if group == "type" else group) == value]
    without = tuple(sorted(r.gov_code for r in members if r.population is None))
    others = [r for r in members if r.population is not None and r.gov_code != gov_code]
    if not others:
        raise QueryError(f"{subject.gov_name} ({gov_code}) has no peers with a population in its {group} {value!r}")
    subject_value = subject.exact
    assert subject_value is not None
    values = sorted(r.exact for r in others if r.exact is not None)
    middle = len(values) // 2
    median = values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2
    return PeerComparison(
        group=group,
        group_value=value,
        measure=report.measure,
        government=subject,
        peers=tuple(others),
        rank=1 + sum(1 for v in values if v > subject_value),
        group_size=len(others) + 1,
        median=median,
        without_population=without,
        snapshot_ids=report.snapshot_ids,
        note=report.note,
    )


__all__ = [
    "GOVERNMENT_TYPES",
    "PEER_GROUPS",
    "POPULATION_BANDS",
    "PeerComparison",
    "PerResident",
    "PerResidentReport",
    "government_type",
    "peers",
    "per_resident",
    "population_band",
]
