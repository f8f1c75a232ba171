"""The article text claims are read from: HTML main text, corpus headers, sentences."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from conftest import SHARED
from yesan.claims import extract, read_document, to_document
from yesan.claims.article.sentences import split_sentences
from yesan.claims.article.text import looks_like_html

PAGE = """<!doctype html><html><head><title>부산시 내년 예산 17조3천억 - 바다일보</title>
<meta property="article:published_time" content="2025-11-04T10:00:00+09:00">
<script>var ad = "광고 500억원";</script><style>.x{}</style></head>
<body>
<header><a href="/">바다일보</a></header>
<nav class="gnb"><a href="/p">정치</a> <a href="/e">경제 100억원 특집</a></nav>
<div id="wrap"><article class="news_view">
<h1>부산시 내년 예산 17조3천억</h1>
<p>부산시는 2026년도 예산안을 17조3280억원 규모로 편성했다고 4일 밝혔다.</p>
<figure><img src="x.jpg" alt="사진 설명 990억원">
<figcaption>부산시청 전경. 시는 북항 재개발에 420억원을 쓴다.</figcaption></figure>
<p>복지 분야에는 7조1200억원을 배정했다.<br>교통 분야에는 1조4500억원을 편성했다.</p>
<p style="display:none">숨은 문단 300억원</p>
<table><tr><th>구분</th><th>2026년</th></tr><tr><td>복지</td><td>7조1200억원</td></tr></table>
<div class="related_news"><h3>관련기사</h3><ul><li><a href="/1">울산 예산 5조원</a></li></ul></div>
<div id="comment_list">댓글: 예산 800억원은 너무 많다</div>
</article></div>
<footer class="footer">Copyright 바다일보. 무단 전재 및 재배포 금지</footer>
</body></html>"""


def test_html_keeps_headline_paragraphs_captions_and_tables() -> None:
    document = to_document(PAGE)
    assert document.html and document.offset is None
    lines = document.text.split("\n")
    assert lines[0] == "부산시 내년 예산 17조3천억"
    assert "부산시청 전경. 시는 북항 재개발에 420억원을 쓴다." in lines
    assert "복지 분야에는 7조1200억원을 배정했다." in lines and "교통 분야에는 1조4500억원을 편성했다." in lines
    assert "구분\t2026년" in lines and "복지\t7조1200억원" in lines
    assert document.published == date(2025, 11, 4)


@pytest.mark.parametrize(
    "junk", ["광고", "100억원", "990억원", "300억원", "울산", "800억원", "Copyright", "<", ">", "{"]
)
def test_html_drops_scripts_navigation_hidden_related_comments_and_footer(junk: str) -> None:
    assert junk not in to_document(PAGE).text


def test_fragment_title_is_cut_before_page_metadata() -> None:
    fragment = (
        "경기도, 추경 1조2500억원 편성 작성일 11-03 12 목록 <div class='article_view'><section>"
        "<p>경기도는 1조2500억원 규모의 추경안을 도의회에 제출했다.</p>"
        "<p>민생경제 회복 지원에 3200억원을 반영했다.</p></section></div>"
        "<p>Copyright 경기뉴스</p> 관련자료 이전 다음 댓글 0"
    )
    document = to_document(fragment)
    assert document.text.split("\n")[0] == "경기도, 추경 1조2500억원 편성"
    assert "작성일" not in document.text and "댓글" not in document.text and "Copyright" not in document.text


def test_plain_text_header_is_not_body_and_offsets_are_file_offsets(tmp_path: Path) -> None:
    raw = "# source: https://example.org/1\n# date: 2025-10-30 (from URL)\n대구시는 예산 11조원을 편성했다.\n"
    path = tmp_path / "a.txt"
    path.write_text(raw, encoding="utf-8")
    document = read_document(path)
    assert document.text == "대구시는 예산 11조원을 편성했다.\n"
    assert document.offset is not None and raw[document.offset :] == document.text
    assert document.published == date(2025, 10, 30)
    claim = extract(raw)[0]
    assert raw[document.offset + claim.start : document.offset + claim.end] == "11조원"


def test_cp949_files_are_read(tmp_path: Path) -> None:
    path = tmp_path / "euc.txt"
    path.write_bytes("해남군은 농업에 300억원을 편성했다.".encode("cp949"))
    assert read_document(path).text == "해남군은 농업에 300억원을 편성했다."


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    from yesan.errors import YesanError

    with pytest.raises(YesanError, match="cannot read"):
        read_document(tmp_path / "none.txt")


def test_plain_text_with_angle_brackets_is_not_html() -> None:
    assert not looks_like_html("예산 <표> 참고: 1 < 2, 사업비 3억원")
    assert looks_like_html("<p>예산</p>")


def test_sentences_split_run_together_text_but_not_numbers() -> None:
    text = "시는 예산을 밝혔습니다.올해보다 3.0% 늘었다. 서울런 3.0 버전과 e-mail@site.com 은 그대로다…다음\n새 줄"
    sentences = [text[a:b] for a, b in split_sentences(text)]
    assert sentences == [
        "시는 예산을 밝혔습니다.",
        "올해보다 3.0% 늘었다.",
        "서울런 3.0 버전과 e-mail@site.com 은 그대로다…다음",
        "새 줄",
    ]


def test_quoted_sentence_end_followed_by_hangul_continues() -> None:
    text = "그는 “예산이 늘었다.”라고 말했다. 다음 문장."
    assert [text[a:b] for a, b in split_sentences(text)] == ["그는 “예산이 늘었다.”라고 말했다.", "다음 문장."]


SEED = SHARED / "seed" / "000_78fbe5355907ade0.txt"


@pytest.mark.skipif(not SEED.exists(), reason="the seed article is only in the shared folder of the dev machine")
def test_seed_markup_never_leaks_into_text_sentences_or_subjects() -> None:
    document = read_document(SEED)
    assert document.html
    markup = re.compile(r"<[a-z/!]|=\"|contents-hash|dmcf|class=|data-|https?://")
    assert not markup.search(document.text)
    claims = extract(SEED.read_text(encoding="utf-8"))
    assert len(claims) >= 15
    for claim in claims:
        assert not markup.search(claim.sentence)
        assert claim.subject is None or not markup.search(claim.subject)
        assert document.text[claim.start : claim.end] == claim.amount_text


def test_article_body_written_with_line_breaks_and_a_popular_list() -> None:
    page = (
        '<html><head><meta property="og:title" content="원주시, 내년 예산 1조5천억원 편성"></head><body>'
        '<div class="top_menu"><a href="#">로그인</a></div><div id="articleBody">'
        "원주시는 2026년 예산안으로 1조5천억원을 편성했다고 밝혔다.<br><br>"
        "시는 혁신도시 정주여건 개선에 230억원을 반영했다.<br></div>"
        '<div class="popular"><ul><li><a href="#">많이 본 뉴스: 춘천 예산 2조원</a></li></ul></div></body></html>'
    )
    lines = to_document(page).text.split("\n")
    assert lines == [
        "원주시, 내년 예산 1조5천억원 편성",
        "원주시는 2026년 예산안으로 1조5천억원을 편성했다고 밝혔다.",
        "시는 혁신도시 정주여건 개선에 230억원을 반영했다.",
    ]


def test_script_inside_the_headline_is_not_text() -> None:
    page = (
        "<html><body><h1><script>document.write('1조원')</script>예산 기사 제목</h1>"
        "<p>본문에 300억원.</p></body></html>"
    )
    document = to_document(page)
    assert "document" not in document.text and "1조원" not in document.text
    assert document.text.split("\n")[0] == "예산 기사 제목"


def test_deeply_nested_pages_are_read() -> None:
    page = "<html><body>" + "<div>" * 5000 + "예산은 3조원이다." + "</div>" * 5000 + "</body></html>"
    assert [claim.amount_text for claim in extract(page)] == ["3조원"]
