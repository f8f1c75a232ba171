"""Items of two selections matched as ``compare`` matches them, over columns fetched once, in plain Python.

An item comparison of one government is a few thousand items a side, and matching them costs less than asking
the backend to join them (whose joins and regular expressions take tens of milliseconds): the items are fetched
as columns, summed per (government, 회계, code) where codes repeat, matched by code with dict lookups, and only
the few left over have their names normalized and matched by name. ``compare`` keeps the rows as tuples and
builds its ``CompareRow`` objects when they are read.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from yesan.query.common import NULL_KEY

#: A side's key of a matched row, in the order of ``compare``'s key columns.
KEY_COLUMNS: Final = ("gov_code", "gov_name", "account", "item_code", "item_name")

#: One row of the answer: before key, after key (None where the side is absent), the two sides' sums (None: a NULL
#: sum) and how the row was matched ("code" or "name").
Matched = tuple[tuple[Any, ...] | None, tuple[Any, ...] | None, int | None, int | None, str]


def _larger(mine: Any, seen: Any) -> Any:
    """SQL's max() of two values: NULLs ignored."""
    if seen is None:
        return mine
    return seen if mine is None or seen > mine else mine


def _plus(mine: int | None, seen: int | None) -> int | None:
    """SQL's sum() of two values: NULLs ignored, NULL when both are."""
    if seen is None:
        return mine
    return seen if mine is None else mine + seen


class _Groups:
    """One side's items summed per (government, 회계, code), items without a code per normalized name, with the
    largest value of each key column (as SQL's max())."""

    def __init__(self, columns: Mapping[str, list[Any]], normalize: Any) -> None:
        self.normalize = normalize
        gov, codes, names = columns["gov_code"], columns["item_code"], columns["item_name"]
        keys = [(g, a or NULL_KEY, c, NULL_KEY) for g, a, c in zip(gov, columns["account"], codes, strict=True)]
        uncoded = [i for i, code in enumerate(codes) if code is None] if None in codes else []
        for i in uncoded:
            keys[i] = (*keys[i][:3], normalize(names[i]))
        self.index = dict(zip(keys, range(len(keys)), strict=True))
        self.tuples: list[tuple[Any, ...]] | None = None  # each group's key columns, made once when asked for
        if len(self.index) == len(keys):  # one row per key, as most snapshots hold: the columns are the groups
            self.keys = keys
            self.value: list[Any] = columns["value"]
            self.columns = [columns[c] for c in KEY_COLUMNS]
            self.names: list[Any] | None = None
            self.uncoded = uncoded  # the groups without a code
            return
        self.keys, self.value, self.names, self.index = [], [], [], {}
        self.uncoded = []
        self.columns = [[] for _ in KEY_COLUMNS]
        for i, key in enumerate(keys):
            j = self.index.get(key)
            if j is None:
                if key[2] is None:
                    self.uncoded.append(len(self.keys))
                self.index[key] = len(self.keys)
                self.keys.append(key)
                self.value.append(columns["value"][i])
                self.names.append({names[i]})
                for mine, c in zip(self.columns, KEY_COLUMNS, strict=True):
                    mine.append(columns[c][i])
                continue
            self.value[j] = _plus(self.value[j], columns["value"][i])
            self.names[j].add(names[i])
            for mine, c in zip(self.columns, KEY_COLUMNS, strict=True):
                mine[j] = _larger(mine[j], columns[c][i])

    def key(self, j: int) -> tuple[Any, ...]:
        if self.tuples is None:
            self.tuples = list(zip(*self.columns, strict=True))
        return self.tuples[j]

    def name_key(self, j: int) -> tuple[Any, ...]:
        """(government, 회계, normalized name): the largest normalized name of the group's items."""
        key = self.keys[j]
        names = (self.columns[4][j],) if self.names is None else self.names[j]
        return (key[0], key[1], max(self.normalize(n) for n in names))


def _by_name(groups: _Groups, left: list[int]) -> dict[tuple[Any, ...], tuple[list[Any], int | None]]:
    """The groups ``left`` over, summed per (government, 회계, normalized name): key columns and sum."""
    found: dict[tuple[Any, ...], tuple[list[Any], int | None]] = {}
    for j in left:
        name_key = groups.name_key(j)
        seen = found.get(name_key)
        if seen is None:
            found[name_key] = (list(groups.key(j)), groups.value[j])
        else:
            columns, value = seen
            found[name_key] = ([_larger(m, s) for m, s in zip(columns, groups.key(j), strict=True)],
                               _plus(value, groups.value[j]))  # fmt: skip
    return found


def match_items(before: Mapping[str, list[Any]], after: Mapping[str, list[Any]], normalize: Any) -> list[Matched]:
    """Rows of ``before`` and ``after`` (columns ``KEY_COLUMNS`` and ``value``) matched by (government, 회계,
    code), then those left over by (government, 회계, normalized name); a NULL code matches nothing, as in SQL."""
    b, a = _Groups(before, normalize), _Groups(after, normalize)
    hits = [a.index.get(key) for key in b.keys]
    if b.uncoded and a.uncoded:  # a NULL code matches nothing, as in SQL
        for i in b.uncoded:
            hits[i] = None
    rows: list[Matched] = [
        (b.key(i), a.key(j), b.value[i], a.value[j], "code") for i, j in enumerate(hits) if j is not None
    ]
    left_b = [i for i, j in enumerate(hits) if j is None]
    matched_a = set(hits)
    nb = _by_name(b, left_b)
    na = _by_name(a, [j for j in range(len(a.keys)) if j not in matched_a])
    for name_key in [*nb, *(k for k in na if k not in nb)]:
        gb, ga = nb.get(name_key), na.get(name_key)
        rows.append(
            (
                tuple(gb[0]) if gb else None,
                tuple(ga[0]) if ga else None,
                gb[1] if gb else None,
                ga[1] if ga else None,
                "name",
            )
        )
    return rows


__all__ = ["KEY_COLUMNS", "Matched", "match_items"]
