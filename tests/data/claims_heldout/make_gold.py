"""Build gold.jsonl for the held-out texts (hand labels below; offsets computed from the files)."""

from __future__ import annotations

import json
import re
from pathlib import Path

HERE = Path(__file__).parent
# (article, figure as written, which occurrence of it (0-based), amount, kind, subject, stage, year, change_pct)
LABELS = [
    ("01", "4,800억원", 0, 480_000_000_000, "change", "제1회 추경안", "proposal+추경1", 2026, None),
    ("01", "4,800억원", 1, 480_000_000_000, "change", "2026년도 제1회 추가경정예산안", "추경1", 2026, None),
    ("01", "15조 2,000억원", 0, 15_200_000_000_000, "prior", "인천시 전체 예산(본예산)", "본예산", 2026, None),
    ("01", "15조 6,800억원", 0, 15_680_000_000_000, "total", "인천시 전체 예산", "추경1", 2026, None),
    ("01", "1,200억원", 0, 120_000_000_000, "other", "지방교부세 증가분", "추경1", 2026, None),
    ("01", "2,300억원", 0, 230_000_000_000, "other", "순세계잉여금", "추경1", 2026, None),
    ("01", "650억원", 0, 65_000_000_000, "allocation", "소상공인 긴급 경영안정자금", "추경1", 2026, None),
    ("01", "420억원", 0, 42_000_000_000, "allocation", "인천e음 캐시백 확대", "추경1", 2026, None),
    ("01", "310억원", 0, 31_000_000_000, "allocation", "집중호우 피해 복구", "추경1", 2026, None),
    ("01", "85억원", 0, 8_500_000_000, "change", "청사 리모델링 사업비 감액", "추경1", 2026, None),
    ("02", "11조원", 0, 11_000_000_000_000, "total", "전남도 내년 예산", "예산안", 2026, None),
    ("02", "11조 2,350억원", 0, 11_235_000_000_000, "total", "2026년도 예산안", "예산안", 2026, 5.5),
    ("02", "10조 6,500억원", 0, 10_650_000_000_000, "prior", "올해 본예산", "본예산", 2025, None),
    ("02", "5,850억원", 0, 585_000_000_000, "change", "증가분", "예산안", 2026, 5.5),
    ("02", "9조 8,100억원", 0, 9_810_000_000_000, "allocation", "일반회계", "예산안", 2026, None),
    ("02", "1조 4,250억원", 0, 1_425_000_000_000, "allocation", "특별회계", "예산안", 2026, None),
    ("02", "1,150억원", 0, 115_000_000_000, "allocation", "농어민 공익수당 지원", "예산안", 2026, None),
    ("02", "870억원", 0, 87_000_000_000, "allocation", "해상풍력 배후항만 조성", "예산안", 2026, None),
    ("02", "96억원", 0, 9_600_000_000, "allocation", "전남형 청년 주거지원", "예산안", 2026, None),
    ("02", "140억원", 0, 14_000_000_000, "allocation", "섬 지역 여객선 운임 지원", "예산안", 2026, None),
    ("02", "1,000원", 0, 1_000, "other", "여객선 운임", None, 2026, None),
    ("03", "2조 1,840억원", 0, 2_184_000_000_000, "total", "세출", "결산", 2025, None),
    ("03", "2조 4,100억원", 0, 2_410_000_000_000, "total", "세입", "결산", 2025, None),
    ("03", "2조 1,840억원", 1, 2_184_000_000_000, "total", "세출", "결산", 2025, None),
    ("03", "1,320억원", 0, 132_000_000_000, "other", "이월액", "결산", 2025, None),
    ("03", "940억원", 0, 94_000_000_000, "other", "순세계잉여금", "결산", 2025, None),
    ("03", "7,560억원", 0, 756_000_000_000, "allocation", "사회복지 분야 집행액", "결산", 2025, None),
    ("03", "410억원", 0, 41_000_000_000, "change", "사회복지 분야 집행액 증가분", "결산", 2025, None),
    ("03", "715,000", 0, 715_000_000_000, "prior", "사회복지", "결산", 2024, None),
    ("03", "756,000", 0, 756_000_000_000, "allocation", "사회복지", "결산", 2025, None),
    ("03", "41,000", 0, 41_000_000_000, "change", "사회복지", "결산", 2025, None),
    ("03", "182,300", 0, 182_300_000_000, "prior", "교통", "결산", 2024, None),
    ("03", "176,900", 0, 176_900_000_000, "allocation", "교통", "결산", 2025, None),
    ("03", "△5,400", 0, 5_400_000_000, "change", "교통", "결산", 2025, None),
    ("04", "1조 2,470억원", 0, 1_247_000_000_000, "total", "세종시교육청 2026년 예산안", "예산안", 2026, None),
    ("04", "1조 2,470억원", 1, 1_247_000_000_000, "total", "2026년도 본예산안", "예산안", 2026, 3.0),
    ("04", "1조 2,110억원", 0, 1_211_000_000_000, "prior", "올해 본예산", "본예산", 2025, None),
    ("04", "360억원", 0, 36_000_000_000, "change", "증가분", "예산안", 2026, 3.0),
    ("04", "840억원", 0, 84_000_000_000, "allocation", "학교 신설과 증축", "예산안", 2026, None),
    ("04", "52억원", 0, 5_200_000_000, "allocation", "기초학력 보장 사업", "예산안", 2026, None),
    ("04", "1,930억원", 0, 193_000_000_000, "allocation", "교육복지 분야 예산", "예산안", 2026, None),
    ("04", "1,520만원", 0, 15_200_000, "other", "학생 1인당 교육비", None, 2026, None),
    ("05", "1조 1,200억원", 0, 1_120_000_000_000, "total", "내년 예산", "본예산", 2026, None),
    ("05", "38억원", 0, 3_800_000_000, "change", "원안 대비 삭감", "본예산", 2026, None),
    ("05", "1조 1,212억원", 0, 1_121_200_000_000, "total", "2026년도 강남구 예산", "본예산", 2026, None),
    ("05", "38억원", 1, 3_800_000_000, "change", "원안 대비 감액", "본예산", 2026, None),
    ("05", "1조 1,250억원", 0, 1_125_000_000_000, "total", "구가 제출한 예산안", "예산안", 2026, None),
    ("05", "12억원", 0, 1_200_000_000, "change", "구청사 조경 개선 사업 삭감", "본예산", 2026, None),
    ("05", "5억원", 0, 500_000_000, "change", "홍보 영상 제작비 삭감", "본예산", 2026, None),
    ("05", "3억원", 0, 300_000_000, "change", "경로당 운영비 지원 증가분", "본예산", 2026, None),
    ("05", "27억원", 0, 2_700_000_000, "allocation", "경로당 운영비 지원", "본예산", 2026, None),
]
DECREASES = {("01", "85억원"), ("03", "△5,400"), ("05", "38억원"), ("05", "12억원"), ("05", "5억원")}


def main() -> None:
    rows = []
    for article, figure, occurrence, amount, kind, subject, stage, year, pct in LABELS:
        text = (HERE / "articles" / f"{article}.txt").read_text(encoding="utf-8")
        # the figure as a whole number ("12억원" is not the end of "1,212억원")
        found = [m.start() for m in re.finditer(r"(?<![0-9,.])" + re.escape(figure), text)]
        start = found[occurrence]
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", start)
        line = text[line_start:line_end]
        # the sentence: the line, cut at sentence ends ("다. ") around the figure
        cut_start = max(line.rfind("다. ", 0, start - line_start) + 3, 0) if "다. " in line else 0
        cut_end = line.find("다. ", start - line_start)
        sentence = line[cut_start : cut_end + 2] if cut_end >= 0 else line[cut_start:]
        direction = None
        if kind == "change":
            direction = "decrease" if (article, figure) in DECREASES else "increase"
        if pct is not None and direction == "decrease":
            pct = -abs(pct)
        stage_label = {"예산안": "proposal", "본예산": "enacted", "proposal+추경1": "추경1"}.get(stage or "", stage)
        rows.append(
            {
                "article": article,
                "sentence": sentence,
                "subject": subject,
                "amount_krw": amount,
                "qualifier": None,
                "kind": kind,
                "change_pct": pct,
                "stage": stage_label,
                "year": year,
                "figure_text": figure,
                "char_start": start,
                "direction": direction,
            }
        )
    with (HERE / "gold.jsonl").open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
