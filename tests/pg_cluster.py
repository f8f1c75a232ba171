"""A throwaway PostgreSQL server for tests: ``initdb`` + ``pg_ctl`` in a temp dir on a free loopback port.

Not a test module. ``with pg_cluster() as url:`` yields ``postgresql://yesan@127.0.0.1:PORT/yesan``
(trust auth, no password) and stops the server and deletes its files afterwards, even on failure.

Binaries are looked up on ``PATH`` and then under Debian's ``/usr/lib/postgresql/*/bin`` (newest
version first); ``YESAN_PG_BIN`` may name the directory explicitly. Without them the calling test
is skipped with a message saying what to install. PostgreSQL refuses to run as root, so when the
tests run as root the server runs as an unprivileged user (``postgres`` if it exists, else
``nobody``) through ``runuser``, owning the temp dir.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

SKIP_MESSAGE = "no PostgreSQL binaries (initdb/pg_ctl) found: install Debian's postgresql package"
SUPERUSER = "yesan"
DATABASE = "yesan"
_TOOLS = ("initdb", "pg_ctl", "postgres")


def find_bin_dir() -> Path | None:
    """The directory holding initdb, pg_ctl and postgres, or None."""
    candidates: list[Path] = []
    if explicit := os.environ.get("YESAN_PG_BIN"):
        candidates.append(Path(explicit))
    if found := shutil.which("pg_ctl"):
        candidates.append(Path(found).resolve().parent)
        candidates.append(Path(found).parent)

    def version(path: Path) -> tuple[int, ...]:
        return tuple(int(part) for part in re.findall(r"\d+", path.parent.name))

    candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=version, reverse=True)
    for directory in candidates:
        if all(os.access(directory / tool, os.X_OK) for tool in _TOOLS):
            return directory
    return None


def _run_as() -> str | None:
    """The user to run PostgreSQL as: None when not root, else an unprivileged existing user."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            pwd.getpwnam(name)
            return name
    raise RuntimeError("running as root and neither a 'postgres' nor a 'nobody' user exists to run PostgreSQL")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _command(user: str | None, *args: str | Path) -> list[str]:
    command = [str(arg) for arg in args]
    return ["runuser", "-u", user, "--", *command] if user else command


def _check(command: list[str], what: str, log: Path | None = None, timeout: float = 120) -> None:
    result = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    if result.returncode != 0:
        server_log = log.read_text(errors="replace") if log is not None and log.exists() else ""
        raise RuntimeError(
            f"{what} failed ({result.returncode}): {' '.join(command)}\n{result.stdout}\n{result.stderr}\n{server_log}"
        )


def _create_database(port: int, deadline: float) -> None:
    import psycopg

    while True:
        try:
            with psycopg.connect(
                host="127.0.0.1", port=port, user=SUPERUSER, dbname="postgres", autocommit=True, connect_timeout=5
            ) as connection:
                connection.execute(f'CREATE DATABASE "{DATABASE}"')
                return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


@contextlib.contextmanager
def pg_cluster(*, start_timeout: float = 60) -> Iterator[str]:
    """Start a throwaway PostgreSQL cluster and yield its URL; stop and delete it afterwards."""
    bin_dir = find_bin_dir()
    if bin_dir is None:
        pytest.skip(SKIP_MESSAGE)
    user = _run_as()
    base = Path(tempfile.mkdtemp(prefix="yesan-pg-"))
    data, sockets, log = base / "data", base / "sock", base / "server.log"
    started = False
    try:
        sockets.mkdir()
        if user is not None:
            entry = pwd.getpwnam(user)
            for path in (base, sockets):
                os.chown(path, entry.pw_uid, entry.pw_gid)
        _check(
            _command(
                user, bin_dir / "initdb", "-D", data, "-U", SUPERUSER, "--auth=trust", "-E", "UTF8", "--no-locale"
            ),
            "initdb",
        )
        for attempt in range(5):  # the port is free when chosen; retry if someone takes it before the server does
            port = _free_port()
            options = f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -F -c fsync=off"
            command = _command(
                user, bin_dir / "pg_ctl", "-D", data, "-l", log, "-o", options, "-w", "-t", str(int(start_timeout))
            )
            try:
                _check([*command, "start"], "pg_ctl start", log, timeout=start_timeout + 10)
            except RuntimeError:
                if attempt == 4:
                    raise
                continue
            started = True
            break
        _create_database(port, time.monotonic() + start_timeout)
        yield f"postgresql://{SUPERUSER}@127.0.0.1:{port}/{DATABASE}"
    finally:
        if started:
            subprocess.run(
                _command(user, bin_dir / "pg_ctl", "-D", data, "-m", "immediate", "-w", "stop"),
                capture_output=True,
                timeout=60,
                check=False,
            )
        shutil.rmtree(base, ignore_errors=True)


def create_database(url: str, name: str) -> str:
    """Create database ``name`` on the cluster of ``url`` and return a URL for it."""
    import psycopg

    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        raise ValueError(f"not a plain database name: {name!r}")
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return url.rsplit("/", 1)[0] + "/" + name
