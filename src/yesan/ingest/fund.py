"""지방소멸대응기금 by government and year, from the region table (``regions_107.csv``), as GJSCS-derived snapshots.

The region table holds, for each of the 107 governments, the 지방소멸대응기금 budget of 2024, 2025 and 2026 in
won (columns ``local_extinction_fund_YYYY``), summed from the 지방재정365 dataset GJSCS 기능별 재원별 세출예산
(field ``lcl_dspr_cntrm_fnd_amt``; see docs/fetch.md). Each year becomes one snapshot of dataset
``lofin365.GJSCS`` holding one item a government, so ``yesan compare --dataset lofin365.GJSCS`` can set two
real years side by side. It is a dataset of figures by government (``yesan.model.FIGURE_DATASETS``): never
summed with the QWGJK line items.

A 0 in the table is not loaded: the table does not say whether it means "no allocation" or "no GJSCS row",
so that government simply has no figure that year (a comparison lists it as new, not as grown from 0).
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Final

import pyarrow as pa

from yesan.errors import LoadError
from yesan.ingest.batch import Batch, ProblemLog, file_sha256
from yesan.ingest.encoding import decode
from yesan.ingest.limits import read_bounded
from yesan.model import ITEM_SCHEMA, government_level

DATASET: Final = "lofin365.GJSCS"
DESCRIPTION: Final = "지방재정365 GJSCS 기능별 재원별 세출예산: 지방소멸대응기금, via regions_107.csv"
ITEM_NAME: Final = "지방소멸대응기금"
#: The table calls these amounts the budget (세출예산) of the year, without saying 당초 or 최종: yesan files them
#: under 본예산, and the description says where they come from.
STAGE: Final = "본예산"
_FUND_COLUMN: Final = re.compile(r"^local_extinction_fund_(\d{4})$")


def read_fund(path: Path, *, source_name: str | None = None) -> list[Batch]:
    """One Batch a year (``local_extinction_fund_YYYY`` column), each row citing ``source_name`` row N."""
    name = source_name or str(path)
    text, _encoding = decode(read_bounded(path, str(path), what="region table"), file=name)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = list(reader.fieldnames or [])
    years = {h: int(m.group(1)) for h in header if (m := _FUND_COLUMN.match(h))}
    missing = [c for c in ("laf_cd", "sido", "sigungu") if c not in header]
    if missing or not years:
        wanted = ", ".join(missing) or "local_extinction_fund_YYYY"
        raise LoadError(f"{name}: not a region table with 지방소멸대응기금 columns; missing {wanted}")
    log = ProblemLog(name)
    records = list(reader)
    sha256 = file_sha256(path)
    batches = []
    for column, year in sorted(years.items(), key=lambda kv: kv[1]):
        rows: dict[str, list[object]] = {field.name: [] for field in ITEM_SCHEMA}
        for row_no, record in enumerate(records, start=1):
            code = (record.get("laf_cd") or "").strip()
            amount_text = (record.get(column) or "").strip()
            if not (len(code) == 7 and code.isdigit()):
                log.error(row_no, "laf_cd", code, "자치단체 code must be 7 digits")
                continue
            if not amount_text.isdigit():
                log.error(row_no, column, amount_text, "amount must be whole won (digits only)")
                continue
            if int(amount_text) == 0:
                continue
            values: dict[str, object] = {
                "row_no": row_no, "gov_code": code, "gov_name": (record.get("sigungu") or "").strip(),
                "parent_name": (record.get("sido") or "").strip() if government_level(code) == "기초" else None,
                "fiscal_year": year, "stage": STAGE, "exe_ymd": None, "account": "기금", "account_type": "기금",
                "field_code": None, "field_name": None, "sector_code": None, "sector_name": None,
                "program_code": None, "program_name": None, "unit_code": None, "unit_name": None,
                "item_code": None, "item_name": ITEM_NAME, "budget": int(amount_text), "national": None,
                "provincial": None, "municipal": None, "other": None, "spent": None, "allocated": None,
            }  # fmt: skip
            for key, value in values.items():
                rows[key].append(value)
        log.raise_if_errors()
        table = pa.table(rows, schema=ITEM_SCHEMA)
        batches.append(
            Batch(
                dataset=DATASET,
                source_file=name,
                sha256=sha256,
                items=table,
                counts={"rows_read": len(records), "items": table.num_rows},
                description=DESCRIPTION,
            )
        )
    return batches
