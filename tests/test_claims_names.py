"""Program names as a reader writes them: a name starts where its written word starts, a one-word example
before 등/외 belongs to it, and a noun made of a verb (돌봄, 나눔) is a noun.

Every sentence here is written for these tests.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from yesan.claims import extract

BULLETS = st.sampled_from(["", "▲", "△", "■", "○ ", "- "])
AMOUNTS = st.sampled_from(["12억원", "12억 원", "1,200만원", "3천만 원", "8억5000만원"])
NAMES = (
    "공공건축물 그린리모델링 사업",
    "저체중아 및 선천성이상아 검사지원",
    "시군청사 등 노후장비 교체",
    "이웃나눔 캠페인",
)
AFTER = st.sampled_from(["을 반영했다.", "를 편성했다.", " 등을 반영했다.", "이 배정됐다."])


def subjects(text: str) -> list[str | None]:
    return [claim.subject for claim in extract(text)]


def test_a_name_keeps_the_syllables_kiwi_reads_as_a_modifier() -> None:
    # Kiwi reads "그린리모델링" as 그리/VV ᆫ/ETM 리모델링: the name is still the whole written word.
    assert subjects("군은 공공건축물 그린리모델링 사업(12억원)을 반영했다.") == ["공공건축물 그린리모델링 사업"]


def test_a_name_keeps_a_word_that_holds_a_stop_noun() -> None:
    # 이상 ("over") stops a name walking left, but not inside the written word "선천성이상아".
    text = "시는 ▲저체중아 및 선천성이상아 검사지원(15억) ▲청소년 상담(4억)을 늘렸다."
    assert subjects(text) == ["저체중아 및 선천성이상아 검사지원", "청소년 상담"]


def test_a_name_keeps_numbers_joined_by_a_comma_inside_the_word() -> None:
    text = "시는 도시철도3,4호선 연장 7백억원,북구 도로 확장 2백억원 등을 편성했다."
    assert subjects(text) == ["도시철도3,4호선 연장", "북구 도로 확장"]


def test_a_one_word_example_before_deung_or_oe_is_part_of_the_name() -> None:
    assert subjects("도는 시군청사 등 노후장비 교체(840억원)와 재난 대응(120억원)에 예산을 배정했다.") == [
        "시군청사 등 노후장비 교체",
        "재난 대응",
    ]
    assert subjects("구는 가나항 외 2개소 어항 정비사업(55억원)을 추진한다.") == ["가나항 외 2개소 어항 정비사업"]


def test_an_example_that_is_a_phrase_of_its_own_is_left_out() -> None:
    # "마을 도서관 보수 등": other work than the program after it; "기초 연금 등" lists a part of it.
    assert subjects("구는 마을 도서관 보수 등 생활 SOC 확충(40억원)을 추진한다.") == ["생활 SOC 확충"]
    assert subjects("군은 기초 연금 등 복지 사업에 120억원을 투입한다.") == ["복지 사업"]


def test_a_list_ending_in_deung_does_not_lend_its_amount_to_the_next_name() -> None:
    text = "시는 도로 포장 30억원, 교량 보수 20억원 등 교통 사업에 50억원을 쓴다."
    claims = extract(text)
    assert [c.subject for c in claims][:2] == ["도로 포장", "교량 보수"]
    assert claims[2].subject is None or not claims[2].subject.startswith("원")


def test_a_noun_made_of_a_verb_is_a_noun() -> None:
    assert subjects("시는 이웃나눔 캠페인(5억원)과 도서관 확충(30억원)에 쓴다.") == ["이웃나눔 캠페인", "도서관 확충"]


@settings(max_examples=25, deadline=None)
@given(
    bullet=BULLETS,
    name=st.sampled_from(NAMES),
    amount=AMOUNTS,
    after=AFTER,
    paren=st.booleans(),
)
def test_the_whole_name_is_kept_whatever_the_bullet_numeral_or_particle(
    bullet: str, name: str, amount: str, after: str, paren: bool
) -> None:
    figure = f"({amount})" if paren else f" {amount}"
    assert subjects(f"군은 {bullet}{name}{figure}{after}") == [name]


def test_a_superlative_glued_in_front_of_a_name_is_still_left_out() -> None:
    assert subjects("군은 역대 최대복지예산 900억원을 편성했다.") == ["복지예산"]
