"""One government against its peer group (same kind, same 광역 or similar population), per resident.

Every per-resident figure names the population it divides by (year and source). Peers are counted in
the snapshot the page is "as of" (by default the government's latest).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Annotated, Any, Final, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from yesan.query import Filters, peers
from yesan.query.peers import PerResident
from yesan.web.routing import tables_for
from yesan.web.views.common import GovParam, LangParam, SnapshotParam, YearParam, catalog_of, find_gov, link
from yesan.web.views.contents import Column, Page, Table, lang_of
from yesan.web.views.i18n import text, won
from yesan.web.views.page import page_route

router = APIRouter()

Group = Literal["type", "region", "band"]
Amount = Literal["budget", "spent", "national", "provincial", "municipal", "other", "allocated"]


@page_route(router, "/peers", summary="A government against its peer group, per resident")
def peers_page(
    request: Request,
    gov: GovParam = None,
    year: YearParam = None,
    snapshot: SnapshotParam = None,
    group: Annotated[Group, Query(description="same kind (type), same 광역 (region) or population band")] = "type",
    amount: Annotated[Amount, Query(description="the amount to divide by the population")] = "budget",
    field: Annotated[str | None, Query(description="count only this 분야's amount")] = None,
    lang: LangParam = None,
) -> Page | Response:
    catalog = catalog_of(request)
    found = find_gov(request, catalog, gov)
    if isinstance(found, Response):
        return found
    lang = lang_of(request)
    data: dict[str, Any] = {
        "page": "peers",
        "query": {"gov": gov, "year": year, "snapshot": snapshot, "group": group, "amount": amount, "field": field},
        "choices": catalog.choices(),
        "scope": None,
        "result": None,
    }
    if found is None:
        return Page("peers.html", data, [])
    scope = catalog.scope(found.code, year, snapshot)
    with tables_for(request) as t:
        result = peers(
            t,
            found.code,
            group=group,
            filters=Filters(snapshot_ids=scope.snapshot_ids),
            amount=amount,
            field_name=field or None,
        )
    median = result.median_per_resident
    valued = sorted(((r.exact or Fraction(0), r) for r in (result.government, *result.peers)), key=lambda v: -v[0])
    keep = {"snapshot": snapshot, "year": year, "group": group, "amount": amount, "field": field}
    rows = [_row(r, median, found.code, keep) for _, r in valued]
    for position, (row, (value, _)) in enumerate(zip(rows, valued, strict=True)):  # ties share a rank
        tied = position > 0 and valued[position - 1][0] == value
        row["rank"] = rows[position - 1]["rank"] if tied else position + 1
    named = text(lang, amount)
    measure = f"{field + ' ' if field else ''}{named[0].lower() + named[1:] if lang == 'en' else named}"
    data.update(
        {
            "scope": scope.as_dict(),
            "measure": measure,
            "result": {
                "group": result.group,
                "group_value": result.group_value,
                "rank": result.rank,
                "group_size": result.group_size,
                "median_per_resident": median,
                "median_exact": f"{result.median.numerator}/{result.median.denominator}",
                "government": _row(result.government, median, found.code, keep),
                "without_population": list(result.without_population),
            },
            "chart": _chart(lang, rows, median),
        }
    )  # fmt: skip
    columns = [
        Column("rank", "peers.rank_col", "int"),
        Column("government", "government", link="url"),
        Column("amount", "peers.amount", "won"),
        Column("population", "population", "int"),
        Column("per_resident", "per_resident", "won"),
        Column("vs_median", "peers.vs_median", "signed_pct"),
    ]
    caption = text(lang, "peers.chart", measure=measure)
    data["chart_label"] = text(
        lang, "peers.chart_near", measure=measure, shown=len(data["chart"]["bars"]), size=len(rows)
    )
    return Page("peers.html", data, [Table("peers", caption, columns, rows)], scripts=("plotly", "bars"))


#: How many peers the chart shows on each side of the government (the table ranks them all).
NEAREST: Final = 4


def _chart(lang: str, rows: list[dict[str, Any]], median: int) -> dict[str, Any]:
    """The chart's data: the government and its nearest peers by rank, and the group's spread (lowest,
    quartiles, median, highest) over every peer with a per-resident figure."""
    ranked = [r for r in rows if r["per_resident"] is not None]
    me = next((i for i, r in enumerate(ranked) if r["highlight"]), 0)
    start = max(0, min(me - NEAREST, len(ranked) - (2 * NEAREST + 1)))
    window = ranked[start : start + 2 * NEAREST + 1]
    values = sorted(int(r["per_resident"]) for r in ranked)
    spread = {
        "low": values[0] if values else None,
        "q1": _quantile(values, Fraction(1, 4)),
        "median": median,
        "q3": _quantile(values, Fraction(3, 4)),
        "high": values[-1] if values else None,
    }
    return {
        "bars": [
            {"label": f"{r['rank']}. {r['government']}", "value": r["per_resident"],
             "text": won(lang, r["per_resident"]), "me": r["highlight"], "url": r["url"]}
            for r in window
        ],
        "median": median,
        "median_text": won(lang, median),
        "spread": spread,
        "spread_text": {k: won(lang, v) for k, v in spread.items()},
        "size": len(ranked),
    }  # fmt: skip


def _quantile(values: list[int], q: Fraction) -> int | None:
    """The ``q`` quantile of sorted ``values`` (linear between ranks, as spreadsheets' QUARTILE.INC), in
    whole won: exact fractions, rounded half to even only at the end."""
    if not values:
        return None
    position = q * (len(values) - 1)
    below = int(position)
    above = min(below + 1, len(values) - 1)
    return round(values[below] + (position - below) * (values[above] - values[below]))


def _row(r: PerResident, median: int, me: str, keep: dict[str, Any]) -> dict[str, Any]:
    per = r.per_resident
    return {
        "government": f"{r.region} {r.gov_name}" if r.region and r.region != r.gov_name else r.gov_name,
        "gov_code": r.gov_code,
        "amount": r.amount,
        "population": r.population,
        "population_year": r.population_year,
        "population_source": r.population_source,
        "per_resident": per,
        "vs_median": (per - median) / median if per is not None and median else None,
        "highlight": r.gov_code == me,
        "url": link("/peers", {"gov": r.gov_code, **keep}),
    }
