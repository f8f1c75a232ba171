"""What a money figure found in an article is: its place in the text, its exact won, how it was written, and,
for a figure in a table, what its column holds. Found by :mod:`.figures` (prose) and :mod:`.tables` (tables)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Column", "Figure"]


@dataclass(frozen=True, slots=True)
class Column:
    """What a table column holds, read from its header (for figures found in tables)."""

    header: str
    kind: str  # "current" | "prior" | "change" | "other" (a 산출기초 unit price)
    year: int | None = None
    stage: str | None = None
    row_label: str | None = None
    row_total: bool = False
    change_pct: float | None = None


@dataclass(frozen=True, slots=True)
class Figure:
    """One amount of money at a place in the text.

    ``text[start:end]`` is the amount as written; ``full_start``/``full_end`` add the qualifier words
    around it. ``won`` is signed as written (negative only for a minus in a table or after 증감/대비).
    """

    start: int
    end: int
    full_start: int
    full_end: int
    won: int
    qualifier: str | None
    precision: int
    has_won: bool
    column: Column | None = None
