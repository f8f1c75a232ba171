"""Hangul in the Revised Romanization of Korean, as government web addresses spell place names.

``romanize("영암")`` is ``yeongam`` (www.yeongam.go.kr), ``romanize("강릉")`` is ``gangneung``. Letters are
transcribed syllable by syllable, with the sound changes addresses follow: a final consonant moves onto a
following vowel (``익산`` iksan but ``영암`` yeong-am stays), ㄹ after ㄴ/ㅇ/ㅁ/ㄱ/ㅂ is read ㄴ (``종로``
jongno), ㄹㄹ is ll (``울릉`` ulleung) and ㄴㄹ is ll (``신라`` silla).
"""

from __future__ import annotations

from typing import Final

__all__ = ["romanize"]

_INITIAL: Final = ("g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p", "h")
_VOWEL: Final = (
    "a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we", "wi", "yu",
    "eu", "ui", "i",
)  # fmt: skip
_FINAL: Final = (
    "", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p", "t", "t",
    "ng", "t", "t", "k", "t", "p", "t",
)  # fmt: skip
#: The sound a final consonant takes when the next syllable starts with a vowel (index into _FINAL's jamo).
_LINKED: Final = {1: "g", 4: "n", 7: "d", 8: "r", 16: "m", 17: "b", 19: "s", 22: "j", 23: "ch", 25: "t", 26: "p"}


def romanize(text: str) -> str:
    """``text``'s Hangul syllables romanized (anything else is kept as it is)."""
    parts: list[tuple[int, int, int] | str] = []
    for char in text:
        code = ord(char) - 0xAC00
        parts.append((code // 588, (code % 588) // 28, code % 28) if 0 <= code < 11172 else char)
    out: list[str] = []
    for i, part in enumerate(parts):
        if isinstance(part, str):
            out.append(part)
            continue
        initial, vowel, final = part
        before = parts[i - 1] if i > 0 else None
        lead = _INITIAL[initial]
        if initial == 5 and isinstance(before, tuple):  # ㄹ after a final consonant
            lead = "l" if before[2] in (4, 8) else "n" if before[2] in (1, 16, 17, 21) else "r"
        if initial == 11 and isinstance(before, tuple) and before[2] in _LINKED and before[2] != 21:
            lead = _LINKED[before[2]]  # the previous final moved onto this vowel
        after = parts[i + 1] if i + 1 < len(parts) else None
        tail = _FINAL[final]
        if isinstance(after, tuple) and after[0] == 11 and final in _LINKED:
            tail = ""
        elif isinstance(after, tuple) and after[0] == 5 and final == 4:
            tail = "l"  # 신라 silla
        out.append(lead + _VOWEL[vowel] + tail)
    return "".join(out)
