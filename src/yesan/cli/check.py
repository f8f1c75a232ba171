"""``yesan check``: every money figure of an article, matched to the store and judged, with evidence."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated, Any, Final

import typer
from rich.text import Text

from yesan.cli import CliTable, DbOption, JsonOption, _print_json, app, err, out, plain, safe, show
from yesan.cli import _table as table
from yesan.cli.checks import save_one, saved_checks
from yesan.cli.engine import EngineOption, ParquetOption
from yesan.money import format_won
from yesan.settings import Settings

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
#: The exit status when a verdict named by --fail-on was given (1 is for errors, 2 for internal errors).
FAIL_ON_EXIT: Final = 3


@app.command(name="check")
def check_command(
    files: Annotated[list[Path], typer.Argument(help="Article files (HTML or plain text); - reads standard input.")],
    government: Annotated[
        str | None, typer.Option(help="Government the articles are about (name or code); default: from the text.")
    ] = None,
    year: Annotated[
        int | None,
        typer.Option(
            help="Fiscal year; default: from the text's budget-year cues (2026년 예산안, 내년도 예산 with "
            "the publication date); none found: every figure 확인 불가."
        ),
    ] = None,
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
    fail_on: Annotated[
        list[str] | None,
        typer.Option(
            "--fail-on",
            help=f"Exit {FAIL_ON_EXIT} when a figure (or a check inside the text) gets this verdict, e.g. 불일치; "
            "repeat for several. Without it a check that ran exits 0 whatever its verdicts.",
        ),
    ] = None,
    save: Annotated[
        bool,
        typer.Option(
            "--save",
            help="Save each check in the store's checks file (STORE.checks.sqlite) with a permalink: "
            "`yesan checks` lists them, `yesan serve` shows them at /check/ID. DuckDB store only.",
        ),
    ] = False,
    db: DbOption = None,
    engine: EngineOption = None,
    parquet: ParquetOption = None,
    as_json: JsonOption = False,
) -> None:
    """Check every money figure of an article against the store: a verdict, the rule and the evidence for each.

    Figures are matched to reported figures (yesan load FILE --kind reported) and to line items.

    The text's own arithmetic (percentages, differences, shares, parts) is checked too.

    Verdicts (docs/verdicts.md): 일치 equal to the won · 반올림 일치 the data rounds to the figure at its reading
    unit (its last non-zero digit, at least two significant digits: 51.5조 ±500억, 1조 ±500억); truncation is
    not rounding (8000억 for 8601억 is 불일치).

    근사 약 within half a unit of its last digit or 5% (약 1조 ±5,000억) · 여 the data truncated to the figure ·
    a headline figure truncated · 범위 일치 a bound (이상, 넘게, 미만 …) holds exactly · 불일치 none of these
    (a likely typo is named).

    확인 불가 with a reason (JSON "reason") and the document to look in · 모호 several figures fit and none agrees.

    Exit status: 0 when the check ran (the verdicts are in the output), 1 on errors, and with --fail-on
    VERDICT, 3 when some figure got that verdict.

    Every verdict says what it rests on (its evidence tier): 공식 세부사업 (an official line item), 공식 집계
    (an official aggregate), 정부 발표 (the government's announcement, as reported), 다른 보도 (other outlets'
    reports: "다른 보도와 일치" is corroboration, not confirmation), 외부 근거 없음. A reported figure whose only
    source is the article itself (its address, outlet and date, or the same sentences) is 확인 불가 (자기 인용).

    Example: yesan check article.txt --government 서울특별시 --year 2026 --fail-on 불일치

    Engines: DuckDB (the store), PostgreSQL or Spark; --engine and --parquet go before or after the command name.
    Reported figures are used where the engine's database holds them (a warning says when it does not).
    """
    from yesan.claims.article.text import read_document
    from yesan.claims.verdict.check import check_document
    from yesan.cli.explore import _tables

    failing = _fail_on(fail_on or [])
    if url is not None and len(files) != 1:
        err.print("error: --url names one article; give one file with it")
        raise typer.Exit(1)
    saving = saved_checks(db, engine, parquet) if save else None
    decisions = saving.decisions() if saving is not None else None
    reports, documents = [], []
    time_limit_s = Settings.from_environment().cli_check_time_limit_s  # one file's extraction, matching, judging
    with _tables("check", db, engine, parquet) as tables:
        _warn_without_reported_figures(tables)
        for path in files:
            deadline = time.monotonic() + time_limit_s
            document = read_document(path)
            documents.append(document)
            reports.append(check_document(document, tables, government=government, year=year, deadline=deadline,
                                          url=url, decisions=decisions, source=str(path)))  # fmt: skip
        saved = [save_one(saving, tables, d, r, government, year) for d, r in zip(documents, reports, strict=True)
                 ] if saving is not None else []  # fmt: skip
    grid = None
    if across:
        from yesan.claims.verdict.sources import compare_sources

        grid = compare_sources(reports)
    if as_json:
        data: dict[str, Any] = {"reports": [r.as_dict() for r in reports]}
        for entry, (check_id, run_no) in zip(data["reports"], saved, strict=False):
            entry.update(check_id=check_id, run_no=run_no, permalink=f"/check/{check_id}")
        if grid is not None:
            data["across"] = grid.as_dict()
        _print_json(data)
    else:
        for report in reports:
            _print_report(report)
        for check_id, run_no in saved:
            out.print(f"saved: check {check_id} (run {run_no}) · `yesan checks show {check_id}` · /check/{check_id}")
        if grid is not None:
            _print_across(grid)
    _exit_on(failing, reports)


def _fail_on(verdicts: list[str]) -> frozenset[str]:
    unknown = [v for v in verdicts if v not in BADGES]
    if unknown:
        raise typer.BadParameter(
            f"{', '.join(map(repr, unknown))} is not a verdict; use one of {', '.join(BADGES)}", param_hint="--fail-on"
        )
    return frozenset(verdicts)


def _exit_on(failing: frozenset[str], reports: list[Any]) -> None:
    """Exit ``FAIL_ON_EXIT`` when some figure or check inside the text got a verdict of ``failing``."""
    if not failing:
        return
    found: dict[str, int] = {}
    for report in reports:
        for verdict in [j.verdict for j in report.judgements] + [c.verdict for c in report.checks]:
            if verdict in failing:
                found[verdict] = found.get(verdict, 0) + 1
    if found:
        counts = ", ".join(f"{n} {verdict}" for verdict, n in found.items())
        err.print(f"--fail-on: {counts}; exit status {FAIL_ON_EXIT}", soft_wrap=True)
        raise typer.Exit(FAIL_ON_EXIT)


def _warn_without_reported_figures(tables: Any) -> None:
    """Say so when the engine's database has no reported figures: the store may have them, the copy not."""
    engine = tables.engine
    if engine == "duckdb":
        return
    if tables.reported_figures is not None:
        if tables.reported_sources is None:
            err.print(
                f"warning: the {engine} engine has reported_figures but no reported_sources table, so sources "
                "are cited by key and an article's own figures are not recognised as its own; copy reported_sources "
                "too, or check against the store (drop --engine)",
                soft_wrap=True,
            )
        return
    where = (
        "copy them there too (copy_store_to_postgres(..., tables=[..., 'reported_figures'])) or"
        if engine == "postgres"
        else "write the layout again (yesan export DIR --format partitioned) or"
    )
    err.print(
        f"warning: the {engine} engine has no reported_figures table, so figures are checked against line "
        f"items only; to use reported figures, {where} check against the store (drop --engine)",
        soft_wrap=True,
    )


def _print_report(report: Any) -> None:
    from yesan.claims.wording import Phrase

    counts = " · ".join(f"{verdict} {n}" for verdict, n in report.counts().items() if n)
    where = " ".join(str(part) for part in (report.government, report.year) if part) or "government unknown"
    tiers = " · ".join(f"{Phrase(f'tier.{tier}').render('ko')} ({tier}) {n}"
                       for tier, n in report.tier_counts().items() if n)  # fmt: skip
    out.print(f"[bold]{plain(report.source or 'text')}[/]: {plain(where)} — {len(report.judgements)} figures: {counts}",
              soft_wrap=True)  # fmt: skip
    if report.scope is not None:
        from yesan.claims.candidates.scope import scope_lines

        for line in scope_lines(report.scope):
            out.print(f"  {plain(line)}", soft_wrap=True)
    if tiers:
        out.print(f"evidence: {plain(tiers)}", soft_wrap=True)
    for warning in report.warnings:
        out.print(f"[yellow]warning[/] {plain(warning)}", soft_wrap=True)
    if report.judgements:
        show(_judgements_table(report.judgements))
        out.print("[bold]evidence[/]")
        for number, judgement in enumerate(report.judgements, start=1):
            for item in judgement.evidence[:3]:
                out.print(f" {number:>2}  {format_won(item.amount_krw)} = {plain(item.label)}: "
                          f"[dim]{plain(item.citation)}[/]", soft_wrap=True)  # fmt: skip
            if len(judgement.evidence) > 3:
                out.print(f"     … {len(judgement.evidence) - 3} more (--json lists them)")
    if report.checks:
        checks = table("checks inside the text", ("check", "#", "text says", "verdict", "figures give · rule"),
                       whole=("check", "text says", "verdict"), text=("figures give · rule",))  # fmt: skip
        for check in report.checks:
            used = ",".join(str(i + 1) for i in check.claims)
            detail = Text.assemble(safe(check.computed), "\n", (safe(check.rule), "dim"))
            checks.add_row(check.kind, used, check.stated, _badge(check.verdict), detail)
        show(checks)
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


def _badge(verdict: str, tier: str | None = None) -> Text:
    """The verdict as read against its evidence tier (``다른 보도와 일치``), in the verdict's colour."""
    from yesan.claims.wording import verdict_label

    if verdict not in BADGES:
        return Text(safe(verdict))
    badge = str(BADGES[verdict])
    label = verdict_label(verdict, tier).render("ko")
    if label != verdict:
        badge = badge.replace(f"]{verdict}[", f"]{plain(label)}[")
    return Text.from_markup(badge)


def _judgements_table(judgements: list[Any]) -> CliTable:
    columns = ("#", "figure", "subject", "kind", "verdict", "tier", "evidence", "rule")
    result = table("", columns, left=("subject",), whole=("figure", "kind", "verdict", "tier"), text=("rule",))
    for number, judgement in enumerate(judgements, start=1):
        claim = judgement.claim
        rule = Text(safe(judgement.rule))
        if judgement.notes:
            rule.append("\n" + safe("; ".join(judgement.notes)), style="dim")
        evidence = format_won(judgement.evidence[0].amount_krw) if judgement.evidence else "—"
        result.add_row(
            str(number), claim.amount_text, claim.subject or "—", claim.kind,
            _badge(judgement.verdict, judgement.evidence_tier), judgement.evidence_tier or "none", evidence, rule,
        )  # fmt: skip
    return result


def _print_across(across: Any) -> None:
    from yesan.claims.verdict.sources import describe, reference_text

    data = across.as_dict()
    out.print(
        f"[bold]across {len({s for row in across.rows for s in row.sources})} sources[/]: {data['subjects']} subjects, "
        f"{data['in_several_sources']} in several sources, {data['disagreements']} with differing figures",
        soft_wrap=True,
    )
    grid = table("", ("subject", "status", "reference", "figures by source"), left=("subject",), whole=("status",),
                 text=("figures by source",))  # fmt: skip
    status = {"agree": "[green]agree[/]", "rounding": "[cyan]rounding[/]", "differs": "[bold red]differs[/]"}
    for row in across.rows:
        if len(row.sources) < 2 and row.status == "agree":
            continue
        grid.add_row(row.subject, Text.from_markup(status[row.status]), reference_text(row), describe(row))
    show(grid)
