"""Scoring extraction against labelled figures: matching, precision/recall, kinds, subject agreement."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import SHARED
from yesan.claims import evaluate
from yesan.claims.candidates.subjects import compact
from yesan.claims.figures.evaluate import load_gold, subject_agreement, subject_agreement_compact
from yesan.errors import YesanError

HEADER = "# source: https://example.org/{n}\n# date: 2025-11-02\n"
ARTICLES = {
    "01": "인천시는 2026년도 예산안을 15조원 규모로 편성했다. 항만 재개발에 300억원을 투입한다.",
    "02": "세종시는 행정수도 완성에 500억원, 교통에 200억원을 쓴다. 1인당 월 10만원씩 지원한다.",
}


def write_corpus(root: Path, gold: list[dict[str, object]]) -> tuple[Path, Path]:
    (root / "articles").mkdir(parents=True)
    for number, body in ARTICLES.items():
        (root / "articles" / f"{number}.txt").write_text(HEADER.format(n=number) + body, encoding="utf-8")
    path = root / "gold.jsonl"
    path.write_text("\n".join(json.dumps(g, ensure_ascii=False) for g in gold) + "\n", encoding="utf-8")
    return root, path


def gold_row(article: str, figure: str, amount: int, kind: str, subject: str, sentence: str) -> dict[str, object]:
    body = ARTICLES[article]
    start = len(HEADER.format(n=article)) + body.index(figure)
    return {
        "article": article,
        "sentence": sentence,
        "subject": subject,
        "amount_krw": amount,
        "kind": kind,
        "figure_text": figure,
        "char_start": start,
        "stage": "proposal" if article == "01" else None,
        "year": 2026,
    }


FIRST = ARTICLES["01"].split(". ")[0] + "."
GOLD = [
    gold_row(
        "01", "15조원", 15 * 10**12, "total", "2026년도 예산안", "인천시는 2026년도 예산안을 15조원 규모로 편성했다."
    ),
    gold_row("01", "300억원", 300 * 10**8, "allocation", "항만 재개발", "항만 재개발에 300억원을 투입한다."),
    gold_row(
        "02", "500억원", 500 * 10**8, "total", "행정수도", "세종시는 행정수도 완성에 500억원, 교통에 200억원을 쓴다."
    ),
    # a figure the text does not have (a miss); 200억원 and 10만원 are not labelled (false alarms)
    gold_row(
        "02",
        "500억원",
        999 * 10**8,
        "allocation",
        "없는 사업",
        "세종시는 행정수도 완성에 500억원, 교통에 200억원을 쓴다.",
    ),
]


def test_precision_recall_and_the_lists_of_mistakes(tmp_path: Path) -> None:
    corpus, gold = write_corpus(tmp_path, GOLD)
    result = evaluate(corpus, gold)
    assert (result.gold, result.predicted, result.matched) == (4, 5, 3)
    assert result.precision == pytest.approx(3 / 5) and result.recall == pytest.approx(3 / 4)
    assert result.f1 == pytest.approx(2 * 0.6 * 0.75 / 1.35)
    assert [(m.article, m.text) for m in result.misses] == [("02", "500억원")]
    assert sorted((m.article, m.text) for m in result.false_alarms) == [("02", "10만원"), ("02", "200억원")]
    assert result.kind_accuracy == pytest.approx(2 / 3)
    assert result.kind_confusion == {"total→allocation": 1}
    assert result.stage_accuracy == 1.0 and result.year_accuracy == 1.0


def test_subject_agreement_is_the_mean_over_matched_pairs(tmp_path: Path) -> None:
    corpus, gold = write_corpus(tmp_path, GOLD)
    result = evaluate(corpus, gold)
    expected = (1.0 + 1.0 + subject_agreement("행정수도 완성", "행정수도")) / 3
    assert result.subject_agreement == pytest.approx(expected)


def test_a_claim_outside_the_gold_sentence_does_not_match(tmp_path: Path) -> None:
    wrong_place = {**GOLD[1], "sentence": FIRST, "char_start": None}
    corpus, gold = write_corpus(tmp_path, [GOLD[0], wrong_place])
    result = evaluate(corpus, gold)
    assert result.matched == 1 and [m.text for m in result.misses] == ["300억원"]


@pytest.mark.parametrize(
    ("predicted", "gold", "score"),
    [
        ("약자와의 동행 사업", "'약자와의 동행' 사업", 1.0),
        ("복지", "복지", 1.0),
        (None, "복지", 0.0),
        ("도로", "교량 건설", 0.0),
        (None, None, 1.0),
    ],
)
def test_subject_agreement_ignores_spaces_quotes_and_punctuation(
    predicted: str | None, gold: str, score: float
) -> None:
    assert subject_agreement(predicted, gold) == pytest.approx(score)


def test_partial_subject_scores_between_zero_and_one() -> None:
    assert 0.5 < subject_agreement("'약자와의 동행' 사업", "'약자와의 동행' 사업 증가분") < 1.0


@pytest.mark.parametrize(
    ("predicted", "gold"),
    [
        ("문화재단 출연금", "문화재단 출연금 (세입)"),  # a labeller's note at the end is no part of the name
        ("공원 조성 감소분", "공원 조성 감액"),  # the change word is scored by kind and sign
        ("2027년도 공원 조성 예산", "내년 공원 조성"),  # years and "the budget" words
        ("올해 예산 감소분", "예산 감액"),  # both say only "the budget's change"
    ],
)
def test_program_word_agreement_compares_what_the_money_is_for(predicted: str, gold: str) -> None:
    assert subject_agreement_compact(predicted, gold, compact) == pytest.approx(1.0)
    assert subject_agreement(predicted, gold) < 1.0


def test_program_word_agreement_keeps_a_parenthesis_inside_the_name() -> None:
    assert subject_agreement_compact("6급(20호봉)", "7급(20호봉)", compact) < 1.0
    assert subject_agreement_compact(None, "도서관 건립", compact) == 0.0
    assert subject_agreement_compact("도로 포장", "교량 건설", compact) == 0.0


@given(
    program=st.sampled_from(["도서관 건립", "청년 창업 지원", "하천 정비"]),
    year=st.sampled_from(["", "2027년 ", "2027년도 ", "내년도 "]),
    tail=st.sampled_from(["", " 예산", " 사업비", " 증가분", " 감소분"]),
    note=st.sampled_from(["", " (기정)", " (지자체당)"]),
)
def test_program_word_agreement_ignores_years_budget_words_and_notes(
    program: str, year: str, tail: str, note: str
) -> None:
    assert subject_agreement_compact(f"{year}{program}{tail}", f"{program}{note}", compact) == pytest.approx(1.0)


def test_evaluation_reports_program_word_agreement_only_when_asked(tmp_path: Path) -> None:
    gold = [{"article": "02", "sentence": "세종시는 행정수도 완성에 500억원, 교통에 200억원을 쓴다.",
             "amount_krw": 50_000_000_000, "kind": "allocation", "subject": "행정수도 완성 (세출)"}]  # fmt: skip
    corpus, path = write_corpus(tmp_path, gold)
    assert evaluate(corpus, path).subject_compact is None
    asked = evaluate(corpus, path, compact=compact)
    assert asked.subject_compact is not None and asked.subject_compact >= asked.subject_agreement


def test_bad_gold_line_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_text(
        '{"article": "01", "sentence": "x", "amount_krw": 1, "kind": "total"}\nnot json\n', encoding="utf-8"
    )
    with pytest.raises(YesanError, match="line 2"):
        load_gold(path)


def test_missing_article_file_is_a_clear_error(tmp_path: Path) -> None:
    corpus, gold = write_corpus(tmp_path, [{**GOLD[0], "article": "09"}])
    with pytest.raises(YesanError, match="no file for article '09'"):
        evaluate(corpus, gold)


DEV = SHARED / "corpus" / "seoul-2026"


@pytest.mark.skipif(not (DEV / "gold.jsonl").exists(), reason="the dev corpus is only on the dev machine")
def test_dev_corpus_meets_the_target() -> None:
    result = evaluate(DEV, DEV / "gold.jsonl")
    assert result.f1 >= 0.97
    assert result.kind_accuracy >= 0.95


HELD_OUT = Path(__file__).parent / "data" / "claims_heldout"


def test_held_out_texts_about_other_governments() -> None:
    """Five texts written for these tests (인천 추경, 전남 예산안, 김해 결산, 세종교육청, 강남구의회)."""
    result = evaluate(HELD_OUT, HELD_OUT / "gold.jsonl")
    assert result.gold == 51
    assert result.f1 >= 0.95
    assert result.kind_accuracy >= 0.9
    assert result.year_accuracy >= 0.95 and result.sign_accuracy == 1.0
