"""Single line items with everything known about them, including where each figure came from."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from yesan.errors import QueryError
from yesan.model import AMOUNT_COLUMNS
from yesan.query.compiled import arrow


@dataclass(frozen=True)
class ItemRecord:
    """One 세부사업 row as stored, with its provenance."""

    fields: dict[str, Any]  # every ITEM_SCHEMA column (amounts as int won)
    snapshot_id: int
    source_id: int
    dataset: str
    source_file: str
    sha256: str
    loaded_at: str

    @property
    def amounts(self) -> dict[str, int | None]:
        return {name: self.fields[name] for name in AMOUNT_COLUMNS}

    def citation(self) -> str:
        """A one-line citation a journalist can paste: dataset, snapshot date, file and record."""
        as_of = self.fields.get("exe_ymd")
        date = f", {as_of} 기준" if as_of else ""
        return f"{self.dataset}{date}, {self.source_file} row {self.fields['row_no']:,} (sha256 {self.sha256[:12]}…)"


def find_items(
    tables: Any,
    *,
    item_code: str | None = None,
    gov_code: str | None = None,
    snapshot_ids: tuple[int, ...] | None = None,
    row: tuple[int, int, int] | None = None,
    limit: int = 50,
) -> list[ItemRecord]:
    """Items by 세부사업 code (optionally in one government) or by (snapshot_id, source_id, row_no)."""
    if item_code is None and row is None:
        raise QueryError("give an item code (dbiz_cd) or a (snapshot, source, row) reference")
    items, sources, snapshots = tables.items, tables.sources, tables.snapshots
    selected = items
    if item_code is not None:
        selected = selected.filter(selected.item_code == item_code.strip())
    if gov_code is not None:
        selected = selected.filter(selected.gov_code == gov_code)
    if snapshot_ids:
        selected = selected.filter(selected.snapshot_id.isin(list(snapshot_ids)))
    if row is not None:
        snapshot_id, source_id, row_no = row
        selected = selected.filter(
            (selected.snapshot_id == snapshot_id) & (selected.source_id == source_id) & (selected.row_no == row_no)
        )
    joined = selected.join(sources.select("source_id", "file", "sha256", "loaded_at"), "source_id").join(
        snapshots.select("snapshot_id", "dataset"), "snapshot_id"
    )
    records = arrow(joined.order_by(["snapshot_id", "gov_code", "row_no"]).limit(limit)).to_pylist()
    result = []
    for record in records:
        result.append(
            ItemRecord(
                fields={k: v for k, v in record.items() if k not in ("file", "sha256", "loaded_at", "dataset")},
                snapshot_id=int(record["snapshot_id"]),
                source_id=int(record["source_id"]),
                dataset=str(record["dataset"]),
                source_file=str(record["file"]),
                sha256=str(record["sha256"]),
                loaded_at=str(record["loaded_at"]),
            )
        )
    return result
