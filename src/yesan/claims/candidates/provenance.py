"""Who published a reported figure, and whether that is the article under check (no self-confirmation).

A :class:`Source` is one source a reported figure cites (``reported_sources`` in the store): its outlet,
address, date, evidence tier and the fingerprint of its sentences. An :class:`Article` is what is known
of the text being checked: its address, the web domains it names as its publisher (its address's, and a
byline's ``…@etnews.com``), its date and its fingerprint.

:func:`self_reason` says why a source *is* the article: the same address; the same outlet on the same day;
or the same sentences (``claims.fingerprint.same_story``), which catches a repost under another address,
with other whitespace or paragraphs. A figure whose only sources are the article itself cannot confirm it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Final
from urllib.parse import urlsplit

from yesan.claims.article.text import Document
from yesan.claims.candidates.fingerprint import Fingerprint, fingerprint, overlap, parse_fingerprint, same_story

__all__ = ["Article", "Source", "host_of", "normalise_url", "self_reason"]

#: Address prefixes that name the same site: ``www.``, mobile and ``ssl1.`` hosts.
_HOST_PREFIX: Final = re.compile(r"^(?:www\d?|m|mobile|amp|ssl\d?)\.")
_BYLINE_HOST: Final = re.compile(r"[A-Za-z0-9._%+-]+@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)")
_URL: Final = re.compile(r"https?://[^\s\"'<>]+")
#: Second-level labels under which a registrable domain has three parts (``news1.co.kr``, ``seoul.go.kr``).
_SECOND_LEVEL: Final = frozenset({"co", "or", "go", "ne", "re", "pe", "ac", "com", "net", "org"})


def normalise_url(url: str) -> str:
    """An address as compared: no scheme, ``www.``/``m.`` dropped, host lower case, no trailing ``/``."""
    parts = urlsplit(url.strip())
    host = _HOST_PREFIX.sub("", (parts.hostname or "").lower())
    path = parts.path.rstrip("/")
    query = f"?{parts.query}" if parts.query else ""
    return f"{host}{path}{query}"


def host_of(url_or_host: str) -> str:
    """The registrable domain: ``https://news.sbs.co.kr/x`` → ``sbs.co.kr``; ``it.peoplentools.com`` →
    ``peoplentools.com``."""
    host = (urlsplit(url_or_host).hostname or "") if "://" in url_or_host else url_or_host
    labels = host.lower().strip(".").split(".")
    keep = 3 if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL and len(labels[-1]) == 2 else 2
    return ".".join(labels[-keep:])


@dataclass(frozen=True)
class Source:
    """One source of a reported figure (a row of ``reported_sources``), or a bare key when none is known."""

    key: str
    outlet: str | None = None
    url: str | None = None
    other_urls: tuple[str, ...] = ()
    published: str | None = None  # YYYY-MM-DD, YYYY-MM or YYYY
    tier: str = "reported"
    kind: str | None = None
    hosts: tuple[str, ...] = ()
    fingerprint: Fingerprint = field(default_factory=frozenset)

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Source:
        return cls(
            key=str(row["source_key"]), outlet=row["outlet"], url=row["url"],
            other_urls=tuple((row["other_urls"] or "").split()), published=row["published"], tier=str(row["tier"]),
            kind=row["kind"], hosts=tuple((row["hosts"] or "").split()),
            fingerprint=parse_fingerprint(row["fingerprint"]),
        )  # fmt: skip

    @property
    def addresses(self) -> tuple[str, ...]:
        return tuple(u for u in (self.url, *self.other_urls) if u)

    def cite(self) -> str:
        """``국민일보, 2025-10-31, https://www.kmib.co.kr/…`` (the key when nothing else is known)."""
        if self.outlet is None:
            return self.key
        return ", ".join(part for part in (self.outlet, self.published, self.url) if part)

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "outlet": self.outlet,
            "url": self.url,
            "published": self.published,
            "tier": self.tier,
            "kind": self.kind,
        }


@dataclass(frozen=True)
class Article:
    """What is known of the article under check, to recognise it among a figure's sources."""

    urls: tuple[str, ...] = ()
    hosts: frozenset[str] = frozenset()
    published: date | None = None
    fingerprint: Fingerprint = field(default_factory=frozenset)

    @classmethod
    def of(cls, document: Document, *, url: str | None = None) -> Article:
        """The article behind ``document``: ``url`` (else its ``source`` when that is an address), bylines, date."""
        urls = [u for u in (url, document.url, document.source) if u and _URL.fullmatch(u)]
        hosts = {host_of(u) for u in urls} | {host_of(h) for h in _BYLINE_HOST.findall(document.text)}
        return cls(tuple(dict.fromkeys(urls)), frozenset(hosts), document.published, fingerprint(document.text))


def self_reason(source: Source, article: Article) -> str | None:
    """Why ``source`` is ``article`` itself (``address``, ``outlet and date``, ``same sentences``), or None."""
    mine = {normalise_url(u) for u in article.urls}
    if mine and any(normalise_url(u) in mine for u in source.addresses):
        return "address"
    if article.published is not None and source.published and article.hosts:
        theirs = {host_of(h) for h in source.hosts} | {host_of(u) for u in source.addresses}
        if theirs & article.hosts and source.published == article.published.isoformat():
            return "outlet and date"
    if source.fingerprint and article.fingerprint and same_story(source.fingerprint, article.fingerprint):
        return "same sentences"
    return None


def shared_share(source: Source, article: Article) -> float:
    """The share of the smaller fingerprint the two share (0 to 1), for the note that names a repost."""
    return float(overlap(source.fingerprint, article.fingerprint)[1])
