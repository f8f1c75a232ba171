"""The HTTP API, served for real by uvicorn on a loopback port and queried with httpx."""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import duckdb
import httpx
import pytest

from conftest import SMALL_BUDGET_TOTAL, SMALL_QWGJK, run_cli
from serving import serving
from yesan.query import open_backend

#: The bundled line items only: the demo store also holds figures by government (lofin365.GJSCS), never summed.
QWGJK_ITEMS = (
    "(SELECT * FROM items WHERE snapshot_id IN (SELECT snapshot_id FROM snapshots WHERE dataset = 'lofin365.QWGJK'))"
)


@pytest.fixture(scope="module")
def small_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("api_small")
    source = folder / "small.csv"
    source.write_bytes(SMALL_QWGJK.read_bytes())
    db = folder / "small.duckdb"
    run_cli("load", str(source), db=db, check=True)
    return db


@pytest.fixture(scope="module")
def small(small_db: Path) -> Iterator[httpx.Client]:
    with serving(small_db) as client:
        yield client


@pytest.fixture(scope="module")
def bundled_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("api_bundled") / "demo.duckdb"
    run_cli("demo", db=db, check=True)
    return db


@pytest.fixture(scope="module")
def bundled(bundled_db: Path) -> Iterator[httpx.Client]:
    with serving(bundled_db) as client:
        yield client


def sql(db: Path, query: str) -> list[tuple[Any, ...]]:
    """The store asked directly, to check the API against: opened as the server opens it (read-only, with its
    memory limit), since DuckDB refuses a second connection to a file with different settings in one process."""
    backend = open_backend(db)
    try:
        rows: list[tuple[Any, ...]] = backend.con.sql(query).fetchall()
        return rows
    finally:
        backend.disconnect()


def ok(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert body["ok"] is True
    return body


def csv_rows(response: httpx.Response) -> list[dict[str, str]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert response.content.startswith("\ufeff".encode())
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))


# --- drill-down -----------------------------------------------------------------------------------


def test_drilldown_by_field_over_the_small_store(small: httpx.Client) -> None:
    body = ok(small.get("/api/drilldown", params={"level": "field"}))
    assert body["parent"]["budget"] == SMALL_BUDGET_TOTAL
    assert body["parent"]["snapshot_ids"] == body["snapshot_ids"] == [1]
    assert body["exact"] is True
    assert [(r["field_name"], r["budget"], r["items"]) for r in body["rows"]] == [
        ("환경", 1_400_000_000, 2),
        ("사회복지", 420_000_000, 2),
        ("공공질서및안전", 70_000_000, 1),
        ("일반공공행정", 45_000_000, 1),
    ]
    assert body["rows"][0]["budget_display"] == "14억원"
    assert body["rows"][3]["budget_display"] == "4,500만원"
    assert sum(r["share"] for r in body["rows"]) == pytest.approx(1.0)
    assert (body["total"], body["limit"], body["offset"], body["next"]) == (4, 100, 0, None)


def test_drilldown_filters_mirror_the_query_layer(small: httpx.Client) -> None:
    waste = ok(small.get("/api/drilldown", params={"level": "sector", "field": "환경", "sort": "execution"}))
    assert [(r["sector_name"], r["execution_rate"]) for r in waste["rows"]] == [
        ("상하수도·수질", 0.0),
        ("폐기물", pytest.approx(410 / 500)),
    ]
    assert waste["filters"] == {"field_name": "환경"}
    assert ok(small.get("/api/drilldown?level=item&gov=4712000"))["total"] == 2
    assert ok(small.get("/api/drilldown?level=item&gov=4711000,4712000"))["total"] == 6
    by_name = ok(small.get("/api/drilldown", params={"level": "item", "gov": "가나군"}))
    assert by_name["filters"] == {"gov_codes": ["4711000"]} and by_name["total"] == 4
    unknown = small.get("/api/drilldown", params={"gov": "없는군"})
    assert unknown.status_code == 400 and "no government '없는군'" in unknown.json()["error"]
    assert ok(small.get("/api/drilldown?level=item&account_type=기금"))["parent"]["budget"] == 70_000_000
    national = ok(small.get("/api/drilldown?level=item&funding=national"))
    assert {r["item_name"] for r in national["rows"]} == {"경로당 난방비 지원", "하수관로 정비"}
    nothing = ok(small.get("/api/drilldown?level=field&snapshot=99"))
    assert (nothing["total"], nothing["rows"], nothing["snapshot_ids"], nothing["parent"]["budget"]) == (0, [], [], 0)


@pytest.mark.slow
def test_bundled_drilldown_totals_equal_the_store_exactly(bundled: httpx.Client, bundled_db: Path) -> None:
    expected_total = sql(bundled_db, f"SELECT sum(budget), sum(spent), count(*) FROM {QWGJK_ITEMS}")[0]
    snapshot_total = sql(bundled_db, "SELECT budget_total FROM snapshots WHERE dataset = 'lofin365.QWGJK'")[0][0]
    by_region = dict(sql(bundled_db, f"SELECT parent_name, sum(budget) FROM {QWGJK_ITEMS} GROUP BY ALL"))
    body = ok(bundled.get("/api/drilldown", params={"level": "region"}))
    parent = body["parent"]
    assert (parent["budget"], parent["spent"], parent["items"]) == tuple(int(v) for v in expected_total)
    assert parent["budget"] == int(snapshot_total) == 113_536_525_211_692
    assert parent["budget_display"] == "113조 5,365억원"
    assert {r["parent_name"]: r["budget"] for r in body["rows"]} == {k: int(v) for k, v in by_region.items()}
    assert body["exact"] and not any(body["difference"].values())
    south = ok(bundled.get("/api/drilldown", params={"level": "field", "region": "전라남도"}))
    expected = dict(
        sql(bundled_db, f"SELECT field_name, sum(budget) FROM {QWGJK_ITEMS} WHERE parent_name = '전라남도' GROUP BY 1")
    )
    assert {r["field_name"]: r["budget"] for r in south["rows"]} == {k: int(v) for k, v in expected.items()}


# --- CSV twins and pagination ---------------------------------------------------------------------


def test_csv_twin_has_the_same_rows(small: httpx.Client) -> None:
    as_json = ok(small.get("/api/drilldown?level=item"))["rows"]
    for response in (
        small.get("/api/drilldown.csv?level=item"),
        small.get("/api/drilldown?level=item", headers={"Accept": "text/csv"}),
    ):
        rows = csv_rows(response)
        assert [r["item_name"] for r in rows] == [r["item_name"] for r in as_json]
        assert [int(r["budget"]) for r in rows] == [r["budget"] for r in as_json]
        assert [r["budget_display"] for r in rows] == [r["budget_display"] for r in as_json]
        assert response.headers["x-total-count"] == "6"
    assert "군정 홍보\n(소식지 발간)" in {r["item_name"] for r in rows}


def test_every_list_has_a_csv_twin(small: httpx.Client) -> None:
    for path in ("/api/snapshots", "/api/governments", "/api/drilldown", "/api/items"):
        rows = ok(small.get(path))["rows"]
        twin = csv_rows(small.get(f"{path}.csv"))
        assert len(twin) == len(rows) > 0, path
        assert list(twin[0]) == [k for k in rows[0] if k != "provenance"] + (
            ["dataset", "source_file", "source_sha256", "source_row", "loaded_at"] if path == "/api/items" else []
        )


@pytest.mark.slow
def test_pagination_follows_next_links_to_every_row(bundled: httpx.Client) -> None:
    everything = ok(bundled.get("/api/drilldown?level=government&limit=1000"))
    assert everything["total"] == len(everything["rows"]) > 100
    assert everything["next"] is None
    seen: list[dict[str, Any]] = []
    url: str | None = "/api/drilldown?level=government&limit=50"
    pages = 0
    while url:
        page = ok(bundled.get(url))
        assert page["limit"] == 50 and page["offset"] == 50 * pages and page["total"] == everything["total"]
        seen += page["rows"]
        url = page["next"]
        pages += 1
    assert seen == everything["rows"]
    assert pages == -(-everything["total"] // 50)
    default = ok(bundled.get("/api/drilldown?level=item"))
    assert (default["limit"], len(default["rows"])) == (100, 100)
    assert default["next"].endswith("/api/drilldown?level=item&limit=100&offset=100")
    link = bundled.get("/api/drilldown.csv?level=item&limit=10").headers["link"]
    assert link.endswith('/api/drilldown.csv?level=item&limit=10&offset=10>; rel="next"')


# --- caching --------------------------------------------------------------------------------------


def test_etag_and_not_modified(small: httpx.Client) -> None:
    first = small.get("/api/drilldown?level=field")
    etag = first.headers["etag"]
    assert first.headers["cache-control"] == "public, max-age=60"
    assert small.get("/api/drilldown?level=field").headers["etag"] == etag
    again = small.get("/api/drilldown?level=field", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == etag
    assert small.get("/api/drilldown?level=field", headers={"If-None-Match": '"other"'}).status_code == 200
    others = {
        small.get("/api/drilldown?level=sector").headers["etag"],
        small.get("/api/drilldown.csv?level=field").headers["etag"],
        small.get("/api/snapshots").headers["etag"],
    }
    assert etag not in others and len(others) == 3


def test_etags_change_with_the_store(small: httpx.Client, small_db: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.duckdb"
    changed = tmp_path / "small.csv"
    changed.write_text(SMALL_QWGJK.read_text(encoding="utf-8").replace("120000000,60000000", "120000001,60000001"))
    run_cli("load", str(changed), db=other, check=True)
    with serving(other) as client:
        assert client.get("/api/snapshots").headers["etag"] != small.get("/api/snapshots").headers["etag"]


# --- errors ---------------------------------------------------------------------------------------


def test_one_error_shape_everywhere(small: httpx.Client) -> None:
    cases = {
        "/api/nowhere": (404, "not found: /api/nowhere; the API is described at /docs"),
        "/api/drilldown?level=town": (
            400,
            "bad parameter level='town': should be 'region', 'government', 'account_type', 'account', 'field', "
            "'sector', 'program', 'unit' or 'item'",
        ),
        "/api/drilldown?limit=abc": (
            400,
            "bad parameter limit='abc': should be a valid integer, unable to parse string as an integer",
        ),
        "/api/drilldown.csv?limit=1001": (400, "bad parameter limit='1001': should be less than or equal to 1000"),
        "/api/drilldown?sort=size": (
            400,
            "bad parameter sort='size': should be 'budget', 'spent', 'items', 'execution' or 'name'",
        ),
        "/api/items/1/1/999": (
            404,
            "no item at snapshot 1, source 1, row 999; /api/snapshots lists the snapshots and their sources",
        ),
        "/api/items/1/1/x": (
            400,
            "bad parameter row_no='x': should be a valid integer, unable to parse string as an integer",
        ),
    }
    for path, (status, message) in cases.items():
        response = small.get(path)
        assert response.status_code == status, path
        assert response.headers["content-type"] == "application/json"
        assert response.json() == {"ok": False, "error": message, "status": status}, path
    posted = small.post("/api/drilldown")
    assert posted.json() == {
        "ok": False,
        "error": "method POST not allowed on /api/drilldown; the API answers GET",
        "status": 405,
    }


def test_a_database_that_is_not_a_store_is_503(tmp_path: Path) -> None:
    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    with serving(empty) as client:
        response = client.get("/api/drilldown")
        assert response.status_code == 503
        body = response.json()
        assert set(body) == {"ok", "error", "status"} and body["status"] == 503 and body["ok"] is False
        assert "is it a yesan store?" in body["error"] and "Traceback" not in body["error"]


# --- items and provenance -------------------------------------------------------------------------


def test_an_item_carries_its_full_provenance(small: httpx.Client, small_db: Path) -> None:
    body = ok(small.get("/api/items/1/1/5"))
    item = body["item"]
    assert item["item_name"] == "군정 홍보\n(소식지 발간)"
    assert (item["gov_code"], item["budget"], item["budget_display"]) == ("4712000", 45_000_000, "4,500만원")
    provenance = item["provenance"]
    source = small_db.parent / "small.csv"
    assert provenance["dataset"] == "lofin365.QWGJK"
    assert provenance["source_file"] == str(source)
    assert provenance["sha256"] == hashlib.sha256(source.read_bytes()).hexdigest()
    assert provenance["row"] == 5
    loaded_at = sql(small_db, "SELECT loaded_at FROM sources WHERE source_id = 1")[0][0]
    assert provenance["loaded_at"] == loaded_at.isoformat()
    listed = ok(small.get("/api/items", params={"gov": "4712000"}))
    assert listed["total"] == 2 and listed["snapshot_ids"] == [1]
    assert [r["row_no"] for r in listed["rows"]] == [5, 6]
    assert listed["rows"][0] == item
    assert ok(small.get(listed["rows"][1]["url"]))["item"] == listed["rows"][1]


def test_snapshots_and_governments(small: httpx.Client) -> None:
    (snapshot,) = ok(small.get("/api/snapshots"))["rows"]
    assert snapshot["snapshot_id"] == 1 and snapshot["stage"] == "현액" and snapshot["row_count"] == 6
    assert snapshot["budget_total"] == SMALL_BUDGET_TOTAL and snapshot["budget_total_display"] == "19억원"
    assert snapshot["source_files"][0].endswith("small.csv")
    govs = ok(small.get("/api/governments"))["rows"]
    assert sum(g["budget"] for g in govs) == SMALL_BUDGET_TOTAL
    assert {g["code"]: g["snapshot_ids"] for g in govs if g["items"]} == {"4711000": [1], "4712000": [1]}


@pytest.mark.slow
def test_governments_say_where_their_population_comes_from(bundled: httpx.Client, bundled_db: Path) -> None:
    body = ok(bundled.get("/api/governments?limit=1000"))
    assert body["total"] == len(body["rows"]) == sql(bundled_db, "SELECT count(*) FROM governments")[0][0]
    assert sum(g["budget"] for g in body["rows"]) == 113_536_525_211_692
    counted = [g for g in body["rows"] if g["population"] is not None]
    assert counted and all(g["population_year"] and g["population_source"] for g in counted)
    south = ok(bundled.get("/api/governments?region=전라남도&level=기초"))
    in_south = "SELECT count(*) FROM governments WHERE parent_name = '전라남도' AND level = '기초'"
    assert south["total"] == sql(bundled_db, in_south)[0][0] > 0
    assert all(g["parent_name"] == "전라남도" for g in south["rows"])


# --- docs and concurrency -------------------------------------------------------------------------


def test_docs_and_openapi_answer(small: httpx.Client) -> None:
    assert small.get("/docs").status_code == 200
    schema = small.get("/openapi.json").json()
    assert schema["info"]["title"] == "yesan"
    assert small.get("/").headers["content-type"].startswith("text/html")  # the explorer's home page
    for path in (
        "/api/compare",
        "/api/execution",
        "/api/funding",
        "/api/peers",
        "/api/search",
        "/api/snapshots",
        "/api/governments",
        "/api/drilldown",
        "/api/items/{snapshot_id}/{source_id}/{row_no}",
    ):
        assert path in schema["paths"], path
    levels = next(p for p in schema["paths"]["/api/drilldown"]["get"]["parameters"] if p["name"] == "level")
    assert "town" not in str(levels) and "sector" in str(levels)


def test_concurrent_requests_share_the_store_safely(small: httpx.Client) -> None:
    def budget(level: str) -> int:
        return int(ok(small.get("/api/drilldown", params={"level": level}))["parent"]["budget"])

    levels = ["field", "sector", "item", "government", "account", "region"] * 8
    with ThreadPoolExecutor(max_workers=16) as pool:
        assert set(pool.map(budget, levels)) == {SMALL_BUDGET_TOTAL}


# --- analyses -------------------------------------------------------------------------------------


def test_compare_reconciles_to_the_won(small: httpx.Client) -> None:
    body = ok(small.get("/api/compare?before_snapshot=1&after_snapshot=1&level=field"))
    assert (body["total_before"], body["total_after"], body["difference"]) == (
        SMALL_BUDGET_TOTAL,
        SMALL_BUDGET_TOTAL,
        0,
    )
    assert body["exact"] is True and body["unreconciled"] == 0
    assert body["counts"]["unchanged"] == body["total"] == 4
    assert body["before"]["snapshot_ids"] == body["after"]["snapshot_ids"] == [1]
    assert {r["field_name"]: r["after"] for r in body["rows"]}["환경"] == 1_400_000_000
    assert len(csv_rows(small.get("/api/compare.csv?before_snapshot=1&after_snapshot=1&level=field"))) == 4
    assert small.get("/api/compare").json() == {
        "ok": False,
        "error": "compare needs a before and an after: before_snapshot and after_snapshot, "
        "or before_year and after_year, or before_stage and after_stage",
        "status": 400,
    }


def test_execution_and_funding(small: httpx.Client) -> None:
    body = ok(small.get("/api/execution?level=sector&field=환경"))
    assert {r["sector_name"]: (r["budget"], r["spent"]) for r in body["rows"]} == {
        "폐기물": (500_000_000, 410_000_000),
        "상하수도·수질": (900_000_000, 0),
    }
    assert body["lowest"][0]["sector_name"] == "상하수도·수질" and body["snapshot_ids"] == [1]
    trend = ok(small.get("/api/execution/trend"))
    assert trend["rows"][0]["budget"] == SMALL_BUDGET_TOTAL and trend["fiscal_year"] == 2026
    funding = ok(small.get("/api/funding?level=government"))
    assert funding["parent"]["budget"] == SMALL_BUDGET_TOTAL and funding["parent"]["gap"] == 0
    assert funding["balanced"] is True and funding["snapshot_ids"] == [1]
    assert sum(r["national"] for r in funding["rows"]) == 60_000_000 + 450_000_000
    assert small.get("/api/funding?sort=size").json()["status"] == 400


def test_search_finds_items_and_links_their_provenance(small: httpx.Client) -> None:
    body = ok(small.get("/api/search", params={"q": "경노당"}))  # one syllable off
    assert body["total"] == 1
    (hit,) = body["rows"]
    assert hit["item_name"] == "경로당 난방비 지원" and hit["budget"] == 120_000_000
    assert ok(small.get(hit["url"]))["item"]["provenance"]["sha256"] == hit["source_sha256"]
    twin = csv_rows(small.get("/api/search.csv", params={"q": "경노당"}))
    assert [r["url"] for r in twin] == [hit["url"]]
    assert small.get("/api/search?q=").json() == {
        "ok": False,
        "error": "bad parameter q='': should have at least 1 character",
        "status": 400,
    }
    assert small.get("/api/search").json()["error"] == "missing parameter q"


@pytest.mark.slow
def test_peers_and_per_resident_cite_their_population(bundled: httpx.Client) -> None:
    body = ok(bundled.get("/api/peers", params={"of": "4671000", "group": "region"}))
    assert body["group_value"] == "전라남도" and body["government"]["gov_name"] == "담양군"
    assert body["group_size"] == len(body["peers"]) + 1 and 1 <= body["rank"] <= body["group_size"]
    assert body["government"]["population_year"] and body["government"]["population_source"]
    listed = ok(bundled.get("/api/per-resident", params={"region": "전라남도", "limit": 1000}))
    mine = next(r for r in listed["rows"] if r["gov_code"] == "4671000")
    assert mine == body["government"]
    assert mine["per_resident"] == mine["amount"] // mine["population"]
    assert bundled.get("/api/peers?of=9999999").status_code == 400
