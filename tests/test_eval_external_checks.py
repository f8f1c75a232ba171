"""scripts/eval_external_checks.py: a check report is scored against the external gold verdicts."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "eval_external_checks.py"

# Our own article, in the pattern of a 군 budget story: a header, then the body the report's offsets count from.
HEADER = "# source: https://example.invalid/1\n# title: 예시\n"
BODY = "가군 예산은 일반회계 90억원과 특별회계 10억원 등 100억원이다. 청년 수당 30억원, 경로당 20억원, 도로 10억원."


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("eval_external_checks", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _gold(figure: str, nth: int, amount: int, verdict: str) -> dict[str, Any]:
    start = -1
    for _ in range(nth):
        start = BODY.index(figure, start + 1)
    return {"article": "01", "char_start": len(HEADER) + start, "amount_krw": amount, "verdict": verdict}


def _judgement(figure: str, nth: int, amount: int, verdict: str, rule: str) -> dict[str, Any]:
    start = -1
    for _ in range(nth):
        start = BODY.index(figure, start + 1)
    return {"claim": {"start": start, "amount_krw": amount, "amount_text": figure}, "verdict": verdict, "rule": rule}


def _setup(tmp_path: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]], Path]:
    texts = tmp_path / "articles"
    texts.mkdir()
    (texts / "01.txt").write_text(HEADER + BODY, encoding="utf-8")
    gold = [
        _gold("90억원", 1, 9_000_000_000, "확인 불가"),
        _gold("10억원", 1, 1_000_000_000, "확인 불가"),
        _gold("100억원", 1, 10_000_000_000, "확인 불가"),
        _gold("30억원", 1, 3_000_000_000, "일치"),
        _gold("20억원", 1, 2_000_000_000, "확인 불가"),
        _gold("10억원", 2, 1_000_000_000, "확인 불가"),
    ]
    # the genuine relation: 90억 + 10억 = 100억 (not 30억 = 20억 + 10억, a coincidence of a list)
    relations = [
        {
            "article": "01",
            "result_char_start": gold[2]["char_start"],
            "part_char_starts": [gold[0]["char_start"], gold[1]["char_start"]],
            "holds": "exact",
        }
    ]
    return gold, relations, texts


def _report(*judgements: dict[str, Any], government: str = "가군", code: str | None = "9990000") -> dict[str, Any]:
    return {
        "source": "/anywhere/01.txt",
        "government": government,
        "government_code": code,
        "year": 2026,
        "judgements": list(judgements),
    }


ARTICLES = {"01": {"article": "01", "government": "나도 가군", "gov_code": "9990000", "year": 2026}}


def test_every_mismatch_on_a_figure_the_gold_cannot_settle_is_counted_false(tmp_path: Path) -> None:
    gold, relations, texts = _setup(tmp_path)
    report = _report(_judgement("20억원", 1, 2_000_000_000, "불일치", "20억원 vs 18억원"))
    result = _load().score([report], ARTICLES, gold, relations, texts)
    assert len(result.mismatches) == 1 and "(gold 확인 불가)" in result.mismatches[0]


def test_in_text_matches_count_only_on_a_genuine_relation(tmp_path: Path) -> None:
    gold, relations, texts = _setup(tmp_path)
    report = _report(
        _judgement("100억원", 1, 10_000_000_000, "일치", "in the text: parts: 90억원 + 10억원 = 100억원"),
        _judgement("30억원", 1, 3_000_000_000, "일치", "in the text: parts: 20억원 + 10억원 = 30억원"),
    )
    result = _load().score([report], ARTICLES, gold, relations, texts)
    assert (result.text_matches_ok, result.text_matches) == (1, 2)
    assert "'30억원'" in result.wrong_matches[0]


def test_data_matches_need_a_gold_match(tmp_path: Path) -> None:
    gold, relations, texts = _setup(tmp_path)
    report = _report(
        _judgement("30억원", 1, 3_000_000_000, "일치", "30억원 = 청년 수당 예산현액"),
        _judgement("20억원", 1, 2_000_000_000, "반올림 일치", "19억 8,000만원 rounds to 20억원"),
    )
    result = _load().score([report], ARTICLES, gold, relations, texts)
    assert (result.data_matches_ok, result.data_matches) == (1, 2)


def test_government_is_right_by_code_or_by_the_full_name_ending(tmp_path: Path) -> None:
    gold, relations, texts = _setup(tmp_path)
    module = _load()
    assert module.score([_report(code="9990000")], ARTICLES, gold, relations, texts).government_ok == 1
    assert module.score([_report(code=None)], ARTICLES, gold, relations, texts).government_ok == 1
    assert module.score([_report(government="다군", code="1")], ARTICLES, gold, relations, texts).government_ok == 0


def test_without_the_rebuilt_set_the_script_skips_with_a_message(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--set", str(tmp_path)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0 and done.stdout.startswith("skipped: no rebuilt external set")
