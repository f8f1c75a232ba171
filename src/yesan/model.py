"""The budget model: what one line item is, in yesan's own column names.

Every reader in ``yesan.ingest`` turns its source into an Arrow table with exactly
``ITEM_SCHEMA``; the store keeps the same columns. Korean terms:

- 분야 field / 부문 sector: the functional classification (e.g. 사회복지 / 노인·청소년).
- 정책사업 program → 단위사업 unit → 세부사업 item: the program structure; the first two may be missing.
- 예산현액 budget: the budget in force (after 추경 and carry-overs); 편성액 allocated: the amount
  originally appropriated; 지출액 spent: paid out so far, cumulative to the snapshot date.
- Funding: 국비 national, 시도비 provincial, 시군구비 municipal (own funds), 기타 other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

import pyarrow as pa

#: Amount columns: integer won, never floats.
AMOUNT_COLUMNS: Final = (
    "budget",  # 예산현액
    "national",  # 국비
    "provincial",  # 시도비
    "municipal",  # 시군구비
    "other",  # 기타
    "spent",  # 지출액
    "allocated",  # 편성액
)

AMOUNT_LABELS_KO: Final = {
    "budget": "예산현액",
    "national": "국비",
    "provincial": "시도비",
    "municipal": "시군구비",
    "other": "기타",
    "spent": "지출액",
    "allocated": "편성액",
}

#: The funding columns that should add up to ``budget`` when all are present.
FUNDING_COLUMNS: Final = ("national", "provincial", "municipal", "other")

ITEM_SCHEMA: Final = pa.schema(
    [
        pa.field("row_no", pa.int64(), nullable=False),  # 1-based data record in the source file
        pa.field("gov_code", pa.string(), nullable=False),
        pa.field("gov_name", pa.string(), nullable=False),
        pa.field("parent_name", pa.string()),  # 광역 name for a 기초 government
        pa.field("fiscal_year", pa.int16(), nullable=False),
        pa.field("stage", pa.string(), nullable=False),  # see STAGES
        pa.field("exe_ymd", pa.date32()),  # snapshot date of execution figures
        pa.field("account", pa.string()),  # 회계구분 name as published
        pa.field("account_type", pa.string()),  # 일반회계 / 특별회계 / 기금
        pa.field("field_code", pa.string()),
        pa.field("field_name", pa.string()),  # 분야
        pa.field("sector_code", pa.string()),
        pa.field("sector_name", pa.string()),  # 부문
        pa.field("program_code", pa.string()),
        pa.field("program_name", pa.string()),  # 정책사업
        pa.field("unit_code", pa.string()),
        pa.field("unit_name", pa.string()),  # 단위사업
        pa.field("item_code", pa.string()),
        pa.field("item_name", pa.string(), nullable=False),  # 세부사업
        *(pa.field(name, pa.int64()) for name in AMOUNT_COLUMNS),
    ]
)

ITEM_COLUMNS: Final = tuple(ITEM_SCHEMA.names)

#: Columns that identify one item within one snapshot.
ITEM_KEY: Final = ("gov_code", "account", "item_code", "item_name")
#: The item level's group key (``yesan.query.common.LEVELS["item"]``).
ITEM_LEVEL_KEY: Final = ("gov_code", "gov_name", "account", "item_code", "item_name")
#: ``meta`` keys ``unique_items:<snapshot_id>`` = ``true``/``false``: whether no two rows of the snapshot share an
#: ``ITEM_LEVEL_KEY``, written at load (``yesan.store.facts``) and read by ``yesan.query`` to skip a GROUP BY.
UNIQUE_ITEMS_META_PREFIX: Final = "unique_items:"

ACCOUNT_TYPES: Final = ("일반회계", "특별회계", "기금")

#: Datasets of figures *by government* (one amount per government and year), not line items. Their snapshots
#: are never picked as "the latest snapshot" and never summed with line items: ``yesan.query.tables`` leaves
#: them out of ``Tables.items`` and keeps them in ``Tables.all_items`` for the questions that name them
#: (``yesan compare --dataset``, ``/compare?before=…&after=…``).
FIGURE_DATASETS: Final = frozenset({"lofin365.GJSCS"})


def is_figure_dataset(dataset: str) -> bool:
    """True for a dataset of figures by government (``FIGURE_DATASETS``), False for line items."""
    return dataset in FIGURE_DATASETS


_STAGE_FIXED: Final = ("예산안", "본예산", "결산", "현액")
_CHOO_RE: Final = re.compile(r"^(?:제\s*)?(\d{1,2})\s*(?:회|차)?\s*추(?:가)?경(?:정)?(?:예산)?$|^추경\s*(\d{1,2})$")

STAGES_HELP: Final = (
    "예산안 (proposal), 본예산 (enacted), 추경1, 추경2, … (supplementary), 결산 (settled accounts), "
    "현액 (the budget in force on the snapshot date, as lofin365 execution data reports it)"
)


def normalize_stage(text: str) -> str:
    """Return the canonical stage name for ``text`` or raise ``ValueError``.

    Accepts the canonical names, English aliases and the usual Korean spellings of supplementary
    budgets (``추경1``, ``추경 2``, ``제1회 추경``, ``1차 추가경정예산``).
    """
    cleaned = text.strip()
    aliases = {
        "proposal": "예산안",
        "proposed": "예산안",
        "enacted": "본예산",
        "original": "본예산",
        "settled": "결산",
        "final": "결산",
        "current": "현액",
        "예산현액": "현액",
    }
    if cleaned in _STAGE_FIXED:
        return cleaned
    if cleaned.lower() in aliases:
        return aliases[cleaned.lower()]
    if cleaned in aliases:
        return aliases[cleaned]
    match = _CHOO_RE.match(cleaned)
    if match:
        number = int(match.group(1) or match.group(2))
        if number >= 1:
            return f"추경{number}"
    raise ValueError(f"unknown budget stage {text!r}; use one of: {STAGES_HELP}")


def account_type(account: str | None) -> str | None:
    """Classify a 회계구분 name as 일반회계, 특별회계 or 기금."""
    if not account:
        return None
    name = account.strip()
    if name == "일반회계":
        return "일반회계"
    if name.endswith("기금"):
        return "기금"
    if "특별회계" in name or name.endswith("회계"):
        return "특별회계"
    return None


def government_level(code: str) -> str:
    """광역 or 기초 from a lofin365 자치단체 code (7 digits; ``xx000x0`` is a 광역 본청)."""
    return "광역" if len(code) == 7 and code[2:5] == "000" else "기초"


def parent_code(code: str) -> str | None:
    """The 광역 본청 code a lofin365 기초 code belongs to (same first two digits)."""
    if len(code) != 7 or not code.isdigit() or government_level(code) == "광역":
        return None
    return code[:2] + "00000"


@dataclass(frozen=True)
class Government:
    code: str
    name: str
    level: str  # 광역 / 기초
    parent_code: str | None
    parent_name: str | None


@dataclass(frozen=True)
class PopulationRecord:
    gov_code: str
    year: int
    population: int
    source: str


def matches_item_schema(schema: pa.Schema) -> bool:
    """True when ``schema`` has ITEM_SCHEMA's columns in order and types (text may be dictionary-encoded)."""
    if schema.names != ITEM_SCHEMA.names:
        return False
    for expected, actual in zip(ITEM_SCHEMA, schema, strict=True):
        if actual.type == expected.type:
            continue
        if pa.types.is_dictionary(actual.type) and actual.type.value_type == expected.type:
            continue
        return False
    return True


#: What a verdict can rest on, strongest first (issue 13): an official line item (dataset, snapshot, row); a
#: sum of official items or an aggregate the government published as data; a figure the government
#: announced (a press release, a budget speech), as reported; figures in other outlets' reports
#: (corroboration, not confirmation).
EVIDENCE_TIERS: Final[tuple[str, ...]] = ("official_item", "official_aggregate", "announced", "reported")
