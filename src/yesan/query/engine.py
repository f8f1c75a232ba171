"""Where the query layer gets its tables: an Ibis backend over DuckDB (the store, default), PostgreSQL or Spark.

Every query function takes Ibis table expressions, never a connection or SQL, so the same code
runs on any backend that holds yesan's tables. ``open_engine`` picks the backend from one spec:

- a store file, ``duckdb`` (the store given separately) or ``duckdb:PATH``: DuckDB, read-only,
  with a memory limit (``DUCKDB_MEMORY_LIMIT``, ``$YESAN_DUCKDB_MEMORY_LIMIT``);
- ``postgresql://user@host:port/database``: PostgreSQL holding a copy of the store
  (``yesan.query.postgres.copy_store_to_postgres``);
- ``spark:local[2]``, ``spark:yarn``, ``spark://host:7077`` …: Apache Spark over the partitioned
  Parquet layout written by ``yesan export --format partitioned`` (``yesan.query.spark``).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import ibis

from yesan.errors import StoreError
from yesan.query.compiled import arrow
from yesan.store.backend import open_backend, optional_table

ENGINES: Final = ("duckdb", "postgres", "spark")
_POSTGRES_PREFIXES: Final = ("postgresql://", "postgres://")


@dataclass(frozen=True)
class EngineSpec:
    """Which backend to open: ``kind`` (one of ENGINES) and ``target``: a store, a PostgreSQL URL or a Spark master."""

    kind: str
    target: str
    parquet: str | None = None  # the partitioned Parquet layout (Spark only)

    @property
    def label(self) -> str:
        if self.kind == "postgres":
            return "postgres " + _hide_password(self.target)
        if self.kind == "spark":
            return f"spark {self.target} over {self.parquet}"
        return f"duckdb {self.target}"


def parse_engine(
    spec: str | Path | None, *, db: Path | str | None = None, parquet: Path | str | None = None
) -> EngineSpec:
    """Read an engine spec (see the module docstring); ``db`` is the store for ``duckdb`` or no spec at all."""
    text = str(spec).strip() if spec is not None else ""
    root = str(parquet) if parquet is not None and str(parquet).strip() else None
    if text in ("", "duckdb"):
        if db is None:
            raise StoreError("the DuckDB engine needs a store: give --db PATH (or $YESAN_DB)")
        return EngineSpec("duckdb", str(db))
    if text.startswith("duckdb:"):
        return EngineSpec("duckdb", text.removeprefix("duckdb:"))
    if text.startswith(_POSTGRES_PREFIXES):
        return EngineSpec("postgres", text)
    if text == "spark" or text.startswith("spark:"):
        master = "local[*]" if text == "spark" else text if text.startswith("spark://") else text.removeprefix("spark:")
        if not master:
            raise StoreError("an empty Spark master in --engine; use e.g. spark:local[2] or spark://host:7077")
        if root is None:
            raise StoreError(
                f"the Spark engine ({text}) reads the partitioned Parquet layout: give --parquet DIR "
                "(or $YESAN_PARQUET), written by `yesan export --format partitioned DIR`"
            )
        return EngineSpec("spark", master, root)
    if "://" in text:
        scheme = text.split("://", 1)[0]
        raise StoreError(
            f"unknown engine {scheme}:// in {_hide_password(text)!r}; use a store path, duckdb, "
            "postgresql://user@host:port/db or spark:local[2] / spark://host:7077"
        )
    if text in ("postgres", "postgresql", "pg"):
        raise StoreError(
            f"--engine {text} needs the database's URL: --engine postgresql://user@host:5432/dbname (or $YESAN_ENGINE)"
        )
    return EngineSpec("duckdb", text)  # a path to a store file


def open_engine(
    spec: str | Path | EngineSpec | None = None,
    *,
    db: Path | str | None = None,
    parquet: Path | str | None = None,
    spark_config: dict[str, str] | None = None,
) -> Any:
    """An Ibis backend for ``spec`` (an EngineSpec or its text form); ``tables(open_engine(...))`` gives the tables.

    DuckDB stores are opened read-only. Close the backend with ``backend.disconnect()``.
    """
    chosen = spec if isinstance(spec, EngineSpec) else parse_engine(spec, db=db, parquet=parquet)
    if chosen.kind == "duckdb":
        return open_backend(chosen.target)
    if chosen.kind == "postgres":
        from yesan.query.postgres import open_postgres

        try:
            return open_postgres(chosen.target)
        except StoreError:
            raise
        except Exception as error:  # psycopg's connection errors
            raise StoreError(
                f"cannot connect to {chosen.label}: {str(error).strip() or type(error).__name__}"
            ) from None
    if chosen.kind == "spark":
        from yesan.query.spark import open_spark

        assert chosen.parquet is not None
        return open_spark(chosen.parquet, master=chosen.target, config=spark_config)
    raise StoreError(f"unknown engine {chosen.kind!r}; use one of {', '.join(ENGINES)}")


def items_table(backend: Any) -> Any:
    """The line items of a yesan store as an Ibis table expression (``Tables.items``: see ``tables``)."""
    return _line_items(_table(backend, "items"), _table(backend, "snapshots"))


def _line_items(items: Any, snapshots: Any) -> Any:
    figures = figure_snapshot_ids(snapshots)
    return items.filter(~items.snapshot_id.isin(list(figures))) if figures else items


@dataclass(frozen=True)
class Tables:
    """The store's tables as Ibis expressions (see ``yesan.store.schema`` for their columns).

    Fields without a default are required; fields with a default (None) are optional and stay None
    when the backend does not hold that table.
    """

    items: ibis.Table  # line items only: the snapshots of ``yesan.model.FIGURE_DATASETS`` are left out
    snapshots: ibis.Table
    sources: ibis.Table
    governments: ibis.Table
    population: ibis.Table
    #: every item, figures by government included: for questions that name such a snapshot or dataset
    all_items: ibis.Table | None = dataclasses.field(default=None, compare=False)
    #: figures published by others (press releases, articles), and their sources; None in a store or engine
    #: without them (a store from before schema 2/3, a PostgreSQL copy of the line items only)
    reported_figures: ibis.Table | None = dataclasses.field(default=None, compare=False)
    reported_sources: ibis.Table | None = dataclasses.field(default=None, compare=False)

    @property
    def engine(self) -> str:
        """The backend's name: ``duckdb``, ``postgres`` or ``pyspark``."""
        return str(ibis.get_backend(self.items).name)


def tables(backend: Any) -> Tables:
    """Every field of ``Tables`` looked up by name on ``backend``; missing optional tables are None.

    ``items`` leaves out the snapshots of datasets of figures by government (``yesan.model.FIGURE_DATASETS``),
    so that no default question sums them with line items; ``all_items`` holds everything.
    """
    found: dict[str, Any] = {}
    for spec in dataclasses.fields(Tables):
        if spec.name == "all_items":
            continue
        optional = spec.default is not dataclasses.MISSING or spec.default_factory is not dataclasses.MISSING
        if not optional:
            found[spec.name] = _table(backend, spec.name)
        elif (table := optional_table(backend, spec.name)) is not None:
            found[spec.name] = table
    found["all_items"] = found["items"]
    found["items"] = _line_items(found["items"], found["snapshots"])
    return Tables(**found)


def figure_snapshot_ids(snapshots: Any, dataset: str | None = None) -> tuple[int, ...]:
    """The snapshots of figures by government (of ``dataset``, or of any of ``FIGURE_DATASETS``)."""
    from yesan.model import FIGURE_DATASETS

    wanted = [dataset] if dataset else sorted(FIGURE_DATASETS)
    rows = arrow(snapshots.filter(snapshots.dataset.isin(wanted)).select("snapshot_id")).to_pylist()
    return tuple(sorted(int(r["snapshot_id"]) for r in rows))


def _table(backend: Any, name: str) -> Any:
    try:
        return backend.table(name)
    except Exception as error:  # backends raise their own "table not found" types
        raise StoreError(f"the database has no yesan {name} table ({error}); is it a yesan store?") from None


def _hide_password(url: str) -> str:
    """``postgresql://user:secret@host/db`` → ``postgresql://user:***@host/db`` for messages."""
    scheme, sep, rest = url.partition("://")
    if not sep or "@" not in rest:
        return url
    credentials, at, host = rest.rpartition("@")
    user, colon, _password = credentials.partition(":")
    return f"{scheme}://{user}{':***' if colon else ''}{at}{host}"


__all__ = [
    "ENGINES",
    "EngineSpec",
    "Tables",
    "figure_snapshot_ids",
    "items_table",
    "open_backend",
    "open_engine",
    "optional_table",
    "parse_engine",
    "tables",
]
