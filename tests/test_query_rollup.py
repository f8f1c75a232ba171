"""Rollups and snapshot choice: pre-summed drill-downs give the same answers as SQL over the items, to the won."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from conftest import bundled_line_items, run_cli
from yesan.bundled import SNAPSHOT_FILE, data_path
from yesan.errors import QueryError
from yesan.query import Filters, compare, drilldown, open_backend, tables
from yesan.query.drilldown import drilldown_held
from yesan.query.rollup import Rollups
from yesan.query.snapshots import SnapshotInfo, choose, stage_rank

pytestmark = pytest.mark.slow


def later_snapshot(path: Path, gov_codes: list[str]) -> Path:
    """Some governments of the bundled snapshot again on 2026-09-01, with 1,000 won more spent on every item."""
    table = pq.read_table(data_path(SNAPSHOT_FILE)).drop_columns(["_row"])
    table = table.filter(pc.is_in(pc.cast(table["laf_cd"], pa.string()), pa.array(gov_codes)))
    columns = {
        name: pc.cast(table[name], pa.string()) if name not in AMOUNTS else table[name] for name in table.schema.names
    }
    columns["exe_ymd"] = pa.array(["20260901"] * table.num_rows)
    columns["ep_amt"] = pc.add(table["ep_amt"], 1000)
    pacsv.write_csv(pa.table(columns), path)
    return path


AMOUNTS = ("bdg_cash_amt", "bdg_ntep", "capep", "sggep", "etc_amt", "ep_amt", "cpl_amt")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, Rollups, list[str]]]:
    folder = tmp_path_factory.mktemp("rollup")
    db = bundled_line_items(folder / "store.duckdb")
    backend = open_backend(db)
    items = tables(backend).items
    codes = sorted(r["gov_code"] for r in items.select("gov_code").distinct().to_pyarrow().to_pylist())
    backend.disconnect()
    later = codes[:12]
    run_cli("load", str(later_snapshot(folder / "later.csv", later)), db=db, check=True)
    backend = open_backend(db)
    items = tables(backend).items
    rollups = Rollups.build(items)
    assert rollups is not None
    yield items, rollups, later
    backend.disconnect()


def answer(result: Any) -> tuple[Any, ...]:
    rows = sorted((repr(sorted(r.key.items())), r.items, sorted(r.amounts.items())) for r in result.rows)
    return (result.total.items, result.total.amounts, rows, result.snapshot_ids, result.note, result.exact)


def test_rollups_answer_exactly_what_sql_answers(store: tuple[Any, Rollups, list[str]]) -> None:
    items, rollups, later = store
    filter_sets = [
        Filters(),
        Filters(fiscal_year=2026),
        Filters(snapshot_ids=(1,)),
        Filters(snapshot_ids=(2,)),
        Filters(gov_codes=(later[0],)),
        Filters(gov_codes=(later[0], "4712000")),
        Filters(region="경기도"),
        Filters(field_name="사회복지"),
        Filters(field_name="사회복지", sector_name="노인"),
        Filters(account_type="기금"),
        Filters(account="일반회계", region="경상북도"),
        Filters(snapshot_ids=(1,), gov_codes=(later[1],), field_name="환경"),
    ]
    levels = ("region", "government", "account_type", "account", "field", "sector")
    checked = 0
    for filters, level in itertools.product(filter_sets, levels):
        with_rollups = drilldown(items, level, filters, rollups=rollups)
        with_sql = drilldown(items, level, filters)
        assert answer(with_rollups) == answer(with_sql), (level, filters)
        checked += 1
    assert checked == 72


def test_without_snapshots_each_government_comes_from_its_latest(store: tuple[Any, Rollups, list[str]]) -> None:
    items, rollups, later = store
    result = drilldown(items, "government", rollups=rollups)
    assert result.snapshot_ids == [1, 2]
    assert result.note is not None and "using the latest 2026 snapshot of each government" in result.note
    by_code = {r.key["gov_code"]: r for r in result.rows}
    assert len(by_code) == 106  # every government once: 12 from snapshot 2, the others from snapshot 1
    only_first = drilldown(items, "government", Filters(snapshot_ids=(1,)), rollups=rollups)
    first = {r.key["gov_code"]: r for r in only_first.rows}
    for code in later:
        assert by_code[code].amounts["spent"] == first[code].amounts["spent"] + 1000 * first[code].items
    assert by_code["4712000"].amounts == first["4712000"].amounts


def test_snapshots_are_summed_when_first_asked_about_and_dropped_past_the_row_limit(
    store: tuple[Any, Rollups, list[str]],
) -> None:
    items, _, later = store
    one_snapshot = Rollups.build(items).prepare(Filters(snapshot_ids=(1,)))  # snapshot 1's rollup rows
    rollups = Rollups.build(items, max_rows=one_snapshot)  # room for snapshot 1 only
    assert rollups.rows == 0 and rollups.loads == 0  # nothing summed at build
    first = Filters(snapshot_ids=(1,), region="경상북도")
    assert answer(drilldown(items, "field", first, rollups=rollups)) == answer(drilldown(items, "field", first))
    assert rollups.held == (1,) and rollups.rows == one_snapshot and rollups.loads == 1
    drilldown(items, "sector", Filters(snapshot_ids=(1,)), rollups=rollups)
    assert rollups.loads == 1  # held: not summed again
    second = Filters(snapshot_ids=(2,), gov_codes=(later[0],))
    assert answer(drilldown(items, "account", second, rollups=rollups)) == answer(drilldown(items, "account", second))
    assert rollups.held == (2,) and rollups.loads == 2  # snapshot 1 dropped to stay under the limit
    assert answer(drilldown(items, "government", first, rollups=rollups)) == answer(
        drilldown(items, "government", first)
    )
    assert rollups.held == (1,) and rollups.loads == 3  # summed again
    for filters in (Filters(), Filters(gov_codes=(later[0], "4712000"))):  # answers that need both snapshots
        assert answer(drilldown(items, "region", filters, rollups=rollups)) == answer(
            drilldown(items, "region", filters)
        )
    assert rollups.loads == 6 and rollups.rows <= one_snapshot  # each answer summed the one it lacked


def test_a_server_sums_only_the_latest_snapshots_at_start(store: tuple[Any, Rollups, list[str]]) -> None:
    items, _, _ = store
    rollups = Rollups.build(items)
    rollups.prepare(Filters())  # each government's latest: snapshot 2 for 12 of them, 1 for the others
    assert rollups.held == (1, 2)
    rollups = Rollups.build(items)
    rollups.prepare(Filters(gov_codes=("4712000",)))
    assert rollups.held == (1,)


def test_naming_two_snapshots_of_one_government_is_refused(store: tuple[Any, Rollups, list[str]]) -> None:
    items, rollups, later = store
    for chosen in (rollups, None):
        with pytest.raises(QueryError, match=f"snapshots 1, 2 .*government {later[0]}"):
            drilldown(items, "field", Filters(snapshot_ids=(1, 2)), rollups=chosen)


def test_levels_below_sector_and_the_funding_filter_use_the_items(store: tuple[Any, Rollups, list[str]]) -> None:
    items, rollups, _ = store
    assert not rollups.answers(("program_code", "program_name"), Filters())
    assert not rollups.answers(("field_name",), Filters(funding="national"))
    funded = drilldown(items, "field", Filters(snapshot_ids=(1,), funding="national"), rollups=rollups)
    assert (
        funded.total.amounts == drilldown(items, "field", Filters(snapshot_ids=(1,), funding="national")).total.amounts
    )


def info(snapshot_id: int, year: int, stage: str, day: int | None = None) -> SnapshotInfo:
    return SnapshotInfo(snapshot_id, year, stage, dt.date(year, 7, day) if day else None)


def test_latest_means_year_then_stage_then_date() -> None:
    infos = {
        1: info(1, 2025, "본예산"),
        2: info(2, 2026, "예산안"),
        3: info(3, 2026, "본예산"),
        4: info(4, 2026, "현액", 5),
        5: info(5, 2026, "현액", 1),
    }
    everyone = {s: ["A"] for s in infos}
    assert choose(everyone, infos, explicit=False, what="x").snapshot_ids == (4,)
    partly = {1: ["A", "B"], 3: ["A"]}
    choice = choose(partly, infos, explicit=False, what="x")
    assert choice.pairs == {3: ("A",)}
    assert choice.note is not None and "1 government(s) with no 2026 snapshot left out" in choice.note
    assert choose({1: ["A"], 3: ["B"]}, infos, explicit=False, what="x").pairs is None  # no overlap: nothing chosen
    assert stage_rank("추경2") > stage_rank("추경1") > stage_rank("본예산") > stage_rank("예산안")


def test_item_comparisons_answer_from_columns_what_their_rows_say(store: tuple[Any, Rollups, list[str]]) -> None:
    items, _, later = store
    cases = [
        (Filters(snapshot_ids=(1,), gov_codes=(later[0],)), Filters(snapshot_ids=(2,), gov_codes=(later[0],))),
        (Filters(snapshot_ids=(1,), region="부산광역시"), Filters(snapshot_ids=(2,), region="부산광역시")),
        (Filters(snapshot_ids=(1,), gov_codes=(later[0],)), Filters(snapshot_ids=(1,), gov_codes=(later[1],))),
    ]
    for before, after in cases:
        result = compare(items, before, after, "item", amount="spent", top=5)
        rows = result.rows
        assert result.counts == {s: sum(1 for r in rows if r.status == s) for s in result.counts}
        assert sum(result.matched_by.values()) == sum(1 for r in rows if r.match is not None)
        assert list(result.increases) == [r for r in rows if r.delta > 0][:5]
        assert all(any(r is row for row in rows) for r in (*result.increases, *result.cuts))
        assert result.exact
    assert compare(items, *cases[0], "item", amount="spent").counts["grown"] > 0
    assert compare(items, *cases[2], "item", amount="spent").counts["new"] > 0


def test_rollups_step_aside_when_their_sums_could_overflow(tmp_path: Path) -> None:
    header = (
        "fyr,exe_ymd,wa_laf_hg_nm,laf_cd,laf_hg_nm,acnt_dv_nm,fld_nm,part_nm,dbiz_cd,dbiz_nm,"
        "bdg_cash_amt,bdg_ntep,capep,sggep,etc_amt,ep_amt,cpl_amt"
    )
    huge = 3_000_000_000_000_000_000  # two of them are past 2**62
    rows = [
        f"2026,20260705,가나도,4711000,가나군,일반회계,환경,폐기물,100{n},큰 사업 {n},{huge},0,0,{huge},0,0,{huge}"
        for n in (1, 2)
    ]
    source = tmp_path / "huge.csv"
    source.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    db = tmp_path / "huge.duckdb"
    run_cli("load", str(source), db=db, check=True)
    backend = open_backend(db)
    try:
        items = tables(backend).items
        rollups = Rollups.build(items)
        assert not rollups.answers(("field_name",), Filters())  # the one snapshot's sums could overflow
        assert rollups.rows == 0  # so they are not kept
        assert drilldown(items, "field", rollups=rollups).total.budget == 2 * huge  # SQL sums exactly
    finally:
        backend.disconnect()


def test_a_held_drilldown_answers_from_memory_or_says_it_cannot(store: tuple[Any, Rollups, list[str]]) -> None:
    """What a server answers on its event loop: exactly SQL's answer, or None (never a query)."""
    items, _, later = store
    rollups = Rollups.build(items)
    first = Filters(snapshot_ids=(1,), region="경상북도")
    assert drilldown_held("field", first, rollups=rollups) is None  # nothing summed yet
    assert rollups.loads == 0
    rollups.prepare(Filters(snapshot_ids=(1,)))
    one_field = Filters(snapshot_ids=(1,), gov_codes=(later[0],), field_name="환경")
    two_govs = Filters(snapshot_ids=(1,), gov_codes=(later[0], later[1]), account_type="일반회계")
    one_sector = Filters(snapshot_ids=(1,), gov_codes=(later[2],), field_name="사회복지", sector_name="노인")
    filter_sets = [first, Filters(snapshot_ids=(1,)), one_field, two_govs, one_sector, one_field]  # again: cached
    for filters, level in itertools.product(filter_sets, ("region", "government", "account", "field", "sector")):
        held = drilldown_held(level, filters, rollups=rollups)
        assert held is not None and answer(held) == answer(drilldown(items, level, filters)), (level, filters)
    assert drilldown_held("program", first, rollups=rollups) is None  # below 부문: the items answer
    assert drilldown_held("field", Filters(snapshot_ids=(1,), funding="national"), rollups=rollups) is None
    assert drilldown_held("field", Filters(), rollups=rollups) is None  # also needs snapshot 2, not summed
    assert rollups.loads == 1


def test_a_warm_up_sums_further_snapshots_newest_first_within_its_budget(
    store: tuple[Any, Rollups, list[str]],
) -> None:
    items, _, _ = store
    rollups = Rollups.build(items)
    assert rollups.prepare_recent(0) == 0 and rollups.loads == 0  # no room: nothing summed
    assert rollups.prepare_recent(1) == 1 and rollups.held == (2,)  # the newer snapshot (2026-09-01) first
    assert rollups.prepare_recent(10**9) == 1 and rollups.held == (2, 1)
    assert rollups.prepare_recent(10**9) == 0 and rollups.loads == 2  # both held: nothing summed again
    stopped = Rollups.build(items)
    assert stopped.prepare_recent(10**9, stop=lambda: True) == 0 and stopped.loads == 0
