"""Publishing checks over a real server: saved checks with permalinks, their downloads, reviewers' decisions
reused by later checks, the ledger, and every write refused without the token."""

from __future__ import annotations

import json
import re
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from conftest import run_cli
from serving import serving
from test_web_pages import bundled_db as shared_bundled_db  # noqa: F401 - its `bundled_db` fixture, here too
from yesan.web.writes import READ_ONLY

# Our own sentences in the way articles quote 고흥군's budget (the bundled snapshot has these items).
ARTICLE = (
    "고흥군은 올해 경로당 시설 지원에 38억6545만원을 편성했다. 사회복지 분야에는 2644억원이 배정됐다.\n"
    "군 관계자는 <script>alert(1)</script> 같은 문구를 남겼다."
)
LATER = "고흥군 의회는 경로당 시설 지원 예산 38억6545만원을 그대로 통과시켰다."


@pytest.fixture(scope="module")
def demo_db(shared_bundled_db: Path) -> Path:  # noqa: F811 - the imported fixture
    return shared_bundled_db


@pytest.fixture(scope="module")
def token_file(demo_db: Path) -> Path:
    path = demo_db.with_name("write.token")
    path.write_text("a-long-enough-test-token-1234\n", encoding="utf-8")
    path.chmod(0o600)
    return path


@pytest.fixture(scope="module")
def site(demo_db: Path, token_file: Path) -> Iterator[httpx.Client]:
    with serving(demo_db, write_token_file=token_file, warm_up=False, timeout_s=180) as client:
        yield client


TOKEN = "a-long-enough-test-token-1234"
BEARER = {"Authorization": f"Bearer {TOKEN}", "X-Yesan-Reviewer": quote("테스트 봇")}


def _sign_in(client: httpx.Client, name: str = "김기자") -> None:
    answer = client.post("/login", data={"token": TOKEN, "name": name, "next": "/check"})
    assert answer.status_code == 303 and answer.headers["location"] == "/check"


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "no CSRF field on the page"
    return found.group(1)


def _saved_by_api(client: httpx.Client, text: str) -> dict[str, Any]:
    answer = client.post("/api/check", json={"text": text, "government": "고흥군", "year": 2026}, headers=BEARER)
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    assert body["saved"] is True and re.fullmatch(r"[0-9a-f]{12}", body["check_id"])
    return body


def test_a_signed_in_check_is_saved_and_its_permalink_shows_it(site: httpx.Client) -> None:
    with httpx.Client(base_url=site.base_url, timeout=180) as browser:
        _sign_in(browser)
        form = browser.get("/check")
        assert form.headers["cache-control"] == "private, no-store"
        fields = {"text": ARTICLE, "government": "고흥군", "year": "2026", "csrf": _csrf(form.text)}
        answer = browser.post("/check", files={"file": ("", b"")}, data=fields)
        assert answer.status_code == 303, answer.text[-500:]
        link = answer.headers["location"]
    check_id = link.rsplit("/", 1)[1]
    page = site.get(link)  # anyone can read it: a new client without the session
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text and "<script>alert(1)" not in page.text
    assert 'type="application/ld+json"' in page.text and "review-form" not in page.text  # not signed in: no forms
    data = site.get(f"/check/{check_id}.json").json()
    assert data["text"] == ARTICLE and len(data["text_sha256"]) == 64 and data["saved_by"] == "김기자"
    run = data["runs"][-1]
    assert run["yesan_version"] and run["snapshots"][0]["dataset"] == "lofin365.QWGJK"
    assert [j["verdict"] for j in run["report"]["judgements"]] == ["반올림 일치", "반올림 일치"]
    review = site.get(f"/check/{check_id}/claimreview.json")
    assert review.headers["content-type"].startswith("application/ld+json")
    assert [r["reviewRating"]["ratingValue"] for r in review.json()["@graph"]] == [5, 5]
    standalone = site.get(f"/check/{check_id}/report.html")
    assert "attachment" in standalone.headers["content-disposition"] and "&lt;script&gt;" in standalone.text
    card = site.get(f"/check/{check_id}/card/1.png")
    assert card.status_code == 200 and card.content[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", card.content[16:24]) == (1200, 630)
    assert site.get("/check/000000000000").status_code == 404
    assert site.get("/check/000000000000.json").json()["ok"] is False


def test_a_confirmed_match_is_reused_by_later_checks_and_a_rejected_one_never_offered(site: httpx.Client) -> None:
    first = _saved_by_api(site, ARTICLE)
    check_id = first["check_id"]
    entry = first["candidates"][0]
    assert entry["subject"] and entry["candidates"]
    chosen = entry["candidates"][0]["key"]
    revision = site.get(f"/check/{check_id}.json").json()  # the page a reviewer saw
    assert revision["ok"]
    answer = site.post(f"/check/{check_id}/review", headers=BEARER,
                       json={"claim": 1, "candidate": chosen, "action": "confirm", "reason": "예산서와 대조함",
                             "revision": 0})  # fmt: skip
    assert answer.status_code == 200, answer.text
    after = site.get(f"/check/{check_id}.json").json()
    assert any(c["what"] == "review" for c in after["changes"]), after["changes"]
    # A later article naming the same subject: the reviewer's link decides, and says so.
    later = _saved_by_api(site, LATER)
    evidence = later["judgements"][0]["evidence"][0]
    assert evidence["details"]["review"]["by"] == "테스트 봇"
    assert "검토자 확인" in site.get(f"/check/{later['check_id']}").text
    # Two reviewers deciding on the same page: the second is refused, nothing half-written.
    stale = {"claim": 1, "candidate": chosen, "action": "reject", "reason": "다시 봄", "revision": 0}
    conflict = site.post(f"/check/{check_id}/review", headers=BEARER, json=stale)
    assert conflict.status_code == 409 and "reload" in conflict.json()["error"]
    # Rejected: never offered again for the subject.
    reject = {**stale, "revision": 1}
    assert site.post(f"/check/{check_id}/review", headers=BEARER, json=reject).status_code == 200
    again = _saved_by_api(site, LATER + " ")
    assert chosen not in [c["key"] for c in again["candidates"][0]["candidates"]]


def test_the_ledger_lists_every_checked_figure_and_exports_csv(site: httpx.Client) -> None:
    _saved_by_api(site, ARTICLE)
    rows = site.get("/api/ledger", params={"government": "고흥군"}).json()["rows"]
    assert {r["amount_text"] for r in rows} >= {"38억6545만원", "2644억원"}
    assert all(r["check_id"] and r["verdict"] for r in rows)
    page = site.get("/ledger")
    assert page.status_code == 200 and "38억6545만원" in page.text
    csv = site.get("/ledger.csv", params={"subject": "경로당"})
    assert csv.text.startswith("\ufeffgovernment,") and "38억6545만원" in csv.text and "2644억원" not in csv.text
    assert site.get("/ledger.json", params={"year": "x"}).status_code == 400
    # The store's reported figures are in it too, one row per outlet, their differences classed.
    seoul = site.get("/api/ledger", params={"government": "서울특별시", "flagged": "1"}).json()["rows"]
    assert {r["source"] for r in seoul} == {"reported"} and {"rounding", "different figure"} <= {
        r["conflict"] for r in seoul
    }


def _write_routes(check_id: str) -> list[tuple[str, dict[str, Any]]]:
    return [
        (f"/check/{check_id}/rerun", {}),
        (f"/check/{check_id}/review", {"data": {"claim": "1", "candidate": "x", "reason": "r", "revision": "0"}}),
        (f"/check/{check_id}/review", {"json": {"claim": 1, "candidate": "x", "reason": "r", "revision": 0}}),
    ]


def test_every_write_is_refused_without_the_token(site: httpx.Client) -> None:
    check_id = _saved_by_api(site, ARTICLE)["check_id"]
    before = len(site.get(f"/check/{check_id}.json").json()["runs"])
    with httpx.Client(base_url=site.base_url, timeout=60) as stranger:
        for path, body in _write_routes(check_id):
            assert stranger.post(path, **body).status_code == 403, path
            wrong = {"Authorization": "Bearer not-the-token-at-all"}
            assert stranger.post(path, headers=wrong, **body).status_code == 403, path
        assert (
            stranger.post("/api/check", json={"text": ARTICLE}, headers={"Authorization": "Bearer nope"}).status_code
            == 403
        )
        unsaved = stranger.post("/api/check", json={"text": ARTICLE, "government": "고흥군", "year": 2026}).json()
        assert unsaved["saved"] is False and "check_id" not in unsaved
        assert stranger.post("/login", data={"token": "wrong-token-wrong-token", "name": "x"}).status_code == 403
        _sign_in(stranger, "박기자")  # signed in, but a form without its CSRF token is still refused
        for path, body in _write_routes(check_id)[:2]:
            assert stranger.post(path, **body).status_code == 403, path
            assert stranger.post(path, data={**body.get("data", {}), "csrf": "forged"}).status_code == 403, path
        assert stranger.post("/logout", data={"csrf": "forged"}).status_code == 403
        assert stranger.post("/api/check/../check/" + check_id + "/rerun").status_code in (403, 404)
    assert len(site.get(f"/check/{check_id}.json").json()["runs"]) == before  # nothing was written


def test_a_read_only_server_checks_but_never_writes(demo_db: Path) -> None:
    with serving(demo_db, warm_up=False, timeout_s=180) as client:
        assert "로그인" in client.get("/check").text
        answer = client.post("/check", files={"file": ("", b"")}, data={"text": ARTICLE, "government": "고흥군",
                                                                     "year": "2026", "csrf": "x"})  # fmt: skip
        assert answer.status_code == 200 and "반올림 일치" in answer.text  # checked, not saved
        assert client.post("/api/check", json={"text": ARTICLE}, headers=BEARER).json()["error"] == READ_ONLY
        assert client.post("/login", data={"token": TOKEN, "name": "x"}).status_code == 403
        for path, body in _write_routes("0123456789ab"):
            assert client.post(path, **body).status_code == 403, path


def test_a_token_file_others_can_read_or_a_short_token_is_refused(demo_db: Path, tmp_path: Path) -> None:
    loose = tmp_path / "loose.token"
    loose.write_text(TOKEN, encoding="utf-8")
    loose.chmod(0o644)
    result = run_cli("serve", "--write-token-file", str(loose), "--port", "0", db=demo_db)
    assert result.returncode == 1 and "chmod 600" in result.stderr
    short = tmp_path / "short.token"
    short.write_text("abc", encoding="utf-8")
    short.chmod(0o600)
    result = run_cli("serve", "--write-token-file", str(short), "--port", "0", db=demo_db)
    assert result.returncode == 1 and "too short" in result.stderr


def test_the_cli_saves_lists_shows_and_exports_a_check(demo_db: Path, tmp_path: Path) -> None:
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    saved = run_cli("check", str(article), "--government", "고흥군", "--year", "2026", "--save", db=demo_db, check=True)
    check_id = re.search(r"saved: check ([0-9a-f]{12})", saved.stdout).group(1)  # type: ignore[union-attr]
    listed = run_cli("checks", "--json", db=demo_db, check=True)
    assert check_id in listed.stdout
    shown = run_cli("checks", "show", check_id, db=demo_db, check=True)
    assert "38억6545만원" in shown.stdout and "반올림 일치" in shown.stdout
    out = tmp_path / "out"
    out.mkdir()
    run_cli("checks", "export", check_id, "--html", str(out / "c.html"), "--claimreview", str(out / "c.jsonld"),
            "--card", "1", "--png", str(out / "c.png"), db=demo_db, check=True)  # fmt: skip
    assert "&lt;script&gt;" in (out / "c.html").read_text(encoding="utf-8")
    assert '"ClaimReview"' in (out / "c.jsonld").read_text(encoding="utf-8")
    assert (out / "c.png").read_bytes()[:4] == b"\x89PNG"
    missing = run_cli("checks", "show", "ffffffffffff", db=demo_db)
    assert missing.returncode == 1 and "no saved check" in missing.stderr


def test_a_rerun_on_newer_data_says_what_changed(tmp_path: Path) -> None:
    from test_web_pages import JULY, MARCH, qwgjk_csv

    (tmp_path / "march.csv").write_text(qwgjk_csv("20260331", MARCH), encoding="utf-8")
    (tmp_path / "july.csv").write_text(qwgjk_csv("20260705", JULY), encoding="utf-8")
    db = tmp_path / "s.duckdb"
    run_cli("load", str(tmp_path / "march.csv"), db=db, check=True)
    article = tmp_path / "a.txt"
    article.write_text("가나군은 올해 경로당 난방비 지원에 1억원을 편성했다.", encoding="utf-8")
    first = run_cli("check", str(article), "--government", "4711000", "--year", "2026", "--save", "--json", db=db,
                    check=True)  # fmt: skip
    saved = json.loads(first.stdout)["reports"][0]
    assert saved["judgements"][0]["verdict"] == "일치"
    run_cli("load", str(tmp_path / "july.csv"), db=db, check=True)  # the July snapshot: 1억 became 1.2억
    again = json.loads(run_cli("checks", "rerun", saved["check_id"], "--json", db=db, check=True).stdout)
    moved = {c["what"]: c for c in again["changes"]}
    assert again["run_no"] == 2 and set(moved) == {"data", "verdict"}
    assert "2026-03-31" in moved["data"]["before"] and "2026-07-05" in moved["data"]["after"]
    assert moved["verdict"]["before"].startswith("일치") and not moved["verdict"]["after"].startswith("일치")
    shown = run_cli("checks", "show", saved["check_id"], db=db, check=True).stdout
    assert "run 2 of 2" in shown and "changed:" in shown


def test_an_article_sent_as_html_is_stored_and_shown_as_text(site: httpx.Client) -> None:
    page = (
        "<html><body><article><p>고흥군은 올해 경로당 시설 지원에 38억6545만원을 편성했다.</p>"
        '<p><img src="x" onerror="alert(1)">사회복지 분야에는 2644억원이 배정됐다.</p></article></body></html>'
    )
    saved = _saved_by_api(site, page)
    shown = site.get(f"/check/{saved['check_id']}").text
    assert "onerror" not in shown and "<img" not in shown.split('id="article"')[1].split("</div>")[0]
    assert site.get(f"/check/{saved['check_id']}.json").json()["text"] == page  # kept exactly as sent
