"""Faults around a load, injected for real: a full disk (a small tmpfs when we may mount, and a file-size limit
everywhere), a read-only store, and two writers at once. After each: a clear error, and a store that holds the
old snapshots or the old plus the whole new one, never a part of it; the next load succeeds.

The helpers here (slices of the bundled snapshot as QWGJK CSV, and ``snapshot_state``, which checks every
snapshot's rows against its recorded count and digest) are shared with ``test_faults_kill.py``.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from conftest import SMALL_QWGJK
from yesan.bundled import SNAPSHOT_FILE, data_path
from yesan.ingest.lofin365 import FIELDS
from yesan.store import Store
from yesan.store.connection import records

# --- inputs ------------------------------------------------------------------------------------------------


def qwgjk_slice(target: Path, *, rows: int, exe_ymd: str, offset: int = 0, bump: int = 0) -> Path:
    """``rows`` rows of the bundled snapshot as a QWGJK CSV dated ``exe_ymd`` (``bump`` added to every 예산현액)."""
    table = pq.read_table(data_path(SNAPSHOT_FILE)).select(list(FIELDS)).slice(offset, rows)
    if bump:
        budget = pc.add(table.column("bdg_cash_amt"), bump)
        table = table.set_column(FIELDS.index("bdg_cash_amt"), "bdg_cash_amt", budget)
    table = table.cast(pa.schema([pa.field(name, pa.string()) for name in FIELDS]))
    table = table.set_column(FIELDS.index("exe_ymd"), "exe_ymd", pa.array([exe_ymd] * table.num_rows))
    pacsv.write_csv(table, target)
    return target


def small_store(target: Path) -> Path:
    """A store holding tests/data/qwgjk/small.csv (6 rows, snapshot 2026-07-05)."""
    with Store.open(target) as store:
        from yesan.ingest.lofin365 import read_qwgjk

        store.load([read_qwgjk(SMALL_QWGJK)])
    return target


# --- what a store holds --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Snap:
    rows: int
    budget: int
    digest: str


def snapshot_state(db: Path) -> dict[str, Snap]:
    """Every snapshot by ``YYYY-MM-DD`` with its rows, budget and digest, each checked against the items it has.

    A snapshot whose recorded count, digest or total differs from its items would be a partly written load.
    """
    with Store.open(db, read_only=True) as store:
        state: dict[str, Snap] = {}
        for snap in store.snapshots():
            snapshot_id = int(snap["snapshot_id"])
            meta = store.snapshot_meta(snapshot_id)
            actual = store._digest("(SELECT * FROM items WHERE snapshot_id = ?)", [snapshot_id])
            rows = records(
                store.con,
                "SELECT count(*) AS n, coalesce(sum(budget), 0) AS budget FROM items WHERE snapshot_id = ?",
                [snapshot_id],
            )[0]
            assert actual == meta["digest"], f"snapshot {snapshot_id}: items do not match the recorded digest"
            assert rows["n"] == meta["row_count"], (
                f"snapshot {snapshot_id}: {rows['n']} rows, {meta['row_count']} recorded"
            )
            assert int(rows["budget"]) == int(meta["budget_total"]), f"snapshot {snapshot_id}: total differs"
            orphans = records(
                store.con,
                "SELECT count(*) AS n FROM items WHERE snapshot_id NOT IN (SELECT snapshot_id FROM snapshots) "
                "OR source_id NOT IN (SELECT source_id FROM sources)",
            )[0]["n"]
            assert orphans == 0, "items without their snapshot or source"
            state[str(meta["exe_ymd"])] = Snap(int(meta["row_count"]), int(meta["budget_total"]), str(meta["digest"]))
    return state


# --- running yesan -------------------------------------------------------------------------------------------


def yesan(
    *args: str, cwd: Path | None = None, limit_file_bytes: int | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """The ``yesan`` console script in a child process (optionally under RLIMIT_FSIZE)."""
    exe = Path(sys.executable).with_name("yesan")
    command = [str(exe)] if exe.exists() else [sys.executable, "-c", "from yesan.cli import main; main()"]
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    env.pop("YESAN_DB", None)

    def limit() -> None:
        if limit_file_bytes is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit_file_bytes, limit_file_bytes))

    return subprocess.run(
        [*command, *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        preexec_fn=limit if limit_file_bytes is not None else None,
    )


def record(name: str, figures: dict[str, Any]) -> None:
    """Figures for RELIABILITY.md, written to ``$YESAN_RELIABILITY_DIR/<name>.json`` when that is set."""
    folder = os.environ.get("YESAN_RELIABILITY_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        (Path(folder) / f"{name}.json").write_text(json.dumps(figures, ensure_ascii=False, indent=1), encoding="utf-8")


def can_mount() -> bool:
    return os.geteuid() == 0 and shutil.which("mount") is not None


@contextmanager
def tmpfs(folder: Path, size_kb: int) -> Iterator[Path]:
    """A tmpfs of ``size_kb`` at ``folder`` (root only): a real disk that fills up."""
    folder.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size_kb}k,mode=0755", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def remount(folder: Path, options: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{options}", str(folder)], check=True)


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("fault_inputs")
    base = small_store(folder / "base.duckdb")
    return {
        "base": base,
        "august": qwgjk_slice(folder / "august.csv", rows=30_000, exe_ymd="20260801"),
        "september": qwgjk_slice(folder / "september.csv", rows=30_000, exe_ymd="20260901", offset=30_000),
    }


OLD = "2026-07-05"
NEW = "2026-08-01"


def check_old_or_new(db: Path, result: subprocess.CompletedProcess[str]) -> str:
    """After a failed load of ``august``: the old store, or the old plus the whole new snapshot. Returns which."""
    output = result.stdout + result.stderr
    assert "Traceback" not in output and "internal error" not in output, output
    state = snapshot_state(db)
    assert state[OLD].rows == 6
    if NEW not in state:
        assert set(state) == {OLD}
        assert result.returncode == 1 and "nothing was written" in result.stderr, output
        return "old"
    assert state[NEW].rows == 30_000
    if result.returncode != 0:
        assert "complete and safe in the store's write-ahead log" in result.stderr, output
    return "new"


# --- a full disk ---------------------------------------------------------------------------------------------

#: tmpfs sizes (KB) that fail a 30,000-row load at different points: the WAL at COMMIT (up to ~11 MB), the store
#: file at CHECKPOINT (~12–15 MB). CI tries one of each; ``YESAN_FAULTS_FULL=1`` tries every size (about 1 minute).
ALL_DISK_SIZES_KB = tuple(range(2_800, 16_001, 1_200))
DISK_SIZES_KB = ALL_DISK_SIZES_KB if os.environ.get("YESAN_FAULTS_FULL") == "1" else (4_000, 12_400)
ALL_FILE_LIMITS_MB = (2.7, 3, 4, 5, 6, 7, 8)  # the WAL of the load is ~8.5 MB: each one fails it
FILE_LIMITS_MB = ALL_FILE_LIMITS_MB if os.environ.get("YESAN_FAULTS_FULL") == "1" else (4,)


@pytest.mark.skipif(not can_mount(), reason="mounting a small tmpfs needs root; the file-size-limit test covers this")
def test_a_full_disk_leaves_the_old_store_or_the_whole_new_snapshot(inputs: dict[str, Path], tmp_path: Path) -> None:
    outcomes: dict[str, int] = {"old": 0, "new": 0}
    for size in DISK_SIZES_KB:
        with tmpfs(tmp_path / f"disk{size}", size) as disk:
            db = disk / "yesan.duckdb"
            shutil.copyfile(inputs["base"], db)
            failed = yesan("--db", str(db), "load", str(inputs["august"]))
            if failed.returncode == 0:
                outcomes["new"] += 1  # enough room: nothing to check but the result
                assert snapshot_state(db)[NEW].rows == 30_000
                continue
            assert failed.stderr.startswith("error: "), failed.stderr
            assert "No space left on device" in failed.stderr and "free some space" in failed.stderr
            outcomes[check_old_or_new(db, failed)] += 1
            remount(disk, "size=64m")
            again = yesan("--db", str(db), "load", str(inputs["august"]), "--json")
            assert again.returncode == 0, again.stderr
            assert snapshot_state(db)[NEW].rows == 30_000
    record("disk_full", {"sizes_kb": list(DISK_SIZES_KB), "outcomes": outcomes})
    assert outcomes["old"] >= 1, outcomes  # at least one size failed before anything was committed


@pytest.mark.parametrize("limit_mb", FILE_LIMITS_MB)
def test_a_file_size_limit_fails_the_load_cleanly(inputs: dict[str, Path], tmp_path: Path, limit_mb: float) -> None:
    db = tmp_path / "yesan.duckdb"
    shutil.copyfile(inputs["base"], db)
    failed = yesan("--db", str(db), "load", str(inputs["august"]), limit_file_bytes=int(limit_mb * 1_000_000))
    assert failed.returncode == 1, failed.stderr
    assert "File too large" in failed.stderr and "ulimit -f" in failed.stderr
    assert check_old_or_new(db, failed) == "old"
    again = yesan("--db", str(db), "load", str(inputs["august"]))
    assert again.returncode == 0, again.stderr
    assert snapshot_state(db)[NEW].rows == 30_000


@pytest.mark.skipif(not can_mount(), reason="needs root to mount a small tmpfs")
def test_an_export_to_a_full_disk_leaves_no_partial_file(inputs: dict[str, Path], tmp_path: Path) -> None:
    db = tmp_path / "yesan.duckdb"
    shutil.copyfile(inputs["base"], db)
    assert yesan("--db", str(db), "load", str(inputs["august"])).returncode == 0
    with tmpfs(tmp_path / "small", 256) as disk:
        result = yesan("--db", str(db), "export", str(disk / "items.csv"))
        assert result.returncode == 1, result.stderr
        assert result.stderr.startswith("error: cannot write") and "No space left" in result.stderr, result.stderr
        assert "Traceback" not in result.stderr
        assert list(disk.iterdir()) == []


# --- a read-only store ---------------------------------------------------------------------------------------


@contextmanager
def read_only_store(inputs: dict[str, Path], tmp_path: Path) -> Iterator[Path]:
    """The base store made unwritable: a read-only mount as root (root ignores file modes), chmod otherwise."""
    if can_mount():
        with tmpfs(tmp_path / "ro", 16_000) as disk:
            db = disk / "yesan.duckdb"
            shutil.copyfile(inputs["base"], db)
            remount(disk, "ro")
            yield db
    else:
        folder = tmp_path / "ro"
        folder.mkdir()
        db = folder / "yesan.duckdb"
        shutil.copyfile(inputs["base"], db)
        db.chmod(0o444)
        folder.chmod(0o555)
        try:
            yield db
        finally:
            folder.chmod(0o755)
            db.chmod(0o644)


def test_a_read_only_store_refuses_loads_clearly_and_still_answers(inputs: dict[str, Path], tmp_path: Path) -> None:
    with read_only_store(inputs, tmp_path) as db:
        before = db.read_bytes()
        failed = yesan("--db", str(db), "load", str(inputs["august"]))
        assert failed.returncode == 1, failed.stderr
        assert failed.stderr.startswith("error: cannot open the store"), failed.stderr
        assert "for writing" in failed.stderr and ("Read-only" in failed.stderr or "Permission" in failed.stderr)
        assert "Traceback" not in failed.stderr
        info = yesan("--db", str(db), "info", "--json")
        assert info.returncode == 0, info.stderr
        assert json.loads(info.stdout)["totals"]["items"] == 6
        assert db.read_bytes() == before
        assert sorted(p.name for p in db.parent.iterdir()) == ["yesan.duckdb"]


# --- two writers at once -------------------------------------------------------------------------------------


def test_two_loads_at_once_both_land_one_after_the_other(inputs: dict[str, Path], tmp_path: Path) -> None:
    db = tmp_path / "yesan.duckdb"
    shutil.copyfile(inputs["base"], db)
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(
            pool.map(lambda name: yesan("--db", str(db), "load", str(inputs[name])), ["august", "september"])
        )
    for result in results:
        assert result.returncode == 0, result.stderr
    state = snapshot_state(db)
    assert {day: snap.rows for day, snap in state.items()} == {OLD: 6, NEW: 30_000, "2026-09-01": 30_000}


def hold_the_store(db: Path) -> subprocess.Popen[str]:
    """A process that keeps the store open for writing until its stdin closes."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys\nfrom yesan.store import Store\nstore = Store.open(sys.argv[1])\n"
            "print('ready', flush=True)\nsys.stdin.read()\nstore.close()",
            str(db),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
    return holder


def test_a_load_refused_by_a_busy_store_says_so_and_writes_nothing(inputs: dict[str, Path], tmp_path: Path) -> None:
    db = tmp_path / "yesan.duckdb"
    shutil.copyfile(inputs["base"], db)
    holder = hold_the_store(db)
    try:
        started = time.monotonic()
        refused = yesan("--db", str(db), "load", str(inputs["august"]), "--wait", "1")
        waited = time.monotonic() - started
    finally:
        holder.communicate("", timeout=30)
    assert refused.returncode == 1
    assert "in use by another yesan process" in refused.stderr and "wait for it to finish" in refused.stderr
    assert waited >= 1
    assert set(snapshot_state(db)) == {OLD}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_a_load_while_the_server_runs_waits_then_is_refused(inputs: dict[str, Path], tmp_path: Path) -> None:
    db = tmp_path / "yesan.duckdb"
    shutil.copyfile(inputs["base"], db)
    port = free_port()
    exe = Path(sys.executable).with_name("yesan")
    server = subprocess.Popen(
        [str(exe), "--db", str(db), "serve", "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        wait_until(lambda: _answers(port), 60)
        refused = yesan("--db", str(db), "load", str(inputs["august"]), "--wait", "1")
        assert refused.returncode == 1
        assert "in use by another yesan process" in refused.stderr, refused.stderr
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert set(snapshot_state(db)) == {OLD}


def _answers(port: int) -> bool:
    import urllib.request

    try:
        urllib.request.urlopen(f"http://127.0.0.1:{port}/api/snapshots", timeout=2).close()
        return True
    except OSError:
        return False


def wait_until(condition: Callable[[], bool], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)
