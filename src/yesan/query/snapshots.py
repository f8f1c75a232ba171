"""Which snapshot feeds each government: never add two snapshots of one government together.

A store may hold several snapshots of the same budget (daily execution snapshots, 예산안 and 본예산,
two years). Summing them would count every item twice, so each question is answered from one
snapshot per government:

- when the caller names the snapshots (``Filters.snapshot_ids``) and they overlap for some
  government, that is refused with a message naming them;
- otherwise yesan picks, for each government, its **latest** snapshot: the latest fiscal year in the
  selection (or the one asked for), then the latest stage (결산 > 현액 > 추경N > 본예산 > 예산안), then
  the latest execution date, then the last loaded. Governments with no snapshot of that year are left
  out. The answer says which snapshots it used (``Choice.snapshot_ids``, ``Choice.note``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final

import ibis

from yesan.errors import QueryError
from yesan.model import UNIQUE_ITEMS_META_PREFIX
from yesan.query.compiled import arrow
from yesan.store.backend import optional_table


@dataclass(frozen=True)
class SnapshotInfo:
    snapshot_id: int
    fiscal_year: int
    stage: str
    exe_ymd: dt.date | None


@dataclass(frozen=True)
class Choice:
    """The (snapshot, governments) pairs an answer uses; ``pairs is None`` means "all selected rows"."""

    pairs: Mapping[int, tuple[str, ...]] | None
    snapshot_ids: tuple[int, ...]
    note: str | None = None  # set when yesan chose the latest snapshots itself

    def apply(self, selected: Any) -> Any:
        """Narrow an Ibis selection of items to the chosen pairs (unchanged when nothing was chosen)."""
        if self.pairs is None:
            return selected
        condition = None
        for snapshot_id, govs in sorted(self.pairs.items()):
            part = (selected.snapshot_id == snapshot_id) & selected.gov_code.isin(list(govs))
            condition = part if condition is None else condition | part
        return selected.filter(condition if condition is not None else ibis.literal(False))


def stage_rank(stage: str) -> int:
    """Later stages rank higher: 예산안 < 본예산 < 추경1 < 추경2 … < 현액 < 결산."""
    if stage == "예산안":
        return 0
    if stage == "본예산":
        return 1
    if stage.startswith("추경"):
        digits = stage[2:]
        return 1 + (int(digits) if digits.isdigit() else 1)
    if stage == "현액":
        return 900
    if stage == "결산":
        return 1000
    return 1


def latest_key(info: SnapshotInfo) -> tuple[int, int, dt.date, int]:
    return (info.fiscal_year, stage_rank(info.stage), info.exe_ymd or dt.date.min, info.snapshot_id)


def choose(
    govs_by_snapshot: Mapping[int, Iterable[str]],
    infos: Mapping[int, SnapshotInfo],
    *,
    explicit: bool,
    what: str,
) -> Choice:
    """One snapshot per government out of ``govs_by_snapshot`` (the pairs a selection holds).

    ``explicit``: the caller named the snapshots, so an overlap is an error instead of a choice.
    """
    govs = {s: tuple(sorted(set(g))) for s, g in govs_by_snapshot.items()}
    owner: dict[str, int] = {}
    clash: tuple[str, int, int] | None = None
    for snapshot_id in sorted(govs):
        for gov in govs[snapshot_id]:
            if gov in owner and clash is None:
                clash = (gov, owner[gov], snapshot_id)
            owner.setdefault(gov, snapshot_id)
    ids = tuple(sorted(govs))
    if clash is None:
        return Choice(None, ids)
    if explicit:
        gov, first, second = clash
        raise QueryError(
            f"{what} needs one snapshot per government, but the selection holds snapshots "
            f"{', '.join(str(i) for i in ids)} (e.g. {first} and {second} for government {gov}); "
            "choose one (--snapshot N; snapshot_ids in Python) or leave the snapshots out to use the latest"
        )
    year = max(infos[s].fiscal_year for s in ids)
    latest: dict[str, int] = {}
    for snapshot_id in sorted((s for s in ids if infos[s].fiscal_year == year), key=lambda s: latest_key(infos[s])):
        for gov in govs[snapshot_id]:
            latest[gov] = snapshot_id  # later snapshots overwrite earlier ones
    pairs: dict[int, list[str]] = {}
    for gov, snapshot_id in latest.items():
        pairs.setdefault(snapshot_id, []).append(gov)
    chosen = tuple(sorted(pairs))
    left_out = sorted(set(owner) - set(latest))
    note = (
        f"the selection holds several snapshots of the same governments ({', '.join(str(i) for i in ids)}); "
        f"using the latest {year} snapshot of each government ({', '.join(_describe(infos[s]) for s in chosen)})"
    )
    if left_out:
        note += f"; {len(left_out)} government(s) with no {year} snapshot left out"
    return Choice({s: tuple(sorted(g)) for s, g in pairs.items()}, chosen, note)


def _describe(info: SnapshotInfo) -> str:
    when = f" {info.exe_ymd.isoformat()}" if info.exe_ymd else ""
    return f"{info.snapshot_id}: {info.fiscal_year} {info.stage}{when}"


def choose_for(selected: Any, *, explicit: bool, what: str) -> Choice:
    """``choose`` over an Ibis selection of items: one small grouped query over the selected rows."""
    pairs = arrow(
        selected.group_by("snapshot_id", "gov_code", "fiscal_year", "stage", "exe_ymd").aggregate(n=selected.count())
    ).to_pylist()
    govs: dict[int, list[str]] = {}
    infos: dict[int, SnapshotInfo] = {}
    for record in pairs:
        snapshot_id = int(record["snapshot_id"])
        govs.setdefault(snapshot_id, []).append(record["gov_code"])
        infos[snapshot_id] = SnapshotInfo(snapshot_id, int(record["fiscal_year"]), record["stage"], record["exe_ymd"])
    return choose(govs, infos, explicit=explicit, what=what)


def snapshot_check(selected: Any) -> dict[str, Any]:
    """Aggregates to add to a query over ``selected`` so that ``settle`` can tell whether snapshots overlap.

    Only the distinct snapshot ids: a selection of one snapshot cannot hold a government twice, and that is
    most questions. With several, ``settle`` asks for the (government, snapshot) pairs in a second query.
    """
    return {"snapshot_ids": selected.snapshot_id.collect(distinct=True)}


#: Aggregates ``snapshot_span`` adds to each group of a grouped query.
SPAN_FIRST: Final = "_first_snapshot"
SPAN_LAST: Final = "_last_snapshot"


def snapshot_span(selected: Any) -> dict[str, Any]:
    """Aggregates to add to a grouped query over ``selected``: the lowest and highest snapshot of each group.

    When every group spans the same one snapshot, the selection holds one snapshot, which cannot hold a government
    twice: the grouped query alone answers, and the total is the sum of its groups (``one_snapshot``). Cheaper than
    collecting each group's snapshots, so that it can ride on a query of many groups.
    """
    return {SPAN_FIRST: selected.snapshot_id.min(), SPAN_LAST: selected.snapshot_id.max()}


def one_snapshot(grouped: list[dict[str, Any]]) -> Choice | None:
    """From the rows of a query with ``snapshot_span``: the choice when they come from one snapshot (or none at
    all), else None (then ``settle`` decides, with a query of its own)."""
    spans = {(r[SPAN_FIRST], r[SPAN_LAST]) for r in grouped}
    if not spans:
        return Choice(None, ())
    if len(spans) == 1 and (span := spans.pop())[0] == span[1] and span[0] is not None:
        return Choice(None, (int(span[0]),))
    return None


def _overlaps(selected: Any) -> bool:
    """Whether some government has rows in more than one of the selected snapshots."""
    pairs = selected.select("gov_code", "snapshot_id").distinct()
    per_gov = pairs.group_by("gov_code").aggregate(n=pairs.count())
    found = arrow(per_gov.filter(per_gov.n > 1).limit(1)).num_rows
    return bool(found)


def settle(selected: Any, record: Mapping[str, Any], filters: Any, what: str) -> tuple[Any, Choice, bool]:
    """From a ``snapshot_check`` record: the selection narrowed to one snapshot per government, the choice,
    and whether the selection changed (then anything computed over the old one must be computed again)."""
    ids = tuple(sorted(int(i) for i in record["snapshot_ids"] or []))
    if len(ids) <= 1 or not _overlaps(selected):
        return selected, Choice(None, ids), False
    choice = choose_for(selected, explicit=bool(filters.snapshot_ids), what=what)
    return choice.apply(selected), choice, True


def unique_item_snapshots(items: Any) -> frozenset[int]:
    """The snapshots whose rows are one per item-level key (the store says so at load; see ``yesan.store.facts``).

    Empty when the backend holds no ``meta`` table (a PostgreSQL copy, the Parquet layout): then every
    item-level question groups, which is always right.
    """
    meta = optional_table(ibis.get_backend(items), "meta")
    if meta is None:
        return frozenset()
    rows = meta.filter(meta.key.startswith(UNIQUE_ITEMS_META_PREFIX) & (meta.value == "true")).select("key")
    return frozenset(int(r["key"][len(UNIQUE_ITEMS_META_PREFIX) :]) for r in arrow(rows).to_pylist())


def one_per_government(selected: Any, filters: Any, what: str) -> tuple[Any, Choice]:
    """The selection narrowed to one snapshot per government, and the choice made (for the answer)."""
    record = arrow(selected.aggregate(**snapshot_check(selected))).to_pylist()[0]
    narrowed, choice, _ = settle(selected, record, filters, what)
    return narrowed, choice


__all__ = [
    "Choice",
    "SnapshotInfo",
    "choose",
    "choose_for",
    "latest_key",
    "one_per_government",
    "one_snapshot",
    "settle",
    "snapshot_check",
    "snapshot_span",
    "stage_rank",
    "unique_item_snapshots",
]
