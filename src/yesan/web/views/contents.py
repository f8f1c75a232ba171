"""What a page holds: the ``Page`` a handler returns, its ``Table``s and their ``Column``s, the page's language,
and the paths of its HTML and data twins (``/path``, ``/path.json``, ``/path.csv``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Literal

from fastapi import Request

Kind = Literal["text", "won", "signed_won", "pct", "signed_pct", "int", "date", "status", "match", "bar"]

PAGE_ROWS: Final = 100


@dataclass(frozen=True)
class Column:
    """One column of a table: its key in the rows, its label (an ``i18n`` key) and how to show it."""

    key: str
    label: str
    kind: Kind = "text"
    link: str | None = None  # the row key holding this cell's URL
    sortable: bool = True


@dataclass
class Table:
    """Rows of plain values; the ``paged`` table of a page is sorted and paged by the URL."""

    name: str
    caption: str  # shown above the table (already in the page's language)
    columns: Sequence[Column]
    rows: list[dict[str, Any]]
    paged: bool = False
    default_sort: str | None = None
    default_order: Literal["asc", "desc"] = "desc"
    limit: int = PAGE_ROWS
    # filled in by ``_arrange``:
    total: int = 0
    offset: int = 0
    sort: str | None = None
    order: str = "desc"
    shown: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Page:
    """What a page handler returns."""

    template: str
    data: dict[str, Any]
    tables: list[Table] = field(default_factory=list)
    scripts: tuple[str, ...] = ()  # extra scripts: "plotly", "treemap", "bars", "check"
    status: int = 200
    precision: str = "reading"  # how every amount on the page is rounded: yesan.web.views.i18n.PRECISIONS


def lang_of(request: Request) -> str:
    return "en" if request.query_params.get("lang") == "en" else "ko"


def html_path(path: str) -> str:
    """The HTML page's path for a ``.json``/``.csv`` twin (``/index.json`` → ``/``)."""
    for suffix in (".json", ".csv"):
        if path.endswith(suffix):
            path = path.removesuffix(suffix)
            return "/" if path == "/index" else path
    return path


def twin_path(path: str, suffix: str) -> str:
    return f"/index{suffix}" if path == "/" else f"{path}{suffix}"


__all__ = ["PAGE_ROWS", "Column", "Kind", "Page", "Table", "html_path", "lang_of", "twin_path"]
