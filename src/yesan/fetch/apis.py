"""The official OpenAPIs yesan collects, as data: where they live, what they need, how they answer.

Both portals use the same envelope (see docs/fetch.md for where each fact comes from):
``{"NAME": [{"head": [{"list_total_count": N}, {"RESULT": {"CODE": "INFO-000", "MESSAGE": …}}]}, {"row": […]}]}``,
at most 1,000 rows a page (``pIndex`` from 1, ``pSize`` ≤ 1000), and errors either in that head or as a bare
``{"RESULT": {"CODE": …, "MESSAGE": …}}``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

PAGE_SIZE: Final = 1000


@dataclass(frozen=True)
class ApiSpec:
    """One dataset of one portal."""

    source: str  # lofin365 / openfiscal: the first argument of `yesan fetch`
    name: str  # the dataset's service name in the URL, e.g. QWGJK
    description: str
    base_url: str  # the official hub; `--base-url` / the URL variable override it
    url_variable: str  # environment variable naming a mirror or test server
    key_variable: str  # environment variable holding the API key
    year_parameter: str  # the fiscal-year request parameter
    date_parameter: str | None  # the execution-date parameter, when the dataset has one (required then)
    government_parameter: str | None  # the 자치단체 code parameter (one code a request)
    loadable: bool  # yesan has a validated reader for its rows (otherwise: collected to a file only)


LOFIN365_BASE: Final = "https://www.lofin365.go.kr/lf/hub"
OPENFISCAL_BASE: Final = "https://openapi.openfiscaldata.go.kr"

APIS: Final[dict[tuple[str, str], ApiSpec]] = {
    (spec.source, spec.name): spec
    for spec in (
        ApiSpec(
            "lofin365", "QWGJK", "지방재정365 세부사업별 세출현황", LOFIN365_BASE, "YESAN_LOFIN365_URL",
            "YESAN_LOFIN365_KEY", "fyr", "exe_ymd", "laf_cd", loadable=True,
        ),
        ApiSpec(
            "lofin365", "GJSCS", "지방재정365 기능별 재원별 세출예산", LOFIN365_BASE, "YESAN_LOFIN365_URL",
            "YESAN_LOFIN365_KEY", "fyr", None, "laf_cd", loadable=False,
        ),
        ApiSpec(
            "openfiscal", "ExpenditureBudgetInit5", "열린재정 세출/지출 세부사업 예산편성현황(총액)", OPENFISCAL_BASE,
            "YESAN_OPENFISCAL_URL", "YESAN_OPENFISCAL_KEY", "FSCL_YY", None, None, loadable=False,
        ),
    )
}  # fmt: skip

#: Result codes, with what each means for a collector. Codes are compared without the ``ERROR-`` prefix for 337,
#: which lofin365 reports bare and other hubs as ``ERROR-337``.
OK: Final = "INFO-000"
NO_DATA: Final = "INFO-200"
QUOTA: Final = frozenset({"337", "ERROR-337"})
#: Server-side failures worth asking again (with backoff), as 5xx responses are.
TRANSIENT: Final = frozenset({"ERROR-500", "ERROR-600", "ERROR-601"})
ADVICE: Final = {
    "ERROR-290": "the API key is not valid: check YESAN_LOFIN365_KEY / YESAN_OPENFISCAL_KEY (or the config file)",
    "INFO-300": "the portal has restricted this API key; ask the portal's help desk",
    "ERROR-300": "a required request parameter is missing (lofin365 QWGJK needs --year and --exe-ymd)",
    "ERROR-310": "the portal does not know this dataset name",
    "ERROR-333": "the page number was not a whole number (a yesan bug; please report it)",
    "ERROR-336": "more than 1,000 rows were asked for in one page (a yesan bug; please report it)",
}


def spec_for(source: str, name: str) -> ApiSpec:
    """The spec of ``source name``, or a ValueError listing what yesan can fetch."""
    found = APIS.get((source.lower(), name.upper() if source.lower() == "lofin365" else name))
    if found is None:
        known = ", ".join(f"{s} {n}" for s, n in APIS)
        raise ValueError(f"yesan cannot fetch {source} {name}; it knows: {known}")
    return found
