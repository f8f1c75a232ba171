"""``POST /api/check``: check the money figures of an article sent as JSON, a file upload or plain text.

Request bodies (at most the ``max_body_bytes`` setting, ``yesan.settings``):

* ``application/json``: ``{"text": "...", "government": "서울특별시", "year": 2026}`` (government and year
  optional: taken from the text when absent);
* ``multipart/form-data``: a ``file`` field (HTML or text, UTF-8 or CP949) and optional ``government`` and
  ``year`` fields;
* ``text/plain`` (or ``text/html``): the article itself; ``government`` and ``year`` as query parameters.

The answer is ``yesan.claims.verdict.check.CheckReport.as_dict()`` with ``"ok": true`` and ``"saved"``. With
``Authorization: Bearer TOKEN`` (a server started with ``--write-token-file``) the check is saved in the
store's checks file and the answer adds ``check_id``, ``run_no`` and ``permalink`` (``/check/{id}``); a wrong
token is a 403; every error has the app's
one shape ``{"ok": false, "error": "...", "status": 4xx/5xx}``: 413 for a body or text too large, 422 for a
text with more than ``MAX_FIGURES`` money figures, 400 for a bad request, 504 when checking takes longer than
the ``check_time_limit_s`` setting (the check runs in a worker process, ``yesan.web.checkers``, killed then).
"""

from __future__ import annotations

from typing import Any, Final

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from yesan.claims.verdict.check import CheckTimeout, TooManyFigures
from yesan.web.check_intake import (
    Refused,
    Submission,
    decode,
    from_form,
    from_json,
    media_type,
    parse_government,
    parse_year,
    read_body,
    settings_of,
)
from yesan.web.responses import error_response, plain
from yesan.web.views.saving import permalink, run_check, save_run
from yesan.web.writes import require_writer

__all__ = ["router"]

router = APIRouter(prefix="/api")

_REQUEST_DOC: Final[dict[str, Any]] = {
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "required": ["text"],
                "properties": {
                    "text": {"type": "string", "description": "the article (HTML or plain text)"},
                    "government": {"type": "string", "description": "name or code, e.g. 서울특별시"},
                    "year": {"type": "integer", "description": "fiscal year, e.g. 2026"},
                },
            }
        },
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["file"],
                "properties": {
                    "file": {"type": "string", "format": "binary"},
                    "government": {"type": "string"},
                    "year": {"type": "integer"},
                },
            }
        },
        "text/plain": {"schema": {"type": "string"}},
    },
    "required": True,
}


@router.post(
    "/check",
    summary="Check the money figures of an article: a verdict, its rule and the evidence for each",
    openapi_extra={"requestBody": _REQUEST_DOC},
)
async def check_article(request: Request) -> Response:
    try:
        submission = await _submission(request, await read_body(request))
    except Refused as error:
        return error_response(error.status, str(error))
    limit = settings_of(request).check_time_limit_s
    who: str | None = None
    if request.headers.get("authorization"):  # a write: the check is saved, with a permalink
        try:
            who = require_writer(request)
        except Refused as error:
            return error_response(error.status, str(error))

    def run() -> dict[str, Any]:
        report = run_check(request, submission.text, submission.government, submission.year, "request")
        data = report.as_dict()
        if who is None:
            return {**data, "saved": False}
        check_id, run_no = save_run(request, submission.text, data, government=submission.government,
                                    year=submission.year, who=who, reason="checked")  # fmt: skip
        return {**data, "saved": True, "check_id": check_id, "run_no": run_no,
                "permalink": permalink(request, check_id)}  # fmt: skip

    try:
        result = await run_in_threadpool(run)  # the worker is killed at the time limit (yesan.web.checkers)
    except CheckTimeout:
        return error_response(504, f"checking took longer than {limit:g} s; send a shorter text")
    except TooManyFigures as error:
        return error_response(422, str(error))
    return JSONResponse(plain({"ok": True, **result}))


_NO_FILE: Final = "missing parameter file: upload the article as the form field 'file'"


async def _submission(request: Request, body: bytes) -> Submission:
    """The article from a JSON, multipart or plain-text body (government and year then as query parameters)."""
    media = media_type(request)
    if media == "application/json":
        return from_json(body)
    if media == "multipart/form-data":
        return await from_form(
            request, body, missing="missing parameter file: upload the article as the form field 'file'"
        )
    if media in ("text/plain", "text/html", ""):
        if not body.strip():
            raise Refused(400, 'the request body is empty; send the article as JSON {"text": ...} or a file')
        params = request.query_params
        return Submission(decode(body, "the body"), parse_government(params.get("government")),
                          parse_year(params.get("year")))  # fmt: skip
    raise Refused(400, f"unsupported content type {media!r}; send application/json, multipart/form-data or text/plain")
