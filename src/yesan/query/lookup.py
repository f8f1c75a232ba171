"""Finding governments and items by what people type: a code, a name, or a name with its 광역."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from yesan.errors import QueryError


@dataclass(frozen=True)
class GovernmentRef:
    code: str
    name: str
    level: str
    parent_name: str | None

    @property
    def label(self) -> str:
        return f"{self.parent_name} {self.name}" if self.parent_name else self.name


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
    rows = table.select("code", "name", "level", "parent_name").order_by("code").to_pyarrow().to_pylist()
    if not rows:
        raise QueryError(f"no government {wanted!r} in the store; `yesan info` lists them")
    if len(rows) > 1:
        options = ", ".join(f"{r['parent_name'] or ''} {r['name']} ({r['code']})".strip() for r in rows)
        raise QueryError(f"{wanted!r} is ambiguous: {options}; give the code or the 광역 name too")
    return GovernmentRef(**rows[0])
