"""SIGKILL at random points of `yesan load`: the store opens afterwards, holds the old or the new snapshot (never a
part of one), and the next load succeeds.

Two kinds of load are killed, alternately: a new snapshot next to an old one, and ``--replace`` of a snapshot by
one with other amounts. The kill time is drawn uniformly over the duration of an uninterrupted load of the same
file (measured first), so kills land while reading, validating, writing, committing and checkpointing; every other
pair of runs draws from the last 40 % of the load, where the store is being written.

CI runs a few kills on 30,000 rows; the on-demand run is, for example::

    YESAN_KILL_RUNS=24 YESAN_KILL_ROWS=181076 python -m pytest -q tests/test_faults_kill.py

(``YESAN_KILL_SEED`` changes the kill times; ``YESAN_RELIABILITY_DIR`` receives the figures as JSON.)
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from test_faults_io import NEW, OLD, qwgjk_slice, record, small_store, snapshot_state, yesan

RUNS = int(os.environ.get("YESAN_KILL_RUNS", "2"))
ROWS = int(os.environ.get("YESAN_KILL_ROWS", "30000"))
SEED = int(os.environ.get("YESAN_KILL_SEED", "20260705"))


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("kill")
    new_base = small_store(folder / "new_base.duckdb")
    august = qwgjk_slice(folder / "august.csv", rows=ROWS, exe_ymd="20260801")
    replace_base = folder / "replace_base.duckdb"
    shutil.copyfile(new_base, replace_base)
    loaded = yesan("--db", str(replace_base), "load", str(august))
    assert loaded.returncode == 0, loaded.stderr
    return {
        "new_base": new_base,
        "replace_base": replace_base,
        "august": august,
        "august_changed": qwgjk_slice(folder / "august_changed.csv", rows=ROWS, exe_ymd="20260801", bump=1_000),
    }


def load_command(db: Path, mode: str, files: dict[str, Path]) -> list[str]:
    exe = Path(sys.executable).with_name("yesan")
    command = [str(exe)] if exe.exists() else [sys.executable, "-c", "from yesan.cli import main; main()"]
    if mode == "new":
        return [*command, "--db", str(db), "load", str(files["august"])]
    return [*command, "--db", str(db), "load", str(files["august_changed"]), "--replace"]


def timed_load(db: Path, mode: str, files: dict[str, Path]) -> float:
    started = time.monotonic()
    result = subprocess.run(load_command(db, mode, files), capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return time.monotonic() - started


def test_sigkill_at_random_points_never_leaves_a_partial_snapshot(setup: dict[str, Path], tmp_path: Path) -> None:
    rng = random.Random(SEED)
    modes = ("new", "replace")
    bases = {"new": setup["new_base"], "replace": setup["replace_base"]}
    # What the store holds before and after a whole load, per mode (snapshot digests and totals).
    expected: dict[str, tuple[dict[str, object], dict[str, object]]] = {}
    durations: dict[str, float] = {}
    for mode in modes:
        db = tmp_path / f"reference_{mode}.duckdb"
        shutil.copyfile(bases[mode], db)
        before = snapshot_state(db)
        durations[mode] = timed_load(db, mode, setup)
        expected[mode] = (dict(before), dict(snapshot_state(db)))
    outcomes = {"old": 0, "new": 0, "finished_before_the_kill": 0}
    kills: list[dict[str, object]] = []
    for run in range(RUNS):
        mode = modes[run % 2]
        db = tmp_path / f"run{run}.duckdb"
        shutil.copyfile(bases[mode], db)
        # Every other pair of runs aims at the end of the load (writing, COMMIT, CHECKPOINT), where a kill is riskiest.
        start = 0.05 if (run // 2) % 2 == 0 else 0.6 * durations[mode]
        delay = rng.uniform(start, 1.05 * durations[mode])
        process = subprocess.Popen(load_command(db, mode, setup), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        finished = process.poll() is not None
        if not finished:
            process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        # What a reader sees now: the store opens, and every snapshot is whole (snapshot_state checks its rows).
        state = snapshot_state(db)
        old, new = expected[mode]
        if state == old:
            outcome = "old"
        else:
            assert state == new, f"run {run} ({mode}, killed after {delay:.2f} s): neither the old nor the new store"
            outcome = "new"
        outcomes["finished_before_the_kill" if finished else outcome] += 1
        kills.append({"mode": mode, "after_s": round(delay, 3), "of_s": round(durations[mode], 3), "store": outcome})
        info = yesan("--db", str(db), "info", "--json")
        assert info.returncode == 0, info.stderr
        # The next load succeeds and leaves the new store.
        again = subprocess.run(load_command(db, mode, setup), capture_output=True, text=True, check=False)
        assert again.returncode == 0, again.stderr
        assert snapshot_state(db) == new
        assert json.loads(info.stdout)["totals"]["items"] == sum(s.rows for s in state.values())
        db.unlink()
        db.with_name(db.name + ".wal").unlink(missing_ok=True)
    record("sigkill", {"runs": RUNS, "rows": ROWS, "seed": SEED, "outcomes": outcomes, "kills": kills})
    assert outcomes["old"] + outcomes["new"] + outcomes["finished_before_the_kill"] == RUNS
    assert outcomes["finished_before_the_kill"] < RUNS, "every load ended before its kill: nothing was tested"


def test_the_states_compared_differ_between_old_and_new(setup: dict[str, Path], tmp_path: Path) -> None:
    """The kill test can tell the two apart: a replaced snapshot has the same size but other amounts."""
    db = tmp_path / "replace.duckdb"
    shutil.copyfile(setup["replace_base"], db)
    before = snapshot_state(db)
    timed_load(db, "replace", setup)
    after = snapshot_state(db)
    assert before[NEW].rows == after[NEW].rows == ROWS
    assert after[NEW].budget == before[NEW].budget + 1_000 * ROWS
    assert before[NEW].digest != after[NEW].digest
    assert before[OLD] == after[OLD]
