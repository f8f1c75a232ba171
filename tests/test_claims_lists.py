"""Extraction of figures in revision lists, leads, distributions, account totals and budget books (issue 15).

Sentences are written for these tests (no article text); hypothesis varies the numerals, spacing,
particles and bullets around the same patterns.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from yesan.claims.figures.extract import extract
from yesan.claims.figures.lists import governing_direction, split_coordinated

EOK = 10**8
CASES = settings(
    max_examples=int(os.environ.get("YESAN_FUZZ_EXAMPLES", "40")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)
PROGRAMS = ("체육관 설계", "축제 지원", "홍보물 제작", "청사 리모델링", "꽃길 조성", "음악회 개최", "해외 연수")
CUT_VERBS = ("삭감했다", "전액 삭감했다", "감액했다", "감액됐다", "삭감됐다", "줄였다", "깎았다")
RAISE_VERBS = ("증액했다", "증액됐다", "늘렸다", "추가 반영했다")
eok = st.integers(min_value=1, max_value=900)
programs = st.lists(st.sampled_from(PROGRAMS), min_size=2, max_size=4, unique=True)


def _amount(value: int, spaced: bool) -> str:
    return f"{value}억{' ' if spaced else ''}원"


def _signs(text: str) -> list[int]:
    return [(claim.amount_krw > 0) - (claim.amount_krw < 0) for claim in extract(text) if claim.kind == "change"]


@CASES
@given(
    names=programs,
    values=st.lists(eok, min_size=4, max_size=4),
    spaced=st.booleans(),
    verb=st.sampled_from(CUT_VERBS + RAISE_VERBS),
    parens=st.booleans(),
    obj=st.sampled_from(["등 행사 예산을 ", "등을 ", "등이 ", "등 "]),
)
def test_the_predicate_after_a_list_signs_every_amount_in_it(
    names: list[str], values: list[int], spaced: bool, verb: str, parens: bool, obj: str
) -> None:
    items = [
        f"{n}({_amount(v, spaced)})" if parens else f"{n} {_amount(v, spaced)}"
        for n, v in zip(names, values, strict=False)
    ]
    text = f"시의회는 {', '.join(items)} {obj}{verb}"
    sign = -1 if verb in CUT_VERBS else 1
    claims = extract(text)
    assert [c.kind for c in claims] == ["change"] * len(names), text
    assert [c.amount_krw for c in claims] == [sign * v * EOK for v in values[: len(names)]], text
    assert [c.subject and c.subject.split()[0] for c in claims] == [n.split()[0] for n in names], text


@CASES
@given(
    names=programs,
    values=st.lists(eok, min_size=4, max_size=4),
    lead=st.sampled_from(["주요 삭감 내용은", "감액한 주요 예산은", "반면 감액된 사업들은", "주요 증액 사업은"]),
    bullet=st.sampled_from(["", "▲", "△", "- "]),
)
def test_a_lead_that_names_the_change_signs_the_listed_amounts(
    names: list[str], values: list[int], lead: str, bullet: str
) -> None:
    items = [f"{bullet}{n}({v}억원)" for n, v in zip(names, values, strict=False)]
    separator = " " if bullet in ("▲", "△") else ", "
    text = f"{lead} {separator.join(items)} 등이다."
    sign = 1 if "증액" in lead else -1
    assert _signs(text) == [sign] * len(names), text


@CASES
@given(names=programs, values=st.lists(eok, min_size=4, max_size=4), verb=st.sampled_from(["반영됐다", "포함됐다"]))
def test_bullet_marks_are_not_arrows_and_a_neutral_predicate_leaves_levels(
    names: list[str], values: list[int], verb: str
) -> None:
    text = (
        "주요 반영 사업은 " + " ".join(f"▲{n} {v}억 원" for n, v in zip(names, values, strict=False)) + f" 등이 {verb}"
    )
    claims = extract(text)
    assert [c.kind for c in claims] == ["allocation"] * len(names), text
    assert all(c.amount_krw > 0 for c in claims)


def test_each_clause_takes_its_own_verb() -> None:
    text = "위원회는 홍보 사업 등 3건에 4,120만원을 감액하고, 복지관 보수 등에 2억원을 증액했다."
    assert [c.amount_krw for c in extract(text)] == [-41_200_000, 2 * EOK]
    text = (
        "일반회계에서 공연장 운영비 15억 원 등 총 90억 원이 증액된 반면 소송 배상금 14억 원 등 총 60억 원이 삭감됐다."
    )
    assert [c.amount_krw // EOK for c in extract(text)] == [15, 90, -14, -60]


def test_a_level_and_an_expanding_program_are_not_changes() -> None:
    assert [c.kind for c in extract("경로당 신축(26억 원), 복지관 증축(25억 원) 등 노인 복지도 확대된다.")] == [
        "allocation",
        "allocation",
    ]
    assert [c.kind for c in extract("기초생활보장에 4조원을 배정해 급여를 확대하고, 돌봄에 300억원을 늘렸다.")] == [
        "allocation",
        "change",
    ]
    claims = extract("급식 예산은 올해 500억원에서 300억원으로 40%(200억원) 줄어든다.")
    assert [(c.kind, c.amount_krw // EOK) for c in claims] == [("prior", 500), ("allocation", 300), ("change", -200)]


def test_a_cut_named_before_the_amount_is_a_negative_change() -> None:
    claim = extract("예결위에서 삭감된 예산은 모두 12억3천만원이다.")[0]
    assert (claim.kind, claim.amount_krw) == ("change", -1_230_000_000)


def test_governing_direction_stops_at_the_end_of_the_clause() -> None:
    text = "A 3억원을 편성했고, B는 줄였다"
    assert governing_direction(text, text.index("원") + 1, len(text)) is None
    assert governing_direction("원을 삭감", 0, 5) == -1
    assert governing_direction("원, 일자리 확대 지원 2억원 등이 반영됐다", 0, 24) is None  # 확대 inside a name


@CASES
@given(
    names=programs,
    value=eok,
    joiner=st.sampled_from(["과 ", "와 ", ", ", " 및 ", "·"]),
    each=st.sampled_from(["각 {}씩", "각각 {}", "각 {}", "{}씩"]),
)
def test_an_amount_for_each_of_several_subjects_is_one_claim_per_subject(
    names: list[str], value: int, joiner: str, each: str
) -> None:
    pair = names[:2]
    text = f"시는 {pair[0]}{joiner if joiner != '과 ' else '과 '}{pair[1]}에 {each.format(f'{value}억 원')} 배정했다."
    claims = extract(text)
    assert [c.amount_krw for c in claims] == [value * EOK, value * EOK], text
    assert [c.subject for c in claims] == pair, text
    assert claims[0].start == claims[1].start  # both point at the one figure


@CASES
@given(
    names=programs,
    values=st.lists(st.integers(min_value=1, max_value=900), min_size=2, max_size=2, unique=True),
    joiner=st.sampled_from(["과 ", "와 ", ", ", " 및 "]),
    topic=st.sampled_from(["에 각각", "에는 각각", "은 각각", "이 각각"]),
    unit=st.sampled_from(["억원", "억 원"]),
    note=st.sampled_from(["", "(10% 증가)"]),
)
def test_a_paired_list_binds_its_subjects_to_its_amounts_in_order(
    names: list[str], values: list[int], joiner: str, topic: str, unit: str, note: str
) -> None:
    first, second = names[:2]
    lead = "군은 " if topic.startswith("에") else ""
    text = f"{lead}{first}{joiner}{second}{topic} {values[0]}{unit}{note}, {values[1]}{unit}{note}이 배정됐다."
    claims = extract(text)
    assert [(c.subject, c.amount_krw) for c in claims] == [(first, values[0] * EOK), (second, values[1] * EOK)], text


def test_a_paired_list_splits_at_a_middle_dot_only_when_that_makes_the_count() -> None:
    text = "문화·체육 분야와 환경 분야에는 각각 50억원, 30억원을 새로 편성했다."
    assert [c.subject for c in extract(text)] == ["문화·체육 분야", "환경 분야"]
    text = "문화·체육에 각각 50억원, 30억원을 배정했다."
    assert [c.subject for c in extract(text)] == ["문화", "체육"]


def test_a_paired_list_is_named_without_the_clause_that_says_what_the_names_are() -> None:
    text = "주요 세입인 취득세, 등록면허세는 각각 300억원, 60억원이다."
    assert [c.subject for c in extract(text)] == ["취득세", "등록면허세"]


def test_split_coordinated_keeps_words_that_contain_the_particle() -> None:
    assert split_coordinated("도서관 건립과 공원 조성") == ["도서관 건립", "공원 조성"]
    assert split_coordinated("기와 보수") == []  # 와 inside a word, no space after it
    assert split_coordinated("청년 창업 지원") == []


def test_accounts_and_ministries_are_totals() -> None:
    text = "내년 예산안은 일반회계 1조2000억원, 특별회계 3000억원, 교육비특별회계 500억원이다."
    assert [c.kind for c in extract(text)] == ["total"] * 3
    assert extract("내년도 보건복지부 예산이 125조원으로 확정됐다.")[0].kind == "total"
    assert extract("정부 예산은 총지출 기준 700조원으로 결정됐다.")[0].kind == "total"
    assert extract("복지부는 경로당 냉난방비로 300억원을 편성했다.")[0].kind == "allocation"


def test_per_unit_amounts_are_not_budget_lines() -> None:
    text = "재난지원금은 시민 1인당 83만원이다. 월 30만원을 지원한다."
    assert [c.kind for c in extract(text)] == ["other", "other"]


BOOK = """2026년도 제1회 추가경정예산 사업명세서 (단위: 천원)
┌──────────┬─────────┬─────────┬─────────┐
│ 세부사업 │ 예산액 │ 기정액 │ 증감 │
├──────────┼─────────┼─────────┼─────────┤
│ 경로당 운영 지원 │ 125,000 │ 100,000 │ 25,000 │
│ 청년 창업 지원 │ 80,000 │ 83,000 │ △3,000 │
└──────────┴─────────┴─────────┴─────────┘
 ○ 경로당 냉난방비 지원
   - 냉방비 : 50,000원 × 250개소 = 12,500
   - 사업 조정 = △3,000
"""


def test_a_box_drawn_budget_book_in_thousand_won() -> None:
    got = [(c.amount_krw, c.kind, c.subject) for c in extract(BOOK)]
    assert got == [
        (125_000_000, "allocation", "경로당 운영 지원"),
        (100_000_000, "prior", "경로당 운영 지원"),
        (25_000_000, "change", "경로당 운영 지원"),
        (80_000_000, "allocation", "청년 창업 지원"),
        (83_000_000, "prior", "청년 창업 지원"),
        (-3_000_000, "change", "청년 창업 지원"),  # △ is a minus in a budget book
        (50_000, "other", "냉방비"),  # a unit price, in won
        (12_500_000, "allocation", "냉방비"),  # the 산출기초 result, in 천원
        (-3_000_000, "change", "사업 조정"),
    ]
    prior = extract(BOOK)[1]
    assert prior.year == 2026  # 기정액: this year's budget before the revision


@CASES
@given(value=st.integers(min_value=1, max_value=9_999_999), minus=st.sampled_from(["", "△", "-"]))
def test_calculation_basis_results_are_in_the_books_unit(value: int, minus: str) -> None:
    assume(value != 10_000)  # 1,000원 × 10명 = 10,000 would be the product itself, in 원 (see the next test)
    text = f"(단위: 천원)\n - 운영비 : 1,000원 × 10명 = {minus}{value:,}\n"
    claims = [c for c in extract(text) if c.kind != "other"]  # the unit price 1,000원 is not a budget line
    assert [c.amount_krw for c in claims] == [(-1 if minus else 1) * value * 1000]


@CASES
@given(
    value=st.integers(min_value=1_000, max_value=9_000),
    verb=st.sampled_from(["원안대로 {}을 의결했다.", "{}을 그대로 유지했다.", "최종 {}으로 확정했다."]),
    unit=st.sampled_from(["억원", "억 원"]),
)
def test_a_whole_budget_left_unnamed_in_its_clause_is_the_budget_the_article_names(
    value: int, verb: str, unit: str
) -> None:
    amount = f"{value}{unit}"
    text = (
        f"가나군은 2027년도 예산안을 {amount} 규모로 편성했다. 일반회계 800억원, 특별회계 200억원이다. "
        f"군의회는 {verb.format(amount)}"
    )
    claims = [c for c in extract(text) if c.amount_krw == value * EOK]
    assert [(c.kind, c.subject) for c in claims] == [("total", "2027년도 예산안")] * 2, text


@CASES
@given(when=st.sampled_from(["올해", "지난해", "전년도", "금년"]), space=st.sampled_from([" ", ""]))
def test_a_prior_written_with_its_time_alone_is_that_years_budget(when: str, space: str) -> None:
    text = f"군은 {when}{space}4900억 원에 비해 300억 원 늘어난 5200억 원을 의회에 냈다."
    prior = extract(text)[0]
    assert (prior.kind, prior.subject) == ("prior", f"{when} 예산"), text


@CASES
@given(
    topics=st.sampled_from([("도시지역", "농촌지역"), ("동부권", "서부권"), ("1단계 지역", "2단계 지역")]),
    grades=st.lists(st.sampled_from(["우수 지역", "S등급", "A등급", "B등급"]), min_size=2, max_size=3, unique=True),
    unit=st.sampled_from(["억원", "억 원"]),
    particle=st.sampled_from(["은", "는"]),
)
def test_items_listed_under_two_topics_are_named_with_their_topic(
    topics: tuple[str, str], grades: list[str], unit: str, particle: str
) -> None:
    first = ", ".join(f"{grade} {50 - k}{unit}" for k, grade in enumerate(grades))
    second = ", ".join(f"{grade} {20 - k}{unit}" for k, grade in enumerate(grades))
    text = f"배분액이 정해졌다. {topics[0]}{particle} {first}, {topics[1]}{particle} {second}이다."
    expected = [f"{topic} {grade}" for topic in topics for grade in grades]
    assert [c.subject for c in extract(text)] == expected, text


def test_a_list_under_one_topic_or_with_no_item_in_common_keeps_its_names() -> None:
    text = "배분액이 정해졌다. 도시지역은 우수 지역 50억원, A등급 30억원이다."
    assert [c.subject for c in extract(text)] == ["우수 지역", "A등급"]
    text = "예산이 정해졌다. 복지 분야는 경로당 지원 50억원, 문화 분야는 도서관 건립 30억원이다."
    assert [c.subject for c in extract(text)] == ["경로당 지원", "도서관 건립"]


@CASES
@given(
    budget=st.sampled_from(["내년도 예산이", "내년 예산은", "내년도 예산은"]),
    base=st.sampled_from(["정부안 대비", "정부안보다", "당초 정부안보다"]),
    verb=st.sampled_from([("증액됐다", "증액"), ("감액됐다", "감액")]),
    value=eok,
)
def test_a_whole_budgets_change_is_named_by_the_base_it_is_measured_from(
    budget: str, base: str, verb: tuple[str, str], value: int
) -> None:
    text = f"가나군은 {budget} {base} {value}억원 {verb[0]}고 밝혔다."
    change = extract(text)[0]
    assert change.kind == "change" and change.subject is not None, text
    assert change.subject.endswith(f"정부안 대비 {verb[1]}"), text


def test_a_programs_change_keeps_the_programs_name() -> None:
    assert extract("도서관 건립 예산은 정부안 대비 30억원 증액됐다.")[0].subject == "도서관 건립 예산 증가분"
