"""Telling a damaged store file from other failures: a file cut short (a copy or a download that stopped, a
full disk), overwritten, or with a block whose checksum fails. DuckDB says so in an ``IOException`` or an
``Error`` whose text names the file; this turns it into a :class:`StoreError` that says what happened and what
to do, wherever the read that met the damage happened (opening the store, or any query later)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Final

from yesan.errors import StoreError

#: What DuckDB says of a damaged file (DuckDB 1.x–2.x wording). A file that is not a DuckDB file at all ("not a
#: valid DuckDB database file", e.g. a CSV given as --db) is not called damaged: it may never have been a store.
_DAMAGE: Final = re.compile(
    r"Could not read enough bytes from file|Corrupt database file|does not match stored checksum",
    re.IGNORECASE,
)
_FILE: Final = re.compile(r'file "([^"]+)"')


def is_damage(error: BaseException) -> bool:
    """Whether ``error`` says that a database file is damaged or incomplete."""
    return bool(_DAMAGE.search(str(error)))


def damaged_store(error: BaseException, path: Path | str | None = None) -> StoreError | None:
    """A :class:`StoreError` explaining that the store file is damaged, when ``error`` says so; else ``None``.

    ``path`` names the store when the message does not (a checksum failure names only a block).
    """
    text = str(error).strip()
    if not is_damage(error):
        return None
    named = _FILE.search(text)
    where = named.group(1) if named else (str(path) if path is not None else "the store file")
    detail = text.splitlines()[0] if text else type(error).__name__
    detail = re.sub(r"^(IO |Invalid Input )?Error: ", "", detail)
    return StoreError(
        f"the store file {where} is damaged or incomplete ({detail}); nothing was changed. Restore it from a "
        "backup, or from an export made with `yesan export` (`yesan load EXPORT`); or move it aside and rebuild "
        "it (`yesan demo` for the bundled data, `yesan load` for your files)"
    )


__all__ = ["damaged_store", "is_damage"]
