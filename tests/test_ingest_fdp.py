from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from yesan.errors import LoadError
from yesan.ingest.fdp import read_package, read_resources, write_package
from yesan.ingest.tabular import read_table
from yesan.model import AMOUNT_COLUMNS, ITEM_COLUMNS, ITEM_SCHEMA

DATA = Path(__file__).parent / "data" / "tabular"
GOV = ("9990000", "가상군")


def _items(rows: list[dict[str, Any]]) -> pa.Table:
    base: dict[str, Any] = dict.fromkeys(ITEM_COLUMNS)
    return pa.Table.from_pylist([{**base, **row} for row in rows], schema=ITEM_SCHEMA)


def _tricky_table() -> pa.Table:
    return _items(
        [
            {
                "row_no": 1,
                "gov_code": "9990100",
                "gov_name": "가상구",
                "parent_name": "가상시",
                "fiscal_year": 2026,
                "stage": "현액",
                "exe_ymd": dt.date(2026, 3, 31),
                "account": "일반회계",
                "account_type": "일반회계",
                "field_name": "환경",
                "item_code": "007",
                "item_name": 'quote " and, comma',
                "budget": -9_223_372_036_854_775_807,
                "national": 0,
                "spent": 12,
            },
            {
                "row_no": 2,
                "gov_code": "9990100",
                "gov_name": "가상구",
                "fiscal_year": 2026,
                "stage": "현액",
                "item_name": "줄바꿈\n있는 사업",
                "budget": 9_223_372_036_854_775_807,
            },
            {"row_no": 3, "gov_code": "9990100", "gov_name": "가상구", "fiscal_year": 2026, "stage": "현액",
             "item_name": "NA", "budget": 5},
        ]
    )  # fmt: skip


def test_round_trip_is_exact(tmp_path: Path) -> None:
    table = _tricky_table()
    meta: dict[str, object] = {
        "dataset": "lofin365.QWGJK",
        "fiscal_year": 2026,
        "stage": "현액",
        "exe_ymd": dt.date(2026, 3, 31),
        "source_file": "raw/qwgjk_2026.csv",
        "sha256": "ab" * 32,
        "loaded_at": dt.datetime(2026, 4, 1, 9, 30, tzinfo=dt.UTC),
    }
    descriptor = write_package(tmp_path / "out", [(meta, table)])
    assert descriptor == tmp_path / "out" / "datapackage.json"
    (batch,) = read_package(descriptor)
    assert batch.items.schema == ITEM_SCHEMA
    assert batch.items.equals(table)
    assert (batch.dataset, batch.source_file, batch.sha256) == (
        "lofin365.QWGJK",
        "raw/qwgjk_2026.csv",
        "ab" * 32,
    )
    ((got_meta, _),) = read_resources(tmp_path / "out")
    assert got_meta["loaded_at"] == "2026-04-01T09:30:00+00:00"
    assert got_meta["exe_ymd"] == "2026-03-31"


def test_round_trip_from_a_loaded_table(tmp_path: Path) -> None:
    first = read_table(DATA / "title_unit.csv", government=GOV)
    second = read_table(DATA / "bad_subtotal.csv".replace("bad_subtotal", "semicolon"), mapping={
        "item_name": "프로젝트", "budget": "총액", "fiscal_year": "사업연도"}, government=GOV)  # fmt: skip
    resources = [
        ({"name": b.dataset, "source_file": b.source_file, "sha256": b.sha256}, b.items) for b in (first, second)
    ]
    write_package(tmp_path, resources)
    batches = read_package(tmp_path)
    assert [b.items.equals(o.items) for b, o in zip(batches, (first, second), strict=True)] == [True, True]
    assert [b.dataset for b in batches] == ["table:title_unit", "table:semicolon"]


def test_descriptor_is_a_fiscal_data_package(tmp_path: Path) -> None:
    path = write_package(tmp_path, [({"dataset": "예산", "source_file": "a.csv", "sha256": "00"}, _tricky_table())])
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    assert descriptor["profile"] == "fiscal-data-package"
    assert descriptor["sources"] == [{"title": "a.csv", "path": "a.csv", "sha256": "00"}]
    measures = descriptor["model"]["measures"]
    assert set(measures) == set(AMOUNT_COLUMNS)
    assert {m["currency"] for m in measures.values()} == {"KRW"}
    dimensions = descriptor["model"]["dimensions"]
    assert dimensions["functional_classification"]["classificationType"] == "functional"
    assert {"government", "fiscal_year", "stage", "program", "account"} <= set(dimensions)
    (resource,) = descriptor["resources"]
    assert resource["profile"] == "tabular-data-resource"
    assert resource["name"] == "01-items"
    header = (tmp_path / resource["path"]).read_text(encoding="utf-8").split("\n", 1)[0]
    assert header.replace('"', "").split(",") == list(ITEM_COLUMNS)
    schema = resource["schema"]
    assert schema["missingValues"] == [""]
    assert schema["primaryKey"] == ["row_no"]
    types = {f["name"]: f["type"] for f in schema["fields"]}
    assert types["budget"] == "integer" and types["exe_ymd"] == "date" and types["item_name"] == "string"
    required = {f["name"] for f in schema["fields"] if f.get("constraints", {}).get("required")}
    assert required == {"row_no", "gov_code", "gov_name", "fiscal_year", "stage", "item_name"}
    column_types = {f["name"]: f.get("columnType") for f in schema["fields"]}
    assert column_types["fiscal_year"] == "date:fiscal-year"
    assert column_types["field_name"] == "functional-classification:generic:level1:label"
    assert resource["yesan"]["metadata"]["dataset"] == "예산"


def test_foreign_package_through_column_types() -> None:
    (batch,) = read_package(DATA / "foreign_fdp")
    got = batch.items.to_pylist()
    assert [r["item_name"] for r in got] == ["하천 쓰레기 수거", "마을 축제"]
    assert [r["budget"] for r in got] == [1_500_000, 2_500_000]
    assert [r["spent"] for r in got] == [700_000, None]
    assert {(r["gov_code"], r["gov_name"]) for r in got} == {("9990001", "가상읍")}
    assert [r["field_name"] for r in got] == ["환경", "문화"]
    assert {r["fiscal_year"] for r in got} == {2025}
    assert [r["row_no"] for r in got] == [1, 2]
    assert batch.dataset == "fdp:imaginary-town-spending/spending"
    assert batch.source_file.endswith("spending.csv")
    assert any(p.column == "econ" for p in batch.warnings)


def _foreign(tmp_path: Path) -> Path:
    target = tmp_path / "pkg"
    shutil.copytree(DATA / "foreign_fdp", target)
    return target


def _edit(package: Path, change: Any) -> None:
    path = package / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    change(descriptor)
    path.write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")


def test_foreign_package_schema_violations(tmp_path: Path) -> None:
    package = _foreign(tmp_path)
    csv_path = package / "spending.csv"
    csv_path.write_text(
        "town_code,town,year,function,econ,project,approved,executed\n"
        "9990001,가상읍,2025,환경,E1,하천 쓰레기 수거,1500000,700000\n"
        ",가상읍,20x5,문화,E2,,lots,1\n",
        encoding="utf-8",
    )
    with pytest.raises(LoadError) as raised:
        read_package(package)
    got = {(p.file, p.row, p.column) for p in raised.value.problems}
    file = str(csv_path)
    assert got == {(file, 2, "town_code"), (file, 2, "year"), (file, 2, "project"), (file, 2, "approved")}
    assert "does not match its schema" in str(raised.value)


def test_foreign_package_header_mismatch(tmp_path: Path) -> None:
    package = _foreign(tmp_path)
    (package / "spending.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(LoadError, match="does not match the schema's fields"):
        read_package(package)


def test_foreign_package_needs_an_item_field(tmp_path: Path) -> None:
    package = _foreign(tmp_path)

    def drop_type(descriptor: dict[str, Any]) -> None:
        for field in descriptor["resources"][0]["schema"]["fields"]:
            if field["name"] == "project":
                del field["columnType"]

    _edit(package, drop_type)
    with pytest.raises(LoadError, match="no item name field"):
        read_package(package)
    (batch,) = read_package(package, mapping={"item_name": "project"})
    assert batch.items.num_rows == 2


def test_malformed_descriptors(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="no such data package"):
        read_package(tmp_path)
    (tmp_path / "datapackage.json").write_text('{"resources": [\n  {"path": }\n]}', encoding="utf-8")
    with pytest.raises(LoadError, match="line 2"):
        read_package(tmp_path)
    (tmp_path / "datapackage.json").write_text("[]", encoding="utf-8")
    with pytest.raises(LoadError, match="JSON object"):
        read_package(tmp_path)
    (tmp_path / "datapackage.json").write_text('{"resources": []}', encoding="utf-8")
    with pytest.raises(LoadError, match="no resources"):
        read_package(tmp_path)


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("missing.csv", "does not exist"),
        ("../spending.csv", "without '..'"),
        ("/etc/passwd", "without '..'"),
        ("https://example.org/spending.csv", "remote"),
    ],
)
def test_bad_resource_paths(tmp_path: Path, path: str, message: str) -> None:
    package = _foreign(tmp_path)
    _edit(package, lambda d: d["resources"][0].update(path=path))
    with pytest.raises(LoadError, match=message):
        read_package(package)


def test_resource_without_schema(tmp_path: Path) -> None:
    package = _foreign(tmp_path)
    _edit(package, lambda d: d["resources"][0].pop("schema"))
    with pytest.raises(LoadError, match="no table schema"):
        read_package(package)


def test_edited_export_is_validated(tmp_path: Path) -> None:
    path = write_package(tmp_path, [({"dataset": "x", "source_file": "a.csv", "sha256": "00"}, _tricky_table())])
    csv_path = tmp_path / "01-x.csv"
    text = csv_path.read_text(encoding="utf-8")
    csv_path.write_text(text.replace('"NA",5,', '"NA",5.5,').replace("9990100", "", 1), encoding="utf-8")
    with pytest.raises(LoadError) as raised:
        read_package(path)
    got = {(p.row, p.column) for p in raised.value.problems}
    assert got == {(1, "gov_code"), (3, "budget")}


def test_changed_export_warns(tmp_path: Path) -> None:
    path = write_package(tmp_path, [({"dataset": "x"}, _tricky_table())])
    csv_path = tmp_path / "01-x.csv"
    csv_path.write_text(csv_path.read_text(encoding="utf-8").replace('"NA",5,', '"NA",6,'), encoding="utf-8")
    (batch,) = read_package(path)
    assert batch.items.column("budget").to_pylist()[-1] == 6
    assert any("changed since it was exported" in p.reason for p in batch.warnings)


def test_write_rejects_wrong_tables(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="lacks"):
        write_package(tmp_path, [({"dataset": "x"}, pa.table({"item_name": ["a"]}))])
