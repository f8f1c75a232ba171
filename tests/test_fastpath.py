"""``yesan.web.fastpath``: /api/drilldown answered without FastAPI's parameter solving must answer exactly as
the FastAPI route does. Two real servers over the same store, one without the fast path, are asked the same
generated requests; status, headers and body must be equal byte for byte."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import run_cli
from serving import serving
from yesan.web import fastpath
from yesan.web.fastpath import read_query


@pytest.fixture(scope="module")
def bundled_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("fastpath") / "demo.duckdb"
    run_cli("demo", db=db, check=True)
    return db


@pytest.fixture(scope="module")
def servers(bundled_db: Path) -> Iterator[tuple[httpx.Client, httpx.Client]]:
    with serving(bundled_db) as fast, serving(bundled_db, fast_paths=False) as plain:
        yield fast, plain


# --- reading the query string -----------------------------------------------------------------------------


def test_plain_drilldowns_are_read() -> None:
    assert read_query(b"") == {
        "level": "field",
        "sort": "budget",
        "limit": 100,
        "offset": 0,
        "fiscal_year": None,
        "snapshot": [],
        "gov": None,
    }
    read = read_query(b"gov=4712000,4213000&fiscal_year=2026&level=sector&sort=name&limit=5&offset=10")
    assert read is not None
    assert read["gov"] == ("4712000", "4213000")
    assert (read["fiscal_year"], read["level"], read["sort"], read["limit"], read["offset"]) == (
        2026,
        "sector",
        "name",
        5,
        10,
    )
    read = read_query(urlencode({"field": "사회복지", "region": "부산광역시", "snapshot": "1"}).encode())
    assert read is not None
    assert (read["field"], read["region"], read["snapshot"]) == ("사회복지", "부산광역시", [1])


@pytest.mark.parametrize(
    "query",
    [
        "gov=경주시",  # a name: looked up (and perhaps ambiguous) by the FastAPI route
        "gov=4712000&gov=강릉시",
        "level=nowhere",
        "sort=budget&sort=name",  # a single-valued parameter given twice
        "limit=0",
        "limit=1001",
        "limit=+5",
        "limit= 5",
        "offset=-1",
        "offset=2147483648",
        "snapshot=0",
        "fiscal_year=２０２６",  # full-width digits
        "region=",
        "funding=foreign",
        "colour=blue",  # unknown parameters go on to FastAPI too
    ],
)
def test_everything_else_is_left_to_fastapi(query: str) -> None:
    assert read_query(query.encode()) is None


# --- the two paths answer alike ---------------------------------------------------------------------------

_VALUES = {
    "gov": ["4712000", "4213000", "4712000,4213000", " 4712000 ", "9999999", "경주시", "서울", "", ","],
    "region": ["경상북도", "강원특별자치도", "부산광역시", "없는도", ""],
    "field": ["사회복지", "환경", "교통및물류", "없음"],
    "sector": ["일반행정", "보건의료", "노인", "=1+1"],
    "account_type": ["일반회계", "특별회계", "기금", "x"],
    "account": ["일반회계", "재난관리기금"],
    "snapshot": ["1", "2", "0", "2147483647", "2147483648", "x"],
    "fiscal_year": ["2026", "2025", "02026", "-1", "2026.0", "１"],
    "stage": ["현액", "본예산", "결산"],
    "funding": ["national", "provincial", "municipal", "other", "foreign"],
    "level": ["region", "government", "account_type", "account", "field", "sector", "program", "item", "x"],
    "sort": ["budget", "spent", "items", "execution", "name", "size"],
    "limit": ["1", "3", "100", "1000", "1001", "0", "+3"],
    "offset": ["0", "2", "50", "2147483647", "-1"],
    "unknown": ["1"],
}
_PAIRS = st.sampled_from(sorted(_VALUES)).flatmap(lambda name: st.tuples(st.just(name), st.sampled_from(_VALUES[name])))


def _same_answer(fast: httpx.Client, plain: httpx.Client, url: str, headers: dict[str, str]) -> httpx.Response:
    headers = {**headers, "host": "yesan.test"}  # the `next` links name the host: the two servers' ports differ
    a, b = fast.get(url, headers=headers), plain.get(url, headers=headers)
    assert a.status_code == b.status_code, url
    assert a.content == b.content, url
    skip = {"date", "server"}
    assert {k: v for k, v in a.headers.items() if k not in skip} == {
        k: v for k, v in b.headers.items() if k not in skip
    }, url
    return a


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    pairs=st.lists(_PAIRS, max_size=5),
    accept=st.sampled_from(["application/json", "text/csv", "*/*"]),
    csv_path=st.booleans(),
)
def test_fast_and_fastapi_answer_alike(
    servers: tuple[httpx.Client, httpx.Client], pairs: list[tuple[str, str]], accept: str, csv_path: bool
) -> None:
    fast, plain = servers
    path = "/api/drilldown.csv" if csv_path else "/api/drilldown"
    _same_answer(fast, plain, f"{path}?{urlencode(pairs)}", {"accept": accept})


def test_common_drilldowns_take_the_fast_path(
    servers: tuple[httpx.Client, httpx.Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The generated test above cannot tell whether the fast path ran: count its answers here."""
    fast, plain = servers
    answered: list[str] = []
    original = getattr(fastpath, "drill_response")  # noqa: B009 - imported there, not exported

    async def counting(*args: object) -> object:
        answered.append(str(args[2]))
        return await original(*args)

    monkeypatch.setattr(fastpath, "drill_response", counting)
    for query in ("", "level=sector&gov=4712000", "gov=4213000&level=account&sort=name&limit=3&offset=1"):
        answer = _same_answer(fast, plain, f"/api/drilldown?{query}", {})
        assert answer.status_code == 200
    assert answered == ["field", "sector", "account"]
    # a name is looked up by the FastAPI route: same answer as its code, not through the fast path
    by_name = _same_answer(fast, plain, "/api/drilldown?gov=경주시", {})
    assert answered == ["field", "sector", "account"]
    by_code = fast.get("/api/drilldown?gov=4712000").json()
    assert by_name.json()["rows"] == by_code["rows"]
    assert answered == ["field", "sector", "account", "field"]
    # an error keeps FastAPI's shape
    bad = _same_answer(fast, plain, "/api/drilldown?limit=0", {})
    assert bad.status_code == 400 and bad.json()["ok"] is False
