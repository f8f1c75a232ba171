"""The text's own arithmetic: stated percentages, level − prior = change, implied priors, shares and parts."""

from __future__ import annotations

from claims_fixtures import claim
from yesan.claims.model import Claim
from yesan.claims.verdict.arithmetic import ArithmeticCheck, DataFigures, check_arithmetic

YOUTH = DataFigures("청년 월세 지원 (예산안)", "reported figures 'test' row 7", 315 * 10**8, 275 * 10**8, 40 * 10**8)
TOTAL = DataFigures("가나시 총예산(총계) (예산안)", "reported figures 'test' row 1", 25_150 * 10**8, 23_500 * 10**8)


def _by_kind(checks: list[ArithmeticCheck], kind: str) -> list[ArithmeticCheck]:
    return [c for c in checks if c.kind == kind]


def test_a_stated_change_percentage_is_checked_against_the_datas_prior_year() -> None:
    s = "가나시 예산은 지난해보다 7% 늘어난 2조5150억원이다."
    c = claim(s, "2조5150억원", "가나시 예산", "total", change_pct=7.0)
    [check] = check_arithmetic([c], year=2026, data=[TOTAL])
    assert check.kind == "percent" and check.verdict == "반올림 일치"
    assert check.stated == "7%"
    assert "7.02%" in check.computed and "rounds to 7%" in check.rule
    assert check.evidence[0].source == "reported"


def test_level_prior_change_and_percentage_in_one_sentence_are_all_checked() -> None:
    s = "청년 월세 지원은 315억원으로 지난해 275억원 대비 40억원, 14.5% 늘었다."
    claims = [
        claim(s, "315억원", "청년 월세 지원", change_pct=14.5),
        claim(s, "275억원", "지난해", "prior", year=2025),
        claim(s, "40억원", "증가분", "change", change_pct=14.5),
    ]
    checks = check_arithmetic(claims, year=2026)
    [difference] = _by_kind(checks, "difference")
    assert difference.verdict == "일치" and difference.decides == 2
    assert difference.computed == "315억원 − 275억원 = 40억원"
    [percent] = _by_kind(checks, "percent")
    assert percent.verdict == "반올림 일치" and "14.55%" in percent.computed


def test_a_difference_of_rounded_figures_may_be_off_by_their_rounding() -> None:
    s = "도시정비 예산은 4309억원으로 지난해 4664억원 대비 356억원, 7.6% 감소했다."
    claims = [
        claim(s, "4309억원", "도시정비", change_pct=-7.6),
        claim(s, "4664억원", "지난해", "prior", year=2025),
        claim(s, "356억원", "감소분", "change", change_pct=-7.6, negative=True),
    ]
    checks = check_arithmetic(claims, year=2026)
    [difference] = _by_kind(checks, "difference")
    assert difference.verdict == "반올림 일치"
    assert "within the rounding" in difference.rule
    [percent] = _by_kind(checks, "percent")
    assert percent.verdict == "반올림 일치" and percent.stated == "7.6%"


def test_a_change_in_the_wrong_direction_does_not_hold() -> None:
    s = "도시정비 예산은 4309억원으로 지난해 4000억원 대비 309억원 감소했다."
    claims = [
        claim(s, "4309억원", "도시정비"),
        claim(s, "4000억원", "지난해", "prior", year=2025),
        claim(s, "309억원", "감소분", "change", negative=True),
    ]
    [difference] = _by_kind(check_arithmetic(claims, year=2026), "difference")
    assert difference.verdict == "불일치" and "opposite" in difference.rule


def test_x_added_for_a_total_of_y_is_checked_against_the_datas_prior_year() -> None:
    s = "올해보다 40억원 늘린 총 315억원을 청년 월세 지원에 투입한다."
    claims = [claim(s, "40억원", "올해보다 늘린 금액", "change"), claim(s, "315억원", "청년 월세 지원")]
    [check] = _by_kind(check_arithmetic(claims, year=2026, data=[None, YOUTH]), "implied prior")
    assert check.verdict == "일치"
    assert "275억원" in check.computed


def test_a_rounded_x_added_for_a_total_of_y_is_a_rounding_match() -> None:
    s = "올해보다 40억원 늘린 총 320억원을 청년 월세 지원에 투입한다."
    claims = [claim(s, "40억원", "올해보다 늘린 금액", "change"), claim(s, "320억원", "청년 월세 지원")]
    [check] = _by_kind(check_arithmetic(claims, year=2026, data=[None, YOUTH]), "implied prior")
    assert check.verdict == "반올림 일치"  # 280억 implied vs 275억: 275억 rounds to 280억 at 십억


def test_a_change_already_checked_against_the_data_is_not_checked_again_through_its_prior() -> None:
    s = "올해보다 40억원 늘린 총 315억원을 청년 월세 지원에 투입한다."
    claims = [claim(s, "40억원", "올해보다 늘린 금액", "change"), claim(s, "315억원", "청년 월세 지원")]
    checks = check_arithmetic(claims, year=2026, data=[None, YOUTH], judged=[True, True])
    assert _by_kind(checks, "implied prior") == []


def test_a_share_of_the_total_is_checked_against_the_texts_total() -> None:
    s1 = "가나시 예산은 2조5150억원이다."
    s2 = "청년 월세 지원은 315억원으로 전체의 1.3%를 차지한다."
    claims = [
        claim(s1, "2조5150억원", "가나시 예산", "total"),
        claim(s2, "315억원", "청년 월세 지원", offset=len(s1) + 1),
    ]
    [share] = _by_kind(check_arithmetic(claims, year=2026), "share")
    assert share.verdict == "반올림 일치" and share.claims == (1,)
    assert "1.25%" in share.computed


def test_a_share_that_does_not_follow_says_which_figure_would_give_it() -> None:
    s1 = "가나시 예산은 2조5150억원이다."
    s2 = "청년 월세 지원에 315억원을 배정했다."
    s3 = "올해보다 40억원 늘어난 금액으로 전체 예산의 3.4%를 차지한다."
    offset2, offset3 = len(s1) + 1, len(s1) + len(s2) + 2
    claims = [
        claim(s1, "2조5150억원", "가나시 예산", "total"),
        claim(s2, "315억원", "청년 월세 지원", offset=offset2),
        claim(s3, "40억원", "올해보다 늘어난 금액", "change", offset=offset3),
    ]
    other = DataFigures("동행 교통 패스 (예산안)", "reported figures 'test' row 11", 849 * 10**8)
    [share] = _by_kind(check_arithmetic(claims, year=2026, figures=[other]), "share")
    assert share.verdict == "불일치"
    assert share.claims == (1,)  # the level figure of the sentence before, not the change
    assert "3.4% is the share of 동행 교통 패스" in share.rule


def test_parts_that_add_up_to_a_total_are_reported() -> None:
    s1 = "가나시는 디지털 산업에 2651억원을 투입한다."
    s2 = "디지털국은 1718억원, 산업과는 933억원의 예산을 각각 꾸렸다."
    claims = [
        claim(s1, "2651억원", "디지털 산업"),
        claim(s2, "1718억원", "디지털국", offset=len(s1) + 1),
        claim(s2, "933억원", "산업과", offset=len(s1) + 1),
    ]
    [parts] = _by_kind(check_arithmetic(claims, year=2026), "parts")
    assert parts.verdict == "일치" and parts.claims == (0, 1, 2) and parts.decides == 0


def test_figures_that_do_not_add_up_are_not_called_parts() -> None:
    s = "가나시는 도서관에 155억원, 급식에 42억원, 와이파이에 90억원을 쓴다."
    claims: list[Claim] = [claim(s, f, None) for f in ("155억원", "42억원", "90억원")]
    assert _by_kind(check_arithmetic(claims, year=2026), "parts") == []


def test_checks_serialise_with_their_evidence() -> None:
    s = "가나시 예산은 지난해보다 7% 늘어난 2조5150억원이다."
    [check] = check_arithmetic([claim(s, "2조5150억원", "가나시 예산", "total", change_pct=7.0)], year=2026,
                               data=[TOTAL])  # fmt: skip
    data = check.as_dict()
    assert data["kind"] == "percent" and data["evidence"][0]["amount_krw"] == 23_500 * 10**8
