"""Questions asked of the store, answered through Ibis so the same code runs on DuckDB, PostgreSQL or Spark.

No SQL strings live outside this package (and ``yesan.store``, which owns the schema and loads).
"""

from __future__ import annotations

from yesan.query.drilldown import LEVELS, DrillDown, DrillRow, Filters, drilldown
from yesan.query.engine import Tables, items_table, open_backend, tables

__all__ = ["LEVELS", "DrillDown", "DrillRow", "Filters", "Tables", "drilldown", "items_table", "open_backend", "tables"]
