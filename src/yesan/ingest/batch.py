"""What every reader returns, and the shared bookkeeping for problems found while reading."""

from __future__ import annotations

import gzip
import hashlib
import threading
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from yesan.errors import LoadError, Problem

#: A reader stops collecting after this many errors; the report says how many more there were.
MAX_PROBLEMS = 1000


@dataclass
class Batch:
    """Validated rows from one input file, ready for ``Store.load``.

    ``items`` has exactly ``yesan.model.ITEM_SCHEMA``. ``source_file`` and ``sha256`` describe the
    original file the rows came from (for bundled data, the file it was converted from), so that
    every row stays traceable to ``source_file`` row ``row_no``.
    """

    dataset: str
    source_file: str
    sha256: str
    items: pa.Table
    warnings: list[Problem] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    description: str = ""


class ProblemLog:
    """Collects problems for one file; raises one ``LoadError`` holding all of them."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.errors: list[Problem] = []
        self.warnings: list[Problem] = []
        self.error_count = 0

    def error(self, row: int | None, column: str | None, value: str | None, reason: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_PROBLEMS:
            self.errors.append(Problem(self.file, row, column, value, reason, "error"))

    def warn(self, row: int | None, column: str | None, value: str | None, reason: str) -> None:
        if len(self.warnings) < MAX_PROBLEMS:
            self.warnings.append(Problem(self.file, row, column, value, reason, "warning"))

    def raise_if_errors(self, what: str = "cannot load") -> None:
        if not self.errors:
            return
        self.errors.sort(key=lambda p: (p.row if p.row is not None else -1, p.column or ""))
        extra = self.error_count - len(self.errors)
        hint = f"{extra:,} further errors not listed" if extra > 0 else None
        raise LoadError(f"{self.file}: {what}; nothing was loaded", self.errors, hint=hint)


def file_sha256(path: Path, stop: threading.Event | None = None) -> str:
    """The file's sha256 (hex); ``stop`` set by another thread ends the work early ("" is returned then)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            if stop is not None and stop.is_set():
                return ""
            digest.update(chunk)
    return digest.hexdigest()


def read_head(path: Path, size: int = 65536) -> bytes:
    """The first ``size`` bytes of a file, decompressed if it is gzip (b"" if it cannot be read)."""
    try:
        with path.open("rb") as handle:
            if handle.read(2) != b"\x1f\x8b":
                handle.seek(0)
                return handle.read(size)
            handle.seek(0)
            with gzip.open(handle) as unzipped:
                return unzipped.read(size)
    except (OSError, EOFError, zlib.error):
        return b""
