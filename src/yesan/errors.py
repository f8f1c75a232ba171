"""One error hierarchy for the whole package.

Every error carries a message written for people: what went wrong, where, and what to do.
The CLI prints ``str(error)`` on one line and exits non-zero; ``--debug`` shows the traceback.
``visible_controls`` is how any text from data is shown to people, in messages and in the terminal.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Literal

#: C0 and C1 control characters, DEL, and the bidi controls that reorder text on screen (LRE … RLO, LRI … PDI,
#: LRM/RLM/ALM). Tab and newline are controls too: in one table cell or one line they would break the layout.
_UNSAFE: Final = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def visible_controls(text: object) -> str:
    """``text`` with every control or bidi character written as a visible escape (``\\x1b``, ``\\u202e``)."""

    def visible(match: re.Match[str]) -> str:
        code = ord(match.group())
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return _UNSAFE.sub(visible, str(text))


Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one place in an input file.

    ``row`` is the 1-based number of the data record (the header is not counted), so
    ``row=150000`` is the 150,000th record of the file; ``None`` when the problem is not about a row.
    """

    file: str
    row: int | None
    column: str | None
    value: str | None
    reason: str
    severity: Severity = "error"

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row:,}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        text = ", ".join(where)
        if self.value is not None:
            shown = self.value if len(self.value) <= 60 else self.value[:57] + "..."
            text += f", value {shown!r}"
        return f"{text}: {self.reason}"

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "reason": self.reason,
            "severity": self.severity,
        }


class YesanError(Exception):
    """Base of every error yesan raises on purpose."""


class MoneyError(YesanError, ValueError):
    """A text that should be a Korean amount of money is not one."""

    def __init__(self, text: str, reason: str) -> None:
        self.text = text
        self.reason = reason
        super().__init__(f"not an amount of money: {text!r} ({reason})")


class LoadError(YesanError):
    """An input cannot be loaded. Nothing was written to the store.

    ``problems`` lists every error found (up to a cap), in file order.
    """

    def __init__(self, message: str, problems: Sequence[Problem] = (), *, hint: str | None = None) -> None:
        self.problems = list(problems)
        self.hint = hint
        first = f"; first: {self.problems[0]}" if self.problems else ""
        more = len(self.problems)
        count = f" ({more:,} problem{'s' if more != 1 else ''})" if more > 1 else ""
        tail = f". {hint}" if hint else ""
        super().__init__(f"{message}{count}{first}{tail}")


class StoreError(YesanError):
    """The store cannot be opened, is locked, is from a newer yesan, or cannot be written."""


class QueryError(YesanError):
    """A question asked of the store cannot be answered as asked."""


class DocumentError(YesanError):
    """An article (HTML, text or a gold file) cannot be read."""


class FetchError(YesanError):
    """An official OpenAPI could not be collected: a bad key, a refused request, a source that kept failing.

    Nothing was loaded; pages already fetched stay in the page cache for the next run.
    """


class QuotaExhausted(FetchError):
    """The API key's daily request quota is spent (code 337): the run stopped cleanly, its checkpoint is kept."""
