"""The pages' words in Korean (first) and English, and the language-aware number formats.

Data (분야 names, item names, government names) is shown as published, in Korean, in both languages;
only the interface is translated. Money is always exact won underneath (``<data value>``), shown as
``38억 6,545만원`` in Korean and ``₩3.87 billion`` in English.
"""

from __future__ import annotations

from typing import Final, Literal

from yesan.money.format import format_won, round_won

Lang = Literal["ko", "en"]
LANGS: Final = ("ko", "en")

TEXT: Final[dict[str, tuple[str, str]]] = {
    # site
    "site": ("yesan 예산", "yesan budgets"),
    "tagline": (
        "공개된 그대로의 지방 예산 — 모든 숫자에 출처",
        "Local budgets exactly as published — every figure cited",
    ),
    "skip": ("본문으로 건너뛰기", "Skip to content"),
    "nav": ("주 메뉴", "Main menu"),
    "nav.home": ("홈", "Home"),
    "nav.explore": ("어디에 쓰나", "Where the money goes"),
    "nav.compare": ("비교", "Compare"),
    "nav.search": ("검색", "Search"),
    "nav.peers": ("비슷한 지자체", "Peers"),
    "nav.check": ("기사 검증", "Check an article"),
    "lang.switch": ("English", "한국어"),
    "lang.switch_label": ("Switch to English", "한국어로 보기"),
    "footer.data": ("자료", "Data"),
    "footer.api": ("이 페이지의 데이터", "This page's data"),
    "footer.docs": ("API 문서", "API docs"),
    "footer.note": (
        "금액은 원 단위 정수로 저장되며 화면에는 반올림해 표시합니다. CSV와 JSON에는 정확한 금액이 있습니다.",
        "Amounts are stored as exact integer won and rounded for display; the CSV and JSON hold exact amounts.",
    ),
    # common words
    "all_govs": ("전체 지자체", "All governments"),
    "government": ("지자체", "Government"),
    "region": ("광역", "Province"),
    "year": ("연도", "Year"),
    "snapshot": ("기준 시점", "Snapshot"),
    "compare.source": ("출처", "Source"),
    "choose": ("보기", "Show"),
    "any": ("전체", "All"),
    "latest": ("최신", "Latest"),
    "budget": ("예산현액", "Current budget"),
    "spent": ("지출액", "Spent"),
    "allocated": ("편성액", "Allocated"),
    "national": ("국비", "National"),
    "provincial": ("시도비", "Provincial"),
    "municipal": ("시군구비", "Own (시군구비)"),
    "other": ("기타", "Other"),
    "share": ("비중", "Share"),
    "delta": ("증감", "Change"),
    "delta_pct": ("증감률", "Change %"),
    "execution": ("집행률", "Executed"),
    "items": ("세부사업 수", "Items"),
    "name": ("이름", "Name"),
    "population": ("인구", "Population"),
    "per_resident": ("1인당", "Per resident"),
    "as_of": ("{date} 기준", "as of {date}"),
    "csv": ("CSV 내려받기", "Download CSV"),
    "json": ("JSON", "JSON"),
    "previous": ("이전", "Previous"),
    "next": ("다음", "Next"),
    "rows_shown": ("{total}개 중 {start}–{end}", "{start}–{end} of {total}"),
    "none": ("없음", "None"),
    "sort_by": ("{column} 기준 정렬", "Sort by {column}"),
    "field": ("분야", "Function (분야)"),
    "sector": ("부문", "Sub-function (부문)"),
    "program": ("정책사업", "Program (정책사업)"),
    "unit": ("단위사업", "Unit (단위사업)"),
    "item": ("세부사업", "Item (세부사업)"),
    "account": ("회계", "Account"),
    "chart_note": (
        "도표 아래 표에 같은 내용이 있습니다(키보드와 화면 읽기 프로그램용).",
        "The table below the chart holds the same figures (for keyboards and screen readers).",
    ),
    "no_data": ("선택한 조건에 해당하는 자료가 없습니다.", "Nothing matches this selection."),
    "error.title": ("문제가 생겼습니다", "Something went wrong"),
    "error.back": ("홈으로", "Back to the home page"),
    # home
    "home.title": ("예산 한눈에", "The budget at a glance"),
    "home.pick": ("지자체와 연도를 고르세요", "Pick a government and a year"),
    "home.gov_hint": ("이름이나 코드 (예: 고흥군, 4674000)", "Name or code (e.g. 고흥군, 4674000)"),
    "home.total": ("예산현액 합계", "Total current budget"),
    "home.per_resident": ("주민 1인당", "Per resident"),
    "home.change": ("이전 시점 대비", "Change since the previous snapshot"),
    "home.execution": ("지금까지 집행률", "Executed so far"),
    "home.no_previous": ("비교할 이전 시점 자료가 없습니다", "No earlier snapshot in the store to compare with"),
    "home.population_note": ("인구: {source} ({year})", "Population: {source} ({year})"),
    "home.population": ("인구 {people}명 ({source}, {year})", "{people} residents ({source}, {year})"),
    "home.by_field": ("분야별 예산", "Budget by function (분야)"),
    "home.by_region": ("광역별 예산", "Budget by province (광역)"),
    "home.governments": ("{n}개 지자체, 세부사업 {items}개", "{n} governments, {items} items"),
    "home.links": ("더 보기", "Explore further"),
    "home.candidates": ("여러 지자체가 맞습니다. 하나를 고르세요:", "Several governments match; pick one:"),
    "home.spent_of": ("{spent} 지출", "{spent} spent"),
    # explore
    "explore.title": ("어디에 쓰나", "Where the money goes"),
    "explore.breadcrumb": ("현재 위치", "You are here"),
    "explore.chart": ("{level}별 예산현액 (면적), 색은 집행률", "Current budget by {level} (area); colour: executed"),
    "explore.click": ("칸을 누르면 안으로 들어갑니다.", "Click a tile to drill down."),
    "explore.table": ("{level}별 예산현액", "Current budget by {level}"),
    "explore.others": ("그 밖의 {n}개", "{n} more"),
    "explore.delta_vs": ("증감은 {snapshot} 대비", "Change against {snapshot}"),
    # compare
    "compare.title": ("비교", "Compare"),
    "compare.before": ("이전", "Before"),
    "compare.after": ("이후", "After"),
    "compare.level": ("단위", "Level"),
    "compare.one_snapshot": (
        "이 저장소에는 기준 시점이 하나뿐이라 비교할 수 없습니다. 다른 시점이나 연도의 파일을 "
        "`yesan load 파일`로 불러오면 여기서 나란히 볼 수 있습니다.",
        "The store holds a single snapshot, so there is nothing to compare yet. Load a file of another date, "
        "year or stage with `yesan load FILE` to see them side by side here.",
    ),
    "compare.totals": ("합계", "Totals"),
    "compare.increases": ("가장 많이 늘어난 항목", "Biggest increases"),
    "compare.cuts": ("가장 많이 줄어든 항목", "Biggest cuts"),
    "compare.new": ("새로 생긴 항목", "New items"),
    "compare.removed": ("없어진 항목", "Removed items"),
    "compare.all": ("모든 항목 (증감 큰 순)", "Every row (largest change first)"),
    "compare.chart": ("증감 상위 항목", "Largest changes"),
    "compare.status": ("상태", "Status"),
    "compare.counts": (
        "새로 생김 {new} · 없어짐 {removed} · 늘어남 {grown} · 줄어듦 {cut} · 같음 {unchanged}",
        "new {new} · removed {removed} · grown {grown} · cut {cut} · unchanged {unchanged}",
    ),
    "compare.exact": (
        "모든 증감의 합이 합계 차이와 원 단위까지 같습니다.",
        "The changes add up to the difference, to the won.",
    ),
    "compare.same": ("같은 시점을 양쪽에 골랐습니다.", "Both sides are the same snapshot."),
    "status.new": ("신규", "new"),
    "status.removed": ("폐지", "removed"),
    "status.grown": ("증가", "grown"),
    "status.cut": ("감소", "cut"),
    "status.unchanged": ("같음", "unchanged"),
    # item
    "item.title": ("세부사업", "Line item"),
    "item.amounts": ("금액", "Amounts"),
    "item.funding": ("재원 구성", "Funding mix"),
    "item.funding_gap": ("재원 합계가 예산현액과 {gap} 차이 납니다.", "The sources differ from the budget by {gap}."),
    "item.history": ("시점별 변화", "History across snapshots"),
    "item.peers": ("다른 지자체의 비슷한 사업", "Similar items in other governments"),
    "item.no_peers": ("비슷한 이름의 사업이 다른 지자체에 없습니다.", "No item with a similar name elsewhere."),
    "item.provenance": ("출처", "Provenance"),
    "item.cite": ("인용문 복사", "Copy citation"),
    "item.copied": ("복사했습니다", "Copied"),
    "item.dataset": ("자료", "Dataset"),
    "item.file": ("원본 파일", "Source file"),
    "item.row": ("행 번호", "Row"),
    "item.loaded": ("불러온 시각", "Loaded"),
    "item.code": ("사업 코드", "Item code"),
    "item.where": ("분류", "Classification"),
    "item.match": ("일치도", "Match"),
    # search
    "search.title": ("세부사업 검색", "Search line items"),
    "search.q": ("찾을 말", "Words to find"),
    "search.hint": (
        "띄어쓰기, 조사, 동의어(AI = 인공지능), 한 글자 오타를 알아서 처리합니다. 예: 경로당, 청년 일자리",
        "Spacing, particles, synonyms (AI = 인공지능) and one-syllable typos are handled. E.g. 경로당, 청년 일자리",
    ),
    "search.results": ("‘{q}’ 검색 결과 {total}건", "{total} results for ‘{q}’"),
    "search.none": ("‘{q}’에 맞는 사업이 없습니다.", "No item matches ‘{q}’."),
    "search.go": ("검색", "Search"),
    "match.exact": ("일치", "exact"),
    "match.close": ("유사", "close"),
    "match.typo": ("오타 교정", "typo"),
    "match.partial": ("일부 일치", "partial"),
    "search.truncated": (
        "처음 {n}건만 보여 줍니다. 조건을 더 좁혀 보세요.",
        "Only the first {n} hits; narrow the search.",
    ),
    # peers
    "peers.title": ("비슷한 지자체와 비교", "Against its peers"),
    "peers.group": ("비교 집단", "Peer group"),
    "peers.group.type": ("같은 종류 (시·군·구)", "Same kind (시/군/구)"),
    "peers.group.region": ("같은 광역", "Same province"),
    "peers.group.band": ("비슷한 인구", "Similar population"),
    "peers.amount": ("금액", "Amount"),
    "peers.of_field": ("분야만", "Only this 분야"),
    "peers.rank": (
        "{gov}의 주민 1인당 {measure}은(는) {value}으로, {group} {size}곳 중 {rank}위입니다 (중앙값 {median}).",
        "{gov}: {value} {measure} per resident, rank {rank} of {size} in its group {group} (median {median}).",
    ),
    "peers.chart": ("주민 1인당 {measure}", "{measure} per resident"),
    "peers.chart_near": (
        "주민 1인당 {measure}: 순위가 가까운 {shown}곳 (전체 {size}곳 순위는 아래 표)",
        "{measure} per resident: the {shown} nearest in rank (all {size} are ranked in the table below)",
    ),
    "peers.spread": (
        "비교 집단 {size}곳: 최저 {low} · 하위 25% {q1} · 중앙값 {median} · 상위 25% {q3} · 최고 {high}",
        "Peer group of {size}: lowest {low} · lower quartile {q1} · median {median} · upper quartile {q3} · "
        "highest {high}",
    ),
    "peers.middle_half": ("가운데 50%", "middle half"),
    "peers.pick": ("지자체를 고르면 비슷한 곳들과 비교합니다.", "Pick a government to compare it with its peers."),
    "peers.rank_col": ("순위", "Rank"),
    "peers.vs_median": ("중앙값 대비", "vs median"),
    "peers.without": ("인구 자료가 없어 빠진 곳: {codes}", "Left out for want of a population figure: {codes}"),
    # check
    # saved checks, reviews, the ledger (views.published, views.signin, views.ledger)
    "nav.checks": ("저장된 검증", "Saved checks"),
    "check.will_save": (
        "검증 결과는 저장되고 고유 주소가 생깁니다 (검토자: {name}).",
        "The check will be saved with a permalink (reviewer: {name}).",
    ),
    "check.not_saved": (
        "이 검증은 저장되지 않습니다. 저장하고 고유 주소를 받으려면 로그인하세요.",
        "This check will not be saved; sign in to save it with a permalink.",
    ),
    "saved.title": ("저장된 검증 {id}", "Saved check {id}"),
    "saved.lead": (
        "저장된 검증입니다. 이 주소는 바뀌지 않으며 다시 실행하면 무엇이 바뀌었는지 보여 줍니다.",
        "A saved check: this address does not change; a re-run shows what changed.",
    ),
    "saved.permalink": ("고유 주소", "Permalink"),
    "saved.article": ("기사", "Article"),
    "saved.run": ("실행", "Run"),
    "saved.run_of": ("{n}번째 실행, {at}, yesan {version}", "run {n}, {at}, yesan {version}"),
    "saved.data": ("사용한 자료", "Data used"),
    "saved.sha": ("기사 본문 sha256", "Article text sha256"),
    "saved.standalone": ("HTML 파일", "HTML file"),
    "saved.card": ("카드 {n}", "card {n}"),
    "saved.changes": ("지난 실행 이후 바뀐 점", "What changed since the run before"),
    "saved.no_changes": ("지난 실행과 판정이 같습니다.", "The verdicts are the same as in the run before."),
    "saved.rerun": ("지금 자료로 다시 검증", "Run again on the current data"),
    "saved.sign_in_to_review": ("하면 다시 실행하고 연결을 검토할 수 있습니다.", "to re-run and review the matches."),
    "saved.scale": ("평가 척도", "Rating scale"),
    "review.confirmed": ("검토자 확인", "confirmed by a reviewer"),
    "review.legend": ("'{subject}'의 연결 검토", "Review the match for '{subject}'"),
    "review.reason": ("이유", "Reason"),
    "review.confirm": ("이 항목으로 확인", "Confirm this figure"),
    "review.reject": ("이 항목 거부", "Reject this figure"),
    "review.signed_in": ("{name}(으)로 로그인됨", "signed in as {name}"),
    "checks.title": ("저장된 검증", "Saved checks"),
    "checks.lead": (
        "이 저장소에 저장된 기사 검증입니다. 기사 본문은 이 컴퓨터에만 있습니다.",
        "Article checks saved in this store; the article texts stay on this machine.",
    ),
    "checks.when": ("마지막 실행", "Last run"),
    "checks.article": ("기사", "Article"),
    "checks.gov": ("지자체", "Government"),
    "checks.verdicts": ("판정", "Verdicts"),
    "checks.runs": ("실행 수", "Runs"),
    "checks.none": ("저장된 검증이 없습니다.", "No saved checks yet."),
    "ledger.title": ("검증한 숫자 장부", "Ledger of checked figures"),
    "ledger.lead": (
        "저장된 검증의 모든 숫자를 지자체·사업·연도별로 모았습니다. 반복되는 틀린 숫자와 매체 간 차이를 표시합니다.",
        "Every figure of the saved checks by government, subject and year, with repeated wrong figures and "
        "conflicts between outlets flagged.",
    ),
    "ledger.subject": ("사업", "Subject"),
    "ledger.year": ("연도", "Year"),
    "ledger.figure": ("기사 숫자", "Figure"),
    "ledger.matched": ("맞춘 자료 항목", "Matched to"),
    "ledger.reported": ("보도", "reported"),
    "ledger.outlet": ("매체", "Outlet"),
    "ledger.flags": ("표시", "Flags"),
    "ledger.flagged": ("표시된 것만", "Flagged only"),
    "ledger.filter": ("보기", "Show"),
    "ledger.none": ("아직 검증한 숫자가 없습니다.", "No checked figures yet."),
    "ledger.repeated_wrong": ("반복되는 틀린 숫자", "repeated wrong figure"),
    "ledger.conflict.rounding": ("매체 간 차이: 반올림", "outlets differ: rounding"),
    "ledger.conflict.definition": ("매체 간 차이: 정의", "outlets differ: definition"),
    "ledger.conflict.different figure": ("매체 간 차이: 다른 숫자", "outlets differ: different figure"),
    "login.title": ("검토자 로그인", "Reviewer sign-in"),
    "login.lead": (
        "서버의 쓰기 토큰과 이름을 넣으세요. 이름은 감사 기록에 남습니다.",
        "Enter the server's write token and your name; the name goes into the audit log.",
    ),
    "login.name": ("이름", "Name"),
    "login.token": ("쓰기 토큰", "Write token"),
    "login.go": ("로그인", "Sign in"),
    "login.out": ("로그아웃", "Sign out"),
    "check.title": ("기사 속 숫자 검증", "Check the figures in an article"),
    "check.intro": (
        "기사를 붙여 넣거나 파일로 올리면, 기사 속 금액마다 저장소의 공식 자료와 맞는지 판정하고 "
        "근거와 출처를 보여 줍니다.",
        "Paste an article or upload it: every amount in it is checked against the official data in the store, "
        "with the evidence and where it comes from.",
    ),
    "check.government": ("지자체 (비우면 기사에서 찾음)", "Government (found in the text if empty)"),
    "check.year": ("연도 (비우면 기사에서 찾음)", "Year (found in the text if empty)"),
    "check.summary": ("금액 {n}개를 찾았습니다.", "{n} amounts found."),
    "check.decision": ("판정 대상: 지자체와 연도", "What is checked: government and year"),
    "check.form_government": ("양식의 지자체 칸", "the form's government field"),
    "check.form_year": ("양식의 연도 칸", "the form's year field"),
    "check.against": ("비교 대상", "Checked against"),
    "check.tier": ("근거 등급", "Evidence tier"),
    "check.by_tier": ("근거 등급별", "By evidence tier"),
    "check.article": ("판정이 표시된 기사", "The article, with verdicts"),
    "check.claim": ("기사 속 금액", "Amount in the text"),
    "check.difference": ("차이", "Difference"),
    "check.why": ("확인 불가 사유", "Why"),
    "check.look_in": ("확인할 문서", "to settle it, see"),
    "check.notes": ("참고", "Notes"),
    "check.no_evidence": ("비교할 자료를 찾지 못했습니다.", "Nothing in the data to compare it with."),
    "check.arithmetic": ("기사 속 계산", "The article's own arithmetic"),
    "check.figure_no": ("금액 {n}", "Amount {n}"),
    "check.items_as_of": ("세부사업 자료 {date} 기준", "line items as of {date}"),
    "check.reported": ("보도·발표 수치 {n}건", "{n} reported figures"),
    "check.text": ("기사 본문", "Article text"),
    "check.file": ("또는 파일 올리기 (.txt, 최대 {size})", "or upload a file (.txt, at most {size})"),
    "check.go": ("검증하기", "Check"),
    "check.pending": (
        "기사 검증 기능은 아직 이 버전에 들어 있지 않습니다.",
        "Article checking is not part of this version yet.",
    ),
    "check.evidence": ("근거", "Evidence"),
    "check.verdict": ("판정", "Verdict"),
    "check.pick": ("강조된 숫자를 누르면 근거와 출처가 나옵니다.", "Click a highlighted figure to see its evidence."),
    "check.none": ("금액을 찾지 못했습니다.", "No amounts found."),
    "check.working": ("검증 중…", "Checking…"),
}


def text(lang: str, key: str, **values: object) -> str:
    """The interface text ``key`` in ``lang`` with ``{name}`` placeholders filled."""
    ko, en = TEXT[key]
    template = en if lang == "en" else ko
    return template.format(**values) if values else template


def won(lang: str, amount: int | None) -> str:
    """Money for reading: ``38억 6,500만원`` / ``₩3.87 billion``; an em dash for no figure.

    Korean keeps four significant digits below 1조 (``38억 6,500만원``, ``3,227억원``, ``6,474만원``) and
    the 억 above (``1조 3,928억원``); the exact won are in the page's ``<data value>``, JSON and CSV.
    """
    if amount is None:
        return "—"
    value = int(amount)
    if lang == "en":
        return format_won(value, style="en")
    size = abs(value)
    if size >= 10**12:
        return format_won(value, precision="eok")
    if size < 10**4:
        return format_won(value)
    rounded = round_won(value, 10 ** (len(str(size)) - 4))
    return format_won(rounded, precision="man")


def precise_won(lang: str, amount: int | None) -> str:
    """Money as a journalist quotes one item: to the 만 in Korean (``38억 6,545만원``); as ``won`` in English."""
    if amount is None:
        return "—"
    value = int(amount)
    if lang == "en":
        return won(lang, value)
    return format_won(value, precision="man" if abs(value) >= 10**4 else "won")


#: How a page rounds every amount it shows (``Page.precision``): ``reading`` (four significant digits, ``won``)
#: for overviews, ``man`` (to the 만원, ``precise_won``) for the item page, where one item is quoted.
PRECISIONS: Final = ("reading", "man")


def amount(lang: str, value: int | None, precision: str = "reading") -> str:
    """Money at a page's ``precision``; every amount of one page goes through this with the same precision."""
    if precision == "man":
        return precise_won(lang, value)
    if precision != "reading":
        raise ValueError(f"unknown precision {precision!r}; use one of {', '.join(PRECISIONS)}")
    return won(lang, value)


def signed_won(lang: str, amount_won: int | None, precision: str = "reading") -> str:
    """A change in money, with its sign: ``+3억원``, ``-1,200만원``."""
    if amount_won is None:
        return "—"
    shown = amount(lang, amount_won, precision)
    return f"+{shown}" if amount_won > 0 else shown


def percent(value: float | None, *, signed: bool = False, places: int = 1) -> str:
    """``0.4523`` → ``45.2%`` (a ratio); None → an em dash."""
    if value is None:
        return "—"
    return f"{value * 100:+.{places}f}%" if signed else f"{value * 100:.{places}f}%"


def number(value: int | None) -> str:
    return "—" if value is None else f"{value:,}"


__all__ = ["LANGS", "TEXT", "Lang", "number", "percent", "precise_won", "signed_won", "text", "won"]
