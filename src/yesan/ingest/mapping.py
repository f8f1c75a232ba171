"""Which source column holds which of yesan's columns: header recognition and user mappings.

A *mapping* is a ``dict[str, str]``: yesan column name → source header, e.g.
``{"item_name": "세부사업명", "budget": "예산액(천원)"}``. Defaults for values the file does not
contain travel in the same dict under ``defaults.<name>`` keys (``"defaults.fiscal_year": "2026"``),
so a mapping file's ``[defaults]`` table survives being passed around as one dict.

Without a mapping, common Korean headers (and lofin365 API field names, and yesan's own column
names) are recognised by ``recognise_header``. Matching ignores spaces, line breaks, the width of
brackets and letters (NFKC) and ASCII case, and a unit suffix like ``(천원)`` or ``[단위:백만원]``,
which sets that column's unit instead.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from yesan.errors import LoadError
from yesan.ingest.batch import ProblemLog
from yesan.model import AMOUNT_COLUMNS, ITEM_COLUMNS
from yesan.money import parse_unit

#: yesan columns a source column can be mapped to (``row_no`` and ``account_type`` are derived).
MAPPABLE_COLUMNS: Final = tuple(name for name in ITEM_COLUMNS if name not in ("row_no", "account_type"))

#: Values a mapping may supply for the whole file, under ``defaults.<name>``.
DEFAULT_KEYS: Final = (
    "fiscal_year",
    "stage",
    "unit",
    "gov_code",
    "gov_name",
    "parent_name",
    "exe_ymd",
    "account",
    "dataset",
    "sheet",
)
DEFAULT_PREFIX: Final = "defaults."

#: Recognised headers per yesan column, most specific first: when two headers of one file mean
#: the same column, the earlier one in this list is used and the other is reported as unused.
HEADER_ALIASES: Final[dict[str, tuple[str, ...]]] = {
    "item_name": ("세부사업명", "세부사업", "사업명", "dbiz_nm", "item_name"),
    "item_code": ("세부사업코드", "사업코드", "dbiz_cd", "item_code"),
    "field_name": ("분야명", "분야", "fld_nm", "field_name"),
    "field_code": ("분야코드", "fld_cd", "field_code"),
    "sector_name": ("부문명", "부문", "part_nm", "sect_nm", "sector_name"),
    "sector_code": ("부문코드", "ane_part_cd", "part_cd", "sector_code"),
    "program_name": ("정책사업명", "정책사업", "pbiz_nm", "program_name"),
    "program_code": ("정책사업코드", "pbiz_cd", "program_code"),
    "unit_name": ("단위사업명", "단위사업", "ubiz_nm", "unit_name"),
    "unit_code": ("단위사업코드", "ubiz_cd", "unit_code"),
    "account": ("회계구분명", "회계구분", "회계명", "회계", "acnt_dv_nm", "account"),
    "budget": ("예산현액", "예산액", "금액", "예산", "본예산", "bdg_cash_amt", "budget"),
    "national": ("국비", "bdg_ntep", "national"),
    "provincial": ("시도비", "도비", "시비", "capep", "provincial"),
    "municipal": ("시군구비", "군비", "구비", "sggep", "municipal"),
    "other": ("기타", "기타재원", "etc_amt", "other"),
    "spent": ("지출액", "집행액", "ep_amt", "spent"),
    "allocated": ("편성액", "cpl_amt", "allocated"),
    "fiscal_year": ("회계연도", "연도", "년도", "fyr", "fiscal_year"),
    "gov_name": ("자치단체명", "자치단체", "지자체명", "지자체", "laf_hg_nm", "gov_name"),
    "gov_code": ("자치단체코드", "지자체코드", "laf_cd", "gov_code"),
    "parent_name": ("광역자치단체명", "시도명", "wa_laf_hg_nm", "parent_name"),
    "stage": ("예산구분", "stage"),
    "exe_ymd": ("기준일자", "기준일", "exe_ymd"),
}

_UNIT_SUFFIX: Final = re.compile(r"^(?P<base>.*?)[(\[<]\s*(?P<unit>(?:단위\s*[:：]?\s*)?[^()\[\]<>]*원)\s*[)\]>]$")
_SPACES: Final = re.compile(r"\s+")


def _key(text: str) -> str:
    """Matching form of a header: NFKC, no whitespace, ASCII lower case."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", text)).lower()


_ALIAS_INDEX: Final[dict[str, tuple[str, int]]] = {
    _key(alias): (column, rank) for column, aliases in HEADER_ALIASES.items() for rank, alias in enumerate(aliases)
}


def split_header(text: str) -> tuple[str, int | None]:
    """Split ``"예산액(천원)"`` into the matching key ``"예산액"`` and the unit 1000.

    A header without a unit suffix returns ``(key, None)``.
    """
    key = _key(text)
    match = _UNIT_SUFFIX.match(key)
    if match and match.group("base"):
        unit_text = match.group("unit")
        unit = 1 if re.sub(r"^단위[:：]?", "", unit_text) == "원" else parse_unit(unit_text)
        if unit is not None:
            return match.group("base"), unit
    return key, None


def recognise_header(text: str) -> str | None:
    """The yesan column a source header means, or ``None`` (``"예산액 (천원)"`` → ``"budget"``)."""
    found = _ALIAS_INDEX.get(split_header(text)[0])
    return found[0] if found else None


def is_item_name_header(text: str, mapping: Mapping[str, str] | None = None) -> bool:
    """Whether a cell is the item-name header (the mapped one when the mapping names it)."""
    if mapping and "item_name" in mapping:
        return _same_header(text, mapping["item_name"])
    return recognise_header(text) == "item_name"


def _same_header(cell: str, wanted: str) -> bool:
    return _key(cell) == _key(wanted) or split_header(cell)[0] == split_header(wanted)[0]


@dataclass
class ColumnPlan:
    """Where each yesan column is in the source: column index, header text and header unit."""

    headers: list[str]
    index: dict[str, int] = field(default_factory=dict)
    units: dict[str, int] = field(default_factory=dict)
    unused: list[int] = field(default_factory=list)

    def header(self, column: str) -> str:
        return self.headers[self.index[column]]

    def has(self, column: str) -> bool:
        return column in self.index

    def amount_columns(self) -> list[str]:
        return [name for name in AMOUNT_COLUMNS if name in self.index]


def resolve_columns(
    headers: Sequence[str | None],
    mapping: Mapping[str, str] | None,
    log: ProblemLog,
    *,
    has_data: Sequence[bool] | None = None,
    recognise: bool = True,
) -> ColumnPlan:
    """Decide which source column holds which yesan column.

    Mapped columns come first (a mapped header missing from the file is a ``LoadError`` listing the
    headers there are); the remaining headers are recognised automatically when ``recognise``.
    Headers that stay unused get a warning (blank headers only when their column has data).
    """
    texts = [(cell or "").strip() for cell in headers]
    plan = ColumnPlan(headers=texts)
    taken: set[int] = set()
    for column, wanted in (mapping or {}).items():
        if column.startswith(DEFAULT_PREFIX):
            continue
        matches = [i for i, text in enumerate(texts) if text and _same_header(text, wanted)]
        if not matches:
            shown = ", ".join(repr(text) for text in texts if text) or "none"
            raise LoadError(
                f"{log.file}: the mapping says {column} is in column {wanted!r}, but the header row has no "
                f"such column (headers: {shown})",
                hint="fix the mapping to name one of these headers",
            )
        plan.index[column] = matches[0]
        taken.add(matches[0])
    warned: set[int] = set()
    if recognise:
        warned = _recognise(texts, plan, taken, log)
    for i, text in enumerate(texts):
        unit = split_header(text)[1] if text else None
        for column, position in plan.index.items():
            if position == i and unit is not None and column in AMOUNT_COLUMNS:
                plan.units[column] = unit
    used = set(plan.index.values())
    for i, text in enumerate(texts):
        if i in used:
            continue
        plan.unused.append(i)
        if i in warned:
            continue
        if text:
            log.warn(
                None,
                text,
                None,
                f"column not used: not a recognised header; map it (e.g. --map <column>={text}) to load it",
            )
        elif has_data is not None and i < len(has_data) and has_data[i]:
            log.warn(None, f"#{i + 1}", None, "column without a header is not used")
    return plan


def _recognise(texts: list[str], plan: ColumnPlan, taken: set[int], log: ProblemLog) -> set[int]:
    keys = [split_header(text)[0] if text else "" for text in texts]
    provincial_too = any(key in ("도비", "시도비") for key in keys)
    best: dict[str, tuple[int, int]] = {}
    losers: list[tuple[int, str]] = []
    for i, key in enumerate(keys):
        if i in taken or not key:
            continue
        found = _ALIAS_INDEX.get(key)
        if found is None:
            continue
        column, rank = found
        if key == "시비" and provincial_too:
            # 시비 next to 도비 is the city's own money (a 기초 시), not the province's.
            column, rank = "municipal", len(HEADER_ALIASES["municipal"])
        if column in plan.index:
            losers.append((i, column))
            continue
        current = best.get(column)
        if current is None or rank < current[1]:
            if current is not None:
                losers.append((current[0], column))
            best[column] = (i, rank)
        else:
            losers.append((i, column))
    for column, (i, _rank) in best.items():
        plan.index[column] = i
        taken.add(i)
    for i, column in losers:
        log.warn(
            None,
            texts[i],
            None,
            f"column not used: it also looks like {column}, which is taken from column "
            f"{texts[plan.index[column]]!r}; map it explicitly (--map {column}={texts[i]}) to use this one",
        )
    return {i for i, _column in losers}


# ---------------------------------------------------------------------------------------------
# mapping files and flags


def load_mapping_file(path: Path) -> dict[str, str]:
    """Read a TOML mapping file.

    ::

        [columns]
        item_name = "세부사업명"
        budget = "예산액(천원)"

        [defaults]          # optional: values for the whole file
        fiscal_year = 2026
        stage = "본예산"
        unit = "천원"

    Returns the columns as ``{yesan column: header}`` plus the defaults as
    ``{"defaults.fiscal_year": "2026", ...}`` (all values as text); ``read_table`` understands both.
    """
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as error:
        raise LoadError(f"{path}: cannot read the mapping file ({error.strerror or error})") from error
    except UnicodeDecodeError as error:
        raise LoadError(
            f"{path}: the mapping file is not UTF-8 (byte offset {error.start:,}); save it as UTF-8"
        ) from error
    except tomllib.TOMLDecodeError as error:
        raise LoadError(f"{path}: not a valid TOML mapping file: {error}") from error
    file = str(path)
    unknown = sorted(set(raw) - {"columns", "defaults"})
    if unknown:
        raise LoadError(f"{file}: unknown table(s) {', '.join(unknown)}; a mapping file has [columns] and [defaults]")
    columns = raw.get("columns", {})
    defaults = raw.get("defaults", {})
    if not isinstance(columns, dict) or not isinstance(defaults, dict):
        raise LoadError(f"{file}: [columns] and [defaults] must be tables")
    result: dict[str, str] = {}
    for name, header in columns.items():
        if not isinstance(header, str) or not header.strip():
            raise LoadError(f'{file}: [columns] {name} must be a header text, e.g. {name} = "세부사업명"')
        result[name] = header.strip()
    for name, value in defaults.items():
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise LoadError(f"{file}: [defaults] {name} must be a text or a whole number, not {value!r}")
        result[DEFAULT_PREFIX + name] = str(value).strip()
    validate_mapping(result, file)
    return result


def parse_mapping_flags(flags: Iterable[str]) -> dict[str, str]:
    """Parse ``["item_name=세부사업명", "budget=예산액(천원)", "defaults.fiscal_year=2026"]``."""
    result: dict[str, str] = {}
    for flag in flags:
        name, sep, header = flag.partition("=")
        name, header = name.strip(), header.strip()
        if not sep or not name or not header:
            raise LoadError(f"--map {flag!r}: expected <yesan column>=<source header>, e.g. item_name=세부사업명")
        result[name] = header
    validate_mapping(result, "--map")
    return result


def validate_mapping(mapping: Mapping[str, str], source: str) -> None:
    """Raise ``LoadError`` for mapping keys that are not yesan columns or default names."""
    for name in mapping:
        if name.startswith(DEFAULT_PREFIX):
            if name[len(DEFAULT_PREFIX) :] not in DEFAULT_KEYS:
                raise LoadError(f"{source}: unknown default {name!r}; defaults are: {', '.join(DEFAULT_KEYS)}")
        elif name not in MAPPABLE_COLUMNS:
            raise LoadError(f"{source}: {name!r} is not a yesan column; columns are: {', '.join(MAPPABLE_COLUMNS)}")


def split_mapping(mapping: Mapping[str, str] | None) -> tuple[dict[str, str], dict[str, str]]:
    """Separate a mapping into ``(columns, defaults)``; defaults lose their ``defaults.`` prefix."""
    columns: dict[str, str] = {}
    defaults: dict[str, str] = {}
    for name, value in (mapping or {}).items():
        if name.startswith(DEFAULT_PREFIX):
            defaults[name[len(DEFAULT_PREFIX) :]] = value
        else:
            columns[name] = value
    return columns, defaults
