"""Reported figures: reading and validating the CSV, storing it atomically and idempotently, `yesan load/info`."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pytest

from conftest import SHARED, run_cli
from yesan.errors import LoadError, StoreError
from yesan.ingest import ReadOptions, detect_kind, read_path
from yesan.ingest.reported import ReportedBatch, read_reported
from yesan.store import Store
from yesan.store.info import store_info
from yesan.store.schema import SCHEMA_VERSION

HEADER = (
    "subject_ko,amount_krw,stage,kind,prior_year_amount_krw,change_pct,sources,conflicting,amount_ko,change_krw,"
    "prior_sources,notes"
)
ROWS = [
    '가나시 총예산(총계),1250000000000,proposal,total,1180000000000,5.9,"A, B",,1조2500억원,70000000000,A,',
    "가나시 총예산(총계),1248000000000,enacted,total,1180000000000,5.8,C,,1조2480억원,68000000000,A,council cut",
    "어르신 무료 급식,4200000000,proposal,allocation,,,A,B: 40억 (rounding),42억원,,,",
    "시립 도서관 건립,15500000000,,allocation,,,D,,155억원,,,committee stage",
]


def write(path: Path, rows: list[str] = ROWS, header: str = HEADER) -> Path:
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def test_a_reported_figures_file_is_recognised_by_its_header(tmp_path: Path) -> None:
    assert detect_kind(write(tmp_path / "figures.csv")) == "reported"


def test_every_row_becomes_a_figure_with_canonical_stage_and_exact_amounts(tmp_path: Path) -> None:
    batch = read_reported(write(tmp_path / "figures.csv"), government="가나시", fiscal_year=2026)
    rows = batch.figures.to_pylist()
    assert [r["stage"] for r in rows] == ["예산안", "본예산", "예산안", None]
    assert rows[0]["amount"] == 1_250_000_000_000
    assert rows[0]["prior_amount"] == 1_180_000_000_000
    assert rows[0]["change_pct"] == Decimal("5.9")
    assert rows[0]["cited_sources"] == "A, B"
    assert rows[3]["notes"] == "committee stage"
    assert {r["gov_name"] for r in rows} == {"가나시"} and {r["fiscal_year"] for r in rows} == {2026}
    assert batch.dataset == "figures"


def test_government_and_year_may_come_from_columns(tmp_path: Path) -> None:
    rows = [row + ",가나시,2025" for row in ROWS]
    path = write(tmp_path / "own.csv", rows, HEADER + ",government,fiscal_year")
    batch = read_reported(path)
    assert {r["fiscal_year"] for r in batch.figures.to_pylist()} == {2025}


def test_a_row_that_contradicts_the_options_is_an_error(tmp_path: Path) -> None:
    rows = [ROWS[0] + ",다라시,2026"]
    path = write(tmp_path / "own.csv", rows, HEADER + ",government,fiscal_year")
    with pytest.raises(LoadError, match="differs from --government '가나시'"):
        read_reported(path, government="가나시", fiscal_year=2026)


def test_missing_government_or_year_says_which_option_to_give(tmp_path: Path) -> None:
    with pytest.raises(LoadError) as caught:
        read_reported(write(tmp_path / "figures.csv"))
    reasons = " ".join(p.reason for p in caught.value.problems)
    assert "--government" in reasons and "--year" in reasons


def test_bad_cells_are_all_reported_with_row_column_and_value(tmp_path: Path) -> None:
    rows = [
        "가나시 총예산(총계),12억abc,proposal,total,,,A,,,,,",
        ",100,proposal,total,,,A,,,,,",
        "도서관,100,someday,budget,,7.5%%,A,,,,,",
        "도서관,15500000000,,allocation,,,A,,150억원,,,",
    ]
    with pytest.raises(LoadError) as caught:
        read_reported(write(tmp_path / "bad.csv", rows), government="가나시", fiscal_year=2026)
    found = {(p.row, p.column): p for p in caught.value.problems}
    assert found[(1, "amount_krw")].value == "12억abc"
    assert (2, "subject_ko") in found
    assert (3, "stage") in found and (3, "kind") in found and (3, "change_pct") in found
    assert "says 15,000,000,000 won but amount_krw is 15,500,000,000" in found[(4, "amount_ko")].reason
    assert str(caught.value).startswith(f"{tmp_path / 'bad.csv'}: cannot load; nothing was loaded")


def test_an_unknown_column_is_refused_rather_than_ignored(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="unknown column"):
        read_reported(write(tmp_path / "typo.csv", header=HEADER.replace("notes", "note")), government="가나시",
                      fiscal_year=2026)  # fmt: skip


def test_read_path_passes_the_government_name_through(tmp_path: Path) -> None:
    options = ReadOptions(kind="auto", fiscal_year=2026, extra={"government": "가나시"})
    [batch] = read_path(write(tmp_path / "figures.csv"), options)
    assert isinstance(batch, ReportedBatch)
    assert batch.figures.num_rows == len(ROWS)


def _load(store: Store, batch: ReportedBatch, *, replace: bool = False) -> list[str]:
    results = store.load_reported(
        batch.figures, dataset=batch.dataset, source_file=batch.source_file, sha256=batch.sha256, replace=replace
    )
    return [r.status for r in results]


def test_storing_keeps_provenance_and_is_idempotent(store: Store, tmp_path: Path) -> None:
    batch = read_reported(write(tmp_path / "figures.csv"), government="가나시", fiscal_year=2026)
    assert store.schema_version() == SCHEMA_VERSION >= 2
    assert _load(store, batch) == ["new"]
    before = store.con.execute("SELECT * FROM reported_figures ORDER BY ALL").fetchall()
    assert _load(store, batch) == ["unchanged"]
    assert store.con.execute("SELECT * FROM reported_figures ORDER BY ALL").fetchall() == before
    rows = store.con.execute(
        "SELECT s.dataset, s.file, s.sha256, r.row_no, r.change_pct FROM reported_figures r "
        "JOIN sources s USING (source_id) WHERE r.subject = '어르신 무료 급식'"
    ).fetchall()
    assert rows == [("reported", str(tmp_path / "figures.csv"), batch.sha256, 3, None)]


def test_the_same_figures_from_another_file_are_already_loaded(store: Store, tmp_path: Path) -> None:
    first = read_reported(write(tmp_path / "figures.csv"), government="가나시", fiscal_year=2026)
    copy = tmp_path / "copy"
    copy.mkdir()
    second = read_reported(write(copy / "figures.csv"), government="가나시", fiscal_year=2026)
    assert _load(store, first) == ["new"]
    assert _load(store, second) == ["unchanged"]
    assert store.con.execute("SELECT count(*) FROM reported_figures").fetchall() == [(len(ROWS),)]


def test_changed_figures_need_replace_and_nothing_is_written_without_it(store: Store, tmp_path: Path) -> None:
    _load(store, read_reported(write(tmp_path / "figures.csv"), government="가나시", fiscal_year=2026))
    edited = [ROWS[0], ROWS[1], ROWS[2].replace("4200000000", "4300000000").replace("42억원", "43억원")]
    batch = read_reported(write(tmp_path / "figures.csv", edited), government="가나시", fiscal_year=2026)
    with pytest.raises(LoadError, match="--replace"):
        _load(store, batch)
    assert store.con.execute("SELECT count(*) FROM reported_figures").fetchall() == [(len(ROWS),)]
    assert _load(store, batch, replace=True) == ["replaced"]
    amounts = store.con.execute("SELECT amount FROM reported_figures WHERE kind = 'allocation'").fetchall()
    assert amounts == [(4_300_000_000,)]


def test_another_year_of_the_same_file_is_a_separate_set(store: Store, tmp_path: Path) -> None:
    path = write(tmp_path / "figures.csv")
    _load(store, read_reported(path, government="가나시", fiscal_year=2026))
    assert _load(store, read_reported(path, government="가나시", fiscal_year=2025)) == ["new"]
    info = store_info(store)
    assert [(r["gov_name"], r["fiscal_year"], r["figures"]) for r in info["reported"]] == [
        ("가나시", 2025, len(ROWS)),
        ("가나시", 2026, len(ROWS)),
    ]


def test_a_failed_load_leaves_no_trace(store: Store, tmp_path: Path) -> None:
    batch = read_reported(write(tmp_path / "figures.csv"), government="가나시", fiscal_year=2026)
    # The second government's rows break a NOT NULL constraint after the first government's were inserted.
    broken = [{**row, "gov_name": "하마시", "subject": None} for row in batch.figures.to_pylist()]
    schema = batch.figures.schema.set(
        batch.figures.schema.get_field_index("subject"), pa.field("subject", pa.string(), nullable=True)
    )
    table = pa.Table.from_pylist(batch.figures.to_pylist() + broken, schema=schema)
    with pytest.raises(StoreError):
        store.load_reported(table, dataset="figures", source_file="x.csv", sha256="0" * 64)
    assert store.con.execute("SELECT count(*) FROM reported_figures").fetchall() == [(0,)]
    assert store.con.execute("SELECT count(*) FROM sources").fetchall() == [(0,)]


def test_cli_loads_reported_figures_by_name_and_info_lists_them(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    path = write(tmp_path / "figures.csv")
    first = run_cli("load", str(path), "--kind", "reported", "--government", "가나시", "--year", "2026", db=db)
    assert first.returncode == 0, first.stderr
    assert "reported figures 'figures': 가나시 2026 — 4 figures loaded" in first.stdout
    again = run_cli("load", str(path), "--government", "가나시", "--year", "2026", db=db, check=True)
    assert "already loaded, unchanged" in again.stdout
    info = run_cli("info", db=db, check=True)
    assert "reported figures 'figures': 가나시 2026, 4 figures" in info.stdout
    data = json.loads(run_cli("info", "--json", db=db, check=True).stdout)
    assert data["reported"][0]["figures"] == 4


def test_cli_without_a_year_fails_with_one_line_and_writes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    result = run_cli("load", str(write(tmp_path / "figures.csv")), "--government", "가나시", db=db)
    assert result.returncode == 1
    assert "give --year YYYY" in result.stderr
    assert not db.exists() or "reported" not in run_cli("info", db=db).stdout


@pytest.mark.skipif(not (SHARED / "data/seoul-2026/reference.csv").exists(), reason="needs /work/shared (local data)")
def test_the_seoul_reference_file_loads_whole() -> None:
    batch = read_reported(SHARED / "data/seoul-2026/reference.csv", government="서울특별시", fiscal_year=2026)
    rows = batch.figures.to_pylist()
    assert len(rows) == 82
    assert rows[0]["amount"] == 51_506_000_000_000 and rows[0]["stage"] == "예산안"


def test_old_mac_line_ends_load_and_a_stray_carriage_return_is_a_clear_error(tmp_path: Path) -> None:
    mac = tmp_path / "mac.csv"
    mac.write_bytes(("\r".join([HEADER, *ROWS]) + "\r").encode())  # bare CR line ends
    assert read_reported(mac, government="가나시", fiscal_year=2026).figures.num_rows == len(ROWS)
    stray = tmp_path / "stray.csv"
    stray.write_bytes(("\r" + "\n".join([HEADER, *ROWS]) + "\n").encode())  # found by fuzzing: was exit 2
    result = run_cli(
        "load", str(stray), "--kind", "reported", "--government", "가나시", "--year", "2026", db=tmp_path / "s.duckdb"
    )
    assert result.returncode == 1 and "internal error" not in result.stderr
    assert result.stderr.startswith(f"error: {stray}") or "stray.csv" in result.stderr.splitlines()[0]
