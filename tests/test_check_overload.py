"""An article check never outlives its deadline: its worker process is killed, the server stays responsive.

Issue 19, item 1: a check ran in a server thread that a 504 could not stop, holding one of the store's two
connections (and a core) until it finished, so every page answered 503 for minutes. The served app here is
real (uvicorn on loopback, ``POST /api/check``); the articles are made-up sentences.
"""

from __future__ import annotations

import concurrent.futures
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from claims_fixtures import build_store, claim
from serving import serving_app
from yesan.claims.verdict.check import MAX_FIGURES, TooManyFigures, check

SENTENCE = "가나시는 어르신 무료 급식에 42억6000만원을 편성했다. "


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("overload")
    return build_store(folder / "s.duckdb", folder)


@pytest.fixture
def served(db: Path) -> Iterator[tuple[FastAPI, httpx.Client]]:
    with serving_app(db, timeout_s=180, warm_up=False) as app_and_client:
        yield app_and_client


@pytest.fixture
def client(served: tuple[FastAPI, httpx.Client]) -> httpx.Client:
    return served[1]


def test_more_figures_than_the_bound_are_refused_before_matching() -> None:
    figure = claim(SENTENCE, "42억6000만원", "어르신 무료 급식")
    with pytest.raises(TooManyFigures, match=f"at most {MAX_FIGURES:,} are checked"):
        check(SENTENCE, None, claims=[figure] * (MAX_FIGURES + 1))


def test_a_long_article_of_one_repeated_figure_is_422_in_the_error_shape(client: httpx.Client) -> None:
    article = SENTENCE * (MAX_FIGURES + 200)
    response = client.post("/api/check", json={"text": article, "government": "가나시", "year": 2026})
    assert response.status_code == 422, response.text[:300]
    body = response.json()
    assert body == {"ok": False, "error": body["error"], "status": 422}
    assert f"{MAX_FIGURES + 200:,} money figures" in body["error"] and "shorter texts" in body["error"]


def test_checks_past_their_deadline_hold_no_store_connection(
    served: tuple[FastAPI, httpx.Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    app, client = served
    # Checks that cannot finish in 1 s, four at once; a page waits only 0.2 s for a free store connection, so
    # a check still holding one after its 504 makes the page a 503.
    app.state.settings = replace(app.state.settings, check_time_limit_s=1.0)
    monkeypatch.setattr(app.state.backends, "wait_s", 0.2)  # the connection_wait_s setting
    article = SENTENCE * (MAX_FIGURES - 100)
    payload = {"text": article, "government": "가나시", "year": 2026}
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        statuses = list(pool.map(lambda _: client.post("/api/check", json=payload).status_code, range(4)))
    assert statuses == [504] * 4
    for path in ("/api/snapshots", "/api/items?limit=1", "/api/drilldown?level=region"):
        response = client.get(path)
        assert response.status_code == 200, (path, response.text)
    app.state.settings = replace(app.state.settings, check_time_limit_s=120.0)  # a new worker starts: seconds
    response = client.post("/api/check", json={"text": SENTENCE, "government": "가나시", "year": 2026})
    assert response.status_code == 200, response.text  # a new worker replaced the killed ones
    assert [j["verdict"] for j in response.json()["judgements"]] == ["일치"]
