"""Kinds and names that hold on budgets the extractor was not written on (issue 15): a change word inside a
name, a change measured in percent, the change as a topic, a budget's size as the object of 편성, the sum
of accounts, revenue listed with revenue, and the items of a revision list named by their program.

The sentences are written for these tests (no article text); hypothesis varies the numerals, particles
and names around the same patterns.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from yesan.claims.figures.extract import extract
from yesan.money import format_won

EOK = 10**8
CASES = settings(
    max_examples=int(os.environ.get("YESAN_FUZZ_EXAMPLES", "30")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)
eok = st.integers(min_value=2, max_value=900)
PROGRAMS = ("청사 주차장 건립", "꽃길 조성", "음악회 개최", "해외 연수", "경로당 보수", "체육관 설계")


def _eok(n: int) -> str:
    return f"{n}억원"


@CASES
@given(first=eok, second=eok, particle=st.sampled_from(["은", "는", "에는"]))
def test_a_change_word_inside_a_name_is_not_a_lead(first: int, second: int, particle: str) -> None:
    text = f"인구감소지역{particle} 우수 지역 {_eok(first)}, 일반 지역 {_eok(second)}을 배분받는다."
    assert [(c.kind, c.amount_krw) for c in extract(text)] == [
        ("allocation", first * EOK),
        ("allocation", second * EOK),
    ]


@CASES
@given(a=st.integers(min_value=10_000, max_value=900_000), b=st.integers(min_value=10_000, max_value=900_000))
def test_amounts_beside_a_change_in_percent_are_levels(a: int, b: int) -> None:
    text = f"노인({format_won(a * EOK)})과 장애인({format_won(b * EOK)}) 예산도 각각 5.0%, 2.1% 증가했다."
    assert [c.kind for c in extract(text)] == ["allocation", "allocation"]


def test_amounts_that_a_change_verb_governs_without_a_percentage_are_changes() -> None:
    text = "노인 예산 1200억원, 장애인 예산 300억원이 각각 증가했다."
    assert [(c.kind, c.amount_krw) for c in extract(text)] == [("change", 1200 * EOK), ("change", 300 * EOK)]


@CASES
@given(amount=eok, word=st.sampled_from([("증액", 1), ("감액", -1), ("삭감", -1)]))
def test_the_change_as_a_topic(amount: int, word: tuple[str, int]) -> None:
    name, sign = word
    claims = extract(f"국회 심사에서 {name}은 {_eok(amount)}이다.")
    assert [(c.kind, c.amount_krw) for c in claims] == [("change", sign * amount * EOK)]


@CASES
@given(size=st.integers(min_value=1_000, max_value=90_000), verb=st.sampled_from(["편성해", "편성했다", "확정했다"]))
def test_a_budget_sized_by_the_sentence_is_a_total(size: int, verb: str) -> None:
    text = f"가나군은 2026년도 제1회 추가경정예산안을 {format_won(size * EOK)} 규모로 {verb}"
    claims = extract(text)
    assert [(c.kind, c.subject) for c in claims] == [("total", "2026년도 제1회 추가경정예산안")]


def test_an_amount_sized_before_a_budget_noun_is_a_total() -> None:
    assert [c.kind for c in extract("40조 규모 2026년 가나도 예산안 도의회 통과")] == ["total"]


@CASES
@given(general=st.integers(min_value=1_000, max_value=90_000), special=st.integers(min_value=10, max_value=9_000))
def test_the_sum_of_the_accounts_is_the_whole_budget(general: int, special: int) -> None:
    whole = format_won((general + special) * EOK)
    text = (
        f"예결위는 원안대로 {whole}(일반회계 {format_won(general * EOK)}·특별회계 {format_won(special * EOK)})을 "
        "유지했다."
    )
    assert [c.kind for c in extract(text)] == ["total", "total", "total"]


@CASES
@given(amounts=st.lists(eok, min_size=3, max_size=3))
def test_revenue_listed_with_revenue_is_not_spending(amounts: list[int]) -> None:
    a, b, c = amounts
    text = f"군은 지방교부세 {_eok(a)}, 조정교부금 {_eok(b)}, 국·도비 보조금 {_eok(c)} 등 가용재원을 총동원했다."
    assert [claim.kind for claim in extract(text)] == ["other", "other", "other"]


def test_spending_after_revenue_in_another_clause_stays_spending() -> None:
    text = "지방교부세 448억원을 확보했고, 복지관 건립에 120억원을 편성했다."
    assert [c.kind for c in extract(text)] == ["other", "allocation"]


@CASES
@given(
    names=st.lists(st.sampled_from(PROGRAMS), min_size=2, max_size=3, unique=True),
    amounts=st.lists(eok, min_size=3, max_size=3),
    lead=st.sampled_from(["주요 삭감 내용은", "감액한 주요 예산은", "주요 증액 사업은"]),
)
def test_items_of_a_revision_list_are_named_by_their_program(names: list[str], amounts: list[int], lead: str) -> None:
    items = ", ".join(f"{name}({_eok(amount)})" for name, amount in zip(names, amounts, strict=False))
    claims = extract(f"{lead} {items} 등이다.")
    assert [c.kind for c in claims] == ["change"] * len(names)
    assert [c.subject for c in claims] == names


def test_an_accounts_change_keeps_its_change_word() -> None:
    claims = extract("일반회계가 본예산 대비 950억원 증가한 8877억원, 특별회계는 10억원 늘어난 583억원이다.")
    assert [(c.kind, c.subject) for c in claims if c.kind == "change"] == [
        ("change", "일반회계 증가분"),
        ("change", "특별회계 증가분"),
    ]


@CASES
@given(a=eok, b=eok, particle=st.sampled_from(["는", "은"]))
def test_each_before_a_paired_list_binds_one_amount_per_subject(a: int, b: int, particle: str) -> None:
    text = f"교육·문화 분야와 보건 분야{particle} 각각 {_eok(a)}(28% 증가), {_eok(b)}(17% 증가)이 배정됐다."
    assert [c.amount_krw for c in extract(text)] == [a * EOK, b * EOK]


def test_each_before_one_amount_gives_it_to_every_subject() -> None:
    assert [c.subject for c in extract("시는 도서관 건립과 공원 조성에 각 1억 원씩 지원한다.")] == [
        "도서관 건립",
        "공원 조성",
    ]


@CASES
@given(change=eok, base=st.sampled_from(["정부안", "본예산", "기정예산"]), verb=st.sampled_from(["증액", "감액"]))
def test_a_change_with_no_program_is_named_by_its_base(change: int, base: str, verb: str) -> None:
    claims = extract(f"국회 심사 결과 {base} 대비 {_eok(change)}이 {verb}됐다.")
    assert [(c.kind, c.subject) for c in claims] == [("change", f"{base} 대비 {verb}")]


@CASES
@given(grant=st.integers(min_value=600_000, max_value=690_000), rise=st.integers(min_value=1_000, max_value=9_000))
def test_a_ministry_spends_the_grant_a_government_receives(grant: int, rise: int) -> None:
    text = (
        f"2025년도 행안부 예산은 {format_won(720_000 * EOK)}이다. 지방교부세는 {format_won(grant * EOK)}으로, 올해 "
        f"{format_won((grant - rise) * EOK)}보다 {format_won(rise * EOK)} 늘었다."
    )
    assert [c.kind for c in extract(text)] == ["total", "allocation", "prior", "change"]
    assert [c.kind for c in extract(f"군은 지방교부세 {format_won(rise * EOK)}을 확보했다.")] == ["other"]


def test_what_is_listed_with_a_ministrys_grant_is_spending_too() -> None:
    text = (
        "2025년도 행안부 예산은 72조원이다. 예산은 지방교부세 67조원, 사업비 4조6000억원, 기본경비 4000억원으로 짜였다."
    )
    assert [c.kind for c in extract(text)] == ["total", "allocation", "allocation", "allocation"]
