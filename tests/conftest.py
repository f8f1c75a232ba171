from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from yesan.store import Store

DATA = Path(__file__).parent / "data"
SMALL_QWGJK = DATA / "qwgjk" / "small.csv"
SMALL_ROWS = 6
SMALL_BUDGET_TOTAL = 120_000_000 + 300_000_000 + 500_000_000 + 900_000_000 + 45_000_000 + 70_000_000
SHARED = Path(__file__).resolve().parents[2] / "shared"

#: Variables of the user's shell that change what yesan or Rich print. The suite drops them before any test (and
#: so before any child process a test starts); tests that need one set it themselves.
USER_TERMINAL = ("COLUMNS", "LINES", "FORCE_COLOR", "TERM_PROGRAM")
#: ``$YESAN_*`` variables that steer the suite itself (how long fuzzing runs, which slow tests run): kept.
TEST_KNOBS = frozenset(
    {
        "YESAN_ATHERIS_RUNS",
        "YESAN_BAD_INPUTS_EXEC",
        "YESAN_BENCH",
        "YESAN_EVAL_DIR",
        "YESAN_FAULTS_FULL",
        "YESAN_FUZZ_EXAMPLES",
        "YESAN_KILL_ROWS",
        "YESAN_KILL_RUNS",
        "YESAN_KILL_SEED",
        "YESAN_LONG_LINE_BYTES",
        "YESAN_PG_BIN",
        "YESAN_RELIABILITY_DIR",
        "YESAN_SECURITY_FULL",
    }
)
_DATA_HOME = pytest.StashKey[str]()


def pytest_configure(config: pytest.Config) -> None:
    """Run the suite in an environment of its own, whatever the user has exported or has running.

    Every other ``$YESAN_*`` (a store, an engine, a layout, an API key, limits) and the terminal size are
    dropped, and the default store path points into a private temporary folder: no test can open, lock or
    write the user's store, nor meet a ``yesan serve`` the user left running on it.
    """
    for name in list(os.environ):
        if (name.startswith("YESAN_") and name not in TEST_KNOBS) or name in USER_TERMINAL:
            del os.environ[name]
    home = tempfile.mkdtemp(prefix="yesan-tests-data-")
    os.environ["XDG_DATA_HOME"] = home
    config.stash[_DATA_HOME] = home


def pytest_unconfigure(config: pytest.Config) -> None:
    home = config.stash.get(_DATA_HOME, None)
    if home:
        shutil.rmtree(home, ignore_errors=True)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "store" / "yesan.duckdb"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    with Store.open(db_path) as opened:
        yield opened


@pytest.fixture
def small_csv(tmp_path: Path) -> Path:
    target = tmp_path / "small.csv"
    shutil.copyfile(SMALL_QWGJK, target)
    return target


def qwgjk_rows() -> list[dict[str, str]]:
    import csv

    with SMALL_QWGJK.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def write_gz(path: Path, text: str) -> Path:
    path.write_bytes(gzip.compress(text.encode("utf-8")))
    return path


def envelope(rows: list[dict[str, str]], total: int, code: str = "INFO-000") -> dict[str, object]:
    return {
        "QWGJK": [
            {"head": [{"list_total_count": total}, {"RESULT": {"CODE": code, "MESSAGE": "정상 처리되었습니다."}}]},
            {"row": rows},
        ]
    }


def dump(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def run_cli(
    *args: str, db: Path | None = None, check: bool = False, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """Run the real ``yesan`` console script in a child process."""
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    env.pop("YESAN_DB", None)
    if db is not None:
        env["YESAN_DB"] = str(db)
    exe = Path(sys.executable).with_name("yesan")
    command = [str(exe)] if exe.exists() else [sys.executable, "-c", "from yesan.cli import main; main()"]
    result = subprocess.run([*command, *args], capture_output=True, text=True, env=env, timeout=timeout, check=False)
    if check and result.returncode != 0:
        raise AssertionError(f"yesan {' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result


def bundled_line_items(db: Path) -> Path:
    """A store with the bundled QWGJK snapshot (id 1) and population only: the demo store without its figures by
    government (lofin365.GJSCS, ids 2–4), for tests that load a second snapshot and expect it to be number 2."""
    from yesan.bundled import POPULATION_SOURCE, REGIONS_FILE, SNAPSHOT_FILE, data_path
    from yesan.ingest.lofin365 import read_qwgjk
    from yesan.ingest.population import read_population

    db.parent.mkdir(parents=True, exist_ok=True)
    with Store.open(db) as opened:
        opened.load([read_qwgjk(data_path(SNAPSHOT_FILE))])
        population = read_population(data_path(REGIONS_FILE), source=POPULATION_SOURCE)
        opened.load_population(
            population.population, population.governments, source_file=REGIONS_FILE, sha256=population.sha256
        )
    return db
