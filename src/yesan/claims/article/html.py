"""The main text of a news page or an HTML fragment, found without knowing the site.

What is kept: the headline, the paragraphs of the densest block of text, photo captions
(``figcaption``) and tables (one line per row, cells separated by a tab). What is dropped: scripts,
styles, hidden elements, navigation, headers and footers, forms, comments, "related articles" and
share/advert widgets (by tag and by the words in ``class``/``id``), and link lists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Final

from selectolax.lexbor import LexborHTMLParser, LexborNode

from yesan.claims.article.dates import parse_date
from yesan.claims.article.morph import words

__all__ = ["Page", "html_to_text"]


@dataclass(frozen=True)
class Page:
    text: str
    title: str | None
    published: date | None


_DROP_TAGS: Final = words(
    "script style noscript template iframe svg canvas form button select input textarea nav aside "
    "footer header object embed video audio map link meta img picture source"
)
#: Words in class/id that mark page furniture rather than the article.
_FURNITURE: Final = words(
    "comment comments cmt reply replies related relate relation recommend recommended recom popular "
    "ranking rank share sharing sns social nav navi navigation gnb lnb snb menu breadcrumb "
    "breadcrumbs footer copyright banner ad ads advert advertisement adsense sponsor sponsored promo "
    "popup modal login subscribe newsletter tag tags keyword keywords pagination paging widget "
    "sidebar toolbar util utility print fontsize hidden blind sr skip"
)
_BLOCK: Final = words(
    "p div section article main h1 h2 h3 h4 h5 h6 li ul ol dl dt dd blockquote figure figcaption "
    "table thead tbody tfoot tr caption pre address hr center"
)
_CELL: Final = frozenset({"td", "th"})
_WORDS: Final = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")
_HIDDEN_STYLE: Final = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_SPACES: Final = re.compile(r"[ \t\r\n\f\v\u00a0\u200b\u3000]+")
_CELL_MARK: Final = "\x1f"
#: A line that is only a copyright or redistribution notice.
_NOTICE: Final = re.compile(r"^\s*(?:copyright|ⓒ|©|\(c\))|무단\s*전재|재배포\s*금지|all rights reserved", re.IGNORECASE)
#: Where page metadata starts in a run-together title line ("… 육성 작성일 10-30 47 목록").
_META_WORDS: Final = re.compile(r"\s(?:작성일|입력|수정|기사입력|최종수정|등록|승인|발행|송고)\s*[:：]?\s*\d")
_SITE_SUFFIX: Final = re.compile(r"\s+[-|｜:]\s+[^-|｜:]{1,20}$")
_DATE_META: Final = (
    'meta[property="article:published_time"]',
    'meta[name="article:published_time"]',
    'meta[itemprop="datePublished"]',
    'meta[name="pubdate"]',
    'meta[name="date"]',
)


def _is_furniture(node: LexborNode) -> bool:
    attrs = node.attributes
    if "hidden" in attrs or (attrs.get("aria-hidden") or "").lower() == "true":
        return True
    style = attrs.get("style")
    if style and _HIDDEN_STYLE.search(style):
        return True
    names = f"{attrs.get('class') or ''} {attrs.get('id') or ''}"
    if not names.strip():
        return False
    return any(word.lower() in _FURNITURE for word in _WORDS.findall(names))


def _clean(root: LexborNode, total: int) -> None:
    """Remove furniture below ``root``; a "furniture" wrapper holding most of the text is kept."""
    doomed: list[LexborNode] = []
    for node in root.traverse(include_text=False):
        tag = node.tag
        furniture = tag not in ("html", "body") and _is_furniture(node)
        if tag in _DROP_TAGS or tag == "-comment" or (furniture and len(node.text(deep=True, strip=True)) < total // 2):
            doomed.append(node)
    # Children before their ancestors, so no node is touched after an ancestor freed it.
    for node in reversed(doomed):
        node.decompose(recursive=True)


def _link_text(node: LexborNode) -> int:
    return sum(len(a.text(deep=True, strip=True)) for a in node.css("a"))


def _main_block(body: LexborNode) -> LexborNode:
    """The element whose paragraphs hold the most text (readability-style scoring)."""
    scores: dict[int, float] = {}
    nodes: dict[int, LexborNode] = {}
    for node in body.traverse(include_text=False):
        if node.tag not in ("p", "div", "section", "article", "td", "font", "span", "figcaption", "li", "pre"):
            continue
        if node.tag in ("div", "section", "article", "td", "li"):
            own = "".join(child.text_content or "" for child in node.iter(include_text=True) if child.is_text_node)
        else:
            own = node.text(deep=True)
        length = len(own.strip())
        if length < 25:
            continue
        links = _link_text(node) if node.tag in ("p", "li") else 0
        score = (1 + own.count(",") + min(length / 100, 3)) * (1 - min(links / max(length, 1), 1))
        if node.tag == "li":
            score *= 0.3
        parent = node.parent if node.tag in ("p", "span", "font", "figcaption", "pre") else node
        for weight, target in ((1.0, parent), (0.5, parent.parent if parent is not None else None)):
            if target is None:
                continue
            key = target.mem_id
            nodes[key] = target
            bonus = (
                1.3 if target.tag in ("article", "main") or target.attributes.get("itemprop") == "articleBody" else 1
            )
            scores[key] = scores.get(key, 0.0) + score * weight * bonus
    if not scores:
        return body
    best = max(scores, key=lambda key: scores[key])
    return nodes[best]


def _render(root: LexborNode, lines: list[str], line: list[str]) -> None:
    """Text of ``root`` as lines: blocks and ``<br>`` break lines, table cells are tab-separated.

    Iterative (an explicit stack), so pages nested thousands of levels deep are read like any other.
    """
    # Each entry: a node to enter, or None meaning "a block ends here: break the line".
    stack: list[LexborNode | None] = list(reversed(list(root.iter(include_text=True))))
    while stack:
        node = stack.pop()
        if node is None:
            _flush(lines, line)
            continue
        tag = node.tag
        if node.is_text_node:
            line.append(node.text_content or "")
            continue
        if tag == "br":
            _flush(lines, line)
            continue
        if tag in _CELL and line and "".join(line).strip():
            line.append(_CELL_MARK)
        elif tag in _BLOCK:
            _flush(lines, line)
            stack.append(None)
        stack.extend(reversed(list(node.iter(include_text=True))))


def _flush(lines: list[str], line: list[str]) -> None:
    text = _SPACES.sub(" ", "".join(line)).strip()
    line.clear()
    if _CELL_MARK in text:
        text = "\t".join(cell.strip() for cell in text.split(_CELL_MARK))
    if text:
        lines.append(text)


def _title(tree: LexborHTMLParser) -> str | None:
    for selector, attribute in (('meta[property="og:title"]', "content"), ("title", None), ("h1", None)):
        node = tree.css_first(selector)
        if node is None:
            continue
        value = node.attributes.get(attribute) if attribute else node.text(deep=True)
        value = _SPACES.sub(" ", value or "").strip()
        if value:
            stripped = _SITE_SUFFIX.sub("", value)
            return stripped if len(stripped) >= 8 else value
    return None


def _leading_text(body: LexborNode) -> str | None:
    """Loose text before the first element of a fragment (often its headline plus page metadata)."""
    parts: list[str] = []
    for child in body.iter(include_text=True):
        if not child.is_text_node:
            break
        parts.append(child.text_content or "")
    text = _SPACES.sub(" ", "".join(parts)).strip()
    if not text:
        return None
    meta = _META_WORDS.search(text)
    if meta is not None:
        text = text[: meta.start()].strip()
    return text if 8 <= len(text) <= 200 else None


def _published(tree: LexborHTMLParser) -> date | None:
    for selector in _DATE_META:
        node = tree.css_first(selector)
        if node is not None and (found := parse_date(node.attributes.get("content"))):
            return found
    node = tree.css_first("time[datetime]")
    return parse_date(node.attributes.get("datetime")) if node is not None else None


def html_to_text(html: str) -> Page:
    """The headline and main text of ``html`` as lines of plain text (see the module docstring)."""
    tree = LexborHTMLParser(html)
    for node in tree.css("script, style, noscript, template"):
        node.decompose(recursive=True)  # before the headline is read: "<h1><script>…</script></h1>"
    title = _title(tree)
    published = _published(tree)
    body = tree.body
    if body is None:
        return Page(title or "", title, published)
    if title is None:
        title = _leading_text(body)
    total = len(body.text(deep=True, strip=True))
    _clean(body, total)
    main = _main_block(body)
    lines: list[str] = []
    line: list[str] = []
    _render(main, lines, line)
    _flush(lines, line)
    lines = [text for text in lines if not (_NOTICE.search(text) and len(text) < 160)]
    if title and not any(title in text for text in lines[:3]):
        lines.insert(0, title)
    return Page("\n".join(lines), title, published)
