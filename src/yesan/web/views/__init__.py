"""The web explorer's pages, server-rendered; each page's data is also at ``<page>.json`` and its tables at ``.csv``.

| path | module | what it shows |
|---|---|---|
| ``/`` | ``home`` | pick a government and year; total, per resident, change, execution; 분야 bars |
| ``/explore`` | ``explore`` | where the money goes: a treemap drill-down 분야 → … → 세부사업, with its table |
| ``/compare`` | ``compare`` | two snapshots side by side: biggest increases and cuts, new and removed items |
| ``/item/{snapshot}/{source}/{row}`` | ``item`` | one 세부사업: amounts, funding, execution, history, peers, citation |
| ``/search`` | ``search`` | item names across every government, ranked, with filters |
| ``/peers`` | ``peers`` | one government against its peer group, per resident |
| ``/check`` | ``check`` | an article with each figure judged (needs ``yesan.web.check_api``) |
| ``/check/{id}`` … | ``published`` | a saved check: permalink, JSON, ClaimReview, HTML, PNG cards, re-run, review |
| ``/checks``, ``/ledger`` | ``published``, ``ledger`` | the saved checks; every checked figure, flagged |
| ``/login`` | ``signin`` | a reviewer signs in with the write token |
| ``/static/…`` | ``assets`` | CSS, scripts and plotly.js from the installed package |

``page.py`` serves one handler as HTML, JSON and CSV; ``templating.py`` renders (autoescaped Jinja2);
``catalog.py`` holds what the store contains; ``lookups.py`` names drill-down groups in URLs (the selections
themselves are ``yesan.query.selections``).
"""

from __future__ import annotations

from fastapi import APIRouter

from yesan.web.views.assets import router as assets_router
from yesan.web.views.check import router as check_router
from yesan.web.views.compare import router as compare_router
from yesan.web.views.explore import router as explore_router
from yesan.web.views.home import router as home_router
from yesan.web.views.item import router as item_router
from yesan.web.views.ledger import router as ledger_router
from yesan.web.views.peers import router as peers_router
from yesan.web.views.published import router as published_router
from yesan.web.views.search import router as search_router
from yesan.web.views.signin import router as signin_router


def router() -> APIRouter:
    """Every page and the static files, as one router."""
    combined = APIRouter()
    for part in (
        assets_router,
        home_router,
        explore_router,
        compare_router,
        item_router,
        search_router,
        peers_router,
        check_router,
        published_router,
        signin_router,
        ledger_router,
    ):
        combined.include_router(part)
    return combined


__all__ = ["router"]
