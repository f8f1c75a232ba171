"""Write README.md's session from a real run, so it cannot drift from what yesan prints.

Runs the session's commands with the installed ``yesan`` on a fresh store in a temporary folder (no
terminal, 100 columns, no colour) and replaces the ```console block between the README's
``<!-- session:begin -->`` and ``<!-- session:end -->`` markers with what they printed. Paths that vary per
run are written as ``/tmp/sess``.

    python scripts/readme_session.py           # rewrite README.md
    python scripts/readme_session.py --check   # exit 1 (and show the difference) when README.md differs
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
BEGIN = "<!-- session:begin (scripts/readme_session.py writes this block; do not edit by hand) -->"
END = "<!-- session:end -->"
SHOWN_DIR = "/tmp/sess"
COLUMNS = "100"

#: A file with one bad cell: our own made-up row of a made-up government, with letters after the number.
BAD_FILE = (
    "fyr,exe_ymd,wa_laf_hg_nm,laf_cd,laf_hg_nm,acnt_dv_nm,fld_nm,part_nm,dbiz_cd,dbiz_nm,"
    "bdg_cash_amt,bdg_ntep,capep,sggep,etc_amt,ep_amt,cpl_amt\n"
    "2026,20260901,가나도,4711000,가나군,일반회계,사회복지,노인,1000000000000001,경로당 난방비 지원,"
    "12억abc,0,0,0,0,0,0\n"
)
MONEY = (
    "from yesan.money import parse, format_won; a = parse('약 3조2천874억3천만 원'); "
    "print(a.won, a.qualifier, format_won(a.won))"
)


@dataclass(frozen=True)
class Step:
    shown: str  # the command as the README shows it
    argv: tuple[str, ...]  # what runs ("yesan" is the installed console script)
    status: bool = False  # show `echo $?` after it


STEPS = (
    Step(
        "yesan demo   # what `make demo` runs once .venv is installed; without a terminal it only prints",
        ("yesan", "demo"),
    ),
    Step("yesan load september.csv          # a file with one bad cell", ("yesan", "load", "september.csv"), True),
    Step(
        "yesan export items.csv --gov 고흥 --field 사회복지   # UTF-8 with BOM for Excel; each row cites its source",
        ("yesan", "export", "items.csv", "--gov", "고흥", "--field", "사회복지"),
    ),
    Step(
        "yesan search 경노당 --region 전라남도 --limit 3",
        ("yesan", "search", "경노당", "--region", "전라남도", "--limit", "3"),
    ),
    Step(
        "yesan tree --gov 고흥 --level sector --field 사회복지 --limit 3",
        ("yesan", "tree", "--gov", "고흥", "--level", "sector", "--field", "사회복지", "--limit", "3"),
    ),
    Step(f'python -c "{MONEY}"', ("python", "-c", MONEY)),
)


def _command(argv: tuple[str, ...]) -> list[str]:
    bin_dir = Path(sys.executable).parent
    if argv[0] == "yesan":
        exe = bin_dir / "yesan"
        return (
            [str(exe), *argv[1:]]
            if exe.exists()
            else [sys.executable, "-c", "from yesan.cli import main; main()", *argv[1:]]
        )
    return [sys.executable, *argv[1:]]


def run_session() -> str:
    """The session's console text, from a run on a fresh store."""
    with tempfile.TemporaryDirectory(prefix="yesan-readme-") as folder:
        work = Path(folder)
        (work / "september.csv").write_text(BAD_FILE, encoding="utf-8")
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in {"YESAN_ENGINE", "YESAN_PARQUET", "FORCE_COLOR", "TERM"}
        }
        env.update({"YESAN_DB": str(work / "yesan.duckdb"), "COLUMNS": COLUMNS, "NO_COLOR": "1", "TERM": "dumb"})
        lines = [
            f"$ export YESAN_DB={SHOWN_DIR}/yesan.duckdb   # optional; the default is ~/.local/share/yesan/yesan.duckdb"
        ]
        for step in STEPS:
            result = subprocess.run(
                _command(step.argv), cwd=work, env=env, capture_output=True, text=True, timeout=600, check=False
            )
            lines.append(f"$ {step.shown}")
            lines.extend(_tidy(result.stdout + result.stderr, work))
            if step.status:
                lines += ["$ echo $?", str(result.returncode)]
            elif result.returncode != 0:
                raise SystemExit(f"{step.shown} failed ({result.returncode}):\n{result.stdout}{result.stderr}")
    return "\n".join(lines)


def _tidy(text: str, work: Path) -> list[str]:
    """Output lines with the run's folder written as ``/tmp/sess``, trailing spaces and blank runs dropped."""
    text = text.replace(str(work.resolve()), SHOWN_DIR).replace(str(work), SHOWN_DIR)
    lines = [line.rstrip() for line in text.splitlines()]
    tidy: list[str] = []
    for line in lines:
        if line or (tidy and tidy[-1]):
            tidy.append(line)
    while tidy and not tidy[-1]:
        tidy.pop()
    return tidy


def with_session(readme: str, session: str) -> str:
    """``readme`` with the block between the markers replaced by ``session`` in a console fence."""
    pattern = re.compile(re.escape(BEGIN) + r".*?" + re.escape(END), re.S)
    if not pattern.search(readme):
        raise SystemExit(f"README.md has no session markers ({BEGIN} … {END})")
    block = f"{BEGIN}\n```console\n{session}\n```\n{END}"
    return pattern.sub(lambda _match: block, readme, count=1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="Fail when README.md differs from a fresh run.")
    args = parser.parse_args()
    current = README.read_text(encoding="utf-8")
    wanted = with_session(current, run_session())
    if args.check:
        if wanted != current:
            diff = difflib.unified_diff(
                current.splitlines(), wanted.splitlines(), "README.md", "fresh run", lineterm=""
            )
            print("\n".join(diff))
            print("README.md's session is out of date: run python scripts/readme_session.py", file=sys.stderr)
            return 1
        print("README.md's session matches a fresh run")
        return 0
    if wanted != current:
        README.write_text(wanted, encoding="utf-8")
        print("README.md: session rewritten")
    else:
        print("README.md: session unchanged")
    return 0


if __name__ == "__main__":
    sys.exit(main())
