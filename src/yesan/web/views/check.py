"""Check the figures in an article: paste the text or upload a file; the article comes back with each figure
highlighted and a verdict badge, and a click on a figure shows its evidence and citation.

The judging is ``yesan.claims.verdict.check.check``, the same as ``POST /api/check`` (``yesan.web.check_api``);
both read what is sent, within the same size and time limits, through ``yesan.web.check_intake``. The page
posts a form to itself and renders the article on the server from the text the claims' offsets index (the
plain text of an HTML page, a corpus file without its ``# key: value`` header), so it works without scripts;
``check.js`` only turns the evidence list into a panel. Without ``check_api`` installed the page says the check
is not available.
"""

from __future__ import annotations

from typing import Any, Final

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from yesan.claims.wording import Phrase, in_language
from yesan.errors import YesanError
from yesan.web.check_intake import (
    Refused,
    Submission,
    from_form,
    media_type,
    read_body,
    settings_of,
)
from yesan.web.views.catalog import Catalog
from yesan.web.views.common import LangParam, catalog_of, in_background, item_url, warm_check
from yesan.web.views.contents import Page, lang_of
from yesan.web.views.i18n import precise_won, text
from yesan.web.views.page import page_route
from yesan.web.views.saving import check_url, run_check, save_run
from yesan.web.views.templating import render
from yesan.web.writes import csrf_token, signed_in, writer

router = APIRouter()

#: How each verdict is shown: a colour class and its English name.
VERDICT_STYLE: Final = {
    "일치": ("match", "matches"),
    "반올림 일치": ("match", "matches when rounded"),
    "범위 일치": ("match", "within the stated range"),
    "근사": ("near", "close"),
    "불일치": ("mismatch", "does not match"),
    "확인 불가": ("unknown", "cannot be checked"),
    "모호": ("unknown", "ambiguous"),
}


def available(request: Request) -> bool:
    return bool(getattr(request.app.state, "check_available", False))


@page_route(router, "/check", summary="Check the figures in an article (the form)")
def check_page(request: Request, lang: LangParam = None) -> Page:
    data: dict[str, Any] = _base(request)
    if data["available"]:
        in_background(request.app, "check-warm-up", lambda: warm_check(request.app))
    return Page("check.html", data, [], scripts=("check",) if data["available"] else ())


@router.post("/check", response_class=HTMLResponse, include_in_schema=False)
async def check_submit(request: Request) -> Response:
    """The form's answer: the article with its figures judged (or the form again with what went wrong)."""
    data = _base(request)
    if not data["available"]:
        return HTMLResponse(render(request, Page("check.html", data, [])), status_code=503)
    try:
        submission = await _read_form(request)
        data["text"] = submission.text
        data["government"] = submission.government or ""
        data["year"] = submission.year
        catalog = await run_in_threadpool(catalog_of, request)
        who = writer(request, submission.csrf, form=True) if submission.csrf else None
        report, data["result"] = await run_in_threadpool(_run, request, catalog, submission)
        data["text"] = data["result"]["body"]
        status = 200
        if who is not None:  # a signed-in reviewer's check is saved: its permalink answers from now on
            check_id, _ = await run_in_threadpool(
                save_run, request, submission.text, report, government=submission.government,
                year=submission.year, who=who, reason="checked",
            )  # fmt: skip
            return RedirectResponse(check_url(check_id, lang_of(request)), status_code=303)
    except Refused as error:
        data["error"], status = str(error), error.status
    except YesanError as error:
        name = type(error).__name__
        data["error"], status = str(error), {"CheckTimeout": 504, "TooManyFigures": 422}.get(name, 400)
    return HTMLResponse(render(request, Page("check.html", data, [], scripts=("check",))), status_code=status)


def _base(request: Request) -> dict[str, Any]:
    settings = settings_of(request)
    return {
        "csrf": csrf_token(request),
        "reviewer": signed_in(request),
        "page": "check",
        "available": available(request),
        "max_bytes": settings.max_body_bytes,
        "max_size": f"{settings.max_body_bytes // 1024:,} KB",
        "time_limit_s": settings.check_time_limit_s,
        "text": "",
        "government": "",
        "year": None,
        "result": None,
        "error": None,
    }


async def _read_form(request: Request) -> Submission:
    """The form's article (the uploaded file if one was chosen, else the text box), government and year."""
    body = await read_body(request)
    if media_type(request) != "multipart/form-data":
        raise Refused(400, "send the form as multipart/form-data (the page's form does)")
    return await from_form(
        request, body, missing="paste an article into the box or choose a file to check", one_line_end=True
    )


def _run(request: Request, catalog: Catalog, submission: Submission) -> tuple[Any, dict[str, Any]]:
    """The check (in a worker process killed at the deadline, ``yesan.web.checkers``, with the reviewers'
    decisions applied) and the page's view of it."""
    from yesan.claims.article.text import to_document

    body = to_document(submission.text, source="form").text  # the text the claims' offsets index
    report = run_check(request, submission.text, submission.government, submission.year, "form")
    lang = lang_of(request)
    decision = _decision(report.scope, lang)
    return report, present(report.as_dict(), body, catalog, lang, decision=decision)


def _decision(scope: Any, lang: str) -> list[str]:
    """The government and year the check used and why, in the page's language (the form's fields named)."""
    from yesan.claims.candidates.scope import scope_lines

    if scope is None:
        return []
    how_government, how_year = text(lang, "check.form_government"), text(lang, "check.form_year")
    return [line.render(lang) for line in scope_lines(scope, how_government=how_government, how_year=how_year)]


def verdict_label(verdict: str, lang: str) -> str:
    """A verdict as the page names it: the Korean verdict itself, or its English name."""
    return VERDICT_STYLE.get(verdict, ("unknown", verdict))[1] if lang == "en" else verdict


def _tiered_label(judgement: dict[str, Any], lang: str) -> str:
    key = "verdict_label_ko" if lang == "ko" else "verdict_label"
    return str(judgement.get(key) or verdict_label(judgement["verdict"], lang))


def _tier_label(tier: str | None, lang: str) -> str:
    return Phrase(f"tier.{tier or 'none'}").render(lang)


def present(
    report: dict[str, Any], body: str, catalog: Catalog, lang: str, *, decision: list[str] | None = None
) -> dict[str, Any]:
    """The report as the page shows it: the article cut into plain text and judged figures, and the evidence.

    The rules, notes, evidence descriptions and warnings are ``yesan.claims.wording`` phrases, shown in the
    page's language."""
    judged = []
    for index, judgement in enumerate(report["judgements"]):
        claim = judgement["claim"]
        judged.append(
            {
                "index": index,
                "verdict": judgement["verdict"],
                # The verdict as read against its evidence tier ("다른 보도와 일치"); the bare name for the counts.
                "verdict_label": _tiered_label(judgement, lang),
                "plain_label": verdict_label(judgement["verdict"], lang),
                "tier": judgement.get("evidence_tier") or "none",
                "tier_label": _tier_label(judgement.get("evidence_tier"), lang),
                "style": VERDICT_STYLE.get(judgement["verdict"], ("unknown", ""))[0],
                "rule": in_language(judgement["rule"], lang),
                "notes": [in_language(note, lang) for note in judgement["notes"]],
                "claim": claim,
                "claim_display": precise_won(lang, claim["amount_krw"]),
                "difference": judgement["difference_krw"],
                "why": judgement.get("reason_text_ko" if lang == "ko" else "reason_text"),
                "look_in": judgement.get("look_in_ko" if lang == "ko" else "look_in"),
                "evidence": [_evidence(e, catalog, lang) for e in judgement["evidence"]],
            }
        )
    return {
        **{k: report[k] for k in ("government", "government_code", "year", "counts", "reference")},
        "decision": decision if decision is not None else _summary_of(report.get("detection"), lang),
        "tier_counts": [
            {"tier": tier, "label": _tier_label(tier, lang), "n": n}
            for tier, n in (report.get("tier_counts") or {}).items()
            if n
        ],
        "warnings": [in_language(warning, lang) for warning in report["warnings"]],
        "body": body,
        "segments": segments(body, judged),
        "judgements": judged,
        "checks": [
            {
                **c,
                **{field: in_language(c[field], lang) for field in ("kind", "computed", "rule")},
                "verdict_label": verdict_label(c["verdict"], lang),
                "style": VERDICT_STYLE.get(c["verdict"], ("unknown", ""))[0],
                "claims": [i + 1 for i in c["claims"]],
            }
            for c in report["checks"]
        ],
        "summary": text(lang, "check.summary", n=len(judged)),
    }


def _summary_of(detection: dict[str, Any] | None, lang: str) -> list[str]:
    if not detection:
        return []
    return list(detection.get("summary_ko" if lang == "ko" else "summary") or [])


def _evidence(evidence: dict[str, Any], catalog: Catalog, lang: str) -> dict[str, Any]:
    details = evidence.get("details") or {}
    url = None
    source_id = catalog.source_ids.get(str(details.get("file"))) if details.get("file") else None
    if details.get("level") == "item" and details.get("snapshot_id") and details.get("row") and source_id:
        url = item_url(int(details["snapshot_id"]), source_id, int(details["row"]))
    return {
        "label": in_language(evidence["label"], lang),
        "amount": evidence["amount_krw"],
        "amount_display": precise_won(lang, evidence["amount_krw"]),
        "source": evidence["source"],
        "citation": in_language(evidence["citation"], lang),
        "url": url,
    }


def segments(body: str, judged: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``body`` as consecutive pieces, each plain text or one judged figure (by its offsets, in order)."""
    pieces: list[dict[str, Any]] = []
    at = 0
    for item in sorted(judged, key=lambda j: (j["claim"]["start"], j["claim"]["end"])):
        start, end = int(item["claim"]["start"]), int(item["claim"]["end"])
        if start < at or end > len(body) or start >= end:
            continue  # overlapping or outside the text: listed below, not highlighted
        if start > at:
            pieces.append({"text": body[at:start], "claim": None})
        pieces.append({"text": body[start:end], "claim": item["index"]})
        at = end
    if at < len(body):
        pieces.append({"text": body[at:], "claim": None})
    return pieces
