"""Data rows of a budget table → line items: skip blank and note rows, check subtotal rows, convert
and validate every column into ``ITEM_SCHEMA``. Shared by ``tabular`` and ``fdp``."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final

import pyarrow as pa

from yesan.ingest import columns as conv
from yesan.ingest.batch import ProblemLog
from yesan.ingest.mapping import ColumnPlan
from yesan.ingest.subtotals import (
    CLASS_LEVELS,
    CONTEXT_COLUMNS,
    Kind,
    RowTable,
    SubtotalRow,
    check_subtotals,
    subtotal_label,
)
from yesan.model import AMOUNT_COLUMNS, ITEM_KEY, ITEM_SCHEMA, STAGES_HELP, account_type, normalize_stage

_NOTE: Final = re.compile(r"^(?:※|\*|주\s*\d*\s*[):：]|(?:자료|출처)\s*[:：])")
_YEAR_CELL: Final = re.compile(r"^(\d{4})(?:\s*년도?|\.0+)?$")
_NUMBERISH: Final = re.compile(r"^[\s△▲()+\-−,.0-9]+$")
_TEXT_COLUMNS: Final = (*CLASS_LEVELS, "item_code", "item_name", "parent_name")


@dataclass
class Settings:
    """Whole-file values and options ``build_items`` needs besides the rows."""

    fiscal_year: int | None = None
    year_is_explicit: bool = False  # from the caller, so a differing year column is an error
    stage: str | None = None
    gov_code: str | None = None
    gov_name: str | None = None
    parent_name: str | None = None
    exe_ymd: dt.date | None = None
    account: str | None = None
    scales: dict[str, int] = field(default_factory=dict)


class _Kept:
    """The rows kept for items and subtotals, with column access by yesan column name."""

    def __init__(self, plan: ColumnPlan) -> None:
        self.plan = plan
        self.rows: list[Sequence[str | None]] = []
        self.row_nos: list[int] = []
        self.is_item: list[bool] = []
        self._columns: dict[str, list[str | None]] = {}

    def column(self, name: str, positions: Sequence[int] | None = None) -> list[str | None]:
        if name not in self._columns:
            at = self.plan.index.get(name)
            if at is None:
                self._columns[name] = [None] * len(self.rows)
            else:
                self._columns[name] = [row[at] if at < len(row) else None for row in self.rows]
        values = self._columns[name]
        if positions is None:
            return values
        return [values[p] for p in positions]


def _cell(row: Sequence[str | None], index: int | None) -> str | None:
    return row[index] if index is not None and index < len(row) else None


def build_items(
    file: str,
    records: Sequence[Sequence[str | None]],
    plan: ColumnPlan,
    settings: Settings,
    log: ProblemLog,
) -> tuple[pa.Table, dict[str, int]]:
    """Turn the data records after the header (``records[i]`` has ``row_no`` i + 1) into items.

    Blank and note rows (``※ …``, ``자료: …``) are skipped, heading rows (labels, no amounts) too,
    subtotal rows are checked and left out; everything else must be a valid item. Errors go to
    ``log`` (the caller raises); the table is empty when there were errors.
    """
    counts = {"rows_read": len(records), "blank_rows": 0, "note_rows": 0, "heading_rows": 0}
    amount_idx = [plan.index[name] for name in plan.amount_columns()]
    context = {plan.index[n] for n in (*CONTEXT_COLUMNS, "parent_name", "stage", "exe_ymd") if plan.has(n)}
    width = max(len(plan.headers), max((len(row) for row in records), default=0))
    label_idx = [i for i in range(width) if i not in amount_idx and i not in context]
    item_at = plan.index["item_name"]
    code_at = plan.index.get("item_code")
    kept = _Kept(plan)
    subtotals: list[SubtotalRow] = []
    for number, row in enumerate(records, start=1):
        if not any(row):
            counts["blank_rows"] += 1
            continue
        has_amount = any(_cell(row, i) for i in amount_idx)
        first = next(c for c in row if c)
        if not has_amount and _NOTE.match(first):
            counts["note_rows"] += 1
            log.warn(number, None, first, "note row skipped")
            continue
        name, code = _cell(row, item_at), _cell(row, code_at)
        found: tuple[Kind, str | None] | None = None
        label = name
        if name is not None:
            found = subtotal_label(name) if "계" in name else None
        elif code is not None:
            log.error(number, plan.header("item_name"), None, f"item name is missing (item code {code!r})")
            continue
        else:
            for i in label_idx:
                text = _cell(row, i)
                if text and not _NUMBERISH.match(text):
                    label = label or text
                    found = subtotal_label(text)
                    if found:
                        label = text
                        break
            if found is None:
                if not has_amount:
                    counts["heading_rows"] += 1
                    continue
                if not _filters(row, plan):
                    log.error(
                        number,
                        plan.header("item_name"),
                        None,
                        "item name is missing; if this row is a total, label it 합계 or 소계",
                    )
                    continue
                found = ("values", None)
        if found is not None:
            subtotals.append(
                SubtotalRow(
                    position=len(kept.rows),
                    row_no=number,
                    label=label or "",
                    kind=found[0],
                    prefix=found[1],
                    filters=_filters(row, plan),
                    context={n: v for n in CONTEXT_COLUMNS if plan.has(n) and (v := _cell(row, plan.index[n]))},
                )
            )
        kept.rows.append(row)
        kept.row_nos.append(number)
        kept.is_item.append(found is None)
    counts["subtotal_rows"] = len(subtotals)
    # amounts of items and subtotals together: the subtotals need theirs for the checks
    all_amounts: dict[str, list[int | None]] = {}
    for name in plan.amount_columns():
        scratch = ProblemLog(file)
        cells = pa.array(kept.column(name), pa.string())
        array = conv.amounts(cells, plan.header(name), scratch, scale=settings.scales.get(name, 1))
        _merge_problems(scratch, log, kept.row_nos)
        all_amounts[name] = array.to_pylist()
    counts["subtotals_checked"] = 0
    if subtotals:
        table = RowTable(
            row_nos=kept.row_nos,
            is_item=kept.is_item,
            texts={n: kept.column(n) for n in (*CLASS_LEVELS, *CONTEXT_COLUMNS) if plan.has(n)},
            amounts=all_amounts,
            amount_headers={n: plan.header(n) for n in all_amounts},
            amount_cells={n: kept.column(n) for n in all_amounts},
        )
        counts["subtotals_checked"] = check_subtotals(subtotals, table, log)
    positions = [p for p, item in enumerate(kept.is_item) if item]
    counts["items"] = len(positions)
    items = _item_table(file, settings, log, kept, positions, all_amounts)
    return items, counts


def _filters(row: Sequence[str | None], plan: ColumnPlan) -> dict[str, str]:
    found: dict[str, str] = {}
    for name in CLASS_LEVELS:
        value = _cell(row, plan.index.get(name))
        if value and subtotal_label(value) is None:
            found[name] = value
    return found


def _merge_problems(scratch: ProblemLog, log: ProblemLog, row_nos: Sequence[int]) -> None:
    """Copy problems found on a compacted column, translating positions back to row numbers."""
    for problem in scratch.errors:
        row = row_nos[problem.row - 1] if problem.row is not None else None
        log.error(row, problem.column, problem.value, problem.reason)
    log.error_count += scratch.error_count - len(scratch.errors)
    for problem in scratch.warnings:
        row = row_nos[problem.row - 1] if problem.row is not None else None
        log.warn(row, problem.column, problem.value, problem.reason)


def _item_table(
    file: str,
    settings: Settings,
    log: ProblemLog,
    kept: _Kept,
    positions: list[int],
    all_amounts: dict[str, list[int | None]],
) -> pa.Table:
    plan = kept.plan
    rows = [kept.row_nos[p] for p in positions]
    n = len(positions)

    def cells(name: str) -> list[str | None]:
        return kept.column(name, positions)

    arrays: dict[str, pa.Array] = {"row_no": pa.array(rows, pa.int64())}
    for name in _TEXT_COLUMNS:
        if plan.has(name):
            arrays[name] = conv.to_text(pa.array(cells(name), pa.string()))
    if "parent_name" not in arrays:
        arrays["parent_name"] = pa.array([settings.parent_name] * n, pa.string())
    account = [value or settings.account for value in cells("account")]
    arrays["account"] = pa.array(account, pa.string())
    kinds = {value: account_type(value) for value in set(account)}
    arrays["account_type"] = pa.array([kinds[value] for value in account], pa.string())
    arrays["fiscal_year"] = _years(file, plan, settings, log, cells("fiscal_year"), rows)
    arrays["stage"] = pa.array(_stages(plan, settings, log, cells("stage"), rows), pa.string())
    codes, names = _governments(plan, settings, log, cells("gov_code"), cells("gov_name"), rows)
    arrays["gov_code"], arrays["gov_name"] = pa.array(codes, pa.string()), pa.array(names, pa.string())
    if plan.has("exe_ymd"):
        scratch = ProblemLog(file)
        arrays["exe_ymd"] = conv.dates(pa.array(cells("exe_ymd"), pa.string()), plan.header("exe_ymd"), scratch)
        _merge_problems(scratch, log, rows)
    else:
        arrays["exe_ymd"] = pa.array([settings.exe_ymd] * n, pa.date32())
    for name in AMOUNT_COLUMNS:
        values = [all_amounts[name][p] for p in positions] if name in all_amounts else [None] * n
        arrays[name] = pa.array(values, pa.int64())
    for i, written in enumerate(cells("budget")):
        if written is None:  # a cell that failed to convert has its own error already
            log.error(rows[i], plan.header("budget"), None, "budget amount is missing (write 0 or - for zero)")
    _check_duplicates(plan, log, arrays, rows)
    if log.errors:
        return ITEM_SCHEMA.empty_table()
    return pa.Table.from_arrays(
        [arrays[f.name].cast(f.type) if f.name in arrays else pa.nulls(n, f.type) for f in ITEM_SCHEMA],
        schema=ITEM_SCHEMA,
    )


def _years(
    file: str, plan: ColumnPlan, settings: Settings, log: ProblemLog, raw: list[str | None], rows: list[int]
) -> pa.Array:
    if not plan.has("fiscal_year"):
        return pa.array([settings.fiscal_year] * len(rows), pa.int16())
    header = plan.header("fiscal_year")
    values: list[str | None] = []
    for i, text in enumerate(raw):
        match = _YEAR_CELL.match(text) if text else None
        value = match.group(1) if match else text
        if value is None:
            if settings.fiscal_year is None:
                log.error(rows[i], header, None, "fiscal year is missing (pass --year for rows without one)")
            value = str(settings.fiscal_year or 2000)
        elif settings.year_is_explicit and value != str(settings.fiscal_year):
            log.error(rows[i], header, text, f"fiscal year differs from the year given ({settings.fiscal_year})")
        values.append(value)
    scratch = ProblemLog(file)
    result = conv.years(pa.array(values, pa.string()), header, scratch)
    _merge_problems(scratch, log, rows)
    return result


def _stages(plan: ColumnPlan, settings: Settings, log: ProblemLog, raw: list[str | None], rows: list[int]) -> list[str]:
    if not plan.has("stage"):
        return [settings.stage or "본예산"] * len(rows)
    header = plan.header("stage")
    known: dict[str, str | None] = {}
    result: list[str] = []
    for i, text in enumerate(raw):
        if text is None:
            if settings.stage is None:
                log.error(rows[i], header, None, "budget stage is missing (pass --stage)")
            result.append(settings.stage or "본예산")
            continue
        if text not in known:
            try:
                known[text] = normalize_stage(text)
            except ValueError:
                known[text] = None
        stage = known[text]
        if stage is None:
            log.error(rows[i], header, text, f"unknown budget stage; use one of: {STAGES_HELP}")
        elif settings.stage is not None and stage != settings.stage:
            log.error(rows[i], header, text, f"stage differs from the stage given ({settings.stage})")
        result.append(stage or "본예산")
    return result


def _governments(
    plan: ColumnPlan,
    settings: Settings,
    log: ProblemLog,
    codes: list[str | None],
    names: list[str | None],
    rows: list[int],
) -> tuple[list[str], list[str]]:
    """자치단체 code and name per row: the file's columns, blanks filled from the given government
    (a blank code only where the row's name is the given government's)."""
    default_code, default_name = settings.gov_code, settings.gov_name
    code_column = plan.header("gov_code") if plan.has("gov_code") else None
    name_column = plan.header("gov_name") if plan.has("gov_name") else None
    out_codes: list[str] = []
    out_names: list[str] = []
    for i, (code, name) in enumerate(zip(codes, names, strict=True)):
        if code is None and (name is None or default_name is None or name == default_name):
            code = default_code
        if name is None and code is not None and code == default_code:
            name = default_name
        if code is None:
            log.error(
                rows[i],
                code_column or name_column,
                name,
                "자치단체코드 is missing; add a 자치단체코드 column or pass the government (--government CODE:NAME)",
            )
        if name is None:
            log.error(
                rows[i],
                name_column or code_column,
                code,
                "자치단체명 is missing; add a 자치단체명 column or pass the government (--government CODE:NAME)",
            )
        out_codes.append(code or "")
        out_names.append(name or "")
    return out_codes, out_names


def _check_duplicates(plan: ColumnPlan, log: ProblemLog, arrays: dict[str, pa.Array], rows: list[int]) -> None:
    """Same ``ITEM_KEY`` twice: an error when the amounts differ, a warning when the rows repeat."""
    n = len(rows)
    keys = list(zip(*(arrays[name].to_pylist() if name in arrays else [None] * n for name in ITEM_KEY), strict=True))
    amounts = list(zip(*(arrays[name].to_pylist() for name in AMOUNT_COLUMNS), strict=True))
    seen: dict[tuple[object, ...], int] = {}
    for i, key in enumerate(keys):
        first = seen.setdefault(key, i)
        if first == i:
            continue
        if amounts[first] != amounts[i]:
            log.error(
                rows[i],
                plan.header("item_name"),
                str(key[-1]),
                f"the same item (자치단체코드, 회계, 세부사업코드, 세부사업명) as row {rows[first]:,} "
                "but with different amounts; give the items distinct codes, or remove one of the rows",
            )
        else:
            log.warn(rows[i], plan.header("item_name"), str(key[-1]), f"repeats row {rows[first]:,} exactly")
