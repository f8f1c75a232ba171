"""Budget books pasted as text (issue 15): a box-drawn table collapsed to one line, and a book with one cell
per line. The books below are written for these tests; hypothesis varies the amounts and the outline bars.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from yesan.claims.figures.book import basis_parts, box_cells, cell_groups, merge_header, rows
from yesan.claims.figures.extract import extract

CASES = settings(
    max_examples=int(os.environ.get("YESAN_FUZZ_EXAMPLES", "40")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)
HEADER = (
    "┃ │ │ 전 년 도 │ 비 교 │ ┃ ┃ 과 목 │ 예 산 액 │ (기 정) │ │ 산 출 기 초 ┃ "
    "┃ │ │ 예 산 액 │ 증 △ 감 │ ┃ ┣━━━━━━┿━━━━━┿━━━━━┿━━━━━┿━━━━━━━━━┫ "
)


def collapsed_book(budget: int, before: int, outline: str = "│││") -> str:
    return (
        "(세항 3110)도서관운영 (단위 : 천원) ┏━━━━━━┯━━━━━┯━━━━━┯━━━━━┯━━━━━━━━━┓ "
        + HEADER
        + f"┃{outline}110 │ │ │ │ ┃ "
        + f"┃{outline} 운영비 │ {budget:,}│ {before:,}│ {budget - before:,}│ ┃ "
        + f"┃{outline} │ │ │ │○ 도서 구입 ┃ "
        + f"┃{outline} │ │ │ │ 20,000 X 150권 = 3,000 ┃ "
        + f"┃{outline} │ │ │ │○ 냉난방 = △1,200 ┃"
    )


def test_a_collapsed_box_table_is_cut_back_into_rows() -> None:
    text = "┃ 가 │ 나 ┃ ┃ 1 │ 2 ┃"
    assert [line for _, line in rows(text)] == ["┃ 가 │ 나 ┃", "┃ 1 │ 2 ┃"]
    assert [offset for offset, _ in rows(text)] == [0, 10]


def test_box_cells_keep_the_empty_cells_of_the_outline() -> None:
    assert [cell for _, cell in box_cells("┃││ 운영비 │ 1,000│ ┃")] == ["", "", "운영비", "1,000", ""]


def test_a_header_over_three_rows_is_merged_column_by_column() -> None:
    rows_of_header = [box_cells(line) for _, line in rows(HEADER) if "━" not in line]
    assert [text for _, text in merge_header(rows_of_header)] == [
        "과 목",
        "예 산 액",
        "전 년 도 (기 정) 예 산 액",
        "비 교 증 △ 감",
        "산 출 기 초",
    ]


@CASES
@given(
    budget=st.integers(min_value=10_000, max_value=9_000_000),
    share=st.floats(min_value=0.1, max_value=0.9),
    outline=st.sampled_from(["│", "│││", "│││││"]),
)
def test_the_columns_of_a_collapsed_book_decide_the_kind(budget: int, share: float, outline: str) -> None:
    before = int(budget * share)
    claims = extract(collapsed_book(budget, before, outline))
    got = [(c.amount_krw, c.kind, c.subject) for c in claims]
    assert got[:3] == [
        (budget * 1000, "allocation", "운영비 (도서관운영)"),
        (before * 1000, "prior", "운영비 (도서관운영)"),
        ((budget - before) * 1000, "change", "운영비 (도서관운영)"),
    ]
    assert 110_000 not in [c.amount_krw for c in claims]  # 110 is the 세세항 code in the 과목 column


def test_calculation_lines_of_a_revision_book_are_changes_named_by_the_line_above() -> None:
    claims = extract(collapsed_book(5_000, 4_000))[3:]
    assert [(c.amount_krw, c.kind, c.subject) for c in claims] == [
        (20_000, "other", "도서 구입"),  # the unit price, in 원
        (3_000_000, "change", "도서 구입"),  # 20,000원 × 150 = 3,000천원
        (-1_200_000, "change", "냉난방"),
    ]


def test_a_calculation_result_equal_to_the_written_product_is_in_won() -> None:
    basis = basis_parts("  경정  1,250,000  X  4인  X  12월 = 60,000,000", revision=True, scale=1000)
    assert basis is not None
    assert (basis.result_in_won, basis.kind, basis.price_text) == (True, "current", "1,250,000")
    before = basis_parts("  기정  1,001,100  X  4인  X  12월 = 48,053,000", revision=True, scale=1000)
    assert before is not None and (before.result_in_won, before.kind) == (True, "prior")  # rounded to 천원
    in_unit = basis_parts(" 5,000 X 300부 = 1,500", revision=True, scale=1000)
    assert in_unit is not None and (in_unit.result_in_won, in_unit.kind) == (False, "change")


def one_cell_per_line(change: int, before: int, reverse: bool) -> str:
    cells = [f"{change:,}", f"{before:,}", f"{change + before:,}"]
    if not reverse:
        cells.reverse()
    return "\n".join(
        [
            "(단위 : 천원)",
            "(세항 2210)복지증진",
            "과      목",
            "예  산  액",
            "산 출 기 초",
            " (기  정)",
            "예  산  액",
            "증  △  감",
            "2210",
            *cells,
            "복지증진",
            "01 경로당지원",
            *cells,
            "○경로당 운영",
            "  경정  2,000,000  X  10개소  X  12월 = 240,000,000",
            "  ------------------------------",
            "24,000",
            " = ",
            "  기정  1,800,000  X  10개소  X  12월 = 216,000,000",
        ]
    )


@CASES
@given(
    change=st.integers(min_value=1, max_value=900_000),
    before=st.integers(min_value=1_000_000, max_value=90_000_000),
    reverse=st.booleans(),
)
def test_a_book_with_one_cell_per_line_is_read_by_its_arithmetic(change: int, before: int, reverse: bool) -> None:
    claims = extract(one_cell_per_line(change, before, reverse))
    order = ["change", "prior", "allocation"] if reverse else ["allocation", "prior", "change"]
    amounts = {"change": change * 1000, "prior": before * 1000, "allocation": (change + before) * 1000}
    assert [(c.kind, c.amount_krw, c.subject) for c in claims[:3]] == [(k, amounts[k], "복지증진") for k in order]
    assert [(c.kind, c.subject) for c in claims[3:6]] == [(k, "경로당지원 (복지증진)") for k in order]


def test_the_calculation_lines_under_a_one_cell_per_line_book() -> None:
    claims = extract(one_cell_per_line(300, 5_000, True))[6:]
    assert [(c.amount_krw, c.kind) for c in claims] == [
        (2_000_000, "other"),  # a monthly unit price, in 원
        (240_000_000, "allocation"),  # 경정: the revised amount, in 원 (it is the written product)
        (24_000_000, "change"),  # the lone difference before "=", in 천원
        (1_800_000, "other"),
        (216_000_000, "prior"),  # 기정: before the revision
    ]


def nested_calculation(bullet: str, inner: str, indent: int) -> str:
    """The book above with its 산출기초 written as an outline: a heading, an item, and a grade nested in it."""
    book = one_cell_per_line(300, 5_000, True).splitlines()
    at = book.index("○경로당 운영")
    book[at : at + 1] = ["○경로당 운영", f"  {bullet}관리인", f"{' ' * indent}{inner}급여(2호봉)"]
    return "\n".join(book)


def test_a_calculation_line_has_no_parent_when_its_item_is_not_nested() -> None:
    claims = extract(one_cell_per_line(300, 5_000, True))[6:]
    assert {c.subject for c in claims} == {"경로당 운영"}


@CASES
@given(bullet=st.sampled_from(["ㅇ", "-", "·", "○ "]), inner=st.sampled_from(["-", "- ", "ㆍ", ""]),
       indent=st.integers(min_value=4, max_value=8))  # fmt: skip
def test_a_nested_calculation_line_is_named_with_its_parent_and_its_object(
    bullet: str, inner: str, indent: int
) -> None:
    # "ㅇ관리인" ⏎ "    -급여(2호봉)" under the 목 "01 경로당지원": the grade's pay, named as a reader would.
    claims = extract(nested_calculation(bullet, inner, indent))[6:]
    assert [c.amount_krw for c in claims] == [2_000_000, 240_000_000, 24_000_000, 1_800_000, 216_000_000]
    assert {c.subject for c in claims} == {"관리인 급여(2호봉) 경로당지원"}


def test_three_numbers_that_do_not_add_up_are_not_a_book_row() -> None:
    assert cell_groups(["1,000", "2,000", "4,000"], ["예산액", "기정", "증감"]) == []
