"""``yesan fetch`` against a local stand-in of the official hubs: paging, retries, quota, checkpoints, keys."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from fetch_server import GOOD_KEY, Hub, hub_server, qwgjk_row

GOV_A = ("4674000", "가나군")
GOV_B = ("4675000", "다라군")
TOTAL_A = 2_345  # three pages: 1,000 + 1,000 + 345


def hub_with_rows(count_a: int = TOTAL_A, count_b: int = 0) -> Hub:
    rows = [qwgjk_row(*GOV_A, n) for n in range(1, count_a + 1)]
    rows += [qwgjk_row(*GOV_B, n) for n in range(1, count_b + 1)]
    return Hub(rows={"QWGJK": rows})


def run_fetch(
    *args: str, db: Path, cache: Path, key: str | None = GOOD_KEY, extra_env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """The real ``yesan`` in a child process, with nothing from the user's environment that yesan reads."""
    ignored = ("COLUMNS", "XDG_CONFIG_HOME")
    env = {k: v for k, v in os.environ.items() if not k.startswith("YESAN_") and k not in ignored}
    env.update({"COLUMNS": "200", "NO_COLOR": "1", "YESAN_DB": str(db), "YESAN_FETCH_CACHE": str(cache)})
    env["XDG_CONFIG_HOME"] = str(cache.parent / "no-config")
    if key is not None:
        env["YESAN_LOFIN365_KEY"] = key
    env.update(extra_env or {})
    exe = Path(sys.executable).with_name("yesan")
    return subprocess.run([str(exe), *args], capture_output=True, text=True, env=env, timeout=180, check=False)


def qwgjk(base: str, *more: str) -> list[str]:
    return ["fetch", "lofin365", "QWGJK", "--year", "2026", "--exe-ymd", "20260705", "--base-url", base,
            "--backoff-s", "0", "--timeout-s", "1", *more]  # fmt: skip


def info(db: Path, cache: Path) -> dict[str, Any]:
    result = run_fetch("info", "--json", db=db, cache=cache)
    assert result.returncode == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def comparable(data: dict[str, Any]) -> str:
    """``yesan info --json`` without what differs between two stores by nature: their path and load times."""

    def strip(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in ("db", "loaded_at")}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    return json.dumps(strip(data), ensure_ascii=False, sort_keys=True)


def test_a_multi_page_snapshot_is_fetched_with_the_documented_requests_and_loaded(tmp_path: Path) -> None:
    hub = hub_with_rows()
    with hub_server(hub) as base:
        result = run_fetch(*qwgjk(base), db=tmp_path / "a.duckdb", cache=tmp_path / "cache")
    assert result.returncode == 0, result.stderr
    assert hub.requests == [
        f"/QWGJK?Key={GOOD_KEY}&Type=json&pIndex={n}&pSize=1000&fyr=2026&exe_ymd=20260705" for n in (1, 2, 3)
    ]
    assert "snapshot 1: lofin365.QWGJK 2026 현액 2026-07-05 — 2,345 rows loaded" in result.stdout
    data = info(tmp_path / "a.duckdb", tmp_path / "cache")
    snapshot = data["snapshots"][0]
    assert snapshot["rows"] == TOTAL_A
    assert snapshot["budget_total"] == 1_000_000 * TOTAL_A * (TOTAL_A + 1) // 2
    # provenance: the request the pages answered, with neither key nor page number
    assert snapshot["source_files"] == [f"{base}/QWGJK?Type=json&pSize=1000&fyr=2026&exe_ymd=20260705"]


def test_governments_ask_one_series_each_and_a_government_without_rows_is_left_out(tmp_path: Path) -> None:
    hub = hub_with_rows(count_a=3, count_b=0)
    with hub_server(hub) as base:
        result = run_fetch(*qwgjk(base, "--governments", "4674000,4675000"), db=tmp_path / "a.duckdb",
                           cache=tmp_path / "cache")  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert [r.split("&")[-1] for r in hub.requests] == ["laf_cd=4674000", "laf_cd=4675000"]
    assert "laf_cd=4675000: 0 page(s), 0 rows" in result.stdout
    assert info(tmp_path / "a.duckdb", tmp_path / "cache")["snapshots"][0]["rows"] == 3


def test_no_rows_at_all_is_an_error_and_loads_nothing(tmp_path: Path) -> None:
    hub = hub_with_rows(count_a=3)
    with hub_server(hub) as base:
        result = run_fetch(*qwgjk(base, "--governments", "4675000"), db=tmp_path / "a.duckdb", cache=tmp_path / "c")
    assert result.returncode == 1
    assert "no rows" in result.stderr and "nothing was loaded" in result.stderr
    assert not (tmp_path / "a.duckdb").exists()


def test_a_re_run_uses_the_cache_and_asks_for_nothing(tmp_path: Path) -> None:
    hub = hub_with_rows()
    with hub_server(hub) as base:
        run_fetch(*qwgjk(base), db=tmp_path / "a.duckdb", cache=tmp_path / "cache")
        hub.requests.clear()
        again = run_fetch(*qwgjk(base), db=tmp_path / "a.duckdb", cache=tmp_path / "cache")
    assert again.returncode == 0, again.stderr
    assert hub.requests == []
    assert "3 page(s), 3 from the cache" in again.stdout
    assert "already loaded, unchanged" in again.stdout


def test_every_page_is_cached_with_its_request_and_sha256(tmp_path: Path) -> None:
    import hashlib

    hub = hub_with_rows()
    with hub_server(hub) as base:
        run_fetch(*qwgjk(base), db=tmp_path / "a.duckdb", cache=tmp_path / "cache")
    metas = sorted((tmp_path / "cache").rglob("page-*.meta.json"))
    assert len(metas) == 3
    for number, meta_path in enumerate(metas, start=1):
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        body = meta_path.with_name(meta_path.name.replace(".meta", "")).read_bytes()
        assert meta["sha256"] == hashlib.sha256(body).hexdigest()
        assert meta["request"] == f"{base}/QWGJK?Key=***&Type=json&pIndex={number}&pSize=1000&fyr=2026&exe_ymd=20260705"


def test_a_damaged_cached_page_is_fetched_again(tmp_path: Path) -> None:
    hub = hub_with_rows()
    with hub_server(hub) as base:
        run_fetch(*qwgjk(base), db=tmp_path / "a.duckdb", cache=tmp_path / "cache")
        page_2 = next((tmp_path / "cache").rglob("page-00002.json"))
        page_2.write_bytes(page_2.read_bytes().replace("시험사업".encode(), "변조사업".encode(), 1))
        hub.requests.clear()
        again = run_fetch(*qwgjk(base), db=tmp_path / "a.duckdb", cache=tmp_path / "cache")
    assert again.returncode == 0, again.stderr
    assert [r.split("&")[2] for r in hub.requests] == ["pIndex=2"]
    assert "unchanged" in again.stdout


def test_quota_stops_with_exit_3_and_the_same_command_resumes_to_the_same_store(tmp_path: Path) -> None:
    # the uninterrupted run
    hub = hub_with_rows()
    with hub_server(hub) as base:
        whole = run_fetch(*qwgjk(base), db=tmp_path / "whole.duckdb", cache=tmp_path / "cache-whole")
        assert whole.returncode == 0, whole.stderr
        # the same source, a key with two requests left today
        hub.quota = 2
        stopped = run_fetch(*qwgjk(base), db=tmp_path / "resumed.duckdb", cache=tmp_path / "cache-resumed")
        assert stopped.returncode == 3, stopped.stderr
        assert "quota" in stopped.stderr and "(code 337)" in stopped.stderr
        assert "Run the same command again after" in stopped.stderr and "KST" in stopped.stderr
        assert "2 page(s)" in stopped.stderr and "Nothing was loaded" in stopped.stderr
        assert not (tmp_path / "resumed.duckdb").exists()
        state = json.loads(next((tmp_path / "cache-resumed").rglob("state.json")).read_text(encoding="utf-8"))
        assert state["stopped"] == "quota" and state["resume_after"]
        # the next day
        hub.quota = None
        hub.requests.clear()
        resumed = run_fetch(*qwgjk(base), db=tmp_path / "resumed.duckdb", cache=tmp_path / "cache-resumed")
    assert resumed.returncode == 0, resumed.stderr
    assert [r.split("&")[2] for r in hub.requests] == ["pIndex=3"]  # only the missing page
    assert comparable(info(tmp_path / "resumed.duckdb", tmp_path / "c")) == comparable(
        info(tmp_path / "whole.duckdb", tmp_path / "c")
    )


@pytest.mark.parametrize("fault", ["slow", "truncate", "cut", "html", "500"])
def test_timeouts_broken_answers_and_server_errors_are_retried(tmp_path: Path, fault: str) -> None:
    hub = hub_with_rows()
    hub.faults = ["ok", fault, fault]  # page 2 fails twice, then answers
    with hub_server(hub) as base:
        result = run_fetch(*qwgjk(base), db=tmp_path / "a.duckdb", cache=tmp_path / "cache")
    assert result.returncode == 0, result.stderr
    assert [r.split("&")[2] for r in hub.requests] == ["pIndex=1", "pIndex=2", "pIndex=2", "pIndex=2", "pIndex=3"]
    assert info(tmp_path / "a.duckdb", tmp_path / "cache")["snapshots"][0]["rows"] == TOTAL_A


def test_a_page_that_keeps_failing_is_an_error_and_the_store_is_unchanged(tmp_path: Path) -> None:
    hub = hub_with_rows()
    hub.faults = ["ok", "html", "html", "html"]
    with hub_server(hub) as base:
        result = run_fetch(*qwgjk(base, "--retries", "2"), db=tmp_path / "a.duckdb", cache=tmp_path / "cache")
    assert result.returncode == 1
    assert "no usable answer after 3 attempt(s)" in result.stderr and "HTML page" in result.stderr
    assert not (tmp_path / "a.duckdb").exists()


def test_a_total_that_changes_during_the_run_starts_the_series_again_instead_of_mixing(tmp_path: Path) -> None:
    hub = hub_with_rows()
    hub.grow_after = 2  # after page 2 the source gains a row: 2,346
    with hub_server(hub) as base:
        result = run_fetch(*qwgjk(base), db=tmp_path / "a.duckdb", cache=tmp_path / "cache")
    assert result.returncode == 0, result.stderr
    pages = [r.split("&")[2] for r in hub.requests]
    assert pages == ["pIndex=1", "pIndex=2", "pIndex=3", "pIndex=1", "pIndex=2", "pIndex=3"]
    snapshot = info(tmp_path / "a.duckdb", tmp_path / "cache")["snapshots"][0]
    assert snapshot["rows"] == TOTAL_A + 1  # all of the new version, none of the old


def test_a_source_that_never_holds_still_is_an_error(tmp_path: Path) -> None:
    hub = hub_with_rows()
    hub.grow_always = True
    with hub_server(hub) as base:
        result = run_fetch(*qwgjk(base), db=tmp_path / "a.duckdb", cache=tmp_path / "cache")
    assert result.returncode == 1
    assert "the source changed twice while it was being fetched" in result.stderr
    assert not (tmp_path / "a.duckdb").exists()


def test_a_bad_key_is_exit_1_and_the_key_appears_nowhere(tmp_path: Path) -> None:
    wrong = "wRoNg-kEy-77e1d0"
    hub = hub_with_rows()
    with hub_server(hub) as base:
        result = run_fetch(*qwgjk(base), db=tmp_path / "a.duckdb", cache=tmp_path / "cache", key=wrong)
    assert result.returncode == 1
    assert "ERROR-290" in result.stderr and "not valid" in result.stderr
    assert wrong not in result.stdout + result.stderr


def test_the_key_is_in_no_output_cache_file_or_store(tmp_path: Path) -> None:
    hub = hub_with_rows()
    hub.faults = ["ok", "html"]
    with hub_server(hub) as base:
        stopped_hub_quota = run_fetch(*qwgjk(base), db=tmp_path / "a.duckdb", cache=tmp_path / "cache")
        hub.quota = 0
        quota = run_fetch(*qwgjk(base, "--exe-ymd", "20260706"), db=tmp_path / "a.duckdb", cache=tmp_path / "cache")
        as_json = run_fetch(*qwgjk(base, "--json"), db=tmp_path / "a.duckdb", cache=tmp_path / "cache")
    assert stopped_hub_quota.returncode == 0 and quota.returncode == 3 and as_json.returncode == 0
    for result in (stopped_hub_quota, quota, as_json):
        assert GOOD_KEY not in result.stdout + result.stderr
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert any(p.suffix == ".duckdb" for p in files) and any(p.name.startswith("page-") for p in files)
    for path in files:
        assert GOOD_KEY.encode() not in path.read_bytes(), path


def test_the_key_can_come_from_the_config_file(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f'[keys]\nlofin365 = "{GOOD_KEY}"\n', encoding="utf-8")
    hub = hub_with_rows(count_a=5)
    with hub_server(hub) as base:
        result = run_fetch(*qwgjk(base), db=tmp_path / "a.duckdb", cache=tmp_path / "cache", key=None,
                           extra_env={"YESAN_CONFIG": str(config)})  # fmt: skip
    assert result.returncode == 0, result.stderr


def test_no_key_anywhere_says_where_to_put_one(tmp_path: Path) -> None:
    result = run_fetch(*qwgjk("http://127.0.0.1:9"), db=tmp_path / "a.duckdb", cache=tmp_path / "cache", key=None)
    assert result.returncode == 1
    assert "$YESAN_LOFIN365_KEY" in result.stderr and "keys table" in result.stderr


def test_a_missing_parameter_reported_by_the_api_is_exit_1(tmp_path: Path) -> None:
    hub = hub_with_rows()
    hub.faults = ["error-300"]
    with hub_server(hub) as base:
        result = run_fetch(*qwgjk(base), db=tmp_path / "a.duckdb", cache=tmp_path / "cache")
    assert result.returncode == 1
    assert "ERROR-300" in result.stderr and "required request parameter" in result.stderr


def test_qwgjk_without_an_execution_date_is_refused_before_any_request(tmp_path: Path) -> None:
    result = run_fetch("fetch", "lofin365", "QWGJK", "--year", "2026", "--base-url", "http://127.0.0.1:9",
                       db=tmp_path / "a.duckdb", cache=tmp_path / "cache")  # fmt: skip
    assert result.returncode == 1
    assert "--exe-ymd" in result.stderr


def test_since_fetches_one_snapshot_a_day(tmp_path: Path) -> None:
    rows = [qwgjk_row(*GOV_A, n, exe_ymd=day) for day in ("20260704", "20260705") for n in (1, 2)]
    hub = Hub(rows={"QWGJK": rows})
    with hub_server(hub) as base:
        result = run_fetch(*qwgjk(base, "--since", "20260704"), db=tmp_path / "a.duckdb", cache=tmp_path / "cache")
    assert result.returncode == 0, result.stderr
    dates = [s["exe_ymd"] for s in info(tmp_path / "a.duckdb", tmp_path / "cache")["snapshots"]]
    assert dates == ["2026-07-04", "2026-07-05"]


def test_openfiscal_is_collected_with_the_same_shape(tmp_path: Path) -> None:
    rows = [
        {"FSCL_YY": "2026", "OFFC_NM": "시험부", "FSCL_NM": "일반회계", "FLD_NM": "사회복지", "SECT_NM": "노인",
         "PGM_NM": "시험프로그램", "ACTV_NM": "시험단위", "SACTV_NM": f"시험세부 {n}", "Y_YY_DFN_MEDI_KCUR_AMT": str(n)}
        for n in range(1, 1_202)
    ]  # fmt: skip
    hub = Hub(rows={"ExpenditureBudgetInit5": rows})
    with hub_server(hub) as base:
        result = run_fetch("fetch", "openfiscal", "ExpenditureBudgetInit5", "--year", "2026", "--json",
                           db=tmp_path / "a.duckdb", cache=tmp_path / "cache", key=None,
                           extra_env={"YESAN_OPENFISCAL_KEY": GOOD_KEY, "YESAN_OPENFISCAL_URL": base})  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert hub.requests[0] == f"/ExpenditureBudgetInit5?Key={GOOD_KEY}&Type=json&pIndex=1&pSize=1000&FSCL_YY=2026"
    report = json.loads(result.stdout)
    assert report["complete"] and not report["loaded"] and report["rows"] == 1_201
    pages = json.loads(Path(report["series"][0]["file"]).read_text(encoding="utf-8"))
    assert sum(len(page["ExpenditureBudgetInit5"][1]["row"]) for page in pages) == 1_201


def test_schedule_daily_prints_cron_and_systemd_lines_without_the_key(tmp_path: Path) -> None:
    result = run_fetch("fetch", "lofin365", "QWGJK", "--schedule", "daily", "--governments", "4674000",
                       db=tmp_path / "a.duckdb", cache=tmp_path / "cache")  # fmt: skip
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert "CRON_TZ=Asia/Seoul" in text and "30 6 * * *" in text
    assert "fetch lofin365 QWGJK --year current --exe-ymd yesterday --governments 4674000" in text
    assert "OnCalendar=*-*-* 06:30:00 Asia/Seoul" in text and "SuccessExitStatus=3" in text
    assert GOOD_KEY not in text
