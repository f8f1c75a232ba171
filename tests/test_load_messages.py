"""Refusals whose data is refused rightly but whose message used to mislead (issue 19, item 8)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from yesan.errors import LoadError, MoneyError
from yesan.ingest.encoding import decode
from yesan.ingest.fdp import read_package
from yesan.money.parse import parse_cell

TEXT = "사업명,예산액\n경로당 지원,1000\n"
FOREIGN = Path(__file__).parent / "data" / "tabular" / "foreign_fdp"


@pytest.mark.parametrize("codec", ["utf-32", "utf-32-le", "utf-32-be"])
def test_a_utf32_file_is_named_utf32(codec: str) -> None:
    with pytest.raises(LoadError, match="is UTF-32 text") as raised:
        decode(TEXT.encode(codec), file="a.csv")
    assert "UTF-16" not in str(raised.value) and "Re-save the file as UTF-8" in str(raised.value)


def test_a_utf16_file_is_still_named_utf16() -> None:
    with pytest.raises(LoadError, match="is UTF-16 text"):
        decode(TEXT.encode("utf-16"), file="a.csv")


def test_ordinary_text_is_not_taken_for_utf32() -> None:
    assert decode(TEXT.encode("utf-8"), file="a.csv") == (TEXT, "utf-8")
    assert decode(TEXT.encode("cp949"), file="a.csv") == (TEXT, "cp949")


@pytest.mark.parametrize("cell", ["2026-03-01", "2026.3.1", "2026. 3. 1.", "2026/03/01", "2026-03-01 09:30"])
def test_a_date_in_an_amount_column_is_called_a_date(cell: str) -> None:
    with pytest.raises(MoneyError, match="a date is not an amount of money") as raised:
        parse_cell(cell)
    assert "sign after the number" not in str(raised.value)


def test_numbers_that_only_look_like_dates_keep_their_reasons() -> None:
    assert parse_cell("2026") == 2026
    with pytest.raises(MoneyError, match="sign after the number"):
        parse_cell("1,000-")


def test_a_package_without_a_government_names_the_option_as_it_is_spelled(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    shutil.copytree(FOREIGN, package)
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    fields = descriptor["resources"][0]["schema"]["fields"]
    for field in fields:
        if field["name"] in ("town_code", "town"):
            field.pop("columnType", None)
    (package / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(LoadError) as raised:
        read_package(package)
    message = f"{raised.value} {raised.value.hint or ''}"
    assert "--government CODE:NAME" in message and "--gov " not in message
