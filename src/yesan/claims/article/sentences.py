"""Korean sentences with their positions, including run-together text ("밝혔습니다.올해").

Rules: a line break always ends a sentence; ``.``, ``!``, ``?`` (and closing quotes or brackets after
them) end one when whitespace follows, or when a Hangul syllable stands before the mark — Korean words
never contain a decimal point, so "밝혔다.서울시는" is two sentences while "3.0 버전", "6.51%" and
"truth@etnews.com" are not split. A closing quote followed by Hangul continues the sentence
("…다.”라고"). Ellipses (``…``, ``..``) do not end sentences: headlines use them as separators.
"""

from __future__ import annotations

from typing import Final

__all__ = ["sentence_at", "split_sentences"]

_ENDS: Final = frozenset(".!?")
_CLOSERS: Final = frozenset("\"'”’」』)]〉》")


def _is_hangul(ch: str) -> bool:
    return "가" <= ch <= "힣"


def _split_line(text: str, start: int, end: int, out: list[tuple[int, int]]) -> None:
    begin = start
    i = start
    while i < end:
        ch = text[i]
        if ch not in _ENDS:
            i += 1
            continue
        if ch == "." and ((i + 1 < end and text[i + 1] == ".") or (i > start and text[i - 1] == ".")):
            i += 1  # an ellipsis written with dots
            continue
        j = i + 1
        while j < end and text[j] in _CLOSERS:
            j += 1
        if (
            j >= end
            or text[j].isspace()
            or (i > start and _is_hangul(text[i - 1]) and not (j > i + 1 and _is_hangul(text[j])) and text[j] != ",")
        ):
            _add(text, begin, j, out)
            begin = j
        i = j
    _add(text, begin, end, out)


def _add(text: str, start: int, end: int, out: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        out.append((start, end))


def split_sentences(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of every sentence of ``text``, in order, without surrounding whitespace."""
    out: list[tuple[int, int]] = []
    pos = 0
    n = len(text)
    while pos <= n:
        newline = text.find("\n", pos)
        stop = n if newline < 0 else newline
        _split_line(text, pos, stop, out)
        if newline < 0:
            break
        pos = newline + 1
    return out


def sentence_at(spans: list[tuple[int, int]], position: int) -> int:
    """Index of the sentence in ``spans`` (from :func:`split_sentences`) that holds ``position``."""
    lo, hi = 0, len(spans) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if spans[mid][0] <= position:
            lo = mid
        else:
            hi = mid - 1
    return lo
