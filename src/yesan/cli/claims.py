"""``yesan claims``: the money figures of articles (extract) and how well extraction does (eval)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from yesan.cli import JsonOption, _print_json, _table, app, out, show

claims_app = typer.Typer(
    help="Money figures in news articles and press releases: extract them, score extraction.",
    no_args_is_help=True,
)
app.add_typer(claims_app, name="claims")


def _pct(value: float | None) -> str:
    return "" if value is None else f"{value:+g}%"


@claims_app.command("extract")
def extract_command(
    files: Annotated[list[str], typer.Argument(help="HTML or text files; - reads standard input.")],
    json_output: JsonOption = False,
) -> None:
    """List every money figure in the body of articles, with what it is for.

    Example: yesan claims extract article.html press-release.txt --json

    Engine: none; reads no store, so --engine does not apply.
    """
    from yesan.claims import extract_files
    from yesan.money import format_won

    claims = extract_files(files)
    if json_output:
        _print_json([claim.as_dict() for claim in claims])
        return
    several = len(files) > 1
    columns = ["amount", "as written", "kind", "subject", "qualifier", "change", "year", "stage"]
    if several:
        columns.insert(0, "source")
    table = _table(
        f"{len(claims)} figure{'s' if len(claims) != 1 else ''}",
        columns,
        left=("subject",),
        whole=("source", "as written", "kind", "qualifier", "stage"),
    )
    for claim in claims:
        row = [
            format_won(claim.amount_krw),
            claim.amount_text,
            claim.kind,
            claim.subject or "—",
            claim.qualifier or "",
            _pct(claim.change_pct),
            str(claim.year or ""),
            claim.stage or "",
        ]
        if several:
            row.insert(0, Path(claim.source or "-").name)
        table.add_row(*row)
    show(table)


@claims_app.command("eval")
def eval_command(
    corpus: Annotated[Path, typer.Argument(help="Corpus folder: articles/NN.txt (or NN.txt, NN.html).")],
    gold: Annotated[Path, typer.Argument(help="Gold figures, one JSON object per line.")],
    json_output: JsonOption = False,
) -> None:
    """Score extraction against hand-labelled figures: precision, recall, F1, kinds and subjects.

    A claim matches a gold figure when the amounts are equal and the claim lies in the gold sentence.
    Example: yesan claims eval ../shared/corpus/seoul-2026 ../shared/corpus/seoul-2026/gold.jsonl

    Engine: none; reads no store, so --engine does not apply.
    """
    from yesan.claims import evaluate
    from yesan.claims.candidates.subjects import compact

    result = evaluate(corpus, gold, compact=compact)
    if json_output:
        _print_json(result.as_dict())
        return
    out.print(
        f"{result.articles} articles · {result.gold} gold figures · {result.predicted} predicted · "
        f"{result.matched} matched"
    )
    out.print(f"precision {result.precision:.3f}   recall {result.recall:.3f}   F1 {result.f1:.3f}")
    out.print(
        f"kind accuracy {result.kind_accuracy:.3f} · subject agreement {result.subject_agreement:.3f} "
        f"(mean character-bigram Dice; {result.subject_half:.1%} of pairs ≥ 0.5) · on the program's words "
        f"{result.subject_compact or 0.0:.3f} (notes, years and budget words dropped)"
    )
    out.print(
        f"stage {result.stage_accuracy:.3f} · year {result.year_accuracy:.3f} · qualifier "
        f"{result.qualifier_accuracy:.3f} · change % {result.change_pct_accuracy:.3f} · "
        f"sign of changes {result.sign_accuracy:.3f}   (over matched pairs)"
    )
    if result.subject_by_kind:
        out.print(
            "subject agreement by gold kind: "
            + ", ".join(f"{kind} {score:.3f}" for kind, score in result.subject_by_kind.items())
        )
    if result.kind_confusion:
        out.print("kind errors (gold→predicted): " + ", ".join(f"{k} {v}" for k, v in result.kind_confusion.items()))
    for title, mistakes in (
        ("missed", result.misses),
        ("false alarms", result.false_alarms),
        ("kind errors", result.kind_errors),
    ):
        if not mistakes:
            out.print(f"{title}: none")
            continue
        table = _table(
            f"{title} ({len(mistakes)})",
            ["article", "figure", "detail", "sentence"],
            whole=("figure",),
            text=("detail", "sentence"),
        )
        for mistake in mistakes:
            table.add_row(mistake.article, mistake.text, mistake.detail, mistake.sentence)
        show(table)
