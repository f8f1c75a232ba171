"""What a check is about: the government and the year, from explicit names and budget-year cues, or none.

All sentences are written for these tests. Detection reads the bundled directory of governments (no store
needed); the checks at the end run against a real store file with the made-up 가나시's reported figures.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claims_fixtures import build_store
from yesan.claims.article.romanize import romanize
from yesan.claims.candidates.government import Directory, find_government
from yesan.claims.candidates.scope import read_text
from yesan.claims.figures.budget_year import find_budget_year
from yesan.claims.verdict.check import CheckReport, check
from yesan.query import open_backend, tables

DIRECTORY = Directory.bundled()


def government(text: str, *, address: str | None = None) -> str | None:
    found = find_government(text, DIRECTORY, address=address)
    return found.entry.label if found else None


# --- explicit names win over stems and everyday words -----------------------------------------------


def test_a_seoul_article_that_strengthens_something_is_about_seoul() -> None:
    text = "서울시는 내년 예산안에서 재난 안전 관리를 강화한다. 강화된 기준은 모든 자치구에 적용된다."
    assert government(text) == "서울특별시"


def test_a_gu_council_article_is_that_gu_of_its_gwangyeok() -> None:
    text = (
        "서울 도봉구의회는 20일 본회의에서 내년도 예산안을 수정해 의결했다. "
        "도봉구가 제출한 예산안 가운데 청사 관리비를 줄였다. 서울시 교부금은 그대로다."
    )
    found = find_government(text, DIRECTORY)
    assert found is not None and found.entry.label == "서울특별시 도봉구" and found.entry.level == "기초"
    assert [m.text for m in found.mentions][:2] == ["서울 도봉구", "도봉구"]


def test_sejong_is_found_by_its_short_name() -> None:
    assert government("세종시는 2026년 본예산을 확정했다. 세종시 의회는 원안대로 통과시켰다.") == "세종특별자치시"


def test_a_ministry_article_is_about_the_ministry_not_a_place() -> None:
    text = "행정안전부는 내년 예산안을 발표했다. 행안부는 재난 대응 사업을 늘리고, 정부는 지방 교부세를 유지한다."
    found = find_government(text, DIRECTORY)
    assert found is not None and found.entry.label == "행정안전부" and found.entry.level == "중앙부처"


def test_a_government_budget_article_is_the_central_governments_and_its_dateline_is_not_a_place() -> None:
    text = "[서울=가상통신] 내년도 정부 예산안이 국회를 통과했다. 정부안에서 일부가 줄었다. [서울=가상통신] 사진"
    assert government(text) == "중앙정부"


def test_a_name_several_governments_share_needs_its_gwangyeok() -> None:
    assert government("부산 동구는 내년 예산을 늘린다. 동구청은 복지 사업을 확대한다.") == "부산광역시 동구"
    assert government("동구청은 복지 사업을 확대한다.") is None
    assert government("광주시는 내년 예산을 발표했다.") == "광주광역시"
    assert government("경기 광주시는 내년 예산을 발표했다. 광주시는 도로 예산을 늘렸다.") == "경기도 광주시"


def test_everyday_words_that_look_like_places_name_nothing() -> None:
    text = "경기 침체로 세수가 줄었다. 회의에서 고성이 오갔고, 의견이 중구난방이었다. 예산 편성을 강화한다."
    assert government(text) is None


def test_a_jeju_administrative_city_is_jejus_budget() -> None:
    assert government("제주시는 내년 예산으로 도로를 정비한다.") == "제주특별자치도"


def test_a_budget_book_on_a_governments_site_is_that_governments() -> None:
    assert romanize("영암") == "yeongam" and romanize("종로") == "jongno"
    text = "제1회 추가경정예산 세출예산 사업명세서 (단위: 천원)"
    assert government(text, address="https://www.yeongam.go.kr/download/budget/a.txt") == "전라남도 영암군"
    assert government(text, address="https://news.example.com/yeongam") is None


# --- the year: budget-year cues with the publication date, never a target year ------------------------


def test_next_years_budget_is_the_publication_year_plus_one() -> None:
    found = find_budget_year("시는 내년도 예산안을 의회에 냈다.", date(2025, 10, 30))
    assert found.year == 2026 and [c.text for c in found.cues] == ["내년도 예산"]


def test_a_named_budget_year_is_taken_as_written() -> None:
    assert find_budget_year("2026년 경기도 예산안이 통과됐다.", None).year == 2026
    assert find_budget_year("2025년도 제4회 추가경정예산안을 심사했다.", None).year == 2025


def test_target_years_and_passing_mentions_are_not_budget_years() -> None:
    text = "2030년까지 공원을 늘린다. 2024년 대비 인구가 줄었다. 사업은 2022년에 시작됐다."
    assert find_budget_year(text, date(2025, 10, 30)).year is None


def test_the_base_of_a_comparison_is_not_the_budget_year() -> None:
    found = find_budget_year("올해 예산(48조원)보다 늘어난 내년 예산을 발표했다.", date(2025, 10, 30))
    assert found.year == 2026 and [c.text for c in found.cues] == ["내년 예산"]


def test_next_year_without_a_publication_date_is_no_year() -> None:
    found = find_budget_year("시는 내년 예산을 발표했다.", None)
    assert found.year is None and found.cues[0].year is None


def test_the_new_years_budget_depends_on_the_month_it_is_written() -> None:
    assert find_budget_year("새해 예산이 확정됐다.", date(2025, 12, 20)).year == 2026
    assert find_budget_year("새해 예산을 집행한다.", date(2026, 1, 8)).year == 2026


def test_a_title_counts_and_is_marked_as_the_titles() -> None:
    finding, year = read_text("본문에는 이름이 없다.", DIRECTORY, title="고흥군 2024년도 본예산 확정")
    assert finding is not None and finding.entry.label == "전라남도 고흥군"
    assert year.year == 2024 and year.cues[0].where == "title"


# --- unrelated everyday words change nothing ------------------------------------------------------

#: Sentences with everyday words that look like place names (강화 strengthen, 예산 budget, 고성 shouting,
#: 중구난방 disorder, 경기 the economy, 광주리 a basket, 서구 the West, 세종대왕 a king), and no money or year.
DISTRACTORS = (
    "안전 점검을 강화한다.",
    "예산 편성 과정을 설명했다.",
    "회의장에서는 고성이 오갔다.",
    "의견이 중구난방으로 나왔다.",
    "경기 침체가 길어지고 있다.",
    "광주리에 과일을 담았다.",
    "서구 사회의 흐름과 다르다.",
    "세종대왕 동상 앞에서 행사가 열렸다.",
    "감시를 강화하고 예산 집행을 점검한다.",
    "동해 바다를 바라보며 쉬었다.",
)
ARTICLES = {
    "서울특별시": "서울시는 내년 예산안을 51조원으로 편성했다.\n서울시의회는 다음 달 심사한다.\n",
    "서울특별시 도봉구": "서울 도봉구의회는 내년도 예산안을 의결했다.\n도봉구의 예산은 늘었다.\n",
    "행정안전부": "행정안전부는 내년 예산안을 발표했다.\n행안부 예산은 늘었다.\n",
    "전라남도 고흥군": "고흥군은 2026년 본예산을 확정했다.\n고흥군의회가 원안대로 통과시켰다.\n",
}


def _insert(text: str, extra: list[tuple[int, str]]) -> str:
    lines = text.splitlines(keepends=True)
    for at, sentence in extra:
        lines.insert(at % (len(lines) + 1), sentence + "\n")
    return "".join(lines)


@settings(max_examples=40, deadline=None)
@given(
    name=st.sampled_from(sorted(ARTICLES)),
    extra=st.lists(st.tuples(st.integers(0, 10), st.sampled_from(DISTRACTORS)), max_size=6),
)
def test_everyday_words_added_anywhere_do_not_change_the_government_or_year(
    name: str, extra: list[tuple[int, str]]
) -> None:
    text = _insert(ARTICLES[name], extra)
    finding, year = read_text(text, DIRECTORY, published=date(2025, 10, 30))
    assert finding is not None and finding.entry.label == name
    assert year.year == 2026


# --- what the check does with them ----------------------------------------------------------------


@pytest.fixture(scope="module")
def store_tables(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    folder = tmp_path_factory.mktemp("scope")
    backend = open_backend(build_store(folder / "s.duckdb", folder))
    try:
        yield tables(backend)
    finally:
        backend.disconnect()


GANA = "가나시는 2026년 예산안을 발표했다.\n어르신 무료 급식에 42억6000만원, 청년 월세 지원에 350억원을 편성했다.\n"


def _verdicts(report: CheckReport) -> dict[str, str]:
    return {j.claim.amount_text: j.verdict for j in report.judgements}


def test_a_government_without_data_is_unverifiable_and_says_why(store_tables: object) -> None:
    report = check("# date: 2025-10-30\n서울시는 내년 예산을 51조5060억원으로 편성했다.\n", store_tables)
    assert report.government == "서울특별시" and report.year == 2026
    assert set(_verdicts(report).values()) == {"확인 불가"}
    rule = report.judgements[0].rule
    assert "서울특별시 2026: no line items and no reported figures loaded" in rule
    assert "불러온 세부사업도 보도 수치도 없어 확인 불가" in rule.render("ko")  # type: ignore[attr-defined]
    assert report.as_dict()["detection"]["government_reasons"]["mentions"][0]["text"] == "서울시"


def test_an_article_without_a_year_is_unverifiable(store_tables: object) -> None:
    report = check("가나시는 어르신 무료 급식에 42억6000만원을 편성했다.\n", store_tables)
    assert report.government == "가나시" and report.year is None
    assert _verdicts(report) == {"42억6000만원": "확인 불가"}
    assert "the budget year is unknown" in report.judgements[0].rule
    given_year = check("가나시는 어르신 무료 급식에 42억6000만원을 편성했다.\n", store_tables, year=2026)
    assert _verdicts(given_year) == {"42억6000만원": "일치"}
    assert given_year.scope is not None and given_year.scope.year_from == "option"


def test_the_options_override_the_text_and_say_so(store_tables: object) -> None:
    report = check("서울시는 청년 월세 지원에 350억원을 편성했다.\n", store_tables, government="가나시", year=2026)
    detection = report.as_dict()["detection"]
    assert report.government == "가나시" and detection["government_from"] == "option"
    assert detection["summary"][0] == "government: 가나시 — given (--government)"
    assert detection["summary_ko"][1] == "연도: 2026 — 지정함 (--year)"


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(extra=st.lists(st.tuples(st.integers(0, 3), st.sampled_from(DISTRACTORS)), min_size=1, max_size=4))
def test_everyday_words_added_anywhere_do_not_change_a_verdict(
    store_tables: object, extra: list[tuple[int, str]]
) -> None:
    before = check(GANA, store_tables)
    after = check(_insert(GANA, extra), store_tables)
    assert after.government == before.government == "가나시" and after.year == 2026
    assert _verdicts(after) == _verdicts(before) == {"42억6000만원": "일치", "350억원": "불일치"}


def test_the_detection_reasons_point_into_the_text(store_tables: object, tmp_path: Path) -> None:
    report = check(GANA, store_tables)
    assert report.scope is not None and report.scope.finding is not None
    mention = report.scope.finding.mentions[0]
    assert GANA[mention.start : mention.end] == "가나시"
    [cue] = report.scope.year_finding.cues  # type: ignore[union-attr]
    assert GANA[cue.start : cue.end] == "2026년 예산"
