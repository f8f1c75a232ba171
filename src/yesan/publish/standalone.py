"""One saved check as a file to publish: a standalone HTML page (the article with its figures highlighted, each
verdict with its rule and evidence, the ClaimReview embedded; no external assets, no scripts), and a
1200×630 card per claim, rendered to PNG by headless Chromium (``render_png``).

Every piece of the article and of the data is escaped: a pasted article is shown as text, never as markup.
"""

from __future__ import annotations

import html
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Final

from yesan.claims.article.text import to_document
from yesan.claims.wording import in_language
from yesan.errors import YesanError
from yesan.money.format import format_won
from yesan.publish.claimreview import SCALE, graph
from yesan.publish.saving import is_reviewed

__all__ = ["CARD_SIZE", "CardError", "card_html", "render_png", "segments", "standalone_html", "verdict_style"]

CARD_SIZE: Final = (1200, 630)
CHROMIUM: Final = ("chromium", "chromium-browser", "google-chrome")
_STYLE: Final = {"일치": "match", "반올림 일치": "match", "범위 일치": "match", "근사": "near", "불일치": "mismatch"}
_COLOURS: Final = {"match": "#1a7f37", "near": "#9a6700", "mismatch": "#cf222e", "unknown": "#57606a"}
_CSS: Final = """
body{font-family:'NanumGothic','Noto Sans KR','Malgun Gothic',sans-serif;max-width:860px;margin:2em auto;
padding:0 1em;line-height:1.7;color:#1f2328}
h1{font-size:1.5em}.meta{color:#57606a;font-size:.9em}.article{white-space:pre-wrap;border:1px solid #d0d7de;
padding:1em;border-radius:6px}mark{padding:0 .15em;border-radius:3px;font-weight:bold}
mark.match{background:#dafbe1}mark.near{background:#fff8c5}mark.mismatch{background:#ffebe9}
mark.unknown{background:#eaeef2}sup{font-size:.7em;color:#57606a}ol.claims li{margin:.8em 0}
.badge{display:inline-block;padding:0 .5em;border-radius:1em;color:#fff;font-size:.85em}
.badge.match{background:#1a7f37}.badge.near{background:#9a6700}.badge.mismatch{background:#cf222e}
.badge.unknown{background:#57606a}.evidence{color:#424a53;font-size:.9em}.reviewed{color:#0969da;font-weight:bold}
"""


class CardError(YesanError):
    """A PNG card could not be rendered (no Chromium, or it failed)."""


def verdict_style(verdict: str) -> str:
    return _STYLE.get(verdict, "unknown")


def segments(body: str, claims: Sequence[tuple[int, int, int]]) -> list[tuple[str, int | None]]:
    """``body`` as consecutive pieces, each plain text (None) or one claim's figure (its index), by the claims'
    (start, end, index) offsets; overlapping or out-of-range figures are left unhighlighted."""
    pieces: list[tuple[str, int | None]] = []
    at = 0
    for start, end, index in sorted(claims):
        if start < at or end > len(body) or start >= end:
            continue
        if start > at:
            pieces.append((body[at:start], None))
        pieces.append((body[start:end], index))
        at = end
    if at < len(body):
        pieces.append((body[at:], None))
    return pieces


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def standalone_html(saved: Mapping[str, Any], run: Mapping[str, Any], permalink: str) -> str:
    """The whole check as one HTML file (``saved``/``run`` as ``yesan.store.checks`` returns them)."""
    report = run["report"]
    judgements = report.get("judgements", [])
    body = to_document(saved["text"], source="saved").text
    marks = []
    for text, index in segments(body, [(int(j["claim"]["start"]), int(j["claim"]["end"]), i)
                                       for i, j in enumerate(judgements)]):  # fmt: skip
        if index is None:
            marks.append(_e(text))
        else:
            style = verdict_style(judgements[index]["verdict"])
            marks.append(f'<mark class="{style}" id="fig-{index + 1}">{_e(text)}<sup>{index + 1}</sup></mark>')
    items = []
    for i, j in enumerate(judgements):
        style = verdict_style(j["verdict"])
        evidence = "".join(
            f'<li class="evidence">{_e(e.get("label_ko") or e.get("label"))}: {_e(format_won(int(e["amount_krw"])))}'
            f" — {_e(e.get('citation_ko') or e.get('citation'))}</li>"
            for e in j.get("evidence", [])
        )
        reviewed = ' <span class="reviewed">검토자 확인</span>' if is_reviewed(j) else ""
        items.append(
            f'<li id="claim-{i + 1}"><span class="badge {style}">{_e(j.get("verdict_label_ko") or j["verdict"])}</span>'
            f"{reviewed} <b>{_e(j['claim']['amount_text'])}</b> {_e(j['claim'].get('subject') or '')}"
            f"<br>{_e(in_language(j.get('rule_ko') or j['rule'], 'ko'))}<ul>{evidence}</ul></li>"
        )
    title = saved.get("title") or f"check {saved['check_id']}"
    source = f'<a href="{_e(saved["url"])}">{_e(saved["url"])}</a>' if saved.get("url") else "—"
    ld = json.dumps(graph(saved, run, permalink), ensure_ascii=False).replace("<", "\\u003c")
    counts = ", ".join(f"{k} {v}" for k, v in (report.get("counts") or {}).items() if v)
    return (
        '<!DOCTYPE html>\n<html lang="ko"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{_e(title)} — yesan 검증</title><style>{_CSS}</style>"
        f'<script type="application/ld+json">{ld}</script></head><body>'
        f"<h1>{_e(title)}</h1>"
        f'<p class="meta">검증 {_e(saved["check_id"])} · 실행 {_e(run["run_no"])} ({_e(run["created_at"])}) · '
        f"{_e(report.get('government'))} {_e(report.get('year'))} · yesan {_e(run['yesan_version'])}<br>"
        f"기사: {source} · 판정: {_e(counts)}<br>고유 주소: {_e(permalink)}</p>"
        f'<div class="article">{"".join(marks)}</div><h2>판정 (verdicts)</h2><ol class="claims">{"".join(items)}</ol>'
        f'<p class="meta">평가 척도 (rating scale): {_e(SCALE)}. 자료: '
        f"{_e('; '.join(_snapshot_name(s) for s in run.get('snapshots', [])))}</p></body></html>\n"
    )


def _snapshot_name(snapshot: Mapping[str, Any]) -> str:
    parts = [str(snapshot.get("dataset") or "")]
    if snapshot.get("exe_ymd"):
        parts.append(f"{snapshot['exe_ymd']} 기준")
    if snapshot.get("snapshot_id") is not None:
        parts.append(f"snapshot {snapshot['snapshot_id']}")
    return " ".join(parts)


def card_html(saved: Mapping[str, Any], run: Mapping[str, Any], number: int, permalink: str) -> str:
    """A 1200×630 card for claim ``number`` (from 1): verdict, the figure and its sentence, the evidence."""
    judgements = run["report"].get("judgements", [])
    if not 1 <= number <= len(judgements):
        raise YesanError(f"check {saved['check_id']} has {len(judgements)} claims; there is no claim {number}")
    j = judgements[number - 1]
    colour = _COLOURS[verdict_style(j["verdict"])]
    evidence = j.get("evidence") or []
    first = evidence[0] if evidence else None
    data_line = (
        f"자료: {_e(first.get('label_ko') or first.get('label'))} {_e(format_won(int(first['amount_krw'])))}"
        if first
        else _e(j.get("reason_text_ko") or "비교할 자료 없음")
    )
    sentence = str(j["claim"].get("sentence") or "").strip()
    if len(sentence) > 160:
        sentence = sentence[:159] + "…"
    reviewed = '<span style="color:#0969da"> · 검토자 확인</span>' if is_reviewed(j) else ""
    width, height = CARD_SIZE
    return (
        '<!DOCTYPE html><html lang="ko"><head><meta charset="utf-8"><style>'
        f"html,body{{margin:0;width:{width}px;height:{height}px;overflow:hidden}}"
        "body{font-family:'NanumGothic','Noto Sans KR',sans-serif;background:#fff;color:#1f2328}"
        f".bar{{background:{colour};color:#fff;padding:28px 48px;font-size:54px;font-weight:bold}}"
        ".main{padding:28px 48px}.amount{font-size:64px;font-weight:bold}.sentence{font-size:30px;line-height:1.45;"
        "margin-top:14px;color:#424a53}.data{font-size:30px;margin-top:22px}.tier{font-size:26px;margin-top:10px;color:#57606a}"
        ".foot{position:absolute;bottom:22px;left:48px;right:48px;font-size:22px;color:#57606a}"
        "</style></head><body>"
        f'<div class="bar">{_e(j.get("verdict_label_ko") or j["verdict"])}{reviewed}</div><div class="main">'
        f'<div class="amount">{_e(j["claim"]["amount_text"])} <span style="font-size:36px">'
        f"{_e(j['claim'].get('subject') or '')}</span></div>"
        f'<div class="sentence">“{_e(sentence)}”</div><div class="data">{data_line}</div>'
        f'<div class="tier">근거: {_e(j.get("tier_label_ko") or "외부 근거 없음")}</div></div>'
        f'<div class="foot">yesan 예산 검증 · {_e(run["report"].get("government"))} {_e(run["report"].get("year"))}'
        f" · {_e(permalink)}#claim-{number}</div></body></html>"
    )


def chromium_path() -> str | None:
    """The headless Chromium to render with: ``$YESAN_CHROMIUM``, else the first of ``CHROMIUM`` on PATH."""
    chosen = os.environ.get("YESAN_CHROMIUM")
    if chosen:
        return chosen if Path(chosen).exists() else None
    return next((found for name in CHROMIUM if (found := shutil.which(name))), None)


def render_png(page: str, *, timeout_s: float = 60.0) -> bytes:
    """``page`` (HTML) rendered at ``CARD_SIZE`` by headless Chromium, as PNG bytes (offline: a local file)."""
    browser = chromium_path()
    if browser is None:
        raise CardError("PNG cards need Chromium: install it (Debian: apt-get install chromium fonts-nanum) "
                        "or set $YESAN_CHROMIUM to its path")  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="yesan-card-") as folder:
        source, out = Path(folder) / "card.html", Path(folder) / "card.png"
        source.write_text(page, encoding="utf-8")
        width, height = CARD_SIZE
        command = [
            browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
            "--disable-extensions", "--disable-background-networking", f"--user-data-dir={folder}/profile",
            f"--window-size={width},{height}", f"--screenshot={out}", source.as_uri(),
        ]  # fmt: skip
        try:
            subprocess.run(command, capture_output=True, timeout=timeout_s, check=False, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise CardError(f"Chromium took longer than {timeout_s:g} s to render the card") from None
        except OSError as error:
            raise CardError(f"cannot run Chromium ({browser}): {error}") from None
        if not out.exists() or out.stat().st_size == 0:
            raise CardError(f"Chromium ({browser}) did not render the card")
        return out.read_bytes()
