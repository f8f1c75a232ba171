"""``POST /api/check``: check the money figures of an article sent as JSON, a file upload or plain text.

Request bodies (at most ``MAX_BODY_BYTES``):

* ``application/json``: ``{"text": "...", "government": "서울특별시", "year": 2026}`` (government and year
  optional: taken from the text when absent);
* ``multipart/form-data``: a ``file`` field (HTML or text, UTF-8 or CP949) and optional ``government`` and
  ``year`` fields;
* ``text/plain`` (or ``text/html``): the article itself; ``government`` and ``year`` as query parameters.

The answer is ``yesan.claims.verdict.check.CheckReport.as_dict()`` with ``"ok": true``; every error has the app's
one shape ``{"ok": false, "error": "...", "status": 4xx/5xx}``: 413 for a body or text too large, 422 for a
text with more than ``MAX_FIGURES`` money figures, 400 for a bad request, 504 when checking takes longer than
``TIME_LIMIT_S`` (the check runs in a worker process, ``yesan.web.checkers``, killed at that deadline).
"""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator
from typing import Any, Final

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser

from yesan.claims.verdict.check import MAX_TEXT_CHARS, CheckTimeout, TooManyFigures
from yesan.web.checkers import CheckWorkers
from yesan.web.responses import error_response, plain

__all__ = ["MAX_BODY_BYTES", "TIME_LIMIT_S", "router"]

router = APIRouter(prefix="/api")

#: The largest request body accepted (bytes).
MAX_BODY_BYTES: Final = 1 << 20
#: Seconds one check may take before the answer is a 504.
TIME_LIMIT_S: Final = 30.0
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


class BadRequest(Exception):
    """A request this endpoint cannot answer; ``status`` is the HTTP status to send."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@router.post(
    "/check",
    summary="Check the money figures of an article: a verdict, its rule and the evidence for each",
    openapi_extra={"requestBody": _REQUEST_DOC},
)
async def check_article(request: Request) -> Response:
    try:
        body = await _read_body(request)
        text, government, year = await _fields(request, body)
    except BadRequest as error:
        return error_response(error.status, str(error))
    checkers: CheckWorkers = request.app.state.checkers
    limit = TIME_LIMIT_S

    def run() -> dict[str, Any]:
        return checkers.check(text, government=government, year=year, source="request", time_limit_s=limit).as_dict()

    try:
        result = await run_in_threadpool(run)  # the worker is killed at the time limit (yesan.web.checkers)
    except CheckTimeout:
        return error_response(504, f"checking took longer than {TIME_LIMIT_S:g} s; send a shorter text")
    except TooManyFigures as error:
        return error_response(422, str(error))
    return JSONResponse(plain({"ok": True, **result}))


async def _read_body(request: Request) -> bytes:
    """The request body, refused (413) as soon as it passes ``MAX_BODY_BYTES``."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isascii() and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise BadRequest(413, f"the request body has {int(declared):,} bytes; at most {MAX_BODY_BYTES:,} are accepted")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise BadRequest(413, f"the request body is larger than {MAX_BODY_BYTES:,} bytes; send a shorter text")
        chunks.append(chunk)
    return b"".join(chunks)


async def _fields(request: Request, body: bytes) -> tuple[str, str | None, int | None]:
    """(text, government, year) from a JSON, multipart or plain-text body."""
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media == "application/json":
        return _from_json(body)
    if media == "multipart/form-data":
        return await _from_form(request, body)
    if media in ("text/plain", "text/html", ""):
        if not body.strip():
            raise BadRequest(400, 'the request body is empty; send the article as JSON {"text": ...} or a file')
        params = request.query_params
        return _decode(body, "the body"), params.get("government") or None, _year(params.get("year"))
    raise BadRequest(
        400, f"unsupported content type {media!r}; send application/json, multipart/form-data or text/plain"
    )


def _from_json(body: bytes) -> tuple[str, str | None, int | None]:
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BadRequest(400, f"the body is not valid UTF-8 JSON ({error})") from None
    if not isinstance(data, dict):
        raise BadRequest(400, 'the JSON body must be an object: {"text": "...", "government": "...", "year": 2026}')
    text = data.get("text")
    if not isinstance(text, str) or not text.strip():
        raise BadRequest(400, 'missing parameter text: the article to check, e.g. {"text": "서울시는 …"}')
    government = data.get("government")
    if government is not None and not isinstance(government, str):
        raise BadRequest(400, f"bad parameter government={government!r}: should be a name or code")
    year = data.get("year")
    if year is not None and (isinstance(year, bool) or not isinstance(year, int)):
        year = _year(str(year))
    return _limit(text), government or None, year


async def _from_form(request: Request, body: bytes) -> tuple[str, str | None, int | None]:
    async def stream() -> AsyncGenerator[bytes, None]:
        yield body

    parser = MultiPartParser(request.headers, stream(), max_files=1, max_fields=10, max_part_size=MAX_BODY_BYTES)
    try:
        form = await parser.parse()
    except MultiPartException as error:
        raise BadRequest(400, f"bad multipart body: {error.message}") from None
    upload = form.get("file")
    if isinstance(upload, UploadFile):
        text = _decode(await upload.read(), f"the file {upload.filename or ''}".strip())
        await upload.close()
    elif isinstance(form.get("text"), str):
        text = str(form.get("text"))
    else:
        raise BadRequest(400, "missing parameter file: upload the article as the form field 'file'")
    if not text.strip():
        raise BadRequest(400, "the uploaded article is empty")
    government = form.get("government")
    year = form.get("year")
    return _limit(text), str(government) if government else None, _year(str(year) if year else None)


def _decode(data: bytes, what: str) -> str:
    for encoding in ("utf-8-sig", "cp949"):
        try:
            return _limit(data.decode(encoding))
        except UnicodeDecodeError:
            continue
    raise BadRequest(400, f"{what} is neither UTF-8 nor CP949 text; convert it to UTF-8")


def _limit(text: str) -> str:
    if len(text) > MAX_TEXT_CHARS:
        raise BadRequest(413, f"the text has {len(text):,} characters; at most {MAX_TEXT_CHARS:,} are checked")
    return text


def _year(value: str | None) -> int | None:
    if value is None or value == "":
        return None
    if not (value.isascii() and value.isdigit()) or not 1900 <= int(value) <= 2100:  # int('²') raises
        raise BadRequest(400, f"bad parameter year={value!r}: should be a year such as 2026")
    return int(value)
