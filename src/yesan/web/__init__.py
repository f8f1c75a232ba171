"""The web app over a yesan store (FastAPI): the JSON API (``api``, ``reports``), the explorer's pages (``views``)
and the article check (``check_api``, run in ``checkers``). The core never imports this package."""

from __future__ import annotations

from yesan.web.app import create_app, serve

__all__ = ["create_app", "serve"]
