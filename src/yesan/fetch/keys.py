"""API keys: from the environment or the config file, and kept out of every text yesan writes.

The config file is ``$YESAN_CONFIG`` or ``$XDG_CONFIG_HOME/yesan/config.toml`` (``~/.config``)::

    [keys]
    lofin365 = "…"
    openfiscal = "…"
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

from yesan.errors import FetchError
from yesan.fetch.apis import ApiSpec

REDACTED = "***"


def config_path() -> Path:
    configured = os.environ.get("YESAN_CONFIG")
    if configured:
        return Path(configured).expanduser()
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "yesan" / "config.toml"


def api_key(spec: ApiSpec) -> str:
    """The key for ``spec``'s portal: ``$YESAN_…_KEY`` first, then ``[keys] <source>`` in the config file."""
    value = os.environ.get(spec.key_variable, "").strip()
    if value:
        return value
    path = config_path()
    if path.is_file():
        try:
            config = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
            # The parser's message may quote the file, and so the key: name the file and the kind of problem only.
            raise FetchError(
                f"{path}: the config file cannot be read ({type(error).__name__}); nothing was fetched"
            ) from None
        keys = config.get("keys")
        found = keys.get(spec.source) if isinstance(keys, dict) else None
        if isinstance(found, str) and found.strip():
            return found.strip()
    raise FetchError(
        f'no API key for {spec.source}: set ${spec.key_variable}, or put `{spec.source} = "…"` in the keys table of '
        f"{path}; nothing was fetched"
    )


def redact(text: str, key: str) -> str:
    """``text`` with every occurrence of ``key`` (as typed and URL-encoded) replaced by ***."""
    from urllib.parse import quote, quote_plus

    for form in {key, quote(key, safe=""), quote_plus(key)}:
        if form:
            text = text.replace(form, REDACTED)
    return text
