"""Saving a check and comparing its runs: what a re-run on newer data (or after a review) changed."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from typing import Any

from yesan import __version__
from yesan.claims.article.text import to_document
from yesan.claims.verdict.check import CheckReport
from yesan.store.checks import CheckStore

__all__ = ["about_of", "changes", "is_reviewed", "save_check", "used_snapshots"]

#: What a saved run keeps of each snapshot it read.
_KEPT = ("snapshot_id", "dataset", "fiscal_year", "stage", "exe_ymd", "digest", "row_count")


#: Who published a page: ``<meta property="og:site_name" content=…>`` (either attribute order), or a text
#: header line ``# outlet: …`` / ``# publisher: …``.
_PUBLISHER = re.compile(
    r"<meta\b[^>]*\bproperty=[\"']og:site_name[\"'][^>]*\bcontent=[\"']([^\"'<>]{1,120})[\"']"
    r"|<meta\b[^>]*\bcontent=[\"']([^\"'<>]{1,120})[\"'][^>]*\bproperty=[\"']og:site_name[\"']"
    r"|^# ?(?:outlet|publisher): ?([^\n]{1,120})$",
    re.IGNORECASE | re.MULTILINE,
)


def about_of(text: str) -> dict[str, str | None]:
    """What the text says of itself: title, address, publisher and date (a page's metadata, a text's header)."""
    document = to_document(text, source="saved")
    found = _PUBLISHER.search(text[:200_000])
    publisher = next((g.strip() for g in found.groups() if g), None) if found else None
    return {
        "title": document.title,
        "url": document.url,
        "publisher": html.unescape(publisher) if publisher else None,
        "published": document.published.isoformat() if document.published else None,
    }


def used_snapshots(report: Mapping[str, Any], snapshots: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The data the check read: the items snapshot it matched against and the reported-figure datasets."""
    reference = report.get("reference") or {}
    wanted = reference.get("items_snapshot")
    datasets = set(reference.get("reported_datasets") or ())
    used: list[dict[str, Any]] = []
    for s in snapshots:
        if (wanted is not None and int(s["snapshot_id"]) == int(wanted)) or s.get("dataset") in datasets:
            used.append({k: (str(v) if v is not None and k == "exe_ymd" else v) for k, v in s.items() if k in _KEPT})
    for dataset in sorted(datasets - {u.get("dataset") for u in used}):
        used.append({"dataset": dataset, "kind": "reported figures"})
    return used


def save_check(
    checks: CheckStore,
    text: str,
    report: CheckReport | Mapping[str, Any],
    *,
    government: str | None,
    year: int | None,
    snapshots: Iterable[Mapping[str, Any]],
    saved_by: str | None = None,
    reason: str = "checked",
    about: Mapping[str, str | None] | None = None,
) -> tuple[str, int]:
    """Save ``report`` (a check of ``text`` asked for ``government``/``year``): its check id and run number."""
    data = report.as_dict() if isinstance(report, CheckReport) else dict(report)
    return checks.save(text, data, government=government, year=year, snapshots=used_snapshots(data, snapshots),
                       version=__version__, about=about or about_of(text), saved_by=saved_by,
                       reason=reason)  # fmt: skip


def _by_figure(report: Mapping[str, Any]) -> dict[tuple[int, int], dict[str, Any]]:
    return {(int(j["claim"]["start"]), int(j["claim"]["end"])): j for j in report.get("judgements", [])}


def _evidence_names(judgement: Mapping[str, Any]) -> list[str]:
    return [f"{e.get('label')} {e.get('amount_krw')}" for e in judgement.get("evidence", [])]


def _data_of(report: Mapping[str, Any]) -> str:
    """The data a run read, in words: its items snapshot and date, its reported-figure datasets."""
    reference = report.get("reference") or {}
    parts = []
    if reference.get("items_snapshot") is not None:
        parts.append(f"snapshot {reference['items_snapshot']} ({reference.get('items_as_of') or '—'})")
    parts.extend(str(d) for d in reference.get("reported_datasets") or ())
    return "; ".join(parts) or "—"


def is_reviewed(judgement: Mapping[str, Any]) -> bool:
    """Whether a judgement rests on a figure a reviewer confirmed (``claims.candidates.reviews``)."""
    return any((e.get("details") or {}).get("review") for e in judgement.get("evidence", []))


def changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[dict[str, Any]]:
    """What moved between two runs' reports: the data they read, then figure by figure (by its place in the
    text) a verdict, its evidence tier, the evidence, a reviewer's confirmation; figures found in one run only."""
    old, new = _by_figure(before), _by_figure(after)
    moved: list[dict[str, Any]] = []
    data_before, data_after = _data_of(before), _data_of(after)
    if data_before != data_after:
        moved.append({"start": -1, "amount_text": None, "what": "data", "before": data_before, "after": data_after})
    for place in sorted(old.keys() | new.keys()):
        a, b = old.get(place), new.get(place)
        text = (b or a or {}).get("claim", {}).get("amount_text")
        if a is None or b is None:
            moved.append({"start": place[0], "amount_text": text, "what": "new figure" if a is None else "gone",
                          "before": a and a["verdict"], "after": b and b["verdict"]})  # fmt: skip
            continue
        if a["verdict"] != b["verdict"] or a.get("evidence_tier") != b.get("evidence_tier"):
            moved.append({"start": place[0], "amount_text": text, "what": "verdict",
                          "before": f"{a['verdict']} ({a.get('evidence_tier')})",
                          "after": f"{b['verdict']} ({b.get('evidence_tier')})"})  # fmt: skip
        elif _evidence_names(a) != _evidence_names(b):
            moved.append({"start": place[0], "amount_text": text, "what": "evidence",
                          "before": "; ".join(_evidence_names(a)), "after": "; ".join(_evidence_names(b))})  # fmt: skip
        reviewed_a, reviewed_b = is_reviewed(a), is_reviewed(b)
        if reviewed_a != reviewed_b:
            moved.append({"start": place[0], "amount_text": text, "what": "review",
                          "before": "reviewed" if reviewed_a else "not reviewed",
                          "after": "검토자 확인" if reviewed_b else "not reviewed"})  # fmt: skip
    return moved
