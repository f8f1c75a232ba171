"""Saved checks, reviewers' decisions on matches and their audit log: the store's *checks file*.

The DuckDB store is opened read-only by every server process and every check worker at once, and DuckDB lets
one process write a file only when no other has it open. Saved checks and reviews are written while the server
runs, so they live next to the store in a SQLite file of their own (``STORE.checks.sqlite``), which several
processes can read and write safely. It is part of the store: back both files up together. A store without one
(every store from before saved checks) opens as before; the file is made on the first save, and its schema is
versioned (``PRAGMA user_version``) and migrated forward in a transaction like the store's.

What is kept:

* ``checks``: one row per article text, government and year given (``check_id`` is derived from them, so the
  same article checked again is the same check): the text the user sent, its sha256, what is known of it
  (title, address, publisher, date) and who saved it;
* ``runs``: every time the check was run (the first time, then again on newer data or after a review): the
  report as JSON (extraction, verdicts, evidence with its tier, candidates), the data snapshots it read and
  the yesan version;
* ``links`` and ``rejections``: a reviewer's confirmed subject → figure links and rejected candidates, per
  government and subject, with a ``revision`` that makes two reviewers' concurrent decisions safe (the second
  one, made on what the first changed, is refused: :class:`ReviewConflict`);
* ``audit``: every decision, append only (triggers refuse UPDATE and DELETE): who, when, before → after, why.

Nothing here leaves the user's machine: the texts are only ever read back by this module.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import sqlite3
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from yesan.errors import StoreError, YesanError

__all__ = [
    "CHECKS_SCHEMA_VERSION",
    "CheckNotFound",
    "CheckStore",
    "Decision",
    "ReviewConflict",
    "SavedCheck",
    "check_id_of",
    "checks_path",
    "subject_key",
]

_MIGRATIONS: Final[tuple[tuple[str, ...], ...]] = (
    (
        """CREATE TABLE checks (
    check_id TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    text TEXT NOT NULL,
    text_sha256 TEXT NOT NULL,
    government_asked TEXT,
    year_asked INTEGER,
    title TEXT,
    url TEXT,
    publisher TEXT,
    published TEXT,
    saved_by TEXT
)""",
        """CREATE TABLE runs (
    check_id TEXT NOT NULL REFERENCES checks (check_id),
    run_no INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    government TEXT,
    government_code TEXT,
    year INTEGER,
    yesan_version TEXT NOT NULL,
    snapshots TEXT NOT NULL,
    report TEXT NOT NULL,
    reason TEXT NOT NULL,
    PRIMARY KEY (check_id, run_no)
)""",
        """CREATE TABLE links (
    gov_code TEXT NOT NULL,
    subject_key TEXT NOT NULL,
    subject TEXT NOT NULL,
    candidate_key TEXT,
    candidate_label TEXT,
    candidate_amount INTEGER,
    revision INTEGER NOT NULL,
    decided_by TEXT NOT NULL,
    decided_at TEXT NOT NULL,
    PRIMARY KEY (gov_code, subject_key)
)""",
        """CREATE TABLE rejections (
    gov_code TEXT NOT NULL,
    subject_key TEXT NOT NULL,
    candidate_key TEXT NOT NULL,
    candidate_label TEXT,
    PRIMARY KEY (gov_code, subject_key, candidate_key)
)""",
        """CREATE TABLE audit (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    who TEXT NOT NULL,
    action TEXT NOT NULL,
    gov_code TEXT NOT NULL,
    subject TEXT NOT NULL,
    before TEXT NOT NULL,
    after TEXT NOT NULL,
    reason TEXT NOT NULL,
    check_id TEXT
)""",
        "CREATE TRIGGER audit_append_only_u BEFORE UPDATE ON audit "
        "BEGIN SELECT RAISE(ABORT, 'the audit log is append only'); END",
        "CREATE TRIGGER audit_append_only_d BEFORE DELETE ON audit "
        "BEGIN SELECT RAISE(ABORT, 'the audit log is append only'); END",
    ),
)
CHECKS_SCHEMA_VERSION: Final = len(_MIGRATIONS)
ACTIONS: Final = ("confirm", "reject", "pick")


class CheckNotFound(YesanError):
    """No saved check has that id."""


class ReviewConflict(YesanError):
    """Someone decided the same subject after the decision's page was shown: reload and decide again."""


def checks_path(store: Path) -> Path:
    """The checks file of the store at ``store``: ``demo.duckdb`` → ``demo.checks.sqlite``."""
    store = Path(store)
    return store.with_name(f"{store.stem}.checks.sqlite")


def subject_key(subject: str) -> str:
    """A subject as decisions are keyed: spacing, punctuation and case dropped (``청년 창업-지원`` is
    ``청년창업지원``)."""
    return "".join(ch for ch in subject.casefold() if ch.isalnum())


def check_id_of(text: str, government: str | None, year: int | None) -> str:
    """A check's permanent id: 12 hex digits of the sha256 of the text and the government and year asked for."""
    digest = hashlib.sha256(f"{text}\x1f{government or ''}\x1f{year or ''}".encode()).hexdigest()
    return digest[:12]


@dataclass(frozen=True)
class Decision:
    """What reviewers decided for one subject of one government: the confirmed figure, the rejected ones."""

    gov_code: str
    subject: str
    confirmed: str | None = None  # a candidate key (``yesan.claims.candidates.reviews.candidate_key``)
    confirmed_label: str | None = None
    rejected: frozenset[str] = frozenset()
    revision: int = 0
    decided_by: str | None = None
    decided_at: str | None = None


@dataclass
class SavedCheck:
    check_id: str
    created_at: str
    text: str
    text_sha256: str
    government_asked: str | None
    year_asked: int | None
    title: str | None
    url: str | None
    publisher: str | None
    published: str | None
    saved_by: str | None
    runs: list[dict[str, Any]] = field(default_factory=list)  # oldest first; ``report`` parsed

    @property
    def latest(self) -> dict[str, Any]:
        return self.runs[-1]

    def as_dict(self, *, text: bool = True) -> dict[str, Any]:
        data = {k: v for k, v in self.__dict__.items() if k != "runs" and (text or k != "text")}
        return {**data, "runs": self.runs}


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


class CheckStore:
    """The checks file of one store. Each method opens its own short connection: safe across threads and
    processes (SQLite's locks, WAL journal; a writer waits up to ``timeout_s`` for another)."""

    def __init__(self, path: Path, *, timeout_s: float = 10.0) -> None:
        self.path = Path(path)
        self.timeout_s = timeout_s
        self._ready = False

    @classmethod
    def of_store(cls, store: Path) -> CheckStore:
        return cls(checks_path(store))

    def exists(self) -> bool:
        return self.path.exists()

    @contextlib.contextmanager
    def _connect(self, *, write: bool) -> Iterator[sqlite3.Connection]:
        if not write and not self.path.exists():
            con = sqlite3.connect(":memory:")  # nothing saved yet: read an empty schema
            self._migrate(con)
        else:
            try:
                con = sqlite3.connect(self.path, timeout=self.timeout_s, isolation_level=None)
            except sqlite3.Error as error:
                raise StoreError(f"cannot open the checks file {self.path}: {error}") from None
        con.row_factory = sqlite3.Row
        try:
            if write and not self._ready:
                con.execute("PRAGMA journal_mode=WAL")
                self._migrate(con)
                self._ready = True
            elif self.path.exists():
                self._check_version(con)
            yield con
        except sqlite3.DatabaseError as error:
            if "append only" in str(error):
                raise StoreError(f"the audit log of {self.path} is append only: {error}") from None
            raise StoreError(f"the checks file {self.path} could not be used: {error}; nothing was changed") from None
        finally:
            con.close()

    def _check_version(self, con: sqlite3.Connection) -> None:
        version = int(con.execute("PRAGMA user_version").fetchone()[0])
        if version > CHECKS_SCHEMA_VERSION:
            raise StoreError(
                f"the checks file {self.path} was written by a newer yesan (schema {version}, this one reads up "
                f"to {CHECKS_SCHEMA_VERSION}): upgrade yesan"
            )
        if 0 < version < CHECKS_SCHEMA_VERSION:
            self._migrate(con)  # reads the version again under the write lock: another process may have migrated

    def _migrate(self, con: sqlite3.Connection) -> None:
        with _immediate(con):
            version = int(con.execute("PRAGMA user_version").fetchone()[0])
            if version > CHECKS_SCHEMA_VERSION:
                raise StoreError(f"the checks file {self.path} was written by a newer yesan: upgrade yesan")
            self._apply(con, version)

    @staticmethod
    def _apply(con: sqlite3.Connection, version: int) -> None:
        for number, statements in enumerate(_MIGRATIONS[version:], start=version + 1):
            for statement in statements:
                con.execute(statement)
            con.execute(f"PRAGMA user_version = {number}")

    # --- checks and runs ----------------------------------------------------------------------------

    def save(
        self,
        text: str,
        report: Mapping[str, Any],
        *,
        government: str | None,
        year: int | None,
        snapshots: list[dict[str, Any]],
        version: str,
        about: Mapping[str, str | None] | None = None,
        saved_by: str | None = None,
        reason: str = "checked",
    ) -> tuple[str, int]:
        """Save a check's run (the check itself the first time its text is saved); its id and run number."""
        check_id = check_id_of(text, government, year)
        about = about or {}
        now = _now()
        with self._connect(write=True) as con, _immediate(con):
            con.execute(
                "INSERT OR IGNORE INTO checks VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (check_id, now, text, hashlib.sha256(text.encode()).hexdigest(), government, year,
                 about.get("title"), about.get("url"), about.get("publisher"), about.get("published"),
                 saved_by),
            )  # fmt: skip
            run_no = int(con.execute("SELECT coalesce(max(run_no), 0) + 1 FROM runs WHERE check_id = ?",
                                     (check_id,)).fetchone()[0])  # fmt: skip
            con.execute(
                "INSERT INTO runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (check_id, run_no, now, report.get("government"), report.get("government_code"),
                 report.get("year"), version, json.dumps(snapshots, ensure_ascii=False),
                 json.dumps(report, ensure_ascii=False, default=str), reason),
            )  # fmt: skip
        return check_id, run_no

    def get(self, check_id: str) -> SavedCheck:
        with self._connect(write=False) as con:
            row = con.execute("SELECT * FROM checks WHERE check_id = ?", (check_id,)).fetchone()
            if row is None:
                raise CheckNotFound(f"no saved check {check_id!r}: `yesan checks` lists the saved ones")
            runs = con.execute("SELECT * FROM runs WHERE check_id = ? ORDER BY run_no", (check_id,)).fetchall()
        saved = SavedCheck(**{k: row[k] for k in row.keys()})  # noqa: SIM118 (sqlite3.Row)
        saved.runs = [_run(r) for r in runs]
        return saved

    def listing(self) -> list[dict[str, Any]]:
        """Every saved check, newest first, with its latest run's verdict counts (no article text)."""
        with self._connect(write=False) as con:
            rows = con.execute(
                """SELECT c.check_id, c.created_at, c.title, c.url, c.publisher, c.published, c.text_sha256,
                          r.run_no AS runs, r.created_at AS last_run, r.government, r.year, r.report
                   FROM checks c JOIN runs r ON r.check_id = c.check_id
                   AND r.run_no = (SELECT max(run_no) FROM runs WHERE check_id = c.check_id)
                   ORDER BY r.created_at DESC, c.check_id"""
            ).fetchall()
        listed = []
        for row in rows:
            data = {k: row[k] for k in row.keys() if k != "report"}  # noqa: SIM118
            report = json.loads(row["report"])
            data["counts"] = report.get("counts", {})
            data["claims"] = len(report.get("judgements", []))
            listed.append(data)
        return listed

    def runs_of_all(self) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
        """(check, latest run) for every saved check: what the ledger lists."""
        with self._connect(write=False) as con:
            checks = con.execute("SELECT check_id, title, url, publisher, published FROM checks").fetchall()
            for row in checks:
                run = con.execute("SELECT * FROM runs WHERE check_id = ? ORDER BY run_no DESC LIMIT 1",
                                  (row["check_id"],)).fetchone()  # fmt: skip
                if run is not None:
                    yield {k: row[k] for k in row.keys()}, _run(run)  # noqa: SIM118

    # --- reviews ------------------------------------------------------------------------------------

    def decisions(self) -> dict[tuple[str, str], Decision]:
        """Every subject's decision, keyed by (government code, ``subject_key``)."""
        with self._connect(write=False) as con:
            links = con.execute("SELECT * FROM links").fetchall()
            rejected = con.execute("SELECT gov_code, subject_key, candidate_key FROM rejections").fetchall()
        out: dict[tuple[str, str], Decision] = {}
        refused: dict[tuple[str, str], set[str]] = {}
        for row in rejected:
            refused.setdefault((row["gov_code"], row["subject_key"]), set()).add(row["candidate_key"])
        for row in links:
            key = (row["gov_code"], row["subject_key"])
            out[key] = Decision(row["gov_code"], row["subject"], row["candidate_key"], row["candidate_label"],
                                frozenset(refused.pop(key, set())), int(row["revision"]), row["decided_by"],
                                row["decided_at"])  # fmt: skip
        return out

    def decide(
        self,
        *,
        action: str,
        gov_code: str,
        subject: str,
        candidate_key: str,
        candidate_label: str,
        candidate_amount: int | None,
        who: str,
        reason: str,
        expected_revision: int,
        check_id: str | None = None,
        key: str | None = None,
    ) -> Decision:
        """Confirm (or pick) a candidate for a subject, or reject one, in one transaction with its audit entry.

        ``expected_revision`` is the subject's revision the reviewer saw; when another decision came in since,
        nothing is written and :class:`ReviewConflict` is raised. ``key`` is the subject as matching names it
        (``yesan.claims.candidates.reviews.review_subject_key``; default: :func:`subject_key`)."""
        if action not in ACTIONS:
            raise YesanError(f"unknown review action {action!r}: use one of {', '.join(ACTIONS)}")
        if not who.strip():
            raise YesanError("a review needs the reviewer's name")
        if not reason.strip():
            raise YesanError("a review needs a reason")
        key = key or subject_key(subject)
        if not key:
            raise YesanError("the subject is empty")
        now = _now()
        # One writer at a time (BEGIN IMMEDIATE): the revision read below cannot go stale.
        with self._connect(write=True) as con, _immediate(con):
            row = con.execute("SELECT * FROM links WHERE gov_code = ? AND subject_key = ?",
                              (gov_code, key)).fetchone()  # fmt: skip
            revision = int(row["revision"]) if row else 0
            if revision != expected_revision:
                by = f" by {row['decided_by']} at {row['decided_at']}" if row else ""
                raise ReviewConflict(
                    f"{subject!r} was decided again{by} after this page was shown (revision {revision}, the "
                    f"page had {expected_revision}); nothing was written: reload it and decide again"
                )
            before = _state(con, gov_code, key, row)
            confirmed = (
                (row["candidate_key"], row["candidate_label"], row["candidate_amount"]) if row else (None, None, None)
            )
            if action == "reject":
                con.execute("INSERT OR IGNORE INTO rejections VALUES (?, ?, ?, ?)",
                            (gov_code, key, candidate_key, candidate_label))  # fmt: skip
                if confirmed[0] == candidate_key:
                    confirmed = (None, None, None)
            else:
                con.execute("DELETE FROM rejections WHERE gov_code = ? AND subject_key = ? AND candidate_key = ?",
                            (gov_code, key, candidate_key))  # fmt: skip
                confirmed = (candidate_key, candidate_label, candidate_amount)
            con.execute(
                "INSERT OR REPLACE INTO links VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (gov_code, key, subject, *confirmed, revision + 1, who, now),
            )
            after = _state(con, gov_code, key, None)
            con.execute(
                "INSERT INTO audit (at, who, action, gov_code, subject, before, after, reason, check_id) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (now, who, action, gov_code, subject, json.dumps(before, ensure_ascii=False),
                 json.dumps(after, ensure_ascii=False), reason, check_id),
            )  # fmt: skip
        return self.decisions()[(gov_code, key)]

    def audit(self) -> list[dict[str, Any]]:
        with self._connect(write=False) as con:
            rows = con.execute("SELECT * FROM audit ORDER BY seq").fetchall()
        return [
            {**{k: r[k] for k in r.keys()}, "before": json.loads(r["before"]), "after": json.loads(r["after"])}  # noqa: SIM118
            for r in rows
        ]


@contextlib.contextmanager
def _immediate(con: sqlite3.Connection) -> Iterator[None]:
    """A write transaction that takes the file's write lock at once (BEGIN IMMEDIATE): COMMIT, or ROLLBACK on any
    error."""
    con.execute("BEGIN IMMEDIATE")
    try:
        yield
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def _state(con: sqlite3.Connection, gov_code: str, key: str, row: sqlite3.Row | None) -> dict[str, Any]:
    if row is None:
        row = con.execute("SELECT * FROM links WHERE gov_code = ? AND subject_key = ?", (gov_code, key)).fetchone()
    rejected = [r[0] for r in con.execute(
        "SELECT candidate_key FROM rejections WHERE gov_code = ? AND subject_key = ? ORDER BY candidate_key",
        (gov_code, key))]  # fmt: skip
    return {
        "confirmed": row["candidate_key"] if row else None,
        "confirmed_label": row["candidate_label"] if row else None,
        "rejected": rejected,
        "revision": int(row["revision"]) if row else 0,
    }


def _run(row: sqlite3.Row) -> dict[str, Any]:
    data = {k: row[k] for k in row.keys()}  # noqa: SIM118
    data["report"] = json.loads(data["report"])
    data["snapshots"] = json.loads(data["snapshots"])
    return data
