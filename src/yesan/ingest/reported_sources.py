"""The sources of a reported-figures table: who published each figure, where and when, and how much it weighs.

A reported-figures file ``figures.csv`` may come with ``figures.sources.csv`` beside it (read with it by
``yesan load``); its ``source`` keys are the ones the figures cite in ``sources`` and ``prior_sources``.

=================  ===============================================================================
``source``         the key the figures cite (required, unique), e.g. ``01``
``outlet``         who published it (required), e.g. ``국민일보``, ``서울특별시``
``url``            its address
``other_urls``     other addresses of the same text, space-separated (a copy, a print page)
``published``      its date (``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``); for data, the date it is as of
``tier``           ``official_item``, ``official_aggregate``, ``announced`` (the government's own
                   announcement: a press release, a budget speech) or ``reported`` (another outlet's
                   report) — required; see ``yesan.model.EVIDENCE_TIERS``
``kind``           free text: news report, repost, press release, transcription …
``hosts``          web domains that publish as this outlet, space-separated (``etnews.com``)
``fingerprint``    the fingerprint of its sentences (``yesan.claims.candidates.fingerprint``): hashes, no text
``notes``          free text
=================  ===============================================================================
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Final

import pyarrow as pa

from yesan.errors import LoadError
from yesan.ingest.batch import ProblemLog
from yesan.ingest.encoding import read_text
from yesan.model import EVIDENCE_TIERS

__all__ = ["SOURCES_SCHEMA", "SOURCE_COLUMNS", "check_citations", "read_sources", "sources_file_for"]

SOURCE_COLUMNS: Final = (
    "source", "outlet", "url", "other_urls", "published", "tier", "kind", "hosts", "fingerprint", "notes",
)  # fmt: skip
SOURCES_SCHEMA: Final = pa.schema(
    [
        pa.field("source_key", pa.string(), nullable=False),
        pa.field("outlet", pa.string(), nullable=False),
        pa.field("url", pa.string()),
        pa.field("other_urls", pa.string()),
        pa.field("published", pa.string()),
        pa.field("tier", pa.string(), nullable=False),
        pa.field("kind", pa.string()),
        pa.field("hosts", pa.string()),
        pa.field("fingerprint", pa.string()),
        pa.field("notes", pa.string()),
    ]
)
_DATE: Final = re.compile(r"(19|20)[0-9]{2}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?")
_URL: Final = re.compile(r"https?://\S+")
_HASH: Final = re.compile(r"[0-9a-f]{8,64}")
_HOST: Final = re.compile(r"[a-z0-9-]+(\.[a-z0-9-]+)+")


def sources_file_for(figures: Path) -> Path:
    """``figures.csv`` → ``figures.sources.csv`` (beside it)."""
    return figures.with_name(f"{figures.stem}.sources.csv")


def read_sources(path: Path) -> pa.Table:
    """Read and validate a sources table (``SOURCES_SCHEMA``); one ``LoadError`` lists every bad cell."""
    name = str(path)
    text, _encoding = read_text(path)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        header = [h.strip().lstrip("\ufeff") for h in reader.fieldnames or []]
        reader.fieldnames = header
        records = list(reader)
    except csv.Error as error:
        raise LoadError(f"{name}: line {reader.line_num:,}: not valid CSV ({error})") from None
    missing = [c for c in ("source", "outlet", "tier") if c not in header]
    if missing:
        raise LoadError(f"{name}: not a sources table (no column {', '.join(missing)})",
                        hint=f"a sources table has the columns {', '.join(SOURCE_COLUMNS)}")  # fmt: skip
    unknown = [h for h in header if h not in SOURCE_COLUMNS]
    if unknown:
        raise LoadError(f"{name}: unknown column(s) {', '.join(map(repr, unknown))}",
                        hint=f"a sources table has the columns {', '.join(SOURCE_COLUMNS)}")  # fmt: skip
    log = ProblemLog(name)
    rows: list[dict[str, str | None]] = []
    seen: dict[str, int] = {}
    for row_no, record in enumerate(records, start=1):
        if None in record:
            log.error(row_no, None, ",".join(record[None]), "more cells than the header has columns")
            continue
        cells = {key: (value or "").strip() for key, value in record.items()}
        if not any(cells.values()):
            continue
        before = log.error_count
        key = cells.get("source", "")
        if not key:
            log.error(row_no, "source", key, "missing: every source needs the key the figures cite")
        elif key in seen:
            log.error(row_no, "source", key, f"the same key as row {seen[key]:,}")
        seen.setdefault(key, row_no)
        if not cells.get("outlet"):
            log.error(row_no, "outlet", "", "missing: who published it")
        if cells.get("tier", "") not in EVIDENCE_TIERS:
            log.error(row_no, "tier", cells.get("tier", ""), f"tier must be one of {', '.join(EVIDENCE_TIERS)}")
        for column in ("url", "other_urls"):
            for url in cells.get(column, "").split():
                if not _URL.fullmatch(url):
                    log.error(row_no, column, url, "not an http(s) address")
        published = cells.get("published", "")
        if published and not _DATE.fullmatch(published):
            log.error(row_no, "published", published, "not a date (YYYY-MM-DD, YYYY-MM or YYYY)")
        for host in cells.get("hosts", "").split():
            if not _HOST.fullmatch(host):
                log.error(row_no, "hosts", host, "not a web domain (e.g. etnews.com)")
        if any(not _HASH.fullmatch(h) for h in cells.get("fingerprint", "").split()):
            log.error(row_no, "fingerprint", cells["fingerprint"][:40], "not hex hashes separated by spaces")
        if log.error_count > before:
            continue
        rows.append({"source_key": key, **{c: cells.get(c) or None for c in SOURCE_COLUMNS[1:]}})
    if not rows and not log.errors:
        raise LoadError(f"{name}: the file lists no sources")
    log.raise_if_errors()
    return pa.Table.from_pylist(rows, schema=SOURCES_SCHEMA)


def check_citations(figures: pa.Table, sources: pa.Table, name: str) -> None:
    """Every key a figure cites is in ``sources``; else one ``LoadError`` naming the rows."""
    known = set(sources.column("source_key").to_pylist())
    log = ProblemLog(name)
    for row in figures.select(["row_no", "cited_sources", "prior_sources"]).to_pylist():
        for column, label in (("cited_sources", "sources"), ("prior_sources", "prior_sources")):
            for key in (row[column] or "").split(","):
                if key.strip() and key.strip() not in known:
                    log.error(row["row_no"], label, key.strip(), "no such source in the sources table")
    log.raise_if_errors()
