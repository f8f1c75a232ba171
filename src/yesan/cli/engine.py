"""Which engine a command runs on: ``--engine``/``--parquet`` before or after the command name, and the refusals.

Query commands (tree, top, item, compare, search, check) take any engine and accept the two options in both
places: ``yesan --engine URL tree`` and ``yesan tree --engine URL``. The option after the command name beats
``$YESAN_ENGINE``; given on the command line in both places with different values, it is a usage error rather
than one of them being dropped. Commands that work on the DuckDB store file itself (load, info, export, demo,
serve) refuse PostgreSQL and Spark: their answers would silently come from the store instead.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Final

import typer

from yesan.cli import state
from yesan.errors import StoreError

ENGINE_HELP: Final = (
    "duckdb (the store, default), duckdb:PATH, postgresql://user@host:port/db, or spark:local[2] / "
    "spark://host:7077 with --parquet. Also accepted before the command name (not both, with different "
    "values); default: $YESAN_ENGINE."
)
PARQUET_HELP: Final = (
    "Layout written by `yesan export --format partitioned DIR` (Spark engine). Also accepted before the command "
    "name; default: $YESAN_PARQUET."
)

# No envvar here: the global option reads $YESAN_ENGINE, and an envvar on this one would beat a global
# --engine typed on the command line.
EngineOption = Annotated[str | None, typer.Option("--engine", help=ENGINE_HELP, show_default=False)]
ParquetOption = Annotated[str | None, typer.Option("--parquet", help=PARQUET_HELP, show_default=False)]

_NAMES: Final = {"postgres": "PostgreSQL", "spark": "Spark"}


def choose_engine(command: str, engine: str | None, parquet: str | None) -> tuple[str | None, str | None]:
    """The engine and Parquet layout for ``command``: its own options, else the global ones (or their env vars).

    Raises a usage error when an option is typed both before and after the command name with different values.
    """
    return (
        _choose(command, "--engine", state.engine, state.engine_typed, engine),
        _choose(command, "--parquet", state.parquet, state.parquet_typed, parquet),
    )


def _choose(command: str, option: str, global_value: str | None, typed: bool, value: str | None) -> str | None:
    if value is None:
        return global_value
    if typed and global_value is not None and global_value.strip() != value.strip():
        # The values are not repeated: an engine URL may hold a password.
        raise typer.BadParameter(
            f"given both before `{command}` and after it, with different values; give it once", param_hint=option
        )
    return value


def store_for(command: str, db: Path | None) -> Path | None:
    """The store file ``command`` works on: ``db`` (or ``--db``/``$YESAN_DB``), or the one ``--engine`` names.

    ``--engine duckdb:PATH`` (or a path) names the store, as it does for the query commands; PostgreSQL and
    Spark are refused with a StoreError that says what to do.
    """
    from yesan.query.engine import parse_engine
    from yesan.store import default_db_path

    text = (state.engine or "").strip()
    chosen = db or state.db
    if text in ("", "duckdb"):
        return chosen
    # The Parquet layout only matters to Spark, which is refused here: any placeholder lets the spec be read.
    spec = parse_engine(text, db=chosen or default_db_path(), parquet=state.parquet or "-")
    if spec.kind == "duckdb":
        return Path(spec.target)
    source = "--engine" if state.engine_typed else "$YESAN_ENGINE"
    raise StoreError(
        f"yesan {command} works on the DuckDB store only, but {source} asks for {_NAMES.get(spec.kind, spec.kind)}; "
        f"drop --engine (or unset $YESAN_ENGINE) and name the store with --db{_HINTS.get(command, '')}"
    )


_HINTS: Final = {
    "load": " (to query PostgreSQL, load the store, then copy it with yesan.query.postgres.copy_store_to_postgres)",
    "export": " (`yesan export DIR --format partitioned` writes the layout Spark reads)",
    "serve": " (the web app answers from DuckDB only)",
    "demo": " (the demo builds and shows the store)",
}

__all__ = [
    "EngineOption",
    "ParquetOption",
    "choose_engine",
    "store_for",
]
