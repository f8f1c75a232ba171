"""The ledger of figures: every figure of every saved check, by government, subject and year, with two flags.

* **repeated wrong figure**: the same amount for the same subject judged 불일치 in more than one saved check
  (a wrong number that travels from article to article);
* **conflict between outlets**: one subject of one government and year quoted with different amounts by
  different articles, classed as ``rounding`` (one is the other rounded as written), ``definition`` (the
  texts speak of different stages or kinds: 예산안 vs 본예산, a total vs a change) or ``different figure``.

Rows come from each saved check's latest run (``yesan.store.checks``), and from the store's reported figures
(``reported_figures``: one row per outlet that stated the figure, and one per outlet whose different figure the
dataset records in ``conflicting``). Figures are grouped by what they are of: the data figure a claim was
matched to (a reported figure's subject, an item's name) when it was matched, else the claim's own subject.
Nothing is computed from article text here beyond what the check stored.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any, Final
from urllib.parse import urlsplit

from yesan.money.format import round_won
from yesan.store.checks import CheckStore, subject_key

__all__ = ["COLUMNS", "conflict_kind", "ledger", "ledger_csv", "reported_ledger_rows"]

COLUMNS: Final = (
    "government", "government_code", "year", "subject", "figure", "kind", "stage", "amount_krw", "amount_text",
    "verdict", "evidence_tier", "evidence_amount_krw", "evidence", "outlet", "article", "check_id", "claim_no",
    "source", "repeated_wrong", "conflict", "conflict_with",
)  # fmt: skip
_CONFLICT: Final = re.compile(
    r"^\s*(?P<key>[^:|]+?):\s*(?P<text>.+?)\s*=\s*(?P<amount>-?\d+)\b\s*(?:\((?P<how>.*)\))?\s*$"
)
#: Verdicts that say a figure is the data's, loosely written (rounded, a bound that holds, about).
_LOOSE: Final = ("반올림 일치", "범위 일치", "근사")
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
            details = (first or {}).get("details") or {}
            matched = details.get("subject") or details.get("item_name") if j["verdict"] != "확인 불가" else None
            rows.append({
                "figure": matched or claim.get("subject") or "",
                "source": "check",
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


def reported_ledger_rows(
    figures: Iterable[Mapping[str, Any]], sources: Iterable[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """The store's reported figures as ledger rows: each outlet that stated a figure, and each outlet that
    stated a different one (``conflicting``: ``KEY: TEXT = AMOUNT (how) | …``)."""
    outlets = {(str(s["dataset"]), str(s["source_key"])): str(s["outlet"]) for s in sources}
    rows: list[dict[str, Any]] = []
    for f in figures:
        base = {"government": f.get("gov_name"), "government_code": f.get("gov_code"), "year": f.get("fiscal_year"),
                "subject": f["subject"], "figure": f["subject"], "kind": f.get("kind"), "stage": f.get("stage"),
                "verdict": None, "evidence_tier": None, "evidence_amount_krw": None, "evidence": None,
                "article": f.get("dataset"), "check_id": None, "claim_no": None, "source": "reported",
                "repeated_wrong": False, "conflict": None, "conflict_with": None}  # fmt: skip
        seen: set[tuple[str, int]] = set()
        keys = [k.strip() for k in str(f.get("cited_sources") or "").split(",") if k.strip()]
        for key in keys:
            outlet = outlets.get((str(f["dataset"]), key), key)
            if (outlet, int(f["amount"])) not in seen:
                seen.add((outlet, int(f["amount"])))
                rows.append({**base, "amount_krw": int(f["amount"]), "amount_text": f.get("amount_text"),
                             "outlet": outlet, "how": None})  # fmt: skip
        for part in str(f.get("conflicting") or "").split("|"):
            found = _CONFLICT.match(part)
            if found is None or found["key"].startswith("change"):
                continue  # a stated change, not the figure itself
            outlet = outlets.get((str(f["dataset"]), found["key"].strip()), found["key"].strip())
            if (outlet, int(found["amount"])) not in seen:
                seen.add((outlet, int(found["amount"])))
                rows.append({**base, "amount_krw": int(found["amount"]), "amount_text": found["text"],
                             "outlet": outlet, "how": found["how"]})  # fmt: skip
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
    hows = " ".join(str(r.get("how") or "") for r in (a, b))
    if "truncated" in hows:
        return "different figure"  # 51조 for 51조5060억: truncation is not rounding
    if "rounding" in hows or "consistent" in hows:
        return "rounding"  # the dataset read one as the other rounded, or as a bound that holds
    for one, other in ((a, b), (b, a)):
        if one.get("verdict") in _LOOSE and one.get("evidence_amount_krw") == int(other["amount_krw"]):
            return "rounding"  # the check read this figure as the other's, loosely written
    coarse, fine = (x, y) if _precision(x) >= _precision(y) else (y, x)
    if round_won(fine, _precision(coarse)) == coarse:
        return "rounding"
    return "different figure"


def _flag(rows: list[dict[str, Any]]) -> None:
    """Mark repeated wrong figures, and each quote that differs from its group's consensus (the amount most
    outlets state; on a tie the most precise), classed against that consensus and naming who said what."""
    groups: dict[tuple[Any, ...], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        government = row["government_code"] or row["government"]
        if row["figure"] and government:
            groups[(government, row["year"], subject_key(row["figure"]), row.get("stage") or "")].append(row)
    for group in groups.values():
        wrong: dict[int, set[str]] = defaultdict(set)
        for row in group:
            if row["verdict"] == "불일치" and row["check_id"]:
                wrong[row["amount_krw"]].add(row["check_id"])
        said: dict[int, set[str]] = defaultdict(set)
        for row in group:
            said[int(row["amount_krw"])].add(str(row["outlet"]))
        consensus = max(said, key=lambda amount: (len(said[amount]), -_precision(amount)))
        reference = next(r for r in group if int(r["amount_krw"]) == consensus)
        for row in group:
            row["repeated_wrong"] = len(wrong.get(row["amount_krw"], ())) > 1
            if int(row["amount_krw"]) == consensus or len(said) == 1:
                row["conflict"] = None
                others = [f"{outlet} {amount:,}" for amount, names in said.items() if amount != consensus
                          for outlet in sorted(names)]  # fmt: skip
                row["conflict_with"] = "; ".join(others) or None
                continue
            row["conflict"] = conflict_kind(row, reference)
            row["conflict_with"] = "; ".join(
                f"{o} {reference['amount_text'] or consensus}" for o in sorted(said[consensus])
            )


def ledger(
    checks: CheckStore,
    *,
    reported: list[dict[str, Any]] | None = None,
    government: str | None = None,
    year: int | None = None,
    subject: str | None = None,
    flagged: bool = False,
) -> list[dict[str, Any]]:
    """Every checked figure, and the ``reported`` rows (``reported_ledger_rows``), filtered by government name or
    code, year, subject words (``flagged``: only repeated wrong figures and conflicts), by government, figure,
    year and amount."""
    rows = _rows(checks) + list(reported or [])
    _flag(rows)
    if government:
        rows = [r for r in rows if government in (r["government"], r["government_code"])]
    if year is not None:
        rows = [r for r in rows if r["year"] == year]
    if subject:
        wanted = subject_key(subject)
        rows = [r for r in rows if wanted in subject_key(r["subject"]) or wanted in subject_key(r["figure"])]
    if flagged:
        rows = [r for r in rows if r["repeated_wrong"] or r["conflict"]]
    rows.sort(key=lambda r: (str(r["government"]), str(r["figure"]), r["year"] or 0, r["amount_krw"],
                             str(r["check_id"] or ""), str(r["outlet"])))  # fmt: skip
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
