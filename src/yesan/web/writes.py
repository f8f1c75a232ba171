"""Who may write: the server is read-only unless ``yesan serve --write-token-file PATH`` gives it a token.

Writes are saving a check, re-running one, and reviewers' decisions on matches. Each is allowed to

* an API client that sends ``Authorization: Bearer TOKEN`` (and may name itself with ``X-Yesan-Reviewer``,
  percent-encoded UTF-8);
* a browser that signed in at ``/login`` with the token and a name: the session cookie holds the name and an
  HMAC of it under the token (HttpOnly, SameSite=Strict), and every write form carries a CSRF token derived
  from that cookie, checked on submission (a cookie alone never writes).

The token itself is never stored in a cookie or a page. Comparisons are constant-time (``hmac.compare_digest``).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import stat
from pathlib import Path
from typing import Final
from urllib.parse import unquote

from fastapi import Request

from yesan.errors import YesanError
from yesan.web.check_intake import Refused

__all__ = [
    "COOKIE",
    "MIN_TOKEN_CHARS",
    "csrf_token",
    "read_token",
    "require_writer",
    "session_cookie",
    "signed_in",
    "writer",
]

COOKIE: Final = "yesan_session"
MIN_TOKEN_CHARS: Final = 16
READ_ONLY: Final = "this server is read-only: start it with `yesan serve --write-token-file PATH` to save and review"


def read_token(path: Path) -> str:
    """The write token in ``path`` (its first line), refused when missing, short or readable by others."""
    path = Path(path)
    try:
        token = path.read_text(encoding="utf-8").strip().splitlines()[0].strip() if path.stat().st_size else ""
    except OSError as error:
        raise YesanError(f"cannot read the write token file {path}: {error.strerror or error}") from None
    except IndexError:
        token = ""
    if len(token) < MIN_TOKEN_CHARS:
        raise YesanError(
            f"the write token in {path} is too short ({len(token)} characters; at least {MIN_TOKEN_CHARS}): "
            "write a long random one, e.g. `python -c 'import secrets; print(secrets.token_urlsafe(32))' > FILE`"
        )
    mode = path.stat().st_mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise YesanError(f"the write token file {path} can be read by other users: `chmod 600 {path}`")
    return token


def _sign(token: str, purpose: str, value: str) -> str:
    return hmac.new(token.encode(), f"{purpose}\x1f{value}".encode(), hashlib.sha256).hexdigest()


def session_cookie(token: str, name: str) -> str:
    """The cookie value of a signed-in reviewer ``name``."""
    encoded = base64.urlsafe_b64encode(name.encode()).decode().rstrip("=")
    return f"{encoded}.{_sign(token, 'session', name)}"


def _cookie_name(token: str, cookie: str | None) -> str | None:
    if not cookie or "." not in cookie:
        return None
    encoded, signature = cookie.rsplit(".", 1)
    try:
        name = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)).decode()
    except (ValueError, UnicodeDecodeError):
        return None
    return name if hmac.compare_digest(signature, _sign(token, "session", name)) else None


def csrf_token(request: Request) -> str | None:
    """The CSRF token a write form of this signed-in session carries (None when not signed in)."""
    token: str | None = getattr(request.app.state, "write_token", None)
    cookie = request.cookies.get(COOKIE)
    if token is None or _cookie_name(token, cookie) is None:
        return None
    return _sign(token, "csrf", str(cookie))


def writer(request: Request, form_csrf: str | None = None, *, form: bool = False) -> str | None:
    """The reviewer allowed to write with this request, or None. ``form``: a browser form, which must carry
    the session's cookie and its CSRF token; otherwise (the API) a Bearer token."""
    token: str | None = getattr(request.app.state, "write_token", None)
    if token is None:
        return None
    if not form:  # the API: a Bearer token only (a cookie could be sent by another site's request)
        header = request.headers.get("authorization", "")
        if header.lower().startswith("bearer ") and hmac.compare_digest(header[7:].strip(), token):
            # HTTP headers are ASCII: a Korean name comes percent-encoded (UTF-8)
            return unquote(request.headers.get("x-yesan-reviewer") or "api").strip()[:80] or "api"
        return None
    cookie = request.cookies.get(COOKIE)
    name = _cookie_name(token, cookie)
    if name is None:
        return None
    if form:
        expected = _sign(token, "csrf", str(cookie))
        if not form_csrf or not hmac.compare_digest(form_csrf, expected):
            return None
    return name


def require_writer(request: Request, form_csrf: str | None = None, *, form: bool = False) -> str:
    """The reviewer, or a Refused 403 saying why the write is not allowed."""
    if getattr(request.app.state, "write_token", None) is None:
        raise Refused(403, READ_ONLY)
    who = writer(request, form_csrf, form=form)
    if who is None:
        if form and request.cookies.get(COOKIE):
            raise Refused(403, "the form's CSRF token is missing or wrong: reload the page and submit it again")
        raise Refused(403, "writing needs the write token: sign in at /login, or send `Authorization: Bearer TOKEN`")
    return who


def signed_in(request: Request) -> str | None:
    """The signed-in reviewer's name (the cookie checked; each form's CSRF token is checked on submission)."""
    token: str | None = getattr(request.app.state, "write_token", None)
    return _cookie_name(token, request.cookies.get(COOKIE)) if token else None
