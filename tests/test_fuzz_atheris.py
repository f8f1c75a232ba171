"""Coverage-guided fuzzing with atheris (libFuzzer) where it helps most: the hand-written scanners of the money
parser and the encoding detector, whose branches random text rarely reaches. libFuzzer mutates the inputs that
open new branches, which hypothesis's strategies do not know to do.

The test runs this file as a script in a child process (atheris needs to own the process). Any exception other
than MoneyError/LoadError, or a round trip ``parse(format_won(x)) != x``, is a crash and fails the test; libFuzzer
writes the input that caused it to ``crash-*`` in the run's folder.

    YESAN_ATHERIS_RUNS=500000 python -m pytest -q -m fuzz tests/test_fuzz_atheris.py   # the long run
    python tests/test_fuzz_atheris.py -runs=100000                                    # by hand

Needs ``pip install atheris`` (the ``fuzz`` extra); skipped without it.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.fuzz

RUNS = int(os.environ.get("YESAN_ATHERIS_RUNS", "5000"))
INT64_MAX = 2**63 - 1


def one_input(data: bytes) -> None:
    """The fuzz target: one byte string, read as text, bytes and an integer by every parser."""
    from yesan.errors import LoadError, MoneyError
    from yesan.ingest.encoding import decode
    from yesan.money import find_amounts, find_percents, format_won, parse, parse_cell, parse_percent, parse_unit

    text = data.decode("utf-8", errors="replace")
    for function in (parse, parse_cell, parse_percent):
        with contextlib.suppress(MoneyError):
            function(text)
    parse_unit(text)
    for match in find_amounts(text):
        assert parse(match.amount.text) == match.amount, match
    find_percents(text)
    with contextlib.suppress(LoadError):
        decode(data, file="fuzz")
    if len(data) >= 8:
        value = int.from_bytes(data[:8], "little", signed=True)
        if value >= -INT64_MAX:
            assert parse(format_won(value)).won == value
            assert parse_cell(f"{value:,}") == value


def main() -> None:
    import atheris

    with atheris.instrument_imports(include=["yesan.money", "yesan.ingest.encoding"]):
        import yesan.ingest.encoding
        import yesan.money  # noqa: F401
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


@pytest.mark.skipif(
    importlib.util.find_spec("atheris") is None, reason="atheris is not installed (pip install atheris)"
)
def test_coverage_guided_fuzzing_finds_no_crash(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for number, seed in enumerate(
        ["51조5060억원", "△1,234", "(1,234)", "약 3조2천874억3천만 원", "7.05%p", "(단위: 천원)"]
    ):
        (seeds / f"seed{number}").write_bytes(seed.encode())
    (seeds / "cp949").write_bytes("가나군 세출예산 1,200원".encode("cp949"))
    result = subprocess.run(
        [sys.executable, __file__, f"-runs={RUNS}", "-max_len=256", "-seed=20260705", str(seeds)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=3600,
        check=False,
    )
    log = result.stderr[-4000:]
    assert result.returncode == 0, log
    done = re.search(r"Done (\d+) runs", result.stderr)
    assert done and int(done.group(1)) >= RUNS, log
    coverage = re.findall(r"cov: (\d+)", result.stderr)
    from test_faults_io import record

    record("atheris", {"runs": int(done.group(1)), "coverage_edges": int(coverage[-1]) if coverage else None})


if __name__ == "__main__":
    main()
