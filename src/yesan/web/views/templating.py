"""Jinja2 templates (autoescaped) with the helpers every page uses: words, money, links that keep the language."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import urlencode

import jinja2
from fastapi import Request

from yesan.web.views import i18n

if TYPE_CHECKING:
    from yesan.web.views.contents import Column, Page

#: Query parameters that belong to one table's view and are dropped when the view changes.
_VIEW_PARAMS: Final = ("sort", "order", "offset")


@functools.cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("yesan.web", "templates"),
        autoescape=True,  # every template is HTML: names and user input always print as text
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["percent"] = i18n.percent
    env.globals["number"] = i18n.number
    env.globals["asset"] = asset_url
    return env


@functools.cache
def asset_url(name: str) -> str:
    """``/static/<name>?v=<digest>``: the digest changes with the file, so it can be cached for a year."""
    from yesan.web.views.assets import load

    return f"/static/{name}?v={load(name).etag.strip(chr(34))[:12]}"


class Links:
    """URLs for one request: keep ``lang=en`` on every internal link, change one parameter of this view."""

    def __init__(self, request: Request, lang: str) -> None:
        from yesan.web.views.contents import html_path

        self.request = request
        self.lang = lang
        self.path = html_path(request.url.path)

    def href(self, path: str, params: Mapping[str, Any] | None = None, **more: Any) -> str:
        merged = {**(params or {}), **more}
        pairs: list[tuple[str, str]] = []
        for key, value in merged.items():
            if value is None or value == "" or key == "lang":
                continue
            if isinstance(value, list | tuple):
                pairs.extend((key, str(v)) for v in value)
            else:
                pairs.append((key, str(value)))
        if self.lang == "en":
            pairs.append(("lang", "en"))
        return f"{path}?{urlencode(pairs)}" if pairs else path

    def here(self, **changes: Any) -> str:
        """This page with some parameters changed (None removes one); a new view starts on its first page."""
        params: dict[str, Any] = {}
        for key, value in self.request.query_params.multi_items():
            if key == "lang" or key in changes or (key in _VIEW_PARAMS and not set(changes) <= set(_VIEW_PARAMS)):
                continue
            params.setdefault(key, []).append(value)
        params.update(changes)
        return self.href(self.path, params)

    def twin(self, suffix: str, **changes: Any) -> str:
        from yesan.web.views.contents import twin_path

        params = [(k, v) for k, v in self.request.query_params.multi_items() if k not in changes]
        params += [(k, str(v)) for k, v in changes.items() if v is not None]
        query = urlencode(params)
        return twin_path(self.path, suffix) + (f"?{query}" if query else "")

    def keep(self) -> dict[str, str]:
        """The scope parameters (government, year, snapshot) that follow the reader from page to page."""
        params = self.request.query_params
        return {k: params[k] for k in ("gov", "year", "snapshot") if params.get(k)}

    def local(self, url: str | None) -> str | None:
        """A URL from the page's data, in this page's language."""
        if not url or self.lang != "en" or not url.startswith("/"):
            return url
        return f"{url}{'&' if '?' in url else '?'}lang=en"

    def other_language(self) -> str:
        params = [(k, v) for k, v in self.request.query_params.multi_items() if k != "lang"]
        if self.lang == "ko":
            params.append(("lang", "en"))
        query = urlencode(params)
        return self.path + (f"?{query}" if query else "")


def cell(lang: str, column: Column, row: Mapping[str, Any], precision: str = "reading") -> str:
    """A table cell's text in ``lang`` (escaped by the template); amounts at the page's ``precision``."""
    value = row.get(column.key)
    kind = column.kind
    if kind == "won":
        return i18n.amount(lang, value, precision)
    if kind == "signed_won":
        return i18n.signed_won(lang, value, precision)
    if kind == "pct":
        return i18n.percent(value)
    if kind == "signed_pct":
        return i18n.percent(value, signed=True)
    if kind == "int":
        return i18n.number(value)
    if kind == "status":
        return i18n.text(lang, f"status.{value}") if value else "—"
    if kind == "match":
        return i18n.text(lang, f"match.{value}") if value else "—"
    return "—" if value is None or value == "" else str(value)


def _context(request: Request, precision: str = "reading") -> dict[str, Any]:
    """What every template sees. ``won``, ``signed_won`` and table cells share the page's one ``precision``, so
    one amount never shows two roundings on a page (see ``i18n.PRECISIONS``)."""
    lang = "en" if request.query_params.get("lang") == "en" else "ko"
    links = Links(request, lang)
    return {
        "lang": lang,
        "t": functools.partial(i18n.text, lang),
        "won": functools.partial(i18n.amount, lang, precision=precision),
        "signed_won": functools.partial(i18n.signed_won, lang, precision=precision),
        "cell": functools.partial(cell, lang, precision=precision),
        "links": links,
        "href": links.href,
        "here": links.here,
        "path": links.path,
    }


def render(request: Request, page: Page) -> str:
    template = environment().get_template(page.template)
    tables = {t.name: t for t in page.tables}
    return template.render(d=page.data, tables=tables, scripts=page.scripts, **_context(request, page.precision))


def render_error(request: Request, status: int, message: str) -> str:
    template = environment().get_template("error.html")
    return template.render(d={"status": status, "message": message}, tables={}, scripts=(), **_context(request))


__all__ = ["Links", "asset_url", "cell", "environment", "render", "render_error"]
