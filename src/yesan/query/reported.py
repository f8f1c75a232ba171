"""Reads of the figures others published (``reported_figures``) and of their sources (``reported_sources``), for
the article check: every row with its source file, every source by (dataset, key), the government names used."""

from __future__ import annotations

from typing import Any

from yesan.query.common import records
from yesan.query.engine import Tables


def reported_rows(tables: Tables, *, year: int | None = None) -> list[dict[str, Any]]:
    """Every reported figure (of ``year``) with its source file and sha256, in a stable order; [] without them."""
    figures = tables.reported_figures
    if figures is None:
        return []
    if year is not None:
        figures = figures.filter(figures.fiscal_year == year)
    sources = tables.sources.select("source_id", "file", "sha256")
    joined = figures.join(sources, "source_id").order_by(["dataset", "gov_name", "fiscal_year", "row_no"])
    return records(joined)


def reported_source_rows(tables: Tables) -> list[dict[str, Any]]:
    """Every source record of every reported dataset; [] in a store from before schema 3."""
    return [] if tables.reported_sources is None else records(tables.reported_sources)


def reported_government_names(tables: Tables) -> list[str]:
    """The government names the reported figures use, sorted; [] without reported figures."""
    figures = tables.reported_figures
    if figures is None:
        return []
    return sorted({str(r["gov_name"]) for r in records(figures.select("gov_name").distinct())})


__all__ = ["reported_government_names", "reported_rows", "reported_source_rows"]
