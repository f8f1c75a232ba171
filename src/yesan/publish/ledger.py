"""The ledger of figures: every figure of every saved check, by government, subject and year, with two flags.

* **repeated wrong figure**: the same amount for the same subject judged 불일치 in more than one saved check
  (a wrong number that travels from article to article);
* **conflict between outlets**: one subject of one government and year quoted with different amounts by
  different articles, classed as ``rounding`` (one is the other rounded as written), ``definition`` (the
  texts speak of different stages or kinds: 예산안 vs 본예산, a total vs a change) or ``different figure``.

Rows come from each check's latest run (``yesan.store.checks``); nothing is computed from article text here
beyond what the check stored.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any, Final
from urllib.parse import urlsplit

from yesan.money.format import round_won
from yesan.store.checks import CheckStore, subject_key

__all__ = ["COLUMNS", "conflict_kind", "ledger", "ledger_csv"]

COLUMNS: Final = (
    "government", "government_code", "year", "subject", "kind", "stage", "amount_krw", "amount_text", "verdict",
    "evidence_tier", "evidence_amount_krw", "evidence", "outlet", "article", "check_id", "claim_no",
    "repeated_wrong", "conflict", "conflict_with",
)  # fmt: skip
_UNITS: Final = (1_000_000_000_000, 100_000_000_000, 10_000_000_000, 1_000_000_000, 100_000_000, 10_000_000,
                 1_000_000, 100_000, 10_000, 1_000)  # fmt: skip


def _outlet(check: Mapping[str, Any]) -> str:
    if check.get("publisher"):
        return str(check["publisher"])
    if check.get("url"):
        return urlsplit(str(check["url"])).hostname or str(check["url"])
    return f"check {check['check_id']}"


def _rows(checks: CheckStore) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for check, run in checks.runs_of_all():
        report = run["report"]
        for index, j in enumerate(report.get("judgements", [])):
            claim = j["claim"]
            first = (j.get("evidence") or [None])[0]
            rows.append({
                "government": report.get("government"),
                "government_code": report.get("government_code"),
                "year": claim.get("year") or report.get("year"),
                "subject": claim.get("subject") or "",
                "kind": claim.get("kind"),
                "stage": claim.get("stage"),
                "amount_krw": int(claim["amount_krw"]),
                "amount_text": claim.get("amount_text"),
                "verdict": j["verdict"],
                "evidence_tier": j.get("evidence_tier"),
                "evidence_amount_krw": first["amount_krw"] if first else None,
                "evidence": (first.get("label_ko") or first.get("label")) if first else None,
                "outlet": _outlet(check),
                "article": check.get("title") or check.get("url"),
                "check_id": check["check_id"],
                "claim_no": index + 1,
                "repeated_wrong": False,
                "conflict": None,
                "conflict_with": None,
            })  # fmt: skip
    return rows


def _precision(amount: int) -> int:
    """The unit a written amount is rounded to: the largest of ``_UNITS`` that divides it, keeping at least two
    significant digits (as the verdicts read figures: 30억 is read to the 억, 15조 to the 조)."""
    return next((u for u in _UNITS if amount and amount % u == 0 and abs(amount) // u >= 10), 1)


def conflict_kind(a: Mapping[str, Any], b: Mapping[str, Any]) -> str | None:
    """How two quotes of one subject differ: None (same amount), rounding, definition or different figure."""
    x, y = int(a["amount_krw"]), int(b["amount_krw"])
    if x == y:
        return None
    if (a.get("stage") or None) != (b.get("stage") or None) or a.get("kind") != b.get("kind"):
        return "definition"
    coarse, fine = (x, y) if _precision(x) >= _precision(y) else (y, x)
    if round_won(fine, _precision(coarse)) == coarse:
        return "rounding"
    return "different figure"


def _flag(rows: list[dict[str, Any]]) -> None:
    groups: dict[tuple[Any, ...], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        if row["subject"] and row["government_code"]:
            groups[(row["government_code"], row["year"], subject_key(row["subject"]))].append(row)
    for group in groups.values():
        wrong: dict[int, set[str]] = defaultdict(set)
        for row in group:
            if row["verdict"] == "불일치":
                wrong[row["amount_krw"]].add(row["check_id"])
        for row in group:
            row["repeated_wrong"] = len(wrong.get(row["amount_krw"], ())) > 1
            worst, others = None, []
            for other in group:
                if other["check_id"] == row["check_id"]:
                    continue
                kind = conflict_kind(row, other)
                if kind is None:
                    continue
                others.append(f"{other['outlet']} {other['amount_text']}")
                rank = ("rounding", "definition", "different figure").index(kind)
                worst = (
                    kind
                    if worst is None or rank > ("rounding", "definition", "different figure").index(worst)
                    else worst
                )
            row["conflict"], row["conflict_with"] = worst, "; ".join(sorted(set(others))) or None


def ledger(
    checks: CheckStore,
    *,
    government: str | None = None,
    year: int | None = None,
    subject: str | None = None,
    flagged: bool = False,
) -> list[dict[str, Any]]:
    """Every checked figure (filtered by government name or code, year, subject words; ``flagged``: only
    repeated wrong figures and conflicts), by government, subject, year and amount."""
    rows = _rows(checks)
    _flag(rows)
    if government:
        rows = [r for r in rows if government in (r["government"], r["government_code"])]
    if year is not None:
        rows = [r for r in rows if r["year"] == year]
    if subject:
        wanted = subject_key(subject)
        rows = [r for r in rows if wanted in subject_key(r["subject"])]
    if flagged:
        rows = [r for r in rows if r["repeated_wrong"] or r["conflict"]]
    rows.sort(key=lambda r: (str(r["government"]), str(r["subject"]), r["year"] or 0, r["amount_krw"], r["check_id"]))
    return rows


def ledger_csv(rows: Iterable[Mapping[str, Any]]) -> str:
    """The ledger as CSV (UTF-8 with a byte order mark, so spreadsheet programs read the Korean)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.DictWriter(out, fieldnames=COLUMNS, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _cell(row.get(k)) for k in COLUMNS})
    return out.getvalue()


def _cell(value: Any) -> Any:
    """A cell a spreadsheet shows as text: no formula from a subject that starts with = + - @."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
