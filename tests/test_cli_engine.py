"""`--engine` in the CLI is never ignored: query commands answer from the engine asked for (the option may go
before or after the command name), and commands that work on the DuckDB store file refuse any other engine.

The store is loaded with `yesan load` from small files written for the tests (claims_fixtures); PostgreSQL is a
throwaway server (pg_cluster) holding `copy_store_to_postgres`'s copy, and the tests that need it are skipped
with a message when no PostgreSQL binaries are installed.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from claims_fixtures import RAMA_TOTAL, write_items, write_reported
from conftest import run_cli

#: Nothing listens on port 1: an engine that would fail if it were used.
UNREACHABLE = "postgresql://nobody:secret@127.0.0.1:1/none"
TREE = ("tree", "--level", "government", "--json")
ARTICLE = "가나시는 2026년 예산안을 발표했다. 청년 월세 지원에 315억원, 어르신 무료 급식에 42억6000만원을 편성했다.\n"


@pytest.fixture(scope="module")
def store_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cli_engine")
    db = folder / "yesan.duckdb"
    reported = write_reported(folder)
    run_cli("load", str(reported), "--kind", "reported", "--government", "가나시", "--year", "2026", db=db, check=True)
    run_cli("load", str(write_items(folder)), db=db, check=True)
    return db


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    from pg_cluster import pg_cluster

    with pg_cluster() as url:
        yield url


@pytest.fixture(scope="module")
def pg_url(store_db: Path, cluster: str) -> str:
    """A PostgreSQL database holding a copy of the store, reported figures included."""
    from pg_cluster import create_database
    from yesan.query.postgres import STORE_TABLES, copy_store_to_postgres

    url = create_database(cluster, "with_reported")
    copy_store_to_postgres(store_db, url, tables=(*STORE_TABLES, "reported_figures", "reported_sources"))
    return url


@pytest.fixture(scope="module")
def pg_url_without_reported(store_db: Path, cluster: str) -> str:
    """A copy of the store's default tables only: no reported figures."""
    from pg_cluster import create_database
    from yesan.query.postgres import copy_store_to_postgres

    url = create_database(cluster, "items_only")
    copy_store_to_postgres(store_db, url)
    return url


def _json(result: subprocess.CompletedProcess[str]) -> Any:
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


# --- query commands: the engine asked for answers ----------------------------------------------------------------


def test_tree_with_engine_after_the_command_gives_the_stores_totals(store_db: Path, pg_url: str) -> None:
    on_duck = _json(run_cli(*TREE, db=store_db))
    on_pg = _json(run_cli(*TREE, "--engine", pg_url))
    assert on_pg == on_duck
    assert on_pg["total"]["budget"] == RAMA_TOTAL


def test_engine_before_the_command_still_works(store_db: Path, pg_url: str) -> None:
    assert _json(run_cli("--engine", pg_url, *TREE)) == _json(run_cli(*TREE, db=store_db))


@pytest.mark.parametrize(
    "args",
    [
        ("top", "--limit", "3", "--json"),
        ("item", "3000000000000004", "--json"),
        ("search", "경로당", "--json"),
        ("compare", "--level", "field", "--json"),
    ],
    ids=lambda args: args[0],
)
def test_every_query_command_takes_engine_after_its_name(store_db: Path, pg_url: str, args: tuple[str, ...]) -> None:
    on_pg = _json(run_cli(*args, "--engine", pg_url))
    assert on_pg == _json(run_cli(*args, db=store_db))
    assert on_pg, "the answer should not be empty"


def test_engine_after_the_command_beats_the_environment(
    store_db: Path, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("YESAN_ENGINE", UNREACHABLE)
    used_env = run_cli(*TREE)
    assert used_env.returncode == 1 and "cannot connect to postgres" in used_env.stderr
    assert _json(run_cli(*TREE, "--engine", pg_url)) == _json(run_cli(*TREE, "--engine", "duckdb", db=store_db))


def test_engine_typed_before_and_after_with_different_values_is_refused(store_db: Path) -> None:
    result = run_cli("--engine", UNREACHABLE, "tree", "--engine", f"duckdb:{store_db}")
    assert result.returncode == 2
    assert "given both before `tree` and after it" in result.stderr and "give it once" in result.stderr
    assert "secret" not in result.stderr


def test_engine_typed_twice_with_the_same_value_is_accepted(store_db: Path) -> None:
    spec = f"duckdb:{store_db}"
    data = _json(run_cli("--engine", spec, "tree", "--engine", spec, "--json"))
    assert data["total"]["budget"] == RAMA_TOTAL


def test_parquet_typed_before_and_after_with_different_values_is_refused(store_db: Path) -> None:
    result = run_cli("--parquet", "/a", "search", "경로당", "--parquet", "/b", db=store_db)
    assert result.returncode == 2 and "--parquet" in result.stderr and "give it once" in result.stderr


def test_check_answers_from_postgres_like_the_store(store_db: Path, pg_url: str, tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    on_pg = run_cli("check", str(article), "--json", "--engine", pg_url)
    assert _json(on_pg) == _json(run_cli("check", str(article), "--json", db=store_db))
    assert "warning" not in on_pg.stderr
    [report] = json.loads(on_pg.stdout)["reports"]
    assert {j["claim"]["amount_text"]: j["verdict"] for j in report["judgements"]}["315억원"] == "일치"


def test_check_on_an_engine_without_reported_figures_says_so(pg_url_without_reported: str, tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    result = run_cli("--engine", pg_url_without_reported, "check", str(article), "--json")
    assert result.returncode == 0, result.stderr
    assert "the postgres engine has no reported_figures table" in result.stderr
    assert "line items only" in result.stderr


# --- commands on the store file: any other engine is refused ------------------------------------------------------


STORE_COMMANDS = {
    "load": ("load", "ITEMS"),
    "load --check": ("load", "ITEMS", "--check"),
    "info": ("info",),
    "export": ("export", "OUT.csv"),
    "export partitioned": ("export", "OUT", "--format", "partitioned"),
    "demo": ("demo", "--no-serve"),
    "serve": ("serve", "--port", "1"),
}


def _store_command(name: str, folder: Path) -> list[str]:
    items = write_items(folder)
    return [
        str(items) if arg == "ITEMS" else str(folder / arg) if arg.startswith("OUT") else arg
        for arg in STORE_COMMANDS[name]
    ]


@pytest.mark.parametrize("name", list(STORE_COMMANDS))
def test_store_commands_refuse_postgres(name: str, store_db: Path, tmp_path: Path) -> None:
    before = store_db.read_bytes()
    args = _store_command(name, tmp_path)
    result = run_cli("--engine", UNREACHABLE, *args, db=store_db, timeout=120)  # a serve not refused would run on
    assert result.returncode == 1, result.stdout
    command = args[0]
    assert f"error: yesan {command} works on the DuckDB store only, but --engine asks for PostgreSQL" in result.stderr
    assert "drop --engine (or unset $YESAN_ENGINE)" in result.stderr
    assert "secret" not in result.stderr
    assert store_db.read_bytes() == before
    assert not any(path.name.startswith("OUT") for path in tmp_path.iterdir()), "nothing should be written"


@pytest.mark.parametrize("name", ["load", "info", "export"])
def test_store_commands_refuse_an_engine_from_the_environment(
    name: str, store_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("YESAN_ENGINE", "spark:local[1]")
    result = run_cli(*_store_command(name, tmp_path), db=store_db)
    assert result.returncode == 1
    assert "works on the DuckDB store only, but $YESAN_ENGINE asks for Spark" in result.stderr
    assert "--parquet" not in result.stderr, "the refusal, not Spark's own requirements, is what matters"


def test_load_refused_creates_no_store(tmp_path: Path) -> None:
    db = tmp_path / "new.duckdb"
    result = run_cli("--engine", UNREACHABLE, "load", str(write_items(tmp_path)), db=db)
    assert result.returncode == 1 and "copy_store_to_postgres" in result.stderr
    assert not db.exists()


def test_a_duckdb_engine_names_the_store_of_a_store_command(store_db: Path) -> None:
    data = _json(run_cli("--engine", f"duckdb:{store_db}", "info", "--json"))
    assert data["totals"]["items"] == 6


# --- help -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["tree", "top", "item", "compare", "search", "check"])
def test_help_of_query_commands_lists_every_engine_and_the_option(command: str) -> None:
    text = run_cli(command, "--help", check=True).stdout
    assert "Engines: DuckDB (the store), PostgreSQL or Spark" in text
    assert "--engine" in text and "--parquet" in text


@pytest.mark.parametrize("command", ["load", "info", "export", "demo", "serve"])
def test_help_of_store_commands_says_they_take_the_store_only(command: str) -> None:
    text = run_cli(command, "--help", check=True).stdout
    assert "Engine: the DuckDB store only" in text and "PostgreSQL and Spark are refused" in text
