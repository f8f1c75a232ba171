"""`yesan serve` on the bundled data, checked by a script that recomputes every aggregate without yesan."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from conftest import run_cli

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_every_api_aggregate_equals_an_independent_recomputation(tmp_path: Path) -> None:
    db = tmp_path / "demo.duckdb"
    run_cli("demo", db=db, check=True)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-c", "from yesan.cli import main; main()", "--db", str(db), "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/snapshots", timeout=5).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "yesan serve did not answer within 60 s"
                time.sleep(0.2)
        check = subprocess.run(
            [sys.executable, str(ROOT / "scripts" / "verify_api_aggregates.py"), "--url", f"http://127.0.0.1:{port}"],
            capture_output=True,
            text=True,
            timeout=300,
            env={**os.environ},
        )
        assert check.returncode == 0, check.stdout + check.stderr
        assert "all aggregates agree" in check.stderr
    finally:
        server.terminate()
        server.wait(timeout=30)
