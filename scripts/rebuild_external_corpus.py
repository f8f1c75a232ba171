"""Rebuild the external evaluation set (``benchmarks/external``) from locally saved article texts.

The repository keeps only what carries no article text: each article's address, metadata and the sha256 of
the saved text (``sources.jsonl``), and labels given as character offsets (``gold.jsonl``). This script
checks every saved text against its sha256, restores ``sentence`` and ``figure_text`` from the offsets,
checks each figure against ``yesan.money.parse``, and writes the full gold (``gold.jsonl``) and the article
list (``articles.jsonl``) next to the texts' folder, so that

    python scripts/rebuild_external_corpus.py                      # texts in $YESAN_EVAL_DIR or the default
    yesan claims eval /work/eval/external /work/eval/external/gold.jsonl

works like the Seoul dev corpus. It skips with a message when the texts are not on this machine (they are
never part of the repository: see benchmarks/external/README.md). Any mismatch is an error naming the file
and line, and nothing is written.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any, Final

HERE: Final = Path(__file__).resolve().parents[1] / "benchmarks" / "external"
DEFAULT_TEXTS: Final = Path("/work/eval/external/articles")
# Fields of the full gold, in the order of the Seoul dev corpus, then the verdict fields.
FIELDS: Final = (
    "article",
    "sentence",
    "subject",
    "amount_krw",
    "qualifier",
    "kind",
    "change_pct",
    "stage",
    "year",
    "figure_text",
    "char_start",
    "char_end",
    "canonical_subject",
    "direction",
    "note",
    "verdict",
    "verdict_reason",
    "acceptable_verdicts",
    "evidence",
    "scale",
)


class RebuildError(Exception):
    """A saved text or a label does not fit: the message names the file, the line and the reason."""


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise RebuildError(f"{path}: cannot read ({error.strerror})") from None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            raise RebuildError(f"{path}, line {number}: not JSON ({error.msg})") from None
        if not isinstance(row, dict) or "article" not in row:
            raise RebuildError(f"{path}, line {number}: expected an object with an 'article' field")
        rows.append(row)
    return rows


def load_texts(texts: Path, sources: list[dict[str, Any]], sources_path: Path) -> dict[str, str]:
    """Every saved text, checked against the sha256 recorded when it was labelled."""
    out: dict[str, str] = {}
    for number, source in enumerate(sources, start=1):
        path = texts / f"{source['article']}.txt"
        try:
            raw = path.read_bytes()
        except OSError:
            raise RebuildError(
                f"{path}: missing (listed in {sources_path}, line {number}; save the text of {source.get('url')})"
            ) from None
        digest = hashlib.sha256(raw).hexdigest()
        if digest != source["sha256"]:
            raise RebuildError(
                f"{path}: sha256 {digest[:12]}… differs from {source['sha256'][:12]}… in {sources_path}, line "
                f"{number}: this is not the text that was labelled, so the offsets would point at the wrong words"
            )
        out[str(source["article"])] = raw.decode("utf-8")
    return out


def restore(
    gold: list[dict[str, Any]], texts: dict[str, str], gold_path: Path
) -> tuple[list[dict[str, Any]], list[str]]:
    """Full gold rows (sentence and figure_text restored) and the figures the money parser cannot read."""
    from yesan.errors import YesanError
    from yesan.money import parse

    rows: list[dict[str, Any]] = []
    unparsed: list[str] = []
    for number, label in enumerate(gold, start=1):
        where = f"{gold_path}, line {number}"
        text = texts.get(str(label["article"]))
        if text is None:
            raise RebuildError(f"{where}: article {label['article']!r} is not in sources.jsonl")
        start, end = int(label["char_start"]), int(label["char_end"])
        s_start, s_end = int(label["sentence_start"]), int(label["sentence_end"])
        if not (0 <= s_start <= start < end <= s_end <= len(text)):
            raise RebuildError(
                f"{where}: offsets {s_start} ≤ {start} < {end} ≤ {s_end} do not fit a text of {len(text)} characters"
            )
        figure = text[start:end]
        amount, scale = int(label["amount_krw"]), int(label.get("scale") or 1)
        try:
            won = parse(figure, scale=scale).won
        except YesanError as error:
            unparsed.append(f"{label['article']} {figure!r}: {error}")
        else:
            if abs(won) != abs(amount):
                raise RebuildError(
                    f"{where}: the figure at {start}–{end} reads {won:,} won, but amount_krw is {amount:,} "
                    f"(scale {scale})"
                )
        row = {**label, "sentence": text[s_start:s_end], "figure_text": figure}
        rows.append({name: row.get(name) for name in FIELDS})
    return rows, unparsed


def write_all(files: dict[Path, list[dict[str, Any]]]) -> None:
    """Write every file to a temporary name first, then rename them all: no half-written set."""
    temporary: dict[Path, Path] = {}
    try:
        for path, rows in files.items():
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
            temporary[path] = Path(tmp)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                for row in rows:
                    fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        for path, tmp in temporary.items():
            os.replace(tmp, path)
    finally:
        for tmp in temporary.values():
            tmp.unlink(missing_ok=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    default_texts = Path(os.environ.get("YESAN_EVAL_DIR") or DEFAULT_TEXTS)
    parser.add_argument("texts", nargs="?", type=Path, default=default_texts, help="folder of saved NN.txt")
    parser.add_argument("--sources", type=Path, default=HERE / "sources.jsonl")
    parser.add_argument("--gold", type=Path, default=HERE / "gold.jsonl")
    parser.add_argument("--out", type=Path, default=None, help="folder for gold.jsonl (default: next to the texts)")
    args = parser.parse_args(argv)
    texts_dir: Path = args.texts
    if not texts_dir.is_dir():
        print(f"skipped: no saved article texts at {texts_dir} (they are never part of the repository)")
        return 0
    out_dir: Path = args.out or texts_dir.parent
    try:
        sources = read_jsonl(args.sources)
        texts = load_texts(texts_dir, sources, args.sources)
        rows, unparsed = restore(read_jsonl(args.gold), texts, args.gold)
        out_dir.mkdir(parents=True, exist_ok=True)
        articles = [{k: v for k, v in source.items() if k != "sha256"} for source in sources]
        write_all({out_dir / "gold.jsonl": rows, out_dir / "articles.jsonl": articles})
    except RebuildError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"{len(sources)} articles checked, {len(rows)} figures written to {out_dir / 'gold.jsonl'}")
    for line in unparsed:
        print(f"  the money parser cannot read {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
