"""Malformed inputs through the real CLI: a clear error, a non-zero exit, no traceback, and the store untouched.

The cases are listed in ``tests/data/bad/MANIFEST.toml`` (the files are written by ``make_corpus.py``; the big
ones are made here, in a temporary folder). Each case runs ``yesan load`` in a child process against its own copy
of a store that already holds a snapshot and a population table; afterwards the store file must be
byte-identical and hold the same rows. The cases run two at a time in one fixture; each is then checked in
its own test.

``YESAN_LONG_LINE_BYTES`` sets the size of the generated long line (default 2 GiB; CI may use less).
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import threading
import time
import tomllib
import zipfile
import zlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from conftest import SMALL_QWGJK
from test_faults_io import record
from test_store import content_checksum
from yesan.store import Store

BAD = Path(__file__).parent / "data" / "bad"
MANIFEST = tomllib.loads((BAD / "MANIFEST.toml").read_text(encoding="utf-8"))["case"]
LONG_LINE_BYTES = int(os.environ.get("YESAN_LONG_LINE_BYTES", str(2 << 30)))
#: Peak memory allowed to a `yesan load` that refuses a huge input (bounded reading, not the input's size).
MAX_RSS_MB = {"long_line": 600, "gzip_bomb": 1400, "html_deep_nesting": 600, "nested_tags_as_csv": 700}


@dataclass
class Outcome:
    case: dict[str, Any]
    returncode: int
    stdout: str
    stderr: str
    before: str
    after: str
    content_same: bool
    leftovers: list[str]
    max_rss_mb: float
    seconds: float
    db: Path


def case_id(case: dict[str, Any]) -> str:
    """The input and its extra arguments, e.g. ``tables/x.csv --government 4711000:가나군``."""
    return " ".join([case.get("generate") or case["file"], *case.get("args", [])])


# --- generated inputs -----------------------------------------------------------------------------------


def make_long_line(target: Path) -> None:
    """A QWGJK header, one good row, then a line of ``LONG_LINE_BYTES`` bytes (written in 1 MB chunks)."""
    header = (BAD / "columns" / "extra_column.csv").read_text(encoding="utf-8").splitlines()
    chunk = b"x" * (1 << 20)
    with target.open("wb") as handle:
        handle.write("\n".join([header[0].removesuffix(",memo"), header[1].removesuffix(",메모")]).encode() + b"\n")
        handle.write(b"2026,20260705,")
        for _ in range(LONG_LINE_BYTES // len(chunk)):
            handle.write(chunk)
        handle.write(b"\n")


def make_gzip_bomb(target: Path) -> None:
    """JSON that inflates to 640 MB: 40 gzip members of 16 MB of one byte (about 16 KB each)."""
    member = gzip.compress(b"x" * (16 << 20), compresslevel=9, mtime=0)
    with target.open("wb") as handle:
        handle.write(gzip.compress(b'[{"fyr": "2026", "dbiz_nm": "', mtime=0))
        for _ in range(40):
            handle.write(member)


def make_html_deep_nesting(target: Path) -> None:
    depth = (10 << 20) // 11
    target.write_bytes(b"<!DOCTYPE html><html><body>" + b"<div>" * depth + b"</div>" * depth + b"</body></html>")


def make_nested_tags_as_csv(target: Path) -> None:
    depth = (10 << 20) // 11
    target.write_bytes(b"<div>" * depth + b"</div>" * depth + b"\n")


def make_fifo(target: Path) -> None:
    os.mkfifo(target)


GENERATORS: dict[str, Callable[[Path], None]] = {
    "long_line": make_long_line,
    "gzip_bomb": make_gzip_bomb,
    "html_deep_nesting": make_html_deep_nesting,
    "nested_tags_as_csv": make_nested_tags_as_csv,
    "fifo": make_fifo,
}


# --- running ----------------------------------------------------------------------------------------------


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def yesan_command() -> list[str]:
    exe = Path(sys.executable).with_name("yesan")
    return [str(exe)] if exe.exists() else [sys.executable, "-c", "from yesan.cli import main; main()"]


def child_env() -> dict[str, str]:
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    env.pop("YESAN_DB", None)
    return env


#: A process that imports ``yesan.cli`` once, then forks one child per command; each child runs
#: ``yesan.cli.main()`` (what the ``yesan`` console script runs) with its own argv, working folder, output files
#: and an alarm, and the server reports its exit code and peak memory (``wait4``). Running ~100 commands this way
#: costs seconds instead of a minute of interpreter start-ups; ``YESAN_BAD_INPUTS_EXEC=1`` runs the console
#: script itself for every case, and ``test_forked_runs_answer_like_the_console_script`` compares the two.
FORK_SERVER = r"""
import json, os, signal, sys, traceback
from yesan.cli import main
# What `yesan load` imports on its first use, imported once here (DuckDB imports pandas, if installed, when an
# Arrow table is registered: 0.3 s per command).
import duckdb, pyarrow.csv, pyarrow.compute, pyarrow.parquet
import yesan.ingest.lofin365, yesan.ingest.tabular, yesan.ingest.population, yesan.ingest.fdp, yesan.store
try:
    import pandas
except ImportError:
    pass
for line in sys.stdin:
    job = json.loads(line)
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            signal.alarm(int(job["timeout"]))
            os.chdir(job["cwd"])
            os.dup2(os.open(job["stdout"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC), 1)
            os.dup2(os.open(job["stderr"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC), 2)
            sys.argv = ["yesan", *job["argv"]]
            try:
                main()
                code = 0
            except SystemExit as stop:
                code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
            except BaseException:
                traceback.print_exc()
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    _, status, usage = os.wait4(pid, 0)
    print(json.dumps({"exit": os.waitstatus_to_exitcode(status), "rss_kb": usage.ru_maxrss}), flush=True)
"""


class ForkServer:
    """Runs ``yesan`` commands in forked children of one warm interpreter (see ``FORK_SERVER``)."""

    def __init__(self, scratch: Path) -> None:
        self.scratch = scratch
        scratch.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [sys.executable, "-c", FORK_SERVER],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=child_env(),
            text=True,
        )
        self.jobs = 0

    def run(self, argv: list[str], cwd: Path, timeout: float = 300) -> tuple[int, str, str, float]:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.jobs += 1
        out, err = self.scratch / f"job{self.jobs}.out", self.scratch / f"job{self.jobs}.err"
        job = {"argv": argv, "cwd": str(cwd), "stdout": str(out), "stderr": str(err), "timeout": timeout}
        self.process.stdin.write(json.dumps(job) + "\n")
        self.process.stdin.flush()
        answer = json.loads(self.process.stdout.readline())
        stdout = out.read_text(encoding="utf-8", errors="replace")
        stderr = err.read_text(encoding="utf-8", errors="replace")
        out.unlink()
        err.unlink()
        return int(answer["exit"]), stdout, stderr, answer["rss_kb"] / 1024

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=30)


def run_exec(argv: list[str], cwd: Path, timeout: float = 300) -> tuple[int, str, str, float]:
    """The ``yesan`` console script in a fresh process; exit code, output and peak memory in MB (``wait4``)."""
    process = subprocess.Popen(
        [*yesan_command(), *argv], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=child_env()
    )
    assert process.stdout is not None and process.stderr is not None
    # The pipes are drained by threads, so a chatty child never blocks while wait4 is polled for its rusage.
    with ThreadPoolExecutor(max_workers=2) as readers:
        stdout_future = readers.submit(process.stdout.read)
        stderr_future = readers.submit(process.stderr.read)
        deadline = time.monotonic() + timeout
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                process.kill()
                pid, status, usage = os.wait4(process.pid, 0)
                break
            time.sleep(0.02)
        stdout = stdout_future.result().decode("utf-8", "replace")
        stderr = stderr_future.result().decode("utf-8", "replace")
    process.returncode = os.waitstatus_to_exitcode(status)
    process.stdout.close()
    process.stderr.close()
    return process.returncode, stdout, stderr, usage.ru_maxrss / 1024


Runner = Callable[[list[str], Path], tuple[int, str, str, float]]


def run_case(case: dict[str, Any], base: Path, work: Path, generated: dict[str, Path], runner: Runner) -> Outcome:
    folder = work / f"case{MANIFEST.index(case):03d}"
    folder.mkdir()
    db = folder / "store" / "yesan.duckdb"
    db.parent.mkdir()
    shutil.copyfile(base, db)
    before = file_digest(db)
    target = str(generated[case["generate"]]) if case.get("generate") else case["file"]
    started = time.monotonic()
    code, stdout, stderr, rss = runner(["--db", str(db), "load", target, *case.get("args", [])], BAD)
    seconds = time.monotonic() - started
    after = file_digest(db)
    leftovers = sorted(p.name for p in db.parent.iterdir() if p.name != db.name)
    with Store.open(db, read_only=True) as store:
        content_same = content_checksum(store) == BASE_CHECKSUM[base]
    return Outcome(case, code, stdout, stderr, before, after, content_same, leftovers, rss, seconds, db)


BASE_CHECKSUM: dict[Path, str] = {}


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Outcome]:
    work = tmp_path_factory.mktemp("bad_inputs")
    base = work / "base.duckdb"
    population = work / "population.csv"
    population.write_text("gov_code,year,population,source\n4711000,2024,25000,2024 인구총조사\n", encoding="utf-8")
    setup = subprocess.run(
        [*yesan_command(), "--db", str(base), "load", str(SMALL_QWGJK), str(population)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert setup.returncode == 0, setup.stderr
    with Store.open(base, read_only=True) as store:
        BASE_CHECKSUM[base] = content_checksum(store)
    generated: dict[str, Path] = {}
    inputs = work / "generated"
    inputs.mkdir()
    for case in MANIFEST:
        name = case.get("generate")
        if name and name not in generated:
            generated[name] = inputs / case["file"]
            GENERATORS[name](generated[name])
    workers = 2
    if os.environ.get("YESAN_BAD_INPUTS_EXEC") == "1":
        runners: list[Runner] = [run_exec] * workers
        servers: list[ForkServer] = []
    else:
        servers = [ForkServer(work / f"server{slot}") for slot in range(workers)]
        runners = [server.run for server in servers]
    try:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            futures = [
                pool.submit(_run_on, index % workers, case, base, work, generated, runners)
                for index, case in enumerate(MANIFEST)
            ]
            results = [future.result() for future in futures]
    finally:
        for server in servers:
            server.close()
        for path in generated.values():
            path.unlink()
    STATE["base"] = base
    return {case_id(result.case): result for result in results}


_LOCKS = [threading.Lock(), threading.Lock()]
STATE: dict[str, Path] = {}


def _run_on(
    slot: int, case: dict[str, Any], base: Path, work: Path, generated: dict[str, Path], runners: list[Runner]
) -> Outcome:
    # One case at a time per runner (a fork server answers one job at a time).
    with _LOCKS[slot]:
        return run_case(case, base, work, generated, runners[slot])


def test_the_corpus_has_at_least_50_inputs() -> None:
    files = [p for p in BAD.rglob("*") if p.is_file() and p.name not in ("MANIFEST.toml", "make_corpus.py")]
    assert len(files) >= 50
    assert len(MANIFEST) >= 50
    listed = {case["file"] for case in MANIFEST if not case.get("generate")}
    for path in files:
        relative = path.relative_to(BAD).as_posix()
        assert relative in listed or relative.rsplit("/", 1)[0] in listed, f"{relative} is not in MANIFEST.toml"


def test_the_committed_corpus_is_what_make_corpus_writes() -> None:
    sys.path.insert(0, str(BAD))
    try:
        import make_corpus
    finally:
        sys.path.remove(str(BAD))
    for relative, data in make_corpus.files().items():
        committed: Any = (BAD / relative).read_bytes()
        if relative.endswith(".xlsx"):  # a zip with write times inside: compare what each member holds
            committed, data = _xlsx_members(committed), _xlsx_members(data)
        assert committed == data, f"{relative} differs: run python tests/data/bad/make_corpus.py"


def _xlsx_members(data: bytes) -> Any:
    """What an XLSX file holds (each sheet's cells and merged ranges), not how the writer serialised it: the
    XML's spacing and write times differ between openpyxl/lxml versions. Non-zip ``.xlsx`` junk: the bytes."""
    if not zipfile.is_zipfile(io.BytesIO(data)):
        return data
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data))
    except Exception:  # a deliberately broken workbook, written byte for byte by make_corpus
        return data
    return {
        sheet.title: (
            [list(row) for row in sheet.iter_rows(values_only=True)],
            sorted(str(merged) for merged in sheet.merged_cells.ranges),
        )
        for sheet in book.worksheets
    }


@pytest.mark.parametrize("key", [case_id(case) for case in MANIFEST])
def test_bad_input_is_refused_clearly_and_changes_nothing(key: str, outcomes: dict[str, Outcome]) -> None:
    outcome = outcomes[key]
    case = outcome.case
    output = outcome.stdout + outcome.stderr
    shown = f"exit {outcome.returncode}\n--- stdout\n{outcome.stdout}\n--- stderr\n{outcome.stderr}"
    assert outcome.returncode == case.get("exit", 1), shown
    assert "Traceback" not in output, shown
    assert "internal error" not in output, shown
    if case.get("exit", 1) == 1:
        assert outcome.stderr.startswith("error: "), shown
        first_line = outcome.stderr.splitlines()[0]
        if case.get("names_file", True):
            assert Path(case["file"]).name in first_line, shown
        assert outcome.stdout == "", shown
    for text in case.get("expect", []):
        assert text in output, f"{text!r} missing\n{shown}"
    if "row" in case:
        assert f"row {case['row']:,}" in output, shown
    if "column" in case:
        assert f"column {case['column']!r}" in output, shown
    if "value" in case:
        assert f"value {case['value']!r}" in output, shown
    assert outcome.after == outcome.before, "the store file changed"
    assert outcome.content_same, "the store's rows changed"
    assert outcome.leftovers == [], f"files left next to the store: {outcome.leftovers}"
    limit = MAX_RSS_MB.get(case.get("generate", ""))
    if limit is not None:
        assert outcome.max_rss_mb < limit, f"peak memory {outcome.max_rss_mb:.0f} MB (limit {limit} MB)"


def test_debug_shows_the_traceback_of_a_bad_input(tmp_path: Path) -> None:
    args = ["--debug", "--db", str(tmp_path / "s.duckdb"), "load", "amounts/double_minus.csv"]
    code, _stdout, stderr, _rss = run_exec(args, cwd=BAD)
    assert code != 0
    assert "Traceback" in stderr and "LoadError" in stderr


def test_zlib_errors_are_load_errors_in_read_head(tmp_path: Path) -> None:
    from yesan.ingest.batch import read_head

    damaged = tmp_path / "flipped.csv.gz"
    damaged.write_bytes((BAD / "gzip" / "flipped_byte.csv.gz").read_bytes())
    assert read_head(damaged) == b""
    with pytest.raises(zlib.error):
        gzip.decompress(damaged.read_bytes())


#: Cases run again through the console script itself, in fresh processes, to show the forked runs are the CLI.
EXEC_SAMPLE = (
    "amounts/letters_after_eok.csv",
    "encoding/cp949_with_utf8_bom.csv",
    "json/api_337_daily_quota.json",
    "tables/subtotal_does_not_add_up.csv --government 4711000:가나군",
    "rows/snapshot_already_loaded_differently.csv",
    "tables/no_budget_column.csv --unit 톤",
)


def test_forked_runs_answer_like_the_console_script(outcomes: dict[str, Outcome], tmp_path: Path) -> None:
    for key in EXEC_SAMPLE:
        forked = outcomes[key]
        db = tmp_path / f"{len(list(tmp_path.iterdir()))}.duckdb"
        shutil.copyfile(STATE["base"], db)
        argv = ["--db", str(db), "load", forked.case["file"], *forked.case.get("args", [])]
        code, stdout, stderr, _rss = run_exec(argv, BAD)
        assert code == forked.returncode, key
        assert stderr.replace(str(db), "DB") == forked.stderr.replace(str(forked.db), "DB"), key
        assert stdout == forked.stdout, key


def test_report_figures(outcomes: dict[str, Outcome]) -> None:
    """Figures for RELIABILITY.md (``$YESAN_RELIABILITY_DIR/bad_inputs.json``)."""
    report = {
        "cases": len(outcomes),
        "refused": sum(1 for o in outcomes.values() if o.returncode != 0),
        "bytes_changed": sum(0 if o.after == o.before else 1 for o in outcomes.values()),
        "max_rss_mb": {key: round(o.max_rss_mb) for key, o in outcomes.items() if o.case.get("generate")},
        "seconds": {key: round(o.seconds, 2) for key, o in outcomes.items()},
        "long_line_bytes": LONG_LINE_BYTES,
    }
    record("bad_inputs", report)
    assert report["bytes_changed"] == 0
