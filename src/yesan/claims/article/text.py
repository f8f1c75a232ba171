"""The body of an article as plain text: HTML pages and fragments, plain text, corpus files with a header.

Claims index into :attr:`Document.text`. For plain text the body is the input minus a leading
``# key: value`` header (the dev corpus's ``# source:``/``# title:``/``# date:`` lines), unchanged
character for character, so ``Document.offset + claim.start`` is the claim's position in the input.
For HTML the text is rebuilt from the page's main content (see :mod:`yesan.claims.article.html`) and
``offset`` is None: positions refer to the extracted text only.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Final

from yesan.claims.article.dates import parse_date
from yesan.errors import DocumentError

__all__ = ["Document", "looks_like_html", "read_document", "to_document"]


@dataclass(frozen=True)
class Document:
    """The text claims are extracted from, and what is known about it."""

    text: str
    offset: int | None = 0  # where ``text`` starts in the input; None when the text was rebuilt from HTML
    title: str | None = None
    published: date | None = None
    html: bool = False
    source: str | None = None
    url: str | None = None  # the article's address: a corpus header's ``# source:``, a page's canonical/og:url


#: Tags that only occur in markup; three of them (or one closing block tag) make a text HTML.
_TAG: Final = re.compile(
    r"<(?:/?(?:p|div|br|span|a|img|html|body|head|section|article|figure|figcaption|table|tr|td|th|h[1-6]|li|ul"
    r"|ol|strong|em|b|i|meta|script|style|main|header|footer|nav)\b[^<>]*|!--|!doctype\b)[^<>]*>",
    re.IGNORECASE,
)
_CLOSING_BLOCK: Final = re.compile(r"</(?:p|div|html|body|table|section|article)\s*>", re.IGNORECASE)
_HEADER_LINE: Final = re.compile(r"# ?[A-Za-z][\w-]*:[^\n]*(?:\n|$)")
_ADDRESS: Final = re.compile(r"https?://[^\s\"'<>]+")
#: ``<link rel="canonical" href=…>`` and ``<meta property="og:url" content=…>``, attributes in either order.
_PAGE_URL: Final = re.compile(
    r"<(?:link\b[^>]*\brel=[\"']canonical[\"'][^>]*\bhref=|meta\b[^>]*\bproperty=[\"']og:url[\"'][^>]*\bcontent=)"
    r"[\"'](https?://[^\"'<>\s]+)",
    re.IGNORECASE,
)


def looks_like_html(raw: str) -> bool:
    """True when ``raw`` is markup (a page or a fragment) rather than plain text."""
    head = raw[:20_000]
    if _CLOSING_BLOCK.search(head):
        return True
    return sum(1 for _ in zip(range(3), _TAG.finditer(head), strict=False)) >= 3


def _header(raw: str) -> tuple[int, dict[str, str]]:
    """Length and fields of the leading ``# key: value`` lines (the corpus header)."""
    pos = 0
    fields: dict[str, str] = {}
    while (match := _HEADER_LINE.match(raw, pos)) is not None:
        line = match.group().strip().lstrip("#").strip()
        key, _, value = line.partition(":")
        fields.setdefault(key.strip().lower(), value.strip())
        pos = match.end()
    return pos, fields


def to_document(raw: str, *, source: str | None = None) -> Document:
    """``raw`` (HTML, a fragment of HTML or plain text) as a :class:`Document`."""
    if looks_like_html(raw):
        from yesan.claims.article.html import html_to_text

        page = html_to_text(raw)
        found = _PAGE_URL.search(raw[:200_000])
        return Document(page.text, None, page.title, page.published, True, source, found.group(1) if found else None)
    offset, fields = _header(raw)
    title = fields.get("title")
    if title and title.startswith("["):
        title = None  # the corpus writes "[headline not in stored excerpt]" when it has none
    address = _ADDRESS.search(fields.get("source", ""))
    return Document(raw[offset:], offset, title, parse_date(fields.get("date")), False, source,
                    address.group() if address else None)  # fmt: skip


def read_document(path: str | Path) -> Document:
    """Read a file (or standard input for ``-``) as a :class:`Document`.

    Bytes that are not UTF-8 are tried as CP949 (EUC-KR), the other encoding Korean pages use.
    """
    name = str(path)
    if name == "-":
        data = sys.stdin.buffer.read()
    else:
        try:
            data = Path(path).read_bytes()
        except OSError as error:
            raise DocumentError(f"{name}: cannot read ({error.strerror}); check the path") from None
    for encoding in ("utf-8-sig", "cp949"):
        try:
            raw = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise DocumentError(f"{name}: neither UTF-8 nor CP949 text; convert it to UTF-8 first")
    # Universal newlines, as Python's text mode reads files (so offsets match ``open(path).read()``).
    raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    return to_document(raw, source=name)
