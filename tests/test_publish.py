"""Publishing a check: ClaimReview read back by a JSON-LD processor, the standalone HTML, the ledger's flags,
what changed between runs, and reviewers' decisions applied to matching."""

from __future__ import annotations

import re
from typing import Any

import pytest
from pyld import jsonld

from yesan.claims.candidates.match import MATCH_MIN, Candidate, Match
from yesan.claims.candidates.reviews import CONFIRMED, Reviews, apply_reviews, candidate_key
from yesan.claims.model import Claim, Evidence
from yesan.publish.claimreview import RATINGS, graph
from yesan.publish.ledger import conflict_kind, ledger, ledger_csv, reported_ledger_rows
from yesan.publish.saving import changes
from yesan.publish.standalone import card_html, standalone_html
from yesan.store.checks import CheckStore, Decision

SCHEMA = "http://schema.org/"
TEXT = "가나군은 청년 창업 지원에 30억원을, <script>alert(1)</script> 도로 정비에 12억원을 쓴다."


def _judgement(start: int, amount_text: str, subject: str, verdict: str, *, reviewed: bool = False) -> dict[str, Any]:
    details = {"review": {"status": "confirmed", "by": "김기자"}} if reviewed else {}
    return {
        "claim": {"start": start, "end": start + len(amount_text), "amount_text": amount_text, "subject": subject,
                  "sentence": f"{subject}에 {amount_text}", "amount_krw": 3_000_000_000, "kind": "allocation",
                  "year": 2026, "stage": None},
        "verdict": verdict, "verdict_label_ko": verdict, "evidence_tier": "official_item", "rule": "같음",
        "rule_ko": "원 단위까지 같음", "tier_label_ko": "공식 세부사업",
        "evidence": [{"label": "가나군 청년 창업 지원", "label_ko": "가나군 청년 창업 지원",
                      "amount_krw": 3_000_000_000,
                      "source": "items", "citation": "QWGJK row 7", "citation_ko": "QWGJK 7행", "details": details}],
    }  # fmt: skip


def _saved(verdicts: tuple[str, str] = ("일치", "확인 불가")) -> tuple[dict[str, Any], dict[str, Any]]:
    start = TEXT.index("30억원")
    second = TEXT.index("12억원")
    report = {"government": "가나군", "government_code": "9990000", "year": 2026, "counts": {},
              "judgements": [_judgement(start, "30억원", "청년 창업 지원", verdicts[0]),
                             _judgement(second, "12억원", "도로 정비", verdicts[1])]}  # fmt: skip
    saved = {"check_id": "abcdefabcdef", "text": TEXT, "title": "가나군 예산 <b>기사</b>", "url": "https://news.example/a",
             "publisher": "예시일보", "published": "2026-11-20"}  # fmt: skip
    run = {"run_no": 1, "created_at": "2026-12-08T01:02:03Z", "yesan_version": "0.1.0", "report": report,
           "snapshots": [{"snapshot_id": 1, "dataset": "lofin365.QWGJK", "exe_ymd": "2026-07-05"}]}  # fmt: skip
    return saved, run


def _offline_loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """schema.org's context without the network: every term in its vocabulary."""
    assert url.rstrip("/") in ("https://schema.org", "http://schema.org"), url
    return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url,
            "document": {"@context": {"@vocab": SCHEMA}}}  # fmt: skip


def _expanded(document: dict[str, Any]) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = jsonld.expand(document, {"documentLoader": _offline_loader})
    return result


def _value(node: dict[str, Any], term: str) -> Any:
    return node[SCHEMA + term][0].get("@value", node[SCHEMA + term][0])


def test_each_rated_claim_is_a_claimreview_a_json_ld_processor_reads_back() -> None:
    saved, run = _saved()
    nodes = _expanded(graph(saved, run, "https://yesan.example/check/abcdefabcdef"))
    assert len(nodes) == 1  # 확인 불가 is not rated
    review = nodes[0]
    assert review["@type"] == [SCHEMA + "ClaimReview"]
    assert review["@id"] == "https://yesan.example/check/abcdefabcdef#claim-1"
    assert _value(review, "claimReviewed") == "청년 창업 지원에 30억원"
    rating = review[SCHEMA + "reviewRating"][0]
    assert _value(rating, "ratingValue") == RATINGS["일치"][0] == 5
    assert _value(rating, "bestRating") == 5 and _value(rating, "worstRating") == 1
    assert _value(rating, "alternateName") == "일치" and _value(rating, "ratingExplanation") == "원 단위까지 같음"
    item = review[SCHEMA + "itemReviewed"][0]
    appearance = item[SCHEMA + "appearance"][0]
    assert appearance["@type"] == [SCHEMA + "NewsArticle"]
    assert _value(appearance, "url") == "https://news.example/a" and _value(appearance, "datePublished") == "2026-11-20"
    assert _value(appearance[SCHEMA + "publisher"][0], "name") == "예시일보"
    citation = review[SCHEMA + "citation"][0]
    assert "30억원" in _value(citation, "name") and _value(citation, "description") == "QWGJK 7행"


@pytest.mark.parametrize("verdict", ["반올림 일치", "범위 일치", "근사", "불일치"])
def test_every_judged_verdict_has_a_rating_on_the_scale(verdict: str) -> None:
    saved, run = _saved((verdict, "모호"))
    (review,) = graph(saved, run, "/check/x")["@graph"]
    assert 1 <= review["reviewRating"]["ratingValue"] <= 5


def test_the_standalone_file_has_no_external_assets_and_shows_the_article_as_text() -> None:
    saved, run = _saved()
    page = standalone_html(saved, run, "https://yesan.example/check/abcdefabcdef")
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;b&gt;기사&lt;/b&gt;" in page
    assert not re.search(r"<(?:link|img|iframe)\b", page) and not re.search(r"<script(?![^>]*ld\+json)", page)
    assert not re.search(r"\b(?:src)=", page) and "@import" not in page
    assert page.count("<mark ") == 2 and 'id="claim-1"' in page and "원 단위까지 같음" in page
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert len(scripts) == 1 and "</" not in scripts[0]


def test_a_card_names_the_verdict_the_figure_and_the_evidence() -> None:
    saved, run = _saved()
    card = card_html(saved, run, 1, "/check/abcdefabcdef")
    assert "일치" in card and "30억원" in card and "30억원" in card and "공식 세부사업" in card
    assert "width:1200px" in card and "height:630px" in card
    with pytest.raises(Exception, match="no claim 3"):
        card_html(saved, run, 3, "/check/x")


def test_changes_between_runs_name_the_figure_and_what_moved() -> None:
    _, before = _saved(("확인 불가", "일치"))
    _, after = _saved(("일치", "일치"))
    after["report"]["judgements"][1] = _judgement(TEXT.index("12억원"), "12억원", "도로 정비", "일치", reviewed=True)
    moved = changes(before["report"], after["report"])
    assert [(m["amount_text"], m["what"]) for m in moved] == [("30억원", "verdict"), ("12억원", "review")]
    assert moved[0]["before"].startswith("확인 불가") and moved[0]["after"].startswith("일치")
    assert changes(after["report"], after["report"]) == []


@pytest.mark.parametrize(
    ("a", "b", "kind"),
    [
        (515_060_000_000, 515_000_000_000, "rounding"),  # 5150억6000만 written as 5150억
        (15_625_600_000_000, 15_600_000_000_000, "rounding"),  # 15조6256억 as 15조6000억
        (15_625_600_000_000, 15_000_000_000_000, "different figure"),  # truncation is not rounding
        (3_000_000_000, 3_200_000_000, "different figure"),
        (3_000_000_000, 3_000_000_000, None),
    ],
)
def test_outlets_that_differ_are_classed_as_rounding_or_a_different_figure(a: int, b: int, kind: str | None) -> None:
    row = {"amount_krw": a, "kind": "allocation", "stage": "본예산"}
    assert conflict_kind(row, {**row, "amount_krw": b}) == kind
    assert conflict_kind({**row, "stage": "예산안"}, {**row, "amount_krw": b}) == ("definition" if kind else None)


def test_the_ledger_flags_a_wrong_figure_repeated_across_articles(tmp_path: Any) -> None:
    checks = CheckStore.of_store(tmp_path / "s.duckdb")
    for n, (verdict, amount) in enumerate([("불일치", "30억원"), ("불일치", "30억원"), ("일치", "28억원")]):
        _, run = _saved((verdict, "확인 불가"))
        j = run["report"]["judgements"][0]
        j["claim"]["amount_text"] = amount
        j["claim"]["amount_krw"] = int(amount.removesuffix("억원")) * 100_000_000
        checks.save(f"{TEXT} {n}", run["report"], government=None, year=None, snapshots=[], version="t",
                    about={"publisher": f"매체{n}"})  # fmt: skip
    rows = ledger(checks, subject="청년창업")
    assert [(r["amount_text"], r["repeated_wrong"], r["conflict"]) for r in rows] == [
        ("28억원", False, "different figure"),  # against what most say: 30억원
        ("30억원", True, None),
        ("30억원", True, None),
    ]  # fmt: skip
    assert len(ledger(checks, flagged=True)) == 3 and ledger(checks, government="나다시") == []
    csv = ledger_csv(rows)
    assert csv.startswith("\ufeffgovernment,") and "매체0" in csv


def test_reported_figures_join_the_ledger_one_row_per_outlet_and_their_differences_are_classed(tmp_path: Any) -> None:
    figures = [{"dataset": "d", "gov_name": "가나군", "gov_code": "9990000", "fiscal_year": 2026, "subject": "총예산",
                "kind": "total", "stage": "예산안", "amount": 515_060_000_000, "amount_text": "5150억6000만원",
                "cited_sources": "01, 02, 03",
                "conflicting": "04: 5150억 원 = 515000000000 (rounding) | 05: 5100억 = 510000000000 (truncated) | "
                               "change 04: 300억 이상 = 30000000000 vs 31000000000 (consistent)"}]  # fmt: skip
    sources = [{"dataset": "d", "source_key": k, "outlet": f"매체{k}"} for k in ("01", "02", "03", "04", "05")]
    rows = reported_ledger_rows(figures, sources)
    assert [(r["outlet"], r["amount_krw"]) for r in rows] == [
        ("매체01", 515_060_000_000), ("매체02", 515_060_000_000), ("매체03", 515_060_000_000),
        ("매체04", 515_000_000_000), ("매체05", 510_000_000_000),
    ]  # fmt: skip
    flagged = {r["outlet"]: r["conflict"] for r in ledger(CheckStore.of_store(tmp_path / "s.duckdb"), reported=rows)}
    assert flagged == {
        "매체01": None,
        "매체02": None,
        "매체03": None,
        "매체04": "rounding",
        "매체05": "different figure",
    }


def test_a_ledger_cell_never_becomes_a_spreadsheet_formula() -> None:
    assert "'=HYPERLINK(1)" in ledger_csv([{"subject": "=HYPERLINK(1)", "amount_krw": 1}])


def _match(*candidates: Candidate, subject: str = "청년 창업 지원") -> Match:
    claim = Claim(3_000_000_000, "30억원", 0, 5, "청년 창업 지원에 30억원", subject, "allocation")
    return Match(claim, candidates, subject)


def _candidate(label: str, score: float, amount: int = 3_000_000_000) -> Candidate:
    return Candidate(Evidence(amount, label, "items", f"{label} row 1"), score, group=f"items:item:{label}")


def test_a_confirmed_candidate_decides_and_a_rejected_one_is_never_offered() -> None:
    best, second, third = (
        _candidate("청년창업 지원", 0.9),
        _candidate("청년 창업 지원(본예산)", 0.8),
        _candidate("창업", 0.6),
    )
    decision = Decision("9990000", "청년 창업 지원", confirmed=candidate_key(second),
                        rejected=frozenset({candidate_key(third)}), revision=2, decided_by="김기자",
                        decided_at="t")  # fmt: skip
    reviews = Reviews.of("9990000", {("9990000", "청년창업지원"): decision})
    (applied,) = apply_reviews([_match(best, second, third)], reviews)
    assert [c.evidence.label for c in applied.candidates] == ["청년 창업 지원(본예산)", "청년창업 지원"]
    top, other = applied.candidates
    assert top.score == CONFIRMED and top.evidence.details["review"]["by"] == "김기자"
    assert other.score < MATCH_MIN
    assert Reviews.of("1111111", {("9990000", "청년창업지원"): decision}) is None  # another government's decision


def test_a_confirmed_figure_the_data_no_longer_offers_is_said_and_matching_goes_on() -> None:
    best = _candidate("청년창업 지원", 0.9)
    decision = Decision("9990000", "청년 창업 지원", confirmed="items:item:gone|gone")
    (applied,) = apply_reviews([_match(best)], Reviews.of("9990000", {("9990000", "청년창업지원"): decision}))
    assert applied.candidates == (best,) and any("not in this data" in str(n) for n in applied.notes)


@pytest.mark.parametrize(
    ("text", "publisher"),
    [
        ('<html><head><meta property="og:site_name" content="예시일보"><title>t</title></head><body>본문</body></html>',
         "예시일보"),
        ('<html><head><meta content="A&amp;B 뉴스" property="og:site_name"></head><body><p>본문</p></body></html>',
         "A&B 뉴스"),
        ("# source: https://news.example/1\n# outlet: 가나신문\n본문 1억원", "가나신문"),
        ("그냥 본문에 1억원", None),
    ],
)  # fmt: skip
def test_the_publisher_is_read_from_the_page_or_the_header(text: str, publisher: str | None) -> None:
    from yesan.publish.saving import about_of

    assert about_of(text)["publisher"] == publisher
