"""Publishing a check in a real browser (headless Chromium through Playwright) against a real `yesan serve
--write-token-file`: check an article on the page, open its permalink elsewhere, download what it publishes,
confirm a match with the token, see the check re-run with it, and find its figures in the ledger."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import run_cli
from test_web_pages import served

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip("browser tests need Debian's chromium at /usr/bin/chromium", allow_module_level=True)
from test_browser_pages import Watched  # noqa: E402 - after the skip
from test_browser_pages import browser as shared_browser  # noqa: E402, F401 - its `browser` fixture, here too

TOKEN = "browser-test-token-0123456789"
# Our own sentences; the script tag must show as text on every page, never run.
ARTICLE = (
    "고흥군은 올해 경로당 시설 지원에 38억6545만원을 편성했다. 사회복지 분야에는 2644억원이 배정됐다.\n"
    "군 관계자는 <script>alert('x')</script> 같은 문구를 남겼다."
)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("browser_publish")
    db = folder / "demo.duckdb"
    run_cli("demo", "--no-serve", db=db, check=True)
    token = folder / "write.token"
    token.write_text(TOKEN + "\n", encoding="utf-8")
    token.chmod(0o600)
    with served(db, folder / "server.log", "--write-token-file", str(token)) as base:
        yield base


def _context(browser: Any) -> Any:
    return browser.new_context(viewport={"width": 1280, "height": 900}, locale="ko-KR", accept_downloads=True)


def test_check_publish_review_and_ledger_in_the_browser(shared_browser: Any, site: str, tmp_path: Path) -> None:  # noqa: F811 - the imported fixture
    browser = shared_browser
    reviewer_context = _context(browser)
    reviewer = Watched(reviewer_context.new_page())
    page = reviewer.open(f"{site}/login?next=/check")
    page.fill("#name", "김기자")
    page.fill("#token", TOKEN)
    page.click("form.login-form button[type=submit]")
    page.wait_for_url(f"{site}/check")
    page.fill("#text", ARTICLE)
    page.fill("#government", "고흥군")
    page.fill("#year", "2026")
    with page.expect_navigation(timeout=180_000):
        page.click("form.check-form button[type=submit]")
    permalink = page.url
    assert "/check/" in permalink and len(permalink.rsplit("/", 1)[1]) == 12
    assert page.locator("form.review-form").count() == 2  # signed in: a review form per claim with candidates
    page.screenshot(path=str(tmp_path / "saved_check.png"), full_page=True)

    # A reader in a new browser context (no session) opens the permalink and downloads what it publishes.
    reader_context = _context(browser)
    reader = Watched(reader_context.new_page())
    shown = reader.open(permalink)
    article = shown.locator("#article").inner_text()
    assert "<script>alert('x')</script>" in article  # the pasted markup is shown as text, never run
    assert shown.locator("#article script").count() == 0
    assert shown.locator("form.review-form").count() == 0
    embedded = json.loads(shown.locator('script[type="application/ld+json"]').inner_text())
    assert [r["@type"] for r in embedded["@graph"]] == ["ClaimReview", "ClaimReview"]
    with shown.expect_download() as claimreview:
        shown.click("#dl-claimreview")
    document = json.loads(Path(claimreview.value.path()).read_text(encoding="utf-8"))
    assert [r["reviewRating"]["ratingValue"] for r in document["@graph"]] == [5, 5]
    assert document["@graph"][0]["itemReviewed"]["name"].endswith("38억6545만원")
    with shown.expect_download() as standalone:
        shown.click("#dl-html")
    assert standalone.value.suggested_filename.endswith(".html")
    saved_html = tmp_path / standalone.value.suggested_filename
    standalone.value.save_as(saved_html)
    offline = reader_context.new_page()
    Watched(offline)
    offline.route(
        "**/*", lambda route: route.abort() if not route.request.url.startswith("file:") else route.continue_()
    )
    offline.goto(saved_html.as_uri())
    assert offline.locator("mark").count() == 2 and "alert('x')" in offline.locator(".article").inner_text()
    offline.screenshot(path=str(tmp_path / "standalone.png"), full_page=True)
    card = reader_context.request.get(site + str(shown.locator(".dl-card").first.get_attribute("href")))
    assert card.status == 200 and card.headers["content-type"] == "image/png"
    (tmp_path / "card.png").write_bytes(card.body())
    assert reader.problems == [] and reader.dialogs == []
    reader_context.close()

    # The reviewer confirms the first claim's match; the check runs again with it.
    page = reviewer.open(permalink)
    form = page.locator("form.review-form").first
    form.locator("input[name=reason]").fill("예산서 원문과 대조함")
    with page.expect_navigation(timeout=180_000):
        form.locator("button[value=confirm]").click()
    assert page.url == permalink
    assert "검토자 확인" in page.locator(".evidence-panel").inner_text()
    assert "review" in page.locator("ul.changes").inner_text()
    assert "2번째 실행" in page.locator(".saved-facts").inner_text()

    # The ledger lists the article's figures.
    ledger = reviewer.open(f"{site}/ledger?government=고흥군")
    text = ledger.locator("#ledger").inner_text()
    assert "38억6545만원" in text and "2644억원" in text
    assert reviewer.problems == [] and reviewer.dialogs == []
    reviewer_context.close()
