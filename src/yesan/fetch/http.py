"""One page of an OpenAPI over HTTP: retried with backoff on the failures that pass, classified otherwise.

Retried (``retries`` times, waiting ``backoff_s``, 2×, 4× …): timeouts, refused or dropped connections,
HTTP 5xx and 429, HTML error pages (gateways answer with them), truncated or otherwise unreadable JSON and
the portals' own server-error codes. Not retried: a quota stop (337, ``QuotaExhausted``), a bad key and
the other request errors (``FetchError``). The key never appears in a message: every text is redacted.
"""

from __future__ import annotations

import http.client
import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

from yesan.errors import FetchError, QuotaExhausted
from yesan.fetch import apis
from yesan.fetch.keys import redact

USER_AGENT: Final = "yesan-fetch (+https://github.com/yesan; Korean public budgets)"


@dataclass(frozen=True)
class Page:
    """An answered page: its JSON text (as cached) and what its head says."""

    body: bytes
    code: str
    message: str
    total: int | None  # list_total_count; None for an INFO-200 answer without a head
    rows: int

    @property
    def empty(self) -> bool:
        return self.code == apis.NO_DATA


class _Retry(Exception):
    """A failure worth asking again; its text is already redacted."""


def fetch_page(
    url: str,
    *,
    dataset: str,
    key: str,
    timeout_s: float,
    retries: int,
    backoff_s: float,
    sleep: Callable[[float], None] = time.sleep,
    on_request: Callable[[], None] | None = None,
) -> Page:
    """GET ``url`` (which holds the key) and parse it as a page of ``dataset``."""
    shown = redact(url, key)
    problem = ""
    for attempt in range(retries + 1):
        if attempt:
            sleep(backoff_s * 2 ** (attempt - 1))
        if on_request is not None:
            on_request()
        try:
            return parse_page(_get(url, key, timeout_s), dataset, key)
        except _Retry as error:
            problem = str(error)
    raise FetchError(
        f"{shown}: no usable answer after {retries + 1} attempt(s); last: {problem}; nothing was loaded",
    )


def _get(url: str, key: str, timeout_s: float) -> bytes:
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as response:
            body: bytes = response.read()
            return body
    except urllib.error.HTTPError as error:
        if error.code >= 500 or error.code == 429:
            try:
                head = error.read(256).lstrip()
            except OSError:
                head = b""
            page = " with an HTML page instead of JSON (a gateway or maintenance page)" if head[:1] == b"<" else ""
            raise _Retry(f"HTTP {error.code}{page}") from None
        raise FetchError(
            f"{redact(url, key)}: the server refused the request (HTTP {error.code} {redact(str(error.reason), key)}); "
            "nothing was loaded",
        ) from None
    except (TimeoutError, http.client.IncompleteRead, http.client.RemoteDisconnected, ConnectionError) as error:
        raise _Retry(f"{type(error).__name__} (timeout {timeout_s:g} s)") from None
    except urllib.error.URLError as error:
        raise _Retry(f"cannot connect ({redact(str(error.reason), key)})") from None


def parse_page(body: bytes, dataset: str, key: str) -> Page:
    """The page in ``body``, or _Retry / QuotaExhausted / FetchError for an answer that is not one."""
    if key and key.encode() in body:  # some gateways echo the request: the cache must not keep the key
        body = body.replace(key.encode(), b"***")
    text = body.decode("utf-8-sig", errors="replace").strip()
    if text[:1] == "<":
        raise _Retry("an HTML page instead of JSON (a gateway or maintenance page)")
    try:
        document: Any = json.loads(text)
        if isinstance(document, str):  # some answers are JSON text inside a JSON string
            text = document.strip()
            document = json.loads(text)
    except json.JSONDecodeError as error:
        raise _Retry(f"JSON cut off or damaged ({error.msg} at character {error.pos:,} of {len(text):,})") from None
    if not isinstance(document, dict):
        raise _Retry(f"JSON {type(document).__name__} instead of an object")
    code, message, total, rows = _envelope(document, dataset)
    if code in apis.QUOTA:
        raise QuotaExhausted(redact(message, key))
    if code in apis.TRANSIENT:
        raise _Retry(f"the API answered {code} ({redact(message, key)[:100]})")
    if code not in (apis.OK, apis.NO_DATA):
        advice = apis.ADVICE.get(code, "see the portal's list of result codes")
        raise FetchError(
            f"{dataset}: the API answered {code} {redact(message, key)[:160]!r}: {advice}; nothing was loaded"
        )
    if code == apis.OK and total is None:
        raise _Retry("a page without list_total_count in its head")
    return Page(text.encode("utf-8"), code, message, total, rows)


def _envelope(document: dict[str, Any], dataset: str) -> tuple[str, str, int | None, int]:
    if dataset not in document:
        result = document.get("RESULT") or document.get("result")
        if isinstance(result, dict):
            return str(result.get("CODE", "")), str(result.get("MESSAGE", "")), None, 0
        raise _Retry(f"JSON without a {dataset} part or a RESULT")
    parts = document[dataset]
    code, message, total, rows = "", "", None, 0
    for part in parts if isinstance(parts, list) else [parts]:
        if not isinstance(part, dict):
            continue
        heads = part.get("head", [])
        for head in heads if isinstance(heads, list) else [heads]:
            if not isinstance(head, dict):
                continue
            if "list_total_count" in head:
                count = str(head["list_total_count"]).strip()
                if not count.isdigit():
                    raise _Retry(f"list_total_count {count[:20]!r} is not a count")
                total = int(count)
            if isinstance(head.get("RESULT"), dict):
                code = str(head["RESULT"].get("CODE", ""))
                message = str(head["RESULT"].get("MESSAGE", ""))
        if isinstance(part.get("row"), list):
            rows += len(part["row"])
    return code or apis.OK, message, total, rows
