"""Bounds on what a reader takes in, checked while streaming: file kind, size, line length, gzip.

Readers that parse a whole file in memory (generic tables, JSON, population tables) read it through
``read_bounded``, which stops as soon as the text passes ``MAX_TEXT_BYTES`` or one line passes
``MAX_LINE_BYTES``: a 2 GB line or a gzip bomb costs at most the limit plus one chunk of memory,
never the whole file. The ``locate_*`` helpers explain a failure of a streaming parser (Arrow's CSV
reader) in terms of lines and rows; they run only after something went wrong, in bounded memory.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import stat
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Final

from yesan.errors import LoadError, visible_controls

#: The longest line (or quoted cell) a reader accepts: Arrow's CSV block and the csv module's field limit.
MAX_LINE_BYTES: Final = 1 << 24
#: The most text read into memory at once: a generic table, a JSON file or a population table.
MAX_TEXT_BYTES: Final = 512 << 20
#: The most an XLSX workbook may inflate to (all its parts), and the most any part may inflate per byte stored.
#: Sheet XML compresses 5-30 times; 980 MB of one repeated cell stored in 2.8 MB (350 times) was a zip bomb
#: that peaked at 5.1 GB in the sheet parser.
MAX_WORKBOOK_BYTES: Final = 512 << 20
MAX_WORKBOOK_RATIO: Final = 100
_RATIO_FLOOR: Final = 1 << 20  # parts smaller than this inflate as they like (tiny styles compress 1,000 times)
_CHUNK: Final = 1 << 20
_GZIP_MAGIC: Final = b"\x1f\x8b"


def require_regular_file(path: Path, name: str | None = None) -> None:
    """Refuse missing files, devices, pipes and sockets (``/dev/zero`` would never end) and empty files."""
    shown = name or str(path)
    try:
        info = path.stat()
    except OSError as error:
        raise LoadError(f"{shown}: cannot read the file ({error.strerror or error})") from None
    if not stat.S_ISREG(info.st_mode):
        raise LoadError(f"{shown}: not a regular file (a device, pipe or socket); give a saved data file")
    if info.st_size == 0:
        raise LoadError(f"{shown}: the file is empty (0 bytes); nothing was loaded", hint="export the data again")


def is_gzip(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(2) == _GZIP_MAGIC
    except OSError:
        return False


def open_decompressed(path: Path) -> IO[bytes]:
    """The file as a binary stream, gunzipped on the fly when it is gzip (closing it closes the file)."""
    if is_gzip(path):
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return path.open("rb")


def damaged_gzip(name: str, error: BaseException) -> LoadError:
    reason = str(error) or type(error).__name__
    return LoadError(
        f"{name}: the gzip file is damaged or truncated ({reason}); nothing was loaded",
        hint="download or copy the file again; `gzip -t FILE` checks it",
    )


def chunks(path: Path, name: str) -> Iterator[bytes]:
    """The (decompressed) bytes of a file in chunks; LoadError for a damaged gzip stream."""
    try:
        with open_decompressed(path) as stream:
            while chunk := stream.read(_CHUNK):
                yield chunk
    except (EOFError, zlib.error, gzip.BadGzipFile) as error:
        raise damaged_gzip(name, error) from None
    except OSError as error:
        raise LoadError(f"{name}: cannot read the file ({error.strerror or error})") from None


def check_gzip_start(path: Path, name: str) -> None:
    """A gzip file must decompress to something: refuse a damaged header or an empty stream up front."""
    if not is_gzip(path):
        return
    try:
        with open_decompressed(path) as stream:
            first = stream.read(1)
    except (EOFError, zlib.error, gzip.BadGzipFile, OSError) as error:
        raise damaged_gzip(name, error) from None
    if not first:
        raise LoadError(
            f"{name}: the file is empty once decompressed; nothing was loaded", hint="export the data again"
        )


def read_bounded(
    path: Path,
    name: str,
    *,
    max_bytes: int = MAX_TEXT_BYTES,
    max_line: int | None = MAX_LINE_BYTES,
    what: str = "file",
) -> bytes:
    """The whole (decompressed) file, refused as soon as it passes ``max_bytes`` or a line passes ``max_line``."""
    require_regular_file(path, name)
    parts: list[bytes] = []
    total = 0
    line = 1
    current = 0  # bytes of the line being read so far
    for chunk in chunks(path, name):
        total += len(chunk)
        if total > max_bytes:
            raise LoadError(
                f"{name}: the {what} is larger than {max_bytes >> 20:,} MB (after decompressing); nothing was loaded",
                hint="split it into smaller files, or for lofin365 data use the QWGJK CSV or Parquet form",
            )
        if max_line is not None:
            pieces = chunk.split(b"\n")
            for index, piece in enumerate(pieces):
                current += len(piece)
                if current > max_line:
                    raise _long_line(name, line, max_line)
                if index < len(pieces) - 1:
                    line += 1
                    current = 0
        parts.append(chunk)
    return b"".join(parts)


def _long_line(name: str, line: int, limit: int) -> LoadError:
    return LoadError(
        f"{name}: line {line:,} is longer than {limit >> 20:,} MB; nothing was loaded",
        hint='a quote (") that is never closed makes the rest of a CSV file one cell; '
        "otherwise the file is not a table of line items",
    )


def locate_long_line(path: Path, name: str, limit: int = MAX_LINE_BYTES) -> LoadError | None:
    """The error for the first line longer than ``limit`` bytes, or None (streams; bounded memory)."""
    line = 1
    current = 0
    for chunk in chunks(path, name):
        pieces = chunk.split(b"\n")
        for index, piece in enumerate(pieces):
            current += len(piece)
            if current > limit:
                return _long_line(name, line, limit)
            if index < len(pieces) - 1:
                line += 1
                current = 0
    return None


def locate_bad_utf8(path: Path, name: str) -> tuple[int, int] | None:
    """``(byte offset, line)`` of the first byte that is not UTF-8 (after a BOM, if any), or None."""
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    offset = 0
    line = 1
    for chunk in chunks(path, name):
        pending = len(decoder.getstate()[0])  # bytes of a character begun in the previous chunk
        try:
            decoder.decode(chunk)
        except UnicodeDecodeError as error:
            return offset - pending + error.start, line + chunk.count(b"\n", 0, max(0, error.start - pending))
        offset += len(chunk)
        line += chunk.count(b"\n")
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return offset, line
    return None


def locate_field_count(path: Path, name: str, encoding: str) -> tuple[int, int, int] | None:
    """``(row, fields, header fields)`` of the first data record whose field count differs from the header's.

    ``row`` counts data records (the header is not counted), like every row number yesan reports.
    """
    csv.field_size_limit(MAX_LINE_BYTES)
    try:
        with open_decompressed(path) as raw:
            text = io.TextIOWrapper(raw, encoding=encoding, errors="replace", newline="")
            reader = csv.reader(text)
            header = next(reader, None)
            if header is None:
                return None
            for row, record in enumerate(reader, start=1):
                if record and len(record) != len(header):
                    return row, len(record), len(header)
    except (csv.Error, EOFError, zlib.error, gzip.BadGzipFile, OSError):
        return None
    return None


__all__ = [
    "MAX_LINE_BYTES",
    "MAX_TEXT_BYTES",
    "MAX_WORKBOOK_BYTES",
    "MAX_WORKBOOK_RATIO",
    "check_gzip_start",
    "check_workbook_archive",
    "chunks",
    "damaged_gzip",
    "is_gzip",
    "locate_bad_utf8",
    "locate_field_count",
    "locate_long_line",
    "open_decompressed",
    "read_bounded",
    "require_regular_file",
]


def check_workbook_archive(path: Path, name: str) -> None:
    """Refuse an XLSX (a zip archive) that inflates past ``MAX_WORKBOOK_BYTES`` in all or more than
    ``MAX_WORKBOOK_RATIO`` times in one part, from its directory, before a parser inflates anything; then inflate
    each part once in chunks (bounded by the sizes checked), so a directory that lies about them fails its CRC
    here. Files that are not zip archives (an old ``.xls``) are left to the parser."""
    if not zipfile.is_zipfile(path):
        return
    hint = "if the workbook is genuine, export its sheet as 'CSV UTF-8' and load that (CSV is read in bounded memory)"
    damaged = "open the file in Excel and save it again, or export the sheet as 'CSV UTF-8' and load that"
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
            total = sum(part.file_size for part in parts)
            if total > MAX_WORKBOOK_BYTES:
                raise LoadError(
                    f"{name}: the workbook inflates to {total:,} bytes; at most {MAX_WORKBOOK_BYTES:,} are read; "
                    "nothing was loaded",
                    hint=hint,
                )
            for part in parts:
                ratio = part.file_size / max(part.compress_size, 1)
                if part.file_size > _RATIO_FLOOR and ratio > MAX_WORKBOOK_RATIO:
                    raise LoadError(
                        f"{name}: part {shown(part.filename)} of the workbook inflates {ratio:,.0f} times "
                        f"({part.compress_size:,} bytes to {part.file_size:,}); at most {MAX_WORKBOOK_RATIO} times "
                        "is read (a zip bomb?); nothing was loaded",
                        hint=hint,
                    )
            for part in parts:
                with archive.open(part) as stream:
                    while stream.read(_CHUNK):
                        pass
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as error:
        raise LoadError(f"{name}: the workbook is damaged ({error}); nothing was loaded", hint=damaged) from None
    except OSError as error:
        raise LoadError(f"{name}: cannot read the file ({error.strerror or error})") from None


def shown(text: str, limit: int = 80) -> str:
    """``text`` in quotes, cut at ``limit`` characters, with every control or bidi character written as an
    escape (``\\x1b``, ``\\u202e``) so that no excerpt of a file's data acts on a terminal. Korean stays Korean."""
    cut = text if len(text) <= limit else text[: limit - 1] + "…"
    return "'" + visible_controls(cut.replace("\\", "\\\\")).replace("'", "\\'") + "'"
