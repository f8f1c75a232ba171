"""Questions asked of the store, answered through Ibis so the same code runs on DuckDB, PostgreSQL or Spark.

No SQL strings live outside this package (and ``yesan.store``, which owns the schema and loads).
Every function takes Ibis table expressions (``tables(open_backend(db))``) and returns dataclasses
whose amounts are integer won.
"""

from __future__ import annotations

from yesan.query.common import LEVELS
from yesan.query.compare import CompareRow, Comparison, compare
from yesan.query.drilldown import DrillDown, DrillRow, Filters, drilldown
from yesan.query.engine import Tables, items_table, open_backend, tables
from yesan.query.execution import Execution, ExecutionTrend, execution, execution_trend
from yesan.query.funding import FundingMix, funding_mix
from yesan.query.peers import PeerComparison, PerResidentReport, peers, per_resident
from yesan.query.search import SearchHit, SearchIndex, search

__all__ = [
    "LEVELS",
    "CompareRow",
    "Comparison",
    "DrillDown",
    "DrillRow",
    "Execution",
    "ExecutionTrend",
    "Filters",
    "FundingMix",
    "PeerComparison",
    "PerResidentReport",
    "SearchHit",
    "SearchIndex",
    "Tables",
    "compare",
    "drilldown",
    "execution",
    "execution_trend",
    "funding_mix",
    "items_table",
    "open_backend",
    "peers",
    "per_resident",
    "search",
    "tables",
]
