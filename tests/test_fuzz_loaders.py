"""Fuzzing every loader in-process: whatever the bytes, ``read_path`` returns validated batches or raises a
``YesanError`` (never another exception), a batch that validates always loads into a store, and amounts written
into a file in any of the forms yesan accepts come back as exactly the same integer won.

Inputs are the small QWGJK file (CSV, gzip, JSON rows, API envelope), a generic budget table, a population
table, a reported-figures table and a data package, each mutated by hypothesis: cells replaced with hostile text,
bytes inserted, deleted or flipped, the file cut short, re-encoded, or replaced by random bytes or random JSON.
``YESAN_FUZZ_EXAMPLES`` cases per test (default 60; the long run: ``YESAN_FUZZ_EXAMPLES=20000 pytest -m fuzz``).
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SMALL_QWGJK
from test_fuzz_money import PIECES, near_misses
from yesan.errors import YesanError
from yesan.ingest import Batch, PopulationBatch, ReadOptions, ReportedBatch, read_path
from yesan.model import ITEM_SCHEMA
from yesan.money import format_won
from yesan.store import Store

pytestmark = pytest.mark.fuzz

EXAMPLES = int(os.environ.get("YESAN_FUZZ_EXAMPLES", "60"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    derandomize=EXAMPLES <= 1000,
)
INT64_MAX = 2**63 - 1

QWGJK_TEXT = SMALL_QWGJK.read_text(encoding="utf-8")
QWGJK_ROWS = list(csv.reader(io.StringIO(QWGJK_TEXT, newline="")))
TABLE_TEXT = """2026년도 가상군 세출예산 사업명세서
(단위: 천원)
분야,부문,세부사업명,예산액,국비,군비
사회복지,노인,경로당 냉난방 지원,"1,200",600,600
사회복지,노인,어르신 일자리,"3,000","1,500","1,500"
사회복지 소계,,,"4,200","2,100","2,100"
환경,폐기물,재활용품 수거,800,0,800
합계,,,"5,000","2,100","2,900"
"""
POPULATION_TEXT = "gov_code,year,population,source\n4711000,2024,25000,인구총조사\n4712000,2024,31000,인구총조사\n"
REPORTED_TEXT = (
    "subject_ko,amount_krw,stage,kind,prior_year_amount_krw,change_pct,sources,amount_ko\n"
    "가나시 총예산,1250000000000,proposal,total,1180000000000,5.9,A,1조2500억원\n"
    "어르신 무료 급식,4200000000,proposal,allocation,,,A,42억원\n"
)
OPTIONS = ReadOptions(government=("4711000", "가나군"), fiscal_year=2026)
REPORTED_OPTIONS = ReadOptions(fiscal_year=2026, extra={"government": "가나시"})

hostile = st.one_of(
    st.text(max_size=30),
    st.lists(st.sampled_from(PIECES), max_size=8).map("".join),
    near_misses(),
    st.sampled_from(["", " ", '"', '""', ",", "\n", "\r\n", "0x1F", "1e20", "NaN", "--5", "12억abc", "1,2,3"]),
    st.sampled_from([str(2**63), str(-(2**63) - 1), "9" * 40, "=cmd|' /C calc'!A0", "<script>alert(1)</script>"]),
)


# --- mutations ------------------------------------------------------------------------------------------------


def csv_text(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


@st.composite
def mutated_rows(draw: st.DrawFn, rows: list[list[str]]) -> str:
    """The table with a few cells (header included) replaced by hostile text, rows dropped or repeated."""
    table = [list(row) for row in rows]
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        r = draw(st.integers(min_value=0, max_value=len(table) - 1))
        c = draw(st.integers(min_value=0, max_value=max(len(table[r]) - 1, 0)))
        if table[r]:
            table[r][c] = draw(hostile)
    action = draw(st.sampled_from(["none", "drop", "repeat", "extra_field", "short_row"]))
    r = draw(st.integers(min_value=1, max_value=len(table) - 1))
    if action == "drop":
        del table[r]
    elif action == "repeat":
        table.insert(r, list(table[r]))
    elif action == "extra_field":
        table[r].append(draw(hostile))
    elif action == "short_row":
        table[r] = table[r][:-1]
    return csv_text(table)


@st.composite
def mutated_bytes(draw: st.DrawFn, data: bytes) -> bytes:
    """``data`` with byte edits, cut short, or replaced entirely."""
    kind = draw(st.sampled_from(["edit", "edit", "truncate", "random", "prefix"]))
    if kind == "random":
        return draw(st.binary(min_size=0, max_size=2048))
    if kind == "truncate":
        return data[: draw(st.integers(min_value=0, max_value=len(data)))]
    if kind == "prefix":
        return draw(st.sampled_from([b"\xef\xbb\xbf", b"\xff\xfe", b"\x1f\x8b", b"PK\x03\x04", b"<html>", b"["])) + data
    edited = bytearray(data)
    for _ in range(draw(st.integers(min_value=1, max_value=6))):
        position = draw(st.integers(min_value=0, max_value=max(len(edited) - 1, 0)))
        byte = draw(st.integers(min_value=0, max_value=255))
        action = draw(st.sampled_from(["insert", "delete", "replace"]))
        if action == "insert" or not edited:
            edited.insert(position, byte)
        elif action == "delete":
            del edited[position]
        else:
            edited[position] = byte
    return bytes(edited)


def encodings(text: str) -> st.SearchStrategy[bytes]:
    def encode(encoding: str) -> bytes:
        return text.encode(encoding, errors="replace")

    return st.sampled_from(["utf-8", "utf-8-sig", "cp949", "utf-16", "latin-1"]).map(encode)


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), hostile),
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(hostile, children, max_size=4)),
    max_leaves=20,
)


@st.composite
def qwgjk_json(draw: st.DrawFn) -> bytes:
    header, *rows = QWGJK_ROWS
    records: list[Any] = [dict(zip(header, row, strict=True)) for row in rows]
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        record = records[draw(st.integers(min_value=0, max_value=len(records) - 1))]
        record[draw(st.sampled_from([*header, "extra"]))] = draw(json_values)
    shape = draw(st.sampled_from(["rows", "lines", "envelope", "random"]))
    if shape == "random":
        document: Any = draw(json_values)
    elif shape == "envelope":
        total = draw(st.one_of(st.just(len(records)), json_values))
        code = draw(st.one_of(st.sampled_from(["INFO-000", "INFO-200", "337", "ERROR-300"]), json_values))
        document = {"QWGJK": [{"head": [{"list_total_count": total}, {"RESULT": {"CODE": code}}]}, {"row": records}]}
    else:
        document = records
    if shape == "lines":
        return "\n".join(json.dumps(r, ensure_ascii=False) for r in records).encode()
    return json.dumps(document, ensure_ascii=False).encode()


# --- running ----------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def folder() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="yesan-fuzz-") as name:
        yield Path(name)


def read(path: Path, options: ReadOptions | None = None) -> list[Batch | PopulationBatch | ReportedBatch] | None:
    """``read_path``; None when it refused the input with a YesanError. Any other exception fails the test."""
    try:
        batches = read_path(path, options)
    except YesanError as error:
        assert str(error).strip(), "an error without a message"
        return None
    for batch in batches:
        if isinstance(batch, Batch):
            assert batch.items.schema.names == ITEM_SCHEMA.names
            for name in ("budget", "national", "spent"):
                values = batch.items.column(name).to_pylist()
                assert all(v is None or (isinstance(v, int) and -INT64_MAX <= v <= INT64_MAX) for v in values)
    return batches


def write(folder: Path, name: str, data: bytes) -> Path:
    target = folder / name
    target.write_bytes(data)
    return target


@FUZZ
@given(st.data())
def test_qwgjk_csv_mutations_are_loaded_or_refused(folder: Path, data: st.DataObject) -> None:
    text = data.draw(mutated_rows(QWGJK_ROWS))
    raw = data.draw(st.one_of(encodings(text), mutated_bytes(text.encode())))
    if data.draw(st.booleans()):
        raw = gzip.compress(raw, mtime=0)
        if data.draw(st.booleans()):
            raw = data.draw(mutated_bytes(raw))
    read(write(folder, "qwgjk.csv.gz" if raw[:2] == b"\x1f\x8b" else "qwgjk.csv", raw))


@FUZZ
@given(qwgjk_json())
def test_qwgjk_json_mutations_are_loaded_or_refused(folder: Path, raw: bytes) -> None:
    read(write(folder, "qwgjk.json", raw))


@FUZZ
@given(st.data())
def test_table_mutations_are_loaded_or_refused(folder: Path, data: st.DataObject) -> None:
    rows = list(csv.reader(io.StringIO(TABLE_TEXT, newline="")))
    text = data.draw(mutated_rows(rows))
    raw = data.draw(st.one_of(encodings(text), mutated_bytes(text.encode("cp949", errors="replace"))))
    kind = data.draw(st.sampled_from(["auto", "table"]))
    options = ReadOptions(
        kind=kind, government=OPTIONS.government, fiscal_year=data.draw(st.sampled_from([None, 2026]))
    )
    read(write(folder, data.draw(st.sampled_from(["table.csv", "table.tsv", "table.xls", "table.txt"])), raw), options)


@FUZZ
@given(st.data())
def test_population_and_reported_mutations_are_loaded_or_refused(folder: Path, data: st.DataObject) -> None:
    base = data.draw(st.sampled_from([POPULATION_TEXT, REPORTED_TEXT]))
    rows = list(csv.reader(io.StringIO(base, newline="")))
    text = data.draw(mutated_rows(rows))
    raw = data.draw(st.one_of(encodings(text), mutated_bytes(text.encode())))
    options = REPORTED_OPTIONS if base is REPORTED_TEXT else None
    read(write(folder, "figures.csv", raw), options)


@FUZZ
@given(st.data())
def test_data_package_mutations_are_loaded_or_refused(folder: Path, data: st.DataObject) -> None:
    package = folder / "package"
    package.mkdir(exist_ok=True)
    for old in package.iterdir():
        old.unlink()
    fields = [{"name": "세부사업명", "type": "string"}, {"name": "예산액", "type": "integer"}]
    resource: dict[str, Any] = {"path": "data.csv", "schema": {"fields": fields}}
    for _ in range(data.draw(st.integers(min_value=0, max_value=3))):
        key = data.draw(st.sampled_from(["path", "schema", "format", "name", "encoding", "profile", "dialect"]))
        resource[key] = data.draw(json_values)
    descriptor: Any = {"resources": [resource]} if data.draw(st.integers(0, 4)) else data.draw(json_values)
    (package / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
    rows = [["세부사업명", "예산액"], ["경로당 지원", "1000"], ["도로 정비", "2000"]]
    (package / "data.csv").write_bytes(data.draw(mutated_rows(rows)).encode())
    read(package, ReadOptions(government=OPTIONS.government, fiscal_year=2026))


@FUZZ
@given(st.binary(max_size=4096), st.sampled_from(["x.csv", "x.json", "x.xlsx", "x.parquet", "x.csv.gz", "x.html"]))
def test_random_bytes_under_any_name_are_refused_cleanly(folder: Path, raw: bytes, name: str) -> None:
    read(write(folder, name, raw))


# --- what validates, loads; what is written, comes back ----------------------------------------------------------


@settings(max_examples=max(EXAMPLES // 10, 20), deadline=None, suppress_health_check=list(HealthCheck))
@given(st.data())
def test_a_batch_that_validates_always_loads(folder: Path, data: st.DataObject) -> None:
    text = data.draw(mutated_rows(QWGJK_ROWS))
    batches = read(write(folder, "loadable.csv", text.encode()))
    if not batches:
        return
    db = folder / "loadable.duckdb"
    db.unlink(missing_ok=True)
    with Store.open(db) as store:
        result = store.load([b for b in batches if isinstance(b, Batch)])
        assert sum(s.rows for s in result.snapshots) == sum(b.items.num_rows for b in batches)


AMOUNT_FORMS = ("plain", "commas", "korean", "triangle")


def written(value: int, form: str) -> str:
    if form == "plain":
        return str(value)
    if form == "commas":
        return f"{value:,}"
    if form == "korean":
        return format_won(value)
    return ("△" if value < 0 else "") + f"{abs(value):,}"


@FUZZ
@given(
    st.lists(st.integers(min_value=-(10**15), max_value=10**15), min_size=1, max_size=6),
    st.sampled_from(AMOUNT_FORMS),
)
def test_amounts_written_in_a_table_load_as_exactly_the_same_won(folder: Path, values: list[int], form: str) -> None:
    lines = ["회계연도,세부사업명,예산액"] + [f'2026,사업 {i},"{written(v, form)}"' for i, v in enumerate(values)]
    batches = read(write(folder, "amounts.csv", ("\n".join(lines) + "\n").encode()), OPTIONS)
    assert batches, "a table of well-formed amounts was refused"
    batch = batches[0]
    assert isinstance(batch, Batch)
    assert batch.items.column("budget").to_pylist() == values


@FUZZ
@given(st.lists(st.integers(min_value=0, max_value=INT64_MAX), min_size=1, max_size=6))
def test_qwgjk_amounts_load_exactly_up_to_int64(folder: Path, values: list[int]) -> None:
    header, first, *_ = QWGJK_ROWS
    rows = [header]
    for i, value in enumerate(values):
        row = list(first)
        row[header.index("dbiz_cd")] = f"9{i:015d}"
        row[header.index("bdg_cash_amt")] = str(value)
        rows.append(row)
    batches = read(write(folder, "exact.csv", csv_text(rows).encode()))
    assert batches
    batch = batches[0]
    assert isinstance(batch, Batch)
    assert batch.items.column("budget").to_pylist() == values
