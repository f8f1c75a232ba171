"""POST /api/check, served for real by uvicorn on a loopback port: JSON, file upload, plain text, limits, errors."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from claims_fixtures import build_store
from serving import serving
from yesan.settings import Settings

ARTICLE = "가나시는 어르신 무료 급식에 42억6000만원, 청년 월세 지원에 350억원을 편성했다.\n"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    folder = tmp_path_factory.mktemp("check_api")
    db = build_store(folder / "s.duckdb", folder)
    with serving(db, timeout_s=60) as served:
        yield served


def _verdicts(body: dict[str, object]) -> dict[str, str]:
    return {j["claim"]["amount_text"]: j["verdict"] for j in body["judgements"]}  # type: ignore[attr-defined,index]


def test_json_text_is_checked(client: httpx.Client) -> None:
    response = client.post("/api/check", json={"text": ARTICLE, "government": "가나시", "year": 2026})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["ok"] is True and body["government"] == "가나시" and body["year"] == 2026
    assert _verdicts(body) == {"42억6000만원": "일치", "350억원": "불일치"}
    evidence = body["judgements"][0]["evidence"][0]
    assert evidence["amount_krw"] == 4_260_000_000 and "gana_reported.csv row 5" in evidence["citation"]


def test_the_government_may_come_from_the_text(client: httpx.Client) -> None:
    body = client.post("/api/check", json={"text": ARTICLE}).json()
    assert body["government"] == "가나시"


def test_a_file_upload_is_checked(client: httpx.Client) -> None:
    files = {"file": ("article.txt", ARTICLE.encode("utf-8"), "text/plain")}
    response = client.post("/api/check", files=files, data={"government": "가나시", "year": "2026"})
    assert response.status_code == 200, response.text
    assert _verdicts(response.json())["42억6000만원"] == "일치"


def test_a_cp949_upload_is_read(client: httpx.Client) -> None:
    files = {"file": ("article.txt", ARTICLE.encode("cp949"), "text/plain")}
    response = client.post("/api/check", files=files, data={"government": "가나시", "year": "2026"})
    assert response.status_code == 200 and _verdicts(response.json())["42억6000만원"] == "일치"


def test_plain_text_with_query_parameters(client: httpx.Client) -> None:
    response = client.post(
        "/api/check", params={"government": "가나시", "year": "2026"}, content=ARTICLE.encode("utf-8"),
        headers={"content-type": "text/plain; charset=utf-8"},
    )  # fmt: skip
    assert response.status_code == 200 and _verdicts(response.json())["350억원"] == "불일치"


def test_a_body_over_the_limit_is_413_in_the_error_shape(client: httpx.Client) -> None:
    big = "가" * (Settings().max_body_bytes // 3 + 10)  # three bytes each in UTF-8
    response = client.post("/api/check", json={"text": big})
    assert response.status_code == 413
    body = response.json()
    assert body == {"ok": False, "error": body["error"], "status": 413} and "at most" in body["error"]


def test_a_chunked_body_over_the_limit_is_refused_too(client: httpx.Client) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(40):
            yield b"x" * 65536

    response = client.post("/api/check", content=chunks(), headers={"content-type": "text/plain"})
    assert response.status_code == 413 and response.json()["ok"] is False


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"json": {"government": "가나시"}}, "missing parameter text"),
        ({"json": ["not", "an", "object"]}, "must be an object"),
        ({"json": {"text": ARTICLE, "year": "next year"}}, "bad parameter year"),
        ({"content": b"{not json", "headers": {"content-type": "application/json"}}, "not valid UTF-8 JSON"),
        ({"content": b"a,b", "headers": {"content-type": "text/csv"}}, "unsupported content type"),
        ({"files": {"other": ("a.txt", b"x", "text/plain")}}, "missing parameter file"),
    ],
)
def test_bad_requests_are_400_with_a_reason(client: httpx.Client, kwargs: dict[str, object], fragment: str) -> None:
    response = client.post("/api/check", **kwargs)  # type: ignore[arg-type]
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["ok"] is False and body["status"] == 400 and fragment in body["error"]


def test_an_unknown_government_code_is_400(client: httpx.Client) -> None:
    response = client.post("/api/check", json={"text": ARTICLE, "government": "1234567"})
    assert response.status_code == 400 and "no government 1234567" in response.json()["error"]


def test_a_check_over_the_time_limit_is_504(tmp_path: Path) -> None:
    db = build_store(tmp_path / "s.duckdb", tmp_path)
    with serving(db, timeout_s=60, warm_up=False, settings=Settings(check_time_limit_s=0.0)) as client:
        response = client.post("/api/check", json={"text": ARTICLE, "government": "가나시"})
    assert response.status_code == 504
    assert response.json()["ok"] is False and "longer than" in response.json()["error"]


def test_get_is_not_allowed(client: httpx.Client) -> None:
    response = client.get("/api/check")
    assert response.status_code == 405 and response.json()["ok"] is False
