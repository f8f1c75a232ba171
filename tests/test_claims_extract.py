"""Extraction of money figures from articles: one claim per figure, with kind, subject, rate, year, stage.

Every sentence here is written for these tests (governments other than the dev corpus's Seoul).
"""

from __future__ import annotations

import json

import pytest

from yesan.claims import CLAIM_FIELDS, Claim, extract

EOK = 10**8
JO = 10**12


def by_text(claims: list[Claim]) -> dict[str, Claim]:
    return {claim.amount_text: claim for claim in claims}


def test_each_figure_of_a_list_gets_its_own_subject() -> None:
    text = (
        "부산시는 북항 재개발에 420억원, 가덕도 교통망 구축에 1850억원, 엑스포 기념공원 조성에 95억원을 각각 편성했다."
    )
    claims = extract(text)
    assert [(c.amount_krw, c.subject, c.kind) for c in claims] == [
        (420 * EOK, "북항 재개발", "allocation"),
        (1850 * EOK, "가덕도 교통망 구축", "allocation"),
        (95 * EOK, "엑스포 기념공원 조성", "allocation"),
    ]


def test_parenthesised_amounts_take_the_name_before_them() -> None:
    text = "군은 어르신 일자리(85억원), 아동 돌봄센터 확충(32억원), 청년 창업 지원(18억원) 등에 예산을 반영했다."
    assert [(c.subject, c.amount_krw) for c in extract(text)] == [
        ("어르신 일자리", 85 * EOK),
        ("아동 돌봄센터 확충", 32 * EOK),
        ("청년 창업 지원", 18 * EOK),
    ]


def test_an_action_in_front_of_the_parenthesis_points_to_its_object() -> None:
    claim = extract("도는 '경기형 산후조리원'을 신규 추진(24억원)한다.")[0]
    assert claim.subject == "'경기형 산후조리원'"


def test_increase_before_the_level_is_a_signed_change() -> None:
    text = "대전시는 청년 사업에 올해보다 120억원 늘린 총 980억원을 투입한다."
    change, level = extract(text)
    assert (change.kind, change.amount_krw, change.subject) == ("change", 120 * EOK, "청년 사업 증가분")
    assert (level.kind, level.amount_krw, level.subject) == ("allocation", 980 * EOK, "청년 사업")


def test_cuts_are_negative() -> None:
    claims = extract("대구시의회는 신청사 설계비 30억원을 전액 삭감했다. 도로 사업비는 12억원 줄었다.")
    assert [(c.kind, c.amount_krw) for c in claims] == [("change", -30 * EOK), ("change", -12 * EOK)]
    assert claims[0].subject == "신청사 설계비 감소분"


def test_rate_before_the_level_belongs_to_the_level() -> None:
    claim = extract("광주시의 내년 예산은 올해 대비 6.2% 늘어난 8조1200억원이다.")[0]
    assert (claim.kind, claim.change_pct, claim.subject) == ("total", 6.2, "광주시의 내년 예산")


def test_total_in_one_sentence_and_its_change_in_the_next() -> None:
    text = (
        "울산시는 2026년도 예산안을 5조4000억원 규모로 편성했다. "
        "올해 본예산(5조1000억원)보다 3000억원(5.9%) 늘어난 규모다."
    )
    total, prior, change = extract(text)
    assert (total.kind, total.subject, total.change_pct, total.stage, total.year) == (
        "total",
        "2026년도 예산안",
        5.9,
        "예산안",
        2026,
    )
    assert (prior.kind, prior.subject, prior.stage, prior.year, prior.change_pct) == (
        "prior",
        "올해 본예산",
        "본예산",
        2025,
        None,
    )
    assert (change.kind, change.amount_krw, change.change_pct) == ("change", 3000 * EOK, 5.9)


def test_a_rate_next_to_a_decrease_is_negative() -> None:
    claims = extract("교통 분야는 1조2000억원으로 지난해 1조3000억원 대비 1000억원, 7.7% 감소했다.")
    assert [(c.kind, c.amount_krw, c.change_pct) for c in claims] == [
        ("allocation", 12000 * EOK, -7.7),
        ("prior", 13000 * EOK, None),
        ("change", -1000 * EOK, -7.7),
    ]


def test_qualifiers_around_the_amount() -> None:
    claims = by_text(extract("시는 도로 정비에 1조원 이상, 공원 조성에 약 300억원, 하천 정비에 200억원 넘게 쓴다."))
    assert claims["1조원"].qualifier == "이상"
    assert claims["300억원"].qualifier == "약"
    assert claims["200억원"].qualifier == "넘게"


def test_headline_without_won_and_rounded_total() -> None:
    text = "부산시 내년 예산 17.3조…복지에 7조 투입\n부산시는 2026년도 예산안을 17조3280억원 규모로 편성했다."
    claims = extract(text)
    assert [(c.amount_text, c.amount_krw, c.kind) for c in claims] == [
        ("17.3조", 173 * 10**11, "total"),
        ("7조", 7 * JO, "allocation"),
        ("17조3280억원", 173_280 * EOK, "total"),
    ]
    assert claims[1].subject == "복지"


def test_middle_dot_typed_for_a_decimal_point() -> None:
    claim = extract("대전시 예산 7·2조 확정")[0]
    assert (claim.amount_text, claim.amount_krw) == ("7·2조", 72 * 10**11)


def test_mixed_numerals() -> None:
    claim = extract("군은 중기 재정계획 2조9백억원 가운데 농업에 3천2백억원을 쓴다.")[1]
    assert claim.amount_krw == 3200 * EOK and claim.subject == "농업"
    assert extract("총 2조9백억원")[0].amount_krw == 2_090_000_000_000


def test_triangle_bullets_are_not_minus_signs() -> None:
    text = "주요 사업은 △복합환승센터 건립 120억원 △농촌 기본소득 96억원 △공공 산후조리원 15억원이다."
    claims = extract(text)
    assert [(c.amount_krw, c.subject) for c in claims] == [
        (120 * EOK, "복합환승센터 건립"),
        (96 * EOK, "농촌 기본소득"),
        (15 * EOK, "공공 산후조리원"),
    ]


def test_table_with_a_declared_unit() -> None:
    text = (
        "분야별 세출 결산 (단위: 천원)\n"
        "구분\t2024년 결산\t2025년 결산\t증감\t증감률(%)\n"
        "합계\t950,000,000\t987,000,000\t37,000,000\t3.9\n"
        "농림해양수산\t220,000,000\t214,800,000\t△5,200,000\t△2.4\n"
    )
    claims = extract(text)
    assert [(c.amount_text, c.amount_krw, c.kind, c.subject, c.year) for c in claims] == [
        ("950,000,000", 950 * 10**9, "prior", "합계", 2024),
        ("987,000,000", 987 * 10**9, "total", "합계", 2025),
        ("37,000,000", 37 * 10**9, "change", "합계", 2025),
        ("220,000,000", 220 * 10**9, "prior", "농림해양수산", 2024),
        ("214,800,000", 2148 * 10**8, "allocation", "농림해양수산", 2025),
        ("△5,200,000", -52 * 10**8, "change", "농림해양수산", 2025),
    ]
    assert all(c.stage == "결산" for c in claims)
    assert claims[5].change_pct == -2.4


def test_numbers_of_a_table_without_a_unit_are_not_money() -> None:
    assert extract("구분\t2025\t2026\n사업 수\t120\t135\n") == []


def test_the_same_amount_twice_in_a_sentence_has_two_positions() -> None:
    text = "15억원을 들여 공공 산후조리원(15억원)을 새로 연다."
    first, second = extract(text)
    assert first.start < second.start
    assert text[first.start : first.end] == text[second.start : second.end] == "15억원"
    assert first.subject == second.subject == "공공 산후조리원"


def test_run_together_subheads() -> None:
    text = "충북도, 2026년 예산안 제출올해보다 4100억원 늘어 역대 최대복지예산 2조6000억원, 전체의 30%"
    change, welfare = extract(text)
    assert (change.kind, change.amount_krw) == ("change", 4100 * EOK)
    assert (welfare.kind, welfare.subject) == ("allocation", "복지예산")


def test_money_that_is_not_a_budget_allocation_is_other() -> None:
    text = "청년 월세는 1인당 월 20만원씩 지원한다. 시 채무는 4조2000억원 수준이다. 이월액 640억원을 제외했다."
    assert [(c.kind, c.subject) for c in extract(text)] == [
        ("other", "청년 월세"),
        ("other", "시 채무"),
        ("other", "이월액"),
    ]


def test_thresholds_are_not_figures() -> None:
    claims = extract("광주시 예산이 8조원을 넘긴 것은 처음이다. 광주시는 8조1200억원을 편성했다.")
    assert [c.amount_text for c in claims] == ["8조1200억원"]


def test_council_cut_against_the_proposal() -> None:
    text = (
        "대구시의회는 15일 본회의를 열고 2026년도 대구시 예산 11조6095억원을 의결했다. "
        "이는 시가 제출한 예산안 11조6190억원보다 95억원 줄어든 규모다."
    )
    enacted, proposed, cut = extract(text)
    assert (enacted.kind, enacted.stage) == ("total", "본예산")
    assert (proposed.kind, proposed.stage, proposed.subject) == ("total", "예산안", "시가 제출한 예산안")
    assert (cut.kind, cut.amount_krw, cut.stage) == ("change", -95 * EOK, "본예산")


def test_supplementary_budget() -> None:
    text = (
        "경기도는 1조2500억원 규모의 2026년도 제1회 추가경정예산안을 편성했다. "
        "이로써 전체 예산은 본예산 38조7000억원에서 39조9500억원으로 늘어난다. "
        "민생경제 회복 지원에 3200억원을 반영했다."
    )
    size, before, after, item = extract(text)
    assert (size.kind, size.amount_krw, size.stage) == ("change", 12500 * EOK, "추경1")
    assert (before.kind, before.stage, before.year) == ("prior", "본예산", 2026)
    assert (after.kind, after.stage) == ("total", "추경1")
    assert (item.kind, item.subject, item.stage) == ("allocation", "민생경제 회복 지원", "추경1")


def test_settlement_stage_and_surplus() -> None:
    text = "해남군의 2025회계연도 결산 결과 세출은 9870억원, 순세계잉여금은 740억원으로 집계됐다."
    spent, surplus = extract(text)
    assert (spent.kind, spent.stage, spent.year) == ("total", "결산", 2025)
    assert surplus.kind == "other"


def test_a_county_and_a_province_are_whole_budgets() -> None:
    claims = extract("양평군 1조2천억·경기도 39조 확정")
    assert [(c.subject, c.kind) for c in claims] == [("양평군", "total"), ("경기도", "total")]


def test_departments_and_sectors_are_allocations() -> None:
    claims = extract("기후환경국의 2026년도 예산은 5691억원이다. 공원 분야 예산은 2300억원이다.")
    assert [c.kind for c in claims] == ["allocation", "allocation"]


def test_split_amount_written_with_won_twice() -> None:
    claim = extract("전기차 보급 사업에서 106억원 6100만원을 감액했다.")[0]
    assert (claim.amount_text, claim.amount_krw, claim.kind) == ("106억원 6100만원", -10_661_000_000, "change")


def test_offsets_slice_the_amount_and_sentence() -> None:
    text = "첫 문장이다. 세종시는 행정수도 완성에 500억원을 쓴다."
    claim = extract(text)[0]
    assert text[claim.start : claim.end] == claim.amount_text == "500억원"
    assert claim.sentence == "세종시는 행정수도 완성에 500억원을 쓴다."


def test_json_has_exactly_the_claim_fields_and_source() -> None:
    claim = extract("제주도는 관광에 100억원을 쓴다.", source="a.txt")[0]
    data = json.loads(json.dumps(claim.as_dict(), ensure_ascii=False))
    assert list(data) == [*CLAIM_FIELDS, "source"]
    assert data["source"] == "a.txt" and data["amount_krw"] == 100 * EOK


@pytest.mark.parametrize("text", ["", "예산 관련 소식은 없다.", "참석자 120명, 2026년 3월 15일"])
def test_texts_without_money_have_no_claims(text: str) -> None:
    assert extract(text) == []


def test_from_one_year_to_the_next() -> None:
    text = "복지 예산은 지난해 3조원에서 올해 3조3000억원으로 3000억원(10%) 증가했다."
    assert [(c.kind, c.amount_krw, c.change_pct) for c in extract(text)] == [
        ("prior", 3 * JO, None),
        ("allocation", 33_000 * EOK, 10.0),
        ("change", 3000 * EOK, 10.0),
    ]


def test_a_project_named_after_its_total_cost() -> None:
    claim = extract("총사업비 3500억원 규모의 도시철도 2호선 연장 사업도 본격화한다.")[0]
    assert claim.subject == "도시철도 2호선 연장 사업"


def test_money_for_districts_is_an_allocation_even_when_given_each() -> None:
    each, total = extract("각 자치구에 50억원씩 총 1250억원을 지원한다.")
    assert (each.kind, each.subject) == ("allocation", "자치구")
    assert total.kind == "allocation"


def test_prices_and_their_changes_are_not_budget_money() -> None:
    claims = extract("시내버스 요금은 1,550원으로 150원 오른다. 1인당 지방세 부담액은 180만원이다.")
    assert [c.kind for c in claims] == ["other", "other", "other"]


def test_comparison_base_with_a_time_word_is_not_the_figures_year() -> None:
    claim = extract("전년도 예산액 대비 12.3% 늘어난 2,345억원을 편성했다.")[0]
    assert (claim.kind, claim.change_pct) == ("allocation", 12.3)


def test_bulleted_lists_with_colons_and_breakdowns_in_parentheses() -> None:
    text = (
        "○ 총 규모: 1조 8,500억원(일반회계 1조 5,200억원, 특별회계 3,300억원)\n"
        " - 청년 일자리 지원: 320억원\n"
        " ▶ 관광 인프라 조성 … 210억원\n"
    )
    assert [(c.subject, c.kind) for c in extract(text)] == [
        ("총 규모", "total"),
        ("일반회계", "total"),  # an account's whole budget (issue 15)
        ("특별회계", "total"),
        ("청년 일자리 지원", "allocation"),
        ("관광 인프라 조성", "allocation"),
    ]


def test_table_headed_by_a_bare_unit_and_year_columns() -> None:
    text = "주요 사업 현황\n(억원)\n사업명 | 2025 | 2026 | 증감\n도서관 건립 | 45 | 60 | 15\n"
    assert [(c.amount_krw, c.kind, c.year) for c in extract(text)] == [
        (45 * EOK, "prior", 2025),
        (60 * EOK, "allocation", 2026),
        (15 * EOK, "change", 2026),
    ]


def test_supplementary_budget_against_the_original_budget() -> None:
    text = (
        "영월군은 올해 제1회 추경예산안을 당초예산 4100억원보다 260억원이 증액된 4360억원으로 편성해 "
        "군의회에 제출했다. 일반회계는 3900억원으로 당초예산 3700억원보다 200억원이, "
        "특별회계는 460억원으로 당초예산 400억원보다 60억원이 각각 증액됐다."
    )
    got = [(c.amount_krw // EOK, c.kind, c.stage) for c in extract(text)]
    assert got == [
        (4100, "prior", "본예산"),
        (260, "change", "추경1"),
        (4360, "total", "추경1"),
        (3900, "total", "추경1"),  # an account's whole budget
        (3700, "prior", "본예산"),
        (200, "change", "추경1"),
        (460, "total", "추경1"),
        (400, "prior", "본예산"),
        (60, "change", "추경1"),
    ]


def test_revenue_listed_under_세입_is_other() -> None:
    claims = extract("주요 세입은 국·도비보조금 16억원과 특별교부세 6억원, 세외수입 3억원 등이다.")
    assert [c.kind for c in claims] == ["other", "other", "other"]


def test_a_rate_in_parentheses_after_an_amount_is_that_amounts() -> None:
    claims = extract("일반회계 14조원, 특별회계 3조원이며, 지방세 5조3000억원(4.3%↑)으로 재원이 늘었다.")
    assert [(c.amount_krw // EOK, c.kind, c.change_pct) for c in claims] == [
        (140_000, "total", None),
        (30_000, "total", None),
        (53_000, "other", 4.3),
    ]


def test_committee_review_has_no_stage_until_the_plenary_vote() -> None:
    text = (
        "시의회 예산결산특별위원회가 2026년도 예산안 심사를 마치고 수정 의결했다. "
        "시 예산안은 17조 9,311억 원이다. 수정된 예산안은 11일 본회의에서 최종 의결될 예정이다."
    )
    assert [c.stage for c in extract(text)] == [None]


def test_html_table_with_a_unit_in_its_caption_and_a_rate_column() -> None:
    page = (
        "<html><body><article><h1>충남 2026 예산안</h1><p>충청남도는 2026년도 예산안을 편성했다.</p>"
        "<table><caption>분야별 예산 (단위: 백만원)</caption>"
        "<tr><th>구분</th><th>2025년 본예산</th><th>2026년 예산안</th><th>증감</th><th>증감률(%)</th></tr>"
        "<tr><td>교통</td><td>620,000</td><td>598,000</td><td>△22,000</td><td>△3.5</td></tr>"
        "</table></article></body></html>"
    )
    claims = extract(page)
    assert [(c.amount_krw, c.kind, c.subject, c.stage, c.year, c.change_pct) for c in claims] == [
        (620 * 10**9, "prior", "교통", "본예산", 2025, None),
        (598 * 10**9, "allocation", "교통", "예산안", 2026, -3.5),
        (-22 * 10**9, "change", "교통", "예산안", 2026, -3.5),
    ]
