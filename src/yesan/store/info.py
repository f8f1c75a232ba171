"""What is in a store: datasets, snapshots, row counts and totals per government."""

from __future__ import annotations

from typing import Any

from yesan.store.store import Store


def store_info(store: Store) -> dict[str, Any]:
    """A summary of the store as plain data (amounts in integer won)."""
    snapshots = store.snapshots()
    governments = store.query_dicts(
        """
        WITH per_gov AS (
            SELECT snapshot_id, gov_code, count(*) AS items, sum(budget) AS budget, sum(spent) AS spent,
                   sum(national) AS national, sum(provincial) AS provincial, sum(municipal) AS municipal,
                   sum(other) AS other
            FROM items GROUP BY snapshot_id, gov_code
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
        """
    )
    known = store.query_dicts(
        """
        SELECT count(*) AS governments,
               count(*) FILTER (WHERE level = '기초') AS basic,
               count(*) FILTER (WHERE level = '광역') AS provincial
        FROM governments
        """
    )[0]
    without_items = store.query_dicts(
        """
        SELECT code, name, parent_name FROM governments g
        WHERE level = '기초' AND NOT EXISTS (SELECT 1 FROM items i WHERE i.gov_code = g.code)
        ORDER BY code
        """
    )
    population = store.query_dicts(
        "SELECT source, year, count(*) AS governments, sum(population) AS population, "
        "any_value(source_file) AS source_file FROM population GROUP BY source, year ORDER BY year, source"
    )
    for snapshot in snapshots:
        rows = [g for g in governments if g["snapshot_id"] == snapshot["snapshot_id"]]
        snapshot["governments"] = len(rows)
        snapshot["spent_total"] = sum(int(g["spent"] or 0) for g in rows)
    totals = store.query_dicts(
        "SELECT count(*) AS items, count(DISTINCT gov_code) AS governments_with_items FROM items"
    )[0]
    reported = store.query_dicts(
        "SELECT r.dataset, r.gov_name, r.fiscal_year, count(*) AS figures, "
        "list(DISTINCT s.file ORDER BY s.file) AS source_files "
        "FROM reported_figures r JOIN sources s USING (source_id) GROUP BY ALL ORDER BY ALL"
    )
    return {
        "db": str(store.path),
        "schema_version": store.schema_version(),
        "totals": {**totals, **{f"governments_known_{k}": v for k, v in known.items()}},
        "snapshots": snapshots,
        "governments": governments,
        "governments_without_items": without_items,
        "population": population,
        "reported": reported,
    }


def field_totals(store: Store) -> list[dict[str, Any]]:
    """Totals by 분야 over every item in the store, largest first."""
    return store.query_dicts(
        "SELECT field_name, count(*) AS items, sum(budget) AS budget, sum(national) AS national, "
        "sum(spent) AS spent FROM items GROUP BY field_name ORDER BY budget DESC NULLS LAST"
    )
