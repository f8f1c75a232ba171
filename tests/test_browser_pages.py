"""The explorer in a real browser: headless Chromium (Debian's, through Playwright) against a real `yesan serve`.

Needs /usr/bin/chromium (Debian package ``chromium``; ``fonts-nanum`` for Korean glyphs in screenshots).
Playwright's own browser download is never used. Every test fails on a console error, an uncaught
script error or a Content-Security-Policy violation on any page it opened.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from test_web_pages import ARTICLE, CHECK_AVAILABLE, GOHEUNG, SCRIPT_NAME, served, small_store

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip(
        "browser tests need Debian's chromium at /usr/bin/chromium (apt-get install chromium fonts-nanum)",
        allow_module_level=True,
    )
import playwright.sync_api as playwright_api  # noqa: E402 - after the skip: the dev dependencies include it


@pytest.fixture(scope="module")
def bundled_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from conftest import run_cli

    folder = tmp_path_factory.mktemp("browser_bundled")
    db = folder / "demo.duckdb"
    run_cli("demo", "--no-serve", db=db, check=True)
    with served(db, folder / "server.log") as base:
        yield base


@pytest.fixture(scope="module")
def small_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("browser_small")
    with served(small_store(folder), folder / "server.log") as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM))
        try:
            yield launched
        finally:
            launched.close()


class Watched:
    """A page whose console errors, script errors and dialogs are recorded."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.problems: list[str] = []
        self.dialogs: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        page.on("dialog", self._dialog)

    def _console(self, message: Any) -> None:
        if message.type in ("error", "warning") or "Content Security Policy" in message.text:
            self.problems.append(f"console {message.type}: {message.text}")

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def open(self, url: str) -> Any:
        response = self.page.goto(url, wait_until="networkidle")
        assert response is not None and response.status == 200, url
        return self.page


@pytest.fixture
def watched(browser: Any) -> Iterator[Watched]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ko-KR")
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = Watched(context.new_page())
    try:
        yield page
        assert page.problems == [], page.problems
        assert page.dialogs == [], page.dialogs
    finally:
        context.close()


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlparse(url).query)


# --- every page ---------------------------------------------------------------------------------


def test_every_page_loads_without_errors(watched: Watched, bundled_url: str) -> None:
    item = watched.open(f"{bundled_url}/search?q=경로당 시설 지원&gov={GOHEUNG}")
    item_href = item.locator("#table-results tbody a").first.get_attribute("href")
    for path in (
        "/",
        f"/?gov={GOHEUNG}",
        f"/explore?gov={GOHEUNG}",
        "/explore",
        "/compare",
        item_href,
        "/search?q=청년 일자리",
        f"/peers?gov={GOHEUNG}",
        "/check",
    ):
        page = watched.open(f"{bundled_url}{path}")
        assert page.locator("html").get_attribute("lang") == "ko"
        assert page.locator("h1").first.is_visible(), path
    charts = {f"/explore?gov={GOHEUNG}": "#treemap g.slice", f"/peers?gov={GOHEUNG}": "#peers-chart g.point"}
    for path, marks in charts.items():
        page = watched.open(f"{bundled_url}{path}")
        page.wait_for_selector(marks)
        assert page.locator(marks).count() > 5, f"{path}: the chart drew nothing"


def test_the_peers_chart_fits_a_laptop_screen(watched: Watched, bundled_url: str) -> None:
    page = watched.open(f"{bundled_url}/peers?gov={GOHEUNG}")
    page.wait_for_selector("#peers-chart g.point")
    assert page.locator("#peers-chart g.point").count() == 9  # the government and its nearest peers
    box = page.locator("#peers-chart").bounding_box()
    assert box is not None and box["height"] < 500  # one column of every peer was about 2,000 px tall
    assert "전라남도 고흥군" in page.locator("#peers-chart").inner_text()


def test_compare_draws_its_chart_for_two_snapshots(watched: Watched, small_url: str) -> None:
    page = watched.open(f"{small_url}/compare?gov=4711000")
    page.wait_for_selector("#compare-chart g.point")
    assert page.locator("#compare-chart g.point").count() == 4
    assert "스마트 경로당 구축" in page.locator("#table-new").inner_text()


# --- the treemap drills down ----------------------------------------------------------------------


def test_clicking_the_treemap_drills_down(watched: Watched, bundled_url: str) -> None:
    page = watched.open(f"{bundled_url}/explore?gov={GOHEUNG}")
    page.locator("#treemap g.slice").filter(has_text="사회복지").first.click()
    page.wait_for_url(re.compile(r"field="))
    assert query_of(page.url)["field"] == ["사회복지"]
    assert page.locator("nav.crumbs [aria-current=page]").inner_text() == "사회복지"
    page.wait_for_selector("#treemap g.slice")
    page.locator("#treemap g.slice").filter(has_text="노인").first.click()
    page.wait_for_url(re.compile(r"sector="))
    assert query_of(page.url)["sector"] == ["노인"]
    # 세부사업 rows link to their item pages; the breadcrumbs lead back up.
    assert page.locator("#table-rows tbody a[href^='/item/']").count() > 10
    page.locator("nav.crumbs a", has_text="전라남도 고흥군").click()
    page.wait_for_url(re.compile(r"/explore\?gov=4674000(&snapshot=\d+)?$"))


def test_the_table_sorts_by_a_column_header(watched: Watched, bundled_url: str) -> None:
    page = watched.open(f"{bundled_url}/explore?gov={GOHEUNG}")
    page.locator("#table-rows thead a", has_text="집행률").click()
    page.wait_for_url(re.compile(r"sort=execution_rate"))
    assert page.locator("#table-rows th[aria-sort]").inner_text().startswith("집행률")
    rates = [float(t.rstrip("%")) for t in page.locator("#table-rows tbody td.pct").all_inner_texts()[1::2]]
    assert rates == sorted(rates, reverse=True)


# --- language -------------------------------------------------------------------------------------


def test_switching_language_keeps_the_view(watched: Watched, bundled_url: str) -> None:
    page = watched.open(f"{bundled_url}/explore?gov={GOHEUNG}&field=사회복지")
    page.locator("a.lang").click()
    page.wait_for_url(re.compile(r"lang=en"))
    assert page.locator("html").get_attribute("lang") == "en"
    assert query_of(page.url)["field"] == ["사회복지"]
    assert page.locator("h1").inner_text() == "Where the money goes"
    page.locator("#table-rows tbody a").first.click()
    page.wait_for_url(re.compile(r"sector="))
    assert "lang=en" in page.url and page.locator("html").get_attribute("lang") == "en"
    page.locator("a.lang").click()
    page.wait_for_url(re.compile(r"sector="))
    assert "lang=en" not in page.url and page.locator("h1").inner_text() == "어디에 쓰나"


# --- search to item, citation ----------------------------------------------------------------------


def test_a_search_result_leads_to_its_item_and_citation(watched: Watched, bundled_url: str) -> None:
    page = watched.open(f"{bundled_url}/search")
    page.get_by_label("찾을 말").fill("경노당")
    page.get_by_label("광역").select_option("전라남도")
    page.get_by_role("button", name="검색").click()
    page.wait_for_url(re.compile(r"q="))
    first = page.locator("#table-results tbody a").first
    name = first.inner_text()
    assert "경로당" in name
    first.click()
    page.wait_for_url(re.compile(r"/item/\d+/\d+/\d+"))
    assert page.locator("h1").inner_text() == name
    citation = page.locator("#citation").inner_text()
    assert "지방재정365 QWGJK" in citation and "기준" in citation and "row" in citation
    page.get_by_role("button", name="인용문 복사").click()
    page.wait_for_selector("#copy-status:has-text('복사했습니다')")
    assert page.evaluate("navigator.clipboard.readText()") == citation


def test_the_home_search_box_picks_a_government(watched: Watched, bundled_url: str) -> None:
    page = watched.open(f"{bundled_url}/")
    page.get_by_label("지자체", exact=True).fill("고흥")
    page.get_by_role("button", name="보기").click()
    page.wait_for_url(re.compile(r"gov=4674000"))
    assert page.locator("#headline").inner_text() == "전라남도 고흥군"
    assert page.locator("datalist#gov-list option").count() > 100


# --- safety and keyboard -------------------------------------------------------------------------------


def test_a_script_in_a_name_shows_as_text_and_never_runs(watched: Watched, small_url: str) -> None:
    for path in (
        "/explore?gov=4712000&field=문화및관광&sector=문화예술",
        "/compare?gov=4712000",
        f"/search?q={SCRIPT_NAME}",
        "/search?q=script",
    ):
        page = watched.open(f"{small_url}{path}")
        assert page.get_by_text(SCRIPT_NAME, exact=False).first.is_visible(), path
    page = watched.open(f"{small_url}/explore?gov=4712000&field=문화및관광&sector=문화예술")
    page.wait_for_selector("#treemap g.slice")
    assert SCRIPT_NAME in page.locator("#treemap").inner_text()
    page.locator("#table-rows tbody a").first.click()
    page.wait_for_url(re.compile(r"/item/"))
    assert page.locator("h1").inner_text() == SCRIPT_NAME
    assert page.evaluate("document.querySelectorAll('script:not([src]):not([type=\"application/json\"])').length") == 0
    # the fixture's finalizer asserts that no dialog opened


def test_the_keyboard_reaches_the_skip_link_and_the_table(watched: Watched, bundled_url: str) -> None:
    page = watched.open(f"{bundled_url}/explore?gov={GOHEUNG}")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("Enter")
    assert page.url.endswith("#main")
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('#table-rows tbody') !== null"):
            break
    else:
        raise AssertionError("Tab never reached the table's links")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"field="))


@pytest.mark.skipif(not CHECK_AVAILABLE, reason="yesan.web.check_api (issue #5) is not installed")
def test_checking_an_article_shows_the_evidence_of_a_clicked_figure(watched: Watched, bundled_url: str) -> None:
    page = watched.open(f"{bundled_url}/check")
    page.get_by_label("기사 본문").fill(ARTICLE)
    page.get_by_label("지자체 (비우면 기사에서 찾음)").fill("고흥군")
    page.get_by_label("연도 (비우면 기사에서 찾음)").fill("2026")  # the article says 올해 but has no date
    page.get_by_role("button", name="검증하기").click()
    page.wait_for_selector("a.claim")
    claims = page.locator("a.claim")
    assert claims.count() == 2
    assert page.get_by_text(SCRIPT_NAME, exact=False).first.is_visible()
    claims.nth(1).click()
    second, first = page.locator("#ev-1"), page.locator("#ev-0")
    assert second.is_visible() and not first.is_visible()
    assert "반올림 일치" in second.inner_text() and "2644억원" in second.inner_text()
    claims.nth(0).click()
    assert first.is_visible() and "row 103,607" in first.inner_text()
    first.get_by_role("link").first.click()
    page.wait_for_url(re.compile(r"/item/1/1/103607"))
    assert page.locator("h1").inner_text() == "경로당 시설 지원"


@pytest.mark.skipif(not CHECK_AVAILABLE, reason="yesan.web.check_api (issue #5) is not installed")
def test_a_pasted_article_with_markup_shows_as_text_and_never_runs(
    watched: Watched, small_url: str, tmp_path: Path
) -> None:
    script, image = "<script>alert(1)</script>", "<img src=x onerror=alert(2)>"
    lead = "가나군은 올해 경로당 난방비 지원에 1억2천만원을 편성했다."
    # Text quoting one piece of markup is read as text and shown with the markup as text; three tags make the
    # article an HTML fragment (claims/article/text.py), read as a page: script and image are dropped, never run.
    for quoted, read_as_html in (((script,), False), ((image,), False), ((script, image), True)):
        page = watched.open(f"{small_url}/check")
        page.get_by_label("기사 본문").fill(f"{lead}\n관계자는 {' '.join(quoted)} 라고 썼다.")
        page.get_by_role("button", name="검증하기").click()
        page.wait_for_selector("#article")
        shown = page.locator("#article").inner_text()
        assert "경로당 난방비 지원에" in shown and "라고 썼다" in shown, shown
        for markup in quoted:
            assert (markup in shown) is not read_as_html, (markup, shown)
        assert page.locator("#article script, #article img").count() == 0
        assert page.locator("img[src='x']").count() == 0  # nowhere in the page did it become an element
        if quoted == (image,):
            page.screenshot(path=str(tmp_path / "xss_check.png"), full_page=True)
    # the fixture's finalizer asserts that no dialog opened and no script error happened
