"""Reported figures: budget figures as published (announcements, news), one row per subject and stage.

A reported-figures table is not an official line-item file: each row is a figure someone published,
with the sources that state it. ``yesan check`` matches the figures in an article against it when the
store has no line items for the budget (e.g. Seoul's, which lofin365 does not break down for us).

Columns (a header row, UTF-8 or CP949 CSV):

=========================  ==========================================================================
``subject_ko``             what the figure is for (required), e.g. ``약자와의 동행``
``amount_krw``             the figure in integer won (required)
``kind``                   total, allocation, change, prior or other (required; see ``claims.model``)
``stage``                  proposal/예산안, enacted/본예산, 추경1…, 결산; blank for other stages
                           (e.g. a council committee's figure)
``prior_year_amount_krw``  the same subject's figure a year earlier, won
``change_pct``             the change on the prior year as published, in percent (e.g. ``5.8``, ``-7.6``)
``change_krw``             the change on the prior year (or, for a ``change`` row, the amount), won
``amount_ko``              the figure as written in Korean; checked to equal ``amount_krw``
``sources``                the sources (e.g. article numbers) that state the figure, comma-separated; a
                           ``<stem>.sources.csv`` beside the file says who each is (``ingest.reported_sources``)
``prior_sources``          the sources of the prior-year figure
``conflicting``            sources that state a different figure for the subject, and how
``notes``                  free text
``government``             government name (or ``CODE:NAME``); else ``--government``
``gov_code``               자치단체 code, when known
``fiscal_year``            the budget's year; else ``--year``. ``prior`` rows describe the year before.
=========================  ==========================================================================
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Final

import pyarrow as pa

from yesan.errors import LoadError, MoneyError
from yesan.ingest.batch import ProblemLog, file_sha256
from yesan.ingest.encoding import read_text
from yesan.ingest.reported_sources import check_citations, read_sources, sources_file_for
from yesan.model import normalize_stage
from yesan.money import parse, parse_cell

__all__ = [
    "REPORTED_COLUMNS",
    "REPORTED_SCHEMA",
    "ReportedBatch",
    "looks_like_reported",
    "parse_government",
    "read_reported",
]

#: Columns a reported-figures file must have.
REQUIRED_COLUMNS: Final = ("subject_ko", "amount_krw", "kind")
#: Every column understood; others are refused so that a typo in a header is not silently ignored.
REPORTED_COLUMNS: Final = (
    *REQUIRED_COLUMNS,
    "stage",
    "prior_year_amount_krw",
    "change_pct",
    "change_krw",
    "amount_ko",
    "sources",
    "prior_sources",
    "conflicting",
    "notes",
    "government",
    "gov_code",
    "fiscal_year",
)
KINDS: Final = ("total", "allocation", "change", "prior", "other")
#: ``change_pct`` is stored as DECIMAL(9, 4): at most 4 decimal places and 5 whole digits.
PCT_PLACES: Final = 4

#: What ``Store.load_reported`` stores per figure (the provenance columns are added by the store).
REPORTED_SCHEMA: Final = pa.schema(
    [
        pa.field("row_no", pa.int64(), nullable=False),
        pa.field("gov_code", pa.string()),
        pa.field("gov_name", pa.string(), nullable=False),
        pa.field("fiscal_year", pa.int16(), nullable=False),
        pa.field("stage", pa.string()),
        pa.field("subject", pa.string(), nullable=False),
        pa.field("kind", pa.string(), nullable=False),
        pa.field("amount", pa.int64(), nullable=False),
        pa.field("amount_text", pa.string()),
        pa.field("prior_amount", pa.int64()),
        pa.field("change_amount", pa.int64()),
        pa.field("change_pct", pa.decimal128(9, PCT_PLACES)),
        pa.field("cited_sources", pa.string()),
        pa.field("prior_sources", pa.string()),
        pa.field("conflicting", pa.string()),
        pa.field("notes", pa.string()),
    ]
)

_CODE: Final = re.compile(r"[0-9]{7}")
_YEAR: Final = re.compile(r"(19|20)[0-9]{2}")


@dataclass
class ReportedBatch:
    """Validated reported figures from one file, ready for ``Store.load_reported``."""

    dataset: str  # a name for the file's figures (default: the file's stem)
    source_file: str
    sha256: str
    figures: pa.Table  # REPORTED_SCHEMA
    counts: dict[str, int] = field(default_factory=dict)
    sources: pa.Table | None = None  # ingest.reported_sources.SOURCES_SCHEMA, from ``<stem>.sources.csv``


def looks_like_reported(header: list[str]) -> bool:
    """True for a header with the reported-figure columns (``subject_ko``, ``amount_krw``, ``kind``)."""
    return set(REQUIRED_COLUMNS) <= {h.strip().lstrip("\ufeff") for h in header}


def parse_government(text: str | None) -> tuple[str | None, str] | None:
    """``서울특별시`` → (None, name); ``6110000:서울특별시`` → (code, name); blank → None."""
    if text is None or not text.strip():
        return None
    code, colon, name = text.strip().partition(":")
    if not colon:
        return None, code.strip()
    if not _CODE.fullmatch(code.strip()) or not name.strip():
        raise LoadError(f"government {text!r} is not NAME or CODE:NAME (a 7-digit code), e.g. 6110000:서울특별시")
    return code.strip(), name.strip()


def read_reported(
    path: Path,
    *,
    government: str | None = None,
    fiscal_year: int | None = None,
    dataset: str | None = None,
) -> ReportedBatch:
    """Read and validate a reported-figures CSV; raise one ``LoadError`` listing every bad cell.

    ``government`` (``NAME`` or ``CODE:NAME``) and ``fiscal_year`` apply to rows without their own
    ``government``/``fiscal_year`` cell; a row that says otherwise is an error.
    """
    name = str(path)
    default_gov = parse_government(government)
    if fiscal_year is not None and not 1900 <= fiscal_year <= 2100:
        raise LoadError(f"--year {fiscal_year} is not a fiscal year")
    text, _encoding = read_text(path)
    reader = csv.DictReader(io.StringIO(text, newline=""))  # the csv module reads \r, \n and \r\n line ends
    try:
        header = [h.strip() for h in reader.fieldnames or []]
        reader.fieldnames = header
        records = list(reader)
    except csv.Error as error:
        raise LoadError(f"{name}: line {reader.line_num:,}: not valid CSV ({error})") from None
    if not looks_like_reported(header):
        missing = ", ".join(c for c in REQUIRED_COLUMNS if c not in header)
        raise LoadError(f"{name}: not a reported-figures table (no column {missing})")
    unknown = [h for h in header if h not in REPORTED_COLUMNS]
    if unknown:
        raise LoadError(
            f"{name}: unknown column(s) {', '.join(map(repr, unknown))}",
            hint=f"a reported-figures table has the columns {', '.join(REPORTED_COLUMNS)}",
        )
    log = ProblemLog(name)
    rows: list[dict[str, object]] = []
    for row_no, record in enumerate(records, start=1):
        if None in record:  # more cells than headers
            log.error(row_no, None, ",".join(record[None]), "more cells than the header has columns")
            continue
        cells = {key: (value or "").strip() for key, value in record.items()}
        if not any(cells.values()):
            continue
        row = _row(cells, row_no, log, default_gov, fiscal_year)
        if row is not None:
            rows.append(row)
    if not rows and not log.errors:
        raise LoadError(f"{name}: the file holds no figures")
    if default_gov is None and any(r.get("gov_name") is None for r in rows):
        log.error(None, "government", None, "no government: give --government NAME (or a government column)")
    if fiscal_year is None and any(r.get("fiscal_year") is None for r in rows):
        log.error(None, "fiscal_year", None, "no fiscal year: give --year YYYY (or a fiscal_year column)")
    log.raise_if_errors()
    table = pa.Table.from_pylist(rows, schema=REPORTED_SCHEMA)
    counts = {"rows_read": len(rows), "figures": len(rows)}
    sources = None
    sources_path = sources_file_for(path)
    if sources_path.is_file():  # who published each cited figure, where and when (ingest.reported_sources)
        sources = read_sources(sources_path)
        check_citations(table, sources, name)
        counts["sources"] = sources.num_rows
    return ReportedBatch(dataset or path.stem, name, file_sha256(path), table, counts, sources)


def _row(
    cells: dict[str, str],
    row_no: int,
    log: ProblemLog,
    default_gov: tuple[str | None, str] | None,
    default_year: int | None,
) -> dict[str, object] | None:
    before = log.error_count
    subject = cells.get("subject_ko", "")
    if not subject:
        log.error(row_no, "subject_ko", subject, "missing: every figure needs a subject")
    kind = cells.get("kind", "")
    if kind not in KINDS:
        log.error(row_no, "kind", kind, f"kind must be one of {', '.join(KINDS)}")
    amount = _won(cells, "amount_krw", row_no, log, required=True)
    prior = _won(cells, "prior_year_amount_krw", row_no, log)
    change = _won(cells, "change_krw", row_no, log)
    stage = _stage(cells.get("stage", ""), row_no, log)
    pct = _pct(cells.get("change_pct", ""), row_no, log)
    amount_text = cells.get("amount_ko") or None
    if amount_text is not None and amount is not None:
        try:
            written = parse(amount_text).won
        except MoneyError as error:
            log.error(row_no, "amount_ko", amount_text, error.reason)
        else:
            if written != amount:
                log.error(row_no, "amount_ko", amount_text, f"says {written:,} won but amount_krw is {amount:,}")
    gov = _government(cells, row_no, log, default_gov)
    year = _year(cells.get("fiscal_year", ""), row_no, log, default_year)
    if log.error_count > before:
        return None
    return {
        "row_no": row_no,
        "gov_code": gov[0] if gov else None,
        "gov_name": gov[1] if gov else None,
        "fiscal_year": year,
        "stage": stage,
        "subject": subject,
        "kind": kind,
        "amount": amount,
        "amount_text": amount_text,
        "prior_amount": prior,
        "change_amount": change,
        "change_pct": pct,
        "cited_sources": _source_list(cells.get("sources", "")),
        "prior_sources": _source_list(cells.get("prior_sources", "")),
        "conflicting": cells.get("conflicting") or None,
        "notes": cells.get("notes") or None,
    }


def _won(cells: dict[str, str], column: str, row_no: int, log: ProblemLog, *, required: bool = False) -> int | None:
    text = cells.get(column, "")
    if not text:
        if required:
            log.error(row_no, column, text, "missing: give the figure in won, e.g. 51506000000000")
        return None
    try:
        won = parse_cell(text)
    except MoneyError as error:
        log.error(row_no, column, text, error.reason)
        return None
    if won is None or won < 0:
        log.error(row_no, column, text, "must be zero or more won (a decrease is written as a positive change)")
        return None
    return won


def _stage(text: str, row_no: int, log: ProblemLog) -> str | None:
    if not text:
        return None
    try:
        return normalize_stage(text)
    except ValueError as error:
        log.error(row_no, "stage", text, str(error))
        return None


def _pct(text: str, row_no: int, log: ProblemLog) -> Decimal | None:
    if not text:
        return None
    cleaned = text.removesuffix("%").strip().replace("−", "-")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        log.error(row_no, "change_pct", text, "not a number (write the percentage without %, e.g. 5.8)")
        return None
    exponent = value.as_tuple().exponent
    if not value.is_finite() or (isinstance(exponent, int) and exponent < -PCT_PLACES) or abs(value) >= 100_000:
        log.error(row_no, "change_pct", text, f"must be below 100,000 with at most {PCT_PLACES} decimal places")
        return None
    return value


def _government(
    cells: dict[str, str], row_no: int, log: ProblemLog, default: tuple[str | None, str] | None
) -> tuple[str | None, str] | None:
    text = cells.get("government", "")
    code_cell = cells.get("gov_code", "")
    if code_cell and not _CODE.fullmatch(code_cell):
        log.error(row_no, "gov_code", code_cell, "자치단체 code must be 7 digits")
        return None
    try:
        own = parse_government(text)
    except LoadError:
        log.error(row_no, "government", text, "not NAME or CODE:NAME (a 7-digit code)")
        return None
    if own is not None and default is not None and own[1] != default[1]:
        log.error(row_no, "government", text, f"differs from --government {default[1]!r}")
        return None
    chosen = own or default
    if chosen is None:
        return None
    code = code_cell or chosen[0] or (default[0] if default else None)
    return code, chosen[1]


def _year(text: str, row_no: int, log: ProblemLog, default: int | None) -> int | None:
    if not text:
        return default
    if not _YEAR.fullmatch(text):
        log.error(row_no, "fiscal_year", text, "not a year (YYYY)")
        return None
    if default is not None and int(text) != default:
        log.error(row_no, "fiscal_year", text, f"differs from --year {default}")
        return None
    return int(text)


def _source_list(text: str) -> str | None:
    """``"01,02 , 03"`` → ``"01, 02, 03"`` (the order kept, blanks dropped)."""
    parts = [part.strip() for part in text.split(",") if part.strip()]
    return ", ".join(parts) or None
