"""Korean morphology for claims: kiwipiepy tokens and the noun phrases built from them.

Kiwi is loaded once, on first use (about 1.5 s); a sentence then takes about half a millisecond.
Only sentences that hold money are analysed. Tags are Sejong tags as Kiwi writes them: NNG common
noun, NNP proper noun, NNB bound noun, SN number, SL Latin letters, JKB adverbial particle (에, 으로),
JX topic particle (은, 는, 도), ETM adnominal ending (-ㄴ, -는), EC connective ending, …
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from typing import Any, Final

__all__ = ["Token", "tokenize", "warm_up"]


@dataclass(frozen=True, slots=True)
class Token:
    form: str
    tag: str
    start: int
    end: int


_COUNTERS: Final = frozenset({"차례", "번", "회", "차", "개", "명", "곳", "가지", "건", "가구", "호", "개월", "달"})
_lock = threading.Lock()
_analyzer: Any = None


def _kiwi() -> Any:
    global _analyzer
    if _analyzer is None:
        with _lock:
            if _analyzer is None:
                from kiwipiepy import Kiwi  # type: ignore[import-untyped]

                _analyzer = Kiwi()
    return _analyzer


def warm_up() -> None:
    """Load the analyser now (benchmarks and servers call this before timing or serving)."""
    tokenize("서울시는 복지 사업에 100억원을 편성했다.")


def tokenize(text: str) -> list[Token]:
    """Kiwi's morphemes of ``text`` with character positions into ``text``.

    Repairs of Kiwi's readings inside a word: the 도 of "2026년도" read as the particle 도, the 전 of
    "전년도" and the first syllable of a noun ("세입", "순세계잉여금") read as a determiner.
    """
    tokens: list[Token] = []
    for t in _kiwi().tokenize(text):
        token = Token(t.form, t.tag, t.start, t.start + t.len)
        glued = bool(tokens) and tokens[-1].end == token.start
        if glued and token.form == "도" and token.tag == "JX" and tokens[-1].form.endswith("년"):
            token = Token("도", "XSN", token.start, token.end)
        elif glued and token.form in ("년", "년도") and tokens[-1].form == "전" and tokens[-1].tag == "MM":
            tokens[-1] = Token("전", "XPN", tokens[-1].start, tokens[-1].end)
        elif token.tag == "NNB" and token.form in ("시", "도", "군", "구") and not (tokens and tokens[-1].tag == "SN"):
            token = Token(token.form, "NNG", token.start, token.end)  # "시 채무는": the city, not o'clock
        elif glued and tokens[-1].tag == "MM" and token.tag == "NNG" and token.form not in _COUNTERS:
            # "세/MM 입", "순/MM 세계잉여금", "가치동/MM 행일자리": a syllable of the noun read as a determiner
            previous = tokens.pop()
            token = Token(previous.form + token.form, "NNG", previous.start, token.end)
        tokens.append(token)
    return tokens


# --- word classes ---------------------------------------------------------------------------------


def words(text: str) -> frozenset[str]:
    """A set of words written as one space-separated string (easier to read than a list of literals)."""
    return frozenset(text.split())


NOUNISH: Final = frozenset({"NNG", "NNP", "NNB", "NR", "SN", "SL", "SH", "XPN", "XSN", "XR"})
CONTENT: Final = frozenset({"NNG", "NNP", "SL", "SH", "XR"})
#: Time words: they date a figure, they do not say what the money is for.
TIME_WORDS: Final = words(
    "내년 내년도 올해 금년 금년도 새해 작년 작년도 지난해 전년 전년도 당해 당해연도 이번 오는 지난 "
    "향후 연간 당초 최종 현재 이날 오늘 하반기 상반기 분기 연도 년도 년 월 일"
)
PAST_WORDS: Final = frozenset({"작년", "작년도", "지난해", "전년", "전년도"})
#: Words that end a noun phrase when walking left (superlatives, comparison markers, hedges).
STOP_NOUNS: Final = words(
    "대비 최대 최고 최저 최소 역대 사상 가운데 끝 이상 이하 미만 정도 가량 비해 대해 이날 한편 오늘 현재 당시 반면 "
    "대신 결과"
)
COUNTERS_AFTER_NUMBER: Final = frozenset({"차례", "번", "회", "차"})
#: Whole budgets: the heads of phrases such as "서울시 내년 예산", "순계예산 규모", "정책 사업비".
BUDGET_HEADS: Final = words(
    "예산 예산안 본예산 본예산안 살림 살림살이 총계 순계 총예산 세출 세출예산 세입 세입예산 총규모 규모 총액 재정 "
    "재정규모 추경 추경안 추경예산 추가경정예산 추가경정예산안 예산액 예산규모"
)
#: Heads of a supplementary budget: its size is an increase of the year's budget.
SUPPLEMENTARY_HEADS: Final = words("추경 추경안 추경예산 추가경정예산 추가경정예산안 경정")
#: Words that leave a budget phrase a whole budget (scope, stage, time): "2026년도 전체 살림 예산".
BUDGET_NEUTRAL: Final = words(
    "총 전체 전 당초 최종 수정 확정 제출 원안 정부안 기준 안 중 시 도 군 구 수도 합계 합한 일반 "
    "일반회계 특별회계 기금 회계 통합 본청 분 별 세입 세출 순 계 순계 추가 경정 제 회 차"
)
GENERIC_MONEY: Final = words("예산 사업비 총사업비 금액 규모 재원 비용 예산액 돈 액수 자금 총 액")
GOV_WORDS: Final = words(
    "시 도 군 구 교육청 시교육청 도교육청 교육지원청 정부 국가 특별시 광역시 특별자치시 특별자치도 "
    "지자체 자치구 지방자치단체 자치단체 시군구 시도"
)
REGIONS: Final = words(
    "서울 부산 대구 인천 광주 대전 울산 세종 경기 강원 충북 충남 전북 전남 경북 경남 제주 수도권 서울특별시"
)
_GOV_NAME: Final = re.compile(r"(?:특별시|광역시|특별자치시|특별자치도|교육청|[^도]시|[가-힣]도|[가-힣]군|[가-힣]구)$")
AGENT_WORDS: Final = words(
    "시장 의장 위원장 위원 위원들 위원회 관계자 기자 장관 지사 도지사 군수 구청장 교육감 의회 시의회 "
    "도의회 군의회 구의회 국회 당국 정부 측 대변인 의원 의원들 상임위 예결위 본부장 국장 실장"
)
NON_PURPOSE: Final = words(
    "끝 가운데 중 때 후 이후 이전 동안 경우 과정 결과 상황 측면 바탕 사이 대상 데 곳 만큼 것 수 덕분 "
    "탓 반면 한편 브리핑 설명회 기자설명회 회견 본회의 정례회 회의 심사 예비심사 보도자료 발표 자리 "
    "이날"
)


def is_gov(token: Token) -> bool:
    """A government: 서울시, 해남군, 교육청, 정부 …"""
    if token.form in GOV_WORDS or token.form in REGIONS:
        return True
    return token.tag == "NNP" and _GOV_NAME.search(token.form) is not None


def is_time(tokens: list[Token]) -> bool:
    """Only time words and numbers ("올해", "2025년", "지난해 10월")."""
    return all(t.form in TIME_WORDS or t.tag in ("SN", "NR") or t.tag not in NOUNISH for t in tokens)
