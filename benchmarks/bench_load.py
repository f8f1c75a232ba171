"""Load benchmark: validated rows/s of yesan's own load path against naive baselines on the same file.

Cases (each file is loaded into a fresh database, each measurement in a fresh Python process):

- ``snapshot-parquet``: the bundled 2026 snapshot (Parquet, 181,076 rows);
- ``snapshot-csv``: the same rows written as CSV with pyarrow (under ``--workdir``);
- ``synthetic-csv``: ``--rows`` synthetic rows from ``benchmarks/generate.py`` (default 10,000,000).

Methods:

- ``yesan``: ``read_qwgjk(path)`` (read + validate) then ``Store.open(db).load([batch])`` (write);
- ``pandas→sqlite``: ``pandas.read_csv`` + ``DataFrame.to_sql`` into a SQLite file (chunksize
  100,000; no validation); for Parquet ``pandas.read_parquet`` instead of ``read_csv``;
- ``pandas→duckdb``: the same read + ``CREATE TABLE … AS SELECT * FROM df`` in a DuckDB file.

The table (rows, seconds, rows/s, yesan/baseline) is printed and appended to
``benchmarks/RESULTS.md`` with the machine and the date.

    python benchmarks/bench_load.py                 # 10M synthetic rows (about 5 minutes)
    python benchmarks/bench_load.py --rows 1000000  # quick run
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import io
import json
import os
import platform
import pstats
import resource
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

BENCH_DIR: Final = Path(__file__).resolve().parent
REPO: Final = BENCH_DIR.parent
RESULTS: Final = BENCH_DIR / "RESULTS.md"
TARGET_ROWS_PER_S: Final = 500_000
CASES: Final = ("snapshot-parquet", "snapshot-csv", "synthetic-csv")
METHODS: Final = ("yesan", "pandas→sqlite", "pandas→duckdb")
_METHOD_KEYS: Final = {"yesan": "yesan", "pandas→sqlite": "sqlite", "pandas→duckdb": "duckdb"}

sys.path.insert(0, str(BENCH_DIR))


# --- measurements (each runs in its own process: `bench_load.py --worker METHOD FILE DB`) ---------


def _peak_mb() -> float:
    """Peak resident memory of this process (VmHWM; ru_maxrss would include the parent's before exec)."""
    with Path("/proc/self/status").open(encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run_yesan(path: Path, db: Path) -> dict[str, Any]:
    from yesan.ingest.lofin365 import read_qwgjk
    from yesan.store import Store

    started = time.perf_counter()
    batch = read_qwgjk(path)
    read = time.perf_counter()
    with Store.open(db) as store:
        store.load([batch])
    written = time.perf_counter()
    return {"rows": batch.items.num_rows, "read_s": read - started, "write_s": written - read}


def _pandas_read(path: Path) -> Any:
    import pandas as pd

    if path.suffix == ".parquet":
        return pd.read_parquet(path)
    return pd.read_csv(path)


def run_sqlite(path: Path, db: Path) -> dict[str, Any]:
    import sqlite3

    started = time.perf_counter()
    frame = _pandas_read(path)
    read = time.perf_counter()
    with sqlite3.connect(db) as con:
        frame.to_sql("items", con, chunksize=100_000, index=False)
    written = time.perf_counter()
    return {"rows": len(frame), "read_s": read - started, "write_s": written - read}


def run_duckdb(path: Path, db: Path) -> dict[str, Any]:
    import duckdb

    started = time.perf_counter()
    frame = _pandas_read(path)
    read = time.perf_counter()
    with duckdb.connect(str(db)) as con:
        con.register("frame", frame)
        con.execute("CREATE TABLE items AS SELECT * FROM frame")
        con.execute("CHECKPOINT")
    written = time.perf_counter()
    return {"rows": len(frame), "read_s": read - started, "write_s": written - read}


RUNNERS: Final = {"yesan": run_yesan, "sqlite": run_sqlite, "duckdb": run_duckdb}


def worker(method: str, path: Path, db: Path, profile: Path | None) -> None:
    runner = RUNNERS[method]
    cpu_before = _cpu_s()
    if profile is None:
        result = runner(path, db)
    else:
        profiler = cProfile.Profile()
        result = profiler.runcall(runner, path, db)
        profiler.dump_stats(str(profile))
    result["peak_mb"] = _peak_mb()
    result["cpu_s"] = _cpu_s() - cpu_before
    print(json.dumps(result))


@dataclass
class Measurement:
    case: str
    method: str
    rows: int
    read_s: float
    write_s: float
    cpu_s: float
    peak_mb: float

    @property
    def total_s(self) -> float:
        return self.read_s + self.write_s

    @property
    def rows_per_s(self) -> float:
        return self.rows / self.total_s if self.total_s > 0 else float("inf")


def measure(case: str, method: str, path: Path, workdir: Path, profile: Path | None = None) -> Measurement:
    key = _METHOD_KEYS[method]
    db = workdir / f"bench_{case}_{key}.{'sqlite' if key == 'sqlite' else 'duckdb'}"
    for stale in (db, db.with_name(db.name + ".wal")):
        stale.unlink(missing_ok=True)
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", key, str(path), str(db)]
    if profile is not None:
        command += ["--profile-out", str(profile)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{method} on {case} failed:\n{done.stderr[-4000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    for stale in (db, db.with_name(db.name + ".wal")):
        stale.unlink(missing_ok=True)
    rows, read_s, write_s = int(result["rows"]), float(result["read_s"]), float(result["write_s"])
    return Measurement(case, method, rows, read_s, write_s, float(result["cpu_s"]), float(result["peak_mb"]))


# --- inputs ---------------------------------------------------------------------------------------


def snapshot_parquet() -> Path:
    from generate import default_snapshot

    return default_snapshot()


def snapshot_csv(workdir: Path) -> Path:
    import pyarrow as pa
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    target = workdir / "qwgjk_fyr2026_exe20260705.csv"
    if not target.exists():
        table = pq.read_table(snapshot_parquet())
        table = table.drop_columns([c for c in table.column_names if c.startswith("_")])
        table = table.cast(pa.schema([pa.field(f.name, _plain(f.type)) for f in table.schema]))
        pacsv.write_csv(table, target)
    return target


def _plain(kind: Any) -> Any:
    import pyarrow as pa

    return kind.value_type if pa.types.is_dictionary(kind) else kind


def synthetic_csv(workdir: Path, rows: int, years: list[int], seed: int, fmt: str) -> Path:
    from generate import generate, write

    suffix = "csv.gz" if fmt == "csv.gz" else "csv"
    target = workdir / f"qwgjk_synthetic_{rows}_{'-'.join(map(str, years))}_s{seed}.{suffix}"
    if not target.exists():
        started = time.perf_counter()
        partial = target.with_name(target.name + ".partial")
        write(generate(rows, years, seed), partial, fmt)
        partial.rename(target)
        print(f"generated {target} in {time.perf_counter() - started:.1f}s", file=sys.stderr)
    return target


def _warm(path: Path) -> None:
    """Read the file once so that every method starts from the page cache."""
    with path.open("rb") as handle:
        while handle.read(1 << 24):
            pass


# --- report ---------------------------------------------------------------------------------------


def machine() -> dict[str, str]:
    import duckdb
    import numpy
    import pandas
    import pyarrow

    cpu = "unknown"
    with Path("/proc/cpuinfo").open(encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    ram = "unknown"
    with Path("/proc/meminfo").open(encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("MemTotal"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    try:
        git = ["git", "--no-optional-locks", "-C", str(REPO)]
        commit = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout
        commit = commit.strip()
        changes = subprocess.run([*git, "status", "--porcelain", "--", "src"], capture_output=True, text=True)
        if commit and changes.stdout.strip():
            commit += " + uncommitted changes in src/"
    except OSError:
        commit = ""
    return {
        "cpu": cpu,
        "nproc": str(len(os.sched_getaffinity(0))),
        "ram": ram,
        "load": " ".join(f"{v:.2f}" for v in os.getloadavg()),
        "os": platform.platform(),
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "pyarrow": pyarrow.__version__,
        "pandas": pandas.__version__,
        "numpy": numpy.__version__,
        "commit": commit or "unknown",
    }


def table_lines(results: Sequence[Measurement]) -> list[str]:
    yesan = {m.case: m for m in results if m.method == "yesan"}
    lines = [
        "| case | method | rows | read s | write s | total s | rows/s | yesan / this | CPU s | peak MB |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for m in results:
        ours = yesan.get(m.case)
        ratio = "—" if m.method == "yesan" or ours is None else f"{ours.rows_per_s / m.rows_per_s:.2f}×"
        lines.append(
            f"| {m.case} | {m.method} | {m.rows:,} | {m.read_s:.2f} | {m.write_s:.2f} | {m.total_s:.2f} "
            f"| {m.rows_per_s:,.0f} | {ratio} | {m.cpu_s:.1f} | {m.peak_mb:,.0f} |"
        )
    return lines


def append_results(
    results: Sequence[Measurement],
    info: dict[str, str],
    command: str,
    notes: list[str],
    appendix: Sequence[str] = (),
) -> None:
    now = dt.datetime.now().astimezone()
    section = [
        "",
        f"## {now:%Y-%m-%d %H:%M %Z} — load benchmark",
        "",
        f"- machine: {info['cpu']}, {info['nproc']} CPUs, {info['ram']} RAM, {info['os']}"
        f" (load average at start {info['load']})",
        f"- versions: Python {info['python']}, duckdb {info['duckdb']}, pyarrow {info['pyarrow']}, "
        f"pandas {info['pandas']}, numpy {info['numpy']}; yesan commit {info['commit']}",
        f"- command: `{command}`",
        *(f"- {note}" for note in notes),
        "",
        *table_lines(results),
        "",
        *appendix,
    ]
    if not RESULTS.exists():
        RESULTS.write_text(
            "# Benchmark results\n\nAppended by `benchmarks/bench_load.py`; newest last. "
            "rows/s = rows / (read s + write s); `yesan / this` is yesan's rows/s divided by the "
            "baseline's on the same file.\n",
            encoding="utf-8",
        )
    with RESULTS.open("a", encoding="utf-8") as handle:
        handle.write("\n".join(section))


def profile_summary(path: Path, limit: int = 20) -> list[str]:
    """Where yesan's load spends its time: own time of each function, as a share of the whole run.

    cProfile does not see calls into DuckDB (pybind11) and most Arrow kernels, so their time is
    the own time of the Python function that called them (``_write_snapshot`` holds the INSERT,
    ``load`` the CHECKPOINT, ``_read_csv`` Arrow's CSV parser).
    """
    stats = pstats.Stats(str(path))
    entries: dict[tuple[str, int, str], tuple[int, int, float, float, object]] = stats.stats  # type: ignore[attr-defined]
    total = max(float(stats.total_tt), 1e-9)  # type: ignore[attr-defined]
    rows = sorted(entries.items(), key=lambda item: item[1][2], reverse=True)
    lines = [
        f"total {total:.2f}s",
        "",
        "| function | calls | own s | share | cumulative s |",
        "|---|---:|---:|---:|---:|",
    ]
    for (file, line, function), (_, calls, own, cumulative, _) in rows[:limit]:
        where = file.split("/src/")[-1] if "/src/" in file else Path(file).name
        label = f"{where}:{line}({function})" if line else function
        lines.append(f"| `{label}` | {calls} | {own:.2f} | {own / total:.0%} | {cumulative:.2f} |")
    return lines


def print_profile(path: Path, limit: int = 25) -> None:
    print("\n".join(profile_summary(path)))
    stream = io.StringIO()
    stats = pstats.Stats(str(path), stream=stream)
    stats.sort_stats("cumulative").print_stats(limit)
    print(stream.getvalue())


# --- main -----------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="yesan load benchmark")
    parser.add_argument("--rows", type=int, default=10_000_000, help="synthetic rows (default 10,000,000)")
    parser.add_argument("--years", default="2024,2025,2026")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/yesan-bench"))
    parser.add_argument("--cases", default=",".join(CASES), help=f"comma separated from {', '.join(CASES)}")
    parser.add_argument("--methods", default=",".join(_METHOD_KEYS.values()), help="yesan,sqlite,duckdb")
    parser.add_argument("--synthetic-format", choices=("csv", "csv.gz"), default="csv")
    parser.add_argument("--profile", action="store_true", help="also cProfile yesan's load of each case")
    parser.add_argument("--no-record", action="store_true", help=f"do not append to {RESULTS.name}")
    parser.add_argument("--keep", action="store_true", help="keep the generated CSV files")
    parser.add_argument("--worker", nargs=3, metavar=("METHOD", "FILE", "DB"), help=argparse.SUPPRESS)
    parser.add_argument("--profile-out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        method, file, db = args.worker
        worker(method, Path(file), Path(db), args.profile_out)
        return 0

    cases = [c.strip() for c in args.cases.split(",") if c.strip()]
    methods = [m.strip() for m in args.methods.split(",") if m.strip()]
    for case in cases:
        if case not in CASES:
            parser.error(f"unknown case {case!r}")
    keys = {v: k for k, v in _METHOD_KEYS.items()}
    for method in methods:
        if method not in keys:
            parser.error(f"unknown method {method!r}")
    years = [int(y) for y in args.years.split(",")]
    workdir: Path = args.workdir
    workdir.mkdir(parents=True, exist_ok=True)
    info = machine()
    summary = f"machine: {info['cpu']}, {info['nproc']} CPUs, {info['ram']}, load {info['load']}"
    print(summary, file=sys.stderr)

    inputs: dict[str, Path] = {}
    generated: list[Path] = []
    for case in cases:
        if case == "snapshot-parquet":
            inputs[case] = snapshot_parquet()
        elif case == "snapshot-csv":
            inputs[case] = snapshot_csv(workdir)
        else:
            inputs[case] = synthetic_csv(workdir, args.rows, years, args.seed, args.synthetic_format)
            generated.append(inputs[case])

    results: list[Measurement] = []
    profiles: list[Path] = []
    for case in cases:
        path = inputs[case]
        _warm(path)
        for method in methods:
            label = keys[method]
            print(f"{case}: {label} …", file=sys.stderr, flush=True)
            result = measure(case, label, path, workdir)
            print(
                f"  {result.rows:,} rows in {result.total_s:.2f}s (read {result.read_s:.2f}s, "
                f"write {result.write_s:.2f}s) = {result.rows_per_s:,.0f} rows/s, "
                f"peak {result.peak_mb:,.0f} MB",
                file=sys.stderr,
                flush=True,
            )
            results.append(result)
        if args.profile and "yesan" in methods:
            profile = workdir / f"profile_{case}.pstats"
            measure(case, "yesan", path, workdir, profile)
            profiles.append(profile)

    print()
    print("\n".join(table_lines(results)))
    size_note = [f"{case}: {inputs[case].name}, {inputs[case].stat().st_size / 1e6:,.1f} MB" for case in cases]
    target = [
        f"target ≥ {TARGET_ROWS_PER_S:,} validated rows/s: "
        + ", ".join(
            f"{m.case} {'met' if m.rows_per_s >= TARGET_ROWS_PER_S else 'NOT met'} ({m.rows_per_s:,.0f})"
            for m in results
            if m.method == "yesan"
        )
    ]
    print("\n".join(target))
    appendix: list[str] = []
    for profile in profiles:
        case = profile.stem.removeprefix("profile_")
        appendix += [f"cProfile of yesan on {case} (own time per function, wall clock):", ""]
        appendix += [*profile_summary(profile, 15), ""]
    if not args.no_record:
        command = "python benchmarks/bench_load.py " + " ".join(argv if argv is not None else sys.argv[1:])
        notes = ["inputs: " + "; ".join(size_note), *target]
        append_results(results, info, command.strip(), notes, appendix)
        print(f"appended to {RESULTS}", file=sys.stderr)
    for profile in profiles:
        print(f"\n=== cProfile of yesan on {profile.stem.removeprefix('profile_')} ({profile}) ===")
        print_profile(profile)
    if not args.keep:
        for path in generated:
            path.unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
