"""Which government an article is about: names as texts write them, and everyday words that are not names."""

from __future__ import annotations

from pathlib import Path

from conftest import run_cli
from yesan.claims.candidates.reference import government_aliases
from yesan.claims.verdict.check import detect_government
from yesan.query import open_backend, tables


def test_short_names_are_aliases() -> None:
    assert government_aliases("고흥군") == ("고흥군", "고흥")
    assert government_aliases("서울특별시") == ("서울특별시", "서울시", "서울")


def test_a_stem_that_is_an_everyday_word_is_not_an_alias() -> None:
    assert government_aliases("예산군") == ("예산군",)  # 예산 = budget
    assert government_aliases("보은군") == ("보은군",)


def test_the_word_budget_does_not_name_yesan_county(tmp_path: Path) -> None:
    db = tmp_path / "demo.duckdb"
    run_cli("demo", "--no-serve", db=db, check=True)
    backend = open_backend(db)
    try:
        text = "고흥군의 내년 예산은 1조원이다. 예산 가운데 복지 예산이 가장 크고, 예산 편성은 다음 달에 끝난다."
        assert detect_government(text, tables(backend)) == "4674000"
        assert detect_government("충남 예산군의 예산은 6천억원이다.", tables(backend)) == "4477000"
    finally:
        backend.disconnect()
