"""What the CLI prints for people: no number is ever cut, at any width, piped or not; names cannot drive the
terminal (control and bidi characters are shown escaped), while JSON and CSV keep them exact."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console

from yesan.cli.output import safe, show, table

HEADER = (
    "fyr,exe_ymd,wa_laf_hg_nm,laf_cd,laf_hg_nm,acnt_dv_nm,fld_nm,part_nm,dbiz_cd,dbiz_nm,"
    "bdg_cash_amt,bdg_ntep,capep,sggep,etc_amt,ep_amt,cpl_amt"
)
# Big amounts and long names, so that at 60 and 80 columns the tables cannot fit as they are.
ROWS = (
    "2026,20260705,가나특별자치도,4711000,가나나라시,일반회계,국토및지역개발,지역및도시,"
    "1000000000000001,광역 교통망 확충과 도시 재생 뉴딜 연계 사업,"
    "113536512345678,0,0,113536512345678,0,51491312345678,0",
    "2026,20260705,가나특별자치도,4711000,가나나라시,일반회계,사회복지,노인·청소년,"
    "1000000000000002,경로당 난방비 지원,1234567890,0,0,1234567890,0,987654321,0",
)
ESCAPES = "\x1b[31m빨간\x1b[0m 경로당 \x1b]0;title\x07 지원 \u202eabc"
ESCAPE_ROW = (
    "2026,20260705,가나특별자치도,4711000,가나나라시,일반회계,사회복지,노인·청소년,"
    f'1000000000000003,"{ESCAPES}",5000000,0,0,5000000,0,0,0'
)


def yesan(*args: str, db: Path, columns: int) -> subprocess.CompletedProcess[str]:
    """The real console script, piped (no terminal), at ``columns`` columns."""
    env = {**os.environ, "COLUMNS": str(columns), "NO_COLOR": "1", "YESAN_DB": str(db)}
    env.pop("YESAN_ENGINE", None)
    env.pop("YESAN_PARQUET", None)
    exe = Path(sys.executable).with_name("yesan")
    result = subprocess.run([str(exe), *args], capture_output=True, text=True, env=env, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    return result


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("wide")
    source = folder / "wide.csv"
    source.write_text("\n".join((HEADER, *ROWS, ESCAPE_ROW)) + "\n", encoding="utf-8")
    db = folder / "yesan.duckdb"
    yesan("load", str(source), db=db, columns=200)
    return db


def cut(text: str) -> list[str]:
    return [line for line in text.splitlines() if "…" in line]


@pytest.mark.parametrize("columns", [60, 80, 120])
def test_info_piped_shows_every_number_whole_at_any_width(store: Path, columns: int) -> None:
    text = yesan("info", db=store, columns=columns).stdout
    assert cut(text) == []
    for figure in ("113조 5,378억원", "51조 4,923억원", "lofin365.QWGJK", "2026-07-05", "4711000"):
        assert figure in text
    snapshot_row = next(line for line in text.splitlines() if "lofin365.QWGJK" in line)
    assert snapshot_row.split()[0] == "1"  # the id column is not empty


@pytest.mark.parametrize("columns", [60, 80, 120])
def test_demo_piped_shows_every_number_whole_at_any_width(store: Path, columns: int) -> None:
    text = yesan("demo", "--no-serve", db=store, columns=columns).stdout
    assert cut(text) == []
    assert "113조 5,378억원" in text and "국토및지역개발" in text


@pytest.mark.parametrize("columns", [60, 80, 120])
def test_tree_and_search_piped_keep_amounts_and_codes_whole(store: Path, columns: int) -> None:
    tree = yesan("tree", "--level", "item", db=store, columns=columns).stdout
    assert cut(tree) == [] and "113조 5,365억원" in tree
    found = yesan("search", "경로당", db=store, columns=columns).stdout
    assert cut(found) == [] and "1000000000000002" in found and "12억 3,457만원" in found


def render(width: int, terminal: bool) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, force_terminal=terminal, no_color=True, highlight=False)
    grid = table("snapshots", ("id", "dataset", "as of", "rows", "예산현액", "rule"), whole=("dataset", "as of"),
                 text=("rule",))  # fmt: skip
    grid.add_row(
        "1", "lofin365.QWGJK", "2026-07-05", "181,076", "113조 5,365억원", "equal to the won (113조 5,365억원)"
    )
    show(grid, console)
    return buffer.getvalue()


@pytest.mark.parametrize("width", [60, 80, 120])
@pytest.mark.parametrize("terminal", [True, False])
def test_a_table_never_cuts_a_number_in_a_terminal_or_a_pipe(width: int, terminal: bool) -> None:
    text = render(width, terminal)
    assert "…" not in text
    for figure in ("181,076", "113조 5,365억원", "lofin365.QWGJK", "2026-07-05"):
        assert figure in text


def test_a_narrow_terminal_gets_one_line_per_column() -> None:
    lines = [line.rstrip() for line in render(40, terminal=True).splitlines()]
    assert "id 1" in lines[1]
    assert any(line.split() == ["예산현액", "113조", "5,365억원"] for line in lines)
    assert all(len(line) <= 40 for line in lines)


def test_a_wide_enough_terminal_keeps_the_table() -> None:
    text = render(120, terminal=True)
    assert any("lofin365.QWGJK" in line and "113조 5,365억원" in line for line in text.splitlines())


# --- escape codes --------------------------------------------------------------------------------


def test_control_and_bidi_characters_are_shown_escaped() -> None:
    assert safe("a\x1b[31mb") == "a\\x1b[31mb"
    assert safe("x\x1b]0;t\x07y") == "x\\x1b]0;t\\x07y"
    assert safe("\u202eabc\u2066") == "\\u202eabc\\u2066"
    assert safe("경로당\t지원\n") == "경로당\\x09지원\\x0a"
    assert safe("보통 이름 (2026) [갑]") == "보통 이름 (2026) [갑]"


def test_search_never_sends_an_items_escape_codes_to_the_terminal(store: Path) -> None:
    text = yesan("search", "빨간", db=store, columns=200).stdout
    assert "\x1b" not in text and "\u202e" not in text and "\x07" not in text
    assert "\\x1b[31m빨간\\x1b[0m" in text and "\\u202eabc" in text


def test_json_and_csv_keep_names_exactly(store: Path) -> None:
    hits = json.loads(yesan("search", "빨간", "--json", db=store, columns=200).stdout)
    assert hits[0]["item_name"] == ESCAPES
    rows = list(csv.DictReader(io.StringIO(yesan("search", "빨간", "--csv", db=store, columns=200).stdout)))
    assert rows[0]["item_name"] == ESCAPES


def test_item_and_tree_show_names_escaped(store: Path) -> None:
    text = yesan("item", "1000000000000003", db=store, columns=80).stdout
    assert "\x1b" not in text and "\\x1b[31m" in text
    tree = yesan("tree", "--level", "item", db=store, columns=200).stdout
    assert "\x1b" not in tree and "\u202e" not in tree
