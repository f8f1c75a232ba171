"""Every money figure in an article's text: ``yesan.money.find_amounts`` plus what articles add.

On top of the money parser this module

* reads a middle dot typed for a decimal point (``51·5조`` = 51.5조) — positions are kept;
* joins an amount written with ``원`` twice (``106억원 6100만원`` = 106억 6100만원);
* adds qualifiers the parser leaves to context (``넘게``, ``넘는``, ``가까이``);
* drops thresholds, which are not figures of a budget ("예산이 50조원을 넘긴 것은 처음");
* reads ``△`` at the start of a prose item as a bullet, not a minus (a minus only in table rows and
  after a word such as 증감 or 대비);
* adds the bare numbers of tables that declare their unit (``(단위: 천원)``, see :mod:`.tables`).
"""

from __future__ import annotations

import re
from typing import Final

from yesan.claims.figures.figure import Figure
from yesan.claims.figures.tables import table_figures
from yesan.money import MoneyMatch, find_amounts

__all__ = ["find_figures", "normalize_decimal_dots"]


_MIDDLE_DOT_DECIMAL: Final = re.compile(r"(?<=[0-9])[·ㆍ](?=[0-9](?:[ ]?[조억]))")
_THRESHOLD: Final = re.compile(
    r"\s?(?:을|를)?\s?(?:넘긴|넘은|넘어선|돌파한|돌파|웃돈|넘어섰던)\s?(?:것|건|적|때|후|이후|뒤|지\s?[0-9])"
)
_RECORD: Final = re.compile(r"(?:역대|사상)\s?$")
_EXTRA_QUALIFIER: Final = re.compile(r"[ ]?(넘게|넘는|가까이|돌파)(?![가-힣])")
#: "(단위: 천원)", "(천원)": a table's unit, not an amount.
_UNIT_BEFORE: Final = re.compile(r"단위\s?[:：]?\s?$")
_MINUS_CONTEXT: Final = re.compile(r"(?:증감|증감액|대비|차액|차이)\s*[:：]?\s*$")


def normalize_decimal_dots(text: str) -> str:
    """Same-length text in which a middle dot between digits before 조/억 is a decimal point."""
    return _MIDDLE_DOT_DECIMAL.sub(".", text) if "·" in text or "ㆍ" in text else text


def _joinable(text: str, first: MoneyMatch, second: MoneyMatch) -> bool:
    """``106억원 6100만원``: the second amount fills the digits the first one left out."""
    a, b = first.amount, second.amount
    return (
        text[first.end : second.start] == " "
        and first.full_end == first.end
        and second.full_start == second.start
        and a.has_won
        and a.qualifier is None
        and a.won > 0
        and 0 < b.won < a.precision
        and a.won % a.precision == 0
        and a.precision >= 10**4
    )


def _line_bounds(text: str, position: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, position) + 1
    end = text.find("\n", position)
    return start, len(text) if end < 0 else end


def _triangle_is_bullet(text: str, position: int) -> bool:
    """``△`` before digits at ``position``: a list bullet in prose, a minus in tables and after 증감."""
    line_start, line_end = _line_bounds(text, position)
    line = text[line_start:line_end]
    if "\t" in line or "|" in line:
        return False
    if _MINUS_CONTEXT.search(text, line_start, position):
        return False
    before = text[position - 1] if position > line_start else " "
    if before not in " (\t":
        return False
    for other in re.finditer("△", line):
        follower = line[other.end() : other.end() + 1]
        if follower and not follower.isdigit() and not follower.isspace():
            return True
    return position == line_start or text[line_start:position].strip() == ""


def _is_unit_declaration(text: str, match: MoneyMatch) -> bool:
    if _UNIT_BEFORE.search(text, max(0, match.start - 8), match.start):
        return True
    bare = match.amount.text.replace(" ", "") in ("천원", "백만원", "천만원", "억원", "만원", "십억원")
    return (
        bare
        and match.start > 0
        and text[match.start - 1] in "([<"
        and text[match.end : match.end + 1] in (")", "]", ">")
    )


def find_figures(text: str, *, tables: bool = True, budget_year: int | None = None) -> list[Figure]:
    """Every money figure in ``text``, in order (see the module docstring)."""
    norm = normalize_decimal_dots(text)
    matches = find_amounts(norm)
    figures: list[Figure] = []
    i = 0
    while i < len(matches):
        match = matches[i]
        amount = match.amount
        won, end, full_end, precision = amount.won, match.end, match.full_end, amount.precision
        qualifier = amount.qualifier
        if i + 1 < len(matches) and _joinable(norm, match, matches[i + 1]):
            second = matches[i + 1]
            won += second.amount.won
            end, full_end, precision = second.end, second.full_end, second.amount.precision
            qualifier = second.amount.qualifier
            i += 1
        i += 1
        if _THRESHOLD.match(norm, full_end) or _is_unit_declaration(norm, match):
            continue
        full_start = match.full_start
        if (
            qualifier
            and qualifier.startswith(("최대", "최고"))
            and _RECORD.search(norm, max(0, full_start - 4), full_start)
        ):
            # "역대 최대 51.5조": a record, not an upper bound
            qualifier = qualifier.partition(" ")[2] or None
            full_start = match.start
        extra = _EXTRA_QUALIFIER.match(norm, full_end)
        if extra is not None:
            qualifier = f"{qualifier} {extra.group(1)}" if qualifier else extra.group(1)
            full_end = extra.end()
        start = match.start
        if won < 0 and norm[start] == "△" and _triangle_is_bullet(norm, start):
            won, start = -won, start + 1
            full_start = max(full_start, start)
        figures.append(Figure(start, end, full_start, full_end, won, qualifier, precision, amount.has_won))
    if tables:
        taken = [(f.start, f.end) for f in figures]
        extra_figures = table_figures(norm, taken, budget_year)
        if extra_figures:
            figures = sorted(figures + extra_figures, key=lambda f: f.start)
    return figures
