"""``yesan check --save`` and ``yesan checks``: saved checks in the store's checks file (``yesan.store.checks``).

yesan check article.txt --save          # check and save: prints the check's id and permalink
yesan checks                            # every saved check, newest first
yesan checks show ID [--json]           # one check: its latest run's verdicts and what changed
yesan checks export ID --html F --claimreview F [--card N --png F]
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from yesan.cli import DbOption, JsonOption, _print_json, app, err, out, safe, show
from yesan.cli import _table as table
from yesan.errors import StoreError, YesanError
from yesan.settings import Settings

checks_app = typer.Typer(help="Saved checks: list, show and export them (ClaimReview, HTML, PNG cards).")
app.add_typer(checks_app, name="checks")


def _store_path(db: Path | None) -> Path:
    from yesan.cli.engine import store_for
    from yesan.store import default_db_path

    path = store_for("checks", db) or default_db_path()
    if not Path(path).exists():
        raise StoreError(f"no store at {path}; create it with `yesan demo` or `yesan load FILE`")
    return Path(path)


def saved_checks(db: Path | None, engine: str | None, parquet: Any) -> Any:
    """The checks file of the DuckDB store ``check --save`` works on."""
    from yesan.store.checks import CheckStore

    if engine and not engine.startswith("duckdb") and not engine.endswith(".duckdb"):
        raise YesanError("--save keeps checks next to the DuckDB store: drop --engine and name the store with --db")
    return CheckStore.of_store(_store_path(db))


def save_one(
    saving: Any, tables: Any, document: Any, report: Any, government: str | None, year: int | None
) -> tuple[str, int]:
    from yesan.publish.saving import save_check
    from yesan.query.selections import snapshot_files

    about = {"title": document.title, "url": document.url, "publisher": None,
             "published": document.published.isoformat() if document.published else None}  # fmt: skip
    snapshots, _ = snapshot_files(tables)
    result: tuple[str, int] = save_check(saving, document.text, report, government=government, year=year,
                                         snapshots=snapshots, saved_by="cli", about=about)  # fmt: skip
    return result


@checks_app.callback(invoke_without_command=True)
def checks_list(ctx: typer.Context, db: DbOption = None, as_json: JsonOption = False) -> None:
    """List the saved checks, newest first (no article text)."""
    if ctx.invoked_subcommand is not None:
        return
    from yesan.store.checks import CheckStore

    listed = CheckStore.of_store(_store_path(db)).listing()
    if as_json:
        _print_json({"checks": listed})
        return
    if not listed:
        out.print("no saved checks yet: `yesan check FILE --save` saves one")
        return
    grid = table("saved checks", ("id", "last run", "article", "government", "verdicts", "runs"), left=("article",))
    for c in listed:
        counts = " · ".join(f"{v} {n}" for v, n in c["counts"].items() if n)
        grid.add_row(c["check_id"], str(c["last_run"]), safe(str(c["title"] or c["url"] or "—")),
                     safe(f"{c['government'] or '—'} {c['year'] or ''}"), counts, str(c["runs"]))  # fmt: skip
    show(grid)


@checks_app.command("show")
def checks_show(
    check_id: Annotated[str, typer.Argument(help="The check's id (`yesan checks` lists them).")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """One saved check: its latest run's verdicts, the data it used, and what changed since the run before."""
    from yesan.publish.saving import changes, is_reviewed
    from yesan.store.checks import CheckStore

    saved = CheckStore.of_store(_store_path(db)).get(check_id)
    runs = saved.runs
    moved = changes(runs[-2]["report"], runs[-1]["report"]) if len(runs) > 1 else []
    if as_json:
        _print_json({**saved.as_dict(), "changes": moved})
        return
    run = saved.latest
    report = run["report"]
    out.print(f"[bold]check {saved.check_id}[/] · {safe(str(saved.title or saved.url or ''))}", soft_wrap=True)
    out.print(f"run {run['run_no']} of {len(runs)} · {run['created_at']} · yesan {run['yesan_version']} · "
              f"{safe(str(report.get('government')))} {report.get('year')}", soft_wrap=True)  # fmt: skip
    grid = table("verdicts", ("#", "figure", "subject", "verdict", "evidence"), left=("subject", "evidence"))
    for n, j in enumerate(report.get("judgements", []), start=1):
        first = (j.get("evidence") or [None])[0]
        reviewed = " (검토자 확인)" if is_reviewed(j) else ""
        grid.add_row(str(n), safe(j["claim"]["amount_text"]), safe(str(j["claim"].get("subject") or "—")),
                     f"{j.get('verdict_label_ko') or j['verdict']}{reviewed}",
                     safe(str(first.get("label_ko") or first.get("label"))) if first else "—")  # fmt: skip
    show(grid)
    for c in moved:
        out.print(
            f"changed: {safe(str(c['amount_text']))} {c['what']}: {safe(str(c['before']))} → {safe(str(c['after']))}"
        )


@checks_app.command("rerun")
def checks_rerun(
    check_id: Annotated[str, typer.Argument(help="The check's id.")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Check a saved article again on the store's data now (with the reviewers' decisions); list what changed."""
    import time

    from yesan.claims.verdict.check import check
    from yesan.cli.explore import _tables
    from yesan.publish.saving import changes, save_check
    from yesan.query.selections import snapshot_files
    from yesan.store.checks import CheckStore

    path = _store_path(db)
    saving = CheckStore.of_store(path)
    saved = saving.get(check_id)
    with _tables("checks", path) as tables:
        deadline = time.monotonic() + Settings.from_environment().cli_check_time_limit_s  # as `yesan check`
        report = check(saved.text, tables, government=saved.government_asked, year=saved.year_asked, source="saved",
                       deadline=deadline, url=saved.url, decisions=saving.decisions())  # fmt: skip
        snapshots, _ = snapshot_files(tables)
    about = {k: getattr(saved, k) for k in ("title", "url", "publisher", "published")}
    _, run_no = save_check(saving, saved.text, report, government=saved.government_asked, year=saved.year_asked,
                           snapshots=snapshots, saved_by="cli", reason="re-run", about=about)  # fmt: skip
    moved = changes(saved.latest["report"], report.as_dict())
    if as_json:
        _print_json({"check_id": check_id, "run_no": run_no, "changes": moved})
        return
    out.print(f"check {check_id}: run {run_no} saved")
    for c in moved or [{"what": "nothing", "amount_text": "", "before": "", "after": "the verdicts are the same"}]:
        out.print(f"changed: {safe(str(c['amount_text'] or ''))} {c['what']}: {safe(str(c['before']))} → "
                  f"{safe(str(c['after']))}", soft_wrap=True)  # fmt: skip


@checks_app.command("export")
def checks_export(
    check_id: Annotated[str, typer.Argument(help="The check's id.")],
    html: Annotated[Path | None, typer.Option("--html", help="Write the standalone HTML file here.")] = None,
    claimreview: Annotated[
        Path | None, typer.Option("--claimreview", help="Write the ClaimReview JSON-LD here.")
    ] = None,
    card: Annotated[int | None, typer.Option("--card", help="Claim number of the PNG card (with --png).")] = None,
    png: Annotated[Path | None, typer.Option("--png", help="Write claim --card's 1200×630 PNG card here.")] = None,
    base_url: Annotated[str, typer.Option(help="Address the check is published at (for its permalink).")] = "",
    db: DbOption = None,
) -> None:
    """Export a saved check: standalone HTML, ClaimReview JSON-LD, a PNG card per claim (headless Chromium)."""
    from yesan.publish.claimreview import graph
    from yesan.publish.standalone import card_html, render_png, standalone_html
    from yesan.store.checks import CheckStore

    if not (html or claimreview or png):
        err.print("error: nothing to export: give --html, --claimreview or --card N --png FILE")
        raise typer.Exit(1)
    if (card is None) != (png is None):
        err.print("error: --card N and --png FILE go together")
        raise typer.Exit(1)
    saved = CheckStore.of_store(_store_path(db)).get(check_id)
    link = f"{base_url.rstrip('/')}/check/{check_id}"
    data = saved.as_dict()
    if html is not None:
        html.write_text(standalone_html(data, saved.latest, link), encoding="utf-8")
        out.print(f"wrote {html}")
    if claimreview is not None:
        claimreview.write_text(json.dumps(graph(data, saved.latest, link), ensure_ascii=False, indent=2) + "\n",
                               encoding="utf-8")  # fmt: skip
        out.print(f"wrote {claimreview}")
    if png is not None and card is not None:
        png.write_bytes(render_png(card_html(data, saved.latest, card, link)))
        out.print(f"wrote {png}")
