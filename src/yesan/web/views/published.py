"""Saved checks: permalinks, their data and downloads, re-runs and reviewers' decisions.

| path | what |
|---|---|
| ``GET /check/{id}`` | the saved check's latest run: article, verdicts, evidence, changes, ClaimReview, review forms |
| ``GET /check/{id}.json`` | the saved check: text, every run (report, snapshots used, yesan version) |
| ``GET /check/{id}/claimreview.json`` | schema.org ClaimReview JSON-LD of the latest run |
| ``GET /check/{id}/report.html`` | the standalone HTML file to publish (no external assets) |
| ``GET /check/{id}/card/{n}.png`` | a 1200×630 card of claim ``n`` (headless Chromium) |
| ``POST /check/{id}/rerun`` | run the check again on the store's data (a write) |
| ``POST /check/{id}/review`` | confirm, pick or reject a candidate for one claim, with a reason (a write) |
| ``GET /checks`` (``.json``) | every saved check |

Writes need the write token (``yesan.web.writes``); pages of saved checks are never cached (a review or a
re-run changes them).
"""

from __future__ import annotations

from typing import Any, Final

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from yesan.errors import YesanError
from yesan.publish.claimreview import SCALE, graph
from yesan.publish.saving import changes, is_reviewed
from yesan.publish.standalone import CardError, card_html, render_png, standalone_html
from yesan.store.checks import CheckNotFound, ReviewConflict, SavedCheck
from yesan.web.check_intake import Refused
from yesan.web.responses import error_response, plain
from yesan.web.views.common import catalog_of
from yesan.web.views.contents import Page, lang_of
from yesan.web.views.saving import check_url, checks_of, permalink, run_check, save_run
from yesan.web.views.templating import render
from yesan.web.writes import csrf_token, require_writer, signed_in

router = APIRouter()

NO_STORE: Final = {"Cache-Control": "no-store"}
#: Rendered cards kept per server (about 70 kB each; rendering one starts Chromium, 1–2 s).
CARDS_KEPT: Final = 64


def _saved(request: Request, check_id: str) -> SavedCheck:
    return checks_of(request).get(check_id)


def _not_found(request: Request, error: YesanError) -> Response:
    if request.url.path.endswith((".json", ".png")):
        return error_response(404, str(error))
    from yesan.web.views.templating import render_error

    return HTMLResponse(render_error(request, 404, str(error)), status_code=404, headers=NO_STORE)


@router.get("/checks.json", summary="Every saved check (no article text)", tags=["checks"])
def checks_json(request: Request) -> Response:
    return JSONResponse(plain({"ok": True, "checks": checks_of(request).listing()}), headers=NO_STORE)


@router.get("/checks", response_class=HTMLResponse, include_in_schema=False)
def checks_page(request: Request) -> Response:
    data = {"page": "checks", "checks": checks_of(request).listing(), "reviewer": signed_in(request)}
    return HTMLResponse(render(request, Page("checks.html", data)), headers=NO_STORE)


@router.get("/check/{check_id}.json", summary="A saved check: its text and every run", tags=["checks"])
def check_json(request: Request, check_id: str) -> Response:
    try:
        saved = _saved(request, check_id)
    except CheckNotFound as error:
        return _not_found(request, error)
    runs = saved.runs
    moved = changes(runs[-2]["report"], runs[-1]["report"]) if len(runs) > 1 else []
    body = {"ok": True, "permalink": permalink(request, check_id), **saved.as_dict(), "changes": moved}
    return JSONResponse(plain(body), headers=NO_STORE)


@router.get("/check/{check_id}/claimreview.json", summary="schema.org ClaimReview JSON-LD", tags=["checks"])
def check_claimreview(request: Request, check_id: str) -> Response:
    try:
        saved = _saved(request, check_id)
    except CheckNotFound as error:
        return _not_found(request, error)
    document = graph(saved.as_dict(), saved.latest, permalink(request, check_id))
    return JSONResponse(document, media_type="application/ld+json", headers=NO_STORE)


@router.get("/check/{check_id}/report.html", include_in_schema=False)
def check_standalone(request: Request, check_id: str) -> Response:
    try:
        saved = _saved(request, check_id)
    except CheckNotFound as error:
        return _not_found(request, error)
    page = standalone_html(saved.as_dict(), saved.latest, permalink(request, check_id))
    disposition = f'attachment; filename="yesan-check-{check_id}.html"'
    return HTMLResponse(page, headers={**NO_STORE, "Content-Disposition": disposition})


@router.get("/check/{check_id}/card/{number}.png", include_in_schema=False)
async def check_card(request: Request, check_id: str, number: int) -> Response:
    try:
        saved = _saved(request, check_id)
        page = card_html(saved.as_dict(), saved.latest, number, permalink(request, check_id))
    except CheckNotFound as error:
        return _not_found(request, error)
    except YesanError as error:
        return error_response(404, str(error))
    cards: dict[tuple[str, int, int], bytes] = request.app.state.cards
    key = (check_id, int(saved.latest["run_no"]), number)  # a run never changes: its card can be kept
    png = cards.get(key)
    if png is None:
        try:
            png = await run_in_threadpool(render_png, page)
        except CardError as error:
            return error_response(503, str(error))
        if len(cards) >= CARDS_KEPT:
            cards.pop(next(iter(cards)))
        cards[key] = png
    name = f"yesan-check-{check_id}-{number}.png"
    return Response(
        png, media_type="image/png", headers={**NO_STORE, "Content-Disposition": f'inline; filename="{name}"'}
    )


@router.get("/check/{check_id}", response_class=HTMLResponse, include_in_schema=False)
async def check_permalink(request: Request, check_id: str) -> Response:
    try:
        saved = await run_in_threadpool(_saved, request, check_id)
    except CheckNotFound as error:
        return _not_found(request, error)
    data = await run_in_threadpool(_page_data, request, saved)
    return HTMLResponse(render(request, Page("saved_check.html", data, [], scripts=("check",))), headers=NO_STORE)


def _page_data(request: Request, saved: SavedCheck, message: str | None = None) -> dict[str, Any]:
    from yesan.claims.article.text import to_document
    from yesan.web.views.check import present

    lang = lang_of(request)
    run = saved.latest
    body = to_document(saved.text, source="saved").text
    result = present(run["report"], body, catalog_of(request), lang)
    decisions = checks_of(request).decisions()
    code = run["report"].get("government_code")
    candidates = run["report"].get("candidates") or []
    for j in result["judgements"]:
        found = candidates[j["index"]] if j["index"] < len(candidates) else None
        subject, key = (found or {}).get("subject"), (found or {}).get("subject_key")
        decision = decisions.get((str(code), key)) if code and key else None
        j["review_subject"] = subject
        j["candidates"] = (found or {}).get("candidates", [])
        j["revision"] = decision.revision if decision else 0
        j["reviewed"] = is_reviewed(run["report"]["judgements"][j["index"]])
    link = permalink(request, saved.check_id)
    return {
        "page": "saved_check",
        "available": True,
        "saved": saved.as_dict(text=False),
        "run": {k: v for k, v in run.items() if k != "report"},
        "runs": [{k: v for k, v in r.items() if k != "report"} for r in saved.runs],
        "changes": changes(saved.runs[-2]["report"], run["report"]) if len(saved.runs) > 1 else [],
        "result": result,
        "permalink": link,
        "claimreview": graph(saved.as_dict(), run, link),
        "scale": SCALE,
        "csrf": csrf_token(request),
        "reviewer": signed_in(request),
        "read_only": getattr(request.app.state, "write_token", None) is None,
        "message": message,
    }


async def _form(request: Request) -> dict[str, str]:
    form = await request.form()
    return {k: v for k, v in form.items() if isinstance(v, str)}


def _refused(request: Request, error: Refused) -> Response:
    if "text/html" in request.headers.get("accept", "") and not request.headers.get("authorization"):
        from yesan.web.views.templating import render_error

        return HTMLResponse(render_error(request, error.status, str(error)), status_code=error.status)
    return error_response(error.status, str(error))


@router.post("/check/{check_id}/rerun", summary="Run a saved check again on the store's data", tags=["checks"])
async def check_rerun(request: Request, check_id: str) -> Response:
    form = await _form(request) if "form" in request.headers.get("content-type", "") else {}
    try:
        who = require_writer(request, form.get("csrf"), form=bool(form))
        saved = await run_in_threadpool(_saved, request, check_id)
    except Refused as error:
        return _refused(request, error)
    except CheckNotFound as error:
        return _not_found(request, error)
    run_no = await _rerun(request, saved, who, "re-run")
    if form:
        return RedirectResponse(check_url(check_id, lang_of(request)), status_code=303)
    return JSONResponse({"ok": True, "check_id": check_id, "run_no": run_no, "permalink": permalink(request, check_id)})


async def _rerun(request: Request, saved: SavedCheck, who: str, reason: str) -> int:
    def work() -> int:
        report = run_check(request, saved.text, saved.government_asked, saved.year_asked, "saved")
        return save_run(request, saved.text, report, government=saved.government_asked, year=saved.year_asked,
                        who=who, reason=reason)[1]  # fmt: skip

    result: int = await run_in_threadpool(work)
    return result


@router.post("/check/{check_id}/review", summary="Confirm, pick or reject a candidate for one claim", tags=["checks"])
async def check_review(request: Request, check_id: str) -> Response:
    is_form = "form" in request.headers.get("content-type", "")
    fields = await _form(request) if is_form else await _json_fields(request)
    try:
        who = require_writer(request, fields.get("csrf"), form=is_form)
        saved = await run_in_threadpool(_saved, request, check_id)
        decision = await run_in_threadpool(_decide, request, saved, fields, who)
    except Refused as error:
        return _refused(request, error)
    except CheckNotFound as error:
        return _not_found(request, error)
    except ReviewConflict as error:
        return (
            error_response(409, str(error))
            if not is_form
            else HTMLResponse(
                render(request, Page("saved_check.html", _page_data(request, saved, str(error)), [])), status_code=409
            )
        )
    except YesanError as error:
        return error_response(400, str(error))
    run_no = await _rerun(request, saved, who, f"review: {fields.get('action')}")  # the check with the decision
    if is_form:
        return RedirectResponse(check_url(check_id, lang_of(request)), status_code=303)
    return JSONResponse(plain({"ok": True, "check_id": check_id, "run_no": run_no,
                               "decision": decision.__dict__ | {"rejected": sorted(decision.rejected)}}))  # fmt: skip


async def _json_fields(request: Request) -> dict[str, str]:
    try:
        data = await request.json()
    except ValueError:
        return {}
    return {k: str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def _decide(request: Request, saved: SavedCheck, fields: dict[str, str], who: str) -> Any:
    report = saved.latest["report"]
    try:
        claim = int(fields.get("claim", "")) - 1
        revision = int(fields.get("revision", "0"))
    except ValueError:
        raise YesanError("claim and revision must be numbers") from None
    candidates = report.get("candidates") or []
    if not 0 <= claim < len(candidates):
        raise YesanError(f"the check has {len(candidates)} claims; there is no claim {claim + 1}")
    entry = candidates[claim]
    chosen = next((c for c in entry["candidates"] if c["key"] == fields.get("candidate")), None)
    if chosen is None:
        raise YesanError("pick one of the claim's candidates")
    if not entry.get("subject"):
        raise YesanError("this claim has no subject to attach a decision to")
    code = report.get("government_code")
    if not code:
        raise YesanError("the check has no government: a decision is kept per government")
    action = fields.get("action", "confirm")
    return checks_of(request).decide(
        action=action, gov_code=str(code), subject=str(entry["subject"]), candidate_key=chosen["key"],
        candidate_label=chosen.get("label_ko") or chosen["label"], candidate_amount=chosen.get("amount_krw"),
        who=who, reason=fields.get("reason", ""), expected_revision=revision, check_id=saved.check_id,
        key=entry.get("subject_key"),
    )  # fmt: skip
