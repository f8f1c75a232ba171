"""Check the figures in an article (issue #5): paste text or upload a file; each figure is highlighted with its
verdict, and a click shows the evidence and its citation.

The judging is ``yesan.web.check_api`` (``POST /api/check``); this page is its interface. Without that
module the page says the check is not available.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from yesan.web.views.common import LangParam
from yesan.web.views.page import Page, page_route

router = APIRouter()


@page_route(router, "/check", summary="Check the figures in an article")
def check_page(request: Request, lang: LangParam = None) -> Page:
    available = bool(getattr(request.app.state, "check_available", False))
    data: dict[str, Any] = {"page": "check", "available": available}
    return Page("check.html", data, [], scripts=("check",) if available else ())
