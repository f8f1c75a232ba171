"""Column-at-a-time conversion of text cells into typed values, with row-exact problem reports.

Fast path: whole columns are checked with Arrow compute kernels, so a clean 10M-row file never
touches Python per cell. Only cells that fail the fast check go through ``yesan.money.parse_cell``,
which understands thousands separators, ``△``/parenthesised negatives and unit scaling.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import TypeAlias

import pyarrow as pa
import pyarrow.compute as pc

from yesan.errors import MoneyError
from yesan.ingest.batch import ProblemLog
from yesan.money import parse_cell

INT64_MAX = 2**63 - 1
#: The Arrow type of text kept dictionary-encoded (repeated names and codes).
STRING_DICTIONARY = pa.dictionary(pa.int32(), pa.string())
_YEAR = re.compile(r"19[4-9][0-9]|20[0-9][0-9]|2100")
_PLAIN_INT = r"^-?[0-9]{1,18}$"


def row_number(row_offset: int, index: int) -> int:
    return row_offset + index + 1


Column: TypeAlias = "pa.ChunkedArray | pa.Array"


def to_text(column: Column) -> Column:
    """Any column as trimmed strings, empty cells as null (chunks are kept; nothing is copied whole).

    Dictionary columns are cleaned through their (few) distinct values, not row by row.
    """
    if isinstance(column, pa.ChunkedArray) and pa.types.is_dictionary(column.type):
        return pa.chunked_array([to_text(chunk) for chunk in column.chunks], STRING_DICTIONARY)
    if isinstance(column, pa.DictionaryArray):
        return _spread(to_text(column.dictionary), column.indices)
    if not pa.types.is_string(column.type) and not pa.types.is_large_string(column.type):
        column = pc.cast(column, pa.string())
    trimmed = pc.utf8_trim_whitespace(column)
    empty = pc.equal(trimmed, "")
    if pc.any(empty).as_py():
        return pc.if_else(empty, pa.scalar(None, pa.string()), trimmed)
    return trimmed


def on_distinct(values: Column, function: Callable[[pa.Array], pa.Array]) -> Column:
    """Apply a column function to the distinct values only and spread the result back over the rows."""
    if isinstance(values, pa.ChunkedArray):
        return pa.chunked_array([on_distinct(chunk, function) for chunk in values.chunks])
    encoded = values if isinstance(values, pa.DictionaryArray) else pc.dictionary_encode(values)
    return _spread(function(encoded.dictionary), encoded.indices)


def _spread(distinct: pa.Array, indices: pa.Array) -> pa.Array:
    """Per-distinct results back over the rows; text stays dictionary-encoded (no copy per row)."""
    if not pa.types.is_string(distinct.type):
        return pc.take(distinct, indices)
    if distinct.null_count:
        # Arrow dictionaries should not hold nulls: the rows pointing at one become null rows.
        indices = pc.if_else(pc.take(pc.is_null(distinct), indices), pa.scalar(None, indices.type), indices)
        distinct = pc.fill_null(distinct, "")
    return pa.DictionaryArray.from_arrays(pc.cast(indices, pa.int32()), distinct)


def amounts(
    column: pa.ChunkedArray | pa.Array,
    name: str,
    log: ProblemLog,
    *,
    scale: int = 1,
    row_offset: int = 0,
    required: bool = False,
) -> Column:
    """Convert a column of amounts to int64 won, multiplying by ``scale`` (1000 for 천원).

    Empty cells become null, or an error when ``required``.
    """
    if pa.types.is_integer(column.type):
        ints = pc.cast(column, pa.int64())
        result = ints if scale == 1 else _scaled(ints, scale, name, log, row_offset)
        return _check_required(result, name, log, row_offset, required)
    plain_ints = _plain_digits(column)
    if plain_ints is not None:
        result = plain_ints if scale == 1 else _scaled(plain_ints, scale, name, log, row_offset)
        return _check_required(result, name, log, row_offset, required)
    text = to_text(column)
    plain = pc.fill_null(pc.match_substring_regex(text, _PLAIN_INT), True)
    if pc.all(plain).as_py():
        ints = pc.cast(text, pa.int64())
        result = ints if scale == 1 else _scaled(ints, scale, name, log, row_offset)
        return _check_required(result, name, log, row_offset, required)
    values: list[int | None] = pc.cast(pc.if_else(plain, text, None), pa.int64()).to_pylist()
    if scale != 1:
        values = [None if v is None else v * scale for v in values]
    slow = pc.indices_nonzero(pc.invert(plain)).to_pylist()
    cells = text.to_pylist() if isinstance(text, pa.Array) else text.combine_chunks().to_pylist()
    reported: set[int] = set()
    for index in slow:
        cell = cells[index]
        try:
            values[index] = parse_cell(cell, scale)
        except MoneyError as error:
            log.error(row_number(row_offset, index), name, cell, error.reason)
            reported.add(index)
    for index, value in enumerate(values):
        if value is not None and not -INT64_MAX <= value <= INT64_MAX:
            log.error(row_number(row_offset, index), name, cells[index], "amount is too large for 64-bit won")
            values[index] = None
            reported.add(index)
    result = pa.array(values, pa.int64())
    return _check_required(result, name, log, row_offset, required, reported)


def _plain_digits(column: Column) -> Column | None:
    """The column as int64 when every cell is ASCII digits after an optional ``-`` (or empty); else None.

    The common case for a clean export, checked without regular expressions or trimming. Casting text to
    int64 directly would also take hexadecimal and padded cells, so the digits are checked first.
    """
    if not (pa.types.is_string(column.type) or pa.types.is_large_string(column.type)):
        return None
    # ``all`` skips nulls (empty cells). Negative amounts are rare: the minus sign is only stripped when needed.
    if not pc.all(pc.ascii_is_decimal(column)).as_py():
        unsigned = pc.utf8_ltrim(column, characters="-")
        if not pc.all(pc.ascii_is_decimal(unsigned)).as_py():
            return None
    try:
        return pc.cast(column, pa.int64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None  # "--5", more than 18 digits: the cell-by-cell path names them


def _scaled(ints: pa.Array, scale: int, name: str, log: ProblemLog, row_offset: int) -> pa.Array:
    try:
        return pc.multiply_checked(ints, pa.scalar(scale, pa.int64()))
    except pa.ArrowInvalid:
        limit = INT64_MAX // scale
        bad = pc.indices_nonzero(pc.fill_null(pc.greater(pc.abs(ints), limit), False)).to_pylist()
        values = ints.to_pylist()
        for index in bad:
            log.error(row_number(row_offset, index), name, str(values[index]), "amount is too large for 64-bit won")
        return pc.multiply(pc.if_else(pc.greater(pc.abs(ints), limit), None, ints), scale)


def _check_required(
    result: Column, name: str, log: ProblemLog, row_offset: int, required: bool, reported: set[int] | None = None
) -> Column:
    """Report empty cells of a required column (cells already reported as malformed are not repeated)."""
    if required and result.null_count:
        missing = [i for i in pc.indices_nonzero(pc.is_null(result)).to_pylist() if i not in (reported or ())]
        for index in missing[:50]:
            log.error(row_number(row_offset, index), name, "", "amount is missing")
    return result


def years(column: Column, name: str, log: ProblemLog, *, row_offset: int = 0) -> Column:
    """Fiscal years as int16, each between 1948 and 2100. Checked once per distinct value."""

    def parse(cell: str) -> int | None:
        return int(cell) if _YEAR.fullmatch(cell) else None

    return _per_distinct(column, parse, pa.int16(), name, log, row_offset, "not a fiscal year (expected e.g. 2026)")


def dates(column: Column, name: str, log: ProblemLog, *, row_offset: int = 0) -> Column:
    """YYYYMMDD or YYYY-MM-DD text as date32; empty cells are null. Parsed once per distinct value."""

    def parse(cell: str) -> dt.date | None:
        digits = cell.replace("-", "")
        try:
            return dt.datetime.strptime(digits, "%Y%m%d").date() if len(digits) == 8 else None
        except ValueError:
            return None

    return _per_distinct(column, parse, pa.date32(), name, log, row_offset, "not a date (expected YYYYMMDD)")


def _per_distinct(
    column: Column,
    parse: Callable[[str], object],
    type_: pa.DataType,
    name: str,
    log: ProblemLog,
    row_offset: int,
    reason: str,
) -> Column:
    """Parse each distinct cell once with ``parse`` (None = invalid) and report every row holding a bad one."""
    failed: set[str] = set()

    def convert(distinct: pa.Array) -> pa.Array:
        values = []
        for cell in distinct.to_pylist():
            value = parse(cell) if cell is not None else None
            if value is None and cell is not None:
                failed.add(cell)
            values.append(value)
        return pa.array(values, type_)

    text = to_text(column)
    result = on_distinct(text, convert)
    if failed:
        for index, cell in enumerate(_pylist(text)):
            if cell in failed:
                log.error(row_number(row_offset, index), name, cell, reason)
    return result


def _pylist(column: Column) -> list[str | None]:
    if isinstance(column, pa.ChunkedArray):
        return [value for chunk in column.chunks for value in _pylist(chunk)]
    if isinstance(column, pa.DictionaryArray):
        column = column.dictionary_decode()
    return column.to_pylist()  # type: ignore[no-any-return]
