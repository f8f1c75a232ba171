"""The article check's intake, written once for ``POST /api/check`` and the ``/check`` page: the body read within
its bound, the article decoded (UTF-8 or CP949) and bounded in characters, and the government and year read.

Both answer a refusal with ``Refused.status`` (413 too large, 400 anything else) and its message. Their bounds
are the app's settings (``settings_of``): ``max_body_bytes`` and ``check_time_limit_s`` (``yesan.settings``).
"""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator
from dataclasses import dataclass

from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser
from starlette.requests import Request

from yesan.claims.verdict.check import MAX_TEXT_CHARS
from yesan.settings import Settings


def settings_of(request: Request) -> Settings:
    """The settings the app serving ``request`` was made with (``create_app(settings=...)``)."""
    settings: Settings = request.app.state.settings
    return settings


class Refused(Exception):
    """A submission that cannot be checked; ``status`` is the HTTP status to answer with."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Submission:
    """An article to check, with the government and year given (None: read from the text)."""

    text: str
    government: str | None
    year: int | None
    csrf: str | None = None  # a page form's CSRF token (``yesan.web.writes``): the check is then saved


async def read_body(request: Request, max_bytes: int | None = None) -> bytes:
    """The request body, refused (413) as soon as it passes ``max_bytes`` (the app's ``max_body_bytes``),
    before it is all read."""
    if max_bytes is None:
        max_bytes = settings_of(request).max_body_bytes
    declared = request.headers.get("content-length")
    if declared is not None and declared.isascii() and declared.isdigit() and int(declared) > max_bytes:
        raise Refused(413, f"the request body has {int(declared):,} bytes; at most {max_bytes:,} are accepted")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > max_bytes:
            raise Refused(413, f"the request body is larger than {max_bytes:,} bytes; send a shorter text")
        chunks.append(chunk)
    return b"".join(chunks)


def media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


def decode(data: bytes, what: str) -> str:
    """``data`` as text (UTF-8, with or without BOM, else CP949, as ``read_document``), within the bound."""
    for encoding in ("utf-8-sig", "cp949"):
        try:
            return bounded(data.decode(encoding))
        except UnicodeDecodeError:
            continue
    raise Refused(400, f"{what} is neither UTF-8 nor CP949 text; save it as UTF-8 and send it again")


def bounded(text: str) -> str:
    """``text``, refused (413) past ``MAX_TEXT_CHARS`` characters."""
    if len(text) > MAX_TEXT_CHARS:
        raise Refused(413, f"the text has {len(text):,} characters; at most {MAX_TEXT_CHARS:,} are checked")
    return text


def parse_year(value: object) -> int | None:
    """A fiscal year as sent (``"2026"``, 2026, empty); refused unless 1900–2100."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    text = str(value).strip()
    if not (text.isascii() and text.isdigit()) or not 1900 <= int(text) <= 2100:  # int('²') raises
        raise Refused(400, f"bad parameter year={text!r}: should be a year such as 2026, or empty")
    return int(text)


def parse_government(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise Refused(400, f"bad parameter government={value!r}: should be a name or code")
    return value.strip() or None


def from_json(body: bytes) -> Submission:
    """``{"text": ..., "government": ..., "year": ...}``."""
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise Refused(400, f"the body is not valid UTF-8 JSON ({error})") from None
    if not isinstance(data, dict):
        raise Refused(400, 'the JSON body must be an object: {"text": "...", "government": "...", "year": 2026}')
    text = data.get("text")
    if not isinstance(text, str) or not text.strip():
        raise Refused(400, 'missing parameter text: the article to check, e.g. {"text": "서울시는 …"}')
    return Submission(bounded(text), parse_government(data.get("government")), parse_year(data.get("year")))


async def from_form(
    request: Request, body: bytes, *, missing: str, max_bytes: int | None = None, one_line_end: bool = False
) -> Submission:
    """A multipart form: the uploaded ``file`` when one was chosen, else the ``text`` field; ``missing`` is the
    message when neither holds an article. ``one_line_end`` makes every line end ``\\n`` (a browser's text box
    sends ``\\r\\n``; the API keeps the text as sent, so that positions index it)."""

    async def stream() -> AsyncGenerator[bytes, None]:
        yield body

    if max_bytes is None:
        max_bytes = settings_of(request).max_body_bytes
    parser = MultiPartParser(request.headers, stream(), max_files=1, max_fields=10, max_part_size=max_bytes)
    try:
        form = await parser.parse()
    except MultiPartException as error:
        raise Refused(400, f"the form could not be read: {error.message}") from None
    text = ""
    upload = form.get("file")
    chosen = upload.filename if isinstance(upload, UploadFile) and upload.filename else None
    if isinstance(upload, UploadFile):
        text = decode(await upload.read(), f"the file {chosen or ''}".strip())
        await upload.close()
    if not text.strip():
        typed = form.get("text")
        text = bounded(typed) if isinstance(typed, str) else ""
    if not text.strip():
        raise Refused(400, f"the uploaded article {chosen} is empty" if chosen else missing)
    if one_line_end:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    government = form.get("government")
    csrf = form.get("csrf")
    return Submission(text, parse_government(government if isinstance(government, str) else None),
                      parse_year(form.get("year")), csrf if isinstance(csrf, str) else None)  # fmt: skip


__all__ = [
    "Refused",
    "Submission",
    "bounded",
    "decode",
    "from_form",
    "from_json",
    "media_type",
    "parse_government",
    "parse_year",
    "read_body",
    "settings_of",
]
