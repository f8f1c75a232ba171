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

__all__ = ["PHRASES", "Phrase", "in_language", "verdict_label"]

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
        "'{word}' 충족: {actual}은 {claimed} 이상이고 {share}% 더한 금액 미만",
        "'{word}': {actual} is {claimed} and less than {share}% more",
    ),
    "amount.little_more_fails": (
        "'{word}' 불충족: {actual}은 {claimed}보다 조금 많은 금액이 아님",
        "'{word}' does not hold: {actual} is not {claimed} and a little more",
    ),
    "amount.approximate": (
        "'{word}'의 허용 범위 ±{tolerance}% 안: {claimed}과 {actual}의 차이 {share}",
        "'{word}' allows ±{tolerance}%: {claimed} vs {actual} differ by {share}",
    ),
    "amount.mismatch": (
        "{claimed}과 {actual}: {difference} 차이{hint}",
        "{claimed} vs {actual}: differ by {difference}{hint}",
    ),
    "amount.hint_rounded": (
        "; {actual}을 {unit} 단위로 반올림하면 {claimed}",
        "; {actual} rounded to {unit} would give {claimed}",
    ),
    "amount.hint_truncated": (
        "; {actual}을 {unit} 단위 아래에서 버리면 {claimed}",
        "; {actual} truncated to {unit} would give {claimed}",
    ),
    "amount.rounds": (
        "{actual}을 {unit} 단위로 반올림하면 {claimed}{how}",
        "{actual} rounds to {claimed} at {unit} precision{how}",
    ),
    "amount.truncates": (
        "{actual}을 {unit} 단위 아래에서 버리면 {claimed}{how}; 반올림하면 {rounded}",
        "{actual} truncated to {unit} is {claimed}{how}; rounding would give {rounded}",
    ),
    "amount.trailing_zeros": (
        " ({claimed}의 끝자리 0을 반올림으로 읽음)",
        " (reading the trailing zeros of {claimed} as rounding)",
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
        "{computed}에서 소수점 아래를 버리면 {stated}%",
        "{computed} truncated to 0 decimals is {stated}%",
    ),
    "percent.truncates": (
        "{computed}를 소수점 {places}자리 아래에서 버리면 {stated}%",
        "{computed} truncated to {places} decimals is {stated}%",
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
    "warning.nothing_to_check": (
        "{government} {year}: 비교할 자료가 없습니다 (보도 수치도 세부사업도 없음; `yesan load`로 불러오세요)",
        "nothing to check against for {government} {year}: no reported figures and no line items "
        "(load some with `yesan load`)",
    ),
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
