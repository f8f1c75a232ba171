from __future__ import annotations

import hashlib
from pathlib import Path

import openpyxl
import pytest

from yesan.errors import LoadError
from yesan.ingest.batch import Batch, file_sha256
from yesan.ingest.mapping import load_mapping_file, parse_mapping_flags, recognise_header, split_header
from yesan.ingest.subtotals import subtotal_label
from yesan.ingest.tabular import read_table, sniff_delimiter
from yesan.model import ITEM_SCHEMA

DATA = Path(__file__).parent / "data" / "tabular"
GOV = ("9990000", "가상군")


def rows(batch: Batch) -> list[dict[str, object]]:
    return batch.items.to_pylist()  # type: ignore[no-any-return]


def write(tmp_path: Path, text: str, name: str = "t.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def problems(error: pytest.ExceptionInfo[LoadError]) -> list[str]:
    return [str(p) for p in error.value.problems]


# --- header recognition ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("세부사업명", "item_name"),
        ("세부 사업명", "item_name"),
        ("사업명", "item_name"),
        ("dbiz_nm", "item_name"),
        ("item_name", "item_name"),
        ("세부사업코드", "item_code"),
        ("분야", "field_name"),
        ("부문명", "sector_name"),
        ("정책사업", "program_name"),
        ("단위사업코드", "unit_code"),
        ("회계구분", "account"),
        ("예산액(천원)", "budget"),
        ("예산현액", "budget"),
        ("본예산", "budget"),
        ("금액 (백만원)", "budget"),
        ("bdg_cash_amt", "budget"),
        ("국비", "national"),
        ("도비", "provincial"),
        ("군비", "municipal"),
        ("기타", "other"),
        ("집행액", "spent"),
        ("편성액", "allocated"),
        ("회계연도", "fiscal_year"),
        ("자치단체명", "gov_name"),
        ("자치단체코드", "gov_code"),
        ("laf_cd", "gov_code"),
        ("비고", None),
    ],
)
def test_recognise_header(header: str, column: str | None) -> None:
    assert recognise_header(header) == column


def test_split_header_units() -> None:
    assert split_header("예산액(천원)") == ("예산액", 1000)
    assert split_header("금액 [단위: 백만원]") == ("금액", 10**6)
    assert split_header("예산액(억원)") == ("예산액", 10**8)
    assert split_header("금액(원)") == ("금액", 1)
    assert split_header("예산액(A)") == ("예산액(a)", None)


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("합계", ("grand", None)),
        ("총 계", ("grand", None)),
        ("소계", ("generic", None)),
        ("계", ("generic", None)),
        ("사회복지 소계", ("prefix", "사회복지")),
        ("분야 계", ("prefix", "분야")),
        ("[소계]", ("generic", None)),
        ("회계", None),
        ("설계 용역", None),
        ("경로당 운영", None),
        (None, None),
    ],
)
def test_subtotal_label(label: str | None, expected: object) -> None:
    assert subtotal_label(label) == expected


# --- CSV: title rows, units, negatives, subtotals --------------------------------------------


def test_title_rows_unit_negatives_and_subtotals() -> None:
    path = DATA / "title_unit.csv"
    batch = read_table(path, government=GOV)
    assert batch.items.schema == ITEM_SCHEMA
    assert batch.dataset == "table:title_unit"
    assert batch.source_file == str(path)
    assert batch.sha256 == file_sha256(path)
    got = rows(batch)
    assert [r["item_name"] for r in got] == [
        "경로당 냉난방비 지원",
        "어르신 말벗 사업",
        "마을 배움터 운영",
        "도서관 야간 개방",
    ]
    # row_no counts from the first row after the header: 합계 is 1, the blank row 5 is counted
    assert [r["row_no"] for r in got] == [2, 3, 6, 7]
    assert [r["budget"] for r in got] == [1_200_000, 3_000_000, 8_000_000, 145_000]
    assert [r["national"] for r in got] == [-200_000, 0, 0, 0]
    assert [r["municipal"] for r in got] == [1_400_000, 3_000_000, 8_000_000, 145_000]
    assert got[0]["field_name"] == "사회복지" and got[0]["sector_name"] == "노인"
    assert {r["fiscal_year"] for r in got} == {2026}
    assert {r["stage"] for r in got} == {"본예산"}
    assert {(r["gov_code"], r["gov_name"]) for r in got} == {GOV}
    assert all(r["exe_ymd"] is None and r["spent"] is None for r in got)
    assert batch.counts["subtotals_checked"] == 3
    assert batch.counts["items"] == 4
    assert batch.counts["blank_rows"] == 1
    assert batch.counts["rows_read"] == 9
    assert batch.counts["note_rows"] == 1
    reasons = " | ".join(p.reason for p in batch.warnings)
    assert "assuming 본예산" in reasons
    assert "taken from the title" in reasons


def test_subtotal_mismatches_name_row_column_and_difference() -> None:
    with pytest.raises(LoadError) as raised:
        read_table(DATA / "bad_subtotal.csv", government=GOV)
    found = {(p.row, p.column): p for p in raised.value.problems}
    assert set(found) == {(3, "예산액"), (5, "지출액"), (6, "예산액")}
    sub = found[(3, "예산액")]
    assert sub.value == "3,500"
    assert "3,500원" in sub.reason and "3,000원" in sub.reason and "difference 500원" in sub.reason
    assert "rows 1–2" in sub.reason
    assert "60원" in found[(5, "지출액")].reason and "difference 10원" in found[(5, "지출액")].reason
    assert "all 3 items" in found[(6, "예산액")].reason
    assert "nothing was loaded" in str(raised.value)


def test_subtotals_that_add_up_are_checked_not_loaded(tmp_path: Path) -> None:
    text = (
        "회계연도,회계,세부사업명,예산액\n"
        "2026,일반회계,가,100\n"
        "2026,일반회계,나,200\n"
        "2026,일반회계,소계,300\n"
        "2026,기타특별회계,다,50\n"
        "2026,기타특별회계,소계,50\n"
        "2026,,총계,350\n"
    )
    batch = read_table(write(tmp_path, text), government=GOV)
    assert [r["item_name"] for r in rows(batch)] == ["가", "나", "다"]
    assert [r["account_type"] for r in rows(batch)] == ["일반회계", "일반회계", "특별회계"]
    assert batch.counts["subtotals_checked"] == 3
    assert batch.counts["subtotal_rows"] == 3


def test_group_rows_above_their_items(tmp_path: Path) -> None:
    # rows with only a 분야/부문 value and amounts are the totals of the items below them
    text = (
        "분야,부문,세부사업명,예산액\n"
        "환경,,,300\n"
        ",하천,,100\n"
        ",,하천 정비,100\n"
        ",대기,,200\n"
        ",,미세먼지 측정,150\n"
        ",,전기차 충전소,50\n"
        "교통,,,70\n"
        ",,버스 승강장,70\n"
    )
    batch = read_table(write(tmp_path, text), government=GOV, fiscal_year=2026)
    assert batch.counts["subtotals_checked"] == 4
    assert batch.counts["items"] == 4
    bad = text.replace(",대기,,200", ",대기,,210")
    with pytest.raises(LoadError) as raised:
        read_table(write(tmp_path, bad, "bad.csv"), government=GOV, fiscal_year=2026)
    (problem,) = raised.value.problems
    assert problem.row == 4 and problem.column == "예산액" and "difference 10원" in problem.reason


def test_named_subtotal_matches_classification(tmp_path: Path) -> None:
    text = "분야,세부사업명,예산액\n복지,가,10\n환경,나,20\n복지,다,30\n,복지 소계,40\n,환경 소계,20\n"
    batch = read_table(write(tmp_path, text), government=GOV, fiscal_year=2026)
    assert batch.counts["subtotals_checked"] == 2


def test_header_unit_suffix_and_decimals(tmp_path: Path) -> None:
    text = '연도,세부사업명,금액(백만원),국비(천원)\n2026,항만 정비,1.5,"1,500"\n2026,어항 보수,2,0\n'
    batch = read_table(write(tmp_path, text), government=GOV)
    assert [r["budget"] for r in rows(batch)] == [1_500_000, 2_000_000]
    assert [r["national"] for r in rows(batch)] == [1_500_000, 0]
    bad = "연도,세부사업명,금액(천원)\n2026,항만 정비,1.2345\n"
    with pytest.raises(LoadError) as raised:
        read_table(write(tmp_path, bad, "bad.csv"), government=GOV)
    (problem,) = raised.value.problems
    assert (problem.row, problem.column, problem.value) == (1, "금액(천원)", "1.2345")
    assert "whole number" in problem.reason


def test_unit_in_title_cell_millions(tmp_path: Path) -> None:
    text = '가상시 2026 예산,,\n,,단위:백만원\n세부사업명,예산액,회계연도\n청년 창업 지원,"1,234",2026\n'
    batch = read_table(write(tmp_path, text), government=GOV)
    assert rows(batch)[0]["budget"] == 1_234_000_000
    assert batch.counts["header_row"] == 3


def test_unit_option_wins_and_no_unit_warns(tmp_path: Path) -> None:
    text = "회계연도,세부사업명,예산액\n2026,가,7\n"
    path = write(tmp_path, text)
    plain = read_table(path, government=GOV)
    assert rows(plain)[0]["budget"] == 7
    assert any("no unit stated" in p.reason for p in plain.warnings)
    assert rows(read_table(path, government=GOV, unit=1000))[0]["budget"] == 7000


def test_cp949_tab_separated(tmp_path: Path) -> None:
    text = "회계연도\t자치단체코드\t자치단체명\t세부사업명\t예산액\n2026\t9990000\t가상군\t농로 포장\t1,000\n"
    path = write(tmp_path, text, encoding="cp949")
    batch = read_table(path)
    assert rows(batch)[0]["item_name"] == "농로 포장"
    assert rows(batch)[0]["budget"] == 1000
    assert rows(batch)[0]["gov_name"] == "가상군"
    assert "cp949" in batch.description


def test_utf8_bom_semicolons(tmp_path: Path) -> None:
    text = '회계연도;세부사업명;예산액\n2026;"숲길, 둘레길 조성";"1,000"\n'
    path = write(tmp_path, text, encoding="utf-8-sig")
    assert sniff_delimiter(text) == ";"
    assert rows(read_table(path, government=GOV))[0]["item_name"] == "숲길, 둘레길 조성"


def test_lofin365_field_names(tmp_path: Path) -> None:
    text = (
        "fyr,exe_ymd,laf_cd,laf_hg_nm,wa_laf_hg_nm,acnt_dv_nm,fld_nm,part_nm,dbiz_cd,dbiz_nm,"
        "bdg_cash_amt,bdg_ntep,capep,sggep,etc_amt,ep_amt,cpl_amt\n"
        "2026,20260131,9990100,가상구,가상시,일반회계,환경,하천,D1,하천 정비,1000,100,200,700,0,50,1000\n"
    )
    (row,) = rows(read_table(write(tmp_path, text), stage="현액"))
    assert row["gov_code"] == "9990100" and row["parent_name"] == "가상시"
    assert row["exe_ymd"] is not None and row["exe_ymd"].isoformat() == "2026-01-31"  # type: ignore[attr-defined]
    assert (row["national"], row["provincial"], row["municipal"], row["spent"]) == (100, 200, 700, 50)
    assert row["stage"] == "현액" and row["account_type"] == "일반회계"


def test_si_next_to_do_is_municipal(tmp_path: Path) -> None:
    text = "회계연도,세부사업명,예산액,도비,시비\n2026,가,30,10,20\n"
    (row,) = rows(read_table(write(tmp_path, text), government=GOV))
    assert (row["provincial"], row["municipal"]) == (10, 20)
    text = "회계연도,세부사업명,예산액,국비,시비\n2026,가,30,10,20\n"
    (row,) = rows(read_table(write(tmp_path, text, "b.csv"), government=GOV))
    assert (row["provincial"], row["municipal"]) == (20, None)


# --- missing information ---------------------------------------------------------------------


def test_missing_item_column(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="no item name column") as raised:
        read_table(write(tmp_path, "이름,예산액\n가,1\n"), government=GOV, fiscal_year=2026)
    assert "--map item_name=" in str(raised.value)


def test_missing_budget_column(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="no budget column") as raised:
        read_table(write(tmp_path, "세부사업명,지출액\n가,1\n"), government=GOV, fiscal_year=2026)
    assert "--map budget=" in str(raised.value)


def test_missing_year(tmp_path: Path) -> None:
    path = write(tmp_path, "세부사업명,예산액\n가,1\n")
    with pytest.raises(LoadError, match="no fiscal year") as raised:
        read_table(path, government=GOV)
    assert "--year" in str(raised.value)
    assert rows(read_table(path, government=GOV, fiscal_year=2024))[0]["fiscal_year"] == 2024


def test_missing_government(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="no government"):
        read_table(write(tmp_path, "세부사업명,예산액\n가,1\n"), fiscal_year=2026)


def test_year_column_must_agree_with_option(tmp_path: Path) -> None:
    path = write(tmp_path, "회계연도,세부사업명,예산액\n2025,가,1\n,나,2\n")
    with pytest.raises(LoadError) as raised:
        read_table(path, government=GOV, fiscal_year=2026)
    (problem,) = raised.value.problems
    assert problem.row == 1 and "differs" in problem.reason
    with pytest.raises(LoadError) as raised:
        read_table(path, government=GOV)
    (problem,) = raised.value.problems
    assert problem.row == 2 and "fiscal year is missing" in problem.reason


def test_cell_problems_carry_file_row_column_value(tmp_path: Path) -> None:
    text = "회계연도,세부사업명,예산액,국비\n2026,가,12a,1\n2026,나,,2\n2026,,5,1\n20x6,라,1,1\n"
    path = write(tmp_path, text)
    with pytest.raises(LoadError) as raised:
        read_table(path, government=GOV)
    got = {(p.row, p.column, p.value) for p in raised.value.problems}
    assert (1, "예산액", "12a") in got
    assert (2, "예산액", None) in got
    assert (3, "세부사업명", None) in got
    assert (4, "회계연도", "20x6") in got
    assert all(p.file == str(path) for p in raised.value.problems)


def test_duplicate_items_with_different_amounts(tmp_path: Path) -> None:
    text = "회계연도,세부사업코드,세부사업명,예산액\n2026,A1,가,1\n2026,B2,나,2\n2026,A1,가,3\n2026,B2,나,2\n"
    with pytest.raises(LoadError) as raised:
        read_table(write(tmp_path, text), government=GOV)
    (problem,) = raised.value.problems
    assert problem.row == 3 and "row 1" in problem.reason


def test_stage_column_and_bad_stage(tmp_path: Path) -> None:
    text = "회계연도,예산구분,세부사업명,예산액\n2026,제2회 추경,가,1\n2026,결산,나,2\n2026,가결,다,3\n"
    with pytest.raises(LoadError) as raised:
        read_table(write(tmp_path, text), government=GOV)
    (problem,) = raised.value.problems
    assert (problem.row, problem.column, problem.value) == (3, "예산구분", "가결")
    good = read_table(write(tmp_path, text.replace("가결", "본예산"), "ok.csv"), government=GOV)
    assert [r["stage"] for r in rows(good)] == ["추경2", "결산", "본예산"]


def test_unmapped_column_warns(tmp_path: Path) -> None:
    batch = read_table(write(tmp_path, "회계연도,세부사업명,예산액,비고\n2026,가,1,메모\n"), government=GOV)
    assert any(p.column == "비고" and "not used" in p.reason for p in batch.warnings)


# --- mappings --------------------------------------------------------------------------------


def test_mapping_flags() -> None:
    assert parse_mapping_flags(["item_name=프로젝트", " budget = 총액 (천원) ", "defaults.fiscal_year=2026"]) == {
        "item_name": "프로젝트",
        "budget": "총액 (천원)",
        "defaults.fiscal_year": "2026",
    }
    with pytest.raises(LoadError, match="not a yesan column"):
        parse_mapping_flags(["project=프로젝트"])
    with pytest.raises(LoadError, match="expected"):
        parse_mapping_flags(["item_name"])
    with pytest.raises(LoadError, match="unknown default"):
        parse_mapping_flags(["defaults.colour=red"])


def test_mapping_file_with_defaults() -> None:
    mapping = load_mapping_file(DATA / "mapping.toml")
    assert mapping["item_name"] == "프로젝트"
    assert mapping["defaults.unit"] == "천원"
    batch = read_table(DATA / "semicolon.csv", mapping=mapping)
    got = rows(batch)
    assert [r["item_name"] for r in got] == ["골목길 CCTV 설치", "공원 산책로 조명"]
    assert [r["budget"] for r in got] == [1_234_000, 567_000]
    assert {r["stage"] for r in got} == {"추경1"}
    assert {r["fiscal_year"] for r in got} == {2025}
    assert {r["gov_name"] for r in got} == {"가상시"}
    assert any(p.column == "비고" for p in batch.warnings)


def test_mapping_flags_drive_read_table(tmp_path: Path) -> None:
    path = write(tmp_path, "과제,돈\n가,1\n")
    mapping = parse_mapping_flags(["item_name=과제", "budget=돈"])
    (row,) = rows(read_table(path, mapping=mapping, government=GOV, fiscal_year=2026, stage="예산안"))
    assert (row["item_name"], row["budget"], row["stage"]) == ("가", 1, "예산안")
    with pytest.raises(LoadError, match="no such column"):
        read_table(path, mapping={**mapping, "spent": "지출"}, government=GOV, fiscal_year=2026)


def test_bad_mapping_files(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[columns]\nitem_name = \n", encoding="utf-8")
    with pytest.raises(LoadError, match="not a valid TOML"):
        load_mapping_file(bad)
    bad.write_text('[columns]\nproject = "x"\n', encoding="utf-8")
    with pytest.raises(LoadError, match="not a yesan column"):
        load_mapping_file(bad)
    bad.write_text('[colums]\nitem_name = "x"\n', encoding="utf-8")
    with pytest.raises(LoadError, match="unknown table"):
        load_mapping_file(bad)


# --- Excel -----------------------------------------------------------------------------------


def _workbook(path: Path) -> Path:
    book = openpyxl.Workbook()
    cover = book.active
    assert cover is not None
    cover.title = "표지"
    cover.append(["가상시 2026년도 예산서 (연습용)"])
    sheet = book.create_sheet("사업명세")
    sheet.append(["2026년도 세출 사업명세서"])
    sheet.append([None, None, None, None, None, "(단위: 천원)"])
    sheet.append(["분야", "세부사업코드", "세부사업명", "예산액", "재원별", None])
    sheet.append([None, None, None, None, "국비", "시비"])
    sheet.merge_cells("E3:F3")
    sheet.append(["합계", None, None, 6000, 1000, 5000])
    sheet.append(["문화", 101, "거리 공연", 1500.0, 500, 1000])
    sheet.append([None, 102, "작은 도서관", 2500, 500, 2000])
    sheet.merge_cells("A6:A8")
    sheet.append([None, None, "소계", 4000, 1000, 3000])
    sheet.append(["체육", 201, "생활체육 교실", 2000, "-", 2000])
    sheet.append(["체육", None, "소계", 2000, 0, 2000])
    book.save(path)
    return path


def test_xlsx_with_title_unit_merged_cells_and_two_row_header(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "budget.xlsx")
    batch = read_table(path, government=GOV)
    got = rows(batch)
    assert [r["item_name"] for r in got] == ["거리 공연", "작은 도서관", "생활체육 교실"]
    assert [r["item_code"] for r in got] == ["101", "102", "201"]
    assert [r["field_name"] for r in got] == ["문화", "문화", "체육"]
    assert [r["budget"] for r in got] == [1_500_000, 2_500_000, 2_000_000]
    assert [r["national"] for r in got] == [500_000, 500_000, 0]
    assert [r["provincial"] for r in got] == [1_000_000, 2_000_000, 2_000_000]
    assert [r["row_no"] for r in got] == [2, 3, 5]
    assert batch.counts["subtotals_checked"] == 3
    assert batch.counts["header_row"] == 3
    assert "사업명세" in batch.description
    assert batch.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_xlsx_sheet_option_and_errors(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "budget.xlsx")
    assert read_table(path, government=GOV, sheet="사업명세").counts["items"] == 3
    with pytest.raises(LoadError, match="no sheet '없음'"):
        read_table(path, sheet="없음")
    with pytest.raises(LoadError, match="no item name column"):
        read_table(path, sheet="표지", government=GOV, fiscal_year=2026)


def test_xlsx_subtotal_mismatch(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["회계연도", "세부사업명", "예산액(천원)"])
    sheet.append([2026, "가", 1.5])
    sheet.append([2026, "나", 2])
    sheet.append([2026, "합계", 4])
    path = tmp_path / "sum.xlsx"
    book.save(path)
    with pytest.raises(LoadError) as raised:
        read_table(path, government=GOV)
    (problem,) = raised.value.problems
    assert (problem.row, problem.column, problem.value) == (3, "예산액(천원)", "4")
    assert "difference 500원" in problem.reason


def test_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "fake.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(LoadError, match="cannot read the workbook"):
        read_table(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="cannot read the file"):
        read_table(tmp_path / "nope.csv")
