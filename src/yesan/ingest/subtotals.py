"""Subtotal and total rows in budget tables: recognise them, and check them against their items.

Published tables mix line items with ``합계``/``총계`` (grand total), ``소계``/``계`` (subtotals),
``사회복지 소계`` / ``분야 계`` (named subtotals) and rows that carry only a 분야/부문 value and amounts
(the group's total). Such rows are not items. Each one is checked against the items it sums:

- a row with classification values (회계, 분야, 부문, 정책사업, 단위사업; merged cells filled down)
  sums the items having the same values;
- a grand total sums every item (of the same 자치단체/year, when the row names them);
- a named subtotal (``사회복지 소계``) sums the items with that name in any classification column;
- otherwise (and when the rules above find no items) the group is positional: the items since the
  previous subtotal of the same or a higher level, or, in tables that put each group's total above
  its items, the items up to the next one.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Final, Literal

import yesan.money
from yesan.ingest.batch import ProblemLog

Kind = Literal["grand", "generic", "prefix", "values"]

_GRAND: Final = frozenset({"합계", "총계", "총합계", "전체합계", "합계액"})
_GENERIC: Final = frozenset({"계", "소계", "중계"})
_NAMED: Final = re.compile(r"^(?P<prefix>.+?)\s*(?:소계|합계|총계)$|^(?P<prefix2>.+?)\s+계$")
_BRACKETED: Final = re.compile(r"^(?P<prefix>.*?)\s*[(\[<【]\s*(?P<word>소?계|합계|총계)\s*[)\]>】]$")
_SPACES: Final = re.compile(r"\s+")

#: Classification columns that define groups, with their level (smaller = wider group).
CLASS_LEVELS: Final = {
    "account": 1,
    "field_code": 2,
    "field_name": 2,
    "sector_code": 3,
    "sector_name": 3,
    "program_code": 4,
    "program_name": 4,
    "unit_code": 5,
    "unit_name": 5,
}
#: Columns that narrow a total to one government / year without being a group level.
CONTEXT_COLUMNS: Final = ("gov_code", "gov_name", "fiscal_year")
_GENERIC_LEVEL: Final = 6
_LABELS_KO: Final = {
    "account": "회계",
    "field_code": "분야코드",
    "field_name": "분야",
    "sector_code": "부문코드",
    "sector_name": "부문",
    "program_code": "정책사업코드",
    "program_name": "정책사업",
    "unit_code": "단위사업코드",
    "unit_name": "단위사업",
    "gov_code": "자치단체코드",
    "gov_name": "자치단체",
    "fiscal_year": "회계연도",
}


def subtotal_label(text: str | None) -> tuple[Kind, str | None] | None:
    """Classify a label: ``("grand", None)`` for 합계/총계, ``("generic", None)`` for 소계/계,
    ``("prefix", "사회복지")`` for ``사회복지 소계`` / ``분야 계``; ``None`` for anything else."""
    if not text:
        return None
    cleaned = unicodedata.normalize("NFKC", text).strip()
    compact = _SPACES.sub("", cleaned).strip("[]<>()【】")
    if compact in _GRAND:
        return "grand", None
    if compact in _GENERIC:
        return "generic", None
    match = _BRACKETED.match(cleaned)
    if match:
        prefix = match.group("prefix").strip()
        if not prefix:
            return ("grand", None) if match.group("word") in ("합계", "총계") else ("generic", None)
        return "prefix", prefix
    match = _NAMED.match(cleaned)
    if match:
        prefix = (match.group("prefix") or match.group("prefix2") or "").strip()
        if prefix:
            return "prefix", prefix
    return None


@dataclass
class SubtotalRow:
    """One subtotal row: its place among the data rows and what it sums."""

    position: int  # index into the rows handed to ``check_subtotals``
    row_no: int
    label: str
    kind: Kind
    prefix: str | None = None
    filters: dict[str, str] = field(default_factory=dict)  # classification column → value
    context: dict[str, str] = field(default_factory=dict)  # gov/year column → value

    @property
    def level(self) -> int:
        if self.kind == "grand":
            return 0
        if self.filters:
            return max(CLASS_LEVELS[name] for name in self.filters)
        return _GENERIC_LEVEL


@dataclass
class RowTable:
    """The data rows (items and subtotals, in file order) as columns."""

    row_nos: list[int]
    is_item: list[bool]
    texts: dict[str, list[str | None]]  # classification and context columns that exist
    amounts: dict[str, list[int | None]]  # amount columns that exist
    amount_headers: dict[str, str]  # amount column → source header, for problems
    amount_cells: dict[str, list[str | None]]  # the cells as written, for problems


def format_amount(value: int) -> str:
    """``yesan.money.format_won`` when it exists, else the integer with thousands separators."""
    formatter: Callable[[int], str] | None = getattr(yesan.money, "format_won", None)
    if formatter is not None:
        try:
            return str(formatter(value))
        except (TypeError, ValueError):
            pass
    return f"{value:,}원"


def _norm(text: str) -> str:
    return _SPACES.sub("", unicodedata.normalize("NFKC", text))


class _Sums:
    """Sums of item amounts over positional ranges and over groups of equal values."""

    def __init__(self, table: RowTable) -> None:
        self.table = table
        self.columns = list(table.amounts)
        n = len(table.is_item)
        self.count = [0] * (n + 1)
        self.prefix: dict[str, list[int]] = {}
        for position, item in enumerate(table.is_item):
            self.count[position + 1] = self.count[position] + (1 if item else 0)
        for column, values in table.amounts.items():
            running = [0] * (n + 1)
            for position, value in enumerate(values):
                add = value if table.is_item[position] and value is not None else 0
                running[position + 1] = running[position] + add
            self.prefix[column] = running
        self._groups: dict[tuple[str, ...], dict[tuple[str | None, ...], tuple[list[int], list[int]]]] = {}

    def span(self, start: int, stop: int) -> tuple[dict[str, int], list[int]]:
        """Items at positions ``start <= p < stop``."""
        sums = {column: self.prefix[column][stop] - self.prefix[column][start] for column in self.columns}
        positions = [p for p in range(start, stop) if self.table.is_item[p]] if stop > start else []
        return sums, positions

    def group(self, filters: dict[str, str]) -> tuple[dict[str, int], list[int]]:
        names = tuple(sorted(filters))
        if names not in self._groups:
            groups: dict[tuple[str | None, ...], tuple[list[int], list[int]]] = {}
            columns = [self.table.texts[name] for name in names]
            for position, item in enumerate(self.table.is_item):
                if not item:
                    continue
                key = tuple(None if column[position] is None else _norm(column[position] or "") for column in columns)
                entry = groups.setdefault(key, ([0] * len(self.columns), []))
                for i, column in enumerate(self.columns):
                    value = self.table.amounts[column][position]
                    if value is not None:
                        entry[0][i] += value
                entry[1].append(position)
            self._groups[names] = groups
        found = self._groups[names].get(tuple(_norm(filters[name]) for name in names))
        if found is None:
            return dict.fromkeys(self.columns, 0), []
        return dict(zip(self.columns, found[0], strict=True)), found[1]

    def matching(self, prefix: str, context: dict[str, str]) -> tuple[dict[str, int], list[int]]:
        wanted = _norm(prefix)
        sums = dict.fromkeys(self.columns, 0)
        positions: list[int] = []
        class_columns = [self.table.texts[name] for name in CLASS_LEVELS if name in self.table.texts]
        for position, item in enumerate(self.table.is_item):
            if not item or not any(
                c[position] is not None and _norm(c[position] or "") == wanted for c in class_columns
            ):
                continue
            if any(_norm(self.table.texts[name][position] or "") != _norm(value) for name, value in context.items()):
                continue
            positions.append(position)
            for column in self.columns:
                value = self.table.amounts[column][position]
                if value is not None:
                    sums[column] += value
        return sums, positions


def check_subtotals(subtotals: Sequence[SubtotalRow], table: RowTable, log: ProblemLog) -> int:
    """Check every subtotal row against its items; return how many were checked.

    A mismatch is an error naming the subtotal's row and column, the stated value, the computed
    sum and the difference. Amount cells left blank on a subtotal row are not checked.
    """
    if not subtotals:
        return 0
    sums = _Sums(table)
    ordered = sorted(subtotals, key=lambda s: s.position)
    first_item = next((p for p, item in enumerate(table.is_item) if item), len(table.is_item))
    items_below = any(s.kind != "grand" and s.position < first_item for s in ordered)
    previous, following = _boundaries(ordered, len(table.is_item))
    checked = 0
    for index, subtotal in enumerate(ordered):
        result, description = _children(subtotal, index, sums, previous, following, items_below, table)
        compared = False
        for column in sums.columns:
            stated = table.amounts[column][subtotal.position]
            if stated is None:
                continue
            compared = True
            computed = result[0][column]
            if stated == computed:
                continue
            log.error(
                subtotal.row_no,
                table.amount_headers[column],
                table.amount_cells[column][subtotal.position],
                f"{subtotal.label!r} states {format_amount(stated)} but {description} add up to "
                f"{format_amount(computed)} (difference {format_amount(stated - computed)})",
            )
        checked += 1 if compared else 0
    return checked


def _boundaries(ordered: Sequence[SubtotalRow], n: int) -> tuple[list[int], list[int]]:
    """For each subtotal, the position of the previous / next subtotal of the same or a higher level."""
    levels = _GENERIC_LEVEL + 1
    previous: list[int] = []
    last = [-1] * levels
    for subtotal in ordered:
        level = subtotal.level
        previous.append(max(last[: level + 1]))
        last[level] = subtotal.position
    following = [n] * len(ordered)
    nxt = [n] * levels
    for index in range(len(ordered) - 1, -1, -1):
        subtotal = ordered[index]
        level = subtotal.level
        following[index] = min(nxt[: level + 1])
        nxt[level] = subtotal.position
    return previous, following


def _children(
    subtotal: SubtotalRow,
    index: int,
    sums: _Sums,
    previous: list[int],
    following: list[int],
    items_below: bool,
    table: RowTable,
) -> tuple[tuple[dict[str, int], list[int]], str]:
    if subtotal.kind == "grand" and not subtotal.filters:
        found = sums.group(subtotal.context) if subtotal.context else sums.span(0, len(table.is_item))
        where = _describe_values(subtotal.context)
        return found, f"all {_items(len(found[1]))}{' with ' + where if where else ''}"
    if subtotal.filters:
        found = sums.group({**subtotal.filters, **subtotal.context})
        if found[1]:
            return found, f"the {_items(len(found[1]))} with {_describe_values(subtotal.filters)}"
    elif subtotal.kind == "prefix" and subtotal.prefix:
        found = sums.matching(subtotal.prefix, subtotal.context)
        if found[1]:
            return found, f"the {_items(len(found[1]))} under {subtotal.prefix!r}"
    above = sums.span(previous[index] + 1, subtotal.position)
    below = sums.span(subtotal.position + 1, following[index])
    if items_below:
        found, side = (below, "below it") if below[1] or not above[1] else (above, "above it")
    else:
        found, side = (above, "above it") if above[1] or not below[1] else (below, "below it")
    positions = found[1]
    if not positions:
        return found, "no items (none found next to it)"
    first, last = table.row_nos[positions[0]], table.row_nos[positions[-1]]
    return found, f"the {_items(len(positions))} {side} (rows {first:,}–{last:,})"


def _items(count: int) -> str:
    return f"{count:,} item" if count == 1 else f"{count:,} items"


def _describe_values(values: dict[str, str]) -> str:
    return ", ".join(f"{_LABELS_KO.get(name, name)} {value!r}" for name, value in values.items())
