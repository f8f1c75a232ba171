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

``--relocate`` is for texts saved again from the store, whose cleanup differs from the labelled ones (so
their sha256 and offsets differ): each label moves to the occurrence in the saved text that reads the same
amount (same length ±3, ``yesan.money.parse`` with the label's scale), nearest to its old place shifted by
the running difference; articles without a saved text and labels with no such occurrence are left out and
counted.
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


def _reads(fragment: str, amount: int, scale: int) -> bool:
    from yesan.errors import YesanError
    from yesan.money import parse

    for candidate in (fragment, "".join(fragment.split())):
        try:
            if abs(parse(candidate, scale=scale).won) == abs(amount):
                return True
        except YesanError:
            continue
    return False


def _occurrences(text: str, body: int, length: int, amount: int, scale: int) -> list[tuple[int, int]]:
    """(start, length) of every place in ``text[body:]`` where an amount of about ``length`` reads ``amount``."""
    found: list[tuple[int, int]] = []
    for size in sorted({n for n in range(length - 3, length + 4) if n > 0}, key=lambda n: abs(n - length)):
        for pos in range(body, len(text) - size + 1):
            first, before = text[pos], text[pos - 1] if pos else " "
            if not (first.isdigit() or first in "△▲-") or before.isdigit() or before in ",.":
                continue
            if pos + size < len(text) and text[pos + size].isdigit():
                continue
            if all(pos != other for other, _ in found) and _reads(text[pos : pos + size], amount, scale):
                found.append((pos, size))
    return found


def relocate(labels: list[dict[str, Any]], text: str) -> list[dict[str, Any]]:
    """The labels of one article moved onto ``text`` (see the module docstring); unplaceable ones dropped."""
    from yesan.claims.article.text import read_document

    with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".txt", delete=False) as fh:
        fh.write(text)
    try:
        body = read_document(Path(fh.name)).offset or 0
    finally:
        Path(fh.name).unlink()
    ordered = sorted(labels, key=lambda g: int(g["char_start"]))
    places = [
        _occurrences(
            text, body, int(g["char_end"]) - int(g["char_start"]), int(g["amount_krw"]), int(g.get("scale") or 1)
        )
        for g in ordered
    ]
    shifts = sorted(p[0][0] - int(g["char_start"]) for g, p in zip(ordered, places, strict=True) if len(p) == 1)
    delta = shifts[len(shifts) // 2] if shifts else 0
    used: set[int] = set()
    moved: list[dict[str, Any]] = []
    for label, options in zip(ordered, places, strict=True):
        options = [o for o in options if o[0] not in used]
        if not options:
            continue
        start, size = min(options, key=lambda o: abs(o[0] - (int(label["char_start"]) + delta)))
        delta = start - int(label["char_start"])
        used.add(start)
        before = int(label["char_start"]) - int(label["sentence_start"])
        after = int(label["sentence_end"]) - int(label["char_end"])
        moved.append(
            {
                **label,
                "char_start": start,
                "char_end": start + size,
                "sentence_start": max(0, start - before),
                "sentence_end": min(len(text), start + size + after),
            }
        )
    return moved


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


def _relocated(
    texts_dir: Path, sources: list[dict[str, Any]], gold: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], dict[str, str], list[dict[str, Any]], str]:
    """The sources with a saved text, their texts, the labels moved onto them, and a one-line report."""
    kept: list[dict[str, Any]] = []
    texts: dict[str, str] = {}
    moved: list[dict[str, Any]] = []
    for source in sources:
        path = texts_dir / f"{source['article']}.txt"
        if not path.is_file():
            continue
        text = path.read_bytes().decode("utf-8")
        kept.append(source)
        texts[str(source["article"])] = text
        moved.extend(relocate([g for g in gold if g["article"] == source["article"]], text))
    report = (
        f"relocated {len(moved)} of {len(gold)} labels onto {len(kept)} of {len(sources)} saved texts "
        f"({len(sources) - len(kept)} articles have no saved text)"
    )
    return kept, texts, moved, report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    default_texts = Path(os.environ.get("YESAN_EVAL_DIR") or DEFAULT_TEXTS)
    parser.add_argument("texts", nargs="?", type=Path, default=default_texts, help="folder of saved NN.txt")
    parser.add_argument("--sources", type=Path, default=HERE / "sources.jsonl")
    parser.add_argument("--gold", type=Path, default=HERE / "gold.jsonl")
    parser.add_argument("--out", type=Path, default=None, help="folder for gold.jsonl (default: next to the texts)")
    parser.add_argument(
        "--relocate", action="store_true", help="texts saved again (other cleanup): move each label onto its figure"
    )
    args = parser.parse_args(argv)
    texts_dir: Path = args.texts
    if not texts_dir.is_dir():
        print(f"skipped: no saved article texts at {texts_dir} (they are never part of the repository)")
        return 0
    out_dir: Path = args.out or texts_dir.parent
    try:
        sources = read_jsonl(args.sources)
        gold = read_jsonl(args.gold)
        if args.relocate:
            sources, texts, gold, report = _relocated(texts_dir, sources, gold)
            print(report)
        else:
            texts = load_texts(texts_dir, sources, args.sources)
        rows, unparsed = restore(gold, texts, args.gold)
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
