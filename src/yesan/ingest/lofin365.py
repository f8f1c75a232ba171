"""lofin365 (지방재정365) dataset QWGJK 세부사업별 세출현황, in the OpenAPI's own field names.

Accepted containers: CSV (plain or gzip, UTF-8 or cp949), JSON arrays of rows, JSON lines of rows,
the OpenAPI's paged envelope (one page per file, a JSON array of pages, or one page per line), and
the Parquet form yesan bundles. This module is the one place that knows QWGJK's field names.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Final

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from yesan.errors import LoadError
from yesan.ingest import columns
from yesan.ingest.batch import Batch, ProblemLog, file_sha256, read_head
from yesan.ingest.encoding import decode
from yesan.ingest.limits import (
    MAX_LINE_BYTES,
    damaged_gzip,
    locate_bad_utf8,
    locate_field_count,
    locate_long_line,
    read_bounded,
    require_regular_file,
)
from yesan.model import ITEM_SCHEMA, account_type

DATASET: Final = "lofin365.QWGJK"
DESCRIPTION: Final = "지방재정365 QWGJK 세부사업별 세출현황"

FIELDS: Final = (
    "fyr", "exe_ymd", "laf_cd", "laf_hg_nm", "wa_laf_hg_nm", "acnt_dv_nm", "fld_nm", "part_nm",
    "dbiz_cd", "dbiz_nm", "bdg_cash_amt", "bdg_ntep", "capep", "sggep", "etc_amt", "ep_amt", "cpl_amt",
)  # fmt: skip
REQUIRED: Final = ("fyr", "exe_ymd", "laf_cd", "laf_hg_nm", "dbiz_nm", "bdg_cash_amt")

#: QWGJK amount field → yesan amount column.
AMOUNTS: Final = {
    "bdg_cash_amt": "budget",
    "bdg_ntep": "national",
    "capep": "provincial",
    "sggep": "municipal",
    "etc_amt": "other",
    "ep_amt": "spent",
    "cpl_amt": "allocated",
}

#: Result codes of the OpenAPI envelope that mean "rows follow" or "no rows".
_OK_CODES: Final = {"INFO-000"}
_EMPTY_CODES: Final = {"INFO-200"}
_CODE_ADVICE: Final = {
    "337": "the daily request quota of the API key is spent; fetch the remaining pages tomorrow",
    "ERROR-300": "a required request parameter (fyr, exe_ymd) was missing when the file was fetched",
    "ERROR-290": "the API key is invalid",
    "ERROR-310": "the dataset name in the request was wrong",
    "ERROR-333": "the page number in the request was out of range",
    "ERROR-336": "more than 1,000 rows were asked for in one page",
    "ERROR-500": "the API server failed; fetch this page again",
}

#: Where the bundled Parquet keeps the provenance of the file it was converted from.
PARQUET_META_SOURCE: Final = b"yesan.source_file"
PARQUET_META_SHA256: Final = b"yesan.sha256"
ROW_FIELD: Final = "_row"


def looks_like_qwgjk(names: Iterable[str]) -> bool:
    present = set(names)
    return {"laf_cd", "dbiz_nm", "bdg_cash_amt"} <= present


def read_qwgjk(path: Path, *, source_name: str | None = None) -> Batch:
    """Read one QWGJK file into a validated Batch, or raise LoadError listing every problem.

    ``source_name`` names the file in errors and provenance instead of its path (``yesan fetch`` passes the
    request the pages answered, without the key, so the store does not depend on where the cache lives).
    """
    name = source_name or str(path)
    if not path.exists():
        raise LoadError(f"{name}: no such file")
    require_regular_file(path, name)
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".parquet":
        raw, source_file, sha256 = _read_parquet(path)
    else:
        source_file = name
        # Hash the file on a second thread while Arrow parses it (hashlib releases the GIL); a file that
        # fails to parse stops the hashing too, so a refused 2 GB file is not read to its end.
        stop = threading.Event()
        with ThreadPoolExecutor(max_workers=1) as pool:
            digest = pool.submit(file_sha256, path, stop)
            try:
                head = read_head(path)
                _check_head_text(head, name)
                if _looks_like_json(head):
                    raw = _rows_to_table(_json_rows(_read_bytes(path), name), name)
                else:
                    raw = _read_csv(path, name)
            except BaseException:
                stop.set()
                raise
            sha256 = digest.result()
    return normalize(raw, source_file=source_file, sha256=sha256)


def _check_head_text(head: bytes, name: str) -> None:
    """Wrong encodings and mojibake (``°¡³ª±º`` for ``가나군``) in the first 64 KB, named before parsing."""
    end = head.rfind(b"\n") + 1
    if end == 0 and len(head) >= 65536:
        return  # no whole line in the head: the parser reports the long line
    decode(head[:end] if end else head, file=name)


def normalize(raw: pa.Table, *, source_file: str, sha256: str) -> Batch:
    """Turn a table of QWGJK fields into yesan's ITEM_SCHEMA, checking every cell."""
    log = ProblemLog(source_file)
    repeated = sorted({name for name in raw.column_names if raw.column_names.count(name) > 1})
    if repeated:
        raise LoadError(
            f"{source_file}: the header names the column(s) {', '.join(repeated)} more than once; nothing was loaded",
            hint="remove the repeated column(s) so that each QWGJK field appears once",
        )
    missing = [field for field in REQUIRED if field not in raw.column_names]
    if missing:
        raise LoadError(
            f"{source_file}: not a QWGJK file; missing column(s) {', '.join(missing)}",
            hint=f"QWGJK needs the API field names: {', '.join(FIELDS)}",
        )
    for extra in sorted(set(raw.column_names) - set(FIELDS) - {ROW_FIELD}):
        log.warn(None, extra, None, "column is not part of QWGJK and was ignored")
    n = raw.num_rows
    if n == 0:
        raise LoadError(f"{source_file}: the file holds no rows; nothing was loaded")

    def text(field: str) -> pa.Array:
        if field not in raw.column_names:
            return pa.nulls(n, pa.string())
        return columns.to_text(raw.column(field))

    row_no = (
        pc.cast(raw.column(ROW_FIELD), pa.int64()).combine_chunks()
        if ROW_FIELD in raw.column_names
        else pc.cumulative_sum(pa.repeat(pa.scalar(1, pa.int64()), n))
    )
    gov_code = text("laf_cd")
    _require_pattern(gov_code, "laf_cd", r"^[0-9]{7}$", "자치단체 code must be 7 digits", log)
    gov_name = text("laf_hg_nm")
    item_name = text("dbiz_nm")
    for field, values in (("laf_hg_nm", gov_name), ("dbiz_nm", item_name)):
        for index in pc.indices_nonzero(pc.is_null(values)).to_pylist()[:100]:
            log.error(index + 1, field, "", "name is missing")
    for index in pc.indices_nonzero(pc.is_null(text("fyr"))).to_pylist()[:100]:
        log.error(index + 1, "fyr", "", "fiscal year is missing")
    item_code = text("dbiz_cd")
    account = text("acnt_dv_nm")
    amounts = {
        target: columns.amounts(raw.column(field), field, log, required=(field == "bdg_cash_amt"))
        if field in raw.column_names
        else pa.nulls(n, pa.int64())
        for field, target in AMOUNTS.items()
    }
    table = pa.table(
        {
            "row_no": row_no,
            "gov_code": gov_code,
            "gov_name": gov_name,
            "parent_name": text("wa_laf_hg_nm"),
            "fiscal_year": columns.years(raw.column("fyr"), "fyr", log),
            "stage": pa.DictionaryArray.from_arrays(pa.repeat(pa.scalar(0, pa.int32()), n), pa.array(["현액"])),
            "exe_ymd": columns.dates(raw.column("exe_ymd"), "exe_ymd", log),
            "account": account,
            "account_type": _map_unique(account, account_type),
            "field_code": pa.nulls(n, pa.string()),
            "field_name": text("fld_nm"),
            "sector_code": pa.nulls(n, pa.string()),
            "sector_name": text("part_nm"),
            "program_code": pa.nulls(n, pa.string()),
            "program_name": pa.nulls(n, pa.string()),
            "unit_code": pa.nulls(n, pa.string()),
            "unit_name": pa.nulls(n, pa.string()),
            "item_code": item_code,
            "item_name": item_name,
            **amounts,
        }
    )
    _check_duplicates(table, log)
    log.raise_if_errors()
    table = table.cast(_item_schema_for(table))
    counts = {"rows_read": n, "items": n}
    counts.update(_soft_checks(table, log))
    return Batch(
        dataset=DATASET,
        source_file=source_file,
        sha256=sha256,
        items=table,
        warnings=log.warnings,
        counts=counts,
        description=DESCRIPTION,
    )


def _item_schema_for(table: pa.Table) -> pa.Schema:
    """ITEM_SCHEMA, except that text columns already dictionary-encoded stay so (DuckDB reads them as text)."""
    fields = []
    for field in ITEM_SCHEMA:
        actual = table.schema.field(field.name).type
        keep = pa.types.is_dictionary(actual) and pa.types.is_string(field.type)
        fields.append(field.with_type(actual) if keep else field)
    return pa.schema(fields)


def _require_pattern(values: pa.Array, field: str, pattern: str, reason: str, log: ProblemLog) -> None:
    ok = pc.fill_null(columns.on_distinct(values, lambda v: pc.match_substring_regex(v, pattern)), False)
    if pc.all(ok).as_py():
        return
    cells = values.to_pylist()
    for index in pc.indices_nonzero(pc.invert(ok)).to_pylist():
        log.error(index + 1, field, cells[index] or "", reason)


def _map_unique(values: columns.Column, function: Callable[[str | None], str | None]) -> columns.Column:
    return columns.on_distinct(
        values, lambda distinct: pa.array([function(v) for v in distinct.to_pylist()], pa.string())
    )


_KEYS: Final = ("fiscal_year", "exe_ymd", "gov_code", "account", "item_code", "item_name")


def _check_duplicates(table: pa.Table, log: ProblemLog) -> None:
    """An error for each 세부사업 that appears twice (the same year, date, government, account, code and name),
    at its second row; the first 100 such rows are named. Arrow's hash grouping, in memory: no database."""
    keyed = table.select([*_KEYS, "row_no"]).unify_dictionaries()  # chunks read apart have their own dictionaries
    groups = keyed.group_by(list(_KEYS)).aggregate([("row_no", "count")])
    if groups.num_rows == keyed.num_rows:  # clean files (the usual case) stop here
        return
    found = keyed.group_by(list(_KEYS), use_threads=False).aggregate([("row_no", "list"), ("row_no", "min")])
    twice = found.filter(pc.greater(pc.list_value_length(found["row_no_list"]), 1))
    twice = twice.sort_by("row_no_min").slice(0, 100)
    for record in twice.to_pylist():
        rows = sorted(record["row_no_list"])
        log.error(
            rows[1],
            "dbiz_cd",
            record["item_code"],
            f"the same 세부사업 ({record['item_name']}, {record['account']}) appears again; first at row {rows[0]:,}"
            + (f" and {len(rows) - 2} more time(s)" if len(rows) > 2 else ""),
        )


def _funding_mismatch(table: pa.Table) -> pa.ChunkedArray:
    """국비+시도비+시군구비+기타 (a missing one counted as 0) differs from 예산현액."""
    funded = pc.fill_null(table["national"], 0)
    for name in ("provincial", "municipal", "other"):
        funded = pc.add_checked(funded, pc.fill_null(table[name], 0))
    return pc.not_equal(funded, table["budget"])


_SOFT_CHECKS: Final = (
    ("funding_mismatch", _funding_mismatch, "국비+시도비+시군구비+기타 differs from 예산현액"),
    ("spent_over_budget", lambda table: pc.greater(table["spent"], table["budget"]), "지출액 is larger than 예산현액"),
)


def _soft_checks(table: pa.Table, log: ProblemLog) -> dict[str, int]:
    """Oddities that are real in published data: reported as warnings (the first 20 rows of each) and counted,
    never fatal. A comparison with a missing amount counts as no oddity."""
    counts = {}
    for label, condition, reason in _SOFT_CHECKS:
        odd = pc.fill_null(condition(table), False)
        rows = table["row_no"].filter(odd)
        counts[label] = len(rows)
        for row in pc.take(rows, pc.sort_indices(rows)[:20]).to_pylist():
            log.warn(row, None, None, reason)
    return counts


# --- containers ---------------------------------------------------------------------------------


def _read_bytes(path: Path) -> bytes:
    # JSON is parsed whole, so its size is bounded (a gzip bomb stops at the bound, not at the end).
    return read_bounded(path, str(path), max_line=None, what="JSON file")


def _looks_like_json(data: bytes) -> bool:
    head = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head[:1] in (b"[", b"{")


def _open_stream(path: Path) -> pa.NativeFile:
    with path.open("rb") as handle:
        gzipped = handle.read(2) == b"\x1f\x8b"
    return pa.input_stream(str(path), compression="gzip" if gzipped else None)


#: Every field is read as text. Amounts are not parsed by Arrow as int64: its integer parser also takes
#: hexadecimal (``0x1F`` → 31, ``0x8000000000000000`` → a negative number), which is not an amount; they are
#: checked and converted in ``columns.amounts`` (plain digits straight to int64, anything else cell by cell),
#: which costs about what Arrow's own integer parsing did. Fields with few distinct values are read
#: dictionary-encoded, so cleaning and checking them costs one pass over the distinct values, not one per row.
_REPEATED_FIELDS: Final = ("fyr", "exe_ymd", "wa_laf_hg_nm", "laf_cd", "laf_hg_nm", "acnt_dv_nm", "fld_nm", "part_nm")
_TEXT_TYPES: Final = {f: columns.STRING_DICTIONARY if f in _REPEATED_FIELDS else pa.string() for f in FIELDS}


def _read_csv(path: Path, name: str) -> pa.Table:
    """Parse a QWGJK CSV with Arrow: UTF-8 first (validated by Arrow), cp949 if that fails."""
    for encoding in ("utf8", "cp949"):
        try:
            with _open_stream(path) as stream:
                return pacsv.read_csv(
                    stream,
                    read_options=pacsv.ReadOptions(encoding=encoding, block_size=MAX_LINE_BYTES),
                    parse_options=pacsv.ParseOptions(newlines_in_values=True),
                    convert_options=pacsv.ConvertOptions(
                        column_types=_TEXT_TYPES, null_values=[""], strings_can_be_null=True
                    ),
                )
        except (pa.ArrowInvalid, OSError, UnicodeDecodeError) as error:
            reason = _arrow_reason(error)
            if "invalid UTF8" in reason or isinstance(error, UnicodeDecodeError):
                if read_head(path, 3).startswith(b"\xef\xbb\xbf"):
                    raise _not_utf8(
                        path, name, "it starts with a UTF-8 byte order mark, so it says it is UTF-8"
                    ) from None
                continue  # not UTF-8: try cp949
            if isinstance(error, OSError) or "gzip" in reason.lower() or "zlib" in reason.lower():
                raise damaged_gzip(name, error) from None
            raise _csv_problem(path, name, "utf-8" if encoding == "utf8" else encoding, reason) from None
    raise _not_utf8(path, name, "it is not CP949 (EUC-KR) either")


def _not_utf8(path: Path, name: str, also: str) -> LoadError:
    """The file is not UTF-8 (and ``also`` says why CP949 is no answer): name the first bad byte and its line."""
    found = locate_bad_utf8(path, name)
    where = f" at byte offset {found[0]:,} (line {found[1]:,})" if found else ""
    mixed = " (the lines before it are UTF-8: a file of mixed encodings?)" if found and found[1] > 2 else ""
    return LoadError(
        f"{name}: not UTF-8 text: the first byte that is not UTF-8 is{where}{mixed}; {also}; nothing was loaded",
        hint="export the file again as CSV in UTF-8 (in Excel: 'CSV UTF-8')",
    )


def _csv_problem(path: Path, name: str, encoding: str, reason: str) -> LoadError:
    """Arrow's complaint in rows and lines: a line longer than a block, or a row with the wrong number of fields."""
    if "straddl" in reason or "block" in reason:
        long_line = locate_long_line(path, name)
        if long_line is not None:
            return long_line
    if "Expected" in reason and "columns" in reason:
        found = locate_field_count(path, name, encoding)
        if found is not None:
            row, fields, expected = found
            return LoadError(
                f"{name}: row {row:,} has {fields} fields but the header has {expected}; nothing was loaded",
                hint='a cell with a comma or a line break must be quoted ("..."); check that row and the one before',
            )
    return LoadError(f"{name}: not a readable CSV file ({reason}); nothing was loaded")


def _arrow_reason(error: Exception) -> str:
    return str(error).splitlines()[0][:200]


def _json_rows(data: bytes, name: str) -> Iterator[dict[str, Any]]:
    try:
        text = data.decode("utf-8-sig", errors="strict") if data else ""
    except UnicodeDecodeError as error:
        bad_line = data.count(b"\n", 0, error.start) + 1
        raise LoadError(
            f"{name}: not UTF-8 text: byte 0x{data[error.start]:02X} at byte offset {error.start:,} "
            f"(line {bad_line:,}) does not fit; JSON is always UTF-8; nothing was loaded",
            hint="fetch or export the file again",
        ) from None
    try:
        documents: list[Any] = [json.loads(text)]
    except RecursionError:
        raise _too_deep(name) from None
    except json.JSONDecodeError:
        documents = []
        for line_no, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                documents.append(json.loads(line))
            except RecursionError:
                raise _too_deep(name) from None
            except json.JSONDecodeError as error:
                raise LoadError(
                    f"{name}: line {line_no:,} is not valid JSON ({error.msg} at column {error.colno}); "
                    "nothing was loaded"
                ) from None
    announced: int | None = None
    received = 0
    pages = 0
    for document in documents:
        for part in document if isinstance(document, list) else [document]:
            if isinstance(part, dict) and "QWGJK" in part:
                pages += 1
                total, rows = _envelope_rows(part["QWGJK"], name, pages)
                announced = total if announced is None else announced
                received += len(rows)
                yield from rows
            elif isinstance(part, dict):
                if set(part) & {"RESULT", "result"}:
                    _check_result(part.get("RESULT") or part.get("result"), name, pages + 1)
                received += 1
                yield part
            else:
                raise LoadError(f"{name}: expected JSON objects (rows) or QWGJK pages, found {type(part).__name__}")
    if announced is not None and received != announced:
        raise LoadError(
            f"{name}: the API announced {announced:,} rows (list_total_count) but {pages:,} page(s) hold "
            f"{received:,}; nothing was loaded",
            hint="fetch the missing pages and load all pages together",
        )


def _too_deep(name: str) -> LoadError:
    return LoadError(f"{name}: the JSON is nested too deeply to be QWGJK rows or API pages; nothing was loaded")


def _envelope_rows(body: Any, name: str, page: int) -> tuple[int, list[dict[str, Any]]]:
    total: int | None = None
    rows: list[dict[str, Any]] = []
    parts = body if isinstance(body, list) else [body]
    for part in parts:
        if not isinstance(part, dict):
            continue
        heads = part.get("head", [])
        for head in heads if isinstance(heads, list) else [heads]:
            if not isinstance(head, dict):
                raise LoadError(f"{name}: QWGJK page {page}: the head holds {type(head).__name__}, not objects")
            if "list_total_count" in head:
                total = _count(head["list_total_count"], name, page)
            if "RESULT" in head:
                _check_result(head["RESULT"], name, page)
        if "row" in part:
            if not isinstance(part["row"], list):
                raise LoadError(f'{name}: QWGJK page {page}: "row" must be a list of rows')
            rows.extend(part["row"])
    if total is None:
        raise LoadError(f"{name}: QWGJK page {page} has no list_total_count in its head; is the file complete?")
    return total, rows


def _count(value: Any, name: str, page: int) -> int:
    text = str(value).strip()
    if isinstance(value, bool) or not text.isascii() or not text.isdigit() or len(text) > 18:
        raise LoadError(f"{name}: QWGJK page {page}: list_total_count {value!r} is not a count of rows")
    return int(text)


def _check_result(result: Any, name: str, page: int) -> None:
    if not isinstance(result, dict):
        raise LoadError(
            f"{name}: page {page}: the API RESULT is {str(result)[:60]!r}, not an object with CODE and MESSAGE"
        )
    code = str(result.get("CODE", ""))
    if code in _OK_CODES or code in _EMPTY_CODES:
        return
    message = str(result.get("MESSAGE", "")).strip()[:200]
    advice = _CODE_ADVICE.get(code) or _CODE_ADVICE.get(code.replace("INFO-", "ERROR-"))
    raise LoadError(
        f"{name}: page {page} is an API error, not data: CODE {code} {message!r}; nothing was loaded",
        hint=advice,
    )


#: More distinct field names than this in JSON rows is not QWGJK (which has 17); refusing early keeps memory bounded.
_MAX_JSON_FIELDS: Final = 1000


def _rows_to_table(rows: Iterable[dict[str, Any]], name: str) -> pa.Table:
    columns_: dict[str, list[str | None]] = {}
    count = 0
    for count, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            raise LoadError(f"{name}: row {count:,} is not a JSON object")
        for key in row.keys() - columns_.keys():
            if len(columns_) >= _MAX_JSON_FIELDS:
                raise LoadError(
                    f"{name}: the rows use more than {_MAX_JSON_FIELDS:,} different field names (row {count:,} "
                    f"adds {key[:40]!r}); QWGJK rows have {len(FIELDS)}; nothing was loaded"
                )
            columns_[key] = [None] * (count - 1)
        for key, values in columns_.items():
            value = row.get(key)
            values.append(None if value is None else str(value))
    if count == 0:
        raise LoadError(f"{name}: the file holds no rows; nothing was loaded")
    return pa.table({key: pa.array(values, pa.string()) for key, values in columns_.items()})


def _read_parquet(path: Path) -> tuple[pa.Table, str, str]:
    try:
        table = pq.read_table(path)
    except (pa.ArrowInvalid, OSError) as error:
        raise LoadError(f"{path}: not a readable Parquet file ({_arrow_reason(error)})") from None
    meta = table.schema.metadata or {}
    source = meta.get(PARQUET_META_SOURCE, str(path).encode()).decode()
    sha256 = meta.get(PARQUET_META_SHA256, b"").decode() or file_sha256(path)
    return table, source, sha256
