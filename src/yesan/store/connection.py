"""Connecting to the store file (waiting for another writer's lock, saying why a connection is refused), the
transaction every write runs in (its failures explained: a full disk, a file-size limit, permissions; the store
left as it was), and ``records``: the store's own reads of itself (``Store``, ``store.info``).

Inside ``store/`` only: every other room reads through ``yesan.query`` (an import-linter contract keeps it so).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import duckdb

from yesan.errors import StoreError
from yesan.store.damage import damaged_store


class Transaction:
    """BEGIN … COMMIT, or ROLLBACK on any error; a database error (disk full, read-only file) becomes a StoreError."""

    def __init__(self, con: duckdb.DuckDBPyConnection, path: Path) -> None:
        self.con = con
        self.path = path

    def __enter__(self) -> None:
        self.con.execute("BEGIN TRANSACTION")

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if exc_type is None:
            try:
                self.con.execute("COMMIT")
                return
            except duckdb.Error as error:
                failure: BaseException = error
        else:
            failure = exc if isinstance(exc, BaseException) else Exception(str(exc))
        # A failed COMMIT has already ended the transaction (ROLLBACK then fails: not an error of its own).
        with contextlib.suppress(duckdb.Error):
            self.con.execute("ROLLBACK")
        if isinstance(failure, duckdb.Error):
            raise StoreError(
                f"could not write to the store {self.path}: {first_line(failure)}; nothing was written. "
                f"{write_hint(self.path, failure)}"
            ) from None


def write_hint(path: Path, error: BaseException) -> str:
    text = str(error).lower()
    if "no space" in text or "disk full" in text or "quota" in text:
        return f"the disk holding {path.parent} is full: free some space (`df -h {path.parent}`) and load again"
    if "file too large" in text:
        return "a file size limit was reached (`ulimit -f`, or the file system's largest file): raise it and load again"
    if "read-only" in text or "permission" in text:
        return f"the store file or its folder cannot be written: check the permissions of {path}"
    return "the store is as it was before this command; run it again with --debug for details"


def first_line(error: BaseException) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


def connect(path: Path, read_only: bool, wait_s: float) -> duckdb.DuckDBPyConnection:
    deadline = time.monotonic() + wait_s
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.IOException as error:
            message = first_line(error)
            if "lock" in message.lower():
                if time.monotonic() < deadline:
                    time.sleep(0.2)
                    continue
                raise StoreError(
                    f"the store {path} is in use by another yesan process ({message}); "
                    "wait for it to finish and try again"
                ) from None
            if "permission" in message.lower() or "read-only" in message.lower():
                raise StoreError(f"cannot open the store {path} for writing: {message}") from None
            raise damaged_store(error, path) or StoreError(f"cannot open the store {path}: {message}") from None
        except duckdb.Error as error:
            damaged = damaged_store(error, path)
            raise damaged or StoreError(f"{path} is not a usable yesan store: {first_line(error)}") from None


def records(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
    """The rows of a read of the store's own tables (``sql`` written inside ``store/``), as dicts by column."""
    cursor = con.execute(sql, list(params))
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


__all__ = ["Transaction", "connect", "first_line", "records", "write_hint"]
