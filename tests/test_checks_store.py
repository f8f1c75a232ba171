"""The store's checks file: saved checks and their runs, reviewers' decisions, the append-only audit log."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from yesan.errors import StoreError
from yesan.store.checks import (
    CHECKS_SCHEMA_VERSION,
    CheckNotFound,
    CheckStore,
    ReviewConflict,
    check_id_of,
    checks_path,
    subject_key,
)

TEXT = "가나군은 내년 청년 창업 지원에 30억원을 편성했다."
REPORT = {"government": "가나군", "government_code": "9990000", "year": 2026, "counts": {"일치": 1},
          "judgements": [{"claim": {"start": 18, "end": 22, "amount_text": "30억원"}, "verdict": "일치"}]}  # fmt: skip


def _store(tmp_path: Path) -> CheckStore:
    return CheckStore.of_store(tmp_path / "demo.duckdb")


def _save(checks: CheckStore, text: str = TEXT, report: dict | None = None) -> tuple[str, int]:  # type: ignore[type-arg]
    return checks.save(text, report or REPORT, government=None, year=None, snapshots=[{"snapshot_id": 1}],
                       version="test", about={"title": "제목", "url": "https://news.example/1"})  # fmt: skip


def test_the_checks_file_sits_next_to_the_store_and_is_made_on_the_first_save(tmp_path: Path) -> None:
    checks = _store(tmp_path)
    assert checks.path == tmp_path / "demo.checks.sqlite" == checks_path(tmp_path / "demo.duckdb")
    assert checks.listing() == [] and not checks.path.exists()  # an old store: nothing saved, nothing written
    check_id, run = _save(checks)
    assert checks.path.exists() and run == 1 and check_id == check_id_of(TEXT, None, None)
    with sqlite3.connect(checks.path) as con:
        assert con.execute("PRAGMA user_version").fetchone()[0] == CHECKS_SCHEMA_VERSION


def test_the_same_article_checked_again_is_a_new_run_of_the_same_check(tmp_path: Path) -> None:
    checks = _store(tmp_path)
    first, _ = _save(checks)
    again, run = _save(checks, report={**REPORT, "counts": {"불일치": 1}})
    other, _ = _save(checks, text=TEXT + " ")
    assert again == first and run == 2 and other != first
    saved = checks.get(first)
    assert [r["run_no"] for r in saved.runs] == [1, 2] and saved.latest["report"]["counts"] == {"불일치": 1}
    assert saved.text == TEXT and saved.title == "제목" and saved.runs[0]["snapshots"] == [{"snapshot_id": 1}]
    listed = {c["check_id"]: c for c in checks.listing()}
    assert listed[first]["runs"] == 2 and "text" not in listed[first]
    with pytest.raises(CheckNotFound, match="no saved check"):
        checks.get("000000000000")


def test_a_checks_file_from_a_newer_yesan_is_refused_with_what_to_do(tmp_path: Path) -> None:
    checks = _store(tmp_path)
    _save(checks)
    with sqlite3.connect(checks.path) as con:
        con.execute(f"PRAGMA user_version = {CHECKS_SCHEMA_VERSION + 1}")
    with pytest.raises(StoreError, match="newer yesan"):
        CheckStore(checks.path).listing()


def _confirm(checks: CheckStore, key: str, revision: int, who: str = "김기자", action: str = "confirm") -> object:
    return checks.decide(action=action, gov_code="9990000", subject="청년 창업 지원", candidate_key=key,
                         candidate_label=key, candidate_amount=3_000_000_000, who=who, reason="예산서 대조",
                         expected_revision=revision)  # fmt: skip


def test_decisions_are_kept_per_subject_and_every_one_is_in_the_audit_log(tmp_path: Path) -> None:
    checks = _store(tmp_path)
    _confirm(checks, "a", 0)
    _confirm(checks, "b", 1, action="reject")
    decision = checks.decisions()[("9990000", subject_key("청년창업 지원"))]
    assert decision.confirmed == "a" and decision.rejected == frozenset({"b"}) and decision.revision == 2
    _confirm(checks, "a", 2, action="reject")  # rejecting the confirmed one leaves no confirmation
    decision = checks.decisions()[("9990000", subject_key("청년 창업 지원"))]
    assert decision.confirmed is None and decision.rejected == frozenset({"a", "b"})
    log = checks.audit()
    assert [(e["action"], e["before"]["confirmed"], e["after"]["confirmed"]) for e in log] == [
        ("confirm", None, "a"), ("reject", "a", "a"), ("reject", "a", None)
    ]  # fmt: skip
    assert all(e["who"] == "김기자" and e["reason"] == "예산서 대조" and e["at"] for e in log)
    with sqlite3.connect(checks.path) as con, pytest.raises(sqlite3.DatabaseError, match="append only"):
        con.execute("UPDATE audit SET who = 'someone else'")
    with sqlite3.connect(checks.path) as con, pytest.raises(sqlite3.DatabaseError, match="append only"):
        con.execute("DELETE FROM audit")


def test_a_decision_needs_a_name_and_a_reason(tmp_path: Path) -> None:
    checks = _store(tmp_path)
    with pytest.raises(Exception, match="name"):
        _confirm(checks, "a", 0, who=" ")
    with pytest.raises(Exception, match="reason"):
        checks.decide(action="confirm", gov_code="1", subject="x", candidate_key="a", candidate_label="a",
                      candidate_amount=None, who="me", reason="", expected_revision=0)  # fmt: skip
    assert checks.audit() == []


def test_two_reviewers_deciding_at_once_one_wins_and_the_other_is_told(tmp_path: Path) -> None:
    checks = _store(tmp_path)
    _save(checks)  # the file exists: both writers race on the same database
    barrier = threading.Barrier(8)
    outcomes: list[str] = []

    def review(n: int) -> None:
        mine = CheckStore(checks.path)  # each reviewer its own connection, as two server processes have
        barrier.wait()
        try:
            _confirm(mine, f"candidate-{n}", 0, who=f"reviewer {n}")
            outcomes.append("ok")
        except ReviewConflict as error:
            assert "reload" in str(error)
            outcomes.append("conflict")

    threads = [threading.Thread(target=review, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict"] * 7 + ["ok"]
    assert len(checks.audit()) == 1 and checks.decisions()[("9990000", "청년창업지원")].revision == 1


def test_a_damaged_checks_file_is_named_and_nothing_is_written(tmp_path: Path) -> None:
    checks = _store(tmp_path)
    checks.path.write_bytes(b"not a database at all" * 100)
    with pytest.raises(StoreError, match=r"checks file .* could not be used"):
        checks.listing()
    with pytest.raises(StoreError, match="checks file"):
        _save(CheckStore(checks.path))
    assert checks.path.read_bytes() == b"not a database at all" * 100
