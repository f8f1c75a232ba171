"""scripts/rebuild_external_corpus.py: the external evaluation set is rebuilt from saved texts and text-free labels."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "rebuild_external_corpus.py"
COMMITTED = ROOT / "benchmarks" / "external"

# Our own sentences, in the pattern of a council story.
TEXT = (
    "# source: https://example.invalid/council\n"
    "# title: 예시\n"
    "군의회는 체육관 설계비 5억 원을 삭감했다. 총예산은 3천억원이다.\n"
)


def _label(sentence: str, figure: str, amount: int, kind: str, subject: str) -> dict[str, Any]:
    sentence_start = TEXT.index(sentence)
    start = TEXT.index(figure, sentence_start)
    return {
        "article": "01",
        "char_start": start,
        "char_end": start + len(figure),
        "sentence_start": sentence_start,
        "sentence_end": sentence_start + len(sentence),
        "amount_krw": amount,
        "sign": -1 if amount < 0 else 1,
        "kind": kind,
        "subject": subject,
        "scale": 1,
        "verdict": "확인 불가",
        "verdict_reason": "no data for this government",
    }


def _setup(tmp_path: Path, text: str = TEXT, amount: int = -500_000_000) -> tuple[Path, Path, Path]:
    texts = tmp_path / "saved" / "articles"
    texts.mkdir(parents=True)
    (texts / "01.txt").write_text(text, encoding="utf-8")
    sources = tmp_path / "sources.jsonl"
    digest = hashlib.sha256(TEXT.encode("utf-8")).hexdigest()
    sources.write_text(json.dumps({"article": "01", "url": "https://example.invalid/council", "sha256": digest}) + "\n")
    gold = tmp_path / "gold.jsonl"
    rows = [
        _label("군의회는 체육관 설계비 5억 원을 삭감했다.", "5억 원", amount, "change", "체육관 설계비"),
        _label("총예산은 3천억원이다.", "3천억원", 300_000_000_000, "total", "총예산"),
    ]
    gold.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return texts, sources, gold


def _run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(SCRIPT), *map(str, args)], capture_output=True, text=True, check=False)


def test_rebuild_restores_sentences_and_figures_from_the_offsets(tmp_path: Path) -> None:
    texts, sources, gold = _setup(tmp_path)
    result = _run(texts, "--sources", sources, "--gold", gold)
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in (texts.parent / "gold.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(r["figure_text"], r["amount_krw"]) for r in rows] == [
        ("5억 원", -500_000_000),
        ("3천억원", 300_000_000_000),
    ]
    assert rows[0]["sentence"] == "군의회는 체육관 설계비 5억 원을 삭감했다."
    assert rows[1]["sentence"] == "총예산은 3천억원이다."
    articles = [json.loads(line) for line in (texts.parent / "articles.jsonl").read_text().splitlines()]
    assert articles == [{"article": "01", "url": "https://example.invalid/council"}]


def test_a_saved_text_that_differs_from_the_labelled_one_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    texts, sources, gold = _setup(tmp_path, text=TEXT.replace("5억", "6억"))
    result = _run(texts, "--sources", sources, "--gold", gold)
    assert result.returncode == 1
    assert "01.txt" in result.stderr and "sha256" in result.stderr
    assert not (texts.parent / "gold.jsonl").exists()


def test_a_label_whose_amount_disagrees_with_its_figure_names_the_gold_line(tmp_path: Path) -> None:
    texts, sources, gold = _setup(tmp_path, amount=-600_000_000)
    result = _run(texts, "--sources", sources, "--gold", gold)
    assert result.returncode == 1
    assert f"{gold}, line 1" in result.stderr and "500,000,000" in result.stderr
    assert not (texts.parent / "gold.jsonl").exists()


def test_without_the_saved_texts_the_script_skips_with_a_message(tmp_path: Path) -> None:
    result = _run(tmp_path / "absent")
    assert result.returncode == 0
    assert result.stdout.startswith("skipped: no saved article texts")


def test_the_committed_set_carries_offsets_and_labels_but_no_article_text() -> None:
    sources = [json.loads(line) for line in (COMMITTED / "sources.jsonl").read_text(encoding="utf-8").splitlines()]
    gold = [json.loads(line) for line in (COMMITTED / "gold.jsonl").read_text(encoding="utf-8").splitlines()]
    ids = {s["article"] for s in sources}
    assert len(ids) == len(sources) >= 15
    assert all(len(s["sha256"]) == 64 and s["url"].startswith("http") for s in sources)
    for row in gold:
        assert not {"sentence", "figure_text"} & row.keys()
        assert row["article"] in ids
        assert isinstance(row["amount_krw"], int) and row["sign"] == (-1 if row["amount_krw"] < 0 else 1)
        assert row["sentence_start"] <= row["char_start"] < row["char_end"] <= row["sentence_end"]
        assert row["kind"] in {"total", "allocation", "change", "prior", "other"}
        assert row["verdict"] in {"일치", "불일치", "확인 불가"}
        assert row["verdict"] != "일치" or row["evidence"], "an 일치 must name the bundled row it rests on"


def test_relocate_moves_each_label_onto_a_text_saved_again_with_other_cleanup(tmp_path: Path) -> None:
    # saved again: one more header line and a byline the labelled text did not keep
    saved = TEXT.replace("# title: 예시\n", "# title: 예시\n# stored: excerpt\n홍길동 기자\n")
    texts, sources, gold = _setup(tmp_path, text=saved)
    assert _run(texts, "--sources", sources, "--gold", gold).returncode == 1  # the sha256 differs
    result = _run(texts, "--sources", sources, "--gold", gold, "--relocate")
    assert result.returncode == 0, result.stderr
    assert "relocated 2 of 2 labels onto 1 of 1 saved texts" in result.stdout
    rows = [json.loads(line) for line in (texts.parent / "gold.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(r["figure_text"], saved[r["char_start"] : r["char_end"]]) for r in rows] == [
        ("5억 원", "5억 원"),
        ("3천억원", "3천억원"),
    ]


def test_relocate_leaves_out_articles_without_a_saved_text(tmp_path: Path) -> None:
    texts, sources, gold = _setup(tmp_path)
    with sources.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps({"article": "02", "url": "https://example.invalid/other", "sha256": "0" * 64}) + "\n")
    result = _run(texts, "--sources", sources, "--gold", gold, "--relocate")
    assert result.returncode == 0, result.stderr
    assert "(1 articles have no saved text)" in result.stdout
    articles = [json.loads(line) for line in (texts.parent / "articles.jsonl").read_text().splitlines()]
    assert [a["article"] for a in articles] == ["01"]
