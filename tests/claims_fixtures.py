"""Small literal fixtures for the matching and judging tests: claims, a reported-figures file, a tiny item file.

The sentences are written for these tests (no article text); the governments are made up (가나시, 라마군).
"""

from __future__ import annotations

from pathlib import Path

from yesan.claims.model import Claim, Kind
from yesan.ingest import ReadOptions, read_path
from yesan.ingest.batch import Batch
from yesan.ingest.reported import ReportedBatch
from yesan.money import parse
from yesan.store import Store

_REPORTED_HEADER = (
    "subject_ko,amount_krw,stage,kind,prior_year_amount_krw,change_pct,sources,conflicting,amount_ko,change_krw,"
    "prior_sources,notes"
)
#: 가나시 2026: a total at two stages, a few programs, a committee figure, two programs named 동행 ….
_REPORTED_ROWS = (
    '가나시 총예산(총계),2515000000000,proposal,total,2350000000000,7,"A, B",,2조5150억원,165000000000,A,',
    "가나시 총예산(총계),2512000000000,enacted,total,2350000000000,6.9,C,,2조5120억원,162000000000,A,cut 30억",
    "가나시+교육청 합계 예산,3100000000000,enacted,total,,,C,,3조1000억원,,,",
    "순계예산,2210000000000,proposal,total,2080000000000,6.3,A,,2조2100억원,130000000000,A,",
    "어르신 무료 급식,4260000000,proposal,allocation,,,A,,42억6000만원,,,",
    '청년 월세 지원,31500000000,proposal,allocation,,,"A, B",,315억원,,,',
    "청년 월세 지원,31500000000,enacted,allocation,,,C,,315억원,,,",
    "시립 도서관 건립,15500000000,proposal,allocation,12000000000,,A,,155억원,3500000000,A,",
    "공공 와이파이 확충,9000000000,,allocation,,,D,,90억원,1000000000,,committee stage",
    "동행 돌봄 바우처,61200000000,proposal,allocation,,,A,,612억원,,,",
    "동행 교통 패스,84900000000,proposal,allocation,,,A,,849억원,,,",
)
REPORTED_CSV = "\n".join((_REPORTED_HEADER, *_REPORTED_ROWS)) + "\n"

_ITEMS_HEADER = (
    "fyr,exe_ymd,wa_laf_hg_nm,laf_cd,laf_hg_nm,acnt_dv_nm,fld_nm,part_nm,dbiz_cd,dbiz_nm,"
    "bdg_cash_amt,bdg_ntep,capep,sggep,etc_amt,ep_amt,cpl_amt"
)
_RAMA = "2026,20260705,가나도,4799000,라마군"
#: 라마군 (a made-up 군 in 가나도): QWGJK rows; 마을 방범 CCTV 설치 is split over two accounts.
_ITEM_ROWS = (
    "일반회계,사회복지,노인·청소년,3000000000000001,경로당 냉난방비 지원,250000000,0,100000000,150000000,0,100000000,"
    "250000000",
    "일반회계,사회복지,노인·청소년,3000000000000002,노인 일자리 사업,1800000000,900000000,450000000,450000000,0,"
    "900000000,1800000000",
    "일반회계,사회복지,보육·가족및여성,3000000000000003,공공 산후조리원 운영,700000000,0,0,700000000,0,300000000,"
    "700000000",
    "일반회계,공공질서및안전,경찰,3000000000000004,마을 방범 CCTV 설치,400000000,0,200000000,200000000,0,50000000,"
    "400000000",
    "지역개발기금,공공질서및안전,경찰,3000000000000004,마을 방범 CCTV 설치,150000000,0,0,150000000,0,0,150000000",
    "일반회계,환경,폐기물,3000000000000005,생활폐기물 수거 운반,2300000000,0,0,2300000000,0,1500000000,2300000000",
)
ITEMS_CSV = "\n".join((_ITEMS_HEADER, *(f"{_RAMA},{row}" for row in _ITEM_ROWS))) + "\n"
RAMA_TOTAL = 250_000_000 + 1_800_000_000 + 700_000_000 + 400_000_000 + 150_000_000 + 2_300_000_000
RAMA_WELFARE = 250_000_000 + 1_800_000_000 + 700_000_000


def claim(
    sentence: str,
    figure: str,
    subject: str | None,
    kind: Kind = "allocation",
    *,
    offset: int = 0,
    year: int | None = 2026,
    stage: str | None = None,
    change_pct: float | None = None,
    negative: bool = False,
) -> Claim:
    """A claim for ``figure`` as written in ``sentence`` (amount and qualifier from ``yesan.money``)."""
    at = sentence.find(figure)
    assert at >= 0, f"{figure!r} is not in {sentence!r}"
    amount = parse(figure)
    won = -abs(amount.won) if negative else amount.won
    return Claim(
        won, figure, offset + at, offset + at + len(figure), sentence, subject, kind, amount.qualifier, change_pct,
        year, stage,
    )  # fmt: skip


def write_reported(folder: Path) -> Path:
    path = folder / "gana_reported.csv"
    path.write_text(REPORTED_CSV, encoding="utf-8")
    return path


def write_items(folder: Path) -> Path:
    path = folder / "rama_items.csv"
    path.write_text(ITEMS_CSV, encoding="utf-8")
    return path


def build_store(db: Path, folder: Path) -> Path:
    """A real store file with 가나시's reported figures and 라마군's items."""
    [reported] = read_path(write_reported(folder), ReadOptions(fiscal_year=2026, extra={"government": "가나시"}))
    [items] = read_path(write_items(folder), ReadOptions())
    assert isinstance(reported, ReportedBatch) and isinstance(items, Batch)
    with Store.open(db) as store:
        store.load([items])
        store.load_reported(
            reported.figures, dataset=reported.dataset, source_file=reported.source_file, sha256=reported.sha256
        )
    return db
