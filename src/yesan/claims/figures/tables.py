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
from dataclasses import replace
from typing import Final

from yesan.claims.figures.book import (
    SECTION,
    BookContext,
    basis_figures,
    basis_parts,
    box_cells,
    is_box_row,
    merge_header,
    rows,
    section_label,
)
from yesan.claims.figures.book_lines import cell_per_line_figures
from yesan.claims.figures.figure import Column, Figure
from yesan.claims.figures.timeline import stage_in
from yesan.errors import MoneyError
from yesan.money import parse_cell, parse_unit

__all__ = ["table_figures"]

_NUMERIC: Final = re.compile(r"[△▽+\-]?\s?\(?[0-9][0-9,]*(?:\.[0-9]+)?\)?%?|[-–—]")
_SPLIT: Final = re.compile(r"\t|\s*[|│┃║]\s*| {2,}")
_BARS: Final = frozenset("|│┃║")
#: A year; not a budget book's code for a 장/관/항 ("(장 2000)사회개발").
_YEAR: Final = re.compile(r"(?<![0-9])(?<!장 )(?<!관 )(?<!항 )(20[0-9]{2})(?![0-9])")
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
    r"|[\s\u2500-\u257f]*[─━═][\s\u2500-\u257f]*"
)
#: A 산출기초 (calculation basis) line of a budget book: "냉방비 : 50,000원 × 250개소 = 12,500", "= △3,000";
#: the result after "=" is in the book's unit (천원), a unit price written with 원 is in won.
_BASIS_LINE: Final = re.compile(r"^(?P<label>[^=\n]*?)=\s*(?P<number>[△▽\-]?\s?[0-9][0-9,]*)\s*$")
_LABEL_BULLET: Final = re.compile(r"^[\s○●◦•·▪■□◆◇▶▷ㅇ\-*]+|^\(?[0-9]{1,2}[.)]\s*")
#: The column of a book's row names ("과 목", "구분", "세부사업"): numbers there are codes, not money.
_LABEL_HEAD: Final = re.compile(r"^(?:과목|구분|세부사업|사업명|항목)$")


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
    if _LABEL_HEAD.match(header.replace(" ", "")):
        return "label", year, stage
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
    box_header: list[list[tuple[int, str]]] = []
    in_box_header = False
    scale: int | None = None
    last_label = ""
    basis_label = ""
    section: str | None = None
    for offset_of_line, line in rows(text):
        unit = parse_unit(line) if "단위" in line or _BARE_UNIT.fullmatch(line) else None
        if unit is not None:
            scale = unit
        found = SECTION.search(line)
        if found is not None:
            section = found.group("name")
        if _RULE_LINE.fullmatch(line):
            continue  # "---|---|---": a markdown rule; "┣━━┿━━┫": a box rule
        if is_box_row(line) and scale is not None:
            cells = box_cells(line)
            named = [cell for _, cell in cells if cell]
            if not any(_is_number(cell) for cell in named) and "=" not in line and len(named) >= 2:
                box_header = [*box_header, cells] if in_box_header else [cells]
                in_box_header = True
                header = merge_header(box_header)
                continue
            in_box_header = False
            context = BookContext(scale, budget_year, section, taken_starts)
            row, basis_label = _box_row(cells, header, offset_of_line, context, basis_label)
            figures.extend(row)
            continue
        cells = _cells(line)
        basis = basis_parts(line, revision=False, scale=scale or 1) if "=" in line else None
        if basis is not None and scale is not None:
            figures.extend(basis_figures(basis, offset_of_line, BookContext(scale, budget_year, None, taken_starts)))
            continue
        is_data = any(_is_number(cell) for _, cell in cells[1:]) and not _is_year_row(cells)
        if not is_data:
            in_table = "\t" in line or any(bar in line for bar in _BARS)
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
        context = BookContext(scale, budget_year, None, taken_starts)
        figures.extend(_row_figures(cells, columns, label, offset_of_line, context))
    figures.extend(cell_per_line_figures(text, {f.start for f in figures} | taken_starts, budget_year))
    return sorted(figures, key=lambda f: f.start)


def _row_figures(
    cells: list[tuple[int, str]],
    columns: list[tuple[str, int | None, str | None, str] | None],
    label: str,
    offset_of_line: int,
    context: BookContext,
) -> list[Figure]:
    figures: list[Figure] = []
    row_pct = _row_percent(cells, columns)
    for (offset, cell), column in zip(cells, columns, strict=True):
        if column is None or column[0] in ("percent", "label") or not _is_number(cell) or cell.endswith("%"):
            continue
        start = offset_of_line + offset
        if start in context.taken:
            continue
        try:
            won = parse_cell(cell, context.scale)
        except MoneyError:
            continue
        if won is None:
            continue
        kind, year, stage, head = column
        if year is None and (kind in ("current", "change") or _SAME_YEAR_PRIOR.search(head)):
            year = context.budget_year  # 기정액/당초: this year's budget before the revision
        meta = Column(
            header=head,
            kind=kind,
            year=year,
            stage=stage,
            row_label=section_label(label, context.section),
            row_total=bool(label) and _TOTAL_LABEL.match(label.replace(" ", "")) is not None,
            change_pct=row_pct if kind in ("change", "current") else None,
        )
        end = start + len(cell)
        figures.append(Figure(start, end, start, end, won, None, context.scale, False, meta))
    return figures


def _box_row(
    cells: list[tuple[int, str]],
    header: list[tuple[int, str]] | None,
    offset_of_line: int,
    context: BookContext,
    basis_label: str,
) -> tuple[list[Figure], str]:
    """The figures of one row of a box-drawn book, and the label a following 산출기초 line continues."""
    heads = [text for _, text in header] if header is not None else []
    kinds = [(*_column(re.sub(r"[\s△▽]", "", h), context.budget_year), h) for h in heads]
    revision = {k[0] for k in kinds} >= {"prior", "change"}
    columns: list[tuple[str, int | None, str | None, str] | None] = [None] * len(cells)
    for k in range(len(cells)):
        h = len(kinds) - (len(cells) - k)
        if h >= 0:
            columns[k] = kinds[h]
    label = next((cell for (_, cell), c in zip(cells, columns, strict=True) if c and c[0] == "label" and cell), "")
    if not label:
        label = next((c for _, c in cells if c and not _is_number(c) and "=" not in c), "")
    label = _LABEL_BULLET.sub("", label).strip()
    figures = _row_figures(cells, columns, label, offset_of_line, context)
    last = next(((offset, cell) for offset, cell in reversed(cells) if cell), None)
    if last is None or figures:
        return figures, basis_label
    offset, cell = last
    basis = basis_parts(cell, revision=revision, scale=context.scale)
    if basis is None:
        if not _is_number(cell):
            return [], _LABEL_BULLET.sub("", cell).strip()  # "○ 책자 발간": the name of the lines below
        return [], basis_label
    named = basis.label if re.search(r"[가-힣]{2}", basis.label) else ""
    bulleted = _LABEL_BULLET.match(cell) is not None
    if named and not bulleted and basis_label:
        named = f"{basis_label} {named}"  # "… 검사업무대행" / "수수료 = △3,000": one name over two lines
    basis = replace(basis, label=named or basis_label)
    return basis_figures(basis, offset_of_line + offset, context), "" if named else basis_label


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
