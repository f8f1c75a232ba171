"""What a check is about — one government and one fiscal year — decided before any figure is judged.

:func:`decide_scope` takes ``--government`` / ``--year`` (or the web form's fields) when given, else reads the
text (:mod:`yesan.claims.candidates.government`, :mod:`yesan.claims.figures.budget_year`). The :class:`Scope`
keeps the reasons (the words that decided, with their positions), so every check can show them first. It also
says how the store knows the government (``store_key``: its code, or the name its reported figures use), so the
check never looks up another government than the one it names.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from yesan.claims.candidates.government import Directory, Entry, GovernmentFinding, find_government, reported_names
from yesan.claims.candidates.reference import government_aliases
from yesan.claims.figures.budget_year import YearFinding, find_budget_year
from yesan.claims.wording import Phrase

__all__ = ["Scope", "decide_scope", "read_text", "scope_lines"]


@dataclass(frozen=True)
class Scope:
    """The government and year a check uses, where each came from, and why."""

    government: str | None  # how the store is asked (code, reported name or the label); None: unknown
    label: str | None  # 서울특별시 도봉구, 행정안전부 …
    level: str | None
    year: int | None
    government_from: str  # "option" / "text" / "none"
    year_from: str  # "option" / "text" / "none"
    finding: GovernmentFinding | None = None
    year_finding: YearFinding | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "government": self.label,
            "level": self.level,
            "government_from": self.government_from,
            "year": self.year,
            "year_from": self.year_from,
            "government_reasons": self.finding.as_dict() if self.finding else None,
            "year_reasons": self.year_finding.as_dict() if self.year_finding else None,
            "summary": [str(line) for line in scope_lines(self)],
            "summary_ko": [line.render("ko") for line in scope_lines(self)],
        }


def _at(item: Any) -> Phrase:
    if item.where == "address":
        return Phrase("scope.at_address", text=item.text)
    where = Phrase("scope.in_title") if item.where == "title" else ""
    return Phrase("scope.at", text=item.text, where=where, start=str(item.start))


def _listed(items: Any, limit: int = 4) -> tuple[Any, ...]:
    shown: list[Any] = [_at(i) for i in items[:limit]]
    if len(items) > limit:
        shown.append(f"… +{len(items) - limit}")
    return tuple(shown)


def scope_lines(scope: Scope, *, how_government: str = "--government", how_year: str = "--year") -> list[Phrase]:
    """The decision in two sentences (government, then year), each with the words that decided it."""
    if scope.government_from == "option":
        government = Phrase("scope.government_option", government=scope.label or "", how=how_government)
    elif scope.finding is not None:
        runners = scope.finding.runners_up
        tail = Phrase("scope.runners_up", listed=tuple(f"{n} {s:g}" for n, s in runners)) if runners else ""
        government = Phrase("scope.government_text", government=scope.label or "", level=scope.level or "",
                            reasons=_listed(scope.finding.mentions), runners=tail, sep=", ")  # fmt: skip
    else:
        government = Phrase("scope.government_none")
    if scope.year_from == "option":
        return [government, Phrase("scope.year_option", year=str(scope.year), how=how_year)]
    found = scope.year_finding
    published: Any = ""
    if found is not None:
        published = (
            Phrase("scope.published", date=found.published.isoformat()) if found.published
            else Phrase("scope.unpublished")
        )  # fmt: skip
    cues = [c for c in found.cues if c.year == scope.year] if found and scope.year is not None else []
    if scope.year is not None:
        return [government, Phrase("scope.year_text", year=str(scope.year), reasons=_listed(cues),
                                   published=published)]  # fmt: skip
    why: Any = _listed(found.cues) if found and found.cues else Phrase("scope.no_cue")
    return [government, Phrase("scope.year_none", reasons=why, published=published)]


def _store_key(entry: Entry, reported: set[str]) -> str:
    """How to ask the store for ``entry``: its code, else the name its reported figures use, else its label."""
    if entry.code and entry.stored:
        return entry.code
    for name in reported:
        alias = name in government_aliases(entry.name) or entry.name in government_aliases(name)
        if name == entry.name or (alias and entry.level != "기초"):
            return name
    return entry.label


def _with_title(text: str, title: str | None) -> tuple[str, int]:
    """The text to read (the title first, when the text does not start with it) and where ``text`` starts in it."""
    if not title or title.strip() in text[: len(title) + 200]:
        return text, 0
    return f"{title}\n", len(title) + 1


def _moved(item: Any, offset: int) -> Any:
    """A mention or cue of the title+text, with positions into the text (or marked as the title's)."""
    if item.where != "text":
        return item
    if offset and item.start < offset:
        return replace(item, where="title")
    return replace(item, start=item.start - offset, end=item.end - offset) if offset else item


def _year_of(text: str, published: date | None, offset: int) -> YearFinding:
    found = find_budget_year(text, published)
    return replace(found, cues=tuple(_moved(c, offset) for c in found.cues))


def _government_of(text: str, directory: Directory, offset: int, address: str | None) -> GovernmentFinding | None:
    found = find_government(text, directory, address=address)
    if found is None:
        return None
    return replace(found, mentions=tuple(_moved(m, offset) for m in found.mentions))


def read_text(
    text: str,
    directory: Directory,
    *,
    published: date | None = None,
    title: str | None = None,
    address: str | None = None,
) -> tuple[GovernmentFinding | None, YearFinding]:
    """What ``text`` (its title, when the text does not start with it, and its web address) says of its
    government and year."""
    read, offset = _with_title(text, title)
    if offset:
        read += text
    return _government_of(read, directory, offset, address), _year_of(read, published, offset)


def decide_scope(
    text: str,
    tables: Any,
    *,
    government: str | None = None,
    year: int | None = None,
    published: date | None = None,
    title: str | None = None,
    address: str | None = None,
) -> Scope:
    """The government and year of a check on ``text``: the options when given, else what the text (and its
    title, when the text does not start with it) says."""
    directory = Directory.for_tables(tables)
    finding, found_year = read_text(text, directory, published=published, title=title, address=address)
    year_finding = None if year is not None else found_year
    chosen_year = year if year is not None else found_year.year
    year_from = "option" if year is not None else "text" if chosen_year is not None else "none"
    if government is not None:
        entry = directory.entry(government.strip())
        label = entry.label if entry else government.strip()
        return Scope(government, label, entry.level if entry else None, chosen_year, "option", year_from,
                     None, year_finding)  # fmt: skip
    if finding is None:
        return Scope(None, None, None, chosen_year, "none", year_from, None, year_finding)
    key = _store_key(finding.entry, set(reported_names(tables)))
    return Scope(key, finding.entry.label, finding.entry.level, chosen_year, "text", year_from, finding, year_finding)
