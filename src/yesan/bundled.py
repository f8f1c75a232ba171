"""The real data that ships inside the package, so a fresh install has something true to show."""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources
from pathlib import Path

from yesan.ingest.fund import read_fund
from yesan.ingest.lofin365 import read_qwgjk
from yesan.ingest.population import read_population
from yesan.ingest.reported import read_reported
from yesan.store import LoadResult, Store
from yesan.store.store import ReportedResult

SNAPSHOT_FILE = "qwgjk_fyr2026_exe20260705.parquet"
REGIONS_FILE = "regions_107.csv"
POPULATION_SOURCE = "2024 인구총조사 (통계청), via regions_107.csv"
#: Reported-figures datasets (``data/reported/NAME.csv``, each with ``NAME.sources.csv``; built by
#: ``scripts/build_reported_bundle.py``): Seoul 2026 as announced and enacted, and Seoul 본청 by 분야 from two
#: third-party transcriptions of lofin365 that disagree — each its own dataset, neither preferred.
REPORTED_DATASETS = ("seoul-2026-reference", "seoul-bunya-regional-flat", "seoul-bunya-bada17")


def data_path(name: str) -> Path:
    return Path(str(resources.files("yesan") / "data" / name))


def load_bundled(store: Store, on_step: Callable[[str], None] | None = None) -> LoadResult:
    """Load the bundled lofin365 snapshot, the 지방소멸대응기금 figures 2024–2026 and the population table (idempotent).

    Returns the result of loading the QWGJK snapshot; the fund figures (``yesan.ingest.fund``, dataset
    lofin365.GJSCS, one snapshot a year) are loaded in a transaction of their own.
    """
    step = on_step or (lambda _message: None)
    step("reading the bundled lofin365 QWGJK snapshot")
    batch = read_qwgjk(data_path(SNAPSHOT_FILE))
    result = store.load([batch], on_step=step)
    step("loading the 지방소멸대응기금 figures 2024–2026 (GJSCS, via regions_107.csv)")
    store.load(read_fund(data_path(REGIONS_FILE), source_name=REGIONS_FILE), on_step=step)
    step("loading population")
    population = read_population(data_path(REGIONS_FILE), source=POPULATION_SOURCE)
    store.load_population(
        population.population, population.governments, source_file=REGIONS_FILE, sha256=population.sha256
    )
    load_bundled_reported(store, on_step=step)
    return result


def load_bundled_reported(store: Store, on_step: Callable[[str], None] | None = None) -> list[ReportedResult]:
    """Load the bundled reported figures with their sources (idempotent: a store that has them is unchanged)."""
    step = on_step or (lambda _message: None)
    results: list[ReportedResult] = []
    for name in REPORTED_DATASETS:
        step(f"loading the bundled reported figures {name!r}")
        batch = read_reported(data_path("reported") / f"{name}.csv")
        # The file is cited by its name in the package, not by where the package is installed.
        results += store.load_reported(
            batch.figures, dataset=batch.dataset, source_file=f"yesan/data/reported/{name}.csv",
            sha256=batch.sha256, replace=True, sources=batch.sources,
        )  # fmt: skip
    return results
