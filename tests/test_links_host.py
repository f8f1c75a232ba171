"""The API's ``next`` links never come from the request's ``Host`` or ``X-Forwarded-Host`` (issue 19, item 6)."""

from __future__ import annotations

from pathlib import Path

import pytest

from claims_fixtures import build_store
from serving import serving
from yesan.errors import YesanError
from yesan.web.app import create_app


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("links")
    return build_store(folder / "s.duckdb", folder)


def test_next_links_are_relative_whatever_host_the_client_names(db: Path) -> None:
    with serving(db, warm_up=False) as client:
        headers = {"host": "evil.example", "x-forwarded-host": "evil.example", "x-forwarded-proto": "https"}
        response = client.get("/api/items", params={"limit": 1}, headers=headers)
    assert response.status_code == 200
    assert response.json()["next"] == "/api/items?limit=1&offset=1"
    assert "evil.example" not in response.text


def test_a_configured_base_url_makes_them_absolute(db: Path) -> None:
    with serving(db, warm_up=False, base_url="https://yesan.example.org/") as client:
        response = client.get("/api/items", params={"limit": 1}, headers={"host": "evil.example"})
    assert response.json()["next"] == "https://yesan.example.org/api/items?limit=1&offset=1"


def test_a_base_url_that_is_not_an_address_is_refused(db: Path) -> None:
    with pytest.raises(YesanError, match=r"bad base URL 'evil\.example'"):
        create_app(db, base_url="evil.example")
