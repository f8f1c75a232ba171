"""The page cache: every page kept on disk with its request (key redacted) and sha256, so runs are incremental.

One directory per *series* (one dataset, one set of request parameters, every page of it)::

    <cache>/<source>.<dataset>/<parameters>-<hash>/
        request.json              the request without the key and page number
        page-00001.json           the page as received (JSON text)
        page-00001.meta.json      {"request": …, "sha256": …, "bytes": …, "total": …, "rows": …, "code": …}
        state.json                the checkpoint: complete, or stopped (why, and when to resume)
        snapshot.json             all pages of a complete series, in order: what is loaded

A page whose file no longer matches its recorded sha256 counts as missing and is fetched again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
from pathlib import Path
from typing import Any

from yesan.fetch.http import Page


def default_cache_dir() -> Path:
    """``$YESAN_FETCH_CACHE``, else ``$XDG_CACHE_HOME/yesan/fetch`` (``~/.cache`` by default)."""
    configured = os.environ.get("YESAN_FETCH_CACHE")
    if configured:
        return Path(configured).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "yesan" / "fetch"


class SeriesCache:
    """The cached pages of one series."""

    def __init__(self, root: Path, dataset: str, slug: str, request: str) -> None:
        digest = hashlib.sha256(request.encode()).hexdigest()[:12]
        self.request = request
        self.dir = root / dataset / f"{slug}-{digest}"

    def _page_paths(self, index: int) -> tuple[Path, Path]:
        return self.dir / f"page-{index:05d}.json", self.dir / f"page-{index:05d}.meta.json"

    def read(self, index: int) -> Page | None:
        body_path, meta_path = self._page_paths(index)
        try:
            body = body_path.read_bytes()
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(meta, dict) or meta.get("sha256") != hashlib.sha256(body).hexdigest():
            return None  # damaged or edited: fetch it again
        total = meta.get("total")
        return Page(body, str(meta.get("code")), str(meta.get("message", "")), total, int(meta.get("rows", 0)))

    def write(self, index: int, page: Page, request: str) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        (self.dir / "request.json").write_text(
            json.dumps({"request": self.request}, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        body_path, meta_path = self._page_paths(index)
        meta = {
            "request": request,
            "sha256": hashlib.sha256(page.body).hexdigest(),
            "bytes": len(page.body),
            "total": page.total,
            "rows": page.rows,
            "code": page.code,
            "message": page.message,
        }
        _write_atomic(body_path, page.body)
        _write_atomic(meta_path, (json.dumps(meta, ensure_ascii=False, indent=1) + "\n").encode())

    def clear(self) -> None:
        """Forget every page (the source changed while it was being fetched)."""
        with contextlib.suppress(FileNotFoundError):
            shutil.rmtree(self.dir)

    def save_state(self, state: dict[str, Any]) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        _write_atomic(self.dir / "state.json", (json.dumps(state, ensure_ascii=False, indent=1) + "\n").encode())

    def write_snapshot(self, pages: list[Page]) -> Path:
        """All pages as one JSON array of pages, the form ``yesan load`` reads."""
        path = self.dir / "snapshot.json"
        _write_atomic(path, b"[\n" + b",\n".join(page.body for page in pages) + b"\n]\n")
        return path


def _write_atomic(path: Path, data: bytes) -> None:
    partial = path.with_name(path.name + ".partial")
    partial.write_bytes(data)
    os.replace(partial, path)
