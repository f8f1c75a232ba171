"""Generic budget tables: CSV (UTF-8 or CP949; comma, semicolon or tab) and Excel workbooks.

``read_table`` finds the header row (the first row with an item-name header, after any title
rows), recognises the columns (see ``yesan.ingest.mapping``), reads the unit (``(단위: 천원)`` above
the header, or ``예산액(백만원)`` in a header) so every amount becomes integer won, leaves subtotal
and total rows out of the items while checking them (``yesan.ingest.subtotals``), and returns a
``Batch`` with exactly ``ITEM_SCHEMA`` — or raises one ``LoadError`` listing every problem.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from yesan.errors import LoadError
from yesan.ingest.batch import Batch, ProblemLog, file_sha256
from yesan.ingest.encoding import decode
from yesan.ingest.limits import MAX_LINE_BYTES, check_workbook_archive, is_gzip, read_bounded, require_regular_file
from yesan.ingest.mapping import (
    ColumnPlan,
    is_item_name_header,
    recognise_header,
    resolve_columns,
    split_mapping,
    validate_mapping,
)
from yesan.ingest.subtotals import CLASS_LEVELS
from yesan.ingest.table_rows import Settings, build_items
from yesan.model import normalize_stage
from yesan.money import parse_unit

EXCEL_SUFFIXES: Final = frozenset({".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"})
#: How far down the header row is looked for.
HEADER_SEARCH_ROWS: Final = 50
_DELIMITERS: Final = (",", "\t", ";")
#: The start of an HTML or XML document (what many portals send under an .xls name).
_MARKUP: Final = re.compile(rb"\s*<(?:\?xml|!doctype|html|head|body|table|meta|!--)", re.IGNORECASE)
_TITLE_YEAR: Final = re.compile(r"((?:19|20)\d{2})\s*(?:년|회계\s*연도)")
_UNIT_CELL: Final = re.compile(r"^[(\[<]?\s*(?:단위\s*[:：]?\s*)?[^()\[\]<>]{0,6}원\s*[)\]>]?$")
#: Columns whose merged (Excel) cells are filled downwards: labels, never amounts.
_FILL_COLUMNS: Final = (
    *CLASS_LEVELS,
    "gov_code",
    "gov_name",
    "parent_name",
    "fiscal_year",
    "stage",
    "exe_ymd",
)


@dataclass
class Grid:
    """All cells of one sheet or CSV file as trimmed text (``None`` for empty)."""

    rows: list[list[str | None]]
    sheet: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    merged: list[tuple[int, int, int]] = field(default_factory=list)  # (column, first row, last row)
    #: Cells merged across columns: (first row, last row, first column, last column).
    merged_across: list[tuple[int, int, int, int]] = field(default_factory=list)


def read_table(
    path: Path,
    *,
    mapping: Mapping[str, str] | None = None,
    dataset: str | None = None,
    fiscal_year: int | None = None,
    stage: str | None = None,
    government: tuple[str, str] | None = None,
    sheet: str | None = None,
    unit: int | None = None,
) -> Batch:
    """Read a budget table (CSV or Excel) into a ``Batch`` of line items.

    ``mapping`` maps yesan column names to source headers (see ``yesan.ingest.mapping``; it may
    carry ``defaults.*`` entries); unmapped columns are recognised from their headers. ``fiscal_year``,
    ``stage``, ``government`` (code, name), ``unit`` (multiplier to won, e.g. 1000) give values the
    file lacks; a year or government given here must agree with the file's own columns. ``sheet``
    picks a worksheet (default: the first with a recognisable header).

    ``row_no`` is the 1-based number of the data record counted from the first row after the header
    row: title rows above the header and the header itself (one or two rows) are not counted, while
    blank, note and subtotal rows are, so ``row_no`` N is spreadsheet row ``header row + N`` (for a
    CSV with no line breaks inside cells, line ``header line + N``). Problems use the same numbers.
    Subtotal and total rows are checked against their items and not loaded; counts go to
    ``Batch.counts``. The load is all or nothing: any error raises ``LoadError`` with all of them.
    """
    file = str(path)
    log = ProblemLog(file)
    validate_mapping(mapping or {}, "mapping")
    columns_map, defaults = split_mapping(mapping)
    require_regular_file(path, file)
    try:
        with path.open("rb") as handle:
            magic = handle.read(1024)
    except OSError as error:
        raise LoadError(f"{file}: cannot read the file ({error.strerror or error})") from error
    if _MARKUP.match(magic.removeprefix(b"\xef\xbb\xbf")):
        raise LoadError(
            f"{file}: this is a web page (HTML/XML markup), not a spreadsheet or CSV file; nothing was loaded",
            hint="portals often save an HTML table under an .xls name: open it in Excel and save it as .xlsx "
            "or 'CSV UTF-8', then load that",
        )
    # Read in bounded memory: a 2 GB line or a gzip bomb is refused at the bound, not read whole.
    if _is_workbook(path, magic):
        data = read_bounded(path, file, max_line=None, what="workbook")
    else:
        data = read_bounded(path, file, what="table")
    if sheet is None and _is_workbook(path, data):
        sheet = defaults.get("sheet")
    grid = read_grid(path, data, sheet=sheet, mapping=columns_map)
    header_at = find_header_row(grid.rows, columns_map)
    if header_at is None:
        _raise_no_header(file, grid, columns_map)
        raise AssertionError  # unreachable
    headers, data_start = _header_cells(grid.rows, header_at, columns_map)
    records = grid.rows[data_start:]
    width = max((len(row) for row in records), default=0)
    has_data = [any(i < len(row) and row[i] is not None for row in records) for i in range(max(width, len(headers)))]
    plan = resolve_columns(headers, columns_map, log, has_data=has_data)
    if not plan.has("budget"):
        raise LoadError(
            f"{file}: no budget column: none of the headers is 예산현액, 예산액, 금액, 예산 or 본예산 "
            f"(headers: {', '.join(repr(h) for h in plan.headers if h)})",
            hint="map the amount column, e.g. --map budget=<header>",
        )
    _refuse_merged_headers(file, grid, plan, header_at, has_data)
    _fill_merged(grid, plan, data_start)
    title = [cell for row in grid.rows[:header_at] for cell in row if cell]
    settings = table_settings(file, log, plan, title, defaults, fiscal_year, stage, government, unit)
    items, counts = build_items(file, records, plan, settings, log)
    counts["header_row"] = header_at + 1
    if counts["items"] == 0 and not log.errors:
        log.warn(None, None, None, "the table has no item rows below its header")
    log.raise_if_errors()
    where = f"sheet {grid.sheet!r}, " if grid.sheet else ""
    encoding = f", {grid.encoding}" if grid.encoding else ""
    description = f"{path.name} ({where}header on row {header_at + 1}{encoding}); row_no 1 is row {data_start + 1}"
    return Batch(
        dataset=dataset or defaults.get("dataset") or f"table:{path.stem}",
        source_file=file,
        sha256=file_sha256(path) if is_gzip(path) else hashlib.sha256(data).hexdigest(),
        items=items,
        warnings=log.warnings,
        counts=counts,
        description=description,
    )


# ---------------------------------------------------------------------------------------------
# reading cells


def read_grid(path: Path, data: bytes, *, sheet: str | None = None, mapping: Mapping[str, str] | None = None) -> Grid:
    """Read every cell of a CSV file or one worksheet as trimmed text."""
    if _is_workbook(path, data):
        return _read_excel(path, sheet, mapping)
    if sheet:
        raise LoadError(f"{path}: a sheet ({sheet!r}) was given, but this is a CSV file, which has no sheets")
    return _read_csv(str(path), data, mapping)


def _is_workbook(path: Path, data: bytes) -> bool:
    return path.suffix.lower() in EXCEL_SUFFIXES or data[:4] in (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")


def _read_csv(file: str, data: bytes, mapping: Mapping[str, str] | None) -> Grid:
    text, encoding = decode(data, file=file)
    csv.field_size_limit(MAX_LINE_BYTES)
    try:
        delimiter = sniff_delimiter(text, mapping)
    except csv.Error as error:
        raise LoadError(f"{file}: not valid CSV in its first {HEADER_SEARCH_ROWS} lines ({error})") from None
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[str | None]] = []
    try:
        for record in reader:
            rows.append([_clean(cell) for cell in record])
    except csv.Error as error:
        raise LoadError(f"{file}: line {reader.line_num:,}: not valid CSV ({error})") from error
    return Grid(rows=rows, encoding=encoding, delimiter=delimiter)


def sniff_delimiter(text: str, mapping: Mapping[str, str] | None = None) -> str:
    """Pick ``,``, tab or ``;``: the one whose split of the first rows shows a header row with the
    most recognised headers; without one, the one giving the most columns consistently."""
    head = _first_lines(text, HEADER_SEARCH_ROWS)
    scored: list[tuple[int, int, int, str]] = []
    for rank, delimiter in enumerate(_DELIMITERS):
        records = list(csv.reader(io.StringIO(head, newline=""), delimiter=delimiter))
        score = 0
        for record in records:
            cells = [_clean(cell) for cell in record]
            if any(cell and is_item_name_header(cell, mapping) for cell in cells):
                score = 1000 + sum(1 for cell in cells if cell and recognise_header(cell))
                break
        widths = Counter(len(record) for record in records if len(record) > 1)
        width, times = widths.most_common(1)[0] if widths else (1, 0)
        scored.append((score, width * times, -rank, delimiter))
    return max(scored)[3]


def _first_lines(text: str, count: int) -> str:
    """The first ``count`` lines of ``text`` (without splitting all of it)."""
    end = 0
    for _ in range(count):
        end = text.find("\n", end) + 1
        if end == 0:
            return text
    return text[:end]


def _read_excel(path: Path, sheet: str | None, mapping: Mapping[str, str] | None) -> Grid:
    """The sheet named ``sheet``, else the first visible sheet with a header (the active one first). A hidden
    sheet is read only when named: workbooks hide old versions and lookup tables there."""
    from python_calamine import CalamineWorkbook, SheetVisibleEnum

    check_workbook_archive(path, str(path))  # a zip bomb is refused from the zip directory, before parsing
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        visible = {m.name: m.visible == SheetVisibleEnum.Visible for m in workbook.sheets_metadata}
    except Exception as error:  # calamine raises several unrelated types for unreadable files
        raise LoadError(f"{path}: cannot read the workbook ({error})") from error
    names: list[str] = list(workbook.sheet_names)
    listed = ", ".join(f"{n!r}" + ("" if visible.get(n, True) else " (hidden)") for n in names)
    if sheet is not None and sheet not in names:
        raise LoadError(f"{path}: no sheet {sheet!r}; the sheets are: {listed}")
    if sheet is not None:
        return _excel_sheet(path, workbook, sheet)
    shown = [n for n in names if visible.get(n, True)]
    active = _active_sheet(path, names)
    if active in shown:
        shown.remove(active)
        shown.insert(0, active)
    first: Grid | None = None
    for name in shown:
        grid = _excel_sheet(path, workbook, name)
        first = first or grid
        if find_header_row(grid.rows, mapping) is not None:
            return grid
    hidden = [n for n in names if not visible.get(n, True)]
    if hidden and any(find_header_row(_excel_sheet(path, workbook, n).rows, mapping) is not None for n in hidden):
        raise LoadError(
            f"{path}: no visible sheet has a table header, and hidden sheets are not loaded unless named; "
            f"the sheets are: {listed}",
            hint=f"if the hidden sheet is the data, name it: --sheet {hidden[0]!r}",
        )
    if first is None:
        raise LoadError(f"{path}: the workbook has no visible sheets; the sheets are: {listed or 'none'}",
                        hint="name a sheet with --sheet")  # fmt: skip
    return first


def _active_sheet(path: Path, names: list[str]) -> str | None:
    """The sheet an XLSX opens on (``activeTab`` of ``xl/workbook.xml``), if it says."""
    try:
        with zipfile.ZipFile(path) as archive:
            head = archive.read("xl/workbook.xml")[:65536]
    except (OSError, KeyError, zipfile.BadZipFile):
        return None
    found = re.search(rb'activeTab="([0-9]{1,4})"', head)
    index = int(found.group(1)) if found else 0
    return names[index] if index < len(names) else None


def _excel_sheet(path: Path, workbook: object, name: str) -> Grid:
    """One sheet, converted row by row (calamine's rows start at the sheet's first used column)."""
    try:
        data = workbook.get_sheet_by_name(name)  # type: ignore[attr-defined]
        left = int(data.start[1]) if data.start else 0
        pad: list[str | None] = [None] * left
        rows = [pad + [_excel_text(value) for value in row] for row in data.iter_rows()]
        merged = data.merged_cell_ranges or []
    except Exception as error:  # calamine error types differ between versions
        raise LoadError(f"{path}: cannot read sheet {name!r} ({error})") from error
    spans = [(c0, r0, r1) for (r0, c0), (r1, _c1) in merged if r1 > r0]
    across = [(r0, r1, c0, c1) for (r0, c0), (r1, c1) in merged if c1 > c0]
    return Grid(rows=rows, sheet=name, merged=spans, merged_across=across)


def _excel_text(value: object) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return _clean(str(value))


def _clean(cell: str) -> str | None:
    text = cell.strip()
    return text or None


def _refuse_merged_headers(file: str, grid: Grid, plan: ColumnPlan, header_at: int, has_data: list[bool]) -> None:
    """A header cell merged across columns that hold data, with nothing naming those columns: which is the amount?

    Without this, the columns under the merge would have no header and be left out with a warning, so an
    amount could be taken from the wrong column of a group.
    """
    for first_row, last_row, first, last in grid.merged_across:
        if not first_row <= header_at <= last_row:
            continue
        label = grid.rows[first_row][first] if first < len(grid.rows[first_row]) else None
        unnamed = [
            c
            for c in range(first + 1, last + 1)
            if c < len(has_data) and has_data[c] and (c >= len(plan.headers) or not plan.headers[c])
        ]
        if label and unnamed:
            letters = f"{_column_letter(first)}–{_column_letter(last)}"
            raise LoadError(
                f"{file}: the header cell {label!r} (row {first_row + 1}{_sheet_note(grid)}) is merged across columns "
                f"{letters}, and column {_column_letter(unnamed[0])} below it holds data but has no header of its own: "
                "yesan cannot tell which column is which; nothing was loaded",
                hint="unmerge the header and name every column (e.g. 예산액, 국비), or add a second header row",
            )


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _fill_merged(grid: Grid, plan: ColumnPlan, data_start: int) -> None:
    """Copy the value of a vertically merged Excel cell into the cells it covers (label columns only)."""
    fill = {plan.index[name] for name in _FILL_COLUMNS if name in plan.index}
    for column, first, last in grid.merged:
        if column not in fill or last < data_start:
            continue
        top = grid.rows[first][column] if column < len(grid.rows[first]) else None
        for r in range(max(first + 1, data_start), min(last, len(grid.rows) - 1) + 1):
            row = grid.rows[r]
            if column < len(row) and row[column] is None:
                row[column] = top


# ---------------------------------------------------------------------------------------------
# header row, unit, year


def find_header_row(rows: Sequence[Sequence[str | None]], mapping: Mapping[str, str] | None = None) -> int | None:
    """Index of the first row (within the first 50) with an item-name header."""
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if any(cell and is_item_name_header(cell, mapping) for cell in row):
            return index
    return None


def _header_cells(
    rows: list[list[str | None]], header_at: int, mapping: Mapping[str, str]
) -> tuple[list[str | None], int]:
    """The header texts and the index of the first data row; merges a two-row header whose
    second row names the parts of a grouped column (e.g. ``재원별`` over 국비, 시도비, …)."""
    header = list(rows[header_at])
    if header_at + 1 >= len(rows):
        return header, header_at + 1
    below = rows[header_at + 1]
    item_at = next(i for i, cell in enumerate(header) if cell and is_item_name_header(cell, mapping))
    mapped = set(mapping.values())
    filled = [(i, cell) for i, cell in enumerate(below) if cell]
    if not filled or (item_at < len(below) and below[item_at]):
        return header, header_at + 1

    def known(cell: str) -> bool:
        return recognise_header(cell) is not None or cell in mapped

    if not all(known(cell) for _i, cell in filled):
        return header, header_at + 1
    under_group = any(i >= len(header) or not header[i] or not known(header[i] or "") for i, _cell in filled)
    if not under_group:
        return header, header_at + 1
    width = max(len(header), len(below))
    merged: list[str | None] = []
    for i in range(width):
        sub = below[i] if i < len(below) else None
        top = header[i] if i < len(header) else None
        merged.append(sub or top)
    return merged, header_at + 2


def title_unit(cells: Sequence[str]) -> int | None:
    """The unit stated in title cells (``(단위: 천원)``, ``단위:백만원``), or ``None``."""
    for cell in cells:
        text = unicodedata.normalize("NFKC", cell).strip()
        if "단위" in text or _UNIT_CELL.match(text):
            found = parse_unit(text)
            if found is not None:
                return found
    return None


def _parse_unit_option(text: str, file: str) -> int:
    cleaned = text.strip().replace(",", "")
    if cleaned.isdigit() and int(cleaned) > 0:
        return int(cleaned)
    found = parse_unit(cleaned) if cleaned not in ("원", "(원)") else 1
    if found is None:
        raise LoadError(f"{file}: unit {text!r} is not a unit; use 원, 천원, 백만원, 억원 or a multiplier like 1000")
    return found


def table_settings(
    file: str,
    log: ProblemLog,
    plan: ColumnPlan,
    title: list[str],
    defaults: dict[str, str],
    fiscal_year: int | None,
    stage: str | None,
    government: tuple[str, str] | None,
    unit: int | None,
) -> Settings:
    settings = Settings()
    # fiscal year: option > mapping default > column > title
    if fiscal_year is None and "fiscal_year" in defaults:
        text = defaults["fiscal_year"]
        if not re.fullmatch(r"\d{4}", text):
            raise LoadError(f"{file}: default fiscal_year {text!r} is not a year like 2026")
        fiscal_year = int(text)
    if fiscal_year is not None:
        if not 1948 <= fiscal_year <= 2100:
            raise LoadError(f"{file}: fiscal year {fiscal_year} is out of range (1948–2100)")
        settings.fiscal_year, settings.year_is_explicit = fiscal_year, True
    elif not plan.has("fiscal_year"):
        years = sorted({int(m.group(1)) for cell in title for m in _TITLE_YEAR.finditer(cell)})
        if len(years) != 1:
            found = f" (the title mentions {', '.join(map(str, years))})" if years else ""
            raise LoadError(
                f"{file}: no fiscal year: the file has no 회계연도/연도 column and no single year in its title{found}",
                hint="pass the year (e.g. --year 2026) or map a column (--map fiscal_year=<header>)",
            )
        settings.fiscal_year = years[0]
        log.warn(None, None, str(years[0]), f"fiscal year {years[0]} taken from the title above the header")
    # stage
    stage_text = stage or defaults.get("stage")
    if stage_text is not None:
        try:
            settings.stage = normalize_stage(stage_text)
        except ValueError as error:
            raise LoadError(f"{file}: {error}") from error
    elif not plan.has("stage"):
        settings.stage = "본예산"
        log.warn(None, None, None, "no budget stage given; assuming 본예산 (pass --stage to say otherwise)")
    # government
    code = government[0] if government else defaults.get("gov_code")
    name = government[1] if government else defaults.get("gov_name")
    settings.gov_code, settings.gov_name = code, name
    if not plan.has("gov_code") and not plan.has("gov_name") and (code is None or name is None):
        raise LoadError(
            f"{file}: no government: the file has no 자치단체/자치단체코드 columns",
            hint="pass the government's code and name: --government CODE:NAME, e.g. --government 6110000:서울특별시",
        )
    settings.parent_name = defaults.get("parent_name")
    settings.account = defaults.get("account")
    if "exe_ymd" in defaults:
        text = defaults["exe_ymd"].replace("-", "")
        try:
            settings.exe_ymd = dt.datetime.strptime(text, "%Y%m%d").date()
        except ValueError as error:
            raise LoadError(f"{file}: default exe_ymd {defaults['exe_ymd']!r} is not a date (YYYYMMDD)") from error
    # units
    explicit = unit if unit is not None else None
    if explicit is not None and explicit <= 0:
        raise LoadError(f"{file}: unit {explicit} must be a positive multiplier (1000 for 천원)")
    if explicit is None and "unit" in defaults:
        explicit = _parse_unit_option(defaults["unit"], file)
    from_title = title_unit(title)
    unstated: list[str] = []
    for column in plan.amount_columns():
        stated = plan.units.get(column, from_title)
        if explicit is not None:
            if stated is not None and stated != explicit:
                log.warn(
                    None,
                    plan.header(column),
                    None,
                    f"the file states a unit of {stated:,} won but the unit given ({explicit:,}) is used",
                )
            settings.scales[column] = explicit
        elif stated is not None:
            settings.scales[column] = stated
        else:
            settings.scales[column] = 1
            unstated.append(plan.header(column))
    if unstated:
        log.warn(
            None,
            None,
            None,
            f"no unit stated for {', '.join(repr(h) for h in unstated)}; amounts read as won "
            "(pass --unit 천원 if they are in thousands)",
        )
    return settings


def _raise_no_header(file: str, grid: Grid, mapping: Mapping[str, str]) -> None:
    if "item_name" in mapping:
        raise LoadError(
            f"{file}: no header row with {mapping['item_name']!r} (the mapped item_name column) in the first "
            f"{HEADER_SEARCH_ROWS} rows{_sheet_note(grid)}",
            hint="check the mapping's item_name header",
        )
    raise LoadError(
        f"{file}: no item name column: no row in the first {HEADER_SEARCH_ROWS}{_sheet_note(grid)} "
        "has a header 세부사업명, 세부사업, 사업명 or dbiz_nm",
        hint="map the column that names the items, e.g. --map item_name=<header>",
    )


def _sheet_note(grid: Grid) -> str:
    return f" of sheet {grid.sheet!r}" if grid.sheet else ""
