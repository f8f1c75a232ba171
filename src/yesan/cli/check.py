"""``yesan check``: every money figure of an article, matched to the store and judged, with evidence."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated, Any, Final

import typer
from rich import box
from rich.markup import escape
from rich.table import Table

from yesan.cli import DbOption, JsonOption, _print_json, app, err, out
from yesan.cli.engine import EngineOption, ParquetOption
from yesan.money import format_won

#: How each verdict looks in a terminal.
BADGES: Final = {
    "일치": "[bold green]일치[/]",
    "반올림 일치": "[green]반올림 일치[/]",
    "근사": "[cyan]근사[/]",
    "범위 일치": "[cyan]범위 일치[/]",
    "불일치": "[bold red]불일치[/]",
    "확인 불가": "[dim]확인 불가[/]",
    "모호": "[yellow]모호[/]",
}
#: Seconds one file may take (extraction, matching and judging).
TIME_LIMIT_S: Final = 120.0


@app.command(name="check")
def check_command(
    files: Annotated[list[Path], typer.Argument(help="Article files (HTML or plain text); - reads standard input.")],
    government: Annotated[
        str | None, typer.Option(help="Government the articles are about (name or code); default: from the text.")
    ] = None,
    year: Annotated[int | None, typer.Option(help="Fiscal year; default: from the text.")] = None,
    url: Annotated[
        str | None,
        typer.Option(
            help="The article's address (one file): its figures do not confirm themselves; default: from the "
            "file's header or page."
        ),
    ] = None,
    across: Annotated[
        bool, typer.Option("--across", help="Also compare the files' figures subject by subject (several articles).")
    ] = False,
    db: DbOption = None,
    engine: EngineOption = None,
    parquet: ParquetOption = None,
    as_json: JsonOption = False,
) -> None:
    """Check every money figure of an article against the store: a verdict, the rule and the evidence for each.

    Figures are matched to reported figures (yesan load FILE --kind reported) and to line items.

    The text's own arithmetic (percentages, differences, shares, parts) is checked too.

    Verdicts: 일치 equal to the won · 반올림 일치 equal at the figure's precision (rounded or truncated).

    근사 within 약 ±5% or 여 +10% · 범위 일치 a bound (이상, 넘게, 미만 …) holds · 불일치 none of these.

    확인 불가 nothing to check against · 모호 several figures fit the subject and none agrees.

    Every verdict says what it rests on (its evidence tier): 공식 세부사업 (an official line item), 공식 집계
    (an official aggregate), 정부 발표 (the government's announcement, as reported), 다른 보도 (other outlets'
    reports: "다른 보도와 일치" is corroboration, not confirmation), 외부 근거 없음. A reported figure whose only
    source is the article itself (its address, outlet and date, or the same sentences) is 확인 불가 (자기 인용).

    Example: yesan check article.txt --government 서울특별시 --year 2026

    Engines: DuckDB (the store), PostgreSQL or Spark; --engine and --parquet go before or after the command name.
    Reported figures are used where the engine's database holds them (a warning says when it does not).
    """
    from yesan.claims.check import check_path
    from yesan.cli.explore import _tables

    if url is not None and len(files) != 1:
        err.print("error: --url names one article; give one file with it")
        raise typer.Exit(1)
    reports = []
    with _tables("check", db, engine, parquet) as tables:
        _warn_without_reported_figures(tables)
        for path in files:
            deadline = time.monotonic() + TIME_LIMIT_S
            reports.append(check_path(path, tables, government=government, year=year, deadline=deadline, url=url))
    table = None
    if across:
        from yesan.claims.sources import compare_sources

        table = compare_sources(reports)
    if as_json:
        data: dict[str, Any] = {"reports": [r.as_dict() for r in reports]}
        if table is not None:
            data["across"] = table.as_dict()
        _print_json(data)
        return
    for report in reports:
        _print_report(report)
    if table is not None:
        _print_across(table)


def _warn_without_reported_figures(tables: Any) -> None:
    """Say so when the engine's database has no reported figures: the store may have them, the copy not."""
    import ibis

    from yesan.query.engine import optional_table

    backend = ibis.get_backend(tables.items)
    if backend.name == "duckdb":
        return
    if optional_table(backend, "reported_figures") is not None:
        if optional_table(backend, "reported_sources") is None:
            err.print(
                f"warning: the {backend.name} engine has reported_figures but no reported_sources table, so sources "
                "are cited by key and an article's own figures are not recognised as its own; copy reported_sources "
                "too, or check against the store (drop --engine)",
                soft_wrap=True,
            )
        return
    where = (
        "copy them there too (copy_store_to_postgres(..., tables=[..., 'reported_figures'])) or"
        if backend.name == "postgres"
        else "write the layout again (yesan export DIR --format partitioned) or"
    )
    err.print(
        f"warning: the {backend.name} engine has no reported_figures table, so figures are checked against line "
        f"items only; to use reported figures, {where} check against the store (drop --engine)",
        soft_wrap=True,
    )


def _print_report(report: Any) -> None:
    from yesan.claims.wording import Phrase

    counts = " · ".join(f"{verdict} {n}" for verdict, n in report.counts().items() if n)
    where = " ".join(str(part) for part in (report.government, report.year) if part) or "government unknown"
    tiers = " · ".join(f"{Phrase(f'tier.{tier}').render('ko')} ({tier}) {n}"
                       for tier, n in report.tier_counts().items() if n)  # fmt: skip
    out.print(f"[bold]{escape(report.source or 'text')}[/]: {where} — {len(report.judgements)} figures: {counts}",
              soft_wrap=True)  # fmt: skip
    if tiers:
        out.print(f"evidence: {escape(tiers)}", soft_wrap=True)
    for warning in report.warnings:
        out.print(f"[yellow]warning[/] {escape(warning)}", soft_wrap=True)
    if report.judgements:
        out.print(_judgements_table(report.judgements))
        out.print("[bold]evidence[/]")
        for number, judgement in enumerate(report.judgements, start=1):
            for item in judgement.evidence[:3]:
                out.print(f" {number:>2}  {format_won(item.amount_krw)} = {escape(item.label)}: "
                          f"[dim]{escape(item.citation)}[/]", soft_wrap=True)  # fmt: skip
            if len(judgement.evidence) > 3:
                out.print(f"     … {len(judgement.evidence) - 3} more (--json lists them)")
    if report.checks:
        checks = Table(title="checks inside the text", title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False,
                       collapse_padding=True)  # fmt: skip
        checks.add_column("check", no_wrap=True)
        checks.add_column("#", justify="right", no_wrap=True)
        checks.add_column("text says", no_wrap=True)
        checks.add_column("verdict", no_wrap=True)
        checks.add_column("figures give · rule", ratio=1)
        for check in report.checks:
            used = ",".join(str(i + 1) for i in check.claims)
            detail = f"{escape(check.computed)}\n[dim]{escape(check.rule)}[/]"
            checks.add_row(check.kind, used, escape(check.stated), BADGES.get(check.verdict, check.verdict), detail)
        out.print(checks)
    reference = report.reference
    parts = []
    if reference.get("reported_figures"):
        datasets = ", ".join(reference["reported_datasets"])
        parts.append(f"{reference['reported_figures']} reported figures ({datasets})")
    if reference.get("items_snapshot"):
        parts.append(f"line items of snapshot {reference['items_snapshot']} ({reference['items_as_of']})")
    if parts:
        out.print(f"checked against: {'; '.join(parts)}", soft_wrap=True)
    out.print()


def _judgements_table(judgements: list[Any]) -> Table:
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("figure", no_wrap=True)
    table.add_column("subject", max_width=24, overflow="fold")
    table.add_column("kind", no_wrap=True)
    table.add_column("verdict", no_wrap=True)
    table.add_column("tier", no_wrap=True)
    table.add_column("evidence", justify="right", no_wrap=True)
    table.add_column("rule", ratio=1)
    for number, judgement in enumerate(judgements, start=1):
        claim = judgement.claim
        rule = escape(judgement.rule)
        if judgement.notes:
            rule += "\n[dim]" + escape("; ".join(judgement.notes)) + "[/]"
        evidence = format_won(judgement.evidence[0].amount_krw) if judgement.evidence else "—"
        table.add_row(
            str(number), escape(claim.amount_text), escape(claim.subject or "—"), claim.kind,
            _badge(judgement), judgement.evidence_tier or "none", evidence, rule,
        )  # fmt: skip
    return table


def _badge(judgement: Any) -> str:
    """The verdict as read against its tier (``다른 보도와 일치``), in the verdict's colour."""
    from yesan.claims.wording import verdict_label

    badge = str(BADGES.get(judgement.verdict, judgement.verdict))
    label = verdict_label(judgement.verdict, judgement.evidence_tier).render("ko")
    return badge.replace(f"]{judgement.verdict}[", f"]{escape(label)}[") if label != judgement.verdict else badge


def _print_across(table: Any) -> None:
    from yesan.claims.sources import describe, reference_text

    data = table.as_dict()
    out.print(
        f"[bold]across {len({s for row in table.rows for s in row.sources})} sources[/]: {data['subjects']} subjects, "
        f"{data['in_several_sources']} in several sources, {data['disagreements']} with differing figures",
        soft_wrap=True,
    )
    grid = Table(box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True)
    grid.add_column("subject", max_width=30, overflow="fold")
    grid.add_column("status", no_wrap=True)
    grid.add_column("reference", justify="right", no_wrap=True)
    grid.add_column("figures by source", ratio=1)
    status = {"agree": "[green]agree[/]", "rounding": "[cyan]rounding[/]", "differs": "[bold red]differs[/]"}
    for row in table.rows:
        if len(row.sources) < 2 and row.status == "agree":
            continue
        grid.add_row(escape(row.subject), status[row.status], reference_text(row), escape(describe(row)))
    out.print(grid)
