"""Which government an article is about: explicit names first, everyday words never, and the reasons shown.

The checks know every government, not only those the store holds: ``data/governments.csv`` lists the 17
광역 and their 시·군·구 (names and the source's region/district keys from the lofin365 QWGJK aggregates of
``15678910/budget``; lofin365 codes where the bundled snapshot has them), the central government and its
ministries (부·처·청·위원회, including the names before the 2025 reorganisation). The store's own
governments and the names its reported figures use are added to them (:meth:`Directory.for_tables`).

How a text names a government (:func:`find_government`):

* a **name with its suffix** (서울특별시, 서울시, 도봉구, 강화군, 행정안전부, 행안부, 정부) counts when it starts a
  word: not right after another Hangul letter (지방정부 is not 정부, 집중구 is not 중구), unless a 광역 name
  stands right before it (서울도봉구); a local government's name must also end its word, or go on with its
  office, council or people (도봉구의회, 중구청, 구민) or a particle: 중구난방 (disorder) is no 중구;
* a **bare stem** counts only when it cannot be an everyday word: a 광역 stem (서울, 경기, 광주) only as a
  word of its own (not 세종대왕, 서울역) that Kiwi reads as a proper noun there (경기 침체 is the economy);
  a 시·군·구 stem (강화, 고흥) only right after its 광역 (인천 강화); stems weigh half a name;
* a name several governments share (중구, 동구, 고성군, 광주시) belongs to the one whose 광역 stands right before
  it, else to the one whose 광역 the text names; 광주시 alone is 광주광역시;
* a 시·군·구 is its 광역's (도봉구 → 서울특별시 도봉구); 제주시 and 서귀포시 are 행정시, so their budget is
  제주특별자치도's;
* a text published on a local government's own site (``www.yeongam.go.kr``, the romanized stem) is that
  government's (it counts two names);
* datelines and bylines (``[서울=뉴스핌]``, ``(의령=연합뉴스)``, ``세종 김남형 기자``) name where a reporter is,
  not what the story is about: they are skipped.

The government named most (names 1, stems ½) wins; a tie goes to the one named first.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from typing import Any, Final

from yesan.query.lookup import government_rows
from yesan.query.reported import reported_government_names

__all__ = ["Directory", "Entry", "GovernmentFinding", "Mention", "find_government", "reported_names"]

DIRECTORY_FILE: Final = "governments.csv"
#: Where ``data/governments.csv`` comes from (names and keys; no amounts are taken from it).
DIRECTORY_SOURCE: Final = (
    "15678910/budget data/processed/regional-flat-2023…2026.json (lofin365 QWGJK by government × 분야 × 회계; "
    "registry of 17 광역 and their 시·군·구 in scripts/build-regional-from-lofin.py, commit 11d77c6)"
)
_SUFFIX: Final = re.compile(r"(?:특별자치시|특별자치도|특별시|광역시|[시군구도부처청]|위원회)$")
_HANGUL: Final = re.compile(r"[가-힣]")
#: ``[서울=뉴스핌]``, ``(의령=연합뉴스)``, ``(세종= 김 기자``: the place of a dateline.
_DATELINE: Final = re.compile(r"[\[(【]\s*([가-힣]{2,8})\s*=")
#: ``세종 김남형 기자`` at the start of a line: the place of a byline.
_BYLINE: Final = re.compile(r"(?m)^[ \t]*([가-힣]{2,8})[ \t]+[가-힣]{2,4}[ \t]*(?:기자|특파원)")
_STEM_WEIGHT: Final = 0.5
#: What may follow a local government's name inside one word: its office, council, people, head, region.
_INSTITUTION: Final = ("청", "의회", "의원", "의장", "민", "정", "수", "교육", "내", "지역", "소속", "산하", "공무원")


@dataclass(frozen=True)
class Entry:
    """One government the checks know: a local government, the central government or a ministry."""

    name: str
    level: str  # 광역 / 기초 / 행정시 / 중앙정부 / 중앙부처
    parent: str | None = None  # the 광역 of a 시·군·구; 중앙정부 for a ministry
    code: str | None = None  # the store's (lofin365) code, when known
    aliases: tuple[str, ...] = ()  # other names texts use: 서울시, 서울; 행안부
    note: str = ""
    stored: bool = False  # the store's governments table has it (under ``code``)

    @property
    def label(self) -> str:
        """``서울특별시 도봉구`` for a 시·군·구, the name for the others."""
        return f"{self.parent} {self.name}" if self.level in ("기초", "행정시") and self.parent else self.name

    @property
    def is_local(self) -> bool:
        return self.level in ("광역", "기초", "행정시")

    def forms(self) -> tuple[tuple[str, bool], ...]:
        """Each way a text may write this government, and whether it is a bare stem (no government suffix)."""
        found = [self.name, *self.aliases]
        if self.level in ("기초", "행정시") and len(self.name) >= 3 and _SUFFIX.search(self.name):
            found.append(self.name[:-1])  # 고흥군 → 고흥: a stem, counted only after its 광역
        seen = dict.fromkeys(f for f in found if len(f) >= 2)
        return tuple((form, not _SUFFIX.search(form)) for form in seen)


@dataclass(frozen=True)
class Mention:
    """A place in the text that names a government, and how much it counts."""

    text: str
    start: int
    end: int
    weight: float
    why: str  # name / stem / qualified / shared name resolved by its 광역 / …
    where: str = "text"  # "text" (positions into the text checked), "title" or "address" (the web address)

    def as_dict(self) -> dict[str, Any]:
        return {"text": self.text, "where": self.where, "start": self.start, "end": self.end, "weight": self.weight,
                "why": self.why}  # fmt: skip


@dataclass(frozen=True)
class GovernmentFinding:
    """The government a text is about, the mentions that decided it, and the runners-up."""

    entry: Entry
    score: float
    mentions: tuple[Mention, ...]
    runners_up: tuple[tuple[str, float], ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "government": self.entry.label,
            "level": self.entry.level,
            "code": self.entry.code,
            "score": self.score,
            "mentions": [m.as_dict() for m in self.mentions],
            "runners_up": [{"government": name, "score": score} for name, score in self.runners_up],
        }


@dataclass
class Directory:
    """Every government the checks know, and the forms that name them."""

    entries: list[Entry]
    _by_form: dict[str, list[tuple[Entry, bool]]] = field(default_factory=dict, init=False, repr=False)
    _pattern: re.Pattern[str] | None = field(default=None, init=False, repr=False)
    _sites: dict[str, list[Entry]] | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        by_form: dict[str, list[tuple[Entry, bool]]] = defaultdict(list)
        for entry in self.entries:
            for form, stem in entry.forms():
                by_form[form].append((entry, stem))
        self._by_form = dict(by_form)
        forms = sorted(self._by_form, key=lambda f: (-len(f), f))
        self._pattern = re.compile("|".join(re.escape(f) for f in forms)) if forms else None

    @classmethod
    def bundled(cls) -> Directory:
        return cls(list(_bundled_entries()))

    @classmethod
    def for_tables(cls, tables: Any) -> Directory:
        """The bundled governments, with the store's codes, plus the store's and the reported figures' own."""
        entries = list(_bundled_entries())
        by_place = {(e.parent, e.name): i for i, e in enumerate(entries)}
        by_code = {e.code: i for i, e in enumerate(entries) if e.code}
        rows = government_rows(tables)
        for row in rows:
            code, name, parent = str(row["code"]), str(row["name"]), row["parent_name"]
            at = by_code.get(code, by_place.get((parent, name)))
            if at is not None:
                entries[at] = replace(entries[at], code=code, stored=True)
            else:
                entries.append(Entry(name, str(row["level"]), parent, code, stored=True))
                by_place[(parent, name)] = len(entries) - 1
        known = {e.name for e in entries} | {e.label for e in entries}
        for name in reported_names(tables):
            if name not in known:
                entries.append(Entry(name, "광역" if re.search(r"(?:특별|광역|자치)", name) else "기초"))
                known.add(name)
        return cls(entries)

    def entry(self, name: str) -> Entry | None:
        """The entry called ``name`` (its name or its label), if exactly one."""
        found = [e for e in self.entries if name in (e.name, e.label) or (e.stored and e.code == name)]
        return found[0] if len(found) == 1 else None

    def candidates(self, form: str) -> list[tuple[Entry, bool]]:
        return self._by_form.get(form, [])

    def sites(self) -> dict[str, list[Entry]]:
        """Local governments by the romanized stem their web addresses use (영암군 → ``yeongam``)."""
        if self._sites is None:
            from yesan.claims.article.romanize import romanize

            found: dict[str, list[Entry]] = defaultdict(list)
            for entry in self.entries:
                if entry.level in ("광역", "기초"):
                    stems = [f for f, stem in entry.forms() if stem] or [entry.name]
                    for stem in dict.fromkeys(romanize(f) for f in stems[:1]):
                        found[stem].append(entry)
            self._sites = dict(found)
        return self._sites


@cache
def _bundled_entries() -> tuple[Entry, ...]:
    text = (resources.files("yesan") / "data" / DIRECTORY_FILE).read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    return tuple(_entry(r) for r in rows)


def _entry(r: dict[str, str]) -> Entry:
    aliases = tuple(a for a in r["aliases"].split(";") if a)
    return Entry(r["name"], r["level"], r["parent_name"] or None, r["code"] or None, aliases, r["note"])


def reported_names(tables: Any) -> list[str]:
    """The government names the store's reported figures use."""
    return reported_government_names(tables)


# --- reading a text -----------------------------------------------------------------------------------


def _masked(text: str) -> str:
    """``text`` with the places of datelines and bylines blanked (same length, so positions hold)."""
    chars = list(text)
    for pattern in (_DATELINE, _BYLINE):
        for match in pattern.finditer(text):
            for i in range(match.start(1), match.end(1)):
                chars[i] = " "
    return "".join(chars)


def _is_proper_noun(text: str, start: int, form: str) -> bool:
    """Whether Kiwi reads ``form`` at ``start`` as (the start of) a proper noun.

    서울 in 서울 시민 is; 경기 in 경기 침체 (the economy) is not."""
    from yesan.claims.article.morph import tokenize

    left = max(0, start - 24)
    window = text[left : start + len(form) + 24]
    for token in tokenize(window):
        if token.start + left == start:
            return token.tag == "NNP" and token.form.startswith(form)
    return False


@dataclass
class _Raw:
    form: str
    start: int
    end: int
    options: list[tuple[Entry, bool]]
    qualifier: _Raw | None = None  # the 광역 name right before it
    consumed: bool = False  # a 광역 name used as another name's qualifier


def _scan(text: str, directory: Directory) -> list[_Raw]:
    pattern = directory._pattern
    if pattern is None:
        return []
    found: list[_Raw] = []
    for match in pattern.finditer(text):
        start, end = match.span()
        raw = _Raw(match.group(), start, end, directory.candidates(match.group()))
        previous = found[-1] if found else None
        gap = text[previous.end : start] if previous else None
        if previous and gap is not None and gap.strip() == "" and len(gap) <= 1 and _names_region(previous):
            raw.qualifier = previous
        if start > 0 and _HANGUL.match(text[start - 1]) and not (raw.qualifier and gap == ""):
            continue  # inside a word: 지방정부, 집중구
        if _local(raw) and not _whole_word(text, raw):
            continue  # the start of another word: 중구난방
        found.append(raw)
    return found


def _whole_word(text: str, raw: _Raw) -> bool:
    """Whether a local government's name ends where its word does, or goes on with its office, council …
    (도봉구의회, 중구청) or a particle (중구의), rather than into another word (중구난방, disorder)."""
    if raw.end >= len(text) or not _HANGUL.match(text[raw.end]):
        return True
    if text.startswith(_INSTITUTION, raw.end):
        return True
    from yesan.claims.article.morph import tokenize

    left = max(0, raw.start - 24)
    end = raw.end - left
    # Kiwi's reading decides: a morpheme running across the end of the name makes it part of another word
    return not any(token.start < end < token.end for token in tokenize(text[left : raw.end + 24]))


def _stem_alone(text: str, raw: _Raw) -> bool:
    """Whether a bare stem is a word of its own: followed by a space, a sign or a particle (서울의), not by
    another noun (세종대왕 a king, 서울역 a station)."""
    if raw.end >= len(text) or not _HANGUL.match(text[raw.end]):
        return True
    from yesan.claims.article.morph import tokenize

    left = max(0, raw.start - 24)
    following = [t for t in tokenize(text[left : raw.end + 24]) if t.start == raw.end - left]
    return bool(following) and following[0].tag.startswith("J")


def _local(raw: _Raw) -> bool:
    return any(e.is_local for e, _ in raw.options)


def _names_region(raw: _Raw) -> bool:
    return any(e.level == "광역" for e, _ in raw.options)


def _qualified(raw: _Raw) -> list[Entry]:
    """The options of ``raw`` that belong to the 광역 named right before it."""
    if raw.qualifier is None:
        return []
    regions = {e.name for e, _ in raw.qualifier.options if e.level == "광역"}
    return [e for e, _ in raw.options if e.parent in regions and e.level in ("기초", "행정시")]


def _site_mentions(address: str | None, directory: Directory) -> list[tuple[Entry, Mention]]:
    """A text published on a local government's own site (``www.yeongam.go.kr``) is that government's."""
    from urllib.parse import urlsplit

    host = (urlsplit(address).hostname or "") if address else ""
    if not host.endswith(".go.kr"):
        return []
    sites = directory.sites()
    for label in host.split(".")[:-2]:
        found = sites.get(label, [])
        if len(found) == 1:
            return [(found[0], Mention(host, 0, len(host), 2.0, "published on its website", "address"))]
    return []


def find_government(text: str, directory: Directory, *, address: str | None = None) -> GovernmentFinding | None:
    """The government ``text`` (published at ``address``, when known) is about (see the module docstring),
    or None when it names none."""
    masked = _masked(text)
    raws = _scan(masked, directory)
    counted: list[tuple[Entry, Mention]] = _site_mentions(address, directory)
    shared: list[_Raw] = []
    for raw in raws:
        qualified = _qualified(raw)
        if len(qualified) == 1:
            raw.qualifier.consumed = True  # type: ignore[union-attr]
            assert raw.qualifier is not None
            stem = not _SUFFIX.search(raw.form)
            words = text[raw.qualifier.start : raw.end]
            mention = Mention(words, raw.qualifier.start, raw.end, _STEM_WEIGHT if stem else 1.0, "with its 광역")
            counted.append((qualified[0], mention))
            continue
        names = [e for e, stem in raw.options if not stem]
        stems = [e for e, stem in raw.options if stem and e.level == "광역"]
        if len(names) == 1:
            counted.append((names[0], Mention(raw.form, raw.start, raw.end, 1.0, "name")))
        elif len(names) > 1:
            shared.append(raw)
        elif len(stems) == 1 and _stem_alone(masked, raw) and _is_proper_noun(masked, raw.start, raw.form):
            counted.append((stems[0], Mention(raw.form, raw.start, raw.end, _STEM_WEIGHT, "stem read as a name")))
    counted = [(e, m) for e, m in counted if not _consumed_qualifier(raws, m)]
    named_regions = {e.name if e.level == "광역" else e.parent for e, _ in counted}
    for raw in shared:
        options = [e for e, stem in raw.options if not stem]
        in_named = [e for e in options if (e.name if e.level == "광역" else e.parent) in named_regions]
        regions = [e for e in options if e.level == "광역"]
        chosen = in_named[0] if len(in_named) == 1 else regions[0] if len(regions) == 1 and not in_named else None
        if chosen is not None:
            why = "shared name, its 광역 named in the text" if in_named else "shared name, read as the 광역"
            counted.append((chosen, Mention(raw.form, raw.start, raw.end, 1.0, why)))
    return _decide(counted, directory)


def _consumed_qualifier(raws: list[_Raw], mention: Mention) -> bool:
    return any(r.consumed and r.start == mention.start and r.end == mention.end for r in raws)


def _decide(counted: list[tuple[Entry, Mention]], directory: Directory) -> GovernmentFinding | None:
    scores: dict[str, float] = defaultdict(float)
    first: dict[str, int] = {}
    mentions: dict[str, list[Mention]] = defaultdict(list)
    entries: dict[str, Entry] = {}
    for entry, mention in counted:
        if entry.level == "행정시" and entry.parent:  # 제주시: its budget is 제주특별자치도's
            parent = directory.entry(entry.parent)
            if parent is not None:
                mention = Mention(mention.text, mention.start, mention.end, mention.weight, f"행정시 of {parent.name}")
                entry = parent
        key = entry.label
        entries[key] = entry
        scores[key] += mention.weight
        first.setdefault(key, mention.start)
        mentions[key].append(mention)
    if not scores:
        return None
    ranked = sorted(scores, key=lambda key: (-scores[key], first[key]))
    best = ranked[0]
    runners = tuple((key, scores[key]) for key in ranked[1:4])
    return GovernmentFinding(entries[best], scores[best], tuple(sorted(mentions[best], key=lambda m: m.start)), runners)
