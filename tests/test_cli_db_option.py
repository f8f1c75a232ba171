"""``--db`` typed on the command line beats ``$YESAN_DB``, before or after the command name.

The README tells users to ``export YESAN_DB=…``; a ``--db`` typed afterwards must still name the store that is
read and written, or yesan writes to the wrong store.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SMALL_QWGJK


def _yesan(*args: str, exported: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "YESAN_DB": str(exported), "COLUMNS": "200", "NO_COLOR": "1"}
    exe = Path(sys.executable).with_name("yesan")
    command = [str(exe)] if exe.exists() else [sys.executable, "-c", "from yesan.cli import main; main()"]
    return subprocess.run([*command, *args], capture_output=True, text=True, env=env, timeout=300, check=False)


@pytest.fixture
def exported(tmp_path: Path) -> Path:
    return tmp_path / "exported" / "yesan.duckdb"


@pytest.fixture
def typed(tmp_path: Path) -> Path:
    return tmp_path / "typed" / "yesan.duckdb"


@pytest.mark.parametrize("where", ["before", "after"])
def test_load_writes_the_store_named_by_db_not_the_exported_one(where: str, exported: Path, typed: Path) -> None:
    load = ["load", str(SMALL_QWGJK)]
    args = ["--db", str(typed), *load] if where == "before" else [*load, "--db", str(typed)]
    result = _yesan(*args, exported=exported)
    assert result.returncode == 0, result.stderr
    assert typed.exists()
    assert not exported.exists()


@pytest.mark.parametrize("where", ["before", "after"])
def test_info_reports_the_store_named_by_db(where: str, exported: Path, typed: Path) -> None:
    assert _yesan("load", str(SMALL_QWGJK), exported=typed).returncode == 0  # the typed store has the items
    assert _yesan("load", str(SMALL_QWGJK), exported=exported).returncode == 0
    args = ["--db", str(typed), "info", "--json"] if where == "before" else ["info", "--json", "--db", str(typed)]
    result = _yesan(*args, exported=exported)
    assert result.returncode == 0, result.stderr
    assert Path(json.loads(result.stdout)["db"]) == typed


def test_the_flag_after_the_command_beats_the_one_before(exported: Path, typed: Path, tmp_path: Path) -> None:
    before = tmp_path / "before" / "yesan.duckdb"
    result = _yesan("--db", str(before), "load", str(SMALL_QWGJK), "--db", str(typed), exported=exported)
    assert result.returncode == 0, result.stderr
    assert typed.exists()
    assert not before.exists()
    assert not exported.exists()


def test_without_db_the_exported_store_is_used(exported: Path) -> None:
    result = _yesan("load", str(SMALL_QWGJK), exported=exported)
    assert result.returncode == 0, result.stderr
    assert exported.exists()


def test_query_commands_read_the_store_named_by_db(exported: Path, typed: Path) -> None:
    assert _yesan("load", str(SMALL_QWGJK), exported=typed).returncode == 0
    exported.parent.mkdir(parents=True)  # the exported store does not exist: reading it would fail
    result = _yesan("--db", str(typed), "tree", "--level", "region", "--json", exported=exported)
    assert result.returncode == 0, result.stderr
    assert not exported.exists()


@pytest.mark.slow
def test_demo_builds_the_store_named_by_db(exported: Path, typed: Path) -> None:
    result = _yesan("--db", str(typed), "demo", "--no-serve", exported=exported)
    assert result.returncode == 0, result.stderr
    assert typed.exists()
    assert not exported.exists()
