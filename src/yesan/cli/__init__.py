"""The ``yesan`` command: a thin layer over the library that turns errors into one line for people.

Commands live in ``cli.data`` (load, info, export, demo) and ``cli.explore`` (tree, top, item, serve …);
``cli.engine`` decides which engine each one runs on. This module holds the app, the shared options and
output helpers, and ``main``.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from yesan.cli.output import CliTable, err, out, plain, safe, show
from yesan.cli.output import table as _table
from yesan.errors import LoadError, YesanError

__all__ = ["CliTable", "DbOption", "JsonOption", "_print_json", "_progress", "_table", "app", "err", "main", "out",
           "plain", "safe", "show", "state"]  # fmt: skip

app = typer.Typer(
    help="yesan (예산): Korean public budgets — load official line items exactly, explore them, check figures.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class _State:
    db: Path | None = None
    debug: bool = False
    engine: str | None = None  # see yesan.query.engine.parse_engine; None: the DuckDB store
    parquet: str | None = None  # the partitioned Parquet layout the Spark engine reads
    # Typed before the command name (not from $YESAN_ENGINE / $YESAN_PARQUET): see cli.engine.choose_engine.
    engine_typed: bool = False
    parquet_typed: bool = False


state = _State()

# No envvar on the option itself: a --db typed anywhere on the command line must beat $YESAN_DB, which only the
# store's default_db_path() reads (flag after the command > flag before it > $YESAN_DB > the default path).
DbOption = Annotated[
    Path | None,
    typer.Option("--db", help="Store file (default: $YESAN_DB or ~/.local/share/yesan/yesan.duckdb)."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON instead of tables.")]


@app.callback()
def _root(
    ctx: typer.Context,
    db: DbOption = None,
    engine: Annotated[
        str | None,
        typer.Option(
            "--engine",
            envvar="YESAN_ENGINE",
            help="Engine for tree, top, item, compare, search and check: duckdb (the store, default), "
            "postgresql://user@host:port/db, or spark:local[2] / spark://host:7077 with --parquet. "
            "load, info, export, demo and serve work on the DuckDB store and refuse the others. "
            "May also go after the command name.",
        ),
    ] = None,
    parquet: Annotated[
        str | None,
        typer.Option(
            "--parquet", envvar="YESAN_PARQUET", help="Layout written by `yesan export --format partitioned DIR`."
        ),
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show the full traceback on errors.")] = False,
) -> None:
    state.db = db
    state.debug = debug
    state.engine = engine
    state.parquet = parquet
    state.engine_typed = _typed(ctx, "engine")
    state.parquet_typed = _typed(ctx, "parquet")


def _typed(ctx: typer.Context, name: str) -> bool:
    """Whether option ``name`` was typed on the command line (not taken from its env var or default)."""
    source = ctx.get_parameter_source(name)
    return source is not None and source.name == "COMMANDLINE"


def _print_json(data: Any) -> None:
    out.print_json(json.dumps(data, ensure_ascii=False, default=str), ensure_ascii=False)


@contextmanager
def _progress(enabled: bool) -> Iterator[Any]:
    if not enabled or not err.is_terminal:
        yield lambda _message: None
        return
    with Progress(
        SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=err, transient=True
    ) as progress:
        task = progress.add_task("starting", total=None)
        yield lambda message: progress.update(task, description=message)


def main() -> None:
    """Entry point: run the app, print YesanErrors as one line (plus problems) and exit non-zero."""
    debug = "--debug" in sys.argv
    try:
        app()
    except YesanError as error:
        if debug:
            raise
        err.print(f"[bold red]error:[/] {plain(error)}", soft_wrap=True)
        if isinstance(error, LoadError) and len(error.problems) > 1:
            for problem in error.problems[1:20]:
                err.print(f"  {plain(problem)}", soft_wrap=True)
            if len(error.problems) > 20:
                err.print(f"  … {len(error.problems) - 20:,} more (use --json with --check to list all)")
        sys.exit(1)
    except KeyboardInterrupt:
        err.print("interrupted; the store is unchanged unless a load had already committed")
        sys.exit(130)
    except Exception as error:
        if debug:
            raise
        from yesan.store.damage import damaged_store

        damaged = damaged_store(error)
        if damaged is not None:  # a read deep inside a command met a damaged store file: not yesan's bug
            err.print(f"[bold red]error:[/] {plain(damaged)}", soft_wrap=True)
            sys.exit(1)
        err.print(f"[bold red]internal error:[/] {type(error).__name__}: {plain(error)} (run with --debug for details)")
        sys.exit(2)


def _register() -> None:
    # Importing the command modules registers their commands on ``app``.
    from yesan.cli import check, checks, claims, data, explore, fetch  # noqa: F401


_register()
