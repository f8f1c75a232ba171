"""`yesan serve --workers 2`: two processes answer on one port, each with its own socket, and stop together."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from conftest import run_cli

pytestmark = pytest.mark.slow

YESAN = [sys.executable, "-c", "from yesan.cli import main; main()"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def listeners(port: int) -> set[int]:
    """PIDs of processes with a socket listening on ``port`` (from /proc: inode → owner)."""
    inodes = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if fields[3] == "0A" and int(fields[1].split(":")[1], 16) == port:  # 0A: LISTEN
            inodes.add(fields[9])
    owners = set()
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            for fd in os.listdir(f"/proc/{pid}/fd"):
                if os.readlink(f"/proc/{pid}/fd/{fd}").removeprefix("socket:[").removesuffix("]") in inodes:
                    owners.add(int(pid))
        except OSError:
            continue
    return owners


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def two_workers(tmp_path: Path) -> tuple[Path, int, subprocess.Popen[str]]:
    """`yesan serve --workers 2` over a demo store, once both workers listen: the store, port and supervisor."""
    db = tmp_path / "store.duckdb"
    run_cli("demo", db=db, check=True)
    port = free_port()
    server = subprocess.Popen(
        [*YESAN, "serve", "--db", str(db), "--port", str(port), "--workers", "2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    while len(listeners(port)) < 2:
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            raise AssertionError(f"two workers did not start listening: {server.communicate()[1]}")
        time.sleep(0.3)
    return db, port, server


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_two_workers_share_a_port_and_stop_together(tmp_path: Path) -> None:
    db, port, server = two_workers(tmp_path)
    try:
        workers = listeners(port)
        assert server.pid not in workers  # the supervisor itself never accepts
        for _ in range(20):  # new connections each time: the kernel spreads them over both sockets
            answer = httpx.get(f"http://127.0.0.1:{port}/api/drilldown?level=field", timeout=60)
            assert answer.status_code == 200 and answer.json()["ok"]
        busy = subprocess.run(
            [*YESAN, "serve", "--db", str(db), "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert busy.returncode != 0  # a plain second server cannot take the port from the workers
    finally:
        server.send_signal(signal.SIGINT)  # Ctrl-C
        server.wait(timeout=90)
    assert server.returncode == 0
    for pid in workers:
        assert not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text()
    assert listeners(port) == set()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_workers_die_with_a_killed_supervisor(tmp_path: Path) -> None:
    _, port, server = two_workers(tmp_path)
    server.kill()
    server.wait()
    deadline = time.monotonic() + 60
    while listeners(port) and time.monotonic() < deadline:
        time.sleep(0.3)
    assert listeners(port) == set()  # no orphaned worker keeps serving (or holding the store)


def test_a_server_gives_duckdb_less_memory_than_a_command_does(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from yesan.query.pool import Backends

    db = tmp_path / "store.duckdb"
    run_cli("demo", db=db, check=True)

    def limit_bytes() -> float:
        backends = Backends(db, 1)
        try:
            text = str(backends.base.con.execute("SELECT current_setting('memory_limit')").fetchone()[0])
        finally:
            backends.close()
        number, unit = text.split()
        return float(number) * {"KiB": 2**10, "MiB": 2**20, "GiB": 2**30}[unit]

    monkeypatch.delenv("YESAN_DUCKDB_MEMORY_LIMIT", raising=False)
    assert 400 * 2**20 < limit_bytes() <= 512 * 10**6  # SERVE_MEMORY_LIMIT, 512MB
    monkeypatch.setenv("YESAN_DUCKDB_MEMORY_LIMIT", "300MB")
    assert limit_bytes() <= 300 * 10**6


def test_a_server_allocates_arrow_memory_with_the_system_malloc(monkeypatch: pytest.MonkeyPatch) -> None:
    import pyarrow as pa

    from yesan.web.workers import server_memory

    before = pa.default_memory_pool()
    monkeypatch.delenv("ARROW_DEFAULT_MEMORY_POOL", raising=False)
    monkeypatch.setenv("MALLOC_ARENA_MAX", "4")  # the user's own cap: left alone
    try:
        server_memory()
        assert pa.default_memory_pool().backend_name == "system"
    finally:
        pa.set_memory_pool(before)
