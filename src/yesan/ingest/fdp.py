"""Frictionless (Fiscal) Data Packages: export line items, and read them back or from elsewhere.

``write_package`` writes ``datapackage.json`` (profile ``fiscal-data-package``, with an
OpenSpending-style ``model`` and per-field ``columnType`` from the budget taxonomy) and one UTF-8
CSV per resource, each a ``tabular-data-resource`` with a full Table Schema. Each resource keeps
its provenance under a custom ``yesan`` property, so ``read_package`` gives back exactly the
tables, dataset names, source files and hashes that were written.

``read_package`` also reads foreign fiscal data packages: fields are mapped through their
``columnType`` (``value``, ``functional-classification:generic:level1:label``,
``administrative-classification:generic:level1:code``, ``date:fiscal-year``, ``activity:…``),
the rest through the same header recognition as generic tables. Every resource is first
validated against its declared schema (types, required values); problems name the resource
file, the 1-based data row (header not counted) and the field.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path, PurePosixPath
from typing import Any, Final

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

import yesan
from yesan.errors import LoadError
from yesan.ingest import columns as conv
from yesan.ingest.batch import Batch, ProblemLog
from yesan.ingest.fdp_foreign import ForeignOptions, read_foreign
from yesan.ingest.mapping import validate_mapping
from yesan.model import AMOUNT_COLUMNS, AMOUNT_LABELS_KO, ITEM_COLUMNS, ITEM_SCHEMA

DESCRIPTOR: Final = "datapackage.json"
FORMAT: Final = "yesan-items"
FORMAT_VERSION: Final = 1
PROFILE: Final = "fiscal-data-package"

#: Table Schema and budget-taxonomy description of every ITEM_SCHEMA column.
_FIELD_INFO: Final[dict[str, tuple[str, str | None]]] = {
    # name: (title, columnType)
    "row_no": ("원본 행 번호 (source data record, 1-based)", None),
    "gov_code": ("자치단체코드", "administrative-classification:generic:level1:code"),
    "gov_name": ("자치단체명", "administrative-classification:generic:level1:label"),
    "parent_name": ("광역자치단체명", None),
    "fiscal_year": ("회계연도", "date:fiscal-year"),
    "stage": ("예산 단계", "phase:label"),
    "exe_ymd": ("기준일자", "date:generic"),
    "account": ("회계구분", None),
    "account_type": ("회계유형 (일반회계/특별회계/기금)", None),
    "field_code": ("분야코드", "functional-classification:generic:level1:code"),
    "field_name": ("분야", "functional-classification:generic:level1:label"),
    "sector_code": ("부문코드", "functional-classification:generic:level2:code"),
    "sector_name": ("부문", "functional-classification:generic:level2:label"),
    "program_code": ("정책사업코드", "activity:generic:program:code"),
    "program_name": ("정책사업", "activity:generic:program:label"),
    "unit_code": ("단위사업코드", "activity:generic:subprogram:code"),
    "unit_name": ("단위사업", "activity:generic:subprogram:label"),
    "item_code": ("세부사업코드", "activity:generic:project:code"),
    "item_name": ("세부사업", "activity:generic:project:label"),
    **{name: (f"{AMOUNT_LABELS_KO[name]} (원)", "value") for name in AMOUNT_COLUMNS},
}
_PHASES: Final = {"budget": "adjusted", "allocated": "approved", "spent": "executed"}


# ---------------------------------------------------------------------------------------------
# writing


def write_package(out_dir: Path, resources: Sequence[tuple[dict[str, object], pa.Table]]) -> Path:
    """Write a fiscal data package with one CSV per ``(metadata, items)`` pair; return the
    descriptor's path.

    ``items`` has the ``ITEM_SCHEMA`` columns; ``metadata`` describes the snapshot (``name`` or
    ``dataset``, ``fiscal_year``, ``stage``, ``exe_ymd``, ``source_file``, ``sha256``,
    ``loaded_at``, …) and is kept verbatim (dates as ISO text) in the resource's ``yesan`` property.
    Existing files of the same names are replaced; other files in ``out_dir`` are left alone.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    entries: list[dict[str, Any]] = []
    sources: list[dict[str, Any]] = []
    used: set[str] = set()
    for number, (metadata, table) in enumerate(resources, start=1):
        items = _conform(table, number)
        meta = {str(key): _jsonable(value) for key, value in metadata.items()}
        label = str(meta.get("name") or meta.get("dataset") or "items")
        name = _resource_name(label, number, used)
        target = out_dir / f"{name}.csv"
        temporary = target.with_name(target.name + ".tmp")
        pacsv.write_csv(items, temporary, pacsv.WriteOptions(include_header=True, quoting_style="needed"))
        temporary.replace(target)
        payload = target.read_bytes()
        source_file = meta.get("source_file")
        entry: dict[str, Any] = {
            "name": name,
            "title": label,
            "path": target.name,
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "bytes": len(payload),
            "hash": "sha256:" + hashlib.sha256(payload).hexdigest(),
            "dialect": {"delimiter": ",", "doubleQuote": True, "header": True, "quoteChar": '"'},
            "schema": _schema(items),
            "yesan": {"format": FORMAT, "version": FORMAT_VERSION, "rows": items.num_rows, "metadata": meta},
        }
        if source_file:
            source = {"title": str(source_file), "path": str(source_file)}
            if meta.get("sha256"):
                source["sha256"] = str(meta["sha256"])
            entry["sources"] = [source]
            if source not in sources:
                sources.append(source)
        entries.append(entry)
    descriptor: dict[str, Any] = {
        "profile": PROFILE,
        "name": "yesan-export",
        "title": "yesan line items (세부사업별 예산)",
        "created": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        "currency": "KRW",
        "sources": sources,
        "resources": entries,
        "model": _model(),
        "yesan": {"format": FORMAT, "version": FORMAT_VERSION, "generator": f"yesan {yesan.__version__}"},
    }
    path = out_dir / DESCRIPTOR
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    temporary.replace(path)
    return path


def _conform(table: pa.Table, number: int) -> pa.Table:
    missing = [name for name in ITEM_COLUMNS if name not in table.column_names]
    if missing:
        raise ValueError(f"resource {number}: the table lacks the column(s) {', '.join(missing)}")
    return table.select(list(ITEM_COLUMNS)).cast(ITEM_SCHEMA)


def _jsonable(value: object) -> object:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return str(value)


def _resource_name(label: str, number: int, used: set[str]) -> str:
    slug = re.sub(r"[^a-z0-9._-]+", "-", label.lower()).strip("-._")
    name = f"{number:02d}-{slug}" if slug else f"{number:02d}-items"
    while name in used:
        name += "-x"
    used.add(name)
    return name


def _schema(items: pa.Table) -> dict[str, Any]:
    fields: list[dict[str, Any]] = []
    for field in ITEM_SCHEMA:
        title, column_type = _FIELD_INFO[field.name]
        kind = "integer" if pa.types.is_integer(field.type) else "date" if pa.types.is_date(field.type) else "string"
        entry: dict[str, Any] = {"name": field.name, "title": title, "type": kind, "format": "default"}
        if column_type:
            entry["columnType"] = column_type
        if field.name in _PHASES:
            entry["phase"] = _PHASES[field.name]
        if not field.nullable:
            entry["constraints"] = {"required": True}
        fields.append(entry)
    schema: dict[str, Any] = {"fields": fields, "missingValues": [""]}
    for key in (["row_no"], ["gov_code", "row_no"], ["gov_code", "fiscal_year", "stage", "row_no"]):
        if _unique(items, key):
            schema["primaryKey"] = key
            break
    return schema


def _unique(items: pa.Table, key: list[str]) -> bool:
    if items.num_rows == 0:
        return True
    grouped = items.select(key).group_by(key).aggregate([])
    return bool(grouped.num_rows == items.num_rows)


def _model() -> dict[str, Any]:
    def attrs(
        *names: str, label_for: dict[str, str] | None = None, parents: dict[str, str] | None = None
    ) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for name in names:
            attr: dict[str, Any] = {"source": name, "title": _FIELD_INFO[name][0]}
            if label_for and name in label_for:
                attr["labelfor"] = label_for[name]
            if parents and name in parents:
                attr["parent"] = parents[name]
            result[name] = attr
        return result

    measures = {
        name: {
            "source": name,
            "title": AMOUNT_LABELS_KO[name],
            "currency": "KRW",
            "factor": 1,
            "direction": "expenditure",
        }
        | ({"phase": _PHASES[name]} if name in _PHASES else {})
        for name in AMOUNT_COLUMNS
    }
    dimensions = {
        "government": {
            "dimensionType": "entity",
            "attributes": attrs("gov_code", "gov_name", "parent_name", label_for={"gov_name": "gov_code"}),
            "primaryKey": ["gov_code"],
        },
        "fiscal_year": {
            "dimensionType": "datetime",
            "attributes": attrs("fiscal_year"),
            "primaryKey": ["fiscal_year"],
        },
        "stage": {"dimensionType": "other", "attributes": attrs("stage", "exe_ymd"), "primaryKey": ["stage"]},
        "functional_classification": {
            "dimensionType": "classification",
            "classificationType": "functional",
            "attributes": attrs(
                "field_code",
                "field_name",
                "sector_code",
                "sector_name",
                label_for={"field_name": "field_code", "sector_name": "sector_code"},
                parents={"sector_code": "field_code"},
            ),
            "primaryKey": ["field_name", "sector_name"],
        },
        "program": {
            "dimensionType": "activity",
            "attributes": attrs(
                "program_code",
                "program_name",
                "unit_code",
                "unit_name",
                "item_code",
                "item_name",
                label_for={
                    "program_name": "program_code",
                    "unit_name": "unit_code",
                    "item_name": "item_code",
                },
                parents={"unit_code": "program_code", "item_code": "unit_code"},
            ),
            "primaryKey": ["item_code", "item_name"],
        },
        "account": {
            "dimensionType": "classification",
            "classificationType": "fund",
            "attributes": attrs("account", "account_type"),
            "primaryKey": ["account"],
        },
        "source_row": {"dimensionType": "other", "attributes": attrs("row_no"), "primaryKey": ["row_no"]},
    }
    return {"measures": measures, "dimensions": dimensions}


# ---------------------------------------------------------------------------------------------
# reading


def read_package(
    path: Path,
    *,
    mapping: Mapping[str, str] | None = None,
    fiscal_year: int | None = None,
    stage: str | None = None,
    government: tuple[str, str] | None = None,
) -> list[Batch]:
    """Read every resource of a data package (``datapackage.json`` or its folder) as a ``Batch``.

    Packages written by ``write_package`` come back exactly. Foreign packages are mapped through
    ``columnType`` and header recognition; ``mapping``, ``fiscal_year``, ``stage`` and
    ``government`` work as for ``read_table`` and fill what the package does not say.
    """
    return [
        batch
        for _meta, batch in read_resources(
            path, mapping=mapping, fiscal_year=fiscal_year, stage=stage, government=government
        )
    ]


def read_resources(
    path: Path,
    *,
    mapping: Mapping[str, str] | None = None,
    fiscal_year: int | None = None,
    stage: str | None = None,
    government: tuple[str, str] | None = None,
) -> list[tuple[dict[str, object], Batch]]:
    """Like ``read_package`` but also return each resource's ``yesan`` metadata (empty if foreign)."""
    descriptor_path = path / DESCRIPTOR if path.is_dir() else path
    descriptor = _load_descriptor(descriptor_path)
    base = descriptor_path.parent
    resources = descriptor.get("resources")
    if not isinstance(resources, list) or not resources:
        raise LoadError(f'{descriptor_path}: the descriptor has no resources (a non-empty "resources" list)')
    validate_mapping(mapping or {}, "mapping")
    results: list[tuple[dict[str, object], Batch]] = []
    for number, resource in enumerate(resources, start=1):
        where = f"{descriptor_path}: resource {number}"
        if not isinstance(resource, dict):
            raise LoadError(f"{where} is not an object")
        name = resource.get("name") or f"resource-{number}"
        where = f"{descriptor_path}: resource {number} ({name})"
        if resource.get("profile") == "data-resource" and "schema" not in resource:
            continue  # a non-tabular attachment (documentation, images)
        file = _resource_file(resource, base, where)
        schema = _resource_schema(resource, base, where)
        own = resource.get("yesan")
        if isinstance(own, dict) and own.get("format") == FORMAT:
            results.append(_read_own(file, resource, schema, own, where))
        else:
            options = ForeignOptions(mapping, fiscal_year, stage, government)
            results.append(({}, read_foreign(file, resource, schema, descriptor, options, str(name))))
    return results


def _load_descriptor(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as error:
        raise LoadError(f"{path}: no such data package descriptor (expected {DESCRIPTOR})") from error
    except OSError as error:
        raise LoadError(f"{path}: cannot read the descriptor ({error.strerror or error})") from error
    except UnicodeDecodeError as error:
        raise LoadError(f"{path}: the descriptor is not UTF-8 (byte offset {error.start:,})") from error
    try:
        descriptor = json.loads(text)
    except json.JSONDecodeError as error:
        raise LoadError(f"{path}: not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}") from error
    if not isinstance(descriptor, dict):
        raise LoadError(f"{path}: the descriptor must be a JSON object")
    own = descriptor.get("yesan")
    if isinstance(own, dict) and isinstance(own.get("version"), int) and own["version"] > FORMAT_VERSION:
        raise LoadError(f"{path}: written by a newer yesan (format version {own['version']}); upgrade yesan to read it")
    return descriptor


def _resource_file(resource: dict[str, Any], base: Path, where: str) -> Path:
    if "data" in resource and "path" not in resource:
        raise LoadError(f'{where}: inline data is not supported; put the rows in a CSV file and name it in "path"')
    target = resource.get("path")
    if isinstance(target, list):
        raise LoadError(f"{where}: multi-part resources are not supported; join the parts into one CSV")
    if not isinstance(target, str) or not target:
        raise LoadError(f'{where}: "path" must name the resource\'s CSV file')
    if re.match(r"^[a-z][a-z0-9+.-]*://", target, re.IGNORECASE):
        raise LoadError(f"{where}: {target!r} is remote; download it next to {DESCRIPTOR} and use a relative path")
    pure = PurePosixPath(target)
    if pure.is_absolute() or ".." in pure.parts or re.match(r"^[A-Za-z]:", target):
        raise LoadError(f"{where}: path {target!r} must be relative to the descriptor, without '..'")
    file = _inside(base, pure, target, where)
    if not file.is_file():
        raise LoadError(f"{where}: the file {target!r} does not exist next to the descriptor")
    fmt = str(resource.get("format") or file.suffix.lstrip(".")).lower()
    if fmt not in ("csv", "tsv", "txt", ""):
        raise LoadError(f"{where}: format {fmt!r} is not supported; resources must be CSV")
    return file


def _inside(base: Path, pure: PurePosixPath, target: str, where: str) -> Path:
    """``base / pure``, refused when it resolves outside the package folder (a symbolic link out of it)."""
    file = base.joinpath(*pure.parts)
    try:
        file.resolve().relative_to(base.resolve())
    except ValueError:
        raise LoadError(
            f"{where}: {target!r} leads outside the package folder (a symbolic link to a file elsewhere); "
            "nothing was read from it",
            hint=f"copy the file into the folder of {DESCRIPTOR} instead of linking to it",
        ) from None
    return file


def _resource_schema(resource: dict[str, Any], base: Path, where: str) -> dict[str, Any]:
    schema = resource.get("schema")
    if isinstance(schema, str):
        pure = PurePosixPath(schema)
        if pure.is_absolute() or ".." in pure.parts or "://" in schema:
            raise LoadError(f"{where}: schema path {schema!r} must be relative, without '..'")
        schema = _load_descriptor(_inside(base, pure, schema, where))
    if not isinstance(schema, dict):
        raise LoadError(f'{where}: no table schema ("schema" with "fields")')
    fields = schema.get("fields")
    if not isinstance(fields, list) or not fields:
        raise LoadError(f"{where}: the schema has no fields")
    for index, field in enumerate(fields, start=1):
        if not isinstance(field, dict) or not isinstance(field.get("name"), str) or not field["name"]:
            raise LoadError(f"{where}: schema field {index} has no name")
    return schema


# --- our own exports ------------------------------------------------------------------------


def _read_own(
    file: Path, resource: dict[str, Any], schema: dict[str, Any], own: dict[str, Any], where: str
) -> tuple[dict[str, object], Batch]:
    names = [field["name"] for field in schema["fields"]]
    if names != list(ITEM_COLUMNS):
        raise LoadError(
            f"{where}: the schema's fields are not yesan's item columns (written by another yesan version?); "
            f"expected {', '.join(ITEM_COLUMNS)}"
        )
    log = ProblemLog(str(file))
    payload = file.read_bytes()
    declared = resource.get("hash")
    actual = "sha256:" + hashlib.sha256(payload).hexdigest()
    if isinstance(declared, str) and declared.startswith("sha256:") and declared != actual:
        log.warn(
            None,
            None,
            None,
            "the file changed since it was exported (its hash differs from the descriptor's)",
        )
    header = payload.split(b"\n", 1)[0].decode("utf-8", "replace").lstrip("\ufeff").strip().split(",")
    if [h.strip('"') for h in header] != names:
        raise LoadError(f"{file}: the CSV header does not match the schema's fields ({', '.join(names)})")
    try:
        raw = pacsv.read_csv(
            io.BytesIO(payload),
            read_options=pacsv.ReadOptions(encoding="utf8"),
            parse_options=pacsv.ParseOptions(newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                null_values=[""],
                strings_can_be_null=True,
                quoted_strings_can_be_null=True,
            ),
        )
    except (pa.ArrowInvalid, UnicodeDecodeError) as error:
        raise LoadError(f"{file}: not a readable CSV ({error})") from error
    arrays: list[pa.Array] = []
    for field in ITEM_SCHEMA:
        column = raw.column(field.name).combine_chunks()
        if field.name == "fiscal_year":
            values = conv.years(column, field.name, log)
        elif pa.types.is_integer(field.type):
            values = _integers(column, field.name, log)
        elif pa.types.is_date(field.type):
            values = conv.dates(column, field.name, log)
        else:
            values = column
        if not field.nullable and column.null_count:
            for index in pc.indices_nonzero(pc.is_null(column)).to_pylist()[:50]:
                log.error(index + 1, field.name, "", "required value is missing")
        arrays.append(values.cast(field.type))
    log.raise_if_errors("the exported package does not match its schema")
    table = pa.Table.from_arrays(arrays, schema=ITEM_SCHEMA)
    meta: dict[str, object] = dict(own.get("metadata") or {})
    batch = Batch(
        dataset=str(meta.get("dataset") or meta.get("name") or resource.get("name")),
        source_file=str(meta.get("source_file") or file),
        sha256=str(meta.get("sha256") or hashlib.sha256(payload).hexdigest()),
        items=table,
        warnings=log.warnings,
        counts={
            "rows_read": table.num_rows,
            "items": table.num_rows,
            "subtotals_checked": 0,
            "blank_rows": 0,
        },
        description=str(meta.get("description") or ""),
    )
    return meta, batch


def _integers(column: pa.Array, name: str, log: ProblemLog) -> pa.Array:
    ok = pc.fill_null(pc.match_substring_regex(column, r"^-?[0-9]{1,19}$"), True)
    long = pc.fill_null(pc.match_substring_regex(column, r"^-?[0-9]{19}$"), False)
    if pc.any(long).as_py():
        cells = column.to_pylist()
        fits = [not flag or -(2**63) <= int(cells[i]) < 2**63 for i, flag in enumerate(long.to_pylist())]
        ok = pc.and_(ok, pa.array(fits))
    if not pc.all(ok).as_py():
        cells = column.to_pylist()
        for index in pc.indices_nonzero(pc.invert(ok)).to_pylist():
            log.error(index + 1, name, cells[index], "not a 64-bit integer (the schema declares integer)")
        column = pc.if_else(ok, column, None)
    return pc.cast(column, pa.int64())
