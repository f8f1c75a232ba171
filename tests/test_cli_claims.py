"""yesan claims extract / eval through the real console script."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import run_cli
from yesan.claims import CLAIM_FIELDS

ARTICLE = "강원도는 2026년도 예산안을 10조2000억원 규모로 편성했다. 산불 대응에 120억원을 투입한다.\n"
PAGE = (
    "<html><body><article><h1>제주도 예산 7조</h1>"
    "<p>제주도는 관광 진흥에 300억원을 배정했다.</p></article></body></html>"
)


def test_extract_json_for_several_files(tmp_path: Path) -> None:
    text, page = tmp_path / "a.txt", tmp_path / "b.html"
    text.write_text(ARTICLE, encoding="utf-8")
    page.write_text(PAGE, encoding="utf-8")
    data = json.loads(run_cli("claims", "extract", str(text), str(page), "--json", check=True).stdout)
    assert [(d["amount_krw"], d["kind"], Path(d["source"]).name) for d in data] == [
        (102_000 * 10**8, "total", "a.txt"),
        (120 * 10**8, "allocation", "a.txt"),
        (7 * 10**12, "total", "b.html"),
        (300 * 10**8, "allocation", "b.html"),
    ]
    assert all(list(d) == [*CLAIM_FIELDS, "source"] for d in data)


def test_extract_reads_standard_input_and_prints_a_table() -> None:
    exe = Path(sys.executable).with_name("yesan")
    command = [str(exe)] if exe.exists() else [sys.executable, "-c", "from yesan.cli import main; main()"]
    result = subprocess.run(
        [*command, "claims", "extract", "-"],
        input=ARTICLE,
        capture_output=True,
        text=True,
        env={"COLUMNS": "200", "NO_COLOR": "1", "PATH": "/usr/bin:/bin"},
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "2 figures" in result.stdout
    assert "10조 2,000억원" in result.stdout and "산불 대응" in result.stdout and "allocation" in result.stdout


def test_unreadable_file_exits_non_zero_with_one_line(tmp_path: Path) -> None:
    result = run_cli("claims", "extract", str(tmp_path / "none.txt"))
    assert result.returncode == 1
    assert "none.txt: cannot read" in result.stderr


def test_eval_prints_scores_and_mistakes(tmp_path: Path) -> None:
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "01.txt").write_text(ARTICLE, encoding="utf-8")
    gold = {
        "article": "01",
        "sentence": "산불 대응에 120억원을 투입한다.",
        "subject": "산불 대응",
        "amount_krw": 120 * 10**8,
        "kind": "allocation",
        "char_start": ARTICLE.index("120억원"),
    }
    (tmp_path / "gold.jsonl").write_text(json.dumps(gold, ensure_ascii=False) + "\n", encoding="utf-8")
    text = run_cli("claims", "eval", str(tmp_path), str(tmp_path / "gold.jsonl"), check=True).stdout
    assert "precision 0.500   recall 1.000" in text
    assert "subject agreement 1.000" in text and "on the program's words 1.000" in text
    assert "false alarms (1)" in text and "10조2000억원" in text
    data = json.loads(
        run_cli("claims", "eval", str(tmp_path), str(tmp_path / "gold.jsonl"), "--json", check=True).stdout
    )
    assert data["matched"] == 1 and data["false_alarms"][0]["text"] == "10조2000억원"
    assert data["subject_compact"] == 1.0
