"""README.md's session is written by scripts/readme_session.py from a real run (CI runs it with --check)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from yesan.store.schema import SCHEMA_VERSION

ROOT = Path(__file__).resolve().parents[1]


def script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("readme_session", ROOT / "scripts" / "readme_session.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["readme_session"] = module
    spec.loader.exec_module(module)
    return module


def session_block(readme: str) -> str:
    session = script()
    return readme.split(session.BEGIN, 1)[1].split(session.END, 1)[0]


def test_the_readme_session_shows_the_stores_current_schema() -> None:
    block = session_block((ROOT / "README.md").read_text(encoding="utf-8"))
    assert f"(schema {SCHEMA_VERSION})" in block


def test_the_readme_speaks_of_features_not_issues() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "issue #" not in readme.lower()


def test_the_readme_session_says_how_to_open_the_web_explorer() -> None:
    block = session_block((ROOT / "README.md").read_text(encoding="utf-8"))
    assert "web explorer: run `yesan serve`" in block


def test_the_script_replaces_only_the_block_between_the_markers() -> None:
    session = script()
    readme = f"# title\n\nbefore\n{session.BEGIN}\n```console\nold\n```\n{session.END}\nafter\n"
    assert session.with_session(readme, "$ yesan info\nnew") == (
        f"# title\n\nbefore\n{session.BEGIN}\n```console\n$ yesan info\nnew\n```\n{session.END}\nafter\n"
    )


def test_the_scripts_output_has_no_paths_of_its_run() -> None:
    session = script()
    work = Path("/tmp/yesan-readme-abc123")
    lines = session._tidy(f"store {work}/yesan.duckdb (schema 2)   \n\n\n\nwrote items.csv\n\n", work)
    assert lines == ["store /tmp/sess/yesan.duckdb (schema 2)", "", "wrote items.csv"]
