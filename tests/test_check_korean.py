"""The check's verdicts read in the reader's language: rules, notes and evidence descriptions in Korean on the
Korean page (the default), in English on the English page, and both in ``POST /api/check``'s JSON.

The pages are served for real (uvicorn on a loopback port) over a small store of made-up figures.
"""

from __future__ import annotations

import html
import re
import string
from collections.abc import Iterator
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import httpx
import pytest

from claims_fixtures import build_store
from serving import serving
from yesan.claims.model import VERDICTS
from yesan.claims.verdict.evidence import TIERS
from yesan.claims.verdict.judge import REASONS
from yesan.claims.verdict.rules import compare_amount, compare_percent
from yesan.claims.wording import PHRASES, Phrase

# Our own sentences about the made-up 가나시: a total with its change in percent, a rounded figure, a figure
# the data contradicts, a change, and a program the data does not have.
ARTICLE = (
    "가나시의 2026년 예산안은 2조5150억원으로 전년보다 7% 늘었다. "
    "어르신 무료 급식에는 약 43억원, 청년 월세 지원에는 350억원을 편성했다. "
    "시립 도서관 건립 예산은 155억원으로 35억원 늘었다. 공원 산책로 정비에 12억원이 들어간다."
)
CLAIMS_DIR = Path(__file__).parents[1] / "src" / "yesan" / "claims"
#: The kinds of ``claims.arithmetic`` checks, whose names are looked up as ``kind.<kind>``.
CHECK_KINDS = ("percent", "difference", "implied prior", "share", "parts")


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    folder = tmp_path_factory.mktemp("check_korean")
    with serving(build_store(folder / "s.duckdb", folder), timeout_s=60) as served:
        yield served


def evidence_panel(page: str) -> str:
    """The visible text of the page's verdicts, evidence and arithmetic (after the form), tags removed."""
    start = page.index('id="verdicts"')
    shown = re.sub(r"<[^>]+>", " ", page[start : page.index("</main>")])
    return re.sub(r"\s+", " ", html.unescape(shown))


def literal_words(template: str) -> list[str]:
    """The fixed words of a template, each run between placeholders (``{rule}; read as {label}`` → ``read as``)."""
    parts = [literal for literal, *_ in string.Formatter().parse(template)]
    return [p.strip(" ;:,()'.") for p in parts if len(re.findall(r"[A-Za-z]{2,}", p)) >= 2]


ENGLISH_WORDS = sorted({w for _ko, en in PHRASES.values() for w in literal_words(en) if "--" not in w and "`" not in w})


def test_the_korean_page_explains_each_verdict_in_korean(client: httpx.Client) -> None:
    page = client.post("/check", files={"file": ("", b"")}, data={"text": ARTICLE})
    assert page.status_code == 200, page.text[-2000:]
    shown = evidence_panel(page.text)
    assert "42억 6,000만원을 억 단위로 반올림하면 43억원" in shown
    assert "350억원과 315억원: 35억원 차이" in shown
    assert "'공원 산책로 정비'에 대해 자료에도 기사에도 비교할 금액이 없음" in shown
    assert "시립 도서관 건립: 2025년 대비 증감" in shown  # an evidence description
    assert "증감률 7%: 반올림 일치" in shown and "7.02%를 정수로 반올림하면 7%" in shown  # a note, the arithmetic
    left = [words for words in ENGLISH_WORDS if words in shown]
    assert left == [], f"English sentences on the Korean page: {left}"


def _decision(page: str) -> str:
    """The visible text of the page's 'what is checked' block, which comes before the verdicts."""
    start, end = page.index('id="decision"'), page.index('id="verdicts"')
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page[start:end])))


def test_the_page_says_first_which_government_and_year_it_checked_and_why(client: httpx.Client) -> None:
    page = client.post("/check", files={"file": ("", b"")}, data={"text": ARTICLE})
    shown = _decision(page.text)
    assert "지자체: 가나시" in shown and "기사에서 찾음: '가나시'(0번째 글자)" in shown
    assert "연도: 2026 — '2026년 예산'(5번째 글자); 발행일 모름" in shown
    given = client.post("/check?lang=en", files={"file": ("", b"")},
                        data={"text": ARTICLE, "government": "가나시", "year": "2026"})  # fmt: skip
    shown = _decision(given.text)
    assert "government: 가나시 — given (the form's government field)" in shown
    assert "year: 2026 — given (the form's year field)" in shown


def test_the_english_page_keeps_the_english_sentences(client: httpx.Client) -> None:
    page = client.post("/check?lang=en", files={"file": ("", b"")}, data={"text": ARTICLE})
    assert page.status_code == 200, page.text[-2000:]
    shown = evidence_panel(page.text)
    assert "42억 6,000만원 rounds to 43억원 at 억 precision" in shown
    assert "350억원 vs 315억원: differ by 35억원" in shown
    assert "no figure for '공원 산책로 정비' in the data or in the text to check against" in shown
    assert "시립 도서관 건립: change on 2025" in shown
    assert "does not match" in shown and "반올림하면" not in shown and "차이" not in shown


def test_the_api_keeps_its_english_fields_and_adds_korean_ones(client: httpx.Client) -> None:
    body = client.post("/api/check", json={"text": ARTICLE}).json()
    by_figure = {j["claim"]["amount_text"]: j for j in body["judgements"]}
    mismatch = by_figure["350억원"]
    assert mismatch["rule"] == "350억원 vs 315억원: differ by 35억원 (outside ±5억원, rounding at 십억)"
    assert mismatch["rule_ko"] == "350억원과 315억원: 35억원 차이 (십억 단위 반올림 허용 ±5억원 밖)"
    change = by_figure["35억원"]["evidence"][0]
    assert change["label"].endswith("시립 도서관 건립: change on 2025")
    assert change["label_ko"].endswith("시립 도서관 건립: 2025년 대비 증감")
    total = by_figure["2조5150억원"]
    assert len(total["notes"]) == len(total["notes_ko"]) and total["notes_ko"][0].startswith("증감률 7%")
    [percent] = [c for c in body["checks"] if c["kind"] == "percent"]
    assert percent["kind_ko"] == "증감률" and percent["rule_ko"] == "7.02%를 정수로 반올림하면 7%"


def test_rules_render_amounts_in_korean_units() -> None:
    rounded = compare_amount(264_400_000_000, 10**8, None, 264_385_524_200).rule
    assert rounded == "2,643억 8,552만 4,200원 rounds to 2,644억원 at 억 precision (±5,000만원)"
    assert isinstance(rounded, Phrase)
    assert rounded.render("ko") == "2,643억 8,552만 4,200원을 억 단위로 반올림하면 2,644억원 (허용 ±5,000만원)"
    cut = compare_amount(800_000_000_000, 10**8, None, 860_100_000_000).rule
    assert cut.render("ko").endswith("; 8,601억원을 천억 단위 아래에서 버리면 8,000억원이지만 버림은 반올림이 아님")
    other_way = compare_percent(Decimal("3"), None, Fraction(-3)).rule
    assert other_way.render("ko") == "-3.00%: 기사의 3%와 방향이 반대"


def test_every_sentence_has_both_languages_with_the_same_parameters() -> None:
    formatter = string.Formatter()
    for key, (ko, en) in PHRASES.items():
        assert ko.strip() and en.strip(), key
        fixed = "".join(literal for literal, *_ in formatter.parse(ko))
        assert re.search("[가-힣]", fixed) or not re.search("[A-Za-z]", fixed), f"{key}: no Korean in {ko!r}"
        names = [{name for _, name, _, _ in formatter.parse(text) if name} for text in (ko, en)]
        assert names[0] == names[1], f"{key}: Korean and English take different parameters {names}"
        assert not [w for w in literal_words(ko) if w in ENGLISH_WORDS], f"{key}: English words in Korean: {ko!r}"


def test_every_sentence_the_checks_say_is_in_the_table_and_none_is_unused() -> None:
    source = "\n".join(p.read_text(encoding="utf-8") for p in CLAIMS_DIR.rglob("*.py") if p.name != "wording.py")
    said = set(re.findall(r'Phrase\(\s*"([^"]+)"', source))
    assert said - PHRASES.keys() == set()
    chosen = set(re.findall(r'"([a-z]+\.[a-z_]+)"', source))  # keys picked before the Phrase is made
    dynamic = {f"percent.{how}{whole}" for how in ("rounds", "truncates") for whole in ("", "_whole")}
    dynamic |= {f"kind.{kind}" for kind in CHECK_KINDS}
    dynamic |= {f"reason.{reason}" for reason in REASONS}
    dynamic |= {f"tier.{tier}" for tier in TIERS}  # claims.evidence and claims.model pick them by the tier
    dynamic |= {f"label.{tier}.{verdict}" for tier in (*TIERS, "plain") for verdict in VERDICTS}  # verdict_label
    assert PHRASES.keys() - said - chosen - dynamic == set()


def test_an_unknown_sentence_is_refused_when_it_is_made() -> None:
    with pytest.raises(KeyError, match="add it in both languages"):
        Phrase("judge.no_such_sentence")
