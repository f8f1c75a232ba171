"""Settings declared once (``yesan.settings``): `yesan serve --setting NAME=VALUE` and ``$YESAN_<NAME>`` reach the
server's behaviour; an unknown name or a bad value is a clear error and a non-zero exit; `yesan settings` lists
them all."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from claims_fixtures import build_store
from conftest import run_cli
from yesan.settings import SETTINGS, SettingError, Settings

YESAN = [sys.executable, "-c", "from yesan.cli import main; main()"]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("settings")
    return build_store(folder / "s.duckdb", folder)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def _served(*args: str) -> Iterator[httpx.Client]:
    """`yesan serve ARGS` in a child process on a free port, once it answers; a client with its base URL."""
    port = _free_port()
    server = subprocess.Popen([*YESAN, "serve", "--port", str(port), *args], stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)  # fmt: skip
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            deadline = time.monotonic() + 90
            while True:
                assert server.poll() is None, server.stderr.read() if server.stderr else "the server stopped"
                assert time.monotonic() < deadline, "the server did not start"
                try:
                    client.get("/api/snapshots")
                    break
                except httpx.TransportError:
                    time.sleep(0.2)
            yield client
    finally:
        server.terminate()
        server.wait(timeout=60)


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_body_limit_given_on_the_command_line_refuses_a_larger_body(db: Path, workers: str) -> None:
    body = json.dumps({"text": "가나시는 어르신 무료 급식에 42억6000만원을 편성했다."}, ensure_ascii=False).encode()
    assert len(body) == 84
    with _served("--db", str(db), "--workers", workers, "--setting", "max_body_bytes=70") as client:
        refused = client.post("/api/check", content=body, headers={"content-type": "application/json"})
        smaller = client.post("/api/check", json={"text": "42억원"})  # under 70 bytes
    assert refused.status_code == 413
    assert refused.json() == {"ok": False, "error": "the request body has 84 bytes; at most 70 are accepted",
                              "status": 413}  # fmt: skip
    assert smaller.status_code != 413


def test_an_unknown_setting_is_an_error_naming_the_settings(db: Path) -> None:
    result = run_cli("serve", "--db", str(db), "--setting", "max_body=100")
    assert result.returncode == 1
    assert "no setting 'max_body'; the settings are check_time_limit_s, " in result.stderr
    assert "`yesan settings` explains each" in result.stderr


def test_a_value_of_the_wrong_type_is_an_error_saying_what_the_setting_takes(db: Path) -> None:
    result = run_cli("serve", "--db", str(db), "--setting", "check_time_limit_s=soon")
    assert result.returncode == 1
    assert "--setting check_time_limit_s takes a number, e.g. 30.0; got 'soon'" in result.stderr


def test_a_setting_without_a_value_is_an_error(db: Path) -> None:
    result = run_cli("serve", "--db", str(db), "--setting", "max_body_bytes")
    assert result.returncode == 1 and "write NAME=VALUE" in result.stderr


def test_yesan_settings_lists_every_setting_with_its_default_and_help() -> None:
    result = run_cli("settings", "--json", check=True)
    listed = json.loads(result.stdout)["settings"]
    assert [row["name"] for row in listed] == [s.name for s in SETTINGS]
    by_name = {row["name"]: row for row in listed}
    assert by_name["check_time_limit_s"]["default"] == 30.0
    assert by_name["cli_check_time_limit_s"]["default"] == 120.0
    assert "terminal" in by_name["cli_check_time_limit_s"]["help"]  # why the CLI may wait longer
    assert by_name["max_body_bytes"]["environment"] == "YESAN_MAX_BODY_BYTES"


def test_the_environment_sets_a_setting_and_the_listing_says_so(tmp_path: Path) -> None:
    import os

    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1", "YESAN_CHECK_TIME_LIMIT_S": "12.5"}
    result = subprocess.run([*YESAN, "settings"], capture_output=True, text=True, env=env, check=True)
    assert "check_time_limit_s = 12.5 (default 30.0, from $YESAN_CHECK_TIME_LIMIT_S)" in result.stdout


def test_settings_are_parsed_and_bounded() -> None:
    settings = Settings().given([("max_body_bytes", "2048"), ("check-time-limit-s", "5")])
    assert settings.max_body_bytes == 2048 and settings.check_time_limit_s == 5.0
    assert settings.changed() == {"check_time_limit_s": 5.0, "max_body_bytes": 2048}
    assert Settings.from_environment(settings.environment()) == settings
    with pytest.raises(SettingError, match="must be at least 1"):
        Settings().given([("connections", "0")])
    with pytest.raises(SettingError, match="takes an integer"):
        Settings().given([("max_body_bytes", "1.5")])
    with pytest.raises(SettingError, match="such as 512MB"):
        Settings().given([("duckdb_memory_limit", "lots")])
    with pytest.raises(SettingError, match=r"\$YESAN_CONNECTIONS takes an integer"):
        Settings.from_environment({"YESAN_CONNECTIONS": "two"})


def test_the_memory_limit_setting_reaches_the_servers_store(db: Path) -> None:
    from yesan.web.app import create_app

    app = create_app(db, warm_up=False, settings=Settings(duckdb_memory_limit="300MB"))
    try:
        [(limit,)] = app.state.backends.base.con.execute("SELECT current_setting('memory_limit')").fetchall()
    finally:
        app.state.backends.close()
    number, unit = str(limit).split()
    assert float(number) * {"KiB": 2**10, "MiB": 2**20, "GiB": 2**30}[unit] <= 300 * 10**6
    assert app.state.checkers.memory_limit == "300MB"  # the check workers open the store with it too
