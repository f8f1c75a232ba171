"""The settings of the server and the CLI, declared once as data: each a field of ``Settings`` with its default,
its help and its unit in its name (``check_time_limit_s``, ``max_body_bytes``), the way datasette declares its
``SETTINGS``.

A setting's value comes from ``yesan serve --setting NAME VALUE``, else from ``$YESAN_<NAME>``
(``$YESAN_CHECK_TIME_LIMIT_S``), else from its default; ``yesan settings`` lists them all.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from yesan.errors import YesanError

__all__ = ["SETTINGS", "Setting", "SettingError", "Settings", "setting"]


class SettingError(YesanError):
    """A setting that does not exist, or a value it cannot take."""


def _setting(default: Any, help: str, *, minimum: float | None = None) -> Any:
    return field(default=default, metadata={"help": help, "minimum": minimum})


#: The shape of a DuckDB memory limit: an amount with its unit (512MB, 2GiB, 3G) or a share of the machine's memory
#: (50%), or no limit (-1, none); DuckDB itself checks the unit when the store is opened.
_MEMORY: Final = re.compile(r"-1|none|\d+(\.\d+)?\s*([a-z]+|%)", re.IGNORECASE)


@dataclass(frozen=True)
class Settings:
    """Every setting with its value; ``Settings()`` holds the defaults."""

    check_time_limit_s: float = _setting(
        30.0,
        "Seconds one article check of the web app (POST /api/check, the /check page) may take; then the answer "
        "is a 504 and the worker running it is killed. Shorter than cli_check_time_limit_s: an HTTP client and "
        "a server worker should not wait minutes for one request.",
        minimum=0,
    )
    cli_check_time_limit_s: float = _setting(
        120.0,
        "Seconds `yesan check` gives one article file. Longer than check_time_limit_s: someone at a terminal "
        "waits for one answer and holds no server worker.",
        minimum=0,
    )
    max_body_bytes: int = _setting(
        1 << 20,
        "The largest request body POST /api/check and the /check page accept, in bytes (a 413 beyond it).",
        minimum=1,
    )
    check_workers: int = _setting(
        2,
        "Worker processes that run the web app's article checks, each with the store open (a check past its "
        "time limit is killed with its worker, and a new one starts).",
        minimum=1,
    )
    connections: int = _setting(
        2,
        "Store cursors a server process's request threads share (on 2 cores, 2 measured best: 35 req/s "
        "uncached drill-downs vs 30 with one behind a lock and 32 with 4).",
        minimum=1,
    )
    connection_wait_s: float = _setting(
        30.0,
        "Seconds a request waits for a free store cursor; then its answer is a 503 (the store is busy).",
        minimum=0,
    )
    cache_entries: int = _setting(
        512,
        "Finished API answers a server process keeps by ETag (0: none).",
        minimum=0,
    )
    cache_max_bytes: int = _setting(
        32 << 20,
        "Bytes of answers the response cache of a server process holds in all (the least recently used go "
        "first), so its memory stays flat however large the pages; an answer over 1 MB is never kept.",
        minimum=0,
    )
    duckdb_memory_limit: str = _setting(
        "512MB",
        "DuckDB's buffer pool for the server's store, e.g. 512MB, 2GB or 50%. Less than the CLI's 1GB: the "
        "server keeps its own caches beside it (100M items: 1,486 MB peak RSS with 512MB, 1,919 MB with 1GB, "
        "same latencies). $YESAN_DUCKDB_MEMORY_LIMIT also sets the CLI's.",
    )

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """The defaults, with each ``$YESAN_<NAME>`` that is set (and not blank) in their place."""
        environ = os.environ if environ is None else environ
        given = {s.name: environ[s.variable] for s in SETTINGS if environ.get(s.variable, "").strip()}
        return cls().given(given.items(), source="$YESAN_")

    def given(self, pairs: Iterable[tuple[str, str]], *, source: str = "--setting") -> Settings:
        """These settings with ``pairs`` of (name, text) in place: a SettingError names an unknown setting or a
        value its setting cannot take."""
        changes: dict[str, Any] = {}
        for name, text in pairs:
            declared = setting(name)
            changes[declared.name] = declared.parse(text, source)
        return dataclasses.replace(self, **changes)

    def changed(self) -> dict[str, Any]:
        """The settings whose value is not their default, by name."""
        return {s.name: getattr(self, s.name) for s in SETTINGS if getattr(self, s.name) != s.default}

    def environment(self) -> dict[str, str]:
        """The ``$YESAN_<NAME>`` variables that give these settings to another process (whose
        ``Settings.from_environment()`` reads them)."""
        return {s.variable: str(getattr(self, s.name)) for s in SETTINGS}


@dataclass(frozen=True)
class Setting:
    """One setting as data: its name, default, help, and the environment variable that sets it."""

    name: str
    default: Any
    help: str
    minimum: float | None

    @property
    def variable(self) -> str:
        return "YESAN_" + self.name.upper()

    @property
    def kind(self) -> str:
        """What the value is, for people: ``integer``, ``number`` or ``text``."""
        return {int: "integer", float: "number"}.get(type(self.default), "text")

    def parse(self, text: str, source: str = "--setting") -> Any:
        """The value ``text`` gives this setting, or a SettingError saying what it takes."""
        text = text.strip()
        shown = f"{source} {self.name}" if source == "--setting" else f"${self.variable}"
        takes = f"takes {'an' if self.kind == 'integer' else 'a'} {self.kind}"
        try:
            if isinstance(self.default, int):
                value: Any = int(text)
            elif isinstance(self.default, float):
                value = float(text)
                if value != value or value in (float("inf"), float("-inf")):
                    raise ValueError(text)
            else:
                value = text
        except ValueError:
            raise SettingError(f"{shown} {takes}, e.g. {self.default}; got {text!r}") from None
        if self.minimum is not None and value < self.minimum:
            raise SettingError(f"{shown} must be at least {self.minimum:g}; got {text!r}")
        if self.name == "duckdb_memory_limit" and not _MEMORY.fullmatch(value):
            raise SettingError(f"{shown} takes an amount of memory such as 512MB, 2GB or 50%; got {text!r}")
        return value


#: Every setting, in the order ``yesan settings`` lists them.
SETTINGS: Final = tuple(
    Setting(f.name, f.default, f.metadata["help"], f.metadata["minimum"]) for f in dataclasses.fields(Settings)
)
_BY_NAME: Final = {s.name: s for s in SETTINGS}


def setting(name: str) -> Setting:
    """The setting called ``name`` (dashes read as underscores), or a SettingError listing them all."""
    found = _BY_NAME.get(name.strip().replace("-", "_"))
    if found is None:
        names = ", ".join(_BY_NAME)
        raise SettingError(f"no setting {name!r}; the settings are {names} (`yesan settings` explains each)")
    return found
