"""Finding governments and items by what people type: a code, a name, or a name with its 광역."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from yesan.errors import QueryError
from yesan.query.common import records


@dataclass(frozen=True)
class GovernmentRef:
    code: str
    name: str
    level: str
    parent_name: str | None

    @property
    def label(self) -> str:
        return f"{self.parent_name} {self.name}" if self.parent_name else self.name


def government_rows(tables: Any) -> list[dict[str, Any]]:
    """Every government of the store: code, name, level and 광역 (``parent_name``)."""
    return _rows(tables.governments)


def _rows(governments: Any) -> list[dict[str, Any]]:
    return records(governments.select("code", "name", "level", "parent_name"))


def item_snapshots(tables: Any, gov_code: str, year: int | None) -> list[dict[str, Any]]:
    """The snapshots (id, execution date, dataset, source file) that hold line items of one government (in ``year``)."""
    items = tables.items
    selected = items.filter(items.gov_code == gov_code)
    if year is not None:
        selected = selected.filter(selected.fiscal_year == year)
    used = selected.select("snapshot_id", "source_id").distinct()
    snaps = used.join(tables.snapshots, "snapshot_id").join(tables.sources.select("source_id", "file"), "source_id")
    return records(snaps.select("snapshot_id", "exe_ymd", "dataset", "file"))


def find_government(governments: Any, text: str) -> GovernmentRef:
    """One government from a code (``4681000``), a name (``고흥군``) or ``광역 name`` (``부산광역시 동구``).

    An ambiguous name (동구 exists in several 광역) is an error that lists the candidates.
    """
    wanted = text.strip()
    if not wanted:
        raise QueryError("give a government code or name, e.g. 4681000 or 고흥군")
    parts = wanted.split()
    table = governments
    if wanted.isdigit():
        table = table.filter(table.code == wanted)
    elif len(parts) >= 2:
        table = table.filter((table.parent_name == " ".join(parts[:-1])) & (table.name == parts[-1]))
    else:
        table = table.filter((table.name == wanted) | (table.parent_name + table.name == wanted))
    rows = records(table.select("code", "name", "level", "parent_name").order_by("code"))
    if not rows:
        raise QueryError(f"no government {wanted!r} in the store; `yesan info` lists them")
    if len(rows) > 1:
        raise QueryError(ambiguous(wanted, [GovernmentRef(**row) for row in rows]))
    return GovernmentRef(**rows[0])


class _Labelled(Protocol):
    @property
    def code(self) -> str: ...

    @property
    def label(self) -> str: ...


G = TypeVar("G", bound=_Labelled)


def partial_matches(governments: Iterable[G], text: str) -> list[G]:
    """The governments whose label (``광역 name``) contains ``text``, spaces ignored: ``고흥`` finds 전라남도 고흥군.

    This is how the web's government box reads what people type; the CLI's ``--gov`` reads it the same way.
    """
    squeezed = "".join(text.split())
    return [g for g in governments if squeezed and squeezed in g.label.replace(" ", "")]


def ambiguous(wanted: str, candidates: Iterable[_Labelled]) -> str:
    """The message for a name that fits several governments, listing them."""
    options = ", ".join(f"{g.label} ({g.code})" for g in candidates)
    return f"several governments match {wanted!r}: {options}; give the code or the 광역 name too"


def pick_government(governments: Iterable[GovernmentRef], text: str) -> GovernmentRef:
    """One of ``governments`` from what people type, as the web reads it: a code, a name, ``광역 name``, or part
    of one (``고흥`` → 전라남도 고흥군). A text that fits several governments is an error that lists them."""
    wanted = " ".join(text.split())
    if not wanted:
        raise QueryError("give a government code or name, e.g. 4681000 or 고흥군")
    known = sorted(governments, key=lambda g: g.code)
    squeezed = wanted.replace(" ", "")
    by_code = [g for g in known if g.code == wanted]
    by_label = [g for g in known if g.label == wanted or g.label.replace(" ", "") == squeezed]
    by_name = [g for g in known if g.name == wanted]
    for exact in (by_code, by_label, by_name):
        if len(exact) == 1:
            return exact[0]
        if len(exact) > 1:
            raise QueryError(ambiguous(wanted, exact))
    candidates = partial_matches(known, wanted)
    if len(candidates) == 1:
        return candidates[0]
    if candidates:
        raise QueryError(ambiguous(wanted, candidates))
    raise QueryError(f"no government {wanted!r} in the store; `yesan info` lists them (part of a name will do)")


def resolve_government(governments: Any, text: str) -> GovernmentRef:
    """``pick_government`` among the rows of the Ibis table ``governments``."""
    return pick_government([GovernmentRef(**row) for row in _rows(governments)], text)
