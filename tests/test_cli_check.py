"""`yesan check`: the real command on articles written for these tests, against a store loaded with `yesan load`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from claims_fixtures import write_items, write_reported
from conftest import SHARED, run_cli

ARTICLE = (
    "가나시는 30일 2026년 예산안을 발표했다. 예산 규모는 올해보다 7% 늘어난 2조5150억원이다.\n"
    "어르신 무료 급식에 42억6000만원, 청년 월세 지원에 315억원을 편성했다. "
    "시립 도서관 건립 예산은 155억원으로 올해보다 35억원 늘었다.\n"
    "공공 와이파이 확충에는 100억원이 들어간다.\n"
)
#: "내년 예산" needs the publication date to be a year: the header gives it (2025 → the 2026 budget).
OTHER = (
    "# date: 2025-12-16\n"
    "가나시 내년 예산 2.5조원 확정. 청년 월세 지원 예산은 350억원이다. 어르신 무료 급식에는 43억원.\n"
)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cli_check")
    db = folder / "s.duckdb"
    reported = write_reported(folder)
    run_cli("load", str(reported), "--kind", "reported", "--government", "가나시", "--year", "2026", db=db, check=True)
    run_cli("load", str(write_items(folder)), db=db, check=True)
    return db


def _article(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_every_figure_gets_a_verdict_rule_and_cited_evidence(db: Path, tmp_path: Path) -> None:
    result = run_cli("check", str(_article(tmp_path, "a.txt", ARTICLE)), db=db)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "가나시 2026 — 6 figures" in out
    # the decision comes first: the government and the year, with the words that decided them
    assert "government: 가나시 (기초) — from the text: '가나시' (at 0)" in out
    assert "year: 2026 — from '2026년 예산' (at 9)" in out
    assert out.index("government: 가나시") < out.index("evidence")
    assert "42억6000만원" in out and "어르신 무료 급식" in out
    assert "equal to the won (42억 6,000만원)" in out
    assert "gana_reported.csv row 5" in out  # the citation of the reported figure
    assert "불일치" in out and "100억원 vs 90억원" in out
    assert "checks inside the text" in out and "7.02%" in out


def test_json_lists_each_claim_with_verdict_and_evidence(db: Path, tmp_path: Path) -> None:
    result = run_cli("check", str(_article(tmp_path, "a.txt", ARTICLE)), "--json", db=db, check=True)
    [report] = json.loads(result.stdout)["reports"]
    assert report["government"] == "가나시" and report["year"] == 2026
    by_figure = {j["claim"]["amount_text"]: j for j in report["judgements"]}
    assert by_figure["315억원"]["verdict"] == "일치"
    assert by_figure["315억원"]["evidence"][0]["amount_krw"] == 31_500_000_000
    assert by_figure["315억원"]["evidence"][0]["source"] == "reported"
    assert by_figure["35억원"]["claim"]["kind"] == "change"
    assert by_figure["35억원"]["verdict"] == "일치"
    assert by_figure["100억원"]["verdict"] == "불일치" and by_figure["100억원"]["difference_krw"] == 1_000_000_000
    assert sum(report["counts"].values()) == len(report["judgements"]) == 6
    assert [c["kind"] for c in report["checks"]] == ["percent"]


def test_government_and_year_options_override_the_text(db: Path, tmp_path: Path) -> None:
    article = _article(tmp_path, "b.txt", "내년 예산에서 청년 월세 지원에 315억원을 쓴다.\n")
    plain = json.loads(run_cli("check", str(article), "--json", db=db, check=True).stdout)["reports"][0]
    assert plain["government"] is None and plain["warnings"]
    given = run_cli("check", str(article), "--government", "가나시", "--year", "2026", "--json", db=db, check=True)
    report = json.loads(given.stdout)["reports"][0]
    assert report["judgements"][0]["verdict"] == "일치"
    assert report["detection"]["government_from"] == "option" and report["detection"]["year_from"] == "option"


def test_item_level_figures_are_checked_against_line_items(db: Path, tmp_path: Path) -> None:
    text = "라마군은 올해 경로당 냉난방비 지원에 2억5000만원을, 노인 일자리 사업에 20억원을 쓴다.\n"
    result = run_cli("check", str(_article(tmp_path, "c.txt", text)), "--year", "2026", "--json", db=db, check=True)
    [report] = json.loads(result.stdout)["reports"]
    assert report["government"] == "라마군" and report["government_code"] == "4799000"
    verdicts = {j["claim"]["amount_text"]: j for j in report["judgements"]}
    assert verdicts["2억5000만원"]["verdict"] == "일치"
    assert "rama_items.csv row 1" in verdicts["2억5000만원"]["evidence"][0]["citation"]
    # 예산현액 (본예산 + 추경 + carry-overs) that differs from the text's figure is another quantity, not a wrong one
    other = verdicts["20억원"]
    assert other["verdict"] == "확인 불가" and other["reason"] == "other_quantity"
    assert other["evidence"][0]["amount_krw"] == 1_800_000_000 and "예산현액" in other["rule"]


def test_across_compares_sources_subject_by_subject(db: Path, tmp_path: Path) -> None:
    first = _article(tmp_path, "01.txt", ARTICLE)
    second = _article(tmp_path, "02.txt", OTHER)
    result = run_cli("check", str(first), str(second), "--across", "--government", "가나시", db=db, check=True)
    assert "across 2 sources" in result.stdout
    data = json.loads(run_cli("check", str(first), str(second), "--across", "--government", "가나시", "--json",
                              db=db, check=True).stdout)  # fmt: skip
    rows = {row["subject"].split(" · ")[0]: row for row in data["across"]["rows"] if len(row["sources"]) > 1}
    youth = rows["청년 월세 지원"]
    assert youth["sources"] == ["01", "02"] and youth["status"] == "differs"
    assert {f["source"]: f["relation"] for f in youth["figures"]} == {"01": "same", "02": "different figure"}
    meals = rows["어르신 무료 급식"]
    assert meals["status"] == "rounding"
    assert {f["source"]: f["relation"] for f in meals["figures"]} == {"01": "same", "02": "rounding"}


def test_a_missing_file_is_one_line_and_exit_1(db: Path, tmp_path: Path) -> None:
    result = run_cli("check", str(tmp_path / "nope.txt"), db=db)
    assert result.returncode == 1
    assert result.stderr.startswith("error:") and "nope.txt" in result.stderr


def test_help_has_an_example() -> None:
    result = run_cli("check", "--help", check=True)
    assert "Example: yesan check" in result.stdout


@pytest.mark.skipif(not (SHARED / "seed").exists(), reason="needs /work/shared (the seed article, local only)")
def test_the_seed_article_gets_a_verdict_for_every_figure(tmp_path: Path) -> None:
    db = tmp_path / "seed.duckdb"
    reference = SHARED / "data/seoul-2026/reference.csv"
    run_cli("load", str(reference), "--kind", "reported", "--government", "서울특별시", "--year", "2026", db=db,
            check=True)  # fmt: skip
    seed = next((SHARED / "seed").glob("*.txt"))
    result = run_cli("check", str(seed), "--government", "서울특별시", "--year", "2026", "--json", db=db, check=True)
    [report] = json.loads(result.stdout)["reports"]
    assert len(report["judgements"]) >= 17
    with_evidence = [j for j in report["judgements"] if j["evidence"]]
    assert len(with_evidence) >= len(report["judgements"]) - 2
    by_figure = {j["claim"]["amount_text"]: j["verdict"] for j in report["judgements"]}
    assert by_figure["51조5060억원"] == "일치" and by_figure["15조6000억원"] == "반올림 일치"


def test_a_check_that_ran_exits_0_even_when_nothing_could_be_checked(db: Path, tmp_path: Path) -> None:
    unknown = _article(tmp_path, "u.txt", "다른시는 내년 예산으로 3조2000억원을 편성했다. 도서관에 12억원을 쓴다.\n")
    result = run_cli("check", str(unknown), "--government", "다른시", "--year", "2026", db=db)
    assert result.returncode == 0, result.stderr
    assert "확인 불가 2" in result.stdout


def test_fail_on_a_verdict_exits_3_and_says_how_many(db: Path, tmp_path: Path) -> None:
    article = _article(tmp_path, "a.txt", ARTICLE)
    failed = run_cli("check", str(article), "--fail-on", "불일치", db=db)
    assert failed.returncode == 3
    assert "--fail-on: 1 불일치" in failed.stderr
    assert "불일치" in failed.stdout  # the report is printed all the same
    as_json = run_cli("check", str(article), "--fail-on", "불일치", "--json", db=db)
    assert as_json.returncode == 3 and json.loads(as_json.stdout)["reports"]
    passed = run_cli("check", str(article), "--fail-on", "모호", db=db)
    assert passed.returncode == 0, passed.stderr


def test_fail_on_an_unknown_verdict_is_refused_before_checking(db: Path, tmp_path: Path) -> None:
    result = run_cli("check", str(_article(tmp_path, "a.txt", ARTICLE)), "--fail-on", "wrong", db=db)
    assert result.returncode == 2 and "'wrong' is not a verdict" in result.stderr and "불일치" in result.stderr
