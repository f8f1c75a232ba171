"""Budget books pasted one cell per line (see :mod:`.book`), for :mod:`.tables`: 예산액/기정/증감 triples,
the 산출기초 lines under them, and a lone 증감 written right before a line that is only "="."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Final

from yesan.claims.figures.book import SECTION, BookContext, basis_figures, basis_parts, cell_groups, rows, section_label
from yesan.claims.figures.figure import Column, Figure
from yesan.money import parse_cell, parse_unit

__all__ = ["cell_per_line_figures"]

_BULLET: Final = re.compile(r"^[\s○●◦•·ㆍ▪■□◆◇▶▷ㅇ\-*]+")
_NUMBER: Final = re.compile(r"[△▽\-]?\s?[0-9][0-9,]*")
#: A header cell spaced out letter by letter ("증  △  감", " (기  정)") or a heading ("(세항 1212)…", "(단위 : 천원)").
#: A 목 line of a book pasted one cell per line, its code then its name ("01 기본급").
_OBJECT: Final = re.compile(r"^\s*[0-9]{2,3}\s+(?P<name>[가-힣][^0-9=]*)$")
_HEADING: Final = re.compile(r"^\(?[가-힣△](?:\s+[가-힣△])+\)?$|^\((?:장|관|항|세항|단위)\b")


def _is_number(text: str) -> bool:
    return _NUMBER.fullmatch(text) is not None


def _name(text: str) -> str:
    return _BULLET.sub("", text).strip()


def cell_per_line_figures(text: str, taken: set[int], budget_year: int | None) -> list[Figure]:
    """Figures of a book pasted one cell per line (none when ``text`` has no 예산액/기정/증감 triple)."""
    lines = list(rows(text))
    plain = [line for _, line in lines]
    scales: list[int | None] = []
    sections: list[str | None] = []
    scale: int | None = None
    section: str | None = None
    for line in plain:
        unit = parse_unit(line) if "단위" in line else None
        scale = unit if unit is not None else scale
        found = SECTION.search(line)
        section = found.group("name") if found is not None else section
        scales.append(scale)
        sections.append(section)
    units = [k for k, line in enumerate(plain) if "단위" in line]
    if not units:
        return []
    header = [line for line in plain[units[0] : units[0] + 25] if not _is_number(line.strip())]
    groups = cell_groups(plain, header)
    if not groups:
        return []  # not a book pasted one cell per line
    figures: list[Figure] = []
    for k, (offset, line) in enumerate(lines):
        if scales[k] is None or "=" not in line:
            continue
        basis = basis_parts(line, revision=True, scale=scales[k] or 1)
        if basis is not None:
            basis = replace(basis, label=_outline_name(plain, k) or "")
            figures.extend(basis_figures(basis, offset, BookContext(scales[k] or 1, budget_year, None, taken)))
    for k, kinds in groups:
        group_scale = scales[k]
        if group_scale is None:
            continue
        label = section_label(_group_label(plain, k), sections[k])
        for j, kind in enumerate(kinds):
            offset, line = lines[k + j]
            cell = line.strip()
            start = offset + line.index(cell)
            won = parse_cell(cell, group_scale)
            if won is None or start in taken:
                continue
            meta = Column(header=kind, kind=kind, year=budget_year, stage=None, row_label=label)
            figures.append(Figure(start, start + len(cell), start, start + len(cell), won, None, group_scale, False,
                                  meta))  # fmt: skip
    for k in range(len(lines) - 1):
        offset, line = lines[k]
        cell = line.strip()
        lone_scale = scales[k]
        if lone_scale is None or not _is_number(cell) or plain[k + 1].strip() != "=":
            continue
        start = offset + line.index(cell)
        won = parse_cell(cell, lone_scale)
        if won is None or start in taken or any(f.start == start for f in figures):
            continue
        meta = Column(header="증감", kind="change", year=budget_year, stage=None, row_label=_outline_name(plain, k))
        figures.append(Figure(start, start + len(cell), start, start + len(cell), won, None, lone_scale, False, meta))
    return figures


def _is_name(line: str) -> bool:
    stripped = line.strip()
    return bool(re.search(r"[가-힣]", stripped)) and "=" not in stripped and not _HEADING.match(stripped)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _outline_name(lines: list[str], k: int) -> str | None:
    """The name of the 산출기초 line ``k``: the item it is written under, and when that item is nested in the
    outline ("ㅇ일반직" ⏎ "  -4급(30호봉)"), its parent before it and the 목 it belongs to ("01 기본급") after
    it — "일반직 4급(30호봉) 기본급", as a reader names a grade's pay."""
    above = [j for j in range(k - 1, -1, -1) if _is_name(lines[j]) and not _is_number(lines[j].strip())]
    if not above:
        return None
    leaf = above[0]
    name = _name(lines[leaf])
    depth = _indent(lines[leaf])
    parent = next((j for j in above[1:] if _indent(lines[j]) < depth and not _OBJECT.match(lines[j])), None)
    if depth == 0 or parent is None:
        return name
    parts = [_name(lines[parent]), name]
    item = next((_OBJECT.match(lines[j]) for j in above if _OBJECT.match(lines[j])), None)
    if item is not None and item.group("name").strip() not in name:
        parts.append(item.group("name").strip())
    return " ".join(parts)


def _group_label(lines: list[str], k: int) -> str:
    """The name of a one-cell-per-line row: the line before its numbers ("01 기본급"), else the line after."""
    before = re.sub(r"^[0-9]+\s*", "", lines[k - 1].strip()) if k > 0 else ""
    if re.search(r"[가-힣]", before) and "=" not in before:
        return _name(before)
    after = lines[k + 3].strip() if k + 3 < len(lines) else ""
    return _name(after) if re.search(r"[가-힣]", after) else ""
