from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from yesan.errors import LoadError
from yesan.ingest.encoding import decode, detect_encoding, read_text

KOREAN = "세부사업명,예산액\n경로당 운영,1000\n"


def test_utf8_with_bom() -> None:
    data = b"\xef\xbb\xbf" + KOREAN.encode("utf-8")
    assert detect_encoding(data) == "utf-8-sig"
    assert decode(data) == (KOREAN, "utf-8-sig")


def test_utf8_without_bom() -> None:
    assert detect_encoding(KOREAN.encode("utf-8")) == "utf-8"


def test_ascii_is_utf8() -> None:
    assert detect_encoding(b"item_name,budget\nA,1\n") == "utf-8"
    assert detect_encoding(b"") == "utf-8"


def test_cp949_and_euc_kr() -> None:
    assert detect_encoding(KOREAN.encode("euc-kr")) == "cp949"
    # 똠 is outside EUC-KR (KS X 1001) but in CP949's extension
    text = "세부사업명\n똠방각하 지원\n"
    assert decode(text.encode("cp949")) == (text, "cp949")


def test_read_text(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes(KOREAN.encode("cp949"))
    assert read_text(path) == (KOREAN, "cp949")
    with pytest.raises(LoadError, match="cannot read"):
        read_text(tmp_path / "missing.csv")


def test_neither_names_file_and_offset() -> None:
    data = KOREAN.encode("utf-8") + b"\xff\xfe\xff"
    with pytest.raises(LoadError) as raised:
        detect_encoding(data, file="budget.csv")
    message = str(raised.value)
    assert "budget.csv" in message
    assert f"offset {len(KOREAN.encode('utf-8')):,}" in message
    assert "0xFF" in message
    assert "UTF-8" in message and "Re-save" in message


def test_bad_byte_after_bom() -> None:
    data = b"\xef\xbb\xbfabc\xff"
    with pytest.raises(LoadError, match="offset 6"):
        detect_encoding(data, file="x.csv")


def test_utf16_is_refused() -> None:
    with pytest.raises(LoadError, match="UTF-16"):
        detect_encoding("세부사업명".encode("utf-16"), file="x.csv")


def test_mojibake_is_detected() -> None:
    garbled = KOREAN.encode("cp949").decode("latin-1").encode("utf-8")
    with pytest.raises(LoadError) as raised:
        detect_encoding(garbled, file="x.csv")
    assert "mis-decoded" in str(raised.value)
    assert "세부사업명" in str(raised.value)


def test_european_text_is_not_mojibake() -> None:
    text = "name,amount\nCafé crème,1\nÜbergrößenträger,2\nçà et là,3\n"
    assert detect_encoding(text.encode("utf-8")) == "utf-8"


def test_cp949_that_is_also_valid_utf8() -> None:
    # 창 책 칠 are C3/C4/C4-lead byte pairs in CP949: valid two-byte UTF-8 as well
    text = "책,칠\n"
    data = text.encode("cp949")
    data.decode("utf-8")  # the trap: this does not fail
    assert decode(data) == (text, "cp949")


def _latin1_lookalike(text: str) -> bool:
    """CP949 bytes that read as UTF-8 Latin-1 letters only: ambiguous by nature (documented)."""
    try:
        shown = text.encode("cp949").decode("utf-8")
    except UnicodeDecodeError:
        return False
    return all(0xA0 <= ord(c) <= 0xFF for c in shown)


@given(st.text(alphabet=st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3), min_size=1, max_size=30))
def test_any_hangul_round_trips_in_both_encodings(text: str) -> None:
    assert decode(text.encode("utf-8")) == (text, "utf-8")
    assume(not _latin1_lookalike(text))
    assert decode(text.encode("cp949")) == (text, "cp949")
