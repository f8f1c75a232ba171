"""The synthetic QWGJK generator of benchmarks/generate.py: deterministic, valid, loadable."""

from __future__ import annotations

import datetime as dt
import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pyarrow as pa
import pyarrow.compute as pc
import pytest

ROWS = 5000
YEARS = [2025, 2026]


def _load_generator() -> ModuleType:
    path = Path(__file__).resolve().parents[1] / "benchmarks" / "generate.py"
    spec = importlib.util.spec_from_file_location("yesan_benchmarks_generate", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


gen = _load_generator()


@pytest.fixture(scope="module")
def table() -> pa.Table:
    result: pa.Table = gen.generate(ROWS, YEARS, 7)
    return result


def _text(table: pa.Table, name: str) -> list[str]:
    return [str(v) for v in table.column(name).cast(pa.string()).to_pylist()]


def test_deterministic_for_a_seed(table: pa.Table) -> None:
    assert gen.generate(ROWS, YEARS, 7).equals(table)
    assert not gen.generate(ROWS, YEARS, 8).equals(table)


def test_shape(table: pa.Table) -> None:
    assert table.num_rows == ROWS
    assert tuple(table.column_names) == gen.FIELDS
    assert sorted(set(_text(table, "fyr"))) == [str(y) for y in YEARS]
    for name in gen.AMOUNT_FIELDS:
        assert table.column(name).type == pa.int64()
        assert table.column(name).null_count == 0


def test_keys_are_unique(table: pa.Table) -> None:
    keys = pa.table({name: table.column(name).cast(pa.string()) for name in gen.KEY})
    assert keys.group_by(list(gen.KEY)).aggregate([]).num_rows == ROWS


def test_funding_adds_up_to_budget(table: pa.Table) -> None:
    funding = pc.add(
        pc.add(table.column("bdg_ntep"), table.column("capep")),
        pc.add(table.column("sggep"), table.column("etc_amt")),
    )
    assert pc.all(pc.equal(funding, table.column("bdg_cash_amt"))).as_py()
    for name in gen.AMOUNT_FIELDS:
        assert pc.min(table.column(name)).as_py() >= 0


def test_codes_and_dates_are_valid(table: pa.Table) -> None:
    for code in set(_text(table, "laf_cd")):
        assert re.fullmatch(r"[0-9]{7}", code) and code[2:5] != "000", code
    assert all(re.fullmatch(r"[0-9]{11}3[0-9A-F]{4}", code) for code in set(_text(table, "dbiz_cd")))
    for year, day in set(zip(_text(table, "fyr"), _text(table, "exe_ymd"), strict=True)):
        assert dt.datetime.strptime(day, "%Y%m%d").year == int(year)
    assert all(_text(table, "dbiz_nm")) and all(_text(table, "acnt_dv_nm"))


def test_items_change_between_years(table: pa.Table) -> None:
    years = _text(table, "fyr")
    keys = list(zip(_text(table, "laf_cd"), _text(table, "dbiz_cd"), _text(table, "acnt_dv_nm"), strict=True))
    first = {k for k, y in zip(keys, years, strict=True) if y == "2025"}
    second = {k for k, y in zip(keys, years, strict=True) if y == "2026"}
    assert first - second and second - first and len(first & second) > 0.7 * len(first)


def test_several_exe_dates_spend_more_later() -> None:
    table = gen.generate(2000, [2026], 3, exe_dates=["0331", "1231"])
    spent = {
        day: pc.sum(table.filter(pc.equal(table.column("exe_ymd").cast(pa.string()), day)).column("ep_amt"))
        for day in ("20260331", "20261231")
    }
    assert spent["20260331"].as_py() < spent["20261231"].as_py()


@pytest.mark.parametrize("fmt", ["csv", "csv.gz", "parquet"])
def test_output_loads_through_read_qwgjk(table: pa.Table, tmp_path: Path, fmt: str) -> None:
    lofin365 = pytest.importorskip("yesan.ingest.lofin365")
    path = tmp_path / f"synthetic.{fmt}"
    gen.write(table, path, fmt)
    batch = lofin365.read_qwgjk(path)
    assert batch.items.num_rows == ROWS
    assert batch.counts.get("funding_mismatch", 0) == 0
    assert pc.sum(batch.items.column("budget")).as_py() == pc.sum(table.column("bdg_cash_amt")).as_py()
