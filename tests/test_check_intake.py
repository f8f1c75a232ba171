"""The article check's intake (``yesan.web.check_intake``), shared by ``POST /api/check`` and the ``/check`` page."""

from __future__ import annotations

import pytest

from yesan.claims.verdict.check import MAX_TEXT_CHARS
from yesan.web.check_intake import Refused, bounded, decode, from_json, parse_government, parse_year

ARTICLE = "가나시는 내년 예산을 2조 5150억원으로 편성했다."


@pytest.mark.parametrize(("sent", "year"), [("2026", 2026), (2026, 2026), (" 2025 ", 2025), ("", None), (None, None)])
def test_a_year_is_read_as_sent(sent: object, year: int | None) -> None:
    assert parse_year(sent) == year


@pytest.mark.parametrize("sent", ["next year", "²⁰²⁶", "1850", "20260", True, 3.5])
def test_a_bad_year_is_a_400_that_names_it(sent: object) -> None:
    with pytest.raises(Refused, match="bad parameter year") as refused:
        parse_year(sent)
    assert refused.value.status == 400


def test_an_article_in_cp949_is_read_like_utf8() -> None:
    assert decode(ARTICLE.encode("cp949"), "the file a.txt") == decode(ARTICLE.encode("utf-8-sig"), "x") == ARTICLE


def test_bytes_in_no_korean_encoding_are_refused_with_the_files_name() -> None:
    with pytest.raises(Refused, match=r"the file a\.bin is neither UTF-8 nor CP949") as refused:
        decode(b"\xff\xfe\x00\x81\xfe", "the file a.bin")
    assert refused.value.status == 400


def test_a_text_past_the_bound_is_413() -> None:
    assert bounded("가" * MAX_TEXT_CHARS) == "가" * MAX_TEXT_CHARS
    with pytest.raises(Refused, match="at most") as refused:
        bounded("가" * (MAX_TEXT_CHARS + 1))
    assert refused.value.status == 413


def test_a_json_body_gives_text_government_and_year() -> None:
    sent = from_json(f'{{"text": "{ARTICLE}", "government": " 가나시 ", "year": "2026"}}'.encode())
    assert (sent.text, sent.government, sent.year) == (ARTICLE, "가나시", 2026)
    with pytest.raises(Refused, match="missing parameter text"):
        from_json(b'{"text": "  "}')
    with pytest.raises(Refused, match="should be a name or code"):
        parse_government(12)
