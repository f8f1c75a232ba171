"""What the CLI prints for people: tables that never cut a number, and text that cannot drive the terminal.

Two rules hold for every table and line the commands print:

- **A number is never cut.** Number columns (right-aligned) never wrap or elide. When a table does not fit
  the width, a terminal gets a vertical layout (one block per row, one line per column); a pipe or a log
  (no terminal) gets full rows as wide as they need, so ``| cat`` and CI logs show every figure whole.
- **Names are data, not terminal commands.** Control characters (ANSI colour, window-title escapes) and bidi
  overrides in names and messages are shown escaped (``\\x1b``, ``\\u202e``); JSON and CSV keep them exact.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich import box
from rich.cells import cell_len
from rich.console import Console, RenderableType
from rich.markup import escape
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from yesan.errors import visible_controls

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)


def safe(text: object) -> str:
    """``text`` with every control or bidi character written as a visible escape (``\\x1b``, ``\\u202e``)."""
    return visible_controls(text)


def plain(text: object) -> str:
    """``text`` made safe and escaped for Rich markup, to put inside a markup string (``f"[bold]{plain(x)}[/]"``)."""
    return escape(safe(text))


class CliTable(Table):
    """A rich table whose string cells are plain text (never markup) with control characters escaped.

    Cells that should carry markup (verdict badges) are passed as ``rich.text.Text`` already made.
    """

    def add_row(self, *renderables: RenderableType | None, **kwargs: Any) -> None:
        cells = [Text(safe(cell)) if isinstance(cell, str) else cell for cell in renderables]
        super().add_row(*cells, **kwargs)


def table(
    title: str,
    columns: Sequence[str],
    *,
    left: Sequence[str] = (),
    whole: Sequence[str] = (),
    text: Sequence[str] = (),
) -> CliTable:
    """A compact table. Columns are numbers (aligned right) unless named in one of:

    - ``whole``: aligned left and never wrapped (a figure as written, a dataset name, a date);
    - ``left``: names aligned left that wrap at spaces when the table is narrow;
    - ``text``: prose (a rule, a sentence) that wraps and takes the width that is left.

    Number columns never wrap. ``show`` prints the table without cutting any cell.
    """
    result = CliTable(title=safe(title) if title else None, title_justify="left", box=box.SIMPLE_HEAD,
                      pad_edge=False, collapse_padding=True)  # fmt: skip
    for column in columns:
        if column in whole:
            result.add_column(column, justify="left", no_wrap=True)
        elif column in left or column in text:
            result.add_column(column, justify="left", ratio=1 if column in text else None, overflow="fold")
        else:
            result.add_column(column, justify="right", no_wrap=True)
    return result


_UNBOUNDED = 100_000
#: Prose columns of a table too wide for the screen are wrapped to this many cells in piped output.
PROSE_WIDTH = 40


def show(table: Table, console: Console | None = None) -> None:
    """Print ``table`` without cutting any cell: as is when it fits, else vertically (terminal) or full width."""
    console = console or out
    narrowest, full = _widths(table, console)
    if narrowest <= console.width:
        console.print(table)
    elif console.is_terminal:
        _show_vertical(table, console)
    else:
        # Full rows: Rich caps a print's width at the console's, so the console is widened for this table.
        width = console.width
        console.width = full
        try:
            console.print(table, crop=False)
        finally:
            console.width = width


def _widths(table: Table, console: Console) -> tuple[int, int]:
    """The narrowest ``table`` can be drawn with every no-wrap column whole, and its width as full rows
    (every column but prose at its natural width, prose wrapped to ``PROSE_WIDTH``).

    Rich counts a no-wrap column's narrowest as its longest word, and clamps a measurement to the width it is
    given, so the table is measured here as if the screen had no edge, column by column.
    """
    options = console.options.update_width(_UNBOUNDED)
    whole = Measurement.get(console, options, table)
    sizes = [table._measure_column(console, options, column) for column in table.columns]
    extra = whole.minimum - sum(m.minimum for m in sizes)
    narrowest = full = extra
    for size, column in zip(sizes, table.columns, strict=True):
        narrowest += size.maximum if column.no_wrap else size.minimum
        full += max(size.minimum, min(size.maximum, PROSE_WIDTH)) if column.ratio else size.maximum
    return narrowest, full


def _show_vertical(table: Table, console: Console) -> None:
    """One block per row: the first cell as a heading, then each other column as ``header  value``."""
    if table.title:
        console.print(table.title, soft_wrap=True)
    headers = [str(column.header) for column in table.columns]
    width = max((cell_len(h) for h in headers[1:]), default=0)
    columns = [list(column.cells) for column in table.columns]
    for index in range(table.row_count):
        cells = [cells[index] for cells in columns]
        first = cells[0] if isinstance(cells[0], Text) else Text(str(cells[0]))
        console.print(Text.assemble(f"{headers[0]} " if headers[0] else "", first, style="bold"))
        for header, cell in zip(headers[1:], cells[1:], strict=True):
            value = cell if isinstance(cell, Text) else Text(str(cell))
            if value.plain:
                console.print(Text.assemble("  ", header, " " * (width - cell_len(header) + 2), value))
    console.print()
