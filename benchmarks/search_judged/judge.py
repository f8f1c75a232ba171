"""Build the judged search query set (``queries.jsonl``) from written relevance criteria.

Each query below states, independently of the search engine, which item names answer it and how well:
grade 3 = what was asked for, 2 = clearly about it, 1 = related; everything else is 0. The criteria are
regular expressions over the item name as published (NFKC, lower case); ``not`` vetoes a name whatever
else it matches (the avian-influenza "AI" of 방역 items is not 인공지능). They were written by reading the
bundled data's names, not the search results. Run from the repository root:

    python benchmarks/search_judged/judge.py        # rewrites benchmarks/search_judged/queries.jsonl

Every item (세부사업 row) of the bundled 2026-07-05 snapshot is judged; a line holds the query, its kind
(homonym, abbreviation, spacing, typo, chosung, english, synonym, particle, plain), the criteria and the
item codes (``dbiz_cd``) of each grade above 0.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from pathlib import Path
from typing import Any, Final

import pyarrow.parquet as pq

HERE: Final = Path(__file__).resolve().parent
ROOT: Final = HERE.parents[1]
DATA: Final = ROOT / "src" / "yesan" / "data" / "qwgjk_fyr2026_exe20260705.parquet"

AI_WORD: Final = r"(?<![a-z])ai(?![a-z])"
#: Animal-disease control: the AI of these names is avian influenza (read from the data's 방역 items).
DISEASE: Final = (
    r"방역|구제역|병원성|예방약품|백신|시료채취|현장검사|간이검사|현장진단|현장활동|통제초소|휴지기|위생난좌"
    r"|사육제한|휴업보상|차단|질병|전염병|가금|오리|asf|돼지열병|조류|인플루엔자|상황실"
)
AI_TECH_NOT: Final = rf"^(?!.*(?:인공지능|기반)).*(?:{DISEASE})"  # a disease name that never says 인공지능/기반

# (query, kind, {grade: pattern}, veto pattern or None)
QUERIES: Final[list[tuple[str, str, dict[int, str], str | None]]] = [
    # homonyms: AI the technology vs AI the avian influenza
    ("인공지능", "homonym", {3: rf"인공지능|{AI_WORD}"}, AI_TECH_NOT),
    ("조류인플루엔자", "homonym", {3: r"조류\s?인플루엔자|조류독감", 2: AI_WORD}, r"인공지능|기반"),
    ("조류독감", "homonym", {3: r"조류\s?인플루엔자|조류독감", 2: AI_WORD}, r"인공지능|기반"),
    ("AI 방역", "homonym", {3: rf"{AI_WORD}.*방역|방역.*{AI_WORD}|조류인플루엔자.*방역", 1: r"방역"}, r"인공지능"),
    ("인공지능 돌봄", "homonym", {3: rf"(?:인공지능|{AI_WORD}).*돌봄|돌봄.*(?:인공지능|{AI_WORD})", 1: r"돌봄"}, None),
    ("AI 교육", "homonym", {3: rf"(?:인공지능|{AI_WORD}).*교육|교육.*(?:인공지능|{AI_WORD})"}, AI_TECH_NOT),
    # abbreviations and their Korean names
    ("R&D", "abbreviation", {3: r"r\s?&\s?d|연구\s?개발"}, None),
    ("연구개발", "abbreviation", {3: r"r\s?&\s?d|연구\s?개발"}, None),
    ("ICT", "abbreviation", {3: r"(?<![a-z])ict(?![a-z])|정보\s?통신\s?기술"}, None),
    ("정보통신기술", "abbreviation", {3: r"(?<![a-z])ict(?![a-z])|정보\s?통신\s?기술", 1: r"정보\s?통신"}, None),
    ("SOC", "abbreviation", {3: r"(?<![a-z])soc(?![a-z])|사회\s?기반\s?시설|사회\s?간접\s?자본"}, None),
    ("CCTV", "abbreviation", {3: r"cctv|폐쇄\s?회로"}, None),
    ("폐쇄회로", "abbreviation", {3: r"cctv|폐쇄\s?회로"}, None),
    ("IoT", "abbreviation", {3: r"(?<![a-z])iot(?![a-z])|사물\s?인터넷"}, None),
    ("사물인터넷", "abbreviation", {3: r"(?<![a-z])iot(?![a-z])|사물\s?인터넷"}, None),
    ("LED", "abbreviation", {3: r"(?<![a-z])led(?![a-z])|엘이디"}, None),
    ("ASF", "abbreviation", {3: r"(?<![a-z])asf(?![a-z])|아프리카\s?돼지\s?열병"}, None),
    # spacing
    ("청년일자리", "spacing", {3: r"청년\s?일자리", 1: r"청년.*일자리|일자리.*청년"}, None),
    ("작은 도서관", "spacing", {3: r"작은\s?도서관", 1: r"도서관"}, None),
    ("노인일자리", "spacing", {3: r"노인\s?일자리|어르신\s?일자리", 1: r"노인.*일자리|일자리.*노인"}, None),
    ("하수 관로", "spacing", {3: r"하수\s?관로", 1: r"관로"}, None),
    ("버스 정류장", "spacing", {3: r"버스\s?정류장|버스\s?정류소|버스\s?승강장", 1: r"정류장|정류소|승강장"}, None),
    # typos (one syllable off)
    ("경노당", "typo", {3: r"경로당|경노당"}, None),
    ("도서간", "typo", {3: r"도서관"}, None),
    ("채육관", "typo", {3: r"체육관"}, None),
    ("쓰래기", "typo", {3: r"쓰레기", 2: r"폐기물"}, None),
    ("어린니집", "typo", {3: r"어린이집"}, None),
    ("상슈도", "typo", {3: r"상수도"}, None),
    # 초성 (initial consonants only)
    ("ㄱㄹㄷ", "chosung", {3: r"경로당"}, None),
    ("ㄷㅅㄱ", "chosung", {3: r"도서관"}, None),
    ("ㅊㅇㄱ", "chosung", {3: r"체육관"}, None),
    # English words for Korean budget terms
    ("library", "english", {3: r"도서관"}, None),
    ("youth", "english", {3: r"청년"}, None),
    ("dementia", "english", {3: r"치매"}, None),
    ("parking", "english", {3: r"주차장|주차\s?시설|주차\s?공간", 1: r"주차"}, None),
    ("drone", "english", {3: r"드론"}, None),
    ("smart city", "english", {3: r"스마트\s?시티|스마트\s?도시", 1: r"스마트"}, None),
    # synonyms
    ("어르신 복지관", "synonym", {3: r"(?:어르신|노인|고령자|시니어)\s?복지관", 1: r"복지관"}, None),
    ("독거노인", "synonym", {3: r"독거\s?노인|홀몸\s?노인|홀로\s?어르신|독거\s?어르신", 1: r"독거"}, None),
    ("재래시장", "synonym", {3: r"재래\s?시장|전통\s?시장"}, None),
    ("저출생", "synonym", {3: r"저출생|저출산"}, None),
    ("반려동물", "synonym", {3: r"반려\s?동물|애완\s?동물", 1: r"반려|유기\s?동물"}, None),
    # particles
    ("어르신의 일자리", "particle", {3: r"(?:어르신|노인|고령자|시니어)\s?일자리", 1: r"일자리"}, None),
    ("경로당에", "particle", {3: r"경로당"}, None),
    ("청년들의 창업", "particle", {3: r"청년.*창업|창업.*청년", 1: r"창업"}, None),
    # plain words
    ("기초연금", "plain", {3: r"기초\s?연금"}, None),
    ("산불", "plain", {3: r"산불"}, None),
    ("스마트팜", "plain", {3: r"스마트\s?팜", 1: r"스마트\s?농업"}, None),
]


def judge(names: list[str], codes: list[str]) -> list[dict[str, Any]]:
    """The judged lines: for each query, the item codes of every grade above 0."""
    folded = [unicodedata.normalize("NFKC", name).lower() for name in names]
    lines: list[dict[str, Any]] = []
    for query, kind, grades, veto in QUERIES:
        veto_re = re.compile(veto) if veto else None
        compiled = sorted(((grade, re.compile(pattern)) for grade, pattern in grades.items()), reverse=True)
        judged: dict[str, list[str]] = {str(grade): [] for grade, _ in compiled}
        for name, code in zip(folded, codes, strict=True):
            if veto_re is not None and veto_re.search(name):
                continue
            for grade, pattern in compiled:
                if pattern.search(name):
                    judged[str(grade)].append(code)
                    break
        criteria = {str(grade): pattern for grade, pattern in grades.items()}
        lines.append({"query": query, "kind": kind, "criteria": criteria, "not": veto, "grades": judged})
    return lines


def main() -> int:
    table = pq.read_table(DATA, columns=["dbiz_nm", "dbiz_cd"])
    names = [str(n) for n in table.column("dbiz_nm").to_pylist()]
    codes = [str(c) for c in table.column("dbiz_cd").to_pylist()]
    lines = judge(names, codes)
    out = HERE / "queries.jsonl"
    out.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), encoding="utf-8")
    for line in lines:
        sizes = ", ".join(f"{grade}: {len(items)}" for grade, items in line["grades"].items())
        print(f"{line['query']:<14} {line['kind']:<12} {sizes}")
    print(f"wrote {out} ({len(lines)} queries)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
