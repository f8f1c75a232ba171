"""Static files: the app's CSS and scripts, and plotly.js from the installed ``plotly`` package (no CDN).

Pages link assets as ``/static/<name>?v=<digest>``, so a versioned request is cached for a year
(``immutable``); text assets are sent gzip-compressed when the browser accepts it (plotly.js: 4.8 MB →
about 1.4 MB), compressed once per process.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import importlib.util
import threading
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Final

from fastapi import APIRouter, Request
from fastapi.responses import Response

from yesan.web.responses import NotFoundError

router = APIRouter()

PLOTLY: Final = "vendor/plotly.min.js"
LONG_CACHE: Final = "public, max-age=31536000, immutable"
SHORT_CACHE: Final = "public, max-age=300"
_TYPES: Final = {
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
}
_COMPRESS: Final = (".css", ".js", ".svg")


def plotly_path() -> Path:
    """plotly.min.js as shipped inside the installed ``plotly`` Python package."""
    spec = importlib.util.find_spec("plotly")
    if spec is None or not spec.submodule_search_locations:
        raise NotFoundError("plotly is not installed; `pip install plotly` (a yesan dependency) to draw charts")
    return Path(next(iter(spec.submodule_search_locations))) / "package_data" / "plotly.min.js"


@dataclass(frozen=True)
class Asset:
    body: bytes
    media_type: str
    etag: str
    gzipped: bytes | None


_assets: dict[str, Asset] = {}
_lock = threading.Lock()


@functools.cache
def names() -> frozenset[str]:
    """Every file under ``static/`` (relative names), found once: nothing else can be asked for."""
    root = resources.files("yesan.web") / "static"
    found: set[str] = set()

    def walk(folder: object, prefix: str) -> None:
        for entry in folder.iterdir():  # type: ignore[attr-defined]
            if entry.is_dir():
                walk(entry, f"{prefix}{entry.name}/")
            elif not entry.name.startswith("."):
                found.add(f"{prefix}{entry.name}")

    walk(root, "")
    return frozenset(found | {PLOTLY})


def load(name: str) -> Asset:
    """The asset ``name`` (read and compressed on first use), or NotFoundError."""
    if name not in names():
        raise NotFoundError(f"no static file {name!r}")
    with _lock:
        if name in _assets:
            return _assets[name]
    if name == PLOTLY:
        body = plotly_path().read_bytes()
    else:
        body = (resources.files("yesan.web") / "static" / name).read_bytes()
    suffix = Path(name).suffix
    gzipped = gzip.compress(body, compresslevel=6, mtime=0) if suffix in _COMPRESS else None
    asset = Asset(
        body, _TYPES.get(suffix, "application/octet-stream"), f'"{hashlib.sha256(body).hexdigest()[:32]}"', gzipped
    )
    with _lock:
        _assets[name] = asset
    return asset


@router.api_route("/static/{name:path}", methods=["GET", "HEAD"], include_in_schema=False)
def static(request: Request, name: str) -> Response:
    asset = load(name)
    headers = {
        "ETag": asset.etag,
        "Cache-Control": LONG_CACHE if request.query_params.get("v") else SHORT_CACHE,
        "Vary": "Accept-Encoding",
    }
    if request.headers.get("if-none-match") == asset.etag:
        return Response(status_code=304, headers=headers)
    if asset.gzipped is not None and "gzip" in request.headers.get("accept-encoding", ""):
        headers["Content-Encoding"] = "gzip"
        return Response(asset.gzipped, media_type=asset.media_type, headers=headers)
    return Response(asset.body, media_type=asset.media_type, headers=headers)


__all__ = ["LONG_CACHE", "PLOTLY", "load", "names", "plotly_path", "router"]
