"""A text's fingerprint: hashes of its normalised character shingles, so that a repost is recognised without the text.

A source of a reported figure ships with the fingerprint of its sentences, never the sentences: the text
is normalised (NFKC, lower case, only letters and digits kept, so whitespace, paragraph breaks, run-together
sentences and punctuation do not matter), cut into overlapping windows of ``SHINGLE`` characters, each
window hashed (SHA-256 with a fixed prefix) and only the hashes that fall in one ``SAMPLE``-th of the
hash space kept (the same windows are kept in every text, so two copies keep the same hashes).

Two texts are copies of one story (:func:`same_story`) when at least ``MIN_SHARED`` hashes are shared and
they make up at least ``MIN_OVERLAP`` of the smaller fingerprint: an excerpt of an article matches the
whole article, while two reports of one press conference, written by different reporters, share a few
quoted phrases but not half their text.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from fractions import Fraction
from typing import Final

__all__ = ["MIN_OVERLAP", "MIN_SHARED", "Fingerprint", "fingerprint", "normalise", "overlap", "same_story"]

#: Characters per shingle: a clause of Korean, long enough that unrelated texts rarely share one.
SHINGLE: Final = 12
#: One hash in this many is kept.
SAMPLE: Final = 8
#: Hex digits kept of each hash (48 bits).
HEX_DIGITS: Final = 12
MIN_SHARED: Final = 8
MIN_OVERLAP: Final = Fraction(1, 2)
_PREFIX: Final = b"yesan-fingerprint-1\x00"
_KEEP: Final = re.compile(r"[0-9a-z\uac00-\ud7a3\u3131-\u318e\u4e00-\u9fff]+")

Fingerprint = frozenset[str]


def normalise(text: str) -> str:
    """``text`` with only its letters and digits, lower case: ``"예산은 51.5조\\n원"`` → ``"예산은515조원"``."""
    return "".join(_KEEP.findall(unicodedata.normalize("NFKC", text).lower()))


def fingerprint(text: str) -> Fingerprint:
    """The sampled shingle hashes of ``text`` (hex strings; empty for a text shorter than one shingle)."""
    flat = normalise(text)
    kept = set()
    for start in range(len(flat) - SHINGLE + 1):
        digest = hashlib.sha256(_PREFIX + flat[start : start + SHINGLE].encode("utf-8")).hexdigest()[:HEX_DIGITS]
        if int(digest, 16) % SAMPLE == 0:
            kept.add(digest)
    return frozenset(kept)


def parse_fingerprint(text: str | None) -> Fingerprint:
    """A fingerprint from its stored form (hashes separated by spaces); blank → empty."""
    return frozenset((text or "").split())


def format_fingerprint(hashes: Iterable[str]) -> str:
    return " ".join(sorted(hashes))


def overlap(a: Fingerprint, b: Fingerprint) -> tuple[int, Fraction]:
    """(hashes shared, their share of the smaller fingerprint)."""
    shared = len(a & b)
    smaller = min(len(a), len(b))
    return shared, Fraction(shared, smaller) if smaller else Fraction(0)


def same_story(a: Fingerprint, b: Fingerprint) -> bool:
    """True when ``a`` and ``b`` are fingerprints of copies of one text (the module docstring)."""
    shared, share = overlap(a, b)
    return shared >= MIN_SHARED and share >= MIN_OVERLAP
