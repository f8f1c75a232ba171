"""The sentences a check shows people (rules, evidence descriptions, notes), in Korean and English.

A :class:`Phrase` is a stable key and its parameters; it *is* its English sentence (a ``str``), so the JSON
answers, the CLI and every caller that reads a rule as text keep their English, while the Korean page asks
for ``phrase.render("ko")``. Every sentence lives in ``PHRASES`` — one entry, both languages — rather than
in f-strings spread over ``claims.rules``, ``claims.judge``, ``claims.match`` and ``claims.arithmetic``.

Parameters are text (amounts already written in Korean units with ``yesan.money.format_won``, which both
languages use), other phrases (rendered in the same language), or tuples of them (joined with ``sep``).
The Korean is written in the short note style of fact-check tables (…함, …임, …없음); a particle after an
amount is the one ``원`` takes (을, 과, 은, 이), after a percentage the one ``퍼센트`` takes (를, 는).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final, Literal, Union

__all__ = ["PHRASES", "Phrase", "in_language", "reason_text", "verdict_label"]

#: key → (Korean, English). ``{name}`` placeholders are filled with the phrase's parameters.
PHRASES: Final[dict[str, tuple[str, str]]] = {
    # --- amounts (claims.rules) ---
    "amount.equal": ("원 단위까지 같음 ({actual})", "equal to the won ({actual})"),
    "amount.bound_holds": ("'{word}' 충족: {actual} {relation} {claimed}", "'{word}': {actual} {relation} {claimed}"),
    "amount.bound_fails": (
        "'{word}' 불충족: {actual} {relation} {claimed}이 아님",
        "'{word}' does not hold: {actual} is not {relation} {claimed}",
    ),
    "amount.little_more_holds": (
        "'{word}' 충족: {actual}은 {claimed} 이상 {upper} 미만 (읽는 단위 아래를 버리면 {claimed})",
        "'{word}': {actual} is at least {claimed} and less than {upper} (truncated at the reading unit)",
    ),
    "amount.little_more_fails": (
        "'{word}' 불충족: {actual}은 {claimed} 이상 {upper} 미만이 아님",
        "'{word}' does not hold: {actual} is not at least {claimed} and less than {upper}",
    ),
    "amount.approximate": (
        "'{word}'의 허용 범위 ±{allowed} 안: {claimed}과 {actual}의 차이 {share}",
        "'{word}' allows ±{allowed}: {claimed} vs {actual} differ by {share}",
    ),
    "amount.mismatch": (
        "{claimed}과 {actual}: {difference} 차이 ({unit} 단위 반올림 허용 ±{half} 밖){hint}",
        "{claimed} vs {actual}: differ by {difference} (outside ±{half}, rounding at {unit}){hint}",
    ),
    "amount.hint_rounded": (
        "; {actual}을 {unit} 단위로 반올림하면 {claimed}이지만 이 금액은 {reading} 단위로 읽음 (유효숫자 두 자리)",
        "; {actual} rounded to {unit} would give {claimed}, but the figure is read at {reading} "
        "(two significant digits)",
    ),
    "amount.hint_truncated": (
        "; {actual}을 {unit} 단위 아래에서 버리면 {claimed}이지만 버림은 반올림이 아님",
        "; {actual} truncated to {unit} would give {claimed}, but truncation is not rounding",
    ),
    "amount.rounds": (
        "{actual}을 {unit} 단위로 반올림하면 {claimed} (허용 ±{half}){how}",
        "{actual} rounds to {claimed} at {unit} precision (±{half}){how}",
    ),
    "amount.two_digits": (
        " ({claimed}은 유효숫자 두 자리로 읽음)",
        " ({claimed} read to two significant digits)",
    ),
    "amount.headline": (
        "제목의 금액: {actual}을 {unit} 단위 아래에서 버리면 {claimed} (제목은 금액을 줄여 씀)",
        "a headline figure: {actual} truncated to {unit} is {claimed} (headlines shorten figures)",
    ),
    "amount.typo": ("{rule}; 오타로 보임: {why}", "{rule}; likely a typo: {why}"),
    "typo.digit": ("숫자 한 자리만 {actual}과 다름", "one digit differs from {actual}"),
    "typo.swap": ("이웃한 두 숫자가 {actual}과 바뀜", "two neighbouring digits of {actual} are swapped"),
    "typo.zero": ("{actual}과 0 하나 차이 (자릿수)", "one zero more or less than {actual}"),
    "typo.unit": (
        "한 자리 묶음의 단위(만·억·조)만 {actual}과 다름",
        "one group sits one unit (만/억/조) off from {actual}",
    ),
    "amount.written_typo": (
        "'{written}'은 글자 그대로 {literal}원으로 만 단위를 건너뜀; {meant}의 오타로 보임",
        "'{written}' literally reads {literal} won, skipping the 만 unit; probably {meant} was meant",
    ),
    # --- why a figure could not be confirmed (Judgement.reason; claims.judge) ---
    "reason.no_government": (
        "기사가 어느 자치단체의 예산인지 찾지 못함",
        "the text names no government with data to check against",
    ),
    "reason.no_data": (
        "이 자치단체·연도·단계의 자료가 저장소에 없음",
        "no data for this government, level or year in the store",
    ),
    "reason.year_unknown": ("기사가 어느 회계연도인지 알 수 없음", "the fiscal year is unknown"),
    "reason.subject_not_found": (
        "자료에서 이 금액의 항목을 찾지 못함",
        "the figure's subject was not found in the data",
    ),
    "reason.only_parts": (
        "자료에는 이 금액이 아우르는 것의 일부만 있음",
        "the data has only parts of what the figure covers",
    ),
    "reason.self_only": (
        "근거가 이 기사 자신뿐임 (자기 인용)",
        "the only sources are the article itself (self-citation)",
    ),
    "reason.reports_disagree": (
        "다른 보도의 금액과 너무 달라 같은 금액이라 보기 어려움 (범위가 다르거나 어느 한쪽의 오타)",
        "too far from another outlet's figure to be the same figure (another scope, or a slip in either)",
    ),
    "reason.other_quantity": (
        "자료의 금액(기준일 예산현액)과 기사의 금액(예산안·본예산·추경)이 서로 다른 양임",
        "the data's figure (예산현액 at a date) and the text's (예산안, 본예산 or 추경) are different quantities",
    ),
    "reason.text_only": (
        "기사 안의 다른 금액과만 맞춰 볼 수 있음",
        "only the text's own figures can be checked against it",
    ),
    "reason.likely_typo": ("금액이 오타로 보임", "the figure looks like a typo"),
    "where.budget": (
        "{year}년도 {government} 예산서",
        "the {year} budget book of {government} ({year}년도 {government} 예산서)",
    ),
    "where.proposal": (
        "{year}년도 {government} 예산안",
        "the {year} budget proposal of {government} ({year}년도 {government} 예산안)",
    ),
    "where.supplementary": (
        "{year}년도 {government} 추가경정예산서",
        "the {year} supplementary budget of {government} ({year}년도 {government} 추가경정예산서)",
    ),
    "where.settlement": (
        "{year}회계연도 {government} 세입·세출 결산서",
        "the {year} settlement of {government} ({year}회계연도 {government} 결산서)",
    ),
    "where.unknown": (
        "해당 자치단체·연도의 예산서",
        "the budget book (예산서) of the government and year concerned",
    ),
    # --- percentages (claims.rules) ---
    "percent.other_way": (
        "{computed}: 기사의 {stated}%와 방향이 반대",
        "{computed} goes the other way from the stated {stated}%",
    ),
    "percent.exact": ("정확히 {stated}%", "is exactly {stated}%"),
    "percent.rounds": (
        "{computed}를 소수점 {places}자리로 반올림하면 {stated}%",
        "{computed} rounds to {stated}% ({places} decimals)",
    ),
    "percent.rounds_whole": ("{computed}를 정수로 반올림하면 {stated}%", "{computed} rounds to {stated}% (0 decimals)"),
    "percent.truncates_whole": (
        "{computed}에서 소수점 아래를 버리면 {stated}%이지만 버림은 반올림이 아님",
        "{computed} truncated to 0 decimals is {stated}%, but truncation is not rounding",
    ),
    "percent.truncates": (
        "{computed}를 소수점 {places}자리 아래에서 버리면 {stated}%이지만 버림은 반올림이 아님",
        "{computed} truncated to {places} decimals is {stated}%, but truncation is not rounding",
    ),
    "percent.approximate": (
        "{computed}는 약 {stated}%의 마지막 자리 ±1 안",
        "{computed} is within one unit of 약 {stated}%",
    ),
    "percent.bound_holds": ("{computed}는 '{stated}% {word}' 범위 안", "{computed} is within '{stated}% {word}'"),
    "percent.what": ("{what} {rule}", "{what} {rule}"),
    "percent.mismatch": ("{computed}, {stated}%가 아님", "{computed}, not {stated}%"),
    # --- directions (claims.judge, claims.arithmetic) ---
    "direction.data_falls": (
        "{rule}. 그러나 기사는 증가, 자료는 감소로 나옴",
        "{rule}, but the text states an increase and the data a decrease",
    ),
    "direction.data_rises": (
        "{rule}. 그러나 기사는 감소, 자료는 증가로 나옴",
        "{rule}, but the text states a decrease and the data an increase",
    ),
    "direction.figures_fall": (
        "{rule}. 그러나 기사는 증가라 하고 금액들로 계산하면 반대임",
        "{rule}, but the text states an increase and the figures give the opposite",
    ),
    "direction.figures_rise": (
        "{rule}. 그러나 기사는 감소라 하고 금액들로 계산하면 반대임",
        "{rule}, but the text states a decrease and the figures give the opposite",
    ),
    # --- which figure decided (claims.judge) ---
    "figure": ("{label} = {amount}", "{label} = {amount}"),
    "figure.plain": ("{label} {amount}", "{label} {amount}"),
    "figure.verdict": ("{figure} ({verdict})", "{figure} ({verdict})"),
    "judge.named_nearby": (
        "{rule}; 자료의 항목명이 금액의 주어가 아니라 금액 바로 앞에 나옴",
        "{rule}; the data's subject is named just before the figure, not in its own subject",
    ),
    "judge.names_a_part": (
        "{rule}; 자료의 항목이 기사 항목의 일부를 가리킴 (일치도 {score})",
        "{rule}; the data's subject names a part of the text's (score {score})",
    ),
    "judge.partly_matches": (
        "{rule}; 자료의 항목이 기사 항목과 일부만 일치함 (일치도 {score})",
        "{rule}; the data's subject partly matches the text's (score {score})",
    ),
    "judge.only_parts": (
        "자료에는 기사 금액이 아우르는 것의 일부만 있음 ({listed}); 합계는 확인할 수 없음",
        "the data has only a part of what the text's figure covers ({listed}); it cannot confirm the total",
    ),
    "judge.reports_disagree": (
        "{rule}; 근거가 다른 보도뿐이고 차이가 {gap}%를 넘어 기사가 틀렸다고 할 수 없음",
        "{rule}; the only evidence is other reports and the gap exceeds {gap}%, so this does not show the text wrong",
    ),
    "judge.other_quantity": (
        "{rule}; 자료는 기준일의 예산현액(본예산에 추경·이월을 더한 금액)이라 기사의 금액과 같은 것이 아닐 수 있음",
        "{rule}; the data is the 예산현액 at its snapshot date (본예산 plus 추경 and carry-overs), "
        "which may not be the quantity the text states",
    ),
    "judge.text_only": (
        "기사 안의 계산으로만 확인됨 ({verdict}: {rule}); 기사 밖의 근거는 없음",
        "only the text's own figures check it ({verdict}: {rule}); nothing outside the text confirms it",
    ),
    "judge.written_typo": (
        "{why}; 자료의 같은 금액은 그 오타를 옮겨 적은 것일 수 있어 확인으로 치지 않음 ({rule})",
        "{why}; a figure in the data equal to it may have copied the slip, so it does not confirm it ({rule})",
    ),
    "judge.in_the_text": ("기사 안의 계산: {rule}", "in the text: {rule}"),
    "judge.nothing": ("자료에도 기사에도 비교할 금액이 없음", "no figure in the data or in the text to check against"),
    "judge.nothing_for": (
        "'{subject}'에 대해 자료에도 기사에도 비교할 금액이 없음",
        "no figure for '{subject}' in the data or in the text to check against",
    ),
    "judge.closest": (
        "{rule}; 이름이 가장 가까운 금액들은 다름: {listed}",
        "{rule}; the closest names disagree: {listed}",
    ),
    "judge.borrowed": (
        "항목은 이 금액이 설명하는 앞 금액에서 가져옴: '{subject}'",
        "subject taken from the figure it qualifies: '{subject}'",
    ),
    "judge.also": ("{rule} (다른 근거: {listed})", "{rule} (also {listed})"),
    "judge.equal_elsewhere": (
        "{figure}과는 원 단위까지 같음 (항목 일치도는 더 낮음)",
        "it equals {figure} to the won (a less close subject)",
    ),
    "judge.read_as": (
        "{rule}; {label} 금액으로 읽음 ({why}; 나머지: {listed})",
        "{rule}; read as {label} ({why}; others: {listed})",
    ),
    "why.stage": ("예산 단계가 나와 있지 않음", "the stage is not stated"),
    "why.generic": ("기사의 항목이 '예산'이라고만 함", "the text's subject only says 'the budget'"),
    "why.several": ("항목이 여러 금액에 똑같이 맞음", "its subject fits several figures equally"),
    "judge.ambiguous": (
        "여러 금액이 항목에 똑같이 맞는데 어느 것과도 일치하지 않음: {listed}",
        "several figures match the subject equally and none agrees: {listed}",
    ),
    "judge.other_definition": (
        "{rule}; 총액의 다른 정의인 {label} 금액으로 읽음 ({first} = {amount} 아님)",
        "{rule}; read as {label}, a different definition of the total (not {first} = {amount})",
    ),
    "judge.equal_to_the_won": (
        "{rule}; 항목이 맞고 원 단위까지 같은 {label} 금액으로 읽음 ({first} = {amount} 아님)",
        "{rule}; read as {label}, equal to the won, with a matching subject (not {first} = {amount})",
    ),
    "judge.fits": ("다음 금액과는 맞음: {listed}", "it fits {listed}"),
    "column.amount": (
        "기사 금액은 이 수치 자체와 맞음 ({amount}, {verdict})",
        "the text's figure fits the figure itself ({amount}, {verdict})",
    ),
    "column.prior": (
        "기사 금액은 이 수치의 전년도 금액과 맞음 ({amount}, {verdict})",
        "the text's figure fits its prior-year figure ({amount}, {verdict})",
    ),
    "column.change": (
        "기사 금액은 이 수치의 전년 대비 증감액과 맞음 ({amount}, {verdict})",
        "the text's figure fits its change on the prior year ({amount}, {verdict})",
    ),
    # --- evidence descriptions and caveats (claims.match) ---
    "evidence.reported": ("{government} {year}{stage} {what}", "{government} {year}{stage} {what}"),
    "evidence.change_on": ("{subject}: {year}년 대비 증감", "{subject}: change on {year}"),
    "evidence.change_in_review": ("{subject}: 심의 중 증감", "{subject}: change in review"),
    "evidence.item_sum": (
        "{government} {name} ({rows}개 행) 예산현액 합계",
        "{government} {name} ({rows} rows) 예산현액 합계",
    ),
    "note.definition": (
        "저장소의 금액은 예산현액(추경과 이월을 포함해 집행할 수 있는 예산)이고 기사의 금액은 {stage} 기준임; "
        "정의가 달라 차이가 날 수 있음",
        "the store holds 예산현액 (the budget in force, with 추경 and carry-overs); "
        "the text speaks of the {stage}, which may differ by definition",
    ),
    "note.definition_on": (
        "저장소의 금액은 예산현액({date} 기준, 추경과 이월을 포함해 집행할 수 있는 예산)이고 기사의 금액은 "
        "{stage} 기준임; 정의가 달라 차이가 날 수 있음",
        "the store holds 예산현액 (the budget in force on {date}, with 추경 and carry-overs); "
        "the text speaks of the {stage}, which may differ by definition",
    ),
    # --- the text's own arithmetic (claims.arithmetic, claims.check) ---
    "kind.percent": ("증감률", "percent"),
    "kind.difference": ("증감액", "difference"),
    "kind.implied prior": ("역산한 전년도 금액", "implied prior"),
    "kind.share": ("비중", "share"),
    "kind.parts": ("합계", "parts"),
    "check.rule": ("{kind}: {rule}", "{kind}: {rule}"),
    "check.note": ("{kind} {stated}: {verdict} ({computed})", "{kind} {stated}: {verdict} ({computed})"),
    "check.within_rounding": (
        "{computed}과 기사의 {stated}: 계산에 쓴 금액들의 반올림 범위(±{slack}) 안",
        "{computed} vs the stated {stated}: within the rounding of the figures it is computed from (±{slack})",
    ),
    "check.prior_within_rounding": (
        "{prior}과 {implied}: 기사 금액들의 반올림 범위 안",
        "{prior} vs {implied}: within the rounding of the text's figures",
    ),
    "check.difference": ("{level} − {prior} = {computed}", "{level} − {prior} = {computed}"),
    "check.implied": (
        "기사로 역산하면 {implied}; 자료의 전년도 금액: {prior}",
        "{implied} implied by the text; the data's prior year: {prior}",
    ),
    "check.percent_over": ("{percent} ({amount} ÷ {base})", "{percent} ({amount} over {base})"),
    "check.percent_over_prior": (
        "{percent} ({amount} ÷ 자료의 전년도 금액 {base})",
        "{percent} ({amount} over the data's prior year {base})",
    ),
    "check.percent_over_difference": (
        "{percent} ({amount} ÷ ({level} − {amount}))",
        "{percent} ({amount} over {level} − {amount})",
    ),
    "check.percent_from_text": (
        "{percent} ({before} → {after}, 기사의 전년도 금액 기준)",
        "{percent} ({before} → {after}, the text's prior figure)",
    ),
    "check.percent_from_data": (
        "{percent} ({before} → {after}, 자료의 전년도 금액 기준)",
        "{percent} ({before} → {after}, the data's prior-year figure)",
    ),
    "check.share_of": ("{percent} ({part} ÷ {total})", "{percent} ({part} of {total})"),
    "check.share_rule": ("{label} 대비 {rule}", "{rule} of {label}"),
    "check.share_tried": ("{rule} (다른 분모: {listed})", "{rule} (also tried: {listed})"),
    "check.share_tried_one": ("{label} 대비 {percent}", "{percent} of {label}"),
    "check.share_fits": (
        "{rule}; {stated}는 {label}({amount})에 대한 비중임",
        "{rule}; {stated} is the share of {label} ({amount})",
    ),
    "check.parts": ("{listed} = {total}", "{listed} = {total}"),
    "check.parts_rule": ("{listed} = {total}: {rule}", "{listed} = {total}: {rule}"),
    "check.parts_rounding": (
        "{listed} = {total}, 금액들의 반올림 범위(±{slack}) 안",
        "{listed} = {total}, within the rounding of the figures (±{slack})",
    ),
    "evidence.text_total": ("기사 속 총액 {amount}", "the text's total {amount}"),
    "evidence.prior_year": ("{label}: 전년도 금액", "{label}: prior-year figure"),
    "evidence.computed_prior": ("{label}: {amount} − {change}", "{label}: {amount} − {change}"),
    "citation.same_text": ("같은 기사: {spans}", "the same text: {spans}"),
    "citation.span": ("{amount!r}({offset}번째 글자)", "{amount!r} at {offset}"),
    # --- what a verdict rests on (claims.evidence) ---
    "reason.address": ("같은 주소", "the same address"),
    "reason.outlet_date": ("같은 매체, 같은 날짜", "the same outlet on the same date"),
    "reason.same": ("같은 문장 ({share} 겹침)", "the same sentences ({share} shared)"),
    "evidence.aside_one": ("{source} ({reason})", "{source} ({reason})"),
    "evidence.set_aside": ("이 기사 자신인 출처는 제외함: {listed}", "set aside as this article itself: {listed}"),
    "evidence.only_self": (
        "자기 인용: 이 수치의 출처는 이 기사 자신뿐임 — {listed}",
        "self-citation: the figure's only sources are this article itself — {listed}",
    ),
    "judge.self_citation": (
        "자기 인용: {figure}의 출처가 이 기사 자신뿐이라 확인할 수 없음; 다른 출처(예산서, 보도자료)가 필요함",
        "self-citation: {figure} rests only on this article itself, so it cannot confirm it; "
        "another source (the 예산서, a press release) is needed",
    ),
    "tier.official_item": ("공식 세부사업", "official line item"),
    "tier.official_aggregate": ("공식 집계", "official aggregate"),
    "tier.announced": ("정부 발표(보도 인용)", "government announcement, as reported"),
    "tier.reported": ("다른 보도", "other reports"),
    "tier.none": ("외부 근거 없음", "no outside evidence"),
    # --- reviewers' decisions (claims.candidates.reviews) ---
    "review.confirmed_missing": (
        "검토자가 확인한 '{subject}'의 항목을 이번 자료에서 찾을 수 없어 다시 맞춰 봄",
        "the figure a reviewer confirmed for '{subject}' is not in this data: matched again from scratch",
    ),
    "evidence.other_dataset_one": ("{dataset} {amount} ({tier})", "{dataset} {amount} ({tier})"),
    "evidence.datasets_disagree": (
        "자료마다 금액이 다름: 판정은 {dataset}의 {amount}을 씀 ({why}); 다른 자료: {listed}",
        "the datasets disagree: the verdict used {dataset}'s {amount} ({why}); others: {listed}",
    ),
    "why.higher_tier": ("근거 등급이 더 높음", "it is of the higher evidence tier"),
    "why.fits_claim": (
        "같은 등급의 자료끼리 다르며 기사 금액에 맞는 쪽임; 어느 쪽이 맞는지는 원자료로 확인해야 함",
        "the same tier; it is the one the text's figure fits, and which is right needs the official data",
    ),
    # --- warnings (claims.check) ---
    "warning.no_government": (
        "기사에서 지자체 이름을 찾지 못했습니다. 자료와 비교하려면 지자체를 지정하세요 (--government)",
        "no government named in the text; give one (--government) to check against the data",
    ),
    # --- what the check is about (claims.scope) ---
    "scope.no_year": (
        "{government}: 예산 연도를 알 수 없어 확인 불가 (기사에 발행일과 '내년도 예산', '2026년 예산안' 같은 표현이 "
        "없음); 연도를 지정하세요 (--year)",
        "{government}: the budget year is unknown, so nothing is checked (the text has no cue such as '2026년 "
        "예산안', or '내년도 예산' with a publication date); give the year (--year)",
    ),
    "scope.no_data": (
        "{government} {year}: 불러온 세부사업도 보도 수치도 없어 확인 불가; 그 해 예산서나 lofin365 QWGJK 자료를 "
        "`yesan load FILE`로 불러오세요",
        "{government} {year}: no line items and no reported figures loaded, so nothing is checked; load its "
        "{year} 예산서 or lofin365 QWGJK rows with `yesan load FILE`",
    ),
    "scope.government_text": (
        "지자체: {government} ({level}) — 기사에서 찾음: {reasons}{runners}",
        "government: {government} ({level}) — from the text: {reasons}{runners}",
    ),
    "scope.government_option": ("지자체: {government} — 지정함 ({how})", "government: {government} — given ({how})"),
    "scope.government_none": (
        "지자체: 알 수 없음 — 기사에 지자체 이름이 없음",
        "government: unknown — the text names none",
    ),
    "scope.year_text": ("연도: {year} — {reasons}{published}", "year: {year} — from {reasons}{published}"),
    "scope.year_option": ("연도: {year} — 지정함 ({how})", "year: {year} — given ({how})"),
    "scope.year_none": ("연도: 알 수 없음 — {reasons}{published}", "year: unknown — {reasons}{published}"),
    "scope.no_cue": ("예산 연도 표현 없음", "no budget-year cue in the text"),
    "scope.published": ("; 발행일 {date}", "; published {date}"),
    "scope.unpublished": ("; 발행일 모름", "; publication date unknown"),
    "scope.at": ("'{text}'({where}{start}번째 글자)", "'{text}' ({where}at {start})"),
    "scope.in_title": ("제목 ", "title "),
    "scope.at_address": ("'{text}'(게시된 누리집 주소)", "'{text}' (the site it was published on)"),
    "scope.runners_up": ("; 다음 후보: {listed}", "; next: {listed}"),
}

#: How a verdict reads against each evidence tier (``claims.evidence``): "일치" against other outlets' reports is
#: "다른 보도와 일치", never a bare "일치" that reads like official confirmation. Against a line item the
#: verdict is the bare one.
_AGAINST: Final = {
    "official_aggregate": ("공식 집계", "an official aggregate"),
    "announced": ("발표", "the announcement (as reported)"),
    "reported": ("다른 보도", "other reports"),
}
_VERDICT_FORMS: Final = {
    "일치": ("{ko}와 일치", "matches {en}"),
    "반올림 일치": ("{ko}와 반올림 일치", "matches {en} when rounded"),
    "근사": ("{ko}와 근사", "close to {en}"),
    "범위 일치": ("{ko} 기준 범위 일치", "within the stated range, by {en}"),
    "불일치": ("{ko}와 불일치", "does not match {en}"),
}
_PLAIN_EN: Final = {
    "일치": "matches", "반올림 일치": "matches when rounded", "근사": "close", "범위 일치": "within the stated range",
    "불일치": "does not match", "확인 불가": "cannot be checked", "모호": "ambiguous",
}  # fmt: skip
for _tier, (_ko, _en) in _AGAINST.items():
    for _verdict, (_form_ko, _form_en) in _VERDICT_FORMS.items():
        PHRASES[f"label.{_tier}.{_verdict}"] = (_form_ko.format(ko=_ko), _form_en.format(en=_en))
for _verdict, (_form_ko, _form_en) in _VERDICT_FORMS.items():
    PHRASES[f"label.none.{_verdict}"] = (
        "기사 안에서 " + _verdict if _verdict != "범위 일치" else "기사 안에서 범위 일치",
        f"{_PLAIN_EN[_verdict]} within the text",
    )
for _verdict, _plain in _PLAIN_EN.items():
    PHRASES[f"label.plain.{_verdict}"] = (_verdict, _plain)


def verdict_label(verdict: str, tier: str | None) -> Phrase:
    """The verdict as shown with its tier: ``("일치", "reported")`` → 다른 보도와 일치 / matches other reports."""
    for key in (f"label.{tier}.{verdict}", f"label.plain.{verdict}"):
        if key in PHRASES:
            return Phrase(key)
    return Phrase("label.plain.확인 불가")


Arg = Union[str, "Phrase", tuple[str, ...]]


class Phrase(str):
    """A sentence for people: ``key`` in ``PHRASES`` with its parameters; as a ``str``, the English sentence.

    ``Phrase("amount.equal", actual="38억원")`` is ``"equal to the won (38억원)"`` and renders in Korean as
    ``"원 단위까지 같음 (38억원)"``. A tuple parameter is a list, joined with the ``sep`` parameter (``", "``
    unless given). Phrases are immutable: copying returns the same object.
    """

    key: str
    args: Mapping[str, Any]

    def __new__(cls, key: str, /, **args: Any) -> Phrase:
        if key not in PHRASES:
            raise KeyError(f"no sentence {key!r} in yesan.claims.wording.PHRASES; add it in both languages")
        self = super().__new__(cls, _fill(key, args, "en"))
        self.key = key
        self.args = args
        return self

    def render(self, lang: str) -> str:
        """The sentence in ``lang`` (``"ko"`` or ``"en"``; anything else is English)."""
        return str(self) if lang != "ko" else _fill(self.key, self.args, "ko")

    def __copy__(self) -> Phrase:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> Phrase:
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self.key, dict(self.args)))


def _rebuild(key: str, args: dict[str, Any]) -> Phrase:
    return Phrase(key, **args)


def in_language(value: object, lang: Literal["ko", "en"] | str) -> str:
    """``value`` for a reader of ``lang``: a :class:`Phrase` rendered, any other text as it is."""
    if isinstance(value, Phrase):
        return value.render(lang)
    return "" if value is None else str(value)


def _fill(key: str, args: Mapping[str, Any], lang: str) -> str:
    ko, en = PHRASES[key]
    sep = str(args.get("sep", ", "))
    values = {name: _value(value, lang, sep) for name, value in args.items() if name != "sep"}
    return (ko if lang == "ko" else en).format(**values)


def _value(value: Any, lang: str, sep: str) -> Any:
    if isinstance(value, Phrase):
        return value.render(lang)
    if isinstance(value, tuple | list):
        return sep.join(in_language(v, lang) for v in value)
    return value


def reason_text(reason: str) -> Phrase | str:
    """The sentence for a ``Judgement.reason`` code (``"self_only"`` → "the only sources are the article itself")."""
    key = f"reason.{reason}"
    return Phrase(key) if key in PHRASES else reason
