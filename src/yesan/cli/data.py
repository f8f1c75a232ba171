"""Commands that put data in and take it out: load, info, export, demo."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from yesan.cli import DbOption, JsonOption, _print_json, _progress, _table, app, out, plain, show
from yesan.cli.engine import store_for
from yesan.cli.explore import FieldOption, GovOption, RegionOption, SectorOption
from yesan.errors import YesanError
from yesan.money import format_won

# --- load ----------------------------------------------------------------------------------------


@app.command()
def load(
    files: Annotated[list[Path], typer.Argument(help="Files to load (CSV, CSV.gz, JSON, XLSX, Parquet, datapackage).")],
    db: DbOption = None,
    kind: Annotated[str, typer.Option(help="auto, qwgjk, table, fdp, population or reported.")] = "auto",
    mapping: Annotated[Path | None, typer.Option(help="TOML column mapping for generic tables.")] = None,
    map_: Annotated[
        list[str] | None, typer.Option("--map", help="Column mapping flag, e.g. --map item_name=세부사업명.")
    ] = None,
    dataset: Annotated[str | None, typer.Option(help="Dataset name for generic tables.")] = None,
    year: Annotated[int | None, typer.Option(help="Fiscal year when the file does not say.")] = None,
    stage: Annotated[str | None, typer.Option(help="예산안, 본예산, 추경1…, 결산 when the file does not say.")] = None,
    government: Annotated[
        str | None, typer.Option(help="CODE:NAME when the file has no government column (reported figures: NAME).")
    ] = None,
    sheet: Annotated[str | None, typer.Option(help="Worksheet name for XLSX files.")] = None,
    unit: Annotated[
        str | None, typer.Option(help="Amount unit when the file does not say: 원, 천원, 백만원, 억원.")
    ] = None,
    replace: Annotated[bool, typer.Option(help="Replace a snapshot already loaded with different rows.")] = False,
    check: Annotated[bool, typer.Option("--check", help="Validate only; write nothing.")] = False,
    wait: Annotated[
        float, typer.Option(min=0, help="Seconds to wait while another yesan process writes to the store.")
    ] = 30.0,
    as_json: JsonOption = False,
) -> None:
    """Validate files and load them into the store in one transaction (all or nothing).

    Example: yesan load qwgjk_fyr2026_exe20260705.csv.gz
    (reported figures: yesan load reference.csv --kind reported --government 서울특별시 --year 2026)

    Engine: the DuckDB store only (--db, or --engine duckdb:PATH); PostgreSQL and Spark are refused.
    """
    from yesan.ingest import Batch, PopulationBatch, ReadOptions, ReportedBatch, read_path
    from yesan.store import Store

    db = store_for("load", db)  # refused before any file is read, even with --check
    reported_only = _reported_only(kind, files)
    options = ReadOptions(
        kind=kind,
        mapping=_mapping(mapping, map_ or []),
        dataset=dataset,
        fiscal_year=year,
        stage=stage,
        government=None if reported_only else _government(government),
        sheet=sheet,
        unit=_unit(unit),
        extra={"government": government} if government else {},
    )
    batches: list[Batch] = []
    populations: list[PopulationBatch] = []
    reported: list[ReportedBatch] = []
    with _progress(not as_json) as step:
        for path in files:
            step(f"reading and validating {path}")
            for batch in read_path(path, options):
                if isinstance(batch, ReportedBatch):
                    reported.append(batch)
                    continue
                (populations if isinstance(batch, PopulationBatch) else batches).append(batch)  # type: ignore[arg-type]
        report: dict[str, Any] = {
            "files": [str(f) for f in files],
            "validated": {b.source_file: b.counts for b in batches},
            "population_rows": sum(p.population.num_rows for p in populations),
            "reported_figures": sum(r.figures.num_rows for r in reported),
        }
        if check:
            report["written"] = False
            report["warnings"] = [w.as_dict() for b in batches for w in b.warnings]
        else:
            with Store.open(db, wait_s=wait) as store:
                result = store.load(batches, replace=replace, on_step=step) if batches else None
                for population in populations:
                    store.load_population(
                        population.population,
                        population.governments,
                        source_file=population.source_file,
                        sha256=population.sha256,
                    )
                report["reported"] = [
                    loaded.as_dict()
                    for r in reported
                    for loaded in store.load_reported(
                        r.figures,
                        dataset=r.dataset,
                        source_file=r.source_file,
                        sha256=r.sha256,
                        replace=replace,
                        sources=r.sources,
                    )
                ]
            report["written"] = True
            if result is not None:
                report.update(result.as_dict())
    if as_json:
        _print_json(report)
        return
    _print_load_report(report, batches)


def _print_load_report(report: dict[str, Any], batches: list[Any]) -> None:
    for batch in batches:
        counts = ", ".join(f"{k} {v:,}" for k, v in batch.counts.items())
        out.print(f"[bold]{plain(batch.source_file)}[/]: {counts}", soft_wrap=True)
    for snapshot in report.get("snapshots", []):
        status = {
            "new": "[green]loaded[/]",
            "unchanged": "already loaded, unchanged",
            "replaced": "[yellow]replaced[/]",
        }
        out.print(
            f"snapshot {snapshot['snapshot_id']}: {snapshot['dataset']} {snapshot['fiscal_year']} {snapshot['stage']}"
            f" {snapshot['exe_ymd'] or ''} — {snapshot['rows']:,} rows {status[snapshot['status']]}"
        )
    if report.get("population_rows"):
        out.print(f"population: {report['population_rows']:,} figures loaded")
    for loaded in report.get("reported", []):
        status = {
            "new": "[green]loaded[/]",
            "unchanged": "already loaded, unchanged",
            "replaced": "[yellow]replaced[/]",
        }
        out.print(
            f"reported figures {loaded['dataset']!r}: {loaded['gov_name']} {loaded['fiscal_year']} — "
            f"{loaded['figures']:,} figures {status[loaded['status']]}"
        )
    if report.get("reported_figures") and not report["written"]:
        out.print(f"reported figures: {report['reported_figures']:,} validated")
    for batch in batches:
        by_reason: dict[tuple[str | None, str], list[int]] = {}
        for warning in batch.warnings:
            by_reason.setdefault((warning.column, warning.reason), []).append(warning.row or 0)
        for (column, reason), rows in by_reason.items():
            where = f"column {column!r}: " if column else ""
            listed = ", ".join(f"{row:,}" for row in rows[:5] if row)
            more = " …" if len(rows) > 5 else ""
            at = f" (rows {listed}{more}; --json lists them)" if listed else ""
            out.print(f"[yellow]warning[/] {plain(f'{batch.source_file}: {where}{reason}{at}')}", soft_wrap=True)
    if not report["written"]:
        out.print("checked only: nothing was written")


def _reported_only(kind: str, files: list[Path]) -> bool:
    """True when every file is a reported-figures table (their --government is a name, not CODE:NAME)."""
    if kind != "auto":
        return kind == "reported"
    from yesan.ingest import detect_kind

    return bool(files) and all(path.is_file() and detect_kind(path) == "reported" for path in files)


def _mapping(path: Path | None, flags: list[str]) -> dict[str, str] | None:
    if path is None and not flags:
        return None
    from yesan.ingest.mapping import load_mapping_file, parse_mapping_flags

    result: dict[str, str] = {}
    if path is not None:
        result.update(load_mapping_file(path))
    result.update(parse_mapping_flags(flags))
    return result


def _government(text: str | None) -> tuple[str, str] | None:
    if not text:
        return None
    code, _, name = text.partition(":")
    if not name:
        raise typer.BadParameter("use CODE:NAME, e.g. 6110000:서울특별시", param_hint="--government")
    return code.strip(), name.strip()


def _unit(text: str | None) -> int | None:
    if not text:
        return None
    from yesan.money import parse_unit

    scale = parse_unit(text)
    if scale is None:
        raise typer.BadParameter("use 원, 천원, 백만원 or 억원", param_hint="--unit")
    return scale


# --- info ----------------------------------------------------------------------------------------


@app.command()
def info(
    db: DbOption = None,
    as_json: JsonOption = False,
    governments: Annotated[bool, typer.Option(help="List totals for every government.")] = True,
) -> None:
    """What is in the store: datasets, snapshots, row counts and totals per government.

    Example: yesan info --json

    Engine: the DuckDB store only (--db, or --engine duckdb:PATH); PostgreSQL and Spark are refused.
    """
    from yesan.store import Store
    from yesan.store.info import store_info

    with Store.open(store_for("info", db), read_only=True) as store:
        data = store_info(store)
    if as_json:
        _print_json(data)
        return
    _print_info(data, governments)


def _print_info(data: dict[str, Any], governments: bool) -> None:
    totals = data["totals"]
    out.print(f"[bold]store[/] {plain(data['db'])} (schema {data['schema_version']})", soft_wrap=True)
    out.print(
        f"{totals['items']:,} items · {totals['governments_with_items']:,} governments with items · "
        f"{totals['governments_known_basic']:,} 기초 and "
        f"{totals['governments_known_provincial']:,} 광역 governments known"
    )
    table = _table(
        "snapshots",
        ("id", "dataset", "year stage", "as of", "rows", "govts", "예산현액", "지출액"),
        whole=("dataset", "year stage", "as of"),
    )
    for s in data["snapshots"]:
        table.add_row(
            str(s["snapshot_id"]), s["dataset"], f"{s['fiscal_year']} {s['stage']}", str(s["exe_ymd"] or "—"),
            f"{s['rows']:,}", f"{s['governments']:,}", format_won(int(s["budget_total"] or 0), precision="eok"),
            format_won(int(s["spent_total"]), precision="eok"),
        )  # fmt: skip
    show(table)
    for s in data["snapshots"]:
        out.print(plain(f"snapshot {s['snapshot_id']} source: {', '.join(s['source_files'] or [])}"), soft_wrap=True)
    for missing in data["governments_without_items"]:
        out.print(plain(f"no items for {missing['parent_name'] or ''} {missing['name']} ({missing['code']})"))
    figures = data.get("figure_snapshots", [])
    if figures:
        figure_table = _table(
            "figures by government (one amount a government; never summed with the line items above)",
            ("id", "dataset", "year stage", "govts", "total"),
            whole=("dataset", "year stage"),
        )
        for s in figures:
            figure_table.add_row(
                str(s["snapshot_id"]), s["dataset"], f"{s['fiscal_year']} {s['stage']}", f"{s['governments']:,}",
                format_won(int(s["budget_total"] or 0), precision="eok"),
            )  # fmt: skip
        show(figure_table)
        sources = sorted({f for s in figures for f in s["source_files"] or []})
        out.print(
            plain(
                f"figures source: {figures[0]['description']} ({', '.join(sources)}); "
                f"compare them: yesan compare --dataset {figures[0]['dataset']} --before-year "
                f"{figures[-2]['fiscal_year'] if len(figures) > 1 else figures[0]['fiscal_year']} "
                f"--after-year {figures[-1]['fiscal_year']} --level government"
            ),
            soft_wrap=True,
        )
    if governments and data["governments"]:
        gov_table = _table(
            "totals per government",
            ("snap", "광역", "government", "code", "items", "예산현액", "지출액", "집행률", "per resident"),
            left=("광역", "government"),
        )
        for g in data["governments"]:
            budget, spent = int(g["budget"] or 0), int(g["spent"] or 0)
            rate = f"{spent / budget:.1%}" if budget else "—"
            per = format_won(budget // g["population"], precision="man") if g["population"] else "—"
            gov_table.add_row(
                str(g["snapshot_id"]), g["parent_name"] or "", g["name"], g["code"], f"{g['items']:,}",
                format_won(budget, precision="eok"), format_won(spent, precision="eok"), rate, per,
            )  # fmt: skip
        show(gov_table)
    for p in data["population"]:
        out.print(
            plain(f"population {p['year']}: {p['governments']:,} governments, source: {p['source']}"), soft_wrap=True
        )
    for r in data.get("reported", []):
        out.print(
            f"reported figures {r['dataset']!r}: {r['gov_name']} {r['fiscal_year']}, {r['figures']:,} figures "
            f"from {', '.join(r['source_files'])} (`yesan check` matches articles against them)"
        )


# --- export --------------------------------------------------------------------------------------


@app.command()
def export(
    out_path: Annotated[
        Path, typer.Argument(metavar="OUT", help="File (csv, parquet) or folder (fdp, partitioned) to write.")
    ],
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            help="csv (UTF-8 with BOM, for Excel), parquet, fdp, or partitioned (Parquet by year, snapshot and 광역 "
            "for Spark and other engines; incremental).",
        ),
    ] = "csv",
    snapshot: Annotated[list[int] | None, typer.Option(help="Snapshot id(s) to export (default: all).")] = None,
    gov: GovOption = None,
    region: RegionOption = None,
    field: FieldOption = None,
    sector: SectorOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Export items with their provenance: all of them, or what `yesan tree` shows with the same filters.

    --gov, --region, --field and --sector choose items as `tree` and `top` do, for csv, parquet and fdp
    (the partitioned layout is the whole store; --snapshot limits it). Default: every snapshot.

    Example: yesan export gohung.csv --gov 고흥군 --field 사회복지

    Engine: the DuckDB store only (--db, or --engine duckdb:PATH); PostgreSQL and Spark are refused.
    """
    from yesan.export import ExportFilter
    from yesan.export import export as run_export
    from yesan.store import Store

    db = store_for("export", db)
    only = ExportFilter(gov=gov, region=region, field=field, sector=sector)
    if fmt == "partitioned":
        if only:
            raise YesanError(
                f"the partitioned layout holds whole snapshots, so {only.describe()} cannot narrow it; "
                "use --snapshot, or --format csv, parquet or fdp for a selection"
            )
        _export_partitioned(out_path, snapshot, db, as_json)
        return

    with Store.open(db, read_only=True) as store:
        try:
            written = run_export(store, out_path, fmt=fmt, snapshot_ids=snapshot, only=only)
        except OSError as error:  # a full disk, a folder that cannot be written: the export writes whole files only
            raise YesanError(
                f"cannot write {out_path}: {error.strerror or error}; no partly written file was left behind"
            ) from None
    if as_json:
        _print_json({"written": str(written), "format": fmt})
    else:
        out.print(f"wrote {written}")


def _export_partitioned(root: Path, snapshot: list[int] | None, db: Path | None, as_json: bool) -> None:
    from yesan.store import default_db_path
    from yesan.store.layout import export_partitioned

    with _progress(not as_json) as step:
        report = export_partitioned(db or default_db_path(), root, snapshot_ids=snapshot, on_step=step)
    if as_json:
        _print_json(report.as_dict())
        return
    out.print(
        f"{root}: {len(report.written)} snapshot(s) written ({report.rows_written:,} items, {report.files_written:,} "
        f"files, {report.bytes_written / 1e6:,.1f} MB), {len(report.unchanged)} unchanged, "
        f"{len(report.removed)} removed, in {report.seconds:.1f} s"
    )


# --- demo ----------------------------------------------------------------------------------------


@app.command()
def demo(
    db: DbOption = None,
    as_json: JsonOption = False,
    serve: Annotated[
        bool | None,
        typer.Option("--serve/--no-serve", help="Then start the web explorer (default: when run in a terminal)."),
    ] = None,
    port: Annotated[int, typer.Option(help="Port for the web explorer (another free one if taken).")] = 8000,
) -> None:
    """Build the store from the bundled real data if needed, show the main view, then open the web explorer.

    Example: yesan demo --no-serve

    Engine: the DuckDB store only (--db, or --engine duckdb:PATH); PostgreSQL and Spark are refused.
    """
    from yesan.bundled import load_bundled, load_bundled_reported
    from yesan.store import Store
    from yesan.store.info import field_totals, store_info

    path = store_for("demo", db)
    with Store.open(path, wait_s=30) as store:
        with _progress(not as_json) as step:
            if store.is_empty():
                load_bundled(store, on_step=step)
            else:  # a store from before the bundled reported figures gets them too (unchanged when it has them)
                load_bundled_reported(store, on_step=step)
        data = store_info(store)
        data["fields"] = field_totals(store)
    if as_json:
        _print_json(data)
        return
    _print_info(data, governments=False)
    _print_demo_view(data)
    if serve if serve is not None else (sys.stdin.isatty() and sys.stdout.isatty()):
        _serve_demo(Path(data["db"]), port)
    else:
        out.print(
            f"\nweb explorer: run `yesan serve` (or `yesan demo` in a terminal) and open http://127.0.0.1:{port}/",
            soft_wrap=True,
        )


def _serve_demo(db: Path, port: int) -> None:
    from yesan.web.app import available_port
    from yesan.web.app import serve as run_server

    chosen = available_port("127.0.0.1", port)
    token = demo_token(db)
    out.print(f"\n[bold]web explorer:[/] http://127.0.0.1:{chosen}/  (Ctrl+C stops it; --no-serve only prints)")
    out.print(f"to save checks and review matches, sign in at http://127.0.0.1:{chosen}/login with the write token "
              f"in {token}", soft_wrap=True)  # fmt: skip
    run_server(db, port=chosen, quiet=True, write_token_file=token)


def demo_token(db: Path) -> Path:
    """The demo's write token file next to its store (made once, readable by its owner only)."""
    import os
    import secrets

    path = db.with_name(f"{db.stem}.token")
    if not path.exists():
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as sink:
            sink.write(secrets.token_urlsafe(32) + "\n")
    return path


def _print_demo_view(data: dict[str, Any]) -> None:
    by_region: dict[str, dict[str, int]] = {}
    for g in data["governments"]:
        region = by_region.setdefault(g["parent_name"] or "—", {"govts": 0, "budget": 0, "spent": 0, "population": 0})
        region["govts"] += 1
        region["budget"] += int(g["budget"] or 0)
        region["spent"] += int(g["spent"] or 0)
        region["population"] += int(g["population"] or 0)
    table = _table(
        "by 광역 (all snapshots)", ("광역", "govts", "예산현액", "지출액", "집행률", "per resident*"), left=("광역",)
    )
    for name, r in sorted(by_region.items(), key=lambda kv: -kv[1]["budget"]):
        table.add_row(
            name, str(r["govts"]), format_won(r["budget"], precision="eok"), format_won(r["spent"], precision="eok"),
            f"{r['spent'] / r['budget']:.1%}" if r["budget"] else "—",
            format_won(r["budget"] // r["population"], precision="man") if r["population"] else "—",
        )  # fmt: skip
    show(table)
    fields = _table(
        "by 분야 (all snapshots)", ("분야", "items", "예산현액", "share", "국비 share", "집행률"), left=("분야",)
    )
    total = sum(int(f["budget"] or 0) for f in data["fields"]) or 1
    for f in data["fields"]:
        budget = int(f["budget"] or 0)
        fields.add_row(
            f["field_name"] or "—", f"{f['items']:,}", format_won(budget, precision="eok"), f"{budget / total:.1%}",
            f"{int(f['national'] or 0) / budget:.1%}" if budget else "—",
            f"{int(f['spent'] or 0) / budget:.1%}" if budget else "—",
        )  # fmt: skip
    show(fields)
    out.print("* 예산현액 per resident of the governments with items (population: latest year in the store)")
    out.print("next: `yesan info` for every government, `yesan export items.csv` for the rows")
