"""Population tables: residents by government and year, with the source of each figure.

Two layouts are understood:
- yesan's own: columns ``gov_code, year, population`` (optional ``source``, ``gov_name``);
- the region table shipped with yesan (``regions_107.csv``): ``laf_cd, sido, sigungu`` and one
  column per census year named ``population_YYYY_census``.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from yesan.errors import LoadError
from yesan.ingest.batch import ProblemLog, file_sha256
from yesan.ingest.encoding import decode
from yesan.ingest.limits import read_bounded
from yesan.model import government_level, parent_code

_CENSUS_COLUMN = re.compile(r"^population_(\d{4})_census$")


@dataclass
class PopulationBatch:
    source_file: str
    sha256: str
    population: pa.Table  # gov_code, year, population, source
    governments: pa.Table | None  # code, name, level, parent_code, parent_name


def looks_like_population(header: list[str]) -> bool:
    names = set(header)
    return ("population" in names and "gov_code" in names) or any(_CENSUS_COLUMN.match(h) for h in header)


def read_population(path: Path, *, source: str | None = None) -> PopulationBatch:
    name = str(path)
    text, _encoding = decode(read_bounded(path, name, what="population table"), file=name)
    csv.field_size_limit(1 << 24)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = list(reader.fieldnames or [])
    if not looks_like_population(header):
        raise LoadError(
            f"{name}: not a population table",
            hint="expected columns gov_code, year, population (or laf_cd and population_YYYY_census)",
        )
    log = ProblemLog(name)
    rows: list[dict[str, object]] = []
    governments: list[dict[str, object]] = []
    census = {h: int(m.group(1)) for h in header if (m := _CENSUS_COLUMN.match(h))}
    try:
        records = list(reader)
    except csv.Error as error:
        raise LoadError(f"{name}: line {reader.line_num:,}: not valid CSV ({error})") from None
    for row_no, record in enumerate(records, start=1):
        code = (record.get("gov_code") or record.get("laf_cd") or "").strip()
        if not re.fullmatch(r"[0-9]{7}", code):
            log.error(row_no, "laf_cd" if "laf_cd" in record else "gov_code", code, "자치단체 code must be 7 digits")
            continue
        if census:
            for column, year in census.items():
                _add(rows, log, row_no, column, record.get(column), code, year, source or f"{year} 인구총조사")
            gov_name = (record.get("sigungu") or "").strip()
            if gov_name:
                governments.append(
                    {
                        "code": code,
                        "name": gov_name,
                        "level": government_level(code),
                        "parent_code": parent_code(code),
                        "parent_name": (record.get("sido") or "").strip() or None,
                    }
                )
        else:
            year_text = (record.get("year") or "").strip()
            if not re.fullmatch(r"(19|20)[0-9]{2}", year_text):
                log.error(row_no, "year", year_text, "not a year")
                continue
            label = (record.get("source") or "").strip() or source or "unspecified"
            _add(rows, log, row_no, "population", record.get("population"), code, int(year_text), label)
    _check_repeats(rows, log)
    log.raise_if_errors()
    if not rows:
        raise LoadError(f"{name}: the file holds no population figures")
    population = pa.Table.from_pylist(
        rows,
        schema=pa.schema(
            [("gov_code", pa.string()), ("year", pa.int16()), ("population", pa.int64()), ("source", pa.string())]
        ),
    )
    gov_table = (
        pa.Table.from_pylist(
            governments,
            schema=pa.schema([(c, pa.string()) for c in ("code", "name", "level", "parent_code", "parent_name")]),
        )
        if governments
        else None
    )
    return PopulationBatch(name, file_sha256(path), population, gov_table)


def _add(
    rows: list[dict[str, object]],
    log: ProblemLog,
    row_no: int,
    column: str,
    cell: str | None,
    code: str,
    year: int,
    source: str,
) -> None:
    value = (cell or "").strip().replace(",", "")
    if not value:
        return
    if not value.isascii() or not value.isdigit():
        log.error(row_no, column, cell, "population must be a whole number of people")
        return
    if len(value) > 10:
        log.error(row_no, column, cell, "population is too large (more than 10 digits)")
        return
    rows.append({"gov_code": code, "year": year, "population": int(value), "source": source, "row": row_no})


def _check_repeats(rows: list[dict[str, object]], log: ProblemLog) -> None:
    """One figure per government, year and source: a repeat with another figure is an error, an exact one is dropped."""
    seen: dict[tuple[object, object, object], dict[str, object]] = {}
    kept: list[dict[str, object]] = []
    for row in rows:
        first = seen.setdefault((row["gov_code"], row["year"], row["source"]), row)
        row_no, first_row = int(row["row"]), int(first["row"])  # type: ignore[call-overload]
        if first is row:
            kept.append(row)
        elif first["population"] != row["population"]:
            log.error(
                row_no,
                "population",
                str(row["population"]),
                f"{row['gov_code']} {row['year']} ({row['source']}) already has population {first['population']} "
                f"at row {first_row:,}; keep one of the two rows",
            )
        else:
            log.warn(row_no, "population", str(row["population"]), f"repeats row {first_row:,}")
    rows[:] = [{k: v for k, v in row.items() if k != "row"} for row in kept]
