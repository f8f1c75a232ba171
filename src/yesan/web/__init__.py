"""The HTTP API over a yesan store (FastAPI). The core never imports this package; this package imports the core."""

from __future__ import annotations

from yesan.web.app import create_app, serve

__all__ = ["create_app", "serve"]
