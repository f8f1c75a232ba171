"""Foreign fiscal data package resources: validate against the declared Table Schema, then map
fields to yesan's columns through ``columnType`` (budget taxonomy), the ``model``'s measures and
the generic header recognition, and build items like a generic table (``table_rows``)."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

from yesan.errors import LoadError
from yesan.ingest.batch import Batch, ProblemLog
from yesan.ingest.encoding import decode
from yesan.ingest.limits import shown
from yesan.ingest.mapping import recognise_header, resolve_columns, split_mapping
from yesan.ingest.table_rows import build_items
from yesan.ingest.tabular import table_settings
from yesan.model import AMOUNT_COLUMNS

#: Foreign columnType → yesan column (amounts are decided separately).
_COLUMN_TYPES: Final = {
    "date:fiscal-year": "fiscal_year",
    "date:generic": "exe_ymd",
    "administrative-classification:generic:level1:code": "gov_code",
    "administrative-classification:generic:level1:label": "gov_name",
    "geo:source:code": "gov_code",
    "geo:source:title": "gov_name",
    "functional-classification:generic:level1:code": "field_code",
    "functional-classification:generic:level1:label": "field_name",
    "functional-classification:generic:level2:code": "sector_code",
    "functional-classification:generic:level2:label": "sector_name",
    "functional-classification:cofog:division:code": "field_code",
    "functional-classification:cofog:division:label": "field_name",
    "functional-classification:cofog:group:code": "sector_code",
    "functional-classification:cofog:group:label": "sector_name",
    "activity:generic:program:code": "program_code",
    "activity:generic:program:label": "program_name",
    "activity:generic:subprogram:code": "unit_code",
    "activity:generic:subprogram:label": "unit_name",
    "activity:generic:project:code": "item_code",
    "activity:generic:project:label": "item_name",
    "fund:generic:label": "account",
    "fund:label": "account",
}


class ForeignOptions:
    def __init__(
        self,
        mapping: Mapping[str, str] | None,
        fiscal_year: int | None,
        stage: str | None,
        government: tuple[str, str] | None,
    ) -> None:
        self.mapping = mapping
        self.fiscal_year = fiscal_year
        self.stage = stage
        self.government = government


def read_foreign(
    file: Path,
    resource: dict[str, Any],
    schema: dict[str, Any],
    descriptor: dict[str, Any],
    options: ForeignOptions,
    name: str,
) -> Batch:
    log = ProblemLog(str(file))
    payload = file.read_bytes()
    records = _csv_records(file, payload, resource)
    fields: list[dict[str, Any]] = schema["fields"]
    names = [str(field["name"]) for field in fields]
    dialect = resource.get("dialect") if isinstance(resource.get("dialect"), dict) else {}
    if (dialect or {}).get("header", True) is not False:
        if not records:
            raise LoadError(f"{file}: the file is empty (no header row)")
        header = [(cell or "").strip() for cell in records[0]]
        if header != names:
            raise LoadError(
                f"{file}: the header {shown(', '.join(header))} does not match the schema's fields "
                f"({', '.join(names)})",
                hint="the CSV's columns must be the schema's fields, in the same order",
            )
        records = records[1:]
    missing = schema.get("missingValues", [""])
    missing_values = {str(v) for v in missing} if isinstance(missing, list) else {""}
    rows = [
        [None if cell is None or cell in missing_values or not cell.strip() else cell.strip() for cell in r]
        for r in records
    ]
    _validate(rows, fields, schema, log)
    log.raise_if_errors("the resource does not match its schema")
    columns_map, defaults = split_mapping(options.mapping)
    typed = _typed_mapping(fields, descriptor)
    plan_mapping = {**typed, **columns_map}
    plan = resolve_columns(names, plan_mapping, log)
    if not plan.has("item_name"):
        raise LoadError(
            f"{file}: no item name field: no field has columnType activity:generic:project:label "
            "or a recognised name (세부사업명, dbiz_nm, item_name, …)",
            hint="map it, e.g. --map item_name=<field>",
        )
    if not plan.has("budget"):
        raise LoadError(
            f"{file}: no amount field: no field has columnType value or a recognised name (예산액, budget, …)",
            hint="map it, e.g. --map budget=<field>",
        )
    year = options.fiscal_year
    if year is None and "fiscal_year" not in defaults and not plan.has("fiscal_year"):
        year = _fiscal_period_year(descriptor)
    title = [str(descriptor.get(key)) for key in ("title", "name") if descriptor.get(key)]
    settings = table_settings(str(file), log, plan, title, defaults, year, options.stage, options.government, None)
    for column, scale in _factors(fields, descriptor, plan.index, names).items():
        if "unit" not in defaults:
            settings.scales[column] = scale
    items, counts = build_items(str(file), rows, plan, settings, log)
    log.raise_if_errors()
    package = str(descriptor.get("name") or file.parent.name)
    return Batch(
        dataset=f"fdp:{package}/{name}",
        source_file=str(file),
        sha256=hashlib.sha256(payload).hexdigest(),
        items=items,
        warnings=log.warnings,
        counts=counts,
        description=str(resource.get("title") or descriptor.get("title") or ""),
    )


def _csv_records(file: Path, payload: bytes, resource: dict[str, Any]) -> list[list[str | None]]:
    declared = str(resource.get("encoding") or "").lower().replace("_", "-")
    if declared in ("", "utf-8", "utf8"):
        text = decode(payload, file=str(file))[0]
        if declared and payload and _is_cp949(payload):
            raise LoadError(
                f'{file}: the descriptor says UTF-8 but the file is CP949; fix "encoding" or re-save as UTF-8'
            )
    else:
        try:
            text = payload.decode(declared)
        except LookupError as error:
            raise LoadError(f"{file}: unknown encoding {declared!r} in the descriptor") from error
        except UnicodeDecodeError as error:
            raise LoadError(
                f"{file}: not {declared} text: byte 0x{payload[error.start]:02X} at offset {error.start:,}"
            ) from error
    dialect = resource.get("dialect") if isinstance(resource.get("dialect"), dict) else {}
    assert isinstance(dialect, dict)
    delimiter = str(dialect.get("delimiter", "\t" if str(resource.get("format")) == "tsv" else ","))
    quote = str(dialect.get("quoteChar", '"'))
    if len(delimiter) != 1 or len(quote) != 1:
        raise LoadError(f"{file}: the dialect's delimiter and quoteChar must be single characters")
    reader = csv.reader(
        io.StringIO(text, newline=""),
        delimiter=delimiter,
        quotechar=quote,
        doublequote=bool(dialect.get("doubleQuote", True)),
        skipinitialspace=bool(dialect.get("skipInitialSpace", False)),
        escapechar=dialect.get("escapeChar") or None,
    )
    try:
        return [list(record) for record in reader if record]
    except csv.Error as error:
        raise LoadError(f"{file}: line {reader.line_num:,}: not valid CSV ({error})") from error


def _is_cp949(payload: bytes) -> bool:
    try:
        payload.decode("utf-8-sig")
    except UnicodeDecodeError:
        return True
    return False


_INTEGER: Final = re.compile(r"^[+-]?[0-9]+$")
_NUMBER: Final = re.compile(r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$|^(?:NaN|INF|-INF)$")
_YEAR: Final = re.compile(r"^-?[0-9]{4}$")
_TRUE: Final = ("true", "True", "TRUE", "1")
_FALSE: Final = ("false", "False", "FALSE", "0")


def _validate(
    rows: list[list[str | None]], fields: list[dict[str, Any]], schema: dict[str, Any], log: ProblemLog
) -> None:
    """Check every cell against its field's declared type and constraints."""
    primary = schema.get("primaryKey") or []
    primary = [primary] if isinstance(primary, str) else list(primary)
    width = len(fields)
    for number, row in enumerate(rows, start=1):
        if len(row) != width:
            log.error(number, None, None, f"the row has {len(row)} cells but the schema has {width} fields")
    for index, field in enumerate(fields):
        name = str(field["name"])
        kind = str(field.get("type", "string"))
        constraints = field.get("constraints") if isinstance(field.get("constraints"), dict) else {}
        assert isinstance(constraints, dict)
        required = bool(constraints.get("required")) or name in primary
        check = _checker(field, kind)
        for number, row in enumerate(rows, start=1):
            value = row[index] if index < len(row) else None
            if value is None:
                if required:
                    log.error(number, name, "", "a value is required (the schema says required)")
                continue
            if check is not None and not check(value):
                log.error(number, name, value, f"not a valid {kind} (the schema declares {kind})")


def _checker(field: dict[str, Any], kind: str) -> Any:
    group = str(field.get("groupChar") or "")
    decimal = str(field.get("decimalChar") or ".")
    bare = field.get("bareNumber", True) is not False

    def numeric(value: str) -> str:
        text = value.replace(group, "") if group else value
        if not bare:
            text = re.sub(r"^[^0-9+\-.]+|[^0-9.]+$", "", text)
        return text.replace(decimal, ".") if decimal != "." else text

    if kind == "integer":
        return lambda value: bool(_INTEGER.match(numeric(value)))
    if kind == "number":
        return lambda value: bool(_NUMBER.match(numeric(value)))
    if kind == "year":
        return lambda value: bool(_YEAR.match(value))
    if kind == "boolean":
        true = field.get("trueValues", _TRUE)
        false = field.get("falseValues", _FALSE)
        return lambda value: value in true or value in false
    if kind == "date":
        fmt = str(field.get("format") or "default")
        pattern = "%Y-%m-%d" if fmt == "default" else fmt if "%" in fmt else None
        if pattern is None:
            return None

        def is_date(value: str) -> bool:
            try:
                dt.datetime.strptime(value, pattern)
            except ValueError:
                return False
            return True

        return is_date
    return None


def _typed_mapping(fields: list[dict[str, Any]], descriptor: dict[str, Any]) -> dict[str, str]:
    """yesan column → field name from ``columnType`` (and the ``model``'s measures)."""
    result: dict[str, str] = {}
    values: list[dict[str, Any]] = []
    for field in fields:
        column_type = str(field.get("columnType") or "")
        if column_type == "value":
            values.append(field)
        elif column_type in _COLUMN_TYPES and _COLUMN_TYPES[column_type] not in result:
            result[_COLUMN_TYPES[column_type]] = str(field["name"])
    model = descriptor.get("model")
    if not values and isinstance(model, dict) and isinstance(model.get("measures"), dict):
        names = {str(field["name"]): field for field in fields}
        for measure in model["measures"].values():
            if isinstance(measure, dict) and str(measure.get("source")) in names:
                values.append({**names[str(measure["source"])], **{k: v for k, v in measure.items() if k == "phase"}})
    by_phase: dict[str, str] = {}
    unplaced: list[str] = []
    for field in values:
        name = str(field["name"])
        known = recognise_header(name)
        if known in AMOUNT_COLUMNS and known not in result:
            result[known] = name
            continue
        phase = str(field.get("phase") or "")
        if phase and phase not in by_phase:
            by_phase[phase] = name
        else:
            unplaced.append(name)
    if "budget" not in result:
        for phase in ("adjusted", "approved", "proposed"):
            if phase in by_phase:
                result["budget"] = by_phase.pop(phase)
                break
    if "budget" not in result and unplaced:
        result["budget"] = unplaced.pop(0)
    if "executed" in by_phase and "spent" not in result:
        result["spent"] = by_phase.pop("executed")
    if "approved" in by_phase and "allocated" not in result:
        result["allocated"] = by_phase.pop("approved")
    return result


def _factors(
    fields: list[dict[str, Any]], descriptor: dict[str, Any], index: dict[str, int], names: list[str]
) -> dict[str, int]:
    """Scale of each amount column from the field's or the model measure's ``factor``."""
    factors: dict[str, int] = {}
    model = descriptor.get("model")
    measures = model.get("measures") if isinstance(model, dict) else None
    by_source: dict[str, object] = {}
    if isinstance(measures, dict):
        for measure in measures.values():
            if isinstance(measure, dict) and "factor" in measure:
                by_source[str(measure.get("source"))] = measure["factor"]
    for column in AMOUNT_COLUMNS:
        if column not in index:
            continue
        field = fields[index[column]]
        factor = field.get("factor", by_source.get(names[index[column]]))
        if (
            isinstance(factor, int | float)
            and not isinstance(factor, bool)
            and factor >= 1
            and float(factor).is_integer()
        ):
            factors[column] = int(factor)
    return factors


def _fiscal_period_year(descriptor: dict[str, Any]) -> int | None:
    period = descriptor.get("fiscalPeriod")
    if not isinstance(period, dict):
        return None
    start = str(period.get("start") or "")
    end = str(period.get("end") or start)
    if re.match(r"^\d{4}", start) and start[:4] == end[:4]:
        return int(start[:4])
    return None
