"""A real HTTP server for tests: ``create_app(db)`` under uvicorn in a background thread, on a free port."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from fastapi import FastAPI

from yesan.web.app import create_app


@contextmanager
def serving(db: Path, *, timeout_s: float = 30, **options: Any) -> Iterator[httpx.Client]:
    """The app over the store at ``db`` (``create_app``'s ``options``), served on loopback until the block ends;
    a client with its base URL."""
    with serving_app(db, timeout_s=timeout_s, **options) as (_, client):
        yield client


@contextmanager
def serving_app(db: Path, *, timeout_s: float = 30, **options: Any) -> Iterator[tuple[FastAPI, httpx.Client]]:
    """``serving``, with the app too (a test may change ``app.state.settings`` while it serves)."""
    app = create_app(db, **options)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.02)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=timeout_s) as client:
            yield app, client
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
