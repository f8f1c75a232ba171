"""Collect a snapshot page by page: cached, resumable, checked for consistency, then loaded the usual way.

A run is a *plan*: the cross product of fiscal years, execution dates and governments, each one *series* of
pages (``pIndex`` 1 … ceil(list_total_count / 1000)). Pages come from the cache when it holds them, else
from the API. Every page of a series must announce the same ``list_total_count`` and hold the rows that
count implies; when it does not, the source changed during the run, and the series is fetched again from
its first page (once; a second change is an error) rather than mixing two versions into one snapshot.

Loading goes through ``yesan.ingest.lofin365.read_qwgjk`` and ``Store.load``, exactly as ``yesan load`` does:
one transaction for the whole run, or nothing.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from yesan.errors import FetchError, QuotaExhausted
from yesan.fetch.apis import PAGE_SIZE, ApiSpec
from yesan.fetch.cache import SeriesCache
from yesan.fetch.http import Page, fetch_page
from yesan.fetch.keys import redact
from yesan.ingest.batch import Batch
from yesan.store import LoadResult, Store

KST = dt.timezone(dt.timedelta(hours=9), "KST")


@dataclass(frozen=True)
class Plan:
    spec: ApiSpec
    base_url: str
    years: tuple[int, ...]
    dates: tuple[str, ...] = ()  # YYYYMMDD; required when the dataset has a date parameter
    governments: tuple[str, ...] = ()  # 자치단체 codes; empty: every government in one series

    def series(self) -> list[Series]:
        if self.spec.date_parameter and not self.dates:
            raise FetchError(
                f"{self.spec.source} {self.spec.name} needs an execution date: --exe-ymd YYYYMMDD (or --since)"
            )
        if self.governments and not self.spec.government_parameter:
            raise FetchError(f"{self.spec.source} {self.spec.name} cannot be asked per government (--governments)")
        found = []
        for year in self.years:
            for date in self.dates or (None,):
                for government in self.governments or (None,):
                    params = [(self.spec.year_parameter, str(year))]
                    if date is not None and self.spec.date_parameter:
                        params.append((self.spec.date_parameter, date))
                    if government is not None and self.spec.government_parameter:
                        params.append((self.spec.government_parameter, government))
                    found.append(Series(self.spec, self.base_url.rstrip("/"), tuple(params)))
        return found


@dataclass(frozen=True)
class Series:
    spec: ApiSpec
    base_url: str
    params: tuple[tuple[str, str], ...]

    def url(self, key: str, index: int) -> str:
        query = [("Key", key), ("Type", "json"), ("pIndex", str(index)), ("pSize", str(PAGE_SIZE)), *self.params]
        return f"{self.base_url}/{self.spec.name}?{urlencode(query)}"

    @property
    def request(self) -> str:
        """The request without key and page: how the store and the cache name this series."""
        query = [("Type", "json"), ("pSize", str(PAGE_SIZE)), *self.params]
        return f"{self.base_url}/{self.spec.name}?{urlencode(query)}"

    @property
    def slug(self) -> str:
        return "_".join(f"{name}={value}" for name, value in self.params)


@dataclass
class Progress:
    """What the run has done so far (for the progress bar)."""

    series_total: int = 0
    series_done: int = 0
    pages: int = 0
    pages_known: int = 0  # pages of the series whose total is known so far
    rows: int = 0
    requests: int = 0  # requests sent this run: the quota used


@dataclass
class Collected:
    series: Series
    pages: list[Page]
    rows: int
    snapshot: Path | None  # None when the API has no rows for the series (INFO-200)
    from_cache: int = 0


@dataclass
class Options:
    cache_root: Path
    timeout_s: float = 60.0
    retries: int = 4
    backoff_s: float = 2.0
    on_progress: Callable[[Progress], None] = field(default=lambda _progress: None)
    sleep: Callable[[float], None] = time.sleep


class _Changed(Exception):
    """The source changed while its pages were being fetched."""


def collect(plan: Plan, key: str, options: Options) -> list[Collected]:
    """Every series of ``plan``, complete and consistent; QuotaExhausted (checkpoint kept) or FetchError."""
    all_series = plan.series()
    progress = Progress(series_total=len(all_series))
    results = []
    for series in all_series:
        cache = SeriesCache(options.cache_root, f"{plan.spec.source}.{plan.spec.name}", series.slug, series.request)
        try:
            results.append(_collect_series(series, cache, key, options, progress))
        except QuotaExhausted as stop:
            resume = resume_time().isoformat()
            cache.save_state({"complete": False, "stopped": "quota", "resume_after": resume, "pages": progress.pages})
            raise QuotaExhausted(_quota_message(plan, series, progress, str(stop), options.cache_root)) from None
        cache.save_state({"complete": True, "pages": len(results[-1].pages), "rows": results[-1].rows})
        progress.series_done += 1
        options.on_progress(progress)
    return results


def _collect_series(series: Series, cache: SeriesCache, key: str, options: Options, progress: Progress) -> Collected:
    for attempt in (1, 2):
        before = (progress.pages, progress.rows, progress.pages_known)
        try:
            return _one_pass(series, cache, key, options, progress)
        except _Changed as change:
            cache.clear()
            progress.pages, progress.rows, progress.pages_known = before
            if attempt == 2:
                raise FetchError(
                    f"{series.request}: the source changed twice while it was being fetched ({change}); "
                    "nothing was loaded. Try again later, when the portal is not updating the dataset"
                ) from None
    raise AssertionError("unreachable")


def _one_pass(series: Series, cache: SeriesCache, key: str, options: Options, progress: Progress) -> Collected:
    pages: list[Page] = []
    total: int | None = None
    rows = 0
    from_cache = 0
    index = 1
    while True:
        page = cache.read(index)
        if page is not None:
            from_cache += 1
        else:

            def counted() -> None:
                progress.requests += 1

            page = fetch_page(
                series.url(key, index),
                dataset=series.spec.name,
                key=key,
                timeout_s=options.timeout_s,
                retries=options.retries,
                backoff_s=options.backoff_s,
                sleep=options.sleep,
                on_request=counted,
            )
            cache.write(index, page, redact(series.url(key, index), key))
        if page.empty:
            if index == 1:
                return Collected(series, [], 0, None, from_cache)
            raise _Changed(f"page {index} has no rows, but page 1 announced {total:,}")
        assert page.total is not None
        if total is None:
            total = page.total
            progress.pages_known += max(1, -(-total // PAGE_SIZE))
        elif page.total != total:
            raise _Changed(f"page {index} announces {page.total:,} rows, page 1 announced {total:,}")
        expected = min(PAGE_SIZE, total - (index - 1) * PAGE_SIZE)
        if page.rows != expected:
            raise _Changed(f"page {index} holds {page.rows:,} rows where {total:,} in all means {expected:,}")
        pages.append(page)
        rows += page.rows
        progress.pages += 1
        progress.rows += page.rows
        options.on_progress(progress)
        if index * PAGE_SIZE >= total:
            break
        index += 1
    return Collected(series, pages, rows, cache.write_snapshot(pages) if rows else None, from_cache)


def resume_time(now: dt.datetime | None = None) -> dt.datetime:
    """The next midnight in Korea, when the portals' daily quotas start again."""
    current = (now or dt.datetime.now(dt.UTC)).astimezone(KST)
    return (current + dt.timedelta(days=1)).replace(hour=0, minute=5, second=0, microsecond=0)


def _quota_message(plan: Plan, series: Series, progress: Progress, said: str, cache_root: Path) -> str:
    when = resume_time()
    remaining = progress.series_total - progress.series_done
    detail = f" ({said.strip()[:120]})" if said.strip() else ""
    return (
        f"the daily request quota of the {plan.spec.source} API key is spent (code 337){detail} after "
        f"{progress.requests:,} request(s) this run, at {series.request}; {progress.pages:,} page(s) "
        f"({progress.rows:,} rows) are kept in {cache_root} and {remaining:,} of {progress.series_total:,} series "
        f"are not finished. Nothing was loaded. Run the same command again after "
        f"{when.strftime('%Y-%m-%d %H:%M')} KST ({when.astimezone(dt.UTC).strftime('%Y-%m-%d %H:%M')} UTC): "
        "it fetches only the missing pages"
    )


def batches(collected: list[Collected]) -> list[Batch]:
    """Validated QWGJK batches, one per series, each named by its request (no key, no page)."""
    from yesan.ingest.lofin365 import read_qwgjk

    return [read_qwgjk(c.snapshot, source_name=c.series.request) for c in collected if c.snapshot is not None]


def load(collected: list[Collected], store: Store, *, replace: bool = False) -> LoadResult:
    """Load every collected series into ``store`` in one transaction (all, or nothing)."""
    found = batches(collected)
    if not found:
        requests = ", ".join(c.series.request for c in collected[:3])
        raise FetchError(f"the API has no rows for {requests}{' …' if len(collected) > 3 else ''}; nothing was loaded")
    return store.load(found, replace=replace)


def summary(collected: list[Collected]) -> dict[str, object]:
    return {
        "series": [
            {
                "request": c.series.request,
                "pages": len(c.pages),
                "pages_from_cache": c.from_cache,
                "rows": c.rows,
                "file": str(c.snapshot) if c.snapshot else None,
            }
            for c in collected
        ],
        "rows": sum(c.rows for c in collected),
    }


def parse_date(text: str, today: dt.date | None = None) -> dt.date:
    """YYYYMMDD, YYYY-MM-DD, ``today`` or ``yesterday`` (in Korea)."""
    now = today or dt.datetime.now(KST).date()
    cleaned = text.strip().lower()
    if cleaned == "today":
        return now
    if cleaned == "yesterday":
        return now - dt.timedelta(days=1)
    digits = cleaned.replace("-", "")
    try:
        if len(digits) != 8 or not digits.isdigit():
            raise ValueError
        return dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        raise FetchError(f"{text!r} is not a date: use YYYYMMDD, YYYY-MM-DD, today or yesterday") from None


def dates_between(since: dt.date, until: dt.date) -> tuple[str, ...]:
    if since > until:
        raise FetchError(f"--since {since:%Y%m%d} is after the last date {until:%Y%m%d}")
    days = (until - since).days
    if days > 400:
        raise FetchError(f"--since {since:%Y%m%d} asks for {days + 1:,} daily snapshots; at most 401 at once")
    return tuple((since + dt.timedelta(days=n)).strftime("%Y%m%d") for n in range(days + 1))


__all__ = ["KST", "Collected", "Options", "Plan", "Progress", "collect", "dates_between", "load", "parse_date"]
