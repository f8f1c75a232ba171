"""Signing in as a reviewer with the server's write token (``yesan.web.writes``), and signing out."""

from __future__ import annotations

import hmac
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from yesan.web.views.contents import Page
from yesan.web.views.templating import render
from yesan.web.writes import COOKIE, READ_ONLY, csrf_token, session_cookie, signed_in

router = APIRouter()


def _page(request: Request, error: str | None = None, status: int = 200) -> Response:
    data: dict[str, Any] = {
        "page": "login",
        "read_only": getattr(request.app.state, "write_token", None) is None,
        "read_only_text": READ_ONLY,
        "reviewer": signed_in(request),
        "csrf": csrf_token(request),
        "error": error,
        "next": _next(request.query_params.get("next")),
    }
    return HTMLResponse(render(request, Page("login.html", data)), status_code=status,
                        headers={"Cache-Control": "no-store"})  # fmt: skip


def _next(target: str | None) -> str:
    """Where to go after signing in: a path of this site only (never another host)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/checks"


@router.get("/login", response_class=HTMLResponse, include_in_schema=False)
def login_page(request: Request) -> Response:
    return _page(request)


@router.post("/login", response_class=HTMLResponse, include_in_schema=False)
async def login(request: Request) -> Response:
    token: str | None = getattr(request.app.state, "write_token", None)
    if token is None:
        return _page(request, READ_ONLY, 403)
    form = await request.form()
    given, name = form.get("token"), form.get("name")
    if not isinstance(given, str) or not hmac.compare_digest(given.strip(), token):
        return _page(request, "the token is not this server's write token", 403)
    if not isinstance(name, str) or not name.strip() or len(name.strip()) > 80:
        return _page(request, "give your name (at most 80 characters): it goes into the audit log", 400)
    target = _next(form.get("next") if isinstance(form.get("next"), str) else None)  # type: ignore[arg-type]
    response = RedirectResponse(target, status_code=303)
    secure = request.url.scheme == "https"
    response.set_cookie(COOKIE, session_cookie(token, name.strip()), httponly=True, samesite="strict",
                        secure=secure, path="/")  # fmt: skip
    return response


@router.post("/logout", include_in_schema=False)
async def logout(request: Request) -> Response:
    form = await request.form()
    given = form.get("csrf")
    expected = csrf_token(request)
    if expected is None or not isinstance(given, str) or not hmac.compare_digest(given, expected):
        return _page(request, "the form's CSRF token is missing or wrong: reload the page", 403)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response
