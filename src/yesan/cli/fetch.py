"""``yesan fetch``: collect a snapshot from an official OpenAPI and load it (see ``yesan.fetch``)."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from yesan.cli import DbOption, JsonOption, _print_json, app, err, out
from yesan.cli.engine import store_for
from yesan.errors import FetchError, QuotaExhausted

#: Exit status when the daily quota stopped the run (the checkpoint is kept; the same command resumes).
EXIT_QUOTA = 3


@app.command(name="fetch")
def fetch_command(
    source: Annotated[str, typer.Argument(help="lofin365 (지방재정365) or openfiscal (열린재정).")] = "lofin365",
    dataset: Annotated[
        str, typer.Argument(help="QWGJK, GJSCS (lofin365); ExpenditureBudgetInit5 (openfiscal).")
    ] = "QWGJK",
    year: Annotated[str | None, typer.Option("--year", help="Fiscal year (fyr / FSCL_YY), or 'current'.")] = None,
    years: Annotated[str | None, typer.Option("--years", help="Several fiscal years: 2024,2025 or 2024-2026.")] = None,
    exe_ymd: Annotated[
        str | None, typer.Option("--exe-ymd", help="Execution date YYYYMMDD (QWGJK), or today / yesterday (in Korea).")
    ] = None,
    since: Annotated[
        str | None, typer.Option("--since", help="Every daily snapshot from this date to --exe-ymd (default today).")
    ] = None,
    governments: Annotated[
        str | None, typer.Option("--governments", help="자치단체 codes, comma-separated (laf_cd); default: all.")
    ] = None,
    base_url: Annotated[
        str | None,
        typer.Option(
            "--base-url", help="API base URL (a mirror, a test server); default $YESAN_LOFIN365_URL or the official."
        ),
    ] = None,
    cache: Annotated[
        Path | None, typer.Option("--cache", help="Page cache (default $YESAN_FETCH_CACHE or ~/.cache/yesan/fetch).")
    ] = None,
    replace: Annotated[bool, typer.Option(help="Replace a snapshot already loaded with different rows.")] = False,
    timeout_s: Annotated[float, typer.Option("--timeout-s", min=0.1, help="Seconds to wait for one answer.")] = 60.0,
    retries: Annotated[int, typer.Option(min=0, max=20, help="Retries of a page on timeouts, 5xx, broken JSON.")] = 4,
    backoff_s: Annotated[
        float, typer.Option("--backoff-s", min=0, help="First wait before a retry; doubles each time.")
    ] = 2.0,
    schedule: Annotated[
        str | None, typer.Option("--schedule", help="'daily': print the cron and systemd lines for this command.")
    ] = None,
    schedule_dir: Annotated[
        Path | None, typer.Option("--schedule-dir", help="With --schedule: write the files there instead.")
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Collect a snapshot from an official OpenAPI, page by page, and load it like `yesan load`.

    Example: YESAN_LOFIN365_KEY=… yesan fetch lofin365 QWGJK --year 2026 --exe-ymd 20260705 --governments 4674000

    Every page is cached with its request (key removed) and sha256, so a re-run asks only for what is missing.
    Exit status: 0 complete and loaded; 3 the daily quota (code 337) stopped the run, the checkpoint is kept and
    the same command resumes it; 1 any other error, the store unchanged.
    """
    import os

    from yesan import fetch as collector
    from yesan.fetch.cache import default_cache_dir
    from yesan.fetch.collect import dates_between, parse_date

    try:
        spec = collector.spec_for(source, dataset)
    except ValueError as error:
        raise FetchError(str(error)) from None
    if schedule is not None:
        _print_schedule(schedule, schedule_dir, spec, year, exe_ymd, governments, base_url, db)
        return
    fiscal_years = _years(year, years)
    dates: tuple[str, ...] = ()
    if spec.date_parameter:
        last = parse_date(exe_ymd) if exe_ymd else (parse_date("today") if since else None)
        if last is None:
            raise FetchError(f"{spec.source} {spec.name} needs --exe-ymd YYYYMMDD (the execution date), or --since")
        dates = dates_between(parse_date(since), last) if since else (last.strftime("%Y%m%d"),)
    elif exe_ymd or since:
        raise FetchError(f"{spec.source} {spec.name} has no execution date; drop --exe-ymd / --since")
    plan = collector.Plan(
        spec,
        base_url or os.environ.get(spec.url_variable) or spec.base_url,
        fiscal_years,
        dates,
        _governments(governments),
    )
    target = store_for("fetch", db) if spec.loadable else None
    key = collector.api_key(spec)
    with _progress_bar(not as_json) as on_progress:
        options = collector.Options(
            cache or default_cache_dir(), timeout_s=timeout_s, retries=retries, backoff_s=backoff_s,
            on_progress=on_progress,
        )  # fmt: skip
        try:
            collected = collector.collect(plan, key, options)
        except QuotaExhausted as stop:
            if as_json:
                _print_json({"complete": False, "stopped": "quota", "message": str(stop)})
            err.print(f"[bold yellow]stopped:[/] {stop}", soft_wrap=True)
            raise typer.Exit(EXIT_QUOTA) from None
    report: dict[str, Any] = {"complete": True, **collector.summary(collected)}
    batches: list[Any] = []
    if spec.loadable:
        from yesan.fetch.collect import batches as make_batches
        from yesan.store import Store

        batches = make_batches(collected)
        if not batches:
            asked = ", ".join(c.series.request for c in collected[:3])
            raise FetchError(f"the API has no rows for {asked}; nothing was loaded")
        with Store.open(target) as store:
            report.update(store.load(batches, replace=replace).as_dict())
        report["loaded"] = True
    else:
        report["loaded"] = False
    if as_json:
        _print_json(report)
        return
    for item in report["series"]:
        cached = f", {item['pages_from_cache']:,} from the cache" if item["pages_from_cache"] else ""
        out.print(f"{item['request']}: {item['pages']:,} page(s){cached}, {item['rows']:,} rows", soft_wrap=True)
    if spec.loadable:
        from yesan.cli.data import _print_load_report

        _print_load_report({**report, "written": True}, batches)
    else:
        files = ", ".join(str(item["file"]) for item in report["series"] if item["file"])
        out.print(
            f"collected into {files or '(no rows)'}; yesan has no validated reader for {spec.name} rows yet, "
            "so nothing was loaded (docs/fetch.md)",
            soft_wrap=True,
        )


def _years(year: str | None, years: str | None) -> tuple[int, ...]:
    if year and years:
        raise FetchError("give --year or --years, not both")
    text = years or year
    if not text:
        raise FetchError("which fiscal year? --year 2026 (or --years 2024-2026)")
    found: list[int] = []
    for part in text.split(","):
        part = part.strip()
        if part == "current":
            from yesan.fetch.collect import KST

            found.append(dt.datetime.now(KST).year)
            continue
        first, dash, last = part.partition("-")
        try:
            low, high = int(first), int(last) if dash else int(first)
        except ValueError:
            raise FetchError(f"fiscal year {part!r} is not a year (2026, 2024-2026 or current)") from None
        if not 2000 <= low <= high <= 2100:
            raise FetchError(f"fiscal year(s) {part!r} out of range 2000–2100")
        found.extend(range(low, high + 1))
    return tuple(dict.fromkeys(found))


def _governments(text: str | None) -> tuple[str, ...]:
    if not text:
        return ()
    codes = tuple(dict.fromkeys(code.strip() for code in text.split(",") if code.strip()))
    bad = [code for code in codes if not (len(code) == 7 and code.isdigit())]
    if bad:
        shown = ", ".join(repr(b) for b in bad[:5])
        raise FetchError(f"--governments: {shown} is not a 7-digit 자치단체 code (laf_cd)")
    return codes


@contextmanager
def _progress_bar(enabled: bool) -> Iterator[Any]:
    """Pages, rows and requests (the quota used) on a terminal; nothing otherwise."""
    if not enabled or not err.is_terminal:
        yield lambda _progress: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("pages"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[detail]}"),
        TimeElapsedColumn(), console=err, transient=True,
    ) as bar:  # fmt: skip
        task = bar.add_task("fetch", total=None, detail="")

        def update(progress: Any) -> None:
            bar.update(
                task,
                completed=progress.pages,
                total=progress.pages_known or None,
                detail=f"{progress.rows:,} rows · {progress.requests:,} requests (quota used) · "
                f"series {progress.series_done}/{progress.series_total}",
            )

        yield update


def _print_schedule(
    every: str,
    directory: Path | None,
    spec: Any,
    year: str | None,
    exe_ymd: str | None,
    governments: str | None,
    base_url: str | None,
    db: Path | None,
) -> None:
    from yesan.fetch.schedule import daily

    if every != "daily":
        raise FetchError(f"--schedule {every!r}: only 'daily' is known")
    exe = Path(sys.argv[0]).resolve() if Path(sys.argv[0]).name == "yesan" else Path(sys.executable).with_name("yesan")
    command = [str(exe), "fetch", spec.source, spec.name, "--year", year or "current"]
    if spec.date_parameter:
        command += ["--exe-ymd", exe_ymd or "yesterday"]
    if governments:
        command += ["--governments", governments]
    if base_url:
        command += ["--base-url", base_url]
    target = db or store_for("fetch", None)
    if target:
        command += ["--db", str(target)]
    texts = daily(command, key_variable=spec.key_variable)
    if directory is None:
        for name, text in texts.items():
            out.print(f"# --- {name} ---", highlight=False)
            out.print(text, end="", markup=False, highlight=False, soft_wrap=True)
        return
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in texts.items():
        (directory / name).write_text(text, encoding="utf-8")
        out.print(f"wrote {directory / name}")
