"""An XLSX zip bomb against ``yesan load``: a valid workbook whose one sheet inflates to about 980 MB.

Issue 19 (item 2) measured 50 s and a 5.1 GB peak before such a file was refused. The load runs in a child
process. The run fails (exit 1) unless the
load is refused (exit 1, a message naming the inflation) under ``--max-rss-mb`` (default 500).
The process's peak is read from ``getrusage(RUSAGE_CHILDREN)`` (the load is the script's only child).

    python benchmarks/xlsx_bomb.py            # writes the bomb to a temporary folder (about 10 s to deflate)
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import openpyxl

ROW = '<row><c t="inlineStr"><is><t>경로당 난방비 지원</t></is></c><c><v>250000000</v></c></row>'


def write_bomb(path: Path, inflated_bytes: int) -> None:
    small = path.with_name("seed.xlsx")
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["세부사업명", "예산액"])
    book.save(small)
    block = (ROW * 10_000).encode()
    with zipfile.ZipFile(small) as seed, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        for part in seed.infolist():
            if part.filename != "xl/worksheets/sheet1.xml":
                out.writestr(part, seed.read(part))
                continue
            with out.open(part.filename, "w", force_zip64=True) as stream:
                stream.write(b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                             b'spreadsheetml/2006/main"><sheetData>')  # fmt: skip
                for _ in range(inflated_bytes // len(block)):
                    stream.write(block)
                stream.write(b"</sheetData></worksheet>")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--inflated-mb", type=int, default=980)
    parser.add_argument("--max-rss-mb", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        bomb = Path(folder) / "bomb.xlsx"
        write_bomb(bomb, args.inflated_mb << 20)
        with zipfile.ZipFile(bomb) as archive:
            inflated = sum(p.file_size for p in archive.infolist())
        file_bytes = bomb.stat().st_size
        yesan = Path(sys.executable).with_name("yesan")
        command = [str(yesan), "load", "--db", str(Path(folder) / "s.duckdb"), str(bomb), "--government",
                   "9990000:가상군", "--year", "2026"]  # fmt: skip
        start = time.monotonic()
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        seconds = time.monotonic() - start
    # The load is this script's only child: the children's peak is its peak (kB on Linux).
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    output = (done.stderr + done.stdout).strip()
    result = {
        "file_bytes": file_bytes,
        "inflated_bytes": inflated,
        "exit": done.returncode,
        "seconds": round(seconds, 2),
        "peak_rss_mb": round(peak_mb, 1),
        "message": output.splitlines()[0] if output else "",
    }
    print(json.dumps(result, ensure_ascii=False))
    refused = done.returncode == 1 and "inflates" in output
    return 0 if refused and peak_mb < args.max_rss_mb else 1


if __name__ == "__main__":
    raise SystemExit(main())
