"""Layouts of budget books (사업명세서) as pasted text, for :mod:`.tables`.

Two layouts lose the table's shape when a book is copied out of a page:

* **A box-drawn table collapsed to one line**: the rows ``┃ … ┃`` follow each other on a single line.
  :func:`rows` cuts such a line back into rows (with their offsets). :func:`box_cells` keeps the empty
  cells of a box row, because the columns of a budget book are told by position: the leading ``│││``
  of a row are the outline of the 장/관/항/세항 hierarchy, so cells are aligned from the right.
  :func:`merge_header` joins a header written over several rows column by column
  ("전 년 도" / "(기 정)" / "예 산 액" → one column).
* **One cell per line**: each cell of the book on its own line, in an order that need not be the
  header's. :func:`cell_groups` finds the runs of three bare numbers of which two add up to the third:
  the sum is the line's budget (예산액), and the other two are the 기정액 and the 증감, in the header's
  order or its reverse — whichever puts the sum in the 예산액 column.

A 산출기초 (calculation basis) line ``단가 X 수량 = 결과`` is read by :func:`basis_parts`: the unit price is
written in 원; the result is in 원 when the product of the written numbers equals it, otherwise in the book's
unit (``5,000 X 300부 = 1,500`` is 1,500천원); a line that starts with 경정 is the revised budget and one
that starts with 기정 the budget before the revision.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final

from yesan.claims.figures.figure import Column, Figure
from yesan.errors import MoneyError
from yesan.money import parse_cell

__all__ = [
    "SECTION",
    "Basis",
    "BookContext",
    "basis_figures",
    "basis_parts",
    "box_cells",
    "cell_groups",
    "is_box_row",
    "merge_header",
    "rows",
    "section_label",
]

#: A budget book's section heading, "(세항 2411)개발및건축관리": the program a book's rows belong to.
SECTION: Final = re.compile(r"\(세항\s?[0-9]+\)\s*(?P<name>[^\s(]+)")

#: Where one row of a collapsed box table ends and the next begins: "… ┃ ┃ …", "… ┨ ┃ …", "… ┓ ┃ …".
_ROW_BREAK: Final = re.compile(r"(?<=[┃┨┫┓┛║╢╣╗╝])[ \t]+(?=[┃┣┠┏┗║╟╠╔╚])")
_BOX_BAR: Final = re.compile(r"[│┃║|]")
_NUMBER: Final = r"[△▽\-]?\s?[0-9][0-9,]*"
_BARE_NUMBER: Final = re.compile(rf"\s*({_NUMBER})\s*")
#: "경정 3,128,300 X 3인 X 12월 = 112,619,000", "5,000 X 300부 = 1,500", "수수료 = △3,000".
_BASIS: Final = re.compile(rf"^(?P<label>[^=\n]*?)=\s*(?P<number>{_NUMBER})\s*$")
_FACTOR: Final = re.compile(r"(?<![0-9,])([0-9][0-9,]*)(?:\s?[가-힣]{1,2})?(?=\s*[Xx×*]|\s*$)")
_TIMES: Final = re.compile(r"\s[Xx×*]\s|[×*]")
_BULLET: Final = re.compile(r"^[\s○●◦•·▪■□◆◇▶▷ㅇ\-*]+")
_REVISED: Final = re.compile(r"^\s*경\s*정")
_BEFORE: Final = re.compile(r"^\s*기\s*정")


def rows(text: str) -> Iterator[tuple[int, str]]:
    """The rows of ``text`` with their offsets: its lines, with a collapsed box table cut into its rows."""
    position = 0
    for line in text.split("\n"):
        start = 0
        if line.count("┃") + line.count("║") >= 4:
            for cut in _ROW_BREAK.finditer(line):
                yield position + start, line[start : cut.start()]
                start = cut.end()
        yield position + start, line[start:]
        position += len(line) + 1


def is_box_row(line: str) -> bool:
    """A row of a box-drawn table: it opens or closes with a heavy or double bar, or has light bars."""
    stripped = line.strip()
    return bool(stripped) and (stripped[0] in "┃║" or stripped[-1] in "┃║┨╢" or "│" in stripped)


def box_cells(line: str) -> list[tuple[int, str]]:
    """The cells of a box row with their offsets, empty ones included, without the outer frame."""
    cells: list[tuple[int, str]] = []
    pos = 0
    for bar in _BOX_BAR.finditer(line):
        cells.append((pos, line[pos : bar.start()]))
        pos = bar.end()
    cells.append((pos, line[pos:]))
    if cells and not cells[0][1].strip():
        cells = cells[1:]  # before the opening bar
    if cells and not cells[-1][1].strip():
        cells = cells[:-1]  # after the closing bar
    return [(start + len(cell) - len(cell.lstrip()), cell.strip()) for start, cell in cells]


def merge_header(rows_of_header: list[list[tuple[int, str]]]) -> list[tuple[int, str]]:
    """Header rows joined column by column, aligned from the right; the widest row gives the offsets."""
    width = max(len(row) for row in rows_of_header)
    widest = next(row for row in rows_of_header if len(row) == width)
    merged: list[tuple[int, str]] = []
    for k in range(width):
        parts = []
        for row in rows_of_header:
            j = len(row) - (width - k)
            if j >= 0 and row[j][1]:
                parts.append(row[j][1])
        merged.append((widest[k][0], " ".join(parts)))
    return merged


def _squeeze(text: str) -> str:
    return re.sub(r"[\s△▽]", "", text)


def cell_groups(lines: list[str], header: list[str]) -> list[tuple[int, list[str]]]:
    """Runs of three one-number lines where two add up to the third, as (first line index, column kinds).

    ``header`` is the book's column headers in their written order; the kinds are "current" (the sum),
    "prior" (기정) and "change" (증감), in the order of the three lines.
    """
    order = list(dict.fromkeys(kind for h in header if (kind := _header_kind(h)) is not None))
    groups: list[tuple[int, list[str]]] = []
    k = 0
    while k + 2 < len(lines):
        values = [_bare_value(line) for line in lines[k : k + 3]]
        if any(v is None for v in values):
            k += 1
            continue
        a, b, c = (int(v) for v in values if v is not None)
        kinds = _three_kinds([a, b, c], order)
        if kinds is None:
            k += 1
            continue
        groups.append((k, kinds))
        k += 3
    return groups


def _header_kind(header: str) -> str | None:
    squeezed = _squeeze(header)
    if re.search(r"증감|비교|증액|감액", squeezed):
        return "change"
    if re.search(r"기정|당초", squeezed):
        return "prior"
    if "예산액" in squeezed:
        return "current"
    return None


def _bare_value(line: str) -> int | None:
    match = _BARE_NUMBER.fullmatch(line)
    if match is None:
        return None
    number = match.group(1).replace(" ", "").replace(",", "")
    return -int(number[1:]) if number[:1] in "△▽-" else int(number)


def _three_kinds(values: list[int], order: list[str]) -> list[str] | None:
    """Which of three values is the sum, 기정 and 증감 (see :func:`cell_groups`)."""
    for total in range(3):
        others = [values[j] for j in range(3) if j != total]
        if values[total] != sum(others) or values[total] == 0:
            continue
        kinds = [o for o in order if o in ("current", "prior", "change")]
        if sorted(kinds) != ["change", "current", "prior"]:
            kinds = ["current", "prior", "change"]
        for candidate in (kinds, kinds[::-1]):
            if candidate[total] == "current":
                return candidate
        rest = ["prior", "change"] if abs(others[0]) >= abs(others[1]) else ["change", "prior"]
        rest.insert(total, "current")
        return rest
    return None


@dataclass(frozen=True)
class Basis:
    """A 산출기초 line: its label, the unit price (in 원) and the result, with where each is written."""

    label: str
    result_start: int  # offsets within the line
    result_text: str
    result_in_won: bool  # the written product equals the result: the result is in 원, not the book's unit
    kind: str  # "current", "prior" or "change"
    price_start: int | None = None
    price_text: str | None = None


def basis_parts(line: str, *, revision: bool, scale: int) -> Basis | None:
    """The parts of a 산출기초 line (see the module docstring); ``revision``: the book has 기정/증감 columns;
    ``scale``: the book's unit (a result in 원 is the product rounded to it)."""
    match = _BASIS.match(line)
    if match is None:
        return None
    label = match.group("label")
    number = match.group("number")
    factors = list(_FACTOR.finditer(label)) if _TIMES.search(label) else []
    price = factors[0] if factors else None
    in_won = False
    if factors:
        product = math.prod(int(f.group(1).replace(",", "")) for f in factors)
        result = abs(int(number.replace(" ", "").replace(",", "").lstrip("△▽-")))
        # "3,128,300 X 3인 X 12월 = 112,619,000": the product in 원, rounded to the book's unit
        in_won = scale > 1 and result % scale == 0 and abs(product - result) < scale
    if _REVISED.match(label):
        kind = "current"
    elif _BEFORE.match(label):
        kind = "prior"
    else:
        kind = "change" if revision or number.lstrip()[:1] in "△▽-" else "current"
    name = label[: price.start()] if price is not None else label
    name = re.sub(r"^\s*(?:경\s*정|기\s*정)\s*", "", name.split(":")[0].split("：")[0])
    name = _BULLET.sub("", name).strip()
    return Basis(
        label=name,
        result_start=match.start("number"),
        result_text=number,
        result_in_won=in_won,
        kind=kind,
        price_start=price.start(1) if price is not None else None,
        price_text=price.group(1) if price is not None else None,
    )


@dataclass(frozen=True)
class BookContext:
    """What a book's figures are read with: its unit, budget year, current 세항 and the offsets already taken."""

    scale: int
    budget_year: int | None
    section: str | None
    taken: set[int]


def section_label(label: str, section: str | None) -> str | None:
    """ "경상적경비 (개발및건축관리)": a book's row named with the program (세항) it belongs to."""
    if not label:
        return section
    if section is None or section in label:
        return label
    return f"{label} ({section})"


def basis_figures(basis: Basis, line_start: int, context: BookContext) -> list[Figure]:
    """The figures of a 산출기초 line: the unit price (in 원, not a budget line) and the result."""
    figures: list[Figure] = []
    label = basis.label or None
    if basis.price_start is not None and basis.price_text is not None:
        start = line_start + basis.price_start
        won = parse_cell(basis.price_text, 1)
        if won is not None and start not in context.taken:
            meta = Column(header="산출기초", kind="other", year=context.budget_year, stage=None, row_label=label)
            end = start + len(basis.price_text)
            figures.append(Figure(start, end, start, end, won, None, 1, False, meta))
    start = line_start + basis.result_start
    if start in context.taken:
        return figures
    try:
        won = parse_cell(basis.result_text.replace(" ", ""), 1 if basis.result_in_won else context.scale)
    except MoneyError:
        return figures
    if won is None:
        return figures
    meta = Column(header="산출기초", kind=basis.kind, year=context.budget_year, stage=None, row_label=label)
    end = start + len(basis.result_text)
    figures.append(Figure(start, end, start, end, won, None, context.scale, False, meta))
    return figures
