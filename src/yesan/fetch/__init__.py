"""Collectors for the official OpenAPIs: 지방재정365 (lofin365) and 열린재정 (openfiscal).

``apis`` describes each dataset as data; ``http`` fetches one page with retries; ``cache`` keeps every page
on disk with its request and sha256; ``collect`` pages through a plan, checks that the pages belong to one
version of the source, and loads the result through the same validated, atomic load as ``yesan load``;
``schedule`` writes the cron/systemd lines for a daily run. Keys come from ``keys`` and never reach a
message, the cache or the store.
"""

from __future__ import annotations

from yesan.fetch.apis import APIS, ApiSpec, spec_for
from yesan.fetch.collect import Collected, Options, Plan, Progress, collect, load, summary
from yesan.fetch.keys import api_key, redact

__all__ = [
    "APIS",
    "ApiSpec",
    "Collected",
    "Options",
    "Plan",
    "Progress",
    "api_key",
    "collect",
    "load",
    "redact",
    "spec_for",
    "summary",
]
