"""What is in a store: datasets, snapshots, row counts and totals per government (``yesan info``, ``yesan demo``).

The store's account of its own file, read with ``store.connection.records`` on the store's connection (DuckDB
only, like those commands); every other reader goes through ``yesan.query``."""

from __future__ import annotations

from typing import Any

from yesan.model import FIGURE_DATASETS
from yesan.store.connection import records
from yesan.store.store import Store

#: Items of line-item snapshots only: figures by government (``FIGURE_DATASETS``) are listed apart, never summed.
_LINE_ITEMS = (
    "(SELECT * FROM items WHERE snapshot_id NOT IN "
    "(SELECT snapshot_id FROM snapshots WHERE list_contains(?::VARCHAR[], dataset)))"
)
_FIGURES = sorted(FIGURE_DATASETS)


def store_info(store: Store) -> dict[str, Any]:
    """A summary of the store as plain data (amounts in integer won).

    ``snapshots``, ``totals`` and ``governments`` count line items; snapshots of figures by government
    (``yesan.model.FIGURE_DATASETS``, e.g. the 지방소멸대응기금 by year) are listed under ``figure_snapshots``.
    """
    every = store.snapshots()
    snapshots = [s for s in every if s["dataset"] not in FIGURE_DATASETS]
    figure_snapshots = [s for s in every if s["dataset"] in FIGURE_DATASETS]
    governments = records(
        store.con,
        f"""
        WITH per_gov AS (
            SELECT snapshot_id, gov_code, count(*) AS items, sum(budget) AS budget, sum(spent) AS spent,
                   sum(national) AS national, sum(provincial) AS provincial, sum(municipal) AS municipal,
                   sum(other) AS other
            FROM {_LINE_ITEMS} GROUP BY snapshot_id, gov_code
        ), latest_population AS (
            SELECT gov_code, arg_max(population, year) AS population, max(year) AS population_year,
                   arg_max(source, year) AS population_source
            FROM population GROUP BY gov_code
        )
        SELECT p.snapshot_id, p.gov_code AS code, g.name, g.parent_name, g.level, p.items,
               p.budget, p.spent, p.national, p.provincial, p.municipal, p.other,
               lp.population, lp.population_year, lp.population_source
        FROM per_gov p
        JOIN governments g ON g.code = p.gov_code
        LEFT JOIN latest_population lp ON lp.gov_code = p.gov_code
        ORDER BY p.snapshot_id, g.parent_name, g.name
        """,
        [_FIGURES],
    )
    known = records(
        store.con,
        """
        SELECT count(*) AS governments,
               count(*) FILTER (WHERE level = '기초') AS basic,
               count(*) FILTER (WHERE level = '광역') AS provincial
        FROM governments
        """,
    )[0]
    without_items = records(
        store.con,
        f"""
        SELECT code, name, parent_name FROM governments g
        WHERE level = '기초' AND NOT EXISTS (SELECT 1 FROM {_LINE_ITEMS} i WHERE i.gov_code = g.code)
        ORDER BY code
        """,
        [_FIGURES],
    )
    population = records(
        store.con,
        "SELECT source, year, count(*) AS governments, sum(population) AS population, "
        "any_value(source_file) AS source_file FROM population GROUP BY source, year ORDER BY year, source",
    )
    for snapshot in snapshots:
        rows = [g for g in governments if g["snapshot_id"] == snapshot["snapshot_id"]]
        snapshot["governments"] = len(rows)
        snapshot["spent_total"] = sum(int(g["spent"] or 0) for g in rows)
    for snapshot in figure_snapshots:
        found = records(
            store.con,
            "SELECT count(DISTINCT gov_code) AS n FROM items WHERE snapshot_id = ?",
            [snapshot["snapshot_id"]],
        )
        snapshot["governments"] = int(found[0]["n"])
    totals = records(
        store.con,
        f"SELECT count(*) AS items, count(DISTINCT gov_code) AS governments_with_items FROM {_LINE_ITEMS}",
        [_FIGURES],
    )[0]
    reported = records(
        store.con,
        "SELECT r.dataset, r.gov_name, r.fiscal_year, count(*) AS figures, "
        "list(DISTINCT s.file ORDER BY s.file) AS source_files "
        "FROM reported_figures r JOIN sources s USING (source_id) GROUP BY ALL ORDER BY ALL",
    )
    return {
        "db": str(store.path),
        "schema_version": store.schema_version(),
        "totals": {**totals, **{f"governments_known_{k}": v for k, v in known.items()}},
        "snapshots": snapshots,
        "figure_snapshots": figure_snapshots,
        "governments": governments,
        "governments_without_items": without_items,
        "population": population,
        "reported": reported,
    }


def field_totals(store: Store) -> list[dict[str, Any]]:
    """Totals by 분야 over every line item in the store, largest first."""
    return records(
        store.con,
        "SELECT field_name, count(*) AS items, sum(budget) AS budget, sum(national) AS national, "
        f"sum(spent) AS spent FROM {_LINE_ITEMS} GROUP BY field_name ORDER BY budget DESC NULLS LAST",
        [_FIGURES],
    )
