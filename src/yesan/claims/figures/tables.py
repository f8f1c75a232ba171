"""Bare numbers in tables that declare their unit (``(단위: 천원)``), as money figures with column meaning.

A table is a run of lines whose cells are separated by tabs, ``|`` or two or more spaces (HTML tables
are rendered that way by :mod:`.html`), or a label followed by numbers. A unit declaration on the
table's first lines or within the three lines before it gives the scale; without one, bare numbers
are not money (they may be counts). The header row tells what each column holds: an earlier year,
기정/당초/전년 → ``prior`` (기정/당초 of the budget year itself); 증감/증액/감액/차이 → ``change``;
률/율/비율/% → a percentage, not money; anything else → the current figure. A row labelled 합계/총계/계
is the total. Cells may be separated by box-drawing bars (``│``), and box rules are skipped. A budget
book's 산출기초 lines (``… = 12,500``, ``= △3,000``) give the line's amount in the book's unit; △ is a minus.
"""

from __future__ import annotations

import re
from typing import Final

from yesan.claims.figures.figure import Column, Figure
from yesan.claims.figures.timeline import stage_in
from yesan.errors import MoneyError
from yesan.money import parse_cell, parse_unit

__all__ = ["table_figures"]

_NUMERIC: Final = re.compile(r"[△▽+\-]?\s?\(?[0-9][0-9,]*(?:\.[0-9]+)?\)?%?|[-–—]")
_SPLIT: Final = re.compile(r"\t|\s*[|│┃║]\s*| {2,}")
_BARS: Final = frozenset("|│┃║")
_YEAR: Final = re.compile(r"(?<![0-9])(20[0-9]{2})(?![0-9])")
_TOTAL_LABEL: Final = re.compile(
    r"^(?:합\s*계|총\s*계|계|총\s*액|예산\s*총계|세출\s*총계|세입\s*총계|총\s*예산|전\s*체)$"
)
_CHANGE_HEAD: Final = re.compile(r"증\s*감|증액|감액|차\s*이|차\s*액|변\s*동|비교")
_PCT_HEAD: Final = re.compile(r"[률율%]|비\s*중|비\s*율")
_SAME_YEAR_PRIOR: Final = re.compile(r"기\s*정|당\s*초")
_PRIOR_HEAD: Final = re.compile(r"기\s*정|당\s*초|전\s*년|작\s*년|지난\s*해|前年")
#: A line that is only a unit in brackets, as tables are headed: "(억원)", "[백만원]".
_BARE_UNIT: Final = re.compile(r"^[ \t]*[(\[<][ \t]*[천백만억조]*[ \t]?원[ \t]*[)\]>][ \t]*$", re.MULTILINE)
_RULE_LINE: Final = re.compile(
    r"[\s|:\-–—=+]*[-–—=]{3,}[\s|:\-–—=+]*"
    r"|[\s─━│┃║═┌┐└┘├┤┬┴┼┏┓┗┛┣┫┳┻╋╔╗╚╝╠╣╦╩╬]*[─━═][\s─━│┃║═┌┐└┘├┤┬┴┼┏┓┗┛┣┫┳┻╋╔╗╚╝╠╣╦╩╬]*"
)
#: A 산출기초 (calculation basis) line of a budget book: "냉방비 : 50,000원 × 250개소 = 12,500", "= △3,000";
#: the result after "=" is in the book's unit (천원), a unit price written with 원 is in won.
_BASIS_LINE: Final = re.compile(r"^(?P<label>[^=\n]*?)=\s*(?P<number>[△▽\-]?\s?[0-9][0-9,]*)\s*$")
_LABEL_BULLET: Final = re.compile(r"^[\s○●◦•·▪■□◆◇▶▷\-*]+|^\(?[0-9]{1,2}[.)]\s*")


def _cells(line: str) -> list[tuple[int, str]]:
    """Cells of a table row with their offsets in ``line``; [] when the line is not a row."""
    if "\t" in line or any(bar in line for bar in _BARS) or re.search(r"\S {2,}\S", line):
        cells: list[tuple[int, str]] = []
        pos = 0
        for match in _SPLIT.finditer(line):
            cells.append((pos, line[pos : match.start()]))
            pos = match.end()
        cells.append((pos, line[pos:]))
        return [(start + len(cell) - len(cell.lstrip()), cell.strip()) for start, cell in cells if cell.strip()]
    # "일반회계 1,000,000 1,100,000 100,000": a label, then numbers separated by single spaces.
    tokens = [(m.start(), m.group()) for m in re.finditer(r"\S+", line)]
    numbers = 0
    for _, token in reversed(tokens):
        if not _NUMERIC.fullmatch(token):
            break
        numbers += 1
    if numbers < 2 or numbers == len(tokens):
        return []
    label_end = tokens[len(tokens) - numbers - 1]
    label = (tokens[0][0], line[tokens[0][0] : label_end[0] + len(label_end[1])])
    return [label, *tokens[len(tokens) - numbers :]]


def _is_number(cell: str) -> bool:
    return _NUMERIC.fullmatch(cell) is not None and any(ch.isdigit() for ch in cell)


def _column(header: str, budget_year: int | None) -> tuple[str, int | None, str | None]:
    """(kind, year, stage) of a column from its header text."""
    years = [int(y) for y in _YEAR.findall(header)]
    year = years[-1] if years else None
    stage = stage_in(header)
    if _PCT_HEAD.search(header):
        return "percent", year, stage
    if _CHANGE_HEAD.search(header):
        return "change", year, stage
    if _PRIOR_HEAD.search(header) or (year is not None and budget_year is not None and year < budget_year):
        return "prior", year, stage
    return "current", year, stage


def _is_year_row(cells: list[tuple[int, str]]) -> bool:
    numbers = [cell for _, cell in cells[1:] if _is_number(cell)]
    return bool(numbers) and all(re.fullmatch(r"(?:19|20)[0-9]{2}", cell) for cell in numbers)


def table_figures(text: str, taken: list[tuple[int, int]], budget_year: int | None = None) -> list[Figure]:
    """Figures in the unit-declared tables of ``text`` that are not already in ``taken`` (start, end)."""
    if "단위" not in text and not _BARE_UNIT.search(text):
        return []
    years = [int(y) for y in _YEAR.findall(text)]
    if budget_year is None and years:
        budget_year = max(set(years), key=lambda year: (years.count(year), year))
    taken_starts = {start for start, _ in taken}
    figures: list[Figure] = []
    header: list[tuple[int, str]] | None = None
    scale: int | None = None
    last_label = ""
    line_start = 0
    for line in text.split("\n"):
        offset_of_line = line_start
        line_start += len(line) + 1
        unit = parse_unit(line) if "단위" in line or _BARE_UNIT.fullmatch(line) else None
        if unit is not None:
            scale = unit
        if _RULE_LINE.fullmatch(line):
            continue  # "---|---|---": a markdown rule
        cells = _cells(line)
        is_data = any(_is_number(cell) for _, cell in cells[1:]) and not _is_year_row(cells)
        if not is_data:
            in_table = "\t" in line or any(bar in line for bar in _BARS)
            basis = _BASIS_LINE.match(line)
            if basis is not None and scale is not None:
                figure = _basis_figure(basis, offset_of_line, scale, budget_year, taken_starts)
                if figure is not None:
                    figures.append(figure)
                continue
            if len(cells) >= 2:
                header = cells
            elif line.strip() and unit is None and not in_table and not _LABEL_BULLET.match(line):
                header, scale, last_label = None, None, ""  # prose: the table (if any) has ended
            continue
        if scale is None:
            continue
        label = "" if _is_number(cells[0][1]) else _LABEL_BULLET.sub("", cells[0][1]).strip()
        label = label or last_label
        last_label = label
        columns = _columns_for(header, cells, budget_year)
        row_pct = _row_percent(cells, columns)
        for (offset, cell), column in zip(cells, columns, strict=True):
            if column is None or column[0] == "percent" or not _is_number(cell) or cell.endswith("%"):
                continue
            start = offset_of_line + offset
            if start in taken_starts:
                continue
            try:
                won = parse_cell(cell, scale)
            except MoneyError:
                continue
            if won is None:
                continue
            kind, year, stage, head = column
            if year is None and (kind in ("current", "change") or _SAME_YEAR_PRIOR.search(head)):
                year = budget_year  # 기정액/당초: this year's budget before the revision
            meta = Column(
                header=head,
                kind=kind,
                year=year,
                stage=stage,
                row_label=label or None,
                row_total=bool(label) and _TOTAL_LABEL.match(label.replace(" ", "")) is not None,
                change_pct=row_pct if kind in ("change", "current") else None,
            )
            figures.append(Figure(start, start + len(cell), start, start + len(cell), won, None, scale, False, meta))
    return figures


def _basis_figure(
    basis: re.Match[str], line_start: int, scale: int, budget_year: int | None, taken: set[int]
) -> Figure | None:
    """The result of a 산출기초 line: the line's amount (a △ result is a cut), named by what precedes ``:``."""
    number = basis.group("number")
    start = line_start + basis.start("number")
    if start in taken:
        return None
    try:
        won = parse_cell(number.replace(" ", ""), scale)
    except MoneyError:
        return None
    if won is None:
        return None
    label = _LABEL_BULLET.sub("", basis.group("label").split(":")[0].split("：")[0]).strip() or None
    kind = "change" if won < 0 else "current"
    meta = Column(header="산출기초", kind=kind, year=budget_year, stage=None, row_label=label, row_total=False)
    end = start + len(number)
    return Figure(start, end, start, end, won, None, scale, False, meta)


def _columns_for(
    header: list[tuple[int, str]] | None, cells: list[tuple[int, str]], budget_year: int | None
) -> list[tuple[str, int | None, str | None, str] | None]:
    """The meaning of each cell of a data row: aligned with the header by position from the right."""
    result: list[tuple[str, int | None, str | None, str] | None] = [None] * len(cells)
    if header is None or len(header) < len(cells) - 1:
        # no header, or one that does not name every column (a header over several lines): current figures
        for k in range(1, len(cells)):
            result[k] = ("current", None, None, "")
        return result
    heads = [text for _, text in header]
    # Data rows may lack the header's first cell (구분); align from the right.
    for k in range(len(cells) - 1, 0, -1):
        h = len(heads) - (len(cells) - k)
        if h < 0:
            break
        kind, year, stage = _column(heads[h], budget_year)
        result[k] = (kind, year, stage, heads[h])
    return result


def _row_percent(
    cells: list[tuple[int, str]], columns: list[tuple[str, int | None, str | None, str] | None]
) -> float | None:
    for (_, cell), column in zip(cells, columns, strict=True):
        if column is not None and column[0] == "percent":
            value = cell.rstrip("%").replace(",", "")
            negative = value[:1] in "△▽-"
            try:
                number = float(value.lstrip("△▽-+").strip("()"))
            except ValueError:
                return None
            return -number if negative or cell.startswith("(") else number
    return None
