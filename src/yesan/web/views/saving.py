"""Running an article check from a page and saving it (``yesan.publish.saving``): the shared steps of the check
page, ``POST /api/check`` and the saved checks' re-runs and reviews (``views.published``)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import Request

from yesan.publish.saving import save_check
from yesan.store.checks import CheckStore
from yesan.web.check_intake import settings_of
from yesan.web.views.common import catalog_of

__all__ = ["check_url", "checks_of", "permalink", "run_check", "save_run", "snapshot_rows"]


def checks_of(request: Request) -> CheckStore:
    store: CheckStore = request.app.state.checks
    return store


def permalink(request: Request, check_id: str) -> str:
    base = request.app.state.base_url or ""
    return f"{base}/check/{check_id}"


def snapshot_rows(request: Request) -> list[dict[str, Any]]:
    catalog = catalog_of(request)
    return [
        {"snapshot_id": s.id, "dataset": s.dataset, "fiscal_year": s.fiscal_year, "stage": s.stage,
         "exe_ymd": s.exe_ymd, "row_count": s.row_count}
        for s in catalog.snapshots
    ]  # fmt: skip


def run_check(request: Request, text: str, government: str | None, year: int | None, source: str) -> Any:
    """The check of ``text`` in a worker process, with the reviewers' decisions applied."""
    decisions = checks_of(request).decisions()
    limit = settings_of(request).check_time_limit_s
    return request.app.state.checkers.check(text, government=government, year=year, source=source,
                                            time_limit_s=limit, decisions=decisions)  # fmt: skip


def save_run(
    request: Request, text: str, report: Any, *, government: str | None, year: int | None, who: str, reason: str
) -> tuple[str, int]:
    return save_check(checks_of(request), text, report, government=government, year=year,
                      snapshots=snapshot_rows(request), saved_by=who, reason=reason)  # fmt: skip


def check_url(check_id: str, lang: str) -> str:
    return f"/check/{quote(check_id)}" + ("?lang=en" if lang == "en" else "")
