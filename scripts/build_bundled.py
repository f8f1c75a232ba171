"""Rebuild yesan's bundled data from ../shared/data (run by maintainers, not at install time).

The lofin365 snapshot is stored as Parquet with its QWGJK field names, typed columns, the original
record number (``_row``) and the original file's name and sha256 in the metadata, so that rows
loaded from the bundle cite the published file, not the bundle.
"""

from __future__ import annotations

import hashlib
import shutil
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data" / "lofin365"
OUT = ROOT / "src" / "yesan" / "data"
SNAPSHOT = "qwgjk_fyr2026_exe20260705.csv.gz"

TEXT = (
    "fyr",
    "exe_ymd",
    "wa_laf_hg_nm",
    "laf_cd",
    "laf_hg_nm",
    "acnt_dv_nm",
    "fld_nm",
    "part_nm",
    "dbiz_cd",
    "dbiz_nm",
)
AMOUNTS = ("bdg_cash_amt", "bdg_ntep", "capep", "sggep", "etc_amt", "ep_amt", "cpl_amt")


def main() -> int:
    source = SHARED / SNAPSHOT
    if not source.exists():
        print(f"skipped: {source} is not here", file=sys.stderr)
        return 1
    sha256 = hashlib.sha256(source.read_bytes()).hexdigest()
    types = {name: pa.string() for name in TEXT} | {name: pa.int64() for name in AMOUNTS}
    table = pacsv.read_csv(
        source,
        parse_options=pacsv.ParseOptions(newlines_in_values=True),
        convert_options=pacsv.ConvertOptions(column_types=types),
    )
    table = table.append_column("_row", pa.array(range(1, table.num_rows + 1), pa.int32()))
    for name in ("fyr", "exe_ymd", "wa_laf_hg_nm", "laf_cd", "laf_hg_nm", "acnt_dv_nm", "fld_nm", "part_nm"):
        index = table.schema.get_field_index(name)
        table = table.set_column(index, name, table.column(name).dictionary_encode())
    table = table.replace_schema_metadata({"yesan.source_file": SNAPSHOT, "yesan.sha256": sha256})
    OUT.mkdir(parents=True, exist_ok=True)
    target = OUT / SNAPSHOT.replace(".csv.gz", ".parquet")
    pq.write_table(table, target, compression="zstd", compression_level=19)
    shutil.copyfile(SHARED / "regions_107.csv", OUT / "regions_107.csv")
    print(f"wrote {target} ({target.stat().st_size:,} bytes, {table.num_rows:,} rows) and regions_107.csv")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
