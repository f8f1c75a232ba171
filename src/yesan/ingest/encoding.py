"""Text encodings of Korean CSV files: UTF-8 (with or without BOM) and CP949.

Korean public data is published either as UTF-8 or as CP949 (Microsoft's superset of EUC-KR, what
Excel writes by default on Korean Windows). ``detect_encoding`` decides which one a file is in and
decodes strictly: a byte that fits neither is an error naming its offset, never a silent ``�``.

It also recognises the most common mojibake: CP949 bytes that were once decoded as Latin-1 /
Windows-1252 and re-saved as UTF-8 (``¿¹»ê`` instead of ``예산``). Such a file decodes as UTF-8
without error but its Korean text is garbled, so it is refused with the repaired text as a hint.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Final

from yesan.errors import LoadError

UTF8_BOM: Final = b"\xef\xbb\xbf"
_UTF16_BOMS: Final = (b"\xff\xfe", b"\xfe\xff")
_HANGUL: Final = re.compile(r"[\uac00-\ud7a3]")
#: EUC-KR Hangul is two bytes in A1–FE, which Latin-1 shows as ``¡``–``þ``.
_LATIN_HIGH: Final = re.compile(r"[\u00a1-\u00fe]")
_NON_ASCII: Final = re.compile(r"[^\x00-\x7f]")
_FIX_HINT: Final = (
    "Re-save the file as UTF-8 (in Excel: Save As → 'CSV UTF-8 (쉼표로 분리)'; in a text editor: "
    "encoding UTF-8) and load it again"
)
#: How much text the mojibake check looks at.
_MOJIBAKE_WINDOW: Final = 1 << 16


def detect_encoding(data: bytes, *, file: str = "<data>") -> str:
    """Return ``"utf-8-sig"``, ``"utf-8"`` or ``"cp949"`` for ``data``, checked by decoding strictly.

    Pure ASCII is ``"utf-8"``. Raises ``LoadError`` naming ``file`` and the byte offset of the first
    byte that is neither UTF-8 nor CP949, and when the text is UTF-8 mojibake of CP949 Korean.
    """
    return _decode(data, file)[1]


def decode(data: bytes, *, file: str = "<data>") -> tuple[str, str]:
    """Decode ``data`` strictly; return ``(text, encoding)`` with the encoding ``detect_encoding`` names."""
    return _decode(data, file)


def read_text(path: Path) -> tuple[str, str]:
    """Read and decode a text file; return ``(text, encoding)``."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise LoadError(f"{path}: cannot read the file ({error.strerror or error})") from error
    return _decode(data, str(path))


#: UTF-32's byte order marks, little- and big-endian.
_UTF32_BOMS: Final = (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")


def _looks_utf32(head: bytes) -> bool:
    """Whether ``head`` reads as UTF-32 without a BOM: every 4-byte unit holds a code point below U+10000
    (its two high bytes zero, as in any Korean or Latin text) and is not zero itself."""
    units = [head[i : i + 4] for i in range(0, len(head) - len(head) % 4, 4)]
    if len(units) < 4:
        return False
    little = all(u[2:] == b"\x00\x00" and u[:2] != b"\x00\x00" for u in units)
    big = all(u[:2] == b"\x00\x00" and u[2:] != b"\x00\x00" for u in units)
    return little or big


def _decode(data: bytes, file: str) -> tuple[str, str]:
    if data.startswith(UTF8_BOM):
        try:
            text = data[len(UTF8_BOM) :].decode("utf-8")
        except UnicodeDecodeError as error:
            raise _bad_byte(file, data, error.start + len(UTF8_BOM), "UTF-8 (it starts with a UTF-8 BOM)") from None
        _check_mojibake(text, data, file)
        return text, "utf-8-sig"
    if data.startswith(_UTF32_BOMS):  # before UTF-16: UTF-32LE's BOM starts like UTF-16LE's
        raise LoadError(f"{file}: the file is UTF-32 text, which yesan does not read. {_FIX_HINT}")
    if data.startswith(_UTF16_BOMS):
        raise LoadError(f"{file}: the file is UTF-16 text, which yesan does not read. {_FIX_HINT}")
    head = data[:_MOJIBAKE_WINDOW]
    if _looks_utf32(head):
        raise LoadError(
            f"{file}: the file is UTF-32 text without a byte order mark, which yesan does not read. {_FIX_HINT}"
        )
    nuls = head.count(b"\x00")
    if nuls > max(8, len(head) // 100):
        raise LoadError(
            f"{file}: not text: {nuls:,} NUL bytes in the first {len(head):,} bytes (binary data such as an image, "
            f"an archive or a database, or UTF-16 text without a byte order mark). {_FIX_HINT}"
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as utf8_error:
        try:
            return data.decode("cp949"), "cp949"
        except UnicodeDecodeError as cp949_error:
            # Report the encoding the file follows for longer: that is the one it was meant to be in.
            if utf8_error.start >= cp949_error.start:
                raise _bad_byte(file, data, utf8_error.start, "UTF-8") from None
            raise _bad_byte(file, data, cp949_error.start, "CP949 (EUC-KR)") from None
    if _cp949_posing_as_utf8(text, data):
        return data.decode("cp949"), "cp949"
    _check_mojibake(text, data, file)
    return text, "utf-8"


def _cp949_posing_as_utf8(text: str, data: bytes) -> bool:
    """CP949 text that happens to be valid UTF-8 too (345 syllables such as 창, 책, 칠 encode as
    valid two-byte UTF-8 sequences): UTF-8 shows no Hangul but Latin Extended / Greek / Cyrillic
    letters or C1 controls, while CP949 shows Hangul and nothing else outside ASCII."""
    non_ascii = _NON_ASCII.findall(text[:_MOJIBAKE_WINDOW])
    if not non_ascii or _HANGUL.search(text[:_MOJIBAKE_WINDOW]):
        return False
    if any(ord(char) > 0x7FF for char in non_ascii):
        return False
    if not any(ord(char) >= 0x100 or ord(char) < 0xA0 for char in non_ascii):
        return False  # only Latin-1 letters: genuine UTF-8 (é, ü, ç) is the likelier reading
    try:
        korean = data.decode("cp949")
    except UnicodeDecodeError:
        return False
    others = _NON_ASCII.findall(korean[:_MOJIBAKE_WINDOW])
    return bool(others) and all(_HANGUL.match(char) for char in others)


def _bad_byte(file: str, data: bytes, offset: int, closest: str) -> LoadError:
    byte = data[offset] if offset < len(data) else None
    shown = f"byte 0x{byte:02X}" if byte is not None else "an incomplete character at the end"
    line = data.count(b"\n", 0, offset) + 1
    return LoadError(
        f"{file}: not UTF-8 or CP949 (EUC-KR) text: {shown} at byte offset {offset:,} (line {line:,}) "
        f"does not fit; the file is closest to {closest}. {_FIX_HINT}"
    )


def _check_mojibake(text: str, data: bytes, file: str) -> None:
    """Refuse UTF-8 text whose Korean was garbled by a Latin-1 / Windows-1252 round trip."""
    window = text[:_MOJIBAKE_WINDOW]
    if _HANGUL.search(window):
        return
    high = len(_LATIN_HIGH.findall(window))
    if high < 4 or high * 2 < len(_NON_ASCII.findall(window)):
        return
    first = next(index for index, char in enumerate(window) if _LATIN_HIGH.match(char))
    line_start = window.rfind("\n", 0, first) + 1
    line_end = window.find("\n", first)
    line = window[line_start : line_end if line_end >= 0 else len(window)]
    repaired = _repair_latin(line)
    if repaired is None or not _HANGUL.search(repaired):
        return
    offset = len(window[:first].encode("utf-8")) + (len(UTF8_BOM) if data.startswith(UTF8_BOM) else 0)
    sample = line.strip()[:40]
    raise LoadError(
        f"{file}: the text decodes as UTF-8 but looks like Korean CP949 text that was mis-decoded as "
        f"Latin-1 and saved again (mojibake from byte offset {offset:,}): {sample!r} should read "
        f"{repaired.strip()[:40]!r}. Export the file again from its original source, or convert it back "
        "(decode as UTF-8, encode as Windows-1252, decode as CP949) and save it as UTF-8"
    )


def _repair_latin(text: str) -> str | None:
    raw = bytearray()
    for char in text:
        code = ord(char)
        if code < 256:
            raw.append(code)
            continue
        try:
            raw.extend(char.encode("cp1252"))
        except UnicodeEncodeError:
            return None
    try:
        return bytes(raw).decode("cp949")
    except UnicodeDecodeError:
        return None
