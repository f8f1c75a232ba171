"""XLSX workbooks: a zip bomb is refused from the zip directory, and a hidden sheet is never loaded silently
(issue 19, items 2 and 4). The workbooks are written here with openpyxl and zipfile."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from yesan.errors import LoadError
from yesan.ingest import limits
from yesan.ingest.tabular import read_table

GOV = ("9990000", "가상군")
HEADER = ["세부사업명", "예산액"]


def _book(path: Path, sheets: dict[str, list[list[object]]], *, hidden: tuple[str, ...] = (), active: int = 0) -> Path:
    book = openpyxl.Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
        if name in hidden:
            sheet.sheet_state = "hidden"
    book.active = active
    book.save(path)
    return path


def _bomb(path: Path, rows: int) -> Path:
    """A valid workbook whose sheet is ``rows`` copies of one row: a few kB stored, tens of MB inflated."""
    source = _book(path.with_name("small.xlsx"), {"명세": [HEADER, ["경로당 지원", 1000]]})
    row = '<row><c t="inlineStr"><is><t>경로당 지원</t></is></c><c><v>1000</v></c></row>'
    with zipfile.ZipFile(source) as small, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as big:
        for part in small.infolist():
            if part.filename != "xl/worksheets/sheet1.xml":
                big.writestr(part, small.read(part))
                continue
            with big.open(part.filename, "w") as sheet:
                sheet.write(b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                            b'spreadsheetml/2006/main"><sheetData>')  # fmt: skip
                block = (row * 1000).encode()
                for _ in range(rows // 1000):
                    sheet.write(block)
                sheet.write(b"</sheetData></worksheet>")
    return path


def test_a_zip_bomb_is_refused_from_its_directory_in_little_memory(tmp_path: Path) -> None:
    bomb = _bomb(tmp_path / "bomb.xlsx", rows=800_000)  # about 60 MB of sheet XML in about 200 kB
    assert bomb.stat().st_size < 1_000_000
    # The peak is VmHWM of the probe's own memory: getrusage's ru_maxrss would carry the parent's (this test
    # process's) peak across the exec, and that grows with every test that ran before.
    probe = (
        "import sys\n"
        "from yesan.errors import LoadError\n"
        "from yesan.ingest.tabular import read_table\n"
        "try:\n"
        "    read_table(__import__('pathlib').Path(sys.argv[1]))\n"
        "except LoadError as error:\n"
        "    print(error)\n"
        "status = open('/proc/self/status').read()\n"
        "print(status.split('VmHWM:')[1].split()[0])\n"  # kB
    )
    done = subprocess.run([sys.executable, "-c", probe, str(bomb)], capture_output=True, text=True, check=True)
    message, peak_kb = done.stdout.strip().rsplit("\n", 1)
    assert "inflates" in message and "times" in message and "nothing was loaded" in message, message
    assert "xl/worksheets/sheet1.xml" in message
    assert int(peak_kb) < 500 * 1024


def test_a_workbook_larger_than_the_bound_when_inflated_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _book(tmp_path / "b.xlsx", {"명세": [HEADER, ["경로당 지원", 1000]]})
    monkeypatch.setattr(limits, "MAX_WORKBOOK_BYTES", 1_000)
    with pytest.raises(LoadError, match=r"inflates to [0-9,]+ bytes; at most 1,000 are read"):
        read_table(path, government=GOV)


def test_an_ordinary_workbook_passes_the_bounds(tmp_path: Path) -> None:
    path = _book(tmp_path / "b.xlsx", {"명세": [HEADER, *([f"사업 {n}", n * 1000] for n in range(1, 2001))]})
    assert read_table(path, government=GOV, fiscal_year=2026).counts["items"] == 2000


def test_a_hidden_sheet_is_not_loaded_unless_named(tmp_path: Path) -> None:
    path = _book(
        tmp_path / "b.xlsx",
        {"표지": [["가상군 예산서"]], "옛 명세": [HEADER, ["지난해 사업", 999]]},
        hidden=("옛 명세",),
    )
    with pytest.raises(LoadError) as raised:
        read_table(path, government=GOV, fiscal_year=2026)
    message = str(raised.value)
    assert "hidden sheets are not loaded unless named" in message
    assert "'표지', '옛 명세' (hidden)" in message and "--sheet '옛 명세'" in message
    batch = read_table(path, government=GOV, fiscal_year=2026, sheet="옛 명세")  # named: the user's choice
    assert batch.counts["items"] == 1


def test_a_visible_sheet_is_loaded_before_a_hidden_one(tmp_path: Path) -> None:
    path = _book(
        tmp_path / "b.xlsx",
        {"옛 명세": [HEADER, ["지난해 사업", 999]], "명세": [HEADER, ["올해 사업", 1000]]},
        hidden=("옛 명세",),
        active=1,
    )
    batch = read_table(path, government=GOV, fiscal_year=2026)
    assert "sheet '명세'" in batch.description and batch.counts["items"] == 1


def test_the_active_sheet_is_loaded_first(tmp_path: Path) -> None:
    path = _book(
        tmp_path / "b.xlsx", {"예산안": [HEADER, ["사업 가", 1000]], "본예산": [HEADER, ["사업 가", 1200]]}, active=1
    )
    assert "sheet '본예산'" in read_table(path, government=GOV, fiscal_year=2026).description
