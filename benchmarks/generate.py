"""Synthetic national lofin365 QWGJK 세부사업 rows, shaped like the bundled 2026 snapshot.

Every distribution is taken at generation time from the bundled snapshot
(``src/yesan/data/qwgjk_fyr2026_exe20260705.parquet``, read with pyarrow; nothing else is needed):

- governments: the 106 real ones first (real code, name, 광역), then synthetic ones, each modelled on
  a real "template" government of the same 광역: its size (rows per government, ±10 %), its share
  of 일반회계 rows, its number of special accounts and its 분야/부문 mix. Synthetic governments get
  unused 7-digit codes under the template's 광역 prefix and names recombined from real syllables.
- accounts: 일반회계 plus special accounts and funds drawn from the real pool (weighted by how many
  governments have them); names that carry the government's name (``포천시 자활기금``) are re-labelled.
- 분야→부문: sampled from the template government's real rows (or the special account's rows), so
  the hierarchy and its frequencies are the real ones.
- 세부사업 names: a real name of the same 부문 (about 3 in 4), or the first word of one real name
  joined to the rest of another of the same 부문 (``경로당 운영비 지원``), so names repeat like real
  names do without all being exact copies.
- amounts: the budget of a real row of the same 부문 times log-normal noise (σ 0.35), rounded to
  1,000,000 / 1,000 / 1 won as often as real budgets are; funding shares (국비/시도비/기타, 시군구비
  the rest, so the four always add up to 예산현액), 편성액/예산현액 and the execution ratio
  지출액/예산현액 are taken from real rows of the same 부문.
- years: budgets grow year over year (about +3 % with item-level noise, a quarter unchanged);
  about 8.5 % of the items are dropped and as many new ones created each year, new items having a
  creation year equal to the fiscal year in their 16-character 세부사업 code (7-digit 기관코드 +
  creation year + ``3`` + 4 hexadecimal digits, the layout of the real codes).
- snapshots: optionally several exe_ymd per year; 지출액 is cumulative and grows with the date.

Rows are unique per (laf_cd, dbiz_cd, acnt_dv_nm, fyr, exe_ymd); the generator is deterministic
for a seed and vectorised (numpy + pyarrow).

    python benchmarks/generate.py --rows 10000000 --years 2024,2025,2026 \
        --out /tmp/yesan-bench/qwgjk_10m.csv.gz [--format csv|csv.gz|parquet] [--seed 1]
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import importlib.util
import os
import queue
import sys
import threading
import time
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

SNAPSHOT_NAME: Final = "qwgjk_fyr2026_exe20260705.parquet"

#: QWGJK fields in the order of the OpenAPI's CSV export.
FIELDS: Final = (
    "fyr", "exe_ymd", "wa_laf_hg_nm", "laf_cd", "laf_hg_nm", "acnt_dv_nm", "fld_nm", "part_nm",
    "dbiz_cd", "dbiz_nm", "bdg_cash_amt", "bdg_ntep", "capep", "sggep", "etc_amt", "ep_amt", "cpl_amt",
)  # fmt: skip
AMOUNT_FIELDS: Final = ("bdg_cash_amt", "bdg_ntep", "capep", "sggep", "etc_amt", "ep_amt", "cpl_amt")
#: One row per value of this key.
KEY: Final = ("laf_cd", "dbiz_cd", "acnt_dv_nm", "fyr", "exe_ymd")

GENERAL_ACCOUNT: Final = "일반회계"
FORMATS: Final = ("csv", "csv.gz", "parquet")

# Model parameters that the snapshot (one year, one date) cannot tell.
NAME_RECOMBINE_SHARE: Final = 0.35  # of the names that have a space to split at
BUDGET_NOISE_SIGMA: Final = 0.35
GROWTH_MEAN: Final = 0.03
GROWTH_SIGMA: Final = 0.15
GROWTH_GOV_SIGMA: Final = 0.03
UNCHANGED_SHARE: Final = 0.25
DROP_RATE: Final = 0.085  # real: 8.6 % of the 2026 codes were created in 2026
SIZE_SIGMA: Final = 0.10
SIZE_GROWTH_MEAN: Final = 0.01
SIZE_GROWTH_SIGMA: Final = 0.02

_HEX: Final = np.frombuffer(b"0123456789ABCDEF", dtype=np.uint8)
_GOV_PLACEHOLDER: Final = "\x00G"
_STEM_PLACEHOLDER: Final = "\x00S"


# --- the profile: distributions read from the bundled snapshot ------------------------------------


@dataclass(frozen=True)
class Groups:
    """Row indices grouped by a key (CSR layout): rows of group g are rows[start[g]:start[g+1]]."""

    rows: np.ndarray
    start: np.ndarray

    @classmethod
    def of(cls, keys: np.ndarray, n_groups: int, rows: np.ndarray | None = None) -> Groups:
        rows = np.arange(len(keys), dtype=np.int64) if rows is None else rows
        order = np.argsort(keys, kind="stable")
        start = np.zeros(n_groups + 1, dtype=np.int64)
        np.cumsum(np.bincount(keys, minlength=n_groups), out=start[1:])
        return cls(rows[order], start)

    def sample(self, group: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """One uniformly drawn row of each given group (every group must be non-empty)."""
        low = self.start[group]
        pick = (rng.random(len(group)) * (self.start[group + 1] - low)).astype(np.int64)
        rows: np.ndarray = self.rows[low + pick]
        return rows


@dataclass(frozen=True)
class Profile:
    """What the generator takes from the real snapshot."""

    snapshot_year: int
    snapshot_mmdd: str
    fields: list[str]
    parts: list[str]
    part_field: np.ndarray  # field id of each part
    # per real row
    part: np.ndarray
    names: pa.Array
    heads: pa.Array  # first word of the name ("" when there is no space)
    rests: pa.Array  # the name after its first word (the whole name when there is no space)
    has_space: np.ndarray
    budget: np.ndarray
    share_national: np.ndarray
    share_provincial: np.ndarray
    share_other: np.ndarray
    allocated_ratio: np.ndarray
    spent_ratio: np.ndarray
    created: np.ndarray  # creation year in dbiz_cd[7:11]
    by_part: Groups
    general_by_gov: Groups
    by_account: Groups
    # real governments
    gov_code: list[str]
    gov_name: list[str]
    gov_parent: list[str]
    gov_org: np.ndarray  # 7-digit 기관코드 used in its dbiz_cd
    gov_size: np.ndarray
    gov_general_share: np.ndarray
    gov_accounts: list[list[int]]  # account templates of each real government
    # special accounts and funds, with the government's name replaced by a placeholder
    accounts: list[str]
    account_weight: np.ndarray  # governments that have it
    account_rows: np.ndarray  # mean rows per government that has it
    round_million: float  # share of budgets that are whole millions
    round_thousand: float  # share of the others that are whole thousands


def default_snapshot() -> Path:
    here = Path(__file__).resolve().parents[1] / "src" / "yesan" / "data" / SNAPSHOT_NAME
    if here.is_file():
        return here
    spec = importlib.util.find_spec("yesan")
    if spec is not None and spec.origin is not None:
        installed = Path(spec.origin).parent / "data" / SNAPSHOT_NAME
        if installed.is_file():
            return installed
    raise FileNotFoundError(f"cannot find the bundled snapshot {SNAPSHOT_NAME}")


def _strings(table: pa.Table, name: str) -> list[str]:
    column = table.column(name)
    if pa.types.is_dictionary(column.type):
        column = column.cast(pa.string())
    return [str(v) for v in column.to_pylist()]


def _factorize(values: list[str]) -> tuple[np.ndarray, list[str]]:
    uniques = sorted(set(values))
    index = {v: i for i, v in enumerate(uniques)}
    return np.array([index[v] for v in values], dtype=np.int64), uniques


def _ints(table: pa.Table, name: str) -> np.ndarray:
    return np.asarray(pc.fill_null(table.column(name), 0).to_numpy(), dtype=np.int64)


@functools.lru_cache(maxsize=4)
def load_profile(path: Path | None = None) -> Profile:
    table = pq.read_table(path or default_snapshot())
    n = table.num_rows
    gov_codes = _strings(table, "laf_cd")
    gov_of_row, gov_code = _factorize(gov_codes)
    n_gov = len(gov_code)
    gov_names = _strings(table, "laf_hg_nm")
    parents = _strings(table, "wa_laf_hg_nm")
    name_of_gov = dict(zip(gov_codes, gov_names, strict=True))
    parent_of_gov = dict(zip(gov_codes, parents, strict=True))

    fields_of_row = _strings(table, "fld_nm")
    parts_of_row = _strings(table, "part_nm")
    part, parts = _factorize([f"{f}\x00{p}" for f, p in zip(fields_of_row, parts_of_row, strict=True)])
    fields = sorted(set(fields_of_row))
    part_field = np.array([fields.index(p.split("\x00")[0]) for p in parts], dtype=np.int64)
    parts = [p.split("\x00")[1] for p in parts]

    names = _strings(table, "dbiz_nm")
    split = [name.split(" ", 1) for name in names]
    heads = [s[0] if len(s) == 2 else "" for s in split]
    rests = [s[1] if len(s) == 2 else s[0] for s in split]
    has_space = np.array([len(s) == 2 and bool(s[0]) and bool(s[1]) for s in split])

    budget = _ints(table, "bdg_cash_amt")
    safe = np.where(budget > 0, budget, 1).astype(np.float64)
    national, provincial, other = (_ints(table, f) for f in ("bdg_ntep", "capep", "etc_amt"))
    share = np.stack([national, provincial, other]).clip(min=0) / safe
    total = share.sum(axis=0)
    share = np.where(total > 1, share / np.where(total > 1, total, 1), share)
    share[:, budget <= 0] = 0.0
    allocated_ratio = np.where(budget > 0, _ints(table, "cpl_amt").clip(min=0) / safe, 0.0)
    spent_ratio = np.where(budget > 0, _ints(table, "ep_amt").clip(min=0) / safe, 0.0)

    codes = _strings(table, "dbiz_cd")
    created = np.array([int(c[7:11]) if c[7:11].isdigit() else 2008 for c in codes], dtype=np.int64)
    org_of_row = [c[:7] for c in codes]

    # accounts: strip the government's own name from fund names like "포천시 자활기금"
    account_names = _strings(table, "acnt_dv_nm")
    general = np.array([a == GENERAL_ACCOUNT for a in account_names])
    templates: list[str] = []
    template_id: dict[str, int] = {}
    account_of_row = np.full(n, -1, dtype=np.int64)
    for row in np.flatnonzero(~general):
        account, gov = account_names[row], gov_names[row]
        stem = gov[:-1]
        if account.startswith(gov):
            account = _GOV_PLACEHOLDER + account[len(gov) :]
        elif len(stem) >= 2 and account.startswith(stem):
            account = _STEM_PLACEHOLDER + account[len(stem) :]
        account_of_row[row] = template_id.setdefault(account, len(templates))
        if account_of_row[row] == len(templates):
            templates.append(account)
    n_acc = len(templates)
    special = np.flatnonzero(~general)
    pairs = np.unique(np.stack([account_of_row[special], gov_of_row[special]]), axis=1)
    account_weight = np.bincount(pairs[0], minlength=n_acc).astype(np.float64)
    account_rows = np.bincount(account_of_row[special], minlength=n_acc) / np.maximum(account_weight, 1)
    gov_accounts: list[list[int]] = [[] for _ in range(n_gov)]
    for account, gov in pairs.T:
        gov_accounts[int(gov)].append(int(account))

    gov_size = np.bincount(gov_of_row, minlength=n_gov)
    gov_general_share = np.bincount(gov_of_row, weights=general, minlength=n_gov) / gov_size
    gov_org = np.zeros(n_gov, dtype=np.int64)
    for g in range(n_gov):
        orgs = [org_of_row[r] for r in np.flatnonzero(gov_of_row == g)]
        gov_org[g] = int(max(set(orgs), key=orgs.count))

    positive = budget > 0
    million = positive & (budget % 1_000_000 == 0)
    thousand = positive & ~million & (budget % 1000 == 0)
    exe_ymd = _strings(table, "exe_ymd")[0]
    return Profile(
        snapshot_year=int(_strings(table, "fyr")[0]),
        snapshot_mmdd=exe_ymd[4:8],
        fields=fields,
        parts=parts,
        part_field=part_field,
        part=part,
        names=pa.array(names, pa.string()),
        heads=pa.array(heads, pa.string()),
        rests=pa.array(rests, pa.string()),
        has_space=has_space,
        budget=budget,
        share_national=share[0],
        share_provincial=share[1],
        share_other=share[2],
        allocated_ratio=allocated_ratio,
        spent_ratio=spent_ratio,
        created=created,
        by_part=Groups.of(part, len(parts)),
        general_by_gov=Groups.of(gov_of_row[general], n_gov, np.flatnonzero(general)),
        by_account=Groups.of(account_of_row[special], n_acc, special),
        gov_code=gov_code,
        gov_name=[name_of_gov[c] for c in gov_code],
        gov_parent=[parent_of_gov[c] for c in gov_code],
        gov_org=gov_org,
        gov_size=gov_size,
        gov_general_share=gov_general_share,
        gov_accounts=gov_accounts,
        accounts=templates,
        account_weight=account_weight,
        account_rows=account_rows,
        round_million=float(million.sum() / positive.sum()),
        round_thousand=float(thousand.sum() / max((positive & ~million).sum(), 1)),
    )


# --- governments ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Governments:
    template: np.ndarray  # real government each one is modelled on
    sizes: np.ndarray  # (G, years) items per year
    code: list[str]
    name: list[str]
    parent: list[str]
    org: np.ndarray
    accounts: list[str]  # account names; index 0 is 일반회계
    account_template: np.ndarray  # template of each account (-1 for 일반회계)
    account_weight: np.ndarray
    account_start: np.ndarray  # (G + 1) offsets of each government's special accounts (from 1)
    general_share: np.ndarray


def _plan_governments(profile: Profile, rows: int, n_years: int, n_dates: int, rng: np.random.Generator) -> Governments:
    n_real = len(profile.gov_code)
    per_gov_low = n_dates * n_years * float(profile.gov_size.min()) * 0.7
    cap = int(np.ceil(rows / per_gov_low)) + 1
    extra = rng.integers(0, n_real, size=max(cap - n_real, 0))
    template = np.concatenate([rng.permutation(n_real), extra])[:cap]
    size0 = profile.gov_size[template] * np.exp(rng.normal(0.0, SIZE_SIGMA, cap))
    growth = rng.normal(SIZE_GROWTH_MEAN, SIZE_GROWTH_SIGMA, (cap, n_years))
    growth[:, 0] = 0.0
    sizes = np.maximum(np.rint(size0[:, None] * np.exp(np.cumsum(growth, axis=1))), 20).astype(np.int64)
    total = np.cumsum(sizes.sum(axis=1) * n_dates)
    n_gov = int(np.searchsorted(total, rows)) + 1
    template, sizes = template[:n_gov], sizes[:n_gov]

    code, name, parent, org = _identities(profile, template, rng)
    accounts = [GENERAL_ACCOUNT]
    account_template = [-1]
    start = [1]
    for g in range(n_gov):
        real = int(template[g])
        wanted = len(profile.gov_accounts[real])
        if g < n_real:
            chosen = list(profile.gov_accounts[real])
        else:  # weighted sampling without replacement (Gumbel top-k)
            keys = np.log(profile.account_weight) + rng.gumbel(size=len(profile.account_weight))
            chosen = [int(a) for a in np.argsort(-keys)[:wanted]]
        for account in chosen:
            label = profile.accounts[account]
            label = label.replace(_GOV_PLACEHOLDER, name[g]).replace(_STEM_PLACEHOLDER, name[g][:-1])
            accounts.append(label)
            account_template.append(account)
        start.append(len(accounts))
    account_template_arr = np.array(account_template, dtype=np.int64)
    weight = np.where(account_template_arr >= 0, profile.account_rows[np.maximum(account_template_arr, 0)], 0.0)
    return Governments(
        template=template,
        sizes=sizes,
        code=code,
        name=name,
        parent=parent,
        org=org,
        accounts=accounts,
        account_template=account_template_arr,
        account_weight=weight,
        account_start=np.array(start, dtype=np.int64),
        general_share=profile.gov_general_share[template],
    )


def _identities(
    profile: Profile, template: np.ndarray, rng: np.random.Generator
) -> tuple[list[str], list[str], list[str], np.ndarray]:
    """Codes, names, 광역 names and 기관코드: real for the real governments, made up for the others."""
    n_real = len(profile.gov_code)
    code = [profile.gov_code[t] for t in template[:n_real]]
    name = [profile.gov_name[t] for t in template[:n_real]]
    parent = [profile.gov_parent[t] for t in template]
    org = profile.gov_org[template].copy()
    used_codes = set(profile.gov_code)
    used_names = set(profile.gov_name)
    stems = sorted({n[:-1] for n in profile.gov_name if len(n) >= 3})
    free: dict[str, list[int]] = {}
    taken: dict[str, int] = {}
    for g in range(n_real, len(template)):
        real_code = profile.gov_code[template[g]]
        prefix = real_code[:2]
        if prefix not in free:
            real_sss = {int(c[2:5]) for c in used_codes if c[:2] == prefix}
            free[prefix] = [int(s) for s in rng.permutation(np.arange(1, 1000)) if int(s) not in real_sss]
        k = taken.get(prefix, 0)
        taken[prefix] = k + 1
        sss = free[prefix][k % len(free[prefix])]
        code.append(f"{prefix}{sss:03d}{k // len(free[prefix]) % 100:02d}")
        suffix = profile.gov_name[template[g]][-1]
        name.append(_new_name(stems, suffix, used_names, rng))
        org[g] = 6_000_000 + (g * 100) % 4_000_000
    return code, name, parent, org


def _new_name(stems: list[str], suffix: str, used: set[str], rng: np.random.Generator) -> str:
    for attempt in range(200):
        a, b, c = (stems[int(i)] for i in rng.integers(0, len(stems), 3))
        stem = a[0] + b[-1] if attempt < 100 else a[0] + b[len(b) // 2] + c[-1]
        candidate = stem + suffix
        if candidate not in used:
            used.add(candidate)
            return candidate
    candidate = f"{stems[0]}{len(used)}{suffix}"
    used.add(candidate)
    return candidate


# --- items ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Items:
    gov: np.ndarray
    birth: np.ndarray  # first year index
    death: np.ndarray  # first year index it is gone (n_years if never)


def _plan_items(sizes: np.ndarray, rng: np.random.Generator) -> Items:
    n_gov, n_years = sizes.shape
    govs = np.arange(n_gov)
    gov = [np.repeat(govs, sizes[:, 0])]
    birth = [np.zeros(int(sizes[:, 0].sum()), dtype=np.int64)]
    death = np.full(int(sizes[:, 0].sum()), n_years, dtype=np.int64)
    deaths = [death]
    for y in range(1, n_years):
        all_gov = np.concatenate(gov)
        all_death = np.concatenate(deaths)
        rate = np.clip(DROP_RATE * np.exp(rng.normal(0.0, 0.25, n_gov)), 0.01, 0.3)
        drop = np.rint(rate * sizes[:, y - 1]).astype(np.int64)
        add = sizes[:, y] - sizes[:, y - 1] + drop
        drop = np.where(add < 0, drop - add, drop)
        add = np.maximum(add, 0)
        alive = np.flatnonzero(all_death == n_years)
        order = np.lexsort((rng.random(len(alive)), all_gov[alive]))
        alive = alive[order]
        alive_gov = all_gov[alive]
        rank = np.arange(len(alive)) - np.searchsorted(alive_gov, govs)[alive_gov]
        all_death[alive[rank < drop[alive_gov]]] = y
        deaths = [all_death]
        gov = [all_gov, np.repeat(govs, add)]
        birth.append(np.full(int(add.sum()), y, dtype=np.int64))
        deaths.append(np.full(int(add.sum()), n_years, dtype=np.int64))
    return Items(np.concatenate(gov), np.concatenate(birth), np.concatenate(deaths))


def _digits(values: np.ndarray, width: int, base: int = 10) -> np.ndarray:
    """(n, width) ASCII digits of non-negative integers, zero padded."""
    out = np.empty((len(values), width), dtype=np.uint8)
    rest = values.astype(np.int64)
    for position in range(width - 1, -1, -1):
        out[:, position] = _HEX[rest % base]
        rest = rest // base
    return out


def _fixed_width(chars: np.ndarray) -> pa.Array:
    """A string array from an (n, width) ASCII byte matrix, without per-value Python work."""
    n, width = chars.shape
    large = n * width >= 2**31 - 1
    offsets = np.arange(0, (n + 1) * width, width, dtype=np.int64 if large else np.int32)
    data = np.ascontiguousarray(chars).reshape(-1)
    kind = pa.large_string() if large else pa.string()
    return pa.Array.from_buffers(kind, n, [None, pa.py_buffer(offsets), pa.py_buffer(data)])


def _round_budget(value: np.ndarray, mode: np.ndarray) -> np.ndarray:
    """Round float won to int64: mode 2 → whole millions, 1 → thousands, 0 → won (never to 0)."""
    unit = np.where(mode == 2, 1_000_000, np.where(mode == 1, 1000, 1))
    unit = np.where(value < unit, np.where(value >= 1000, 1000, 1), unit)
    rounded = np.rint(value / unit).astype(np.int64) * unit
    return np.where(value > 0, np.maximum(rounded, unit), 0).astype(np.int64)


def _day_of_year(mmdd: str) -> int:
    return 60 if mmdd == "0229" else dt.date(2001, int(mmdd[:2]), int(mmdd[2:])).timetuple().tm_yday


def _check_dates(years: Sequence[int], exe_dates: Sequence[str]) -> list[list[str]]:
    dates: list[list[str]] = []
    for year in years:
        row = []
        for mmdd in exe_dates:
            text = f"{year}{mmdd}"
            try:
                dt.datetime.strptime(text, "%Y%m%d")
            except ValueError:
                raise ValueError(f"exe date {mmdd!r} is not a valid MMDD in {year}") from None
            row.append(text)
        dates.append(row)
    return dates


def generate(
    rows: int,
    years: list[int],
    seed: int,
    *,
    exe_dates: Sequence[str] = ("0705",),
    snapshot: Path | None = None,
) -> pa.Table:
    """Exactly ``rows`` synthetic QWGJK rows over ``years`` × ``exe_dates`` (MMDD) snapshots.

    Columns are ``FIELDS`` in order: text fields as strings (the low-cardinality ones dictionary
    encoded, like the bundled Parquet), amounts as int64 won. Deterministic for ``seed``.
    """
    if rows < 1:
        raise ValueError("rows must be at least 1")
    years = sorted({int(y) for y in years})
    if not years or any(not 1948 <= y <= 2100 for y in years):
        raise ValueError("years must be fiscal years between 1948 and 2100")
    exe_dates = sorted({str(d) for d in exe_dates})
    dates = _check_dates(years, exe_dates)
    profile = load_profile(snapshot)
    rng = np.random.default_rng(seed)
    n_years, n_dates = len(years), len(exe_dates)

    govs = _plan_governments(profile, rows, n_years, n_dates, rng)
    n_gov = len(govs.code)
    items = _plan_items(govs.sizes, rng)
    m = len(items.gov)
    template = govs.template[items.gov]

    # account: 일반회계, or one of the government's special accounts weighted by their real size
    n_special = govs.account_start[1:] - govs.account_start[:-1]
    special = (rng.random(m) >= govs.general_share[items.gov]) & (n_special[items.gov] > 0)
    account = np.zeros(m, dtype=np.int64)
    cum = np.cumsum(govs.account_weight)  # cum[i] = weight of accounts 0..i
    lo = govs.account_start[:-1][items.gov[special]]
    hi = govs.account_start[1:][items.gov[special]]
    base, top = cum[lo - 1], cum[hi - 1]
    pick = np.searchsorted(cum, base + rng.random(len(lo)) * (top - base), side="left")
    account[special] = np.clip(pick, lo, hi - 1)

    # 부문 from the template government's rows (or the special account's rows); the name and the
    # amount shape from a real row of the same 부문
    origin = np.empty(m, dtype=np.int64)
    origin[~special] = profile.general_by_gov.sample(template[~special], rng)
    origin[special] = profile.by_account.sample(govs.account_template[account[special]], rng)
    part = profile.part[origin]
    source = np.where(special, origin, profile.by_part.sample(part, rng))
    partner = profile.by_part.sample(part, rng)
    recombine = profile.has_space[source] & (rng.random(m) < NAME_RECOMBINE_SHARE)
    exact = profile.names.take(pa.array(source))
    mixed = pc.binary_join_element_wise(
        profile.heads.take(pa.array(source)), profile.rests.take(pa.array(partner)), " "
    )
    item_name = pc.if_else(pa.array(recombine), mixed, exact)

    # 세부사업 code: 기관코드 + creation year + "3" + hexadecimal serial within (government, year)
    shift = profile.snapshot_year - years[0]
    created = profile.created[source] - shift
    created = np.where(created < 2006, np.minimum(profile.created[source], years[0]), created)
    created = np.where(items.birth > 0, np.asarray(years)[items.birth], np.minimum(created, years[0]))
    order = np.lexsort((rng.random(m), created, part, profile.part_field[part], account, items.gov))
    by_year = order[np.lexsort((created[order], items.gov[order]))]  # stable: keeps `order` inside groups
    group_start = np.flatnonzero(np.r_[True, (np.diff(items.gov[by_year]) != 0) | (np.diff(created[by_year]) != 0)])
    sizes = np.diff(np.r_[group_start, m])
    serial = np.empty(m, dtype=np.int64)
    serial[by_year] = np.arange(m) - np.repeat(group_start, sizes) + 1
    if serial.max() >= 16**4:
        raise ValueError("too many items per government and creation year for a 4-digit serial")
    code_chars = np.concatenate(
        [
            _digits(govs.org[items.gov], 7),
            _digits(created, 4),
            np.full((m, 1), ord("3"), dtype=np.uint8),
            _digits(serial, 4, base=16),
        ],
        axis=1,
    )
    item_code = _fixed_width(code_chars)

    # budgets per (item, year): a real budget of the 부문 with noise, then yearly growth
    start_budget = profile.budget[source] * np.exp(rng.normal(0.0, BUDGET_NOISE_SIGMA, m))
    step = rng.normal(GROWTH_MEAN, GROWTH_SIGMA, (m, n_years))
    step += rng.normal(0.0, GROWTH_GOV_SIGMA, (n_gov, n_years))[items.gov]
    step[rng.random((m, n_years)) < UNCHANGED_SHARE] = 0.0
    year_index = np.arange(n_years)
    step[year_index[None, :] <= items.birth[:, None]] = 0.0
    level = start_budget[:, None] * np.exp(np.cumsum(step, axis=1))
    u = rng.random(m)
    mode = np.where(
        u < profile.round_million,
        2,
        np.where(u < profile.round_million + (1 - profile.round_million) * profile.round_thousand, 1, 0),
    )
    budget = _round_budget(level, mode[:, None])
    spent_source = profile.by_part.sample(np.repeat(part, n_years), rng)
    spent_ratio = profile.spent_ratio[spent_source].reshape(m, n_years)

    # rows: the items alive in each year, once per snapshot date, in (government, account, 부문) order
    row_item, row_year, row_date = [], [], []
    for y in range(n_years):
        alive = order[(items.birth[order] <= y) & (items.death[order] > y)]
        for d in range(n_dates):
            row_item.append(alive)
            row_year.append(np.full(len(alive), y, dtype=np.int64))
            row_date.append(np.full(len(alive), d, dtype=np.int64))
    item_of = np.concatenate(row_item)
    year_of = np.concatenate(row_year)
    date_of = np.concatenate(row_date)
    excess = len(item_of) - rows
    if excess > 0:  # thin uniformly to exactly `rows`: a few more items missing from some snapshots
        keep = np.ones(len(item_of), dtype=bool)
        keep[rng.choice(len(item_of), size=excess, replace=False)] = False
        item_of, year_of, date_of = item_of[keep], year_of[keep], date_of[keep]

    b = budget[item_of, year_of]
    bf = b.astype(np.float64)
    unit = np.where(b % 1000 == 0, 1000, 1)

    def portion(share: np.ndarray) -> np.ndarray:
        amount: np.ndarray = (np.floor(bf * share[source[item_of]] / unit) * unit).astype(np.int64)
        return amount

    national = portion(profile.share_national)
    provincial = portion(profile.share_provincial)
    other = portion(profile.share_other)
    municipal = b - national - provincial - other
    over = municipal < 0  # float edge cases: give the excess back from 국비
    national[over] += municipal[over]
    municipal[over] = 0
    allocated = (np.rint(bf * profile.allocated_ratio[source[item_of]] / unit) * unit).astype(np.int64)
    reference = dt.date(profile.snapshot_year, int(profile.snapshot_mmdd[:2]), int(profile.snapshot_mmdd[2:]))
    day_of_year = [_day_of_year(mmdd) for mmdd in exe_dates]
    progress = np.array(day_of_year, dtype=np.float64) / float(reference.timetuple().tm_yday)
    ratio = spent_ratio[item_of, year_of]
    below = np.clip(ratio, 0.0, 1.0)
    fraction = np.where(ratio > 1.0, ratio, 1.0 - (1.0 - below) ** progress[date_of])
    spent = np.floor(bf * fraction).astype(np.int64)

    gov_of = items.gov[item_of]
    n_out = len(item_of)

    def dictionary(indices: np.ndarray, values: Sequence[str]) -> pa.DictionaryArray:
        """``values[indices]`` dictionary encoded (values may repeat, the dictionary does not)."""
        unique = sorted(set(values))
        position = {v: i for i, v in enumerate(unique)}
        remap = np.array([position[v] for v in values], dtype=np.int32)
        return pa.DictionaryArray.from_arrays(pa.array(remap[indices]), pa.array(unique, pa.string()))

    columns: dict[str, pa.Array] = {
        "fyr": dictionary(year_of, [str(y) for y in years]),
        "exe_ymd": dictionary(year_of * n_dates + date_of, [d for row in dates for d in row]),
        "wa_laf_hg_nm": dictionary(gov_of, govs.parent),
        "laf_cd": dictionary(gov_of, govs.code),
        "laf_hg_nm": dictionary(gov_of, govs.name),
        "acnt_dv_nm": dictionary(account[item_of], govs.accounts),
        "fld_nm": dictionary(profile.part_field[part[item_of]], profile.fields),
        "part_nm": dictionary(part[item_of], profile.parts),
        "dbiz_cd": item_code.take(pa.array(item_of)),
        "dbiz_nm": item_name.take(pa.array(item_of)),
        "bdg_cash_amt": pa.array(b),
        "bdg_ntep": pa.array(national),
        "capep": pa.array(provincial),
        "sggep": pa.array(municipal),
        "etc_amt": pa.array(other),
        "ep_amt": pa.array(spent),
        "cpl_amt": pa.array(allocated),
    }
    assert n_out == rows
    return pa.table(columns)


# --- writing --------------------------------------------------------------------------------------


def infer_format(path: Path) -> str:
    name = path.name.lower()
    if name.endswith(".csv.gz"):
        return "csv.gz"
    if name.endswith(".parquet"):
        return "parquet"
    return "csv"


def write(table: pa.Table, out: Path, fmt: str, *, gzip_level: int = 1, chunk_rows: int = 500_000) -> None:
    """Write ``table`` as CSV (UTF-8, header), gzip CSV or Parquet (zstd)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "parquet":
        pq.write_table(table, out, compression="zstd", row_group_size=1_000_000)
        return
    if fmt == "csv":
        pacsv.write_csv(table, out)
        return
    if fmt != "csv.gz":
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    # CSV encoding in this thread, gzip (zlib releases the GIL) in another
    chunks: queue.Queue[bytes | None] = queue.Queue(maxsize=4)
    failure: list[BaseException] = []

    def compress() -> None:
        try:
            packer = zlib.compressobj(gzip_level, zlib.DEFLATED, 31)
            with out.open("wb") as handle:
                while (data := chunks.get()) is not None:
                    handle.write(packer.compress(data))
                handle.write(packer.flush())
        except BaseException as error:  # re-raised in the caller's thread
            failure.append(error)
            while chunks.get() is not None:
                pass

    worker = threading.Thread(target=compress, daemon=True)
    worker.start()
    try:
        for index, batch in enumerate(table.to_batches(max_chunksize=chunk_rows)):
            sink = pa.BufferOutputStream()
            pacsv.write_csv(batch, sink, pacsv.WriteOptions(include_header=index == 0))
            chunks.put(sink.getvalue().to_pybytes())
    finally:
        chunks.put(None)
        worker.join()
    if failure:
        raise failure[0]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=1_000_000, help="number of rows (exact)")
    parser.add_argument("--years", default="2024,2025,2026", help="fiscal years, comma separated")
    parser.add_argument("--exe-dates", default="0705", help="snapshot dates (MMDD), comma separated")
    parser.add_argument("--out", type=Path, required=True, help="output file")
    parser.add_argument("--format", choices=FORMATS, help="default: from the file name")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--gzip-level", type=int, default=1, help="1 (fast) to 9 (small); default 1")
    parser.add_argument("--snapshot", type=Path, help="the real snapshot to take distributions from")
    args = parser.parse_args(argv)
    years = [int(y) for y in args.years.split(",") if y.strip()]
    exe_dates = [d.strip() for d in args.exe_dates.split(",") if d.strip()]
    fmt = args.format or infer_format(args.out)
    started = time.perf_counter()
    table = generate(args.rows, years, args.seed, exe_dates=exe_dates, snapshot=args.snapshot)
    generated = time.perf_counter()
    write(table, args.out, fmt, gzip_level=args.gzip_level)
    done = time.perf_counter()
    governments = len(pc.unique(table.column("laf_cd").cast(pa.string())))
    year_list = ",".join(map(str, sorted(set(years))))
    print(
        f"{table.num_rows:,} rows, {governments:,} governments, years {year_list}, "
        f"exe dates {','.join(exe_dates)} → {args.out} ({fmt}, {os.path.getsize(args.out) / 1e6:,.1f} MB); "
        f"generate {generated - started:.1f}s, write {done - generated:.1f}s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
