"""The API's value writers: amounts shown as text, and JSON bytes, exactly as the reference functions write them."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from yesan.money.format import format_won
from yesan.query.rollup import SUMS, _group, _group_in_python
from yesan.web.responses import display_won, json_bytes, plain

INT64 = st.integers(min_value=-(2**63), max_value=2**63 - 1)
BOUNDARIES = st.sampled_from([0, 1, -1, 9_999, 10_000, -10_000, 99_995_000, 99_999_999, 100_000_000, 10**16, 2**63 - 1])


def reference_display(won: int) -> str:
    size = abs(won)
    return format_won(won, precision="eok" if size >= 10**8 else "man" if size >= 10**4 else "won")


@settings(deadline=None)  # a busy machine must not fail a correctness property
@given(st.one_of(INT64, BOUNDARIES, st.integers(min_value=-(10**14), max_value=10**14)))
def test_display_won_writes_what_format_won_writes(won: int) -> None:
    assert display_won(won) == reference_display(won)


def test_display_won_rounds_to_the_eok_and_the_man() -> None:
    assert display_won(113_536_525_211_692) == "113조 5,365억원"
    assert display_won(-25_866_080_000) == "-259억원"  # halves away from zero
    assert display_won(12_345_678) == "1,235만원"
    assert display_won(9_999) == "9,999원"


def test_json_bytes_is_json_dumps_of_plain_values() -> None:
    content = {
        "ok": True,
        "budget": 2**63 - 1,
        "rate": 0.125,
        "name": "청년 일자리 <b>지원</b>",
        "exe_ymd": dt.date(2026, 7, 5),
        "loaded_at": dt.datetime(2026, 11, 25, 9, 30, 1, 250),
        "decimal_sum": Decimal("123456789012345678"),
        "none": None,
        "rows": [{"snapshot_ids": (1, 2)}, {3: "int key"}],
    }
    expected = json.dumps(plain(content), ensure_ascii=False, separators=(",", ":"))
    assert json.loads(json_bytes(content)) == json.loads(expected)
    assert json_bytes(content).decode() == expected


def test_json_bytes_writes_sums_past_64_bits_exactly() -> None:
    huge = 3 * 10**20  # a HUGEINT sum: orjson cannot write it, the fallback must
    assert json.loads(json_bytes({"budget": huge, "d": Decimal(huge)})) == {"budget": huge, "d": huge}


@settings(deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["일반회계", "기금", None]), st.sampled_from(["복지", "교육"]), INT64.map(lambda x: x // 4)
        ),
        min_size=1,
        max_size=60,
    )
)
def test_small_rollup_parts_group_in_python_as_arrow_groups_them(rows: list[tuple[str | None, str, int]]) -> None:
    columns: dict[str, list[object]] = {
        "account": [r[0] for r in rows],
        "field_name": [r[1] for r in rows],
    }
    for i, name in enumerate(SUMS):
        columns[name] = [r[2] // (i + 1) for r in rows]
    part = pa.table({k: pa.array(v, pa.int64()) if k in SUMS else pa.array(v, pa.string()) for k, v in columns.items()})
    keys = ["account", "field_name"]

    def by_key(records: list[dict[str, object]]) -> dict[tuple[object, ...], dict[str, object]]:
        return {tuple(r[k] for k in keys): r for r in records}

    python = by_key(_group_in_python(part, keys))
    assert by_key(_group(part, keys)) == python  # the same function's small-part path
    grouped = part.group_by(keys, use_threads=False).aggregate([(n, "sum") for n in SUMS]).to_pylist()
    expected = by_key([{**{k: g[k] for k in keys}, **{n: g[f"{n}_sum"] for n in SUMS}} for g in grouped])
    assert python == expected


def test_the_response_cache_keeps_its_bodies_under_its_byte_bound() -> None:
    from fastapi.responses import Response

    from yesan.web.responses import ResponseCache

    cache = ResponseCache(entries=100, max_body=1000, max_bytes=2500)
    for n in range(10):
        cache.put(f'"e{n}"', Response(b"x" * 1000))
    assert cache.bytes <= 2500 and cache.get('"e9"') is not None and cache.get('"e0"') is None
    cache.put('"e9"', Response(b"y" * 10))  # the same ETag again: counted once
    assert cache.bytes == 1010
    cache.put('"big"', Response(b"z" * 1001))  # over max_body: not kept
    assert cache.get('"big"') is None
