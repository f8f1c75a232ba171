"""A local stand-in for the 지방재정365 and 열린재정 OpenAPI hubs, for the ``yesan fetch`` tests (loopback only).

It answers ``GET /{DATASET}?Key=…&Type=json&pIndex=N&pSize=1000&…`` with the portals' envelope and result codes
(INFO-000, INFO-200 no data, ERROR-290 bad key, ERROR-300 missing parameter, 337 quota), pages of at most
``pSize`` rows, and scripted faults: slow answers, truncated JSON, HTML error pages, 5xx, a source that gains
a row in the middle of a run. The rows are made up by the tests.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

GOOD_KEY = "tEsT-kEy-5f3a9c"


def qwgjk_row(gov_code: str, gov_name: str, n: int, *, fyr: str = "2026", exe_ymd: str = "20260705") -> dict[str, str]:
    """One made-up 세부사업 row in QWGJK's field names: 1,000,000 × n won, half 국비, half 시군구비."""
    budget = 1_000_000 * n
    return {
        "fyr": fyr, "exe_ymd": exe_ymd, "laf_cd": gov_code, "laf_hg_nm": gov_name, "wa_laf_hg_nm": "시험도",
        "acnt_dv_nm": "일반회계", "fld_nm": "사회복지", "part_nm": "노인ㆍ청소년", "dbiz_cd": f"{n:016d}",
        "dbiz_nm": f"시험사업 {n:05d}", "bdg_cash_amt": str(budget), "bdg_ntep": str(budget // 2), "capep": "0",
        "sggep": str(budget - budget // 2), "etc_amt": "0", "ep_amt": str(budget // 4), "cpl_amt": str(budget),
    }  # fmt: skip


@dataclass
class Hub:
    """What the server holds and how it misbehaves; tests change it while it runs."""

    rows: dict[str, list[dict[str, str]]] = field(default_factory=dict)  # dataset → rows (filtered per request)
    key: str = GOOD_KEY
    quota: int | None = None  # requests left today; None: unlimited
    faults: list[str] = field(default_factory=list)  # consumed one a request: ok/slow/truncate/html/500/error-300
    grow_after: int | None = None  # after this many answered pages, one row more (the total changes)
    grown: bool = False
    grow_always: bool = False  # a row more after every page: a source that never holds still
    requests: list[str] = field(default_factory=list)
    answered_pages: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(self, path: str) -> tuple[int, str, bytes, float]:
        """(status, content type, body, seconds to wait first) for one request."""
        with self.lock:
            self.requests.append(path)
            parts = urlsplit(path)
            dataset = parts.path.strip("/")
            query = {k: v[0] for k, v in parse_qs(parts.query).items()}
            fault = self.faults.pop(0) if self.faults else "ok"
            if fault == "slow":
                return 200, "application/json", b"{}", 3.0
            if fault == "html":
                return 502, "text/html", b"<html><body><h1>502 Bad Gateway</h1></body></html>", 0.0
            if fault == "500":
                return 500, "text/plain", b"internal error", 0.0
            if query.get("Key") != self.key:
                return 200, "application/json", _result("ERROR-290", "인증키가 유효하지 않습니다."), 0.0
            if self.quota is not None:
                if self.quota <= 0:
                    return 200, "application/json", _result("337", "일별 트래픽 제한을 넘은 호출입니다."), 0.0
                self.quota -= 1
            if fault == "error-300":
                return 200, "application/json", _result("ERROR-300", "필수 값이 누락되어 있습니다."), 0.0
            if dataset not in self.rows:
                return 200, "application/json", _result("ERROR-310", "해당 서비스를 찾을 수 없습니다."), 0.0
            if dataset == "QWGJK" and not (query.get("fyr") and query.get("exe_ymd")):
                return 200, "application/json", _result("ERROR-300", "필수 값이 누락되어 있습니다."), 0.0
            rows = [r for r in self.rows[dataset] if _matches(r, query)]
            if not rows:
                return 200, "application/json", _result("INFO-200", "해당하는 데이터가 없습니다."), 0.0
            index, size = int(query.get("pIndex", "1")), int(query.get("pSize", "1000"))
            page = rows[(index - 1) * size : index * size]
            body = json.dumps(
                {
                    dataset: [
                        {"head": [{"list_total_count": len(rows)}, {"RESULT": {"CODE": "INFO-000", "MESSAGE": "OK"}}]},
                        {"row": page},
                    ]
                },
                ensure_ascii=False,
            ).encode()
            self.answered_pages += 1
            if (self.grow_after is not None and not self.grown and self.answered_pages >= self.grow_after) or (
                self.grow_always
            ):
                self.grown = True
                template = self.rows[dataset][-1]
                n = len(self.rows[dataset]) + 1
                self.rows[dataset].append({**template, "dbiz_cd": f"{n:016d}", "dbiz_nm": f"추가사업 {n:05d}"})
            if fault == "truncate":  # a complete HTTP answer whose JSON stops half-way
                return 200, "application/json", body[: len(body) // 2], 0.0
            if fault == "cut":  # the connection closes before the announced Content-Length
                return 200, "cut", body, 0.0
            return 200, "application/json;charset=UTF-8", body, 0.0


def _matches(row: dict[str, str], query: dict[str, str]) -> bool:
    for name in ("fyr", "exe_ymd", "laf_cd", "FSCL_YY"):
        if name in query and name in row and row[name] != query[name]:
            return False
    return True


def _result(code: str, message: str) -> bytes:
    return json.dumps({"RESULT": {"CODE": code, "MESSAGE": message}}, ensure_ascii=False).encode()


@contextmanager
def hub_server(hub: Hub) -> Iterator[str]:
    """Serve ``hub`` on 127.0.0.1 (a free port) until the block ends; yields the base URL."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            status, content_type, body, wait_s = hub.answer(self.path)
            if wait_s:
                time.sleep(wait_s)
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json" if content_type == "cut" else content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body[: len(body) // 3] if content_type == "cut" else body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up waiting (the slow answer)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
