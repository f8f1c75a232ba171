"""Commands that answer questions of the store: tree, top, item, serve."""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from yesan.cli import DbOption, JsonOption, _print_json, _table, app, err, out, plain, safe, show, state
from yesan.cli.engine import EngineOption, ParquetOption, choose_engine, store_for
from yesan.errors import QueryError
from yesan.money import format_won
from yesan.settings import SETTINGS, SettingError, Settings

CsvOption = Annotated[bool, typer.Option("--csv", help="Print CSV (UTF-8) instead of a table.")]
GovOption = Annotated[
    str | None, typer.Option("--gov", help="Government code, name or part of one, e.g. 4674000, 고흥군 or 고흥.")
]
RegionOption = Annotated[str | None, typer.Option("--region", help="광역 name, e.g. 전라남도.")]
FieldOption = Annotated[str | None, typer.Option("--field", help="분야 name, e.g. 사회복지.")]
SectorOption = Annotated[str | None, typer.Option("--sector", help="부문 name.")]
SnapshotOption = Annotated[
    list[int] | None, typer.Option("--snapshot", help="Snapshot id(s) (default: the latest of each government).")
]


@contextmanager
def _tables(command: str, db: Path | None, engine: str | None = None, parquet: str | None = None) -> Iterator[Any]:
    """The tables of the engine ``command`` runs on (``engine``/``parquet``: its own options, if given)."""
    from yesan.query import tables
    from yesan.query.engine import open_engine
    from yesan.store import default_db_path

    spec, layout = choose_engine(command, engine, parquet)
    backend = open_engine(spec, db=db or state.db or default_db_path(), parquet=layout)
    try:
        yield tables(backend)
    finally:
        backend.disconnect()


def _filters(
    tables: Any,
    gov: str | None,
    region: str | None,
    field: str | None,
    sector: str | None,
    snapshot: list[int] | None,
    account_type: str | None = None,
    funding: str | None = None,
) -> Any:
    from yesan.query import Filters
    from yesan.query.lookup import resolve_government

    gov_codes = (resolve_government(tables.governments, gov).code,) if gov else None
    return Filters(
        snapshot_ids=tuple(snapshot) if snapshot else None,
        gov_codes=gov_codes,
        region=region,
        account_type=account_type,
        field_name=field,
        sector_name=sector,
        funding=funding,
    )


def _gov_label(tables: Any, gov: str | None) -> str | None:
    """The government ``--gov`` named, as ``광역 name`` (``고흥`` → 전라남도 고흥군)."""
    from yesan.query.lookup import resolve_government

    return resolve_government(tables.governments, gov).label if gov else None


def _label(key: dict[str, Any]) -> str:
    # Items show "government · name"; codes and the account stay in --json/--csv.
    parts = [str(v) for k, v in key.items() if v is not None and not k.endswith("_code") and k != "account"]
    return " · ".join(parts) or "—"


def _write_csv(rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    sys.stdout.write(buffer.getvalue())


def _show_drilldown(result: Any, title: str, as_json: bool, as_csv: bool) -> None:
    rows = [row.as_dict() for row in result.rows]
    if as_json:
        _print_json(
            {
                "level": result.level,
                "snapshot_ids": result.snapshot_ids,
                "total": {"items": result.total.items, **result.total.amounts},
                "groups": result.groups,
                "difference": result.difference,
                "note": result.note,
                "rows": rows,
            }
        )
        return
    if as_csv:
        _write_csv(rows)
        return
    table = _table(title, ("", "items", "예산현액", "share", "지출액", "집행률"), left=("",))
    for row in result.rows:
        table.add_row(
            _label(row.key), f"{row.items:,}", format_won(row.budget, precision="eok"),
            f"{row.share:.1%}" if row.share is not None else "—",
            format_won(row.amounts["spent"], precision="eok"),
            f"{row.execution_rate:.1%}" if row.execution_rate is not None else "—",
        )  # fmt: skip
    total = result.total
    table.add_section()
    table.add_row(
        f"total ({result.groups:,} groups)", f"{total.items:,}", format_won(total.budget, precision="eok"), "100%",
        format_won(total.amounts["spent"], precision="eok"),
        f"{total.execution_rate:.1%}" if total.execution_rate is not None else "—",
    )  # fmt: skip
    show(table)
    snapshots = ", ".join(str(s) for s in result.snapshot_ids) or "none"
    exact = "children add up to the total exactly" if result.exact else f"difference: {result.difference}"
    out.print(f"snapshots {snapshots}; {exact}; amounts in won are exact in --json/--csv")
    if result.note:
        err.print(f"note: {plain(result.note)}; choose others with --snapshot", soft_wrap=True)


@app.command()
def tree(
    level: Annotated[
        str, typer.Option(help="region, government, account_type, account, field, sector, program, unit, item.")
    ] = "field",
    gov: GovOption = None,
    region: RegionOption = None,
    field: FieldOption = None,
    sector: SectorOption = None,
    account_type: Annotated[str | None, typer.Option(help="일반회계, 특별회계 or 기금.")] = None,
    funding: Annotated[
        str | None, typer.Option(help="Only items with this source: national, provincial, municipal, other.")
    ] = None,
    snapshot: SnapshotOption = None,
    sort: Annotated[str, typer.Option(help="budget, spent, items, execution or name.")] = "budget",
    limit: Annotated[int | None, typer.Option(help="Show at most this many groups.")] = None,
    db: DbOption = None,
    engine: EngineOption = None,
    parquet: ParquetOption = None,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
) -> None:
    """Totals at one level of the hierarchy (분야 → 부문 → 세부사업), with shares and 집행률.

    Example: yesan tree --gov 고흥군 --level sector --field 사회복지

    Engines: DuckDB (the store), PostgreSQL or Spark; --engine and --parquet go before or after the command name.
    """
    from yesan.query import drilldown

    with _tables("tree", db, engine, parquet) as tables:
        filters = _filters(tables, gov, region, field, sector, snapshot, account_type, funding)
        result = drilldown(tables.items, level, filters, sort=sort, limit=limit)
        label = _gov_label(tables, gov)
    scope = " ".join(x for x in (label, region, field, sector) if x) or "all governments"
    _show_drilldown(result, f"{scope} by {level}", as_json, as_csv)


@app.command()
def top(
    by: Annotated[str, typer.Option(help="budget, spent, items or execution (lowest first).")] = "budget",
    level: Annotated[str, typer.Option(help="Level to rank (default: 세부사업 items).")] = "item",
    gov: GovOption = None,
    region: RegionOption = None,
    field: FieldOption = None,
    sector: SectorOption = None,
    snapshot: SnapshotOption = None,
    limit: Annotated[int, typer.Option(help="How many to show.")] = 20,
    db: DbOption = None,
    engine: EngineOption = None,
    parquet: ParquetOption = None,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
) -> None:
    """The largest (or least executed) items or groups.

    Example: yesan top --region 전라남도 --field 환경 --limit 10

    Engines: DuckDB (the store), PostgreSQL or Spark; --engine and --parquet go before or after the command name.
    """
    from yesan.query import drilldown

    with _tables("top", db, engine, parquet) as tables:
        filters = _filters(tables, gov, region, field, sector, snapshot)
        result = drilldown(tables.items, level, filters, sort=by, limit=limit)
    _show_drilldown(result, f"top {limit} {level} by {by}", as_json, as_csv)


@app.command()
def item(
    code: Annotated[str, typer.Argument(help="세부사업 code (dbiz_cd), e.g. 3250000200730001.")],
    gov: GovOption = None,
    snapshot: SnapshotOption = None,
    db: DbOption = None,
    engine: EngineOption = None,
    parquet: ParquetOption = None,
    as_json: JsonOption = False,
) -> None:
    """One 세부사업: amounts, funding mix, execution and where every figure came from.

    Example: yesan item 3250000200730001

    Engines: DuckDB (the store), PostgreSQL or Spark; --engine and --parquet go before or after the command name.
    """

    from yesan.model import AMOUNT_LABELS_KO
    from yesan.query.items import find_items
    from yesan.query.lookup import resolve_government

    with _tables("item", db, engine, parquet) as tables:
        gov_code = resolve_government(tables.governments, gov).code if gov else None
        records = find_items(tables, item_code=code, gov_code=gov_code, snapshot_ids=tuple(snapshot or ()) or None)
    if not records:
        raise QueryError(f"no item with code {code!r} in the store; `yesan search` finds items by name")
    if as_json:
        _print_json(
            [
                {**r.fields, "snapshot_id": r.snapshot_id, "dataset": r.dataset, "source_file": r.source_file,
                 "sha256": r.sha256, "loaded_at": r.loaded_at, "citation": r.citation()}
                for r in records
            ]
        )  # fmt: skip
        return
    for record in records:
        f = record.fields
        out.print(f"[bold]{plain(f['item_name'])}[/] ({plain(f['item_code'])})", soft_wrap=True)
        out.print(
            plain(
                f"{f['parent_name'] or ''} {f['gov_name']} · {f['fiscal_year']} {f['stage']} · {f['account']} · "
                f"{f['field_name']} > {f['sector_name']}"
            ),
            soft_wrap=True,
        )
        table = _table("", ("", "won", ""), left=("",))
        budget = f["budget"] or 0
        for name, label in AMOUNT_LABELS_KO.items():
            value = f[name]
            share = f"{value / budget:.1%} of 예산현액" if budget and value is not None and name != "budget" else ""
            table.add_row(label, "—" if value is None else f"{value:,} ({format_won(value)})", share)
        show(table)
        out.print(f"source: {plain(record.citation())}", soft_wrap=True)


@app.command()
def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on (localhost by default).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Server processes (one per core answers most requests).")] = 1,
    base_url: Annotated[
        str | None,
        typer.Option(
            help="Address the site is reached at (https://yesan.example.org) for absolute links; "
            "links are relative without it, never taken from the Host header."
        ),
    ] = None,
    write_token_file: Annotated[
        Path | None,
        typer.Option(
            help="A file (mode 600) whose first line is the write token: saving checks and reviewing matches "
            "need it (sign in at /login, or send Authorization: Bearer TOKEN). Without it the server is read-only."
        ),
    ] = None,
    setting: Annotated[
        list[str] | None,
        typer.Option(
            "--setting",
            metavar="NAME=VALUE",
            help="A server setting, e.g. check_time_limit_s=10 (repeatable; `yesan settings` lists them). "
            "Beats $YESAN_<NAME>.",
        ),
    ] = None,
) -> None:
    """Serve the web explorer and the JSON API (and its /docs) over the store.

    Example: yesan serve --port 8000 --workers 2 --setting check_time_limit_s=10

    Engine: the DuckDB store only (--db, or --engine duckdb:PATH); PostgreSQL and Spark are refused.
    """
    from yesan.store import default_db_path
    from yesan.web.app import serve as run_server

    settings = Settings.from_environment().given(_setting_pairs(setting or []))
    run_server(store_for("serve", db) or default_db_path(), host=host, port=port, workers=workers, base_url=base_url,
               settings=settings, write_token_file=write_token_file)  # fmt: skip


def _setting_pairs(given: list[str]) -> list[tuple[str, str]]:
    """``NAME=VALUE`` texts as (name, value) pairs; a SettingError for one without ``=``."""
    pairs = []
    for text in given:
        name, equals, value = text.partition("=")
        if not equals:
            raise SettingError(f"--setting {text!r} gives no value; write NAME=VALUE, e.g. check_time_limit_s=10")
        pairs.append((name, value))
    return pairs


@app.command(name="settings")
def settings_command(as_json: JsonOption = False) -> None:
    """List the server's settings: name, value now, default and what each does.

    Example: yesan serve --setting max_body_bytes=200000   (or: YESAN_MAX_BODY_BYTES=200000 yesan serve)
    """
    import textwrap

    now = Settings.from_environment()
    rows = [{"name": s.name, "value": getattr(now, s.name), "default": s.default, "type": s.kind,
             "environment": s.variable, "help": s.help} for s in SETTINGS]  # fmt: skip
    if as_json:
        _print_json({"settings": rows})
        return
    for row in rows:
        changed = "" if row["value"] == row["default"] else f" (default {row['default']}, from ${row['environment']})"
        out.print(f"[bold]{row['name']}[/] = {row['value']}{changed}", soft_wrap=True, highlight=False)
        lines = textwrap.wrap(safe(row["help"]), width=max(40, out.width - 4))
        out.print("\n".join("    " + line for line in lines), soft_wrap=True, highlight=False, markup=False)


@app.command(name="compare")
def compare_command(
    before_snapshot: Annotated[int | None, typer.Option(help="Snapshot id of the earlier side.")] = None,
    after_snapshot: Annotated[int | None, typer.Option(help="Snapshot id of the later side.")] = None,
    before_year: Annotated[int | None, typer.Option(help="Fiscal year of the earlier side.")] = None,
    after_year: Annotated[int | None, typer.Option(help="Fiscal year of the later side.")] = None,
    before_stage: Annotated[str | None, typer.Option(help="Stage of the earlier side, e.g. 예산안.")] = None,
    after_stage: Annotated[str | None, typer.Option(help="Stage of the later side, e.g. 본예산.")] = None,
    level: Annotated[str, typer.Option(help="item (세부사업) or any tree level.")] = "item",
    dataset: Annotated[
        str | None,
        typer.Option(help="Only this dataset's snapshots, e.g. lofin365.GJSCS (the 지방소멸대응기금 by year)."),
    ] = None,
    gov: GovOption = None,
    region: RegionOption = None,
    field: FieldOption = None,
    sector: SectorOption = None,
    top_n: Annotated[int, typer.Option("--top", help="How many increases and cuts to list.")] = 10,
    db: DbOption = None,
    engine: EngineOption = None,
    parquet: ParquetOption = None,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
) -> None:
    """Compare two snapshots, years or stages: new, removed, grown and cut, with Δ won and Δ%.

    Example: yesan compare --before-year 2025 --after-year 2026 --gov 고흥군 --level field
    (the 지방소멸대응기금 by government: yesan compare --dataset lofin365.GJSCS --before-year 2025 --after-year 2026
    --level government)

    Engines: DuckDB (the store), PostgreSQL or Spark; --engine and --parquet go before or after the command name.
    """
    from dataclasses import replace

    from yesan.model import normalize_stage
    from yesan.query import compare
    from yesan.query.selections import compared_items

    with _tables("compare", db, engine, parquet) as tables:
        base = _filters(tables, gov, region, field, sector, None)
        before = replace(
            base,
            snapshot_ids=(before_snapshot,) if before_snapshot else None,
            fiscal_year=before_year,
            stage=normalize_stage(before_stage) if before_stage else None,
        )
        after = replace(
            base,
            snapshot_ids=(after_snapshot,) if after_snapshot else None,
            fiscal_year=after_year,
            stage=normalize_stage(after_stage) if after_stage else None,
        )
        items = compared_items(tables, dataset, before_snapshot, after_snapshot)
        result = compare(items, before, after, level, top=top_n)
    rows = [
        {**r.key, "status": r.status, "match": r.match, "before": r.before, "after": r.after, "delta": r.delta,
         "delta_pct": r.delta_pct}
        for r in result.rows
    ]  # fmt: skip
    if as_json:
        _print_json(
            {
                "level": result.level,
                "total_before": result.total_before,
                "total_after": result.total_after,
                "difference": result.difference,
                "unreconciled": result.unreconciled,
                "counts": result.counts,
                "matched_by": result.matched_by,
                "rows": rows,
            }
        )
        return
    if as_csv:
        _write_csv(rows)
        return
    delta_pct = f" ({result.difference * 100 / result.total_before:+.2f}%)" if result.total_before else ""
    out.print(
        f"total {format_won(result.total_before, precision='eok')} → {format_won(result.total_after, precision='eok')}"
        f": {'+' if result.difference >= 0 else ''}{format_won(result.difference, precision='eok')}{delta_pct}"
    )
    out.print(", ".join(f"{status} {count:,}" for status, count in result.counts.items()))
    for title, chosen in (("largest increases", result.increases), ("largest cuts", result.cuts)):
        table = _table(title, ("", "status", "before", "after", "Δ", "Δ%"), left=("",), whole=("status",))
        for r in chosen:
            table.add_row(
                _label(r.key), r.status, format_won(r.before, precision="man"), format_won(r.after, precision="man"),
                format_won(r.delta, precision="man"), f"{r.delta_pct:+.1f}%" if r.delta_pct is not None else "new",
            )  # fmt: skip
        show(table)
    check = "every won accounted for" if result.exact else f"unreconciled: {result.unreconciled:,} won"
    out.print(f"{check}; --json or --csv for all {len(result.rows):,} rows")


@app.command(name="search")
def search_command(
    words: Annotated[
        list[str], typer.Argument(metavar="WORDS...", help="Words to look for in 세부사업 names, e.g. 노인 일자리.")
    ],
    gov: GovOption = None,
    region: RegionOption = None,
    field: FieldOption = None,
    snapshot: SnapshotOption = None,
    limit: Annotated[int, typer.Option(help="How many results.")] = 20,
    db: DbOption = None,
    engine: EngineOption = None,
    parquet: ParquetOption = None,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
) -> None:
    """Find items by name across every government: spacing, particles, synonyms (AI = 인공지능) and typos.

    Every word counts (quotes are not needed): yesan search 노인 일자리. Names are Korean.

    Example: yesan search 경로당 --region 전라남도

    Engines: DuckDB (the store), PostgreSQL or Spark; --engine and --parquet go before or after the command name.
    """
    from yesan.query import search

    query = " ".join(words)
    with _tables("search", db, engine, parquet) as tables:
        filters = _filters(tables, gov, None, None, None, snapshot)
        hits = search(tables.items, query, filters=filters, limit=limit, region=region, field=field)
    rows = [
        {"score": h.score, "gov_code": h.gov_code, "gov_name": h.gov_name, "parent_name": h.parent_name,
         "item_code": h.key[2], "item_name": h.item_name, "field_name": h.field_name,
         "sector_name": h.sector_name, "budget": h.budget, "snapshot_id": h.snapshot_id, "source_id": h.source_id,
         "row_no": h.row_no}
        for h in hits
    ]  # fmt: skip
    if as_json:
        _print_json(rows)
        return
    if as_csv:
        _write_csv(rows)
        return
    table = _table(
        f"search: {query}",
        ("", "government", "분야", "예산현액", "code"),
        left=("", "government", "분야"),
        whole=("code",),
    )
    for h in hits:
        table.add_row(
            h.item_name, f"{h.parent_name or ''} {h.gov_name}".strip(), h.field_name or "—",
            format_won(h.budget, precision="man"), str(h.key[2] or ""),
        )  # fmt: skip
    if not hits:
        _no_results(query, filtered=any(x is not None for x in (gov, region, field, snapshot)))
        return
    show(table)
    out.print("`yesan item CODE` shows an item with its source row")


def _no_results(query: str, *, filtered: bool) -> None:
    """Say that nothing matched, that names are Korean, and which Korean words the synonym table offers."""
    from yesan.query.korean import has_hangul, korean_terms

    out.print(plain(f"0 results for {query!r}{' with these filters' if filtered else ''}"), soft_wrap=True)
    suggestions = korean_terms(query)
    if suggestions:
        offered = "; ".join(f"{word} → {', '.join(korean)}" for word, korean in suggestions.items())
        out.print(plain(f"try the Korean words: {offered}"), soft_wrap=True)
    if not has_hangul(query):
        out.print("item names are in Korean: search in Korean, e.g. yesan search 경로당 or yesan search 노인 일자리")
    else:
        out.print("try fewer words, another spelling, or no filters (--gov, --region, --field)")
